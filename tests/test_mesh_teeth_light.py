"""The painted teeth as light as a photograph's teeth are, and shown in a thin grin.

Lit then shaded only ever darker (the lip's shadow, uneven light, the cavity showing
through), the row's lit half was 0.80-0.84 of the face's highlights where a photograph's
teeth are 0.94: a grey band beside warm skin. And a grin parted by a few pixels, the
visitor's own teeth too narrow to read, drew a tenth of the opening as teeth, under a
pixel: a thin black slot. Synthetic faces and the shipped sitter: nothing from ../shared.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from installation.models.motion.mesh import MeshAnimator
from installation.models.motion.mesh.enamel import lit_skin
from installation.models.motion.mesh.named_points import (
    FACE_OVAL,
    LEFT_EYE_OPENING,
    LOWER_INNER_LIP,
    RIGHT_EYE_OPENING,
    UPPER_INNER_LIP,
)

from .test_mesh_mouth import _light_warm_painting, _opened

LUMA = np.array([0.299, 0.587, 0.114], np.float32)


def _highlights(picture: np.ndarray, animator: MeshAnimator) -> float:
    """The face's lit skin's highlights (97th percentile lightness), as the teeth are lit by."""
    rest = animator.rig.mesh[:, :2]
    eyes = tuple(rest[list(eye)] for eye in (LEFT_EYE_OPENING, RIGHT_EYE_OPENING))
    return lit_skin(picture, rest, animator.rig.palette.skin, rest[list(FACE_OVAL)], eyes)[1]


def _upper_teeth_lit_half(out: np.ndarray, dst: np.ndarray) -> float:
    """The lighter half of the opening's upper part (0.2-0.4 of the way down from the
    upper lip, across the front teeth): the lit half of a row of upper teeth, if any."""
    centre, half = (dst[78, 0] + dst[308, 0]) / 2, (dst[308, 0] - dst[78, 0]) / 2
    xs = np.arange(int(round(centre - 0.35 * half)), int(round(centre + 0.35 * half)) + 1)
    upper, lower = dst[list(UPPER_INNER_LIP)], dst[list(LOWER_INNER_LIP)]
    top = np.interp(xs, *upper[np.argsort(upper[:, 0])].T)
    bottom = np.interp(xs, *lower[np.argsort(lower[:, 0])].T)
    light = np.concatenate([out[np.round(top + f * (bottom - top)).astype(int), xs]
                            for f in (0.2, 0.3, 0.4)]).astype(np.float32) @ LUMA
    return float(light[light >= np.median(light)].mean())


@pytest.mark.parametrize("warm", [False, True])
def test_an_open_mouths_teeth_are_as_light_as_a_photographs_beside_the_face(stack, sitter, warm):
    """On the sitter and on her as a pale warm painting: the lit half of the upper teeth is
    near the face's highlights (photographs: 0.94 of them), not a grey band under them."""
    picture = _light_warm_painting(sitter, stack) if warm else sitter
    animator = MeshAnimator(picture, stack)
    out, dst, _ = _opened(animator, (0.5, 0.0, 0.0, 0.0, 0.0))
    assert _upper_teeth_lit_half(out, dst) > 0.88 * _highlights(picture, animator)


@pytest.mark.parametrize("warm", [False, True])
def test_a_grin_too_narrow_to_read_the_visitors_teeth_shows_teeth_not_a_black_slot(stack, sitter, warm):
    """The visitor's lips parted by a few pixels (their teeth unread: None): the portrait's
    opening of about 7 pixels shows the upper teeth's edges, as light as teeth."""
    picture = _light_warm_painting(sitter, stack) if warm else sitter
    animator = MeshAnimator(picture, stack)
    out, dst, _ = _opened(animator, None, share=0.025)
    assert 5 < dst[14, 1] - dst[13, 1] < 10  # a thin grin
    assert _upper_teeth_lit_half(out, dst) > 0.75 * _highlights(picture, animator)


def test_a_toothy_grin_on_a_small_face_shows_its_teeth(stack, sitter):
    """A small face (120 px) whose grin parts the lips by about 3.5 pixels, the visitor's
    upper teeth filling most of it: the teeth are painted, not faded out as a sliver."""
    small = cv2.resize(sitter, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    animator = MeshAnimator(small, stack)
    out, dst, _ = _opened(animator, (0.6, 0.0, 0.0, 0.0, 0.4), share=0.025)
    assert 2.5 < dst[14, 1] - dst[13, 1] < 5
    assert _upper_teeth_lit_half(out, dst) > 0.6 * _highlights(small, animator)


def _sepia(sitter: np.ndarray) -> np.ndarray:
    """The sitter as an old sepia print: one tone, browner in its darker tones than in its
    lights, as a toned print is."""
    light = sitter.astype(np.float32) @ LUMA
    depth = 1.0 - light / 255.0
    cast = np.stack([1.0 + 0.35 * depth, 1.0 - 0.05 * depth, 1.0 - 0.45 * depth], axis=-1)
    cast /= (cast @ LUMA)[..., None]
    return np.clip(light[..., None] * cast, 0, 255).astype(np.uint8)


def test_on_a_sepia_print_the_teeth_in_shade_are_browner_as_its_darker_tones_are(stack, sitter):
    """Darkened in their lights' paler tone, the shaded teeth (towards the corners, the
    lower row) were a cool grey band beside skin in the print's brown: in shade they take
    the print's browner tone at their lightness."""
    print_ = _sepia(sitter)
    animator = MeshAnimator(print_, stack)
    out, dst, _ = _opened(animator, (0.35, 0.3, 0.0, 0.0, 0.0), share=0.1)
    centre, half = (dst[78, 0] + dst[308, 0]) / 2, (dst[308, 0] - dst[78, 0]) / 2
    xs = np.arange(int(round(centre - 0.6 * half)), int(round(centre + 0.6 * half)) + 1)
    upper, lower = dst[list(UPPER_INNER_LIP)], dst[list(LOWER_INNER_LIP)]
    top = np.interp(xs, *upper[np.argsort(upper[:, 0])].T)
    bottom = np.interp(xs, *lower[np.argsort(lower[:, 0])].T)
    teeth = np.concatenate([out[np.round(top + f * (bottom - top)).astype(int), xs]
                            for f in (0.12, 0.2, 0.8, 0.88)]).astype(np.float32)
    light = teeth @ LUMA
    redness = teeth[:, 0] / np.maximum(light, 1.0)
    lit, shaded = light >= np.percentile(light, 75), light <= np.percentile(light, 25)
    assert light[shaded].mean() < 0.8 * light[lit].mean()  # (there is shade on the row)
    assert redness[shaded].mean() > redness[lit].mean() + 0.02


def _under_yellow_varnish(painting: np.ndarray) -> np.ndarray:
    """A painting under a yellowed varnish: a cast over its lights as well as its darks, blue
    held back most (its lit skin about 0.75 saturated, as the Mona Lisa's)."""
    return np.clip(painting.astype(np.float32) * np.array([1.0, 0.85, 0.35]), 0, 255).astype(np.uint8)


def _saturation(rgb: np.ndarray) -> np.ndarray:
    return (rgb.max(-1) - rgb.min(-1)) / np.maximum(rgb.max(-1), 1.0)


def test_on_a_yellow_varnished_painting_the_teeth_are_ivory_not_mustard(stack, sitter):
    """Enamel takes the lit skin's hue at 0.75 of its saturation: under a yellowed varnish,
    whose cast is on the lights too, the teeth came out as saturated as the skin beside them,
    mustard (the Mona Lisa's: 0.72 beside skin at 0.75). They keep the picture's hue and
    light, an old painting's ivory: lighter than the skin and far less saturated (the teeth
    of fourteen colour photographs: 0.05-0.41)."""
    picture = _under_yellow_varnish(_light_warm_painting(sitter, stack))
    animator = MeshAnimator(picture, stack)
    out, dst, _ = _opened(animator, (0.5, 0.0, 0.0, 0.0, 0.0))
    centre, half = (dst[78, 0] + dst[308, 0]) / 2, (dst[308, 0] - dst[78, 0]) / 2
    xs = np.arange(int(round(centre - 0.35 * half)), int(round(centre + 0.35 * half)) + 1)
    upper, lower = dst[list(UPPER_INNER_LIP)], dst[list(LOWER_INNER_LIP)]
    top = np.interp(xs, *upper[np.argsort(upper[:, 0])].T)
    bottom = np.interp(xs, *lower[np.argsort(lower[:, 0])].T)
    teeth = np.concatenate([out[np.round(top + f * (bottom - top)).astype(int), xs]
                            for f in (0.2, 0.3, 0.4)]).astype(np.float32)
    lit = teeth[teeth @ LUMA >= np.median(teeth @ LUMA)]
    skin = animator.rig.palette.skin.astype(np.float32)
    assert _saturation(skin) > 0.6  # (the varnish's cast)
    assert np.median(_saturation(lit)) < 0.45 < 0.65 * _saturation(skin)
    assert np.median(lit @ LUMA) > skin @ LUMA  # lighter than the skin
    colour = np.median(lit, axis=0)
    assert colour[0] > colour[1] > colour[2] + 20  # and still the picture's yellow, not grey
