"""The visitor's eyes as the face models read them: how open (measured from the visitor's own
closed level, learnt from their blinks), where the irises look, and the two misreadings the
portrait must not copy (a turned face's far eye read too closed; a look down read as shut).
DriverReference (motion.py) keeps the visit's levels; these are its rules."""

from __future__ import annotations

import math
from collections import deque

import numpy as np

from ...face import Eye

# The face mesh never reads a closed eye as a zero opening: lid thickness and lashes keep
# points 159 and 145 apart by about 0.1-0.18 eye widths. Openings are measured from there,
# or a closed eye would close the portrait's only half way.
CLOSED_OPENNESS = 0.15  # eye widths, at most 45% of the visitor's own neutral opening
# ... but how thin varies with the visitor: the shared and audit drivers' blinks read
# 0.19-0.22 (a narrow-eyed visitor: 0.19 against 0.30 at rest), and measured from 0.15 such
# a blink closed the portrait's lids a third to two thirds of the way. So each visitor's
# own blinks set their closed level (see deepest_blink): the lowest reading held for
# BLINK_HELD frames in a dip, the eye open again within BLINK_REACH_S (0.3 s) on both sides
# by BLINK_RISE of the way back to rest (a look down, a squint or eyes closed for long
# are held, not dips). Never above CLOSED_MOST of the rest opening (a glance down and back
# read 0.7-0.8 of it), and never below the default. Held one frame: at 30 frames a second
# a quick blink is often read closed in one frame only (the shared faces driver: 0.22 eye
# widths against 0.40 at rest); looked for held two, it was missed and a glance down and
# back (0.29-0.30) set the closed level, clipped to CLOSED_MOST: from there every ordinary
# look a little below rest drew the portrait's lids a third of the way down (a sleepy
# sitter). A misread frame can only set the level lower, and never below the default.
BLINK_HELD = 1
BLINK_REACH = 9  # frames at 30 fps, 0.3 s: a blink is over in 0.1-0.4 s (BLINK_REACH_S)
BLINK_RISE = 0.5
CLOSED_MOST = 0.75

# The eyes' rest opening is the calibration frame's, unless the visit shows otherwise. Taken
# while the visitor stared (0.46 eye widths against their usual 0.39), or inherited from a
# visitor who stepped away as the next stepped in, every ordinary look read as lids half
# lowered for the whole visit. So the rest opening is kept among the visit's usual looks of
# the last few seconds: no wider than their upper quartile, no narrower than their median,
# and within a quarter of the calibration's. (Eyes spend their expressive time narrower
# than at rest, blinking, smiling, looking down: on driver-expressions a third of the clip
# looks down, its median opening 0.29 against 0.35-0.37 for a look ahead; settled on the
# median, every look ahead widened the portrait's eyes.) A blink, a wink or a stare held
# for a moment still reads as one, and closed eyes held for long still read as closed.
EYE_REST_FRAMES = 180  # about six seconds of camera frames
EYE_REST_MIN_FRAMES = 45
EYE_REST_LIMIT = 0.25
EYE_REST_UPPER = 75  # percentile of the recent openings


# From this turn on (degrees), and fully this many degrees later, the misread eye's opening
# follows the other's (see trust_the_other_eye).
FAR_EYE_FROM_DEG, FAR_EYE_SPAN_DEG = 6.0, 8.0
# ... unless the eye model, reading each eye on its own crop, also sees that eye narrower:
# then it is a wink. Its two eyes' openings, this eye over the other, read 0.89-1.0 for open
# eyes at rest (five drivers) and 0.92-1.1 on the misread turned face (a talking woman at
# +15-18 degrees), but 0.60-0.65 for a wink made turned 9-15 degrees (the shared expressions
# driver, whose wink the portrait lost: both eyes half closed, as the mesh's reading was
# raised half way to the other eye's). From WINK_SEEN_FROM down to WINK_SEEN the raise fades.
WINK_SEEN_FROM, WINK_SEEN = 0.85, 0.7
# Looking down, the upper lid comes down with the iris, and the face mesh reads the opening
# as it reads a closed eye (the shared expressions driver: 0.21-0.23 eye widths looking down
# with the iris showing, 0.22-0.24 in a blink, 0.35 at rest), so the portrait's lids closed
# for the whole look. What tells the two apart is the head: a look down comes with the head
# nodded down (7-11 degrees on that driver; its blinks and winks were made at -6 to +2), so
# from LOOK_DOWN_FROM_DEG of nod, fully LOOK_DOWN_SPAN_DEG later, the lids stop short of
# closing by LOOK_DOWN_SLIVER of the rest opening (the visitor's mesh reads 0.6 of rest
# measured from no opening, 0 from their blinks' level: the truth lies between; at 0.3 the
# portrait's lids read shut still) and the irises turn down under them as far as the
# portrait turns an iris (LOOK_DOWN_GAZE, the animator's limit: the iris model's own reading,
# 0.05-0.12, left the iris behind the lowered lid, and the eye again read as closed).
LOOK_DOWN_FROM_DEG, LOOK_DOWN_SPAN_DEG = 4.0, 4.0
LOOK_DOWN_SLIVER = 0.4
LOOK_DOWN_GAZE = 0.22
# ... but a visitor blinks with the head nodded too (a woman talking with her head down 4-9
# degrees, a man at 9): read as a look down, the blink stopped at the sliver. A blink is
# told by how fast the lids fall: its lids come down by 0.64-1.13 of the rest opening within
# FALL_FRAMES (about 0.1 s; 23 full blinks of seven drivers), a look down's by 0.09-0.46 (the
# shared expressions driver's two looks down) as the lids follow the eyes down. Lids that fell
# by BLINK_FALL_FROM of the rest opening within FALL_FRAMES, fully BLINK_FALL more, while below
# LOWERED, close as a blink, nodded or not; and only for as long as a blink lasts (BLINK_REACH
# frames): held down longer, it is a look down after all (or eyes closed). Told in seconds of
# the camera's clock where the frames are dated (LidFall.update's `at`): counted in frames, a
# 15 fps camera (a dim room) read a look down's fall over 0.2 s as a blink's, the portrait's
# lids shut for 0.6 s at every look down.
FALL_FRAMES = 3
FRAME_S = 1.0 / 30.0  # a frame's length where the frames are not dated (the drivers measured: 30 fps)
FALL_S, BLINK_LASTS_S = FALL_FRAMES * FRAME_S, BLINK_REACH * FRAME_S
# The blinks that set the closed level (deepest_blink) are told in seconds of the camera's
# clock too: counted in frames, at 15 fps the eye had 0.6 s to open again, and a look down and
# back held 0.5 s (0.7 of the rest opening) set the closed level: from there every ordinary
# look a little below rest drew the portrait's lids down (a sleepy sitter).
BLINK_REACH_S = BLINK_REACH * FRAME_S
REACH_SLACK_S = 1e-3
# Live, the frames looked at for a dip: those within its reach on both sides, and a frame's
# gap more at 10 fps (the newest dip that can be told began up to a frame before the reach).
LIVE_SPAN_S = 2 * BLINK_REACH_S + 0.1
BLINK_FALL_FROM, BLINK_FALL = 0.5, 0.7
LOWERED = 0.6


def eye_openness(lm: np.ndarray) -> tuple[float, float]:
    """Each eye's opening (upper to lower lid) in eye widths: image-left, image-right."""
    left = np.linalg.norm(lm[159, :2] - lm[145, :2]) / max(np.linalg.norm(lm[33, :2] - lm[133, :2]), 1e-6)
    right = np.linalg.norm(lm[386, :2] - lm[374, :2]) / max(np.linalg.norm(lm[362, :2] - lm[263, :2]), 1e-6)
    return float(left), float(right)


def gaze_of(lm: np.ndarray, eyes: tuple[Eye, Eye] | None) -> np.ndarray:
    """Each iris's offset from its eye's centre, in eye widths (image axes)."""
    if eyes is None:
        return np.zeros((2, 2), np.float32)
    out = []
    for eye, (a, b) in zip(eyes, ((33, 133), (362, 263)), strict=True):
        centre = (lm[a, :2] + lm[b, :2]) / 2
        width = max(float(np.linalg.norm(lm[a, :2] - lm[b, :2])), 1e-6)
        out.append((eye.iris_centre - centre) / width)
    return np.array(out, np.float32)


def deepest_blink(openings: np.ndarray, rest: np.ndarray, times: np.ndarray | None = None) -> np.ndarray:
    """Per eye (columns), the lowest opening held for BLINK_HELD frames in a blink: a dip
    with the eye opened again, within BLINK_REACH_S on either side, by BLINK_RISE of the way
    back to `rest`. `times`: when each frame was taken (seconds, the camera's clock, rising);
    None: FRAME_S apart. Only a dip whose reach the frames cover on both sides is told.
    inf where there is none."""
    openings = np.asarray(openings, np.float64).reshape(-1, 2)
    n = len(openings)
    found = np.full(2, np.inf)
    if n < BLINK_HELD + 2:
        return found
    times = np.arange(n) * FRAME_S if times is None else np.asarray(times, np.float64)
    held = (openings if BLINK_HELD == 1  # (live each frame: the window view costs more than the rest)
            else np.lib.stride_tricks.sliding_window_view(openings, BLINK_HELD, axis=0).max(-1))  # (n-h+1, 2)
    starts, ends = times[:n - BLINK_HELD + 1], times[BLINK_HELD - 1:]
    # (a hair's slack: frames 1/30 s apart sum to a little over or under BLINK_REACH_S)
    told = (starts - BLINK_REACH_S >= times[0] - REACH_SLACK_S) & (ends + BLINK_REACH_S <= times[-1] + REACH_SLACK_S)
    j = np.flatnonzero(told)
    if not len(j):
        return found
    first = np.searchsorted(times, starts[j] - BLINK_REACH_S - REACH_SLACK_S, side="left")
    last = np.searchsorted(times, ends[j] + BLINK_REACH_S + REACH_SLACK_S, side="right")
    before, after = _widest(openings, first, j), _widest(openings, j + BLINK_HELD, last)
    low = held[j]
    needed = low + BLINK_RISE * np.maximum(rest[None, :] - low, 0.0)
    dips = (before >= needed) & (after >= needed) & (low < rest[None, :])
    return np.where(dips.any(0), np.where(dips, low, np.inf).min(0), np.inf)


def frame_times(times, n: int) -> np.ndarray:
    """`n` frames' times (seconds, the camera's clock), rising: a frame not dated (None, not
    finite, a clock that stands still or runs back) FRAME_S after the one before it."""
    if times is not None and len(times) == n:
        try:
            given = np.fromiter(times, np.float64, count=n)
        except TypeError:  # (a frame not dated: None)
            given = np.full(n, np.nan)
        if np.isfinite(given).all() and (np.diff(given) > 0).all():
            return given  # (as the camera dated them: the usual case, and live each frame)
    out = np.empty(n)
    given = [None] * n if times is None else list(times)
    for k in range(n):
        out[k] = next_time(out[k - 1] if k else None, given[k] if k < len(given) else None)
    return out


def next_time(last: float | None, at: float | None) -> float:
    """A frame's time after one taken at `last` (None: the first): `at`, or FRAME_S on where
    it is not dated (None, not finite, a clock that stands still or runs back)."""
    if at is not None and math.isfinite(at) and (last is None or at > last):
        return float(at)
    return 0.0 if last is None else last + FRAME_S


def _widest(openings: np.ndarray, first: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """Per row, the widest opening of each eye among frames first..stop-1 (-inf where none)."""
    span = int((stop - first).max(initial=0))
    if span == 0:
        return np.full((len(first), 2), -np.inf)
    rows = first[:, None] + np.arange(span)[None, :]  # (k, span)
    inside = rows < stop[:, None]
    picked = openings[np.minimum(rows, len(openings) - 1)]  # (k, span, 2)
    return np.where(inside[..., None], picked, -np.inf).max(1)


def trust_the_other_eye(ratio: tuple[float, float], yaw: float,
                         eyes: tuple[Eye, Eye] | None = None) -> tuple[float, float]:
    """Each eye's opening, with the eye the face mesh misreads on a turned face raised
    towards the other's as the visitor turns. Turned 15-20 degrees, the mesh reads one eye
    a third or more closed while both are open (on the shared driver turned +17 degrees,
    the image-right eye: 0.23 of its width against 0.37 at rest; turned the other way, the
    image-left one): the portrait half-winked whenever a visitor turned. A wink, which the
    eye model (`eyes`) sees too, is kept (see WINK_SEEN); with no eye model reading, a wink
    made while turned that far is lost. A blink, both eyes closing, is kept."""
    trust = float(np.clip((abs(yaw) - FAR_EYE_FROM_DEG) / FAR_EYE_SPAN_DEG, 0.0, 1.0))
    misread = 1 if yaw > 0 else 0  # as measured: image-right for a positive yaw
    other = 1 - misread
    if trust > 0.0 and eyes is not None:
        seen = eyes[misread].openness / max(eyes[other].openness, 1e-6)
        if math.isfinite(seen):
            trust *= min(max((seen - WINK_SEEN) / (WINK_SEEN_FROM - WINK_SEEN), 0.0), 1.0)
    if trust == 0.0:
        return ratio
    out = list(ratio)
    out[misread] = ratio[misread] + trust * max(0.0, ratio[other] - ratio[misread])
    return out[0], out[1]


class LidFall:
    """How surely the lids now lowered came down as a blink does (see BLINK_FALL), from the
    visitor's openings frame by frame."""

    def __init__(self) -> None:
        self._recent: deque = deque()  # (when, opening) over the last FALL_S
        self._fast = 0.0  # how fast the lids fell since they went below LOWERED (0-1)
        self._lowered_at: float | None = None  # when they went below it

    def update(self, ratio: tuple[float, float], at: float | None = None) -> float:
        """This frame's openings (shares of the rest opening) and when it was taken (seconds,
        the camera's clock; None: FRAME_S after the last frame): how surely this is a blink (0-1)."""
        # (a clock that stands still or runs back, a frame dated twice: FRAME_S on, as undated)
        last = self._recent[-1][0] if self._recent else -math.inf
        dated = at is not None and math.isfinite(at) and at > last
        now = float(at) if dated else (last + FRAME_S if self._recent else 0.0)
        opening = 0.5 * (ratio[0] + ratio[1])
        self._recent.append((now, opening))
        # Kept: the frames within FALL_S (a hair's slack: frames 1/30 s apart sum to a
        # little over or under it) and the last one before ...
        start = now - FALL_S
        edge = start - 1e-3
        while len(self._recent) > 1 and self._recent[1][0] < edge:
            self._recent.popleft()
        if opening >= LOWERED:
            self._fast, self._lowered_at = 0.0, None
            return 0.0
        if self._lowered_at is None:
            self._lowered_at = now
        # ... the opening as FALL_S began read between those two: at 15 fps, from the frames
        # within it alone, a blink falling over 0.13 s was seen falling 0.45 and missed.
        within = [o for t, o in self._recent if t >= edge]
        (then, was), (after, next_was) = self._recent[0], self._recent[min(1, len(self._recent) - 1)]
        if then < edge:
            was += (next_was - was) * min((start - then) / (after - then), 1.0)
            within.append(was)
        fall = max(within) - opening
        self._fast = max(self._fast, min(max((fall - BLINK_FALL_FROM) / (BLINK_FALL - BLINK_FALL_FROM), 0.0), 1.0))
        # (held past a blink's length, over FALL_S more, it is no blink; counted from the
        # first lowered frame's start, as BLINK_REACH frames are)
        lowered_for = now - self._lowered_at + FRAME_S
        held = min(max((lowered_for - BLINK_LASTS_S) / FALL_S, 0.0), 1.0)
        return self._fast * (1.0 - held)


def looking_down(ratio: tuple[float, float], gaze: np.ndarray, pitch: float,
                  blink: float = 0.0) -> tuple[tuple[float, float], np.ndarray]:
    """The eyes' openings and gazes, as a look down when the head is nodded down: the lids
    lowered no further than a sliver, the irises turned down under them (LOOK_DOWN_SLIVER);
    not where the lids came down as a blink does (`blink`: LidFall.update, 0-1)."""
    down = min(max((pitch - LOOK_DOWN_FROM_DEG) / LOOK_DOWN_SPAN_DEG, 0.0), 1.0) * (1.0 - blink)
    if down == 0.0:
        return ratio, gaze
    sliver = down * LOOK_DOWN_SLIVER
    gaze = gaze.copy()
    for k, opening in enumerate(ratio):
        # The more the lids come down, the further down the iris turns under them.
        lowered = min(max((1.0 - opening) / (1.0 - LOOK_DOWN_SLIVER), 0.0), 1.0)
        gaze[k, 1] = max(float(gaze[k, 1]), down * lowered * LOOK_DOWN_GAZE)
    return (max(ratio[0], sliver), max(ratio[1], sliver)), gaze
