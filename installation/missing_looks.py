"""Looking again, while the show runs, for the media its files named but lacked.

The show's files are read for missing media once, when they are loaded; the watcher reloads for
the show's own files, not content. A technician who copied the missing film or print in as the
overlay said saw it listed, in red, until the next reload (or, for a scene's own media, until
that scene was built again; a film standing in for the camera, never). Here the missing paths
are looked at again every RELOOK_S of show time, off the render thread: a stat on a USB stick
that hangs does not return until the kernel gives up on the drive. One round of looks at a
time, each look shared and bounded by media/looks.py (one outstanding per path, given up after
its deadline), so a hung stick neither holds a frame nor piles up threads. Only this thread and
a queue are touched from the looks: never pygame, the show or a scene.
"""

from __future__ import annotations

import queue
import stat
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from .media import looks

# Show time between rounds: a file copied in leaves the overlay's list within seconds, and a
# show missing a file costs one stat a few seconds (not one a frame).
RELOOK_S = 5.0


class MissingLooks:
    """Rounds of looks at missing media paths; `found()` on the render thread each frame."""

    def __init__(self, now: Callable[[], float], every_s: float = RELOOK_S) -> None:
        self._now = now
        self._every_s = every_s
        self._due = now() + every_s
        self._round: threading.Thread | None = None
        self._found: queue.SimpleQueue[tuple[Path, str]] = queue.SimpleQueue()

    def found(self, content_root: Path, missing: Iterable[str]) -> list[str]:
        """The paths (inside `content_root`) found there since the last call; starts a round of
        looks at `missing` when one is due and the last has ended. Never waits."""
        seen = []
        while not self._found.empty():
            root, relative = self._found.get_nowait()
            if root == content_root:  # (a reload may have moved the content folder meanwhile)
                seen.append(relative)
        wanted = tuple(dict.fromkeys(missing))
        if wanted and self._now() >= self._due and not self.looking:
            self._due = self._now() + self._every_s
            self._round = threading.Thread(target=self._look, args=(content_root, wanted),
                                           name="bayard-missing-looks", daemon=True)
            self._round.start()
        return seen

    @property
    def looking(self) -> bool:
        """A round is under way (a drive slow to answer, or silent, holds it up to its looks' deadlines)."""
        return self._round is not None and self._round.is_alive()

    def _look(self, content_root: Path, wanted: tuple[str, ...]) -> None:
        for relative in wanted:
            try:
                there = stat.S_ISREG(looks.look(content_root / relative).st_mode)
            except looks.NoAnswer:
                # Its drive did not answer: the round ends here, and the next begins with the same
                # look (still under way, so no new thread). Going on left one more look stuck on
                # the drive per missing file (a show missing 10 000 files: 10 000 threads, and a
                # round of 14 hours); the files after it wait until the drive answers or is given up.
                return
            except OSError:  # still missing: the next round asks again
                continue
            if there:
                self._found.put((content_root, relative))
