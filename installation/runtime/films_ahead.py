"""The show's films on a USB stick copied to its own disk before their scenes come (the film
cache of media/staging.py), at the three moments the runtime learns of them: the show's start,
each reload (whose [runtime] film_cache_mb may set a new limit, or make a cache where there
was none), and films new in a loop's folder, seen by the file watcher.

A reload (on the render thread) and the watcher (on its own) may hand the cache its list at
once, and the later call replaces the earlier one's work. The watcher's list is made from the
show it read before it globbed the stick; made before a reload and handed on after it, it
replaced the reloaded show's list, and a film the reload brought was left on the stick. So a
list is handed on only while its show is still the one playing (a reload copies its own show's
films ahead itself), and the look and the handing on are one step under a lock; the glob, which
may be slow on a stick, runs outside it.

A reload's list is made on a thread of its own (one at a time, the newest show's list made
last): the list globs the stick and asks each film's drive (a stat), and on the render thread
a stick that hangs in its reads froze the screen at a curator's edit until the kernel gave
up on the drive.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from ..media import staging
from ..media.staging import FilmCache
from .show_paths import show_films

log = logging.getLogger("bayard.runtime")


class FilmsAhead:
    """`start` once, `reloaded` from the reload hook, `added` from the watcher."""

    def __init__(self, show: Any, folder: Path | None) -> None:
        self.show = show  # the show playing: the one whose films are copied ahead
        self.folder = folder  # the cache's folder on the show's disk (None: nowhere to put one)
        self._handing = threading.Lock()
        self._wanted: tuple[Any, int | None] | None = None  # the reload's list still to be made
        self._lister: threading.Thread | None = None  # making reloads' lists, while one is wanted

    def start(self, cache_mb: float) -> None:
        """Install the show's film cache (copying off: clear an earlier run's copies) and copy
        the show's films ahead."""
        staging.use_home(self.folder)  # (pictures on a USB stick are kept while it is out, copying films or not)
        if self.folder is not None and cache_mb > 0:
            staging.use(FilmCache(self.folder, int(cache_mb * 1e6)))
        elif self.folder is not None:  # copying off: an earlier run's copies would stay on the show's disk for good
            staging.clear_left(self.folder)
        self._hand_on(self.show)

    def reloaded(self, show: Any, cache_mb: float | None) -> None:
        """A reload's show: its films (a swapped stick's, copied before their scenes come), within
        the limit its [runtime] sets (`cache_mb`; None: keep the limit). Called on the render
        thread, which never waits on the stick here: the list is made on the lister's thread."""
        with self._handing:
            self.show = show  # (a watcher's list of the old show, handed on after this, gives way)
        cache = staging.current()
        if cache is None and cache_mb and self.folder is not None:
            log.info("films on another drive are copied to the show's disk from now on ([runtime] film_cache_mb = "
                     "%g, set by a reload)", cache_mb)
            staging.use(FilmCache(self.folder, int(cache_mb * 1e6)))
        with self._handing:
            self._wanted = (show, None if cache_mb is None else int(cache_mb * 1e6))
            if self._lister is None:  # (one running takes the newest wanted list before it ends)
                self._lister = threading.Thread(target=self._list_reloads, name="bayard-films-ahead", daemon=True)
                self._lister.start()

    def _list_reloads(self) -> None:
        while True:
            with self._handing:
                wanted, self._wanted = self._wanted, None
                if wanted is None:
                    self._lister = None
                    return
            try:
                self._hand_on(*wanted)
            except Exception:  # a worker's boundary: the films play from the stick as before
                log.exception("the reloaded show's films could not be copied ahead")

    def added(self, films: list[Path] | None = None) -> str:
        """Films new in a loop's folder (the watcher's thread): the playing show's films again,
        the new ones among them, in playlist order. Returns what becomes of `films`, for the
        watcher's log line (with copying off it said they were "copied ahead", and nothing was)."""
        cache = staging.current()
        self._hand_on(self.show)
        away = sum(staging.elsewhere(Path(film)) for film in films or [])
        if films and not away:
            return "played from the show's own disk (nothing to copy)"
        if cache is None:
            if self.folder is None:
                return "played from where they lie (no folder on the show's disk to copy films to)"
            return "played from where they lie: film copying is off ([runtime] film_cache_mb = 0)"
        said = "copied ahead to the show's disk, as far as [runtime] film_cache_mb allows"
        return said if away == len(films or []) else f"those on another drive {said}"

    def _hand_on(self, show: Any, limit_bytes: int | None = None) -> None:
        cache = staging.current()
        if cache is None or not getattr(show, "scenes", None):
            return
        films = [path for path in show_films(show) if cache.elsewhere(path)]  # (globs the stick: not under the lock)
        with self._handing:
            if show is not self.show:
                log.debug("a reload came while the show's folders were looked at: its own films are copied ahead")
                return
            cache.stage_ahead(films, limit_bytes)
