"""A mouth barely parted (a visitor's parted rest: 0.01-0.02 of a face height) on the portrait:
a soft line in the picture's own shade of its closed lips, fading towards the corners, not the
dark of a wide-open mouth cut in as a bar with blunt ends.

The shipped sitter, and a pale warm painting made from it: nothing from ../shared.
"""

from __future__ import annotations

import numpy as np

from installation.models.motion.mesh import MeshAnimator
from installation.models.motion.mesh.named_points import LOWER_INNER_LIP, UPPER_INNER_LIP

from .test_mesh_mouth import LUMA, _light_warm_painting, _opened

NO_TEETH = (0.0, 0.0, 0.0, 0.0, 0.0)


def _darkest_across(image: np.ndarray, dst: np.ndarray, along: float) -> float:
    """The darkest light between the moved inner lips (and 2 px beyond), 3 columns wide, at
    `along` of the mouth's half width from its middle (-1, 1: the corners)."""
    upper, lower = dst[list(UPPER_INNER_LIP), :2], dst[list(LOWER_INNER_LIP), :2]
    left, right = float(dst[78, 0]), float(dst[308, 0])
    x = round((left + right) / 2 + along * (right - left) / 2)
    top = int(np.floor(np.interp(x, *upper[np.argsort(upper[:, 0])].T))) - 2
    bottom = int(np.ceil(np.interp(x, *lower[np.argsort(lower[:, 0])].T))) + 2
    return float((image[top:bottom, x - 1:x + 2].astype(np.float32) @ LUMA).min())


def test_a_painting_barely_parted_shows_its_own_lip_line_not_a_dark_bar(stack, sitter):
    """The painting's closed lip line is a soft shade (0.64 of its lips' lightness); parted by
    0.012 of its face height (5 px) the opening was painted in the cavity's deepest dark under
    the upper lip's shadow, 0.27 of the lips: darker than its own wide-open mouth, a black bar.
    It keeps about the lip line's shade now, while a wide opening keeps its dark."""
    painting = _light_warm_painting(sitter, stack)
    animator = MeshAnimator(painting, stack)
    own_line = _darkest_across(painting, animator.rig.points, 0.0)
    lip = float(animator.rig.palette.lip @ LUMA)
    assert own_line < 0.75 * lip  # (the painting has a lip line to keep)
    thin_out, thin_dst, _ = _opened(animator, NO_TEETH, share=0.012)
    thin = _darkest_across(thin_out, thin_dst, 0.0)
    assert thin > 0.8 * own_line  # its own shade, not a black bar (was 0.42 of it)
    assert thin < lip - 0.1 * lip  # and still a line between the lips
    wide_out, wide_dst, _ = _opened(animator, NO_TEETH, share=0.06)
    # A wide mouth stays darker than the line. (No more than that: this painting is high-key, its
    # darkest accents a mid tone, and a wide opening's darkest is lifted into its own range,
    # cavity.ACCENTS_FROM; 0.9 of its lip line here, where it had been 0.4, a hole.)
    assert _darkest_across(wide_out, wide_dst, 0.0) < min(thin, own_line) - 0.03 * lip


def test_a_thin_opening_fades_towards_the_corners_not_a_bar_with_blunt_ends(stack, sitter):
    """Lips barely parted part in the middle and close towards the corners. Each inner-lip point
    opened by the visitor's parting, the polygon stayed nearly as tall out to the corners, and
    its ends were as dark as its middle or darker (the cheeks' shade at the corners): a bar with
    blunt ends, 0.27-0.54 of the picture's own closed mouth's darkest there, on a photograph
    (the shipped sitter) and on a painting alike. Near the corners it is now about what the
    picture's closed mouth shows there."""
    for picture in (sitter, _light_warm_painting(sitter, stack)):
        animator = MeshAnimator(picture, stack)
        out, dst, _ = _opened(animator, NO_TEETH, share=0.012)
        for along in (-0.8, 0.8):
            own = _darkest_across(picture, animator.rig.points, along)
            assert _darkest_across(out, dst, along) > 0.75 * own
