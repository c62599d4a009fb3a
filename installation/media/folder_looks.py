"""A loop's folder looked at again while it plays, off the render thread.

A loop looks at its folder every few seconds for files copied in or taken out. That look (a
listing and a stat per file) ran in the scene's update, on the render thread: 5000 files on a
slow stick held the screen for seconds, and a stick that hangs (the kernel holds a listdir or a
stat until it gives up on the drive, minutes at worst, and nothing can interrupt it) froze the
frame, which the watchdog may restart into the same hang.

Here a look runs on a thread of its own, one at a time per folder (content folder and pattern):
a loop asking while its folder's look is still under way, even a loop built again by a reload,
waits for that look rather than starting another, so a hung stick holds one thread, never one
per rescan. The answer comes back through a queue the scene reads in its update; a look
unanswered after LOOK_DEADLINE_S of show time is `hung`, and the loop plays what it has
meanwhile. Only the look's own scan function, this module's table and the queues are touched
from the thread: never pygame, the show or a scene.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from pathlib import Path

from .. import faults

# Show time a loop waits for its folder's look before saying the drive does not answer: far past
# a healthy look at thousands of files on a slow stick, short enough that a technician reading
# the overlay is told while the visitors still see the loop playing.
LOOK_DEADLINE_S = 20.0

Scan = Callable[[], list[str]]  # (the files found, as the scene names them: relative to its content folder)


class _Look:
    """One look under way at a folder, and the queues its answer goes to."""

    def __init__(self) -> None:
        self.waiting: list[queue.SimpleQueue[list[str] | None]] = []


_under_way: dict[tuple[str, str], _Look] = {}
_guard = threading.Lock()


def under_way() -> int:
    """Folder looks (each a thread) still waiting on their drive (status, tests, bench)."""
    with _guard:
        return len(_under_way)


class FolderLooks:
    """One loop's looks at its folder: `begin()` on the render thread when a look is due,
    `answer()` each frame. Neither waits on the drive."""

    def __init__(self, content_root: Path, pattern: str, scan: Scan, now: Callable[[], float],
                 scene_id: str = "", deadline_s: float | None = None) -> None:
        self._key = (str(content_root), pattern)
        self._scan = scan
        self._now = now
        self._scene_id = scene_id
        self._deadline_s = LOOK_DEADLINE_S if deadline_s is None else deadline_s
        self._answers: queue.SimpleQueue[list[str] | None] = queue.SimpleQueue()
        self._asked_at: float | None = None  # (show time this loop's look began; None: none asked)

    @property
    def asking(self) -> bool:
        """This loop waits for an answer (its look, or one under way before it asked)."""
        return self._asked_at is not None

    @property
    def hung(self) -> bool:
        """The look has gone unanswered past its deadline (the drive is slow or silent)."""
        return self._asked_at is not None and self._now() - self._asked_at >= self._deadline_s

    def begin(self) -> None:
        """Ask for a look at the folder, unless this loop already waits for one. A look under
        way at the same folder (another loop's, or this loop's before a reload built it again)
        answers this one too: no second thread on a drive that has not answered the first."""
        if self._asked_at is not None:
            return
        self._asked_at = self._now()
        with _guard:
            look = _under_way.get(self._key)
            if look is None:
                look = _under_way[self._key] = _Look()
                threading.Thread(target=self._run, args=(look,), name="bayard-folder-look", daemon=True).start()
            look.waiting.append(self._answers)

    def answer(self) -> list[str] | None:
        """The files the folder's last look found, once, when it has answered; else None."""
        try:
            found = self._answers.get_nowait()
        except queue.Empty:
            return None
        self._asked_at = None
        return found

    def _run(self, look: _Look) -> None:
        found: list[str] | None = None
        try:
            found = self._scan()
        except Exception as exc:  # worker boundary: the loop plays what it has, a failure in a test
            faults.report(self._scene_id, "folder look", exc)
        finally:
            with _guard:
                if _under_way.get(self._key) is look:
                    del _under_way[self._key]
                waiting = list(look.waiting)
            for answers in waiting:
                # None (the look failed): the loop asks again at its next rescan.
                answers.put(found)

    def wait(self, timeout_s: float) -> list[str] | None:
        """`answer()`, waiting up to `timeout_s` of real time for it: for a loop's first look (its
        prepare, on the loading thread) and for deterministic renders, which wait for their media."""
        try:
            found = self._answers.get(timeout=timeout_s)
        except queue.Empty:
            return None
        self._asked_at = None
        return found
