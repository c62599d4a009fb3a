"""How much teeth the visitor's open mouth shows, so the portrait shows as much.

A smile bares the upper teeth across most of the opening; a yawn shows a dark cavity and
perhaps the tongue. Painting the same "hint of teeth" into both made a smile look like a
dark slot (and the face mesh, like a viewer, read that slot as a smaller opening). So the
driver's own mouth is read each frame: down the central columns of the opening, which
share of its height from the top are upper teeth and from the bottom lower teeth.

Only two numbers leave this module; the visitor's pixels stay in the frame they came in.
"""

from __future__ import annotations

import numpy as np

from .named_points import LOWER_INNER_LIP, UPPER_INNER_LIP

BINS = 12  # steps down the opening, upper inner lip to lower
MIN_GAP_PX = 4.0  # a narrower opening shows too few pixels to tell teeth from shadow
COLUMNS = 9  # sampled across the central half of the mouth
PALER_THAN_LIPS = 0.75  # teeth: at most this share of the lips' redness...
NOT_DARK = 0.7  # ...and at least this share of their lightness
GREY_CAMERA_REDNESS = 0.04  # lips less red than this: a monochrome (infrared) camera
# A coloured light (a warm lamp, a dim yellowish room) multiplies red against green over the
# whole frame: it adds the same to every colour's log(R/G), and "at most 0.75 of the lips'
# redness" then fails on teeth (a warm cast, green x0.82, lost the teeth in 22 of 49 frames
# of the shared smile driver; a tungsten cast, 38). The difference in log(R/G) is what the
# light leaves alone: teeth are also those at least this much less red than the lips
# (0.14-0.9 on the shared and unseen drivers in ordinary light), and no redder than the
# skin of the cheeks (a tongue or the lips' inside is redder than the cheeks).
LIPS_OVER_ENAMEL = 0.12
CHEEKS = (205, 425, 50, 280)
# Teeth together fill the whole opening, upper row over lower, with the biting line between
# them: a row of shadow well inside the opening, darker than the teeth on both sides by at
# least this share. Read as one run from the top, the portrait painted one tall bar.
BITE_DARKER = 0.8
BITE_RANGE = (0.2, 0.8)  # where down the opening the line may lie
# ...and where the rows do not quite meet: the biting line's shadow, with the lips' own
# shadow on the teeth beside it, reads as no teeth over a few steps between the rows. Teeth
# together show at most this much (share of the face's height, forehead to chin) between
# the rows; an open mouth's dark between them is 0.02-0.06 (the shared faces driver: teeth
# together 0.005-0.012, a parted bite or a laugh 0.016 and up). Left as read, the steps
# between were painted as the cavity: a black band across a grin whose teeth meet.
BITE_GAP_FH = 0.012
# The tongue: pink, a little paler than the lips and at least as light (measured on the
# shared drivers: a tongue between the teeth reads 0.7-0.9 of the lips' redness and
# 1.1-1.3 of their lightness; lips the mesh counts as inside a twisted or pursed mouth,
# and the lower lip under a smile's teeth, read at most 0.9-1.0 of their lightness; the
# cavity far darker), not teeth, over at least three steps of the opening, in an opening
# of at least this many pixels (a narrower one shows mostly lip). Without it a visitor's
# tongue filled the portrait's mouth with a black hole.
TONGUE_REDNESS = (0.55, 1.15)
TONGUE_LIT = 1.0
TONGUE_MIN_BINS = 3
TONGUE_MIN_GAP_PX = 8.0
# A pale tongue reads 0.64-0.8 of the lips' redness where the same mouth's teeth read 0.4
# (the shared faces driver's tongue stuck out): beside its enamel it is redder by at
# least this share of the lips' redness.
TONGUE_OVER_ENAMEL = 0.2
# A smile's upper teeth resting on the lower lip: the face mesh puts the lower inner lip
# below the lip's lit, wet inside, which then fills the opening from the teeth's edge
# down, at least this share of the lips' redness and of their lightness (measured on the
# shared smile driver: 1.05-1.4 and 0.88-1.0; the cavity is far darker, enamel far
# less red). Read as nothing, it was painted as cavity: a dark crescent under the teeth.
LINING_RED = 0.85
LINING_LIT = 0.75
# Outer and inner lip points facing each other: halfway between them is lip, not skin or gap.
LIP_PAIRS = ((0, 13), (37, 82), (267, 312), (39, 81), (269, 311), (17, 14), (84, 87), (314, 317), (181, 178),
             (405, 402))


def _luma(rgb: np.ndarray) -> np.ndarray:
    return rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114


def _redness(rgb: np.ndarray) -> np.ndarray:
    """(R - G) / (R + G): lips and tongue are red under any skin tone; enamel much less."""
    return (rgb[..., 0] - rgb[..., 1]) / np.maximum(rgb[..., 0] + rgb[..., 1], 1.0)


def _log_red(rgb: np.ndarray) -> np.ndarray:
    """log(R/G): a coloured light adds the same to it everywhere in the frame."""
    return np.log(np.maximum(rgb[..., 0], 1.0) / np.maximum(rgb[..., 1], 1.0))


def _saturation(rgb: np.ndarray) -> np.ndarray:
    top, bottom = rgb.max(-1), rgb.min(-1)
    return (top - bottom) / np.maximum(top, 1.0)


def _sample(frame: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    h, w = frame.shape[:2]
    xi = np.clip(np.round(xs).astype(int), 0, w - 1)
    yi = np.clip(np.round(ys).astype(int), 0, h - 1)
    return frame[yi, xi].astype(np.float32)


def teeth_shown(frame: np.ndarray, landmarks: np.ndarray) -> tuple[float, float] | None:
    """(upper, lower): the share of the opening's height showing upper teeth from the top
    and lower teeth from the bottom, or None when the mouth is too closed to tell."""
    seen = mouth_shown(frame, landmarks)
    return None if seen is None else (seen[0], seen[1])


def mouth_shown(frame: np.ndarray, landmarks: np.ndarray) -> tuple[float, float, float, float, float] | None:
    """(upper teeth, lower teeth, tongue top, tongue bottom, lower lip's inside), shares of
    the opening's height (the teeth and the tongue from the upper inner lip down, the tongue's
    both 0 when none is seen; the lower lip's inside from the lower inner lip up, 0 unless
    the upper teeth rest on it), or None when the mouth is too closed to tell."""
    upper = landmarks[list(UPPER_INNER_LIP), :2].astype(np.float64)
    lower = landmarks[list(LOWER_INNER_LIP), :2].astype(np.float64)
    left, right = upper[0], upper[-1]
    axis = right - left
    width = float(np.linalg.norm(axis))
    if width < 4.0:
        return None
    # Work along the mouth's own axis, so a tilted head reads the same.
    along = axis / width
    down = np.array([-along[1], along[0]])

    def profile(line: np.ndarray, t: np.ndarray) -> np.ndarray:
        s = (line - left) @ along
        order = np.argsort(s)
        return np.interp(t, s[order], (line - left)[order] @ down)

    t = np.linspace(0.3, 0.7, COLUMNS) * width
    top, bottom = profile(upper, t), profile(lower, t)
    gap = bottom - top
    if float(np.median(gap)) < MIN_GAP_PX:
        return None
    v = (np.arange(BINS) + 0.5) / BINS
    offsets = top[None, :] + v[:, None] * gap[None, :]  # BINS x COLUMNS, along `down`
    points = left + t[None, :, None] * along + offsets[..., None] * down
    inside = _sample(frame, points[..., 0], points[..., 1])
    pairs = np.array(LIP_PAIRS)
    middle = (landmarks[pairs[:, 0], :2] + landmarks[pairs[:, 1], :2]) / 2
    lips = _sample(frame, middle[:, 0], middle[:, 1])
    lip_luma, lip_sat = float(np.median(_luma(lips))), float(np.median(_saturation(lips)))
    lip_red = float(np.median(_redness(lips)))
    luma = _luma(inside)
    tongue = np.zeros(BINS, bool)
    pale_tongue = np.zeros(BINS, bool)
    step_red = np.zeros(BINS)
    if lip_red > GREY_CAMERA_REDNESS:
        # Teeth: far less red than the lips (enamel is nearer grey under any light or skin
        # tone; the tongue and the lit inside of the lower lip are nearly as red as the
        # lips), and not the cavity's dark. Not "lighter than the lips": in a dim warm room
        # the teeth are no lighter than the lips, the upper lip shaded and the lower lit.
        redness = _redness(inside)
        log_red = _log_red(inside)
        cheeks = _sample(frame, landmarks[list(CHEEKS), 0], landmarks[list(CHEEKS), 1])
        under_cast = ((log_red <= float(np.median(_log_red(lips)) - LIPS_OVER_ENAMEL))
                      & (log_red <= float(np.median(_log_red(cheeks)))))
        is_teeth = ((redness < PALER_THAN_LIPS * lip_red) | under_cast) & (luma > NOT_DARK * lip_luma)
        # The tongue: as red as the lips, and lit (the cavity behind it is dark).
        is_tongue = ((redness >= TONGUE_REDNESS[0] * lip_red) & (redness <= TONGUE_REDNESS[1] * lip_red)
                     & (luma >= TONGUE_LIT * lip_luma) & ~is_teeth)
        if float(np.median(gap)) >= TONGUE_MIN_GAP_PX:
            tongue = is_tongue.mean(axis=1) > 0.5
            # Per step: how red (share of the lips' redness) and how lit (of their lightness).
            step_red = np.median(redness, axis=1) / lip_red
            pale_tongue = ((step_red >= TONGUE_REDNESS[0]) & (step_red <= TONGUE_REDNESS[1])
                           & (np.median(luma, axis=1) >= TONGUE_LIT * lip_luma))
    else:
        # A grey camera has no redness: clearly lighter than the lips, and no more coloured.
        # (Nor can it tell a tongue from lips: none is read.)
        is_teeth = ((luma > max(lip_luma * 1.06, lip_luma + 8.0))
                    & (_saturation(inside) < max(lip_sat * 0.9, 0.12)))
    share = is_teeth.mean(axis=1)  # per step down the opening
    upper_share = _run_from_edge(share > 0.4)
    lower_share = _run_from_edge((share > 0.4)[::-1])
    if tongue.any() or pale_tongue.any():
        # A tongue stuck out is often paler than the lips, as little red as teeth are
        # beside them: read as teeth, it joined the lower teeth into one tall block, or,
        # floating between the rows, it was read as nothing and left a black hole.
        # Teeth grow from the lips, so a pale run between the rows is tongue; and a run
        # from a lip whose inner part is clearly redder than its enamel is teeth, then tongue.
        upper_share = _teeth_before_tongue(step_red, pale_tongue, upper_share)
        lower_share = _teeth_before_tongue(step_red[::-1], pale_tongue[::-1], lower_share)
        tongue = tongue | pale_tongue
    if upper_share + lower_share > BINS:  # both rows meet: the teeth are together
        bite = _biting_line(luma.mean(axis=1))
        upper_share = bite if bite is not None else upper_share
        lower_share = BINS - upper_share
    elif _rows_meet(upper_share, lower_share, tongue, float(np.median(gap)), landmarks):
        # The teeth are together, the biting line's shadow between the rows: they meet at
        # its darkest step (the lower row's edge in the upper's shadow there).
        between = luma.mean(axis=1)[upper_share:BINS - lower_share]
        upper_share += int(np.argmin(between))
        lower_share = BINS - upper_share
    tongue_top, tongue_bottom = _tongue_run(tongue, upper_share, lower_share)
    lining = 0
    if lip_red > GREY_CAMERA_REDNESS and upper_share and not lower_share and tongue_top == tongue_bottom:
        lip_like = ((np.median(redness, axis=1) >= LINING_RED * lip_red)
                    & (np.median(luma, axis=1) >= LINING_LIT * lip_luma))
        run = _run_from_edge(lip_like[::-1])
        # Only where it meets the teeth (a step of shadow under their edge allowed): below
        # a dark gap it is the cavity's floor, painted as such.
        if run and upper_share + run >= BINS - 1:
            lining = BINS - upper_share
    return upper_share / BINS, lower_share / BINS, tongue_top / BINS, tongue_bottom / BINS, lining / BINS


def _rows_meet(upper: int, lower: int, tongue: np.ndarray, gap_px: float, landmarks: np.ndarray) -> bool:
    """Whether rows of `upper` and `lower` steps that do not meet are teeth held together: both
    read, no tongue between them, and what lies between at most BITE_GAP_FH of the face's
    height (an open mouth's dark between its rows is wider)."""
    if not upper or not lower or upper + lower >= BINS or tongue[upper:BINS - lower].any():
        return False
    face_height = float(np.linalg.norm(landmarks[152, :2] - landmarks[10, :2]))
    return (BINS - upper - lower) * gap_px / BINS <= BITE_GAP_FH * face_height


def _teeth_before_tongue(step_red: np.ndarray, pale_tongue: np.ndarray, run: int) -> int:
    """A run of `run` teeth steps from a lip (steps in order from that lip), shortened to
    the teeth alone where its inner part, TONGUE_MIN_BINS steps or more, is tongue: lit,
    tongue-coloured, and redder than the run's own enamel nearer the lip by
    TONGUE_OVER_ENAMEL or more. The teeth of one smile grade by up to 0.4 of the lips'
    redness from their middle to the gum and the biting edge, but over a step or two,
    never as a plateau of three. (Judged against the mouth's whitest teeth instead, lower
    teeth in the tongue's pink light were read as tongue.)"""
    for keep in range(1, run - TONGUE_MIN_BINS + 1):
        inner = slice(keep, run)
        if pale_tongue[inner].all() and step_red[inner].min() >= step_red[:keep].min() + TONGUE_OVER_ENAMEL:
            return keep
    return run


def _tongue_run(tongue: np.ndarray, upper: int, lower: int) -> tuple[int, int]:
    """The longest run of tongue steps between the teeth (bins, end exclusive), or (0, 0):
    at least TONGUE_MIN_BINS long, and not only the first or last step (the lips
    themselves at the opening's edges)."""
    best = (0, 0)
    start = None
    inner = tongue.copy()
    inner[:max(upper, 1)] = False
    inner[len(tongue) - max(lower, 1):] = False
    for i, here in enumerate(np.append(inner, False)):
        if here and start is None:
            start = i
        elif not here and start is not None:
            if i - start > best[1] - best[0]:
                best = (start, i)
            start = None
    if best[1] - best[0] < TONGUE_MIN_BINS:
        return 0, 0
    # With no lower teeth, a tongue reaching the last step read (the very last is masked as
    # lip) reaches the lower lip.
    end = len(tongue) if lower == 0 and best[1] == len(tongue) - 1 else best[1]
    return best[0], end


def _biting_line(rows: np.ndarray) -> int | None:
    """Where the upper teeth end when teeth fill the whole opening: the darkest row well
    inside it, if it is clearly darker than the teeth above and below it (a smile's upper
    teeth resting on the lower lip fade towards it, with no such dip)."""
    lo, hi = (int(round(f * len(rows))) for f in BITE_RANGE)
    k = lo + int(np.argmin(rows[lo:hi]))
    darkest = float(rows[k])
    if darkest < BITE_DARKER * min(float(rows[:k].max()), float(rows[k + 1:].max())):
        return k
    return None


def _run_from_edge(teeth: np.ndarray) -> int:
    """Steps of teeth from the lip inwards; the first step may be the lip's own shadow."""
    start = 1 if not teeth[0] and len(teeth) > 1 and teeth[1] else 0
    run = int(np.argmin(teeth[start:])) if not teeth[start:].all() else len(teeth) - start
    return start + run if run else 0


class TeethFollower:
    """Steadies the reading over a few frames: a band of teeth that flickers in and out
    is worse than one that arrives a frame late."""

    def __init__(self, keep: float = 0.5) -> None:
        self.keep = keep
        self.value: np.ndarray | None = None

    def update(self, reading: tuple[float, ...] | None) -> tuple[float, ...] | None:
        if reading is None:
            self.value = None
            return None
        now = np.asarray(reading, np.float64)
        same = self.value is not None and self.value.shape == now.shape
        self.value = self.keep * self.value + (1 - self.keep) * now if same else now
        return tuple(float(x) for x in self.value)
