"""Teeth held together, as the visitor's mouth is read (teeth.py): the biting line's shadow
between the rows is where the rows meet, not a gap the portrait paints as its cavity.

Synthetic mouths: nothing from ../shared.
"""

from __future__ import annotations

import numpy as np

from installation.models.motion.mesh.teeth import teeth_shown
from tests.test_mesh_expression import _mouth_picture


def _in_a_face(lm: np.ndarray, height: float) -> np.ndarray:
    """The test mouth's landmarks in a face `height` px tall, forehead to chin (points 10, 152)."""
    out = lm.copy()
    out[10, :2], out[152, :2] = (100, 105 - 0.6 * height), (100, 105 + 0.4 * height)
    return out


def test_teeth_held_together_with_the_biting_line_in_shadow_are_read_as_rows_meeting():
    """A grin with the teeth together: the biting line's shadow, with the lips' shade on the
    teeth beside it, is a few rows that read as no teeth between the upper row and the lower.
    Read so, the portrait painted the cavity between its rows: a black band across a grin whose
    teeth meet. The opening is a teeth-together grin's, 0.045 of the face's height (the shared
    faces driver's: 0.04-0.05), the shadow 4 px of it (0.006 of the face)."""
    image, lm = _mouth_picture(teeth_rows=30)
    image[101:105, 60:141] = (110, 70, 72)  # the shade between the rows: too dark for enamel
    lm = _in_a_face(lm, 30 / 0.045)
    upper, lower = teeth_shown(image, lm)
    assert upper + lower == 1.0 and 0.3 <= upper <= 0.5
    # A laugh: both rows, the mouth's dark between them over 0.02 of the face. Its dark stays.
    laugh, _ = _mouth_picture(teeth_rows=30)
    laugh[98:112, 60:141] = (45, 22, 24)
    upper, lower = teeth_shown(laugh, lm)
    assert upper + lower <= 0.6 and upper > 0.0 and lower > 0.0


def test_a_grin_with_the_teeth_together_paints_rows_meeting_not_a_black_band(stack, sitter):
    """The same grin's reading painted into the sitter's opening (parted 0.06 of her face):
    down the middle of the mouth, upper teeth then lower, nothing between them darker than her
    lips (read as two rows with a gap, the cavity between them was 0.7 of the lips' light)."""
    from installation.models.motion.mesh import MeshAnimator
    from tests.test_mesh_mouth import _opened

    image, lm = _mouth_picture(teeth_rows=30)
    image[101:105, 60:141] = (110, 70, 72)
    reading = tuple(teeth_shown(image, _in_a_face(lm, 30 / 0.045))) + (0.0, 0.0, 0.0)
    animator = MeshAnimator(sitter, stack)
    out, dst, _ = _opened(animator, reading, share=0.06)
    top, bottom, x = dst[13, 1], dst[14, 1], int(round(dst[13, 0]))
    rows = np.arange(int(np.ceil(top + 0.15 * (bottom - top))), int(np.floor(bottom - 0.15 * (bottom - top))) + 1)
    light = out[rows, x - 2:x + 3].astype(np.float32).mean(axis=1) @ np.array([0.299, 0.587, 0.114], np.float32)
    lip = float(animator.rig.palette.lip @ np.array([0.299, 0.587, 0.114], np.float32))
    assert light.min() > lip, (light.round(), lip)
