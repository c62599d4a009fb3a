"""Where a driver video cuts from one shot to the next, and each shot's neutral face.

Found footage cuts: an interview goes from the interviewer to the guest, a lecture from
a wide shot to a close-up. Motion is measured from a neutral face, and a neutral face
taken in one shot reads the next shot's calm face as an expression: on the shared
drivers cut together, the portrait stared (eyes 16 % wider) and turned 6 degrees further
than in the neutral's own shot, for the whole of the later shot. So `animate` finds the cuts and
measures every shot from its own most neutral frame, as the live scene measures a
newcomer afresh.

A cut is a jump in the picture as a whole between two consecutive frames: the mean
change of a 64 px Lab thumbnail, far above the change between the frames just before
(talking, nodding and turning heads move a few levels; a cut moves tens). Two jumps
within a moment of each other that come back to the same picture are a flash or a
glitched frame, not two cuts. Dissolves are not cuts: they are rare in talking-head
footage, and a missed cut between two similar shots costs little (same framing, same
light: the neutral still fits).
"""

from __future__ import annotations

from collections import deque

import cv2
import numpy as np

THUMB_SIDE = 64
# Mean change of the Lab thumbnail (levels) that a cut at least makes: measured, cuts
# between the shared drivers 25-31, frame to frame within them at most 3.8 (p99 2.6).
CUT_MIN_CHANGE = 12.0
# ... and how many times the recent frames' usual change it must be.
CUT_RATIO = 4.0
RECENT_FRAMES = 15
# A cut undone this soon (seconds) is a flash or a glitch, when the picture after it is
# the picture from before the first jump.
FLASH_S = 0.3


def _thumbnail(frame: np.ndarray) -> np.ndarray:
    small = cv2.resize(frame, (THUMB_SIDE, THUMB_SIDE), interpolation=cv2.INTER_AREA)
    return cv2.cvtColor(small, cv2.COLOR_RGB2LAB).astype(np.float32)


def _change(a: np.ndarray, b: np.ndarray) -> float:
    return float(cv2.norm(a, b, cv2.NORM_L1)) / a.size


class CutWatch:
    """Fed every frame in order (RGB); `cuts` lists the frames that begin a new shot."""

    def __init__(self, fps: float) -> None:
        self.flash_frames = max(1, int(round(FLASH_S * (fps or 25.0))))
        self.cuts: list[int] = []
        self._frame = 0
        self._last: np.ndarray | None = None
        self._recent: deque = deque(maxlen=RECENT_FRAMES)
        self._before_cut: np.ndarray | None = None  # the picture before the latest cut

    def see(self, frame: np.ndarray) -> bool:
        """Whether this frame begins a new shot (a later frame may still take it back,
        when the picture returns: then it is gone from `cuts`)."""
        thumb = _thumbnail(frame)
        index, self._frame = self._frame, self._frame + 1
        last, self._last = self._last, thumb
        if last is None:
            return False
        change = _change(thumb, last)
        usual = float(np.median(self._recent)) if self._recent else 0.0
        self._recent.append(change)
        if change < CUT_MIN_CHANGE or change < CUT_RATIO * usual:
            return False
        if self.cuts and index - self.cuts[-1] <= self.flash_frames and self._before_cut is not None \
                and _change(thumb, self._before_cut) < CUT_MIN_CHANGE:
            self.cuts.pop()  # back to the picture from before: a flash, not two cuts
            self._before_cut = None
            self._recent.clear()
            return False
        self.cuts.append(index)
        self._before_cut = last
        self._recent.clear()  # the new shot's own motion sets what is usual in it
        return True


def shots(cuts: list[int], frames: int) -> list[range]:
    """The frames of each shot, in order."""
    starts = [0, *[c for c in cuts if 0 < c < frames]]
    return [range(a, b) for a, b in zip(starts, [*starts[1:], frames], strict=True)]


def shot_references(shot_ranges: list[range], usable: list[int], score) -> list[int | None]:
    """Per shot, the frame its motion is measured from: its own highest `score`
    (neutrality) among the frames with a face; a shot without a face gets None."""
    have = set(usable)
    references: list[int | None] = []
    for shot in shot_ranges:
        faces = [i for i in shot if i in have]
        references.append(max(faces, key=score) if faces else None)
    return references
