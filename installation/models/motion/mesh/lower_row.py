"""What a sitter's opening shows under her own upper teeth (own_teeth.py) as the visitor's
mouth opens: her lower row, the lower lip's inside, a tongue, the mouth's dark.

own_teeth.py reads her rows off the picture; this lays the visitor's reading of their mouth
(`teeth.mouth_shown`) into her opening, for the painter (mouth.py).
"""

from __future__ import annotations

import numpy as np

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


def below_own_teeth(reading: tuple[float, ...], gap: float, rest_gap: float) -> tuple[float, ...]:
    """A reading of the visitor's whole opening (`teeth.mouth_shown`) laid in a sitter's opening
    under her own upper teeth (own_teeth.py), `gap` pixels tall, `rest_gap` of them hers at rest.
    Her upper teeth show already and stand for theirs; her lower lip comes down by the visitor's
    whole opening, teeth and all. So what the visitor shows at their lower lip (their lower
    teeth, the lower lip's inside under a smile's teeth, a tongue) keeps its measured width
    there, a share of the opening she gained, and the rest is the mouth's dark. (Read as shares
    of the visitor's opening under their teeth, a broad smile's teeth resting on the lip filled
    all of hers with the lip's inside: a flat grey slab under a thin row of teeth, which the
    face mesh read as the lower lip, the mouth 0.67 -> 0.43 of the smile driver's opening.)"""
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
