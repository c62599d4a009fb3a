"""Films copied off a removable drive before they play, so the drive is free to go.

A film that lies on another drive than the show's film cache (a USB stick holding the
show or its content folder) is copied into the cache, on the show's own disk, before its
decoder opens it: the stick is then read only while a film is copied, a few seconds before
its scene, and a technician can unmount or pull it while the film plays. A copy is found
again by the film's path, size, modification time and a hash of its first and last MiB, so a
stick swapped for one whose film changed (another size or time, or another film of the same
size copied with its time kept) is copied anew, and the same film on the same stick is not.

What the cache may hold, and which copies go, is film_room.py's. A film that cannot be copied
for room, or a cache folder that cannot be written, leaves the film playing from its drive,
with one log line that says why; nothing is ever written beside the film. Copies are written
to a part file and renamed, so a power cut leaves no half film that could be taken for a
whole one.

`use(cache)` installs the show's cache (runtime.engine_hook does, from the environment);
without one, films play from where they are.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

# (apart, cache_folder, mb_text, needed_mb, KEEP_FREE_BYTES: `check` and the service's, from here as before)
from . import looks
from .drives import apart, cache_folder  # noqa: F401
from .film_room import KEEP_FREE_BYTES, PART, FilmRoom, clear_left, log, mb_text, needed_mb  # noqa: F401

CHUNK_BYTES = 4 * 2**20


def _discard(part: Path) -> None:
    """Remove a part file. On a disk gone read-only even a part never written cannot be
    unlinked (the kernel refuses before it looks): that refusal faulted the film."""
    with contextlib.suppress(OSError):
        part.unlink(missing_ok=True)


def _read_film(film: Path) -> BinaryIO:
    return open(film, "rb")  # noqa: SIM115 (the copy's with-block closes it)


class FilmCache(FilmRoom):
    """Local copies of films that live on another drive. Thread-safe: sources stage from
    their own decoder threads."""

    def __init__(self, root: Path, limit_bytes: int, keep_free_bytes: int = KEEP_FREE_BYTES,
                 elsewhere: Callable[[Path], bool] | None = None,
                 open_film: Callable[[Path], BinaryIO] | None = None) -> None:
        super().__init__(root, limit_bytes, keep_free_bytes, elsewhere)
        # How a film is read for its copy (tests hand in a slow stick).
        self._open = open_film or _read_film
        # Two locks. `_lock` guards the cache's books (which copies are held, last used, the
        # plan) and is held for moments only: a film ending releases its copy under it, on its
        # decoder thread, and its scene cannot end before that (a film ending once waited there
        # for the whole of another film's copy ahead, its last frame frozen on screen).
        # `_copying` lets one copy run at a time (one stick, read in one stream); a copy is
        # written outside `_lock` and published under it.
        self._lock = threading.Lock()
        self._copying = threading.Lock()
        self._part: Path | None = None  # the part file a copy is writing now (not one a power cut left)
        self._said: set[tuple[Path, str]] = set()  # (a film, why without its figures)
        self.copied = 0  # films copied since start (status, tests)
        self.fallbacks = 0  # showings of a film played from its drive for want of room
        self._ahead_stop = threading.Event()
        # stage_ahead is called from the render thread (a reload) and the watcher's (new films in a
        # loop's folder); the limit a reload asked for is applied by whichever call's work runs.
        self._ahead_swap = threading.Lock()
        self._limit_asked: int | None = None
        # The film a copy ahead is staging now, and the event that abandons its copy: a later
        # call that still wants that film lets the copy run on (see stage_ahead).
        self._under_way: tuple[Path, threading.Event] | None = None

    @contextmanager
    def staged(self, film: Path, stop: threading.Event | None = None,
               showing: bool = True, ahead: bool = False) -> Iterator[Path | None]:
        """The path to play `film` from while the block runs: a local copy when the film
        lies on another drive, else the film itself; None when `stop` was set during a copy.
        The copy is kept from eviction until the block ends. `showing`: False for a second
        look at the same showing (its sound) or a copy ahead, not counted in `from_drive`.
        `ahead`: the copy ahead's look, the only one that may take a film's edges from its
        last look (see _copy_path); a showing's picture and its sound both read them afresh:
        the sound, often the first to look, took the last showing's, and a film replaced with
        its size and time kept played the old cut's sound over the new cut's picture."""
        film = Path(film)
        play = self._stage(film, stop, showing, ahead)  # a copy comes back held (see _hold)
        try:
            yield play
        finally:
            if play is not None and play != film:
                with self._lock:
                    self._release(play)

    def _stage(self, film: Path, stop: threading.Event | None, showing: bool = True,
               ahead: bool = False) -> Path | None:
        try:
            st = looks.look(film, stop)  # (one look per film at a time, with a deadline: looks.py)
        except looks.NoAnswer as silent:
            try:  # the copy it last played from, if any; else the showing fails saying why
                return self._last_copy(film, stop)
            except RuntimeError:
                raise silent from None
        except OSError:
            return self._last_copy(film, stop)
        if self.limit_bytes <= 0 or not self.elsewhere(film):
            return film
        try:
            copy = self._copy_path(film, st, fresh=not ahead)  # (off the stick before the lock, as _sized)
        except OSError:
            if not film.is_file():
                return self._last_copy(film, stop)  # (the drive went between the two looks)
            return film  # (present but unreadable: its decoder says why when it opens it)
        if not self._acquire(self._lock, stop):
            return None
        try:
            found = self._found(film, copy, st)
        finally:
            self._lock.release()
        if found is not None:  # (copied already: no wait on a copy of another film)
            return found
        # Not copied yet: wait for the stick to be free, then look again (the copy waited on
        # may have been this film's own, made ahead).
        if not self._acquire(self._copying, stop):
            return None
        try:
            return self._copy_in(film, copy, st, stop, showing)
        finally:
            self._copying.release()

    def _last_copy(self, film: Path, stop: threading.Event | None) -> Path | None:
        """The drive is out: the copy this film last played from, if it is still here."""
        if not self._acquire(self._lock, stop):
            return None
        try:
            last = self._last.get(film)
            if last is not None and last.is_file():
                return self._hold(last)
        finally:
            self._lock.release()
        raise RuntimeError("file not found") from None

    def _found(self, film: Path, copy: Path, st: os.stat_result) -> Path | None:
        """`copy`, held for `film`, where it is whole in the cache (called with the lock held)."""
        if copy.is_file() and copy.stat().st_size == st.st_size:
            self._replan(film, copy)
            self._touch(copy)
            self._last[film] = copy
            return self._hold(copy)
        return None

    def _acquire(self, lock: threading.Lock, stop: threading.Event | None) -> bool:
        """`lock` (the books, or the stick another film is copying from), or False once `stop` is set."""
        while not lock.acquire(timeout=0.1):
            if stop is not None and stop.is_set():
                return False
        return True

    def _hold(self, copy: Path) -> Path:
        """`copy`, kept from eviction until its `staged` block ends; called with the lock
        held. (Held only once its decoder came back for it, a copy could be evicted in the
        moment between, by the films-ahead thread waiting on the lock to make room.)"""
        self._in_use[copy] = self._in_use.get(copy, 0) + 1
        return copy

    def _copy_in(self, film: Path, copy: Path, st: os.stat_result, stop: threading.Event | None,
                 showing: bool) -> Path | None:
        """Copy `film` into the cache (called with `_copying` held): room is made under the
        books' lock, the film is read and written outside it, and the copy is published under
        it again, so a film ending or starting from its copy never waits on this one."""
        if not self._acquire(self._lock, stop):
            return None
        try:
            if self.limit_bytes <= 0:  # a reload turned copying off while this film waited on a copy
                return film
            found = self._found(film, copy, st)
            if found is not None:
                return found
            self._replan(film, copy)
            why = self._make_room(st.st_size, copy)
            if why:
                return self._fall_back(film, why, showing)
            part = self._part = copy.with_name(f"{copy.name}.{os.getpid()}{PART}")
        finally:
            self._lock.release()
        try:
            whole = self._write(film, part, st, stop)
        except RuntimeError:
            with self._lock:
                self._part = None
            raise
        with self._lock:
            self._part = None
            if whole is None:
                return None
            if whole is not True:
                return self._fall_back(film, f"copying it to {self.root} failed ({whole})", showing)
            if self.limit_bytes <= 0:  # a reload turned copying off while it was copied
                _discard(part)
                return film
            try:
                os.replace(part, copy)
            except OSError as exc:
                _discard(part)
                return self._fall_back(film, f"copying it to {self.root} failed ({exc.strerror or exc})", showing)
            self.copied += 1
            log.info("%s copied to the show's disk (%s, %.0f MB): its drive may be taken out while it plays",
                     film.name, copy, st.st_size / 1e6)
            self._touch(copy)
            self._last[film] = copy
            self._hold(copy)
            if sum(size for _, size, _ in self._entries()) > self.limit_bytes:
                self._trim(say=False)  # (a reload lowered the limit while it was copied)
            return copy

    def _write(self, film: Path, part: Path, st: os.stat_result, stop: threading.Event | None) -> bool | str | None:
        """Read `film` into `part` (without the books' lock): True once whole, None when
        `stop` was set, else why not (the part then removed). Raises RuntimeError where the
        film went or changed meanwhile."""
        try:
            written = 0
            with self._open(film) as src, open(part, "wb") as dst:
                while chunk := src.read(CHUNK_BYTES):
                    if stop is not None and stop.is_set():
                        _discard(part)
                        return None
                    dst.write(chunk)
                    written += len(chunk)
                dst.flush()
                os.fsync(dst.fileno())
            after = film.stat()
            if (after.st_size, after.st_mtime_ns) != (st.st_size, st.st_mtime_ns):
                _discard(part)
                raise RuntimeError("changed while it was being copied (a copy onto the drive still in progress?)")
            if written != st.st_size:  # a failing drive's read that ended early without an error
                _discard(part)
                return f"its drive gave {written:,} of its {st.st_size:,} bytes; the drive may be failing"
        except OSError as exc:
            _discard(part)
            if not film.is_file():
                raise RuntimeError("file not found (its drive went while it was copied)") from None
            return str(exc.strerror or exc)
        return True

    def _fall_back(self, film: Path, why: str, showing: bool = True) -> Path:
        self.fallbacks += showing  # (a film's sound and its copy ahead are not showings of their own)
        # Once a film and reason: the figures in `why` change from one showing to the next,
        # but a new reason (the disk gone read-only after it was full) is news to the technician.
        said = (film, re.sub(r"[0-9.]+", "#", why))
        if said not in self._said:
            self._said.add(said)
            log.warning("%s plays from its drive, not from a copy on the show's disk: %s; the drive cannot be "
                        "unmounted while it plays", film, why)
        return film

    def stage_ahead(self, films: list[Path], limit_bytes: int | None = None) -> threading.Thread:
        """Copy `films` (a show's, in playlist order) in the background, one after another, so
        a film is on the show's disk before its scene first comes round, not copied while the
        visitor waits. Only as many as fit the cache's limit together (more would push each
        other out): a film that does not fit is passed over, not the end of the work (a long
        opening film larger than the cache left every film after it to its scene); a call
        replaces the last one's work (a reload, new films in a loop's folder), though a copy
        under way of a film it still wants runs on (a film new in a loop's folder threw away
        a long film's copy and began it again, for every new film). `limit_bytes`: a new limit
        (a reload that changed it: a copy under way is then abandoned), applied on this thread:
        waiting there for a copy in progress to end would stall the show's frames."""
        with self._ahead_swap:
            self._ahead_stop.set()
            under_way = self._under_way
            if under_way is not None and (limit_bytes is not None or under_way[0] not in {Path(f) for f in films}):
                under_way[1].set()
            stop = self._ahead_stop = threading.Event()
            abandon = threading.Event()  # (this call's copy under way: set by a later call, or close)
            if limit_bytes is not None:
                self._limit_asked = int(limit_bytes)
            limit_bytes = self._limit_asked  # (a later call stops this one's thread, maybe before it set it)

        def run() -> None:
            sized = self._sized(films)  # (off the stick before the lock: see _sized)
            # A part file a power cut or a kill left mid-copy: cleared before a new copy, it
            # stayed for good (uncounted in status) where every film was already copied.
            if not self._acquire(self._lock, stop):
                return
            if stop.is_set():  # a later call's thread, handed the lock first, has set its limit and plan
                self._lock.release()
                return
            try:
                with contextlib.suppress(OSError):  # (a cache that cannot be read: said at a copy)
                    for stale in self.root.glob(f"*{PART}"):
                        if stale != self._part:  # (a film's copy under way is not a power cut's)
                            _discard(stale)
                resized = limit_bytes is not None and self._resize(limit_bytes)
                plan = self._plan(sized)
                if resized:
                    self._trim()
            finally:
                self._lock.release()
            for film in plan:
                with self._ahead_swap:  # (a later call sees the film under way, or this one stops)
                    if stop.is_set():
                        return
                    self._under_way = (film, abandon)
                try:
                    with self.staged(film, abandon, showing=False, ahead=True):
                        pass
                except (OSError, RuntimeError):
                    continue  # out of reach or changing: its scene says so when it comes
                except Exception:  # worker boundary: a bug here must not take the show down
                    log.exception("copying the show's films ahead stopped at %s", film)
                    return
                finally:
                    with self._ahead_swap:
                        if self._under_way is not None and self._under_way[1] is abandon:
                            self._under_way = None

        thread = threading.Thread(target=run, name="films ahead", daemon=True)
        thread.start()
        return thread

    def close(self) -> None:
        with self._ahead_swap:
            self._ahead_stop.set()
            if self._under_way is not None:
                self._under_way[1].set()

    def status(self) -> dict[str, object]:
        entries = self._entries() if self.root.is_dir() else []
        status: dict[str, object] = {
            "folder": str(self.root), "films": len(entries), "mb": round(sum(s for _, s, _ in entries) / 1e6, 1),
            "limit_mb": round(self.limit_bytes / 1e6, 1), "copied": self.copied, "from_drive": self.fallbacks,
            "show_films_mb": round(self.playlist_bytes / 1e6, 1)}
        if self.playlist_bytes > self.limit_bytes > 0:
            status["too_small"] = (f"the show's films on their drive need {mb_text(self.playlist_bytes)} MB: set "
                                   f"[runtime] film_cache_mb = {needed_mb(self.playlist_bytes)} to copy them all")
        return status


_cache: FilmCache | None = None
_home: Path | None = None  # a folder on the show's own disk, known with or without a cache


def use(cache: FilmCache | None) -> None:
    """Install the show's film cache (None: films play from where they are)."""
    global _cache
    if _cache is not None and _cache is not cache:
        _cache.close()
    _cache = cache


def use_home(folder: Path | None) -> None:
    """Name the show's own disk (the film cache's folder, used or not), so pictures on a
    USB stick are told apart with film copying off ([runtime] film_cache_mb = 0) too."""
    global _home
    _home = None if folder is None else Path(folder)


def current() -> FilmCache | None:
    return _cache


def elsewhere(path: Path) -> bool:
    """Whether `path` lies on another drive than the show's disk (a USB stick): as the film
    cache tells it, or by the show's disk alone where films are not copied."""
    cache = _cache
    if cache is not None:
        return cache.elsewhere(Path(path))
    return _home is not None and apart(path, _home)


@contextmanager
def staged(film: Path, stop: threading.Event | None = None, showing: bool = True) -> Iterator[Path | None]:
    """The path to play `film` from (see FilmCache.staged); the film itself without a cache."""
    cache = _cache
    if cache is None:
        yield Path(film)
        return
    with cache.staged(film, stop, showing) as play:
        yield play
