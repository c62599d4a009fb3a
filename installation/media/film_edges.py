"""What a film on a USB stick is known by besides its path, size and time: a hash of its
first and last MiB (its "edges"), read at each showing, and the book of the edges each film
had at its last look.

A read of the edges is given a deadline where the film's last look can stand in for it (the
film's size, time and inode unchanged since): a stick going bad blocks a read for the
kernel's error handling (tens of seconds) before it fails, and the showing of the film waited
all that time, its picture black, before the EIO fallback played its copy. The read goes on,
on a thread of its own, and its answer is kept when it comes; the showing takes the last
look's edges at the deadline (its copy, made whole then, plays) and the log names the slow
drive once. A film never looked at, or changed since its last look, has no stand-in: its
copy must be read off the stick anyway, and its look waits as the copy will.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .drives import mount_point

log = logging.getLogger("bayard.media.staging")  # (the film cache's logger: film_room.py)

EDGE_BYTES = 2**20  # how much of a film's start and of its end tells one film from another (below)
# The most a showing waits on a film's edges where its last look can stand in: 2 MiB off a
# slow USB 2 stick (8 MB/s) take a quarter of a second; a drive past this is failing or waking.
EDGES_DEADLINE_S = 2.0
# Films whose edges are kept (the least recently looked at go first): far more than a show's
# folder holds, so a copy ahead never reads a film's edges again for want of room, and a
# loop's folder fed new films for months does not grow the book without end.
EDGES_KEPT = 4096

Stamp = tuple[int, int, int]  # a film's (size, modification time, inode)


def edges_digest(film: Path, size: int) -> str:
    """A hash of `film`'s first and last EDGE_BYTES (all of a shorter film): what a copy is
    known by besides the film's path, size and time. A film replaced by another of the same
    size with its time kept (cp -p, rsync -t; a FAT stick keeps no change time) was taken for
    the film copied before it and the old film played on. Two MiB off the stick at each look
    (tens of milliseconds) where reading the whole film would take seconds: another cut of a
    film differs in its first frames (its header, its frame index) or its last."""
    digest = hashlib.sha256()
    with open(film, "rb") as handle:
        digest.update(handle.read(EDGE_BYTES))
        if size > EDGE_BYTES:
            handle.seek(max(EDGE_BYTES, size - EDGE_BYTES))
            digest.update(handle.read(EDGE_BYTES))
    return digest.hexdigest()


class _Read:
    """One read of a film's edges on its own thread; every look at the film waits on it."""

    def __init__(self, stamp: Stamp, deadline: float) -> None:
        self.stamp = stamp
        self.deadline = deadline  # (monotonic) when a look stops waiting for it
        self.done = threading.Event()
        self.digest: str | None = None
        self.error: OSError | None = None


class FilmEdges:
    """The edges of each film at its last look, and reads of them with a deadline. Safe from
    any thread (the films' decoder threads and the copy ahead look at once)."""

    def __init__(self, read: Callable[[Path, int], str]) -> None:
        self._read = read  # (film, size) -> its edges' hash; raises OSError
        self._lock = threading.Lock()
        self._book: dict[Path, tuple[Stamp, str]] = {}  # least recently looked at first
        self._reading: dict[Path, _Read] = {}  # a read under way (maybe hung) for each film
        self._said_failing: set[Path] = set()  # films whose failing drive was said (once a film)
        self._said_slow: set[str] = set()  # drives said to be slow (once a drive)

    def __len__(self) -> int:
        return len(self._book)

    def clear(self) -> None:
        with self._lock:
            self._book.clear()

    def look(self, film: Path, stamp: Stamp, fresh: bool = True) -> str:
        """The hash of `film`'s edges. `fresh`: read them now, else take those of the film's
        last look while its stamp stands. Raises OSError where they cannot be read and its last
        look cannot stand in; where it can, a failing read (EIO) or one past EDGES_DEADLINE_S
        gives the last look's, said once."""
        known = self._book.get(film)
        if known is not None and known[0] != stamp:
            known = None  # (another film now, or the same one changed: its last look says nothing)
        if known is not None and not fresh:
            self._keep(film, known)
            return known[1]
        if known is None:
            digest = self._read(film, stamp[0])  # no stand-in: the look waits (as its copy will)
            self._keep(film, (stamp, digest))
            return digest
        read = self._start(film, stamp)
        if not read.done.wait(max(0.0, read.deadline - time.monotonic())):
            self._say_slow(film)
            return known[1]
        if read.error is not None:
            self._say_failing(film, read.error)
            return known[1]
        assert read.digest is not None  # (done with no error: the reader set it)
        return read.digest

    def _start(self, film: Path, stamp: Stamp) -> _Read:
        """The read under way for `film` at `stamp` (the picture's and the sound's looks of one
        showing share it), else a new one. A read hung past its deadline is not started again:
        its drive's next answer ends it, and a thread a showing would only pile up behind it."""
        with self._lock:
            read = self._reading.get(film)
            if read is not None and read.stamp == stamp:
                return read
            read = self._reading[film] = _Read(stamp, time.monotonic() + EDGES_DEADLINE_S)

        def run() -> None:
            try:
                read.digest = self._read(film, stamp[0])
                self._keep(film, (stamp, read.digest))
            except OSError as exc:
                read.error = exc
            except Exception as exc:  # worker boundary: a bug reads as a failed look, never a hang
                log.exception("reading the edges of %s failed", film)
                read.error = OSError(str(exc))
            finally:
                read.done.set()
                with self._lock:
                    if self._reading.get(film) is read:
                        del self._reading[film]

        threading.Thread(target=run, name="film edges", daemon=True).start()
        return read

    def _keep(self, film: Path, entry: tuple[Stamp, str]) -> None:
        """Book `entry` as `film`'s last look, the least recently looked at past EDGES_KEPT out."""
        with self._lock:
            self._book.pop(film, None)
            self._book[film] = entry
            while len(self._book) > EDGES_KEPT:
                gone = next(iter(self._book))
                del self._book[gone]
                self._said_failing.discard(gone)

    def _say_failing(self, film: Path, exc: OSError) -> None:
        with self._lock:
            if film in self._said_failing:
                return
            self._said_failing.add(film)
        log.warning("%s: its drive failed to read it (%s); it plays from the copy made at its last whole read, "
                    "but the drive may be failing: copy the show's films onto another drive", film,
                    exc.strerror or exc)

    def _say_slow(self, film: Path) -> None:
        drive = str(mount_point(film))
        with self._lock:
            if drive in self._said_slow:
                return
            self._said_slow.add(drive)
        log.warning("the drive at %s gave nothing of %s within %.0f s (a drive failing, or one waking from "
                    "sleep): its films copied before play from those copies, a showing waiting %.0f s at "
                    "most on the drive; if this is said again after a restart, copy the show's films onto "
                    "another drive", drive, film, EDGES_DEADLINE_S, EDGES_DEADLINE_S)
