"""ffmpeg's reading of a film, on a thread of its own, waited on with a deadline.

A film that plays from a USB stick (copying off, or a film too large for the cache) is read by
ffmpeg while it plays. When the stick hangs in its reads, ffmpeg waits in the kernel, sends no
more frames, and a decoder reading its pipe waited with it: that showing never ended (a long
film's frame frozen until its header's length ran out, a looping film for good), and each
later showing of the film left one more decoder there, until the kernel gave up on the drive.
Nothing can interrupt that wait, so the decoder does not make it: the reading runs on a thread
of its own (`FilmReads`), and the decoder takes each frame with LOOK_DEADLINE_S to come
(looks.py: the same bound as a film's first look). Past it the showing fails with NoAnswer
(the card or the next scene, the technician told which file). A reading its decoder left while
a read was under way (past the deadline, or its showing ended) is kept in view until its read
returns, and no other reading of that file starts meanwhile: a later showing fails at once where
the reading is overdue, or waits for it up to the deadline. So at most one thread per file
waits on a stick; once its read returns (the kernel gives up, or the stick answers), the file is
read afresh at its next showing.
The reading thread only reads and hands over bytes: never pygame, never a scene.
"""

from __future__ import annotations

import errno
import os
import queue
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from . import looks

_POLL_S = 0.1  # how soon a showing that ended stops waiting for its reading
_DONE = object()  # the reading came to the film's end


class _Failed:
    """The reading's own error, handed to the decoder to raise there."""

    def __init__(self, error: Exception) -> None:
        self.error = error


# Readings their decoder left before they returned: past their deadline (`overdue`), or their
# showing ended while a read was under way. A later reading of the same file waits for them.
_left: dict[str, FilmReads] = {}
_guard = threading.Lock()


def stuck() -> list[str]:
    """Files with a reading left waiting on its drive (status, tests)."""
    with _guard:
        return sorted(_left)


def clear_to_read(path: Path, stop: threading.Event) -> None:
    """Return once no earlier reading of `path` waits on its drive. NoAnswer at once where one
    is overdue, after LOOK_DEADLINE_S where one left by an ended showing has not returned (a
    healthy one returns within moments), and when `stop` is set meanwhile."""
    with _guard:
        left = _left.get(os.fspath(path))
    if left is None:
        return
    if left.overdue:
        raise _silent(Path(path), "has not answered since an earlier showing read from it")
    waited = 0.0
    while not left.returned.wait(_POLL_S):
        if stop.is_set():
            raise looks.NoAnswer(errno.EINTR, f"the showing ended while an earlier reading of {path} was waited on")
        waited += _POLL_S
        if waited >= looks.LOOK_DEADLINE_S:
            raise _silent(Path(path), f"did not answer within {looks.LOOK_DEADLINE_S:g} s")


def _silent(path: Path, what: str) -> looks.NoAnswer:
    return looks.NoAnswer(errno.ETIMEDOUT, f"the drive holding {path} {what} (a USB stick failing?); "
                          "check the drive, or copy the film to the show's disk")


class FilmReads:
    """One reading of one file: `open_items()` (ffmpeg's header, then its frames) run on a
    thread of its own; the decoder takes its items with `take`."""

    def __init__(self, path: Path, open_items: Callable[[], Iterator[Any]]) -> None:
        self.path, self._key = Path(path), os.fspath(path)
        self._items: queue.Queue = queue.Queue(maxsize=1)  # (one frame ahead of the decoder's own queue)
        self._quit = threading.Event()  # the decoder is done with this reading
        self.returned = threading.Event()  # (set under _guard) the reading thread has ended
        self.overdue = False  # its decoder gave up waiting on it
        threading.Thread(target=self._run, args=(open_items,), name="bayard-film-read", daemon=True).start()

    def take(self, stop: threading.Event) -> Any:
        """The reading's next item. StopIteration at the film's end or once `stop` is set; the
        reading's own error; NoAnswer when nothing came for LOOK_DEADLINE_S."""
        waited = 0.0
        while True:
            try:
                item = self._items.get(timeout=_POLL_S)
                break
            except queue.Empty:
                if stop.is_set():
                    raise StopIteration from None
                waited += _POLL_S
                if waited >= looks.LOOK_DEADLINE_S:
                    self.overdue = True
                    self.close()
                    raise _silent(self.path, f"did not answer within {looks.LOOK_DEADLINE_S:g} s") from None
        if item is _DONE:
            raise StopIteration
        if isinstance(item, _Failed):
            raise item.error
        return item

    def close(self) -> None:
        """The decoder is done: the reading stops at its next item (its reader closed there);
        one still in a read is left for the next reading of its file to wait on."""
        self._quit.set()
        with _guard:
            if not self.returned.is_set():
                _left[self._key] = self

    def _run(self, open_items: Callable[[], Iterator[Any]]) -> None:
        try:
            items = open_items()
            try:
                for item in items:
                    if not self._hand(item):
                        return
            finally:
                close = getattr(items, "close", None)
                if close is not None:
                    close()  # (ffmpeg stopped; on a drive still hung it goes when the kernel lets it)
            self._hand(_DONE)
        except Exception as exc:  # the decoder's to raise: it reports a film's trouble, or a bug
            self._hand(_Failed(exc))
        finally:
            with _guard:
                self.returned.set()
                if _left.get(self._key) is self:
                    del _left[self._key]

    def _hand(self, item: Any) -> bool:
        while not self._quit.is_set():
            try:
                self._items.put(item, timeout=_POLL_S)
                return True
            except queue.Full:
                continue
        return False
