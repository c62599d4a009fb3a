"""What the film cache may hold: its limit, the show's films it keeps, which copies go.

The cache never grows past its limit (the films used least recently go first, never one that
plays) and never takes the disk below `KEEP_FREE_BYTES` (logs, statistics and recordings
share it). Where the show's films on a drive do not all fit, the first that fit together in
playlist order are the plan: their copies stay, and a film outside the plan plays from its
drive rather than push one of them out (each showing then evicted the copy the next showing
needed, and every film was copied again at every showing). Copying the films lives in
staging.py, on top of this.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from .drives import apart
from .film_edges import EDGE_BYTES, FilmEdges, edges_digest  # noqa: F401 (EDGE_BYTES: the bench's, from here)

log = logging.getLogger("bayard.media.staging")  # (one logger for the film cache, as before the split)

KEEP_FREE_BYTES = 512 * 2**20  # the show's disk keeps this much room after a copy
PART = ".part"
COPY_NAME = re.compile(r"[0-9a-f]{20}(\.[^.]*)?(\.[0-9]+\.part)?")  # a copy (_copy_path), or a part of one


def _read_edges(film: Path, size: int) -> str:
    return edges_digest(film, size)  # (this module's name, looked up at each read: tests hand in a failing stick)


def mb_text(size_bytes: float) -> str:
    """MB for a line of the log or `check`: whole MB, a tenth below 10 (1.4 MB is not "1 MB")."""
    mb = size_bytes / 1e6
    return f"{mb:,.0f}" if mb >= 10 else f"{mb:.1f}"


def needed_mb(size_bytes: int) -> int:
    """[runtime] film_cache_mb that holds `size_bytes` of films (whole MB, rounded up)."""
    return -(-int(size_bytes) // 1_000_000)


def _copies(count: int) -> str:
    return "1 copy" if count == 1 else f"{count} copies"


def clear_left(folder: Path) -> None:
    """Copying off at start ([runtime] film_cache_mb = 0, so no film cache is made): remove
    the copies an earlier run left in the cache's folder, which else stayed there for good (a
    disk slowly filled by a setting meant to use none). No film plays yet at a start; only
    files named as the cache names its copies go."""
    removed = []
    with contextlib.suppress(OSError):  # (no folder: nothing left; one that cannot be read: nothing to do)
        for path in Path(folder).iterdir():
            if not COPY_NAME.fullmatch(path.name):
                continue
            with contextlib.suppress(OSError):
                size = path.lstat().st_size
                if path.is_file() and not path.is_symlink():
                    path.unlink()
                    removed.append(size)
    if removed:
        log.info("removed %s of films (%s MB) an earlier run left in the film cache %s: [runtime] film_cache_mb "
                 "= 0 turns copying off", _copies(len(removed)), mb_text(sum(removed)), folder)


class FilmRoom:
    """The copies in a film cache's folder and the rules for which stay. Not locked itself:
    FilmCache calls the methods marked "with the lock held" under its lock."""

    def __init__(self, root: Path, limit_bytes: int, keep_free_bytes: int = KEEP_FREE_BYTES,
                 elsewhere: Callable[[Path], bool] | None = None) -> None:
        self.root = Path(root)
        self.limit_bytes = int(limit_bytes)
        self.keep_free_bytes = int(keep_free_bytes)
        self._elsewhere = elsewhere
        self._in_use: dict[Path, int] = {}  # a copy a film plays from -> how many hold it
        self._last: dict[Path, Path] = {}  # a film -> the copy it last played from
        # The copies of the show's films that the cache holds for good (stage_ahead: the first
        # that fit together, in playlist order), and what the show's films on a drive need.
        # A film outside the plan never evicts one inside it: where the films did not all fit,
        # each showing evicted the copy the next showing needed, and every film was copied
        # again at every showing.
        self._planned_for: dict[Path, Path] = {}  # a film in the plan -> its planned copy
        self.playlist_bytes = 0
        self._held_past_limit = False  # a copy past the limit stays while a film plays from it
        # each film's edges at its last look (see _copy_path): read off the lock by the decoder
        # threads and the copy ahead, with a deadline where the last look can stand in
        self._edges = FilmEdges(_read_edges)

    def elsewhere(self, film: Path) -> bool:
        """Whether `film` lies on another drive than the cache."""
        if self._elsewhere is not None:
            return self._elsewhere(film)
        return apart(film, self.root)

    def _copy_path(self, film: Path, st: os.stat_result, fresh: bool = True) -> Path:
        """Where `film` is copied: named by its path, size, time and edges (a changed film is
        another copy). Reads the film's edges: call it without the lock (see _sized); raises
        OSError where the film cannot be read. `fresh`: False for a look that may take the
        edges read at the film's last look while its size and time are the same (the copy
        ahead of a loop's folder: a new film in it read every film's edges again, megabytes
        a film off the stick); a showing reads them afresh, so a replaced film is copied
        anew at the latest when it plays. A drive that fails to read the edges (EIO) of a
        film whose size, time and inode stand, or takes longer than EDGES_DEADLINE_S to
        (film_edges.py), gives the edges of its last look: the film's copy, made whole then,
        plays (it played from the failing drive, or waited out the kernel's error handling)."""
        edges = self._edges.look(film, (st.st_size, st.st_mtime_ns, st.st_ino), fresh)
        name = hashlib.sha256(f"{film.resolve()}\0{st.st_size}\0{st.st_mtime_ns}\0{edges}".encode()).hexdigest()[:20]
        return self.root / f"{name}{film.suffix.lower()}"

    def _resize(self, limit_bytes: int) -> bool:
        """A reload changed [runtime] film_cache_mb (called with the lock held): the new limit
        holds from now on; whether it changed (its copies past it go in _trim)."""
        if int(limit_bytes) == self.limit_bytes:
            return False
        log.info("the film cache's limit is now %.0f MB ([runtime] film_cache_mb, changed by a reload; it was "
                 "%.0f MB)", limit_bytes / 1e6, self.limit_bytes / 1e6)
        self.limit_bytes = int(limit_bytes)
        return True

    def _trim(self, say: bool = True) -> None:
        """Remove copies past the limit at once (called with the lock held, after _plan): those
        outside the show's plan first, then the least recently used, never one a film plays
        from; at 0 every copy not playing goes. (The least recently used alone took the
        playlist's first film, copied first, which the plan then copied from the stick again.)
        A copy left past the limit because a film plays from it goes when the film ends
        (_release): at 0 nothing is copied again, so nothing else would ever remove it."""
        removed = []
        with contextlib.suppress(OSError):  # (a cache that cannot be written: said at a copy)
            entries = self._entries()
            total = sum(size for _, size, _ in entries)
            planned = self._planned()
            for _, size, copy in sorted(entries, key=lambda entry: entry[2] in planned):
                if total <= self.limit_bytes:
                    break
                if copy not in self._in_use:
                    copy.unlink(missing_ok=True)
                    self._last = {k: v for k, v in self._last.items() if v != copy}
                    total -= size
                    removed.append(size)
            self._held_past_limit = total > self.limit_bytes
        if say and (removed or self._held_past_limit):
            why = ("[runtime] film_cache_mb = 0 turns copying off" if self.limit_bytes <= 0 else
                   f"past its limit of {mb_text(self.limit_bytes)} MB ([runtime] film_cache_mb)")
            log.info("removed %s (%s MB) from the film cache %s: %s%s", _copies(len(removed)), mb_text(sum(removed)),
                     self.root, why, "; the copy a film plays from goes when it ends" if self._held_past_limit else "")

    def _release(self, copy: Path) -> None:
        """A film's hold on `copy` ends (called with the lock held): a copy the limit left only
        for the film goes now (said when the limit changed, not again)."""
        left = self._in_use.get(copy, 1) - 1
        if left:
            self._in_use[copy] = left
            return
        self._in_use.pop(copy, None)
        if self._held_past_limit:
            self._trim(say=False)

    def _touch(self, copy: Path) -> None:
        """Mark `copy` used last (evicted last): its time now, or just past the newest copy's
        where the clock stands behind that (set back since it was copied: the film just
        played was else the first to go, while a copy from before stayed)."""
        with contextlib.suppress(OSError):  # (a disk gone read-only still plays its copies)
            os.utime(copy)
            now = copy.stat().st_mtime_ns
            newest = max((used for used, _, path in self._entries() if path != copy), default=now)
            if newest >= now:
                os.utime(copy, ns=(newest + 1, newest + 1))

    def _entries(self) -> list[tuple[int, int, Path]]:
        """(last used, size, copy) for each copy, used longest ago first."""
        out = []
        for path in self.root.glob("*"):
            if path.name.endswith(PART):
                continue
            try:
                st = path.stat()
            except OSError:
                continue
            out.append((st.st_mtime_ns, st.st_size, path))
        return sorted(out)

    def _make_room(self, size: int, copy: Path | None = None) -> str:
        """Evict the films used least recently until `size` more (for `copy`) fits, never a
        copy the show's plan holds for another film (see _plan); why not, or ''."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            for stale in self.root.glob(f"*{PART}"):  # a copy a power cut or a kill left
                stale.unlink(missing_ok=True)
            entries = self._entries()
        except OSError as exc:
            return f"the film cache {self.root} cannot be written ({exc.strerror or exc})"
        if size > self.limit_bytes:
            return (f"it is larger ({size / 1e6:.0f} MB) than the film cache's limit "
                    f"({self.limit_bytes / 1e6:.0f} MB, [runtime] film_cache_mb)")
        planned = self._planned()
        kept = sum(s for _, s, path in entries if path in planned or path in self._in_use)
        if planned and copy not in planned and kept + size > self.limit_bytes:
            return (f"the film cache's {mb_text(self.limit_bytes)} MB hold the show's films that fit together, and "
                    f"the show's films on their drive need {mb_text(self.playlist_bytes)} MB: "
                    f"set [runtime] film_cache_mb = {needed_mb(self.playlist_bytes)} to copy them all")
        total = sum(s for _, s, _ in entries)
        while True:
            free = shutil.disk_usage(self.root).free
            if total + size <= self.limit_bytes and free - size >= self.keep_free_bytes:
                return ""
            victims = [e for e in entries if e[2] not in self._in_use and e[2] not in planned]
            if not victims:
                return (f"the disk of {self.root} has {free / 1e6:.0f} MB free, and a copy must leave "
                        f"{self.keep_free_bytes / 1e6:.0f} MB")
            _, vsize, victim = victims[0]
            entries.remove(victims[0])
            try:
                victim.unlink(missing_ok=True)
            except OSError as exc:  # a disk gone read-only after an error
                return f"the film cache {self.root} cannot be written ({exc.strerror or exc})"
            self._last = {k: v for k, v in self._last.items() if v != victim}
            total -= vsize

    def _replan(self, film: Path, copy: Path) -> None:
        """`copy` is now the copy of `film`, a film of the plan (called with the lock held):
        it takes the place of the copy planned for the film. A film replaced by another cut
        of its size with its time kept is another copy once a showing reads its edges, and
        the old cut's copy, planned, kept it out of a cache as large as the show's films:
        it played from its drive at every showing until a reload made the plan again."""
        if self._planned_for.get(film) not in (None, copy):
            self._planned_for[film] = copy

    def _planned(self) -> set[Path]:
        """The copies the plan holds for good (see __init__)."""
        return set(self._planned_for.values())

    def _sized(self, films: list[Path]) -> list[tuple[Path, int, Path]]:
        """(film, size, its copy's path) of each film in reach, for _plan: read off the stick
        WITHOUT the lock (a USB disk spun down answers its first look after seconds, and a
        film ending, which takes the lock, held its last frame on screen until it woke)."""
        sized = []
        for film in films:
            try:
                st = film.stat()
                sized.append((film, st.st_size, self._copy_path(film, st, fresh=False)))
            except OSError:
                continue  # out of reach: its scene says so when it comes
        return sized

    def _plan(self, films: list[tuple[Path, int, Path]]) -> list[Path]:
        """The films to hold copies of (`films` as _sized gives them): in playlist order, each
        that fits the room the films before it leave (called with the lock held). Their
        copies are never evicted for a film outside the plan, which plays from its drive instead."""
        room, plan, planned, total = self.limit_bytes, [], {}, 0
        for film, size, copy in films:
            total += size
            if size > room:
                continue
            room -= size
            plan.append(film)
            planned[film] = copy
        self._planned_for, self.playlist_bytes = planned, total
        if total > self.limit_bytes > 0:
            log.warning("the show's films on their drive need %s MB, more than the film cache's %s MB: the "
                        "first that fit together are copied, the rest play from the drive (which cannot be "
                        "unmounted while they play); set [runtime] film_cache_mb = %d to copy them all",
                        mb_text(total), mb_text(self.limit_bytes), needed_mb(total))
        return plan
