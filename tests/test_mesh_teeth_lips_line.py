"""The lower teeth meet the lower lip with the cavity's shadow between them: on a pale
drawing, whose lips are as light as its teeth, the opening's lower outline is kept where the
teeth stand behind the lip.

Without it the face mesh took lip and teeth as one lip and read only the dark above them as
the opening (a pencil drawing's mouth opened as the visitor's read as 0.67 of it), and a
viewer saw a slot. A drawing made from the shipped sitter: nothing from ../shared.
"""

from __future__ import annotations

import numpy as np

from installation.models.face import portrait_faces
from installation.models.motion.mesh import MeshAnimator
from installation.models.motion.mesh.named_points import LOWER_INNER_LIP, UPPER_INNER_LIP

from .test_mesh_mouth import _opened

LUMA = np.array([0.299, 0.587, 0.114], np.float32)


def _pale_drawing(sitter: np.ndarray) -> np.ndarray:
    """The sitter as a pale graphite drawing on cream paper: grey, its darks a mid grey, its
    lips nearly as light as the paper."""
    grey = sitter.astype(np.float32) @ LUMA
    drawn = 255.0 - 0.45 * (255.0 - grey)
    return np.clip(drawn[..., None] * np.array([0.97, 0.95, 0.9]), 0, 255).astype(np.uint8)


def _across_the_opening(out: np.ndarray, dst: np.ndarray, samples: int = 41) -> np.ndarray:
    """Lightness from the upper inner lip to the lower, down the middle third of the mouth
    (columns averaged): `samples` steps from 0 (upper lip's line) to 1 (lower lip's)."""
    centre, half = (dst[78, 0] + dst[308, 0]) / 2, (dst[308, 0] - dst[78, 0]) / 2
    xs = np.arange(int(round(centre - 0.3 * half)), int(round(centre + 0.3 * half)) + 1)
    upper, lower = dst[list(UPPER_INNER_LIP)], dst[list(LOWER_INNER_LIP)]
    top = np.interp(xs, *upper[np.argsort(upper[:, 0])].T)
    bottom = np.interp(xs, *lower[np.argsort(lower[:, 0])].T)
    light = out.astype(np.float32) @ LUMA
    return np.array([light[np.round(top + f * (bottom - top)).astype(int), xs].mean()
                     for f in np.linspace(0.0, 1.0, samples)])


def test_on_a_pale_drawing_the_lower_teeth_meet_the_lip_along_a_line_darker_than_both(stack, sitter):
    """The visitor's upper and lower teeth shown in a wide opening: where the lower row meets
    the lower lip the paint is clearly darker than the row's lit middle, so the lip's inner
    edge stays drawn (before, the row ran into the paper-light lip with nothing between)."""
    drawing = _pale_drawing(sitter)
    assert portrait_faces(drawing, stack), "the drawing must still be a face"
    animator = MeshAnimator(drawing, stack)
    out, dst, _ = _opened(animator, (0.35, 0.3, 0.0, 0.0, 0.0), share=0.1)
    assert dst[14, 1] - dst[13, 1] > 12  # wide enough to show both rows
    profile = _across_the_opening(out, dst)
    lower_row, at_lower_lip = profile[-12:-4].max(), profile[-4:].min()  # the row's lit middle; at the lip
    assert at_lower_lip < 0.8 * lower_row, (at_lower_lip, lower_row)
    # ...no darker than the cavity's own darkest paint in the opening (never a black line cut
    # into a pale drawing)
    assert at_lower_lip >= 0.95 * profile.min(), (at_lower_lip, profile.min())
