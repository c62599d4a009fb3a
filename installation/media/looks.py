"""A film's first look (its stat) at a showing's start: one outstanding look per path, waited
on with a deadline.

A stat on a USB stick that hangs in its reads does not return until the kernel gives up on the
drive (minutes at worst), and nothing can interrupt it. Each showing's decoder made its own, so
every showing of a film on such a stick (a loop coming round, the playlist again) left one more
thread stuck there. Here a path has at most one look under way, on a thread of its own; a showing
waits for it until its scene ends (`stop`) or LOOK_DEADLINE_S pass, then gives up with NoAnswer
(its film's card shows, the show goes on), and a later showing waits on the same look rather
than starting another. A look that returned is forgotten: the next showing looks afresh.
"""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

# Real time a showing waits for its film's drive to answer: far past a healthy stat (microseconds
# to a sleeping stick's spin-up), short enough that visitors see the film's card, not a still screen.
LOOK_DEADLINE_S = 5.0
_POLL_S = 0.1  # how soon a showing whose scene ended stops waiting


class NoAnswer(OSError):
    """The film's drive did not answer its look in time (or the showing ended while it waited)."""

    def __str__(self) -> str:  # (the technician's line, without "[Errno 110]")
        return str(self.strerror)


class _Look:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.result: os.stat_result | None = None
        self.error: OSError | None = None


_under_way: dict[str, _Look] = {}
_guard = threading.Lock()


def look(path: Path, stop: threading.Event | None = None) -> os.stat_result:
    """os.stat(path), sharing a look under way at the same path; NoAnswer past the deadline."""
    key = os.fspath(path)
    with _guard:
        pending = _under_way.get(key)
        if pending is None:
            pending = _under_way[key] = _Look()
            threading.Thread(target=_run, args=(key, pending), name="bayard-film-look", daemon=True).start()
    waited = 0.0
    while not pending.done.wait(_POLL_S):
        waited += _POLL_S
        if stop is not None and stop.is_set():
            raise NoAnswer(errno.EINTR, f"the showing ended while {path} was being looked at")
        if waited >= LOOK_DEADLINE_S:
            raise NoAnswer(errno.ETIMEDOUT, f"the drive holding {path} did not answer within {LOOK_DEADLINE_S:g} s "
                           "(a USB stick failing?); check the drive, or copy the film to the show's disk")
    if pending.error is not None:
        raise pending.error
    assert pending.result is not None
    return pending.result


def outstanding() -> int:
    """Looks still waiting on their drive (status, tests)."""
    with _guard:
        return len(_under_way)


def _run(key: str, pending: _Look) -> None:
    try:
        pending.result = os.stat(key)
    except OSError as exc:
        pending.error = exc
    finally:
        with _guard:
            if _under_way.get(key) is pending:
                del _under_way[key]
        pending.done.set()
