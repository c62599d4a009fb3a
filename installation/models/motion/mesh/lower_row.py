"""What a sitter's opening shows under her own upper teeth (own_teeth.py) as the visitor's
mouth opens: her lower row, the lower lip's inside, a tongue, the mouth's dark.

own_teeth.py reads her rows off the picture; this lays the visitor's reading of their mouth
(`teeth.mouth_shown`) into her opening, for the painter (mouth.py).
"""

from __future__ import annotations

import numpy as np

from .named_points import LOWER_INNER_LIP, UPPER_INNER_LIP
from .tongue import MIN_TONGUE_SHARE, tongue_reading

# Under a sitter's own upper teeth, a smile opened wider than the visitor's shows her lower
# row over this share of the opening their upper teeth took (`below_own_teeth`): the lower
# incisors' edges over the lip's inside, the rest the mouth's dark between the rows.
SMILE_LOWER_ROW = 0.35
# ...unless the visitor's opening is all but filled by teeth and the lip's inside (their rows
# together, a toothy smile): then her lower row rises to meet her upper one and only the
# visitor's own dark share stays dark. Wholly so with their dark under TEETH_TOGETHER[0] of
# their opening, not at all from TEETH_TOGETHER[1] (an open mouth keeps its dark). Left at
# SMILE_LOWER_ROW, a toothy smile was her teeth, a wide dark gap and a band of lip: a yawn.
TEETH_TOGETHER = (0.1, 0.3)
# Her lower row shows at most this share of her own upper row's height (at the mouth's middle,
# in pixels): lower incisors are shorter than the upper (crowns about 9 mm against 10.5-11)
# and the lower lip keeps part of them. Sized by her opening alone, a toothy smile under her
# own teeth drew a lower row 1.6-2.2 times as tall as her upper one on four smiling
# photographs (the shared smile driver): a second, false set of teeth.
LOWER_OF_UPPER = 0.7
# A visitor's jaw held closed, their teeth together or their upper teeth over a dark a few
# pixels tall (the biting line's shadow, the lower teeth in the lip's shade): what they show
# under their upper teeth is that thin dark alone, wholly so under JAW_CLOSED[0] of the face's
# height, not at all from JAW_CLOSED[1] (the shared drivers: teeth together or a bared bite
# 0.004-0.016; a mouth open under the upper teeth 0.017 and up, mostly 0.035-0.11).
# Her lip still comes down by their whole opening, so under her own upper teeth that opening
# was the mouth's dark (their upper teeth's share too, hers standing for theirs) or a lower
# row capped at LOWER_OF_UPPER with the dark between: a black band across a grin whose teeth
# meet. Her lower row now meets her upper one, with their thin dark as a line between.
JAW_CLOSED = (0.012, 0.02)


def below_own_teeth(reading: tuple[float, ...], gap: float, rest_gap: float, upper_row_px: float = 0.0,
                    own_lower_px: float = 0.0, face_height: float = 0.0) -> tuple[float, ...]:
    """A reading of the visitor's whole opening (`teeth.mouth_shown`) laid in a sitter's opening
    under her own upper teeth (own_teeth.py), `gap` pixels tall, `rest_gap` of them hers at rest.
    Her upper teeth show already and stand for theirs; her lower lip comes down by the visitor's
    whole opening, teeth and all. So what the visitor shows at their lower lip (their lower
    teeth, the lower lip's inside under a smile's teeth, a tongue) keeps its measured width
    there, a share of the opening she gained, and the rest is the mouth's dark. (Read as shares
    of the visitor's opening under their teeth, a broad smile's teeth resting on the lip filled
    all of hers with the lip's inside: a flat grey slab under a thin row of teeth, which the
    face mesh read as the lower lip, the mouth 0.67 -> 0.43 of the smile driver's opening.)
    `upper_row_px`: her own upper row's height at rest (0: unknown), which her lower row's
    teeth never pass LOWER_OF_UPPER of; `own_lower_px`: her own lower row's height at rest where
    the picture shows it (it comes down with her lower lip, at the opening's lower edge): the
    painted row is only what shows of her lower teeth above it. `face_height`: hers (pixels,
    0: unknown), by which a visitor's jaw held closed is told (JAW_CLOSED)."""
    gained = float(np.clip((gap - rest_gap) / max(gap, 1e-3), 0.0, 1.0))
    lower = float(np.clip(reading[1], 0.0, 1.0)) * gained
    lining = float(np.clip(reading[4], 0.0, 1.0)) * gained if len(reading) >= 5 else 0.0
    if lining > 0.0 and lower == 0.0:
        # A smile's upper teeth rest on the lower lip: where theirs hang, hers leave the mouth
        # opened wider under them, and a smiling mouth opened wider shows its lower teeth
        # standing on the lip's inside, the dark between the rows.
        lower = lining + SMILE_LOWER_ROW * float(np.clip(reading[0], 0.0, 1.0)) * gained
    shown = float(np.clip(reading[0], 0.0, 1.0)) + float(np.clip(reading[1], 0.0, 1.0)) + (
        float(np.clip(reading[4], 0.0, 1.0)) if len(reading) >= 5 else 0.0)
    together = float(np.clip((TEETH_TOGETHER[1] - (1.0 - shown)) / (TEETH_TOGETHER[1] - TEETH_TOGETHER[0]), 0.0, 1.0))
    if together > 0.0:
        # Her row under her own: the dark is the visitor's dark, as a share of her opening.
        lower += together * max(min(shown, 1.0) - lower, 0.0)
    closed = _jaw_closed(reading, shown, gap, rest_gap, face_height)
    if closed > 0.0:
        # Her row under her own up to the visitor's thin dark, kept at its height in her pixels.
        meets = 1.0 - (1.0 - min(shown, 1.0)) * gained
        lower += closed * max(meets - lower, 0.0)
    if upper_row_px > 0.0:
        # (A jaw held closed leaves her lower row as tall as it meets hers: capped, the dark
        # between the rows was the band their bite does not have. Over her own lower teeth the
        # painted row is what shows above them.)
        whole = max(lower - own_lower_px / max(gap, 1e-3), 0.0)
        capped, lining = _as_tall_as_hers(lower, lining, gap, upper_row_px, own_lower_px)
        lower = closed * whole + (1.0 - closed) * capped
    out = [0.0, lower]
    if len(reading) >= 4:
        # The tongue measured up from the lower lip, as the visitor's lies on theirs; one the
        # visitor shows is shown (`tongue.MIN_TONGUE_SHARE` is a share of their opening: of
        # hers, wider, a tongue of theirs at the bar fell under it, and a black hole was left).
        tongue = [0.0, 0.0]
        if tongue_reading(reading) is not None:
            bottom = float(np.clip(1.0 - (1.0 - reading[3]) * gained, 0.0, 1.0))
            top = min(float(np.clip(1.0 - (1.0 - reading[2]) * gained, 0.0, 1.0)), bottom - MIN_TONGUE_SHARE)
            tongue = [max(top, 0.0), bottom]
        out += tongue
    if len(reading) >= 5:
        out.append(lining)
    return tuple(out)


def _jaw_closed(reading: tuple[float, ...], shown: float, gap: float, rest_gap: float,
                face_height: float) -> float:
    """How far (0-1) the visitor's jaw is held closed (JAW_CLOSED): their dark under their upper
    teeth, in her face's heights, is a thin line or none. Not where their teeth rest on the lower
    lip's inside (a smile's open jaw, its lower teeth behind the lip: `SMILE_LOWER_ROW`)."""
    lining = float(reading[4]) if len(reading) >= 5 else 0.0
    if face_height <= 0.0 or reading[0] <= 0.0 or lining > 0.0 or tongue_reading(reading) is not None:
        return 0.0
    dark = (1.0 - min(shown, 1.0)) * max(gap - rest_gap, 0.0) / face_height
    return float(np.clip((JAW_CLOSED[1] - dark) / (JAW_CLOSED[1] - JAW_CLOSED[0]), 0.0, 1.0))


def rows_at_rest(mesh: np.ndarray, moved: np.ndarray, own_lower: np.ndarray | None) -> tuple[float, float]:
    """Her own rows' heights at rest (pixels, down the face's axis): the upper row's at the
    mouth's middle (its tallest there, the central incisors), and the lower row's (the median
    where the picture shows it; 0 where it shows none). `mesh`: the face mesh as found;
    `moved`: with its inner lips at her teeth's edges (`own_teeth.lips_at_teeth`); `own_lower`:
    per point of the lower inner lip (corners left out), whether her lower teeth's edge is there."""
    down = mesh[152, :2] - mesh[10, :2]
    down = down / max(float(np.linalg.norm(down)), 1e-6)
    upper, lower = list(UPPER_INNER_LIP), list(LOWER_INNER_LIP)[1:-1]
    depth = (moved[upper, :2] - mesh[upper, :2]) @ down
    across = mesh[upper, 0] - (mesh[upper[0], 0] + mesh[upper[-1], 0]) / 2
    middle = np.abs(across) <= abs(mesh[upper[-1], 0] - mesh[upper[0], 0]) / 4
    upper_px = float(np.max(depth[middle])) if middle.any() else float(np.max(depth))
    rise = (mesh[lower, :2] - moved[lower, :2]) @ down
    shown = np.asarray(own_lower, bool) if own_lower is not None else np.zeros(len(lower), bool)
    return max(upper_px, 0.0), float(np.median(rise[shown])) if shown.any() else 0.0


def _as_tall_as_hers(lower: float, lining: float, gap: float, upper_row_px: float,
                     own_lower_px: float) -> tuple[float, float]:
    """(lower, lining) as `below_own_teeth` reads them, with the lower row's teeth (what is
    above the lip's inside it stands on) no taller than LOWER_OF_UPPER of her upper row. Where
    that is shorter than the row that met her upper row, the row stays where it stands (on the
    lip's inside, or at the lip) and the mouth's dark is between the rows: an opening that tall
    under her teeth is a laugh, both rows showing. (Stood higher on more of the lip's inside to
    meet her row, the lip's inside was a flat band of lip as tall as her teeth, a slab under a
    short row.) Over her own lower teeth (`own_lower_px`) there is no lip's inside, and the
    painted row is what her lower teeth show above her own."""
    most = LOWER_OF_UPPER * upper_row_px / max(gap, 1e-3)
    standing = lining if lower > lining > 0.0 else 0.0
    if own_lower_px > 0.0:
        return max(min(lower - standing, most) - own_lower_px / max(gap, 1e-3), 0.0), 0.0
    return standing + min(lower - standing, most), lining
