"""A dark line drawn between closed lips (a miniaturist's lip line) is not stretched by an
opening mouth into dark flecks and streaks on the lips round the opening; pictures whose lips
meet in no dark line render exactly as before.

Made miniatures of the shipped sitter: nothing from ../shared.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from installation.models.face import portrait_faces
from installation.models.motion.mesh import MeshAnimator, mouth
from installation.models.motion.mesh.motion import Motion
from installation.models.motion.mesh.named_points import (
    INNER_LIPS,
    LOWER_INNER_LIP,
    LOWER_OUTER_LIP,
    OUTER_LIPS,
    UPPER_INNER_LIP,
    UPPER_OUTER_LIP,
)

LUMA = np.array([0.299, 0.587, 0.114], np.float32)
LINE = (92, 42, 38)  # a dark red-brown stroke, as a miniaturist closes the lips


def _polygon(shape: tuple[int, ...], points: np.ndarray) -> np.ndarray:
    mask = np.zeros(shape[:2], np.uint8)
    cv2.fillPoly(mask, [np.round(points).astype(np.int32)], 1)
    return mask


def _miniature(sitter: np.ndarray, stack, scale: float, line: bool) -> np.ndarray:
    """The sitter, scaled, as a pale miniature on ivory: tones lifted half way to white, pink
    lips, and a fine dark stroke where the lips meet, softened as the paint is (`line`; without
    it, lips in one flat tone)."""
    picture = cv2.resize(sitter, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    pale = 255.0 - (255.0 - picture.astype(np.float32)) * 0.5
    pale *= np.array([1.0, 0.96, 0.88], np.float32)
    mesh = portrait_faces(picture, stack)[0].landmarks[:, :2]
    lips = _polygon(picture.shape, mesh[list(OUTER_LIPS)]) > 0
    pale[lips] = pale[lips] * np.array([1.0, 0.74, 0.74], np.float32)
    if not line:  # lips in one flat tone: no crease where they meet either
        pale[lips] = np.median(pale[lips], axis=0)
    else:
        contact = (mesh[list(UPPER_INNER_LIP)] + mesh[list(LOWER_INNER_LIP)]) / 2
        cv2.polylines(pale, [np.round(contact * 16).astype(np.int32)], False, LINE, 2, cv2.LINE_AA, shift=4)
    return np.clip(cv2.GaussianBlur(pale, (0, 0), 0.8), 0, 255).astype(np.uint8)


def _opened(animator: MeshAnimator, share: float = 0.09):
    offsets = np.zeros((468, 3), np.float32)
    offsets[list(LOWER_INNER_LIP)[1:-1], 1] = share
    offsets[list(LOWER_OUTER_LIP)[1:-1], 1] = share * 0.8
    # (A yawn lifts the upper lip too: its inner edge is stretched from the line, not just left.)
    offsets[list(UPPER_INNER_LIP)[1:-1], 1] = -0.3 * share
    offsets[list(UPPER_OUTER_LIP)[1:-1], 1] = -0.2 * share
    # ...and draws the corners in: the lips near them are stretched across, from the line.
    mouth_points = list(INNER_LIPS) + list(OUTER_LIPS)
    rest = animator.rig.mesh[:, :2]
    middle = rest[[13, 14], 0].mean()
    offsets[mouth_points, 0] = -0.12 * (rest[mouth_points, 0] - middle) / animator.rig.face_height
    motion = Motion(offsets=offsets, teeth=(0.0, 0.0, 0.0, 0.0))
    return animator.render(motion), animator.place(motion)[0][:, :2]


def _lips_round_the_opening(shape: tuple[int, ...], dst: np.ndarray) -> np.ndarray:
    """The lips from a pixel beyond the painted opening's edge out to a quarter of its height."""
    opening = _polygon(shape, dst[list(INNER_LIPS)])
    beyond = cv2.distanceTransform((opening == 0).astype(np.uint8), cv2.DIST_L2, 3)
    gap = float(np.linalg.norm(dst[14] - dst[13]))
    return (_polygon(shape, dst[list(OUTER_LIPS)]) > 0) & (beyond >= 1.5) & (beyond <= max(3.0, 0.25 * gap))


@pytest.mark.parametrize("scale", [1.0, 0.5], ids=["miniature", "small-miniature"])
def test_a_drawn_lip_line_is_not_stretched_into_dark_flecks_round_the_opening(stack, sitter, scale):
    """Stretched from the few pixels where the lips meet, the stroke hung from the lips' inner
    edges as dark red-brown flecks at the opening's corners and streaks along the upper lip.
    Round the opening the lips are their own colour: none of it as dark as half way from the
    lips' tone to the stroke's."""
    painted = _miniature(sitter, stack, scale, line=True)
    animator = MeshAnimator(painted, stack)
    out, dst = _opened(animator)
    band = _lips_round_the_opening(out.shape, dst)
    rest_lips = _polygon(painted.shape, animator.rig.mesh[list(OUTER_LIPS), :2]) > 0
    lip_tone = float(np.percentile(painted[rest_lips].astype(np.float32) @ LUMA, 75))
    dark = (out.astype(np.float32) @ LUMA) < 0.5 * (lip_tone + float(np.asarray(LINE, np.float32) @ LUMA))
    assert band.sum() > 100
    assert (band & dark).sum() <= 0.01 * band.sum()


def test_lips_meeting_in_no_dark_line_render_exactly_as_before(stack, sitter, monkeypatch):
    """The stroke's taking out acts only on a picture whose lips meet in a line darker than
    themselves: a miniature without one renders byte for byte as it did without the rule."""
    painted = _miniature(sitter, stack, 1.0, line=False)
    out, _ = _opened(MeshAnimator(painted, stack))
    monkeypatch.setattr(mouth, "take_out_line", lambda *args: None)
    before, _ = _opened(MeshAnimator(painted, stack))
    assert np.array_equal(out, before)


def test_over_teeth_the_lips_are_not_read_at_all(stack, sitter, monkeypatch):
    """Over teeth (the mouth's paint passes an opening of 0) the rule lifts nothing, so it reads
    nothing either: on a lone-lined sitter about half of the open-mouth frames show teeth, and
    the reading (two blurs of the lips' box up to 6 px wide) was paid on each for no pixel.
    The same frame with the mouth open and no teeth is lifted: the sitter is one the rule acts on."""
    from installation.models.motion.mesh import stretched_line

    painted = _miniature(sitter, stack, 1.0, line=True)
    animator = MeshAnimator(painted, stack)
    _, dst = _opened(animator)
    rig = animator.rig
    assert stretched_line.line_alone(rig) > 0.0  # read once per portrait, before the watch below
    x0, y0, x1, y1 = rig.region
    moved = dst - animator.warper.origin
    gap = float(np.linalg.norm(dst[14] - dst[13]))
    region = np.ascontiguousarray(painted[y0:y1, x0:x1])
    opened = region.copy()
    stretched_line.take_out_line(opened, moved, gap, 1.0, rig)
    assert not np.array_equal(opened, region)

    def no_reading(*args, **kwargs):
        raise AssertionError("the lips were read over teeth, where nothing is lifted")

    monkeypatch.setattr(stretched_line.cv2, "GaussianBlur", no_reading)
    monkeypatch.setattr(stretched_line.cv2, "distanceTransform", no_reading)
    toothed = region.copy()
    stretched_line.take_out_line(toothed, moved, gap, 0.0, rig)
    assert np.array_equal(toothed, region)
