"""The portrait's open mouth as a visitor sees it: a visitor's tongue shown as a tongue.

Synthetic mouths: nothing from ../shared.
"""

from __future__ import annotations

import numpy as np

from installation.models.motion.mesh.rig import LOWER_INNER_LIP, LOWER_OUTER_LIP, UPPER_INNER_LIP, UPPER_OUTER_LIP
from installation.models.motion.mesh.teeth import LIP_PAIRS, mouth_shown


def _mouth(tongue_rows: tuple[int, int], tongue=(225, 145, 150), lower_teeth: int = 0, wet_lip: int = 5
           ) -> tuple[np.ndarray, np.ndarray]:
    """A visitor's open mouth, 200 px: pink lips, four rows of upper teeth, a dark cavity,
    a tongue over `tongue_rows`, and `lower_teeth` rows of lower teeth above the lower
    lip's wet inner edge (the opening's last `wet_lip` rows: the face mesh puts the lip
    line a little inside the lip); and the landmarks that outline it (the opening: rows
    90-120)."""
    lip = 120 - wet_lip
    image = np.full((200, 200, 3), (205, 160, 140), np.uint8)
    image[75:90, 55:146], image[lip:135, 55:146] = (190, 95, 100), (190, 95, 100)
    image[90:lip, 60:141] = (45, 22, 24)
    image[90:94, 60:141] = (236, 232, 222)
    image[tongue_rows[0]:tongue_rows[1], 60:141] = tongue
    if lower_teeth:
        image[lip - lower_teeth:lip, 60:141] = (236, 232, 222)
    lm = np.zeros((468, 3), np.float32)
    xs = np.linspace(60, 140, len(UPPER_INNER_LIP))
    for i, (up, low) in enumerate(zip(UPPER_INNER_LIP, LOWER_INNER_LIP, strict=True)):
        corner = i in (0, len(xs) - 1)
        lm[up, :2] = (xs[i], 105 if corner else 90)
        lm[low, :2] = (xs[i], 105 if corner else 120)
    for outer, inner in LIP_PAIRS:
        lm[outer, :2] = (lm[inner, 0], 134 if inner in LOWER_INNER_LIP else 76)
    for outer in UPPER_OUTER_LIP + LOWER_OUTER_LIP:
        if not lm[outer].any():
            lm[outer, :2] = (100, 76 if outer in UPPER_OUTER_LIP else 134)
    return image, lm


def test_a_tongue_as_pale_as_teeth_beside_the_lips_is_read_as_a_tongue():
    """A tongue stuck out is often paler than the lips (the shared faces driver's: 0.64-0.8
    of their redness), as little red as teeth beside them. Floating between the teeth rows,
    it was read as nothing: the portrait showed a black hole where the visitor showed a
    tongue. Over the lower teeth, it was read as more teeth: a tall grey block."""
    lips_red = (190 - 95) / (190 + 95)
    pale = (225, 145, 150)
    assert 0.55 < ((pale[0] - pale[1]) / (pale[0] + pale[1])) / lips_red < 0.75  # as pale as that
    image, lm = _mouth((97, 115))  # from below the upper teeth to the lower lip
    upper, lower, top, bottom = mouth_shown(image, lm)
    assert upper < 0.25 and lower == 0.0
    assert top <= 0.35 and bottom >= 0.8
    image, lm = _mouth((97, 111), lower_teeth=6, wet_lip=3)  # resting on the lower teeth
    upper, lower, top, bottom = mouth_shown(image, lm)
    assert 0.1 <= lower <= 0.35  # the lower teeth alone, not teeth up to the upper row
    assert top <= 0.35 and bottom >= 0.6
    # Teeth that grade from their whitest to a pinker edge by the gum are still teeth.
    image, lm = _mouth((94, 94))
    image[90:104, 60:141] = (236, 232, 222)
    image[104:108, 60:141] = (225, 170, 165)
    upper, _, top, bottom = mouth_shown(image, lm)
    assert upper >= 0.45 and bottom - top == 0.0
