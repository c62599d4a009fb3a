"""Lips that meet: where the visitor's lips are shut, and the portrait's lips closing no
further than touching.

A visitor is often calibrated with the lips a little apart (the end of a word). Measured
from that parted neutral, each time their lips met, a sitter's lower lip was pushed up past
her upper one, and the opening that followed was spent uncrossing them. So the visitor's
own shut level is learnt (`ShutLips`), the portrait's lips part by as much as the neutral's
were parted above it (motion.DriverReference), and no closing takes them past touching
(`lips_meet`). docs/portrait.md, "Lips that meet", has the measurements.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from .named_points import LOWER_INNER_LIP, UPPER_INNER_LIP

# The inner lips' facing points, one for one (the corners, shared, left out).
FACING_LIPS = np.array(list(zip(UPPER_INNER_LIP[1:-1], LOWER_INNER_LIP[1:-1], strict=True)))
# A neutral face with the lips parted by less than motion.REBASE_MOUTH (the shared expressions
# driver 0.008 face heights, a talking man 0.015, each later reading 0.001 shut) is measured
# from the visitor's lips shut: the shut level is the narrowest gap between each pair of facing
# inner-lip points held for LIPS_SHUT_HELD frames so far (a lone misread frame is no shut
# mouth), and the portrait's lips part by as much as the visitor's neutral was parted above
# it. Measured from the parted neutral, the visitor's closing drove the lips of a sitter
# who has hers shut into each other (lips_meet), and the portrait's mouth opened 0.7-0.8 of
# the visitor's.
LIPS_SHUT_HELD = 3
# A sitter whose lips are parted at rest (a laugh, a word, lips at an instrument: the face
# mesh reads 0.02-0.08 face heights between them) can close by the visitor's neutral parting
# (LIPS_SHUT_HELD) herself: there the visitor's neutral is her rest, as before, and only what
# her parting above a closed mouth's reading (this much: a closed one reads 0-0.01) cannot
# take is added (lips_meet). Added on such a sitter too, her opening was repainted in every
# frame, wider than the picture's own mouth at rest, and the face mesh read the result's mouth
# and smile worse (a man talking, five small photographs open at rest: mouth r 0.57-0.90 ->
# 0.42-0.83, smile amplitude 0.97 -> 0.74 on one; 0.58-0.90 with this).
SITTER_LIPS_CLOSED = 0.01


def lip_gaps(level: np.ndarray, face_height: float) -> np.ndarray:
    """Per FACING_LIPS pair, the lower lip below the upper one (face heights) in a level frame."""
    upper, lower = FACING_LIPS.T
    return (level[lower, 1] - level[upper, 1]) / face_height


class ShutLips:
    """The visitor's lips shut: per FACING_LIPS pair, the narrowest gap (face heights) held
    for LIPS_SHUT_HELD frames so far, starting from the neutral face's own."""

    def __init__(self, neutral_gaps: np.ndarray) -> None:
        self.gaps = neutral_gaps
        self._recent: deque = deque(maxlen=LIPS_SHUT_HELD)

    def see(self, gaps: np.ndarray) -> None:
        """Live: one more frame's gaps (`lip_gaps`)."""
        self._recent.append(gaps)
        if len(self._recent) == LIPS_SHUT_HELD:
            self.gaps = np.minimum(self.gaps, np.max(self._recent, axis=0))

    def see_all(self, gaps: np.ndarray) -> None:
        """Offline, the whole shot known: every frame's gaps (frames x pairs) at once."""
        if len(gaps) >= LIPS_SHUT_HELD:
            held = np.lib.stride_tricks.sliding_window_view(gaps, LIPS_SHUT_HELD, axis=0).max(-1)
            self.gaps = np.minimum(self.gaps, held.min(0))

    def parted(self, neutral_gaps: np.ndarray, most: float) -> np.ndarray:
        """Per pair, how far the neutral's lips (`neutral_gaps`) were parted above the shut
        level, at most `most` (face heights)."""
        return np.clip(neutral_gaps - self.gaps, 0.0, most)

    def copy(self) -> ShutLips:
        """The same shut level and recent frames, learnt on from here apart from this one."""
        copied = ShutLips(self.gaps)
        copied._recent.extend(self._recent)
        return copied


def lips_meet(offsets: np.ndarray, rest_gaps: np.ndarray, parted: np.ndarray | None = None) -> np.ndarray:
    """`offsets` with the inner lips closing no further than touching. A visitor calibrated
    with the lips parted (the shared expressions driver: 0.008 face heights, a talking man
    0.015) later closes them by that much; on a sitter whose lips meet at rest that closing
    pushed the lower lip up past the upper one, and the opening that followed was spent
    uncrossing them: the placed mouth opened 0.5-0.8 of the visitor's. So each facing
    pair closes at most until it touches (or, where the sitter's mesh reads them crossed
    already, no further than that), the two lips meeting half way.
    `rest_gaps`: per FACING_LIPS pair, the sitter's lower lip below its upper one at rest,
    in the offsets' units (negative: read crossed). `parted`: the visitor's neutral parting
    that `offsets` carry (Motion.lips_parted); as much of it as the sitter's own lips are
    parted above a closed mouth's reading (SITTER_LIPS_CLOSED) is taken back out, so a
    sitter open at rest shows her own mouth at the visitor's neutral and closes as they do."""
    upper, lower = FACING_LIPS.T
    gaps = rest_gaps + offsets[lower, 1] - offsets[upper, 1]
    own = 0.0 if parted is None else np.minimum(np.maximum(rest_gaps - SITTER_LIPS_CLOSED, 0.0), parted)
    # Her own parting taken back, then any closing past touching undone: one move on one copy
    # (this runs on every frame).
    move = np.maximum(np.minimum(rest_gaps, 0.0) - (gaps - own), 0.0) - own
    if not move.any():
        return offsets
    out = offsets.copy()
    out[upper, 1] -= move / 2
    out[lower, 1] += move / 2
    return out
