"""The portrait is sampled only where its map moves anything (the rest of the frame is the
picture as it is): the frame must be the one sampling everything would give, a glance alone
must still move the irises, and maps other than the last made must not be cut to that
map's box."""

from __future__ import annotations

import numpy as np
import pytest

from installation.models.motion.mesh import MeshAnimator
from installation.models.motion.mesh.motion import Motion

GLANCE = Motion(gaze=np.array([[0.2, 0.05], [0.2, 0.05]], np.float32))
MOTIONS = {"turned": Motion(yaw=15.0, pitch=-8.0), "turned-rolled": Motion(yaw=-20.0, roll=10.0),
           "shifted": Motion(shift=np.array([0.03, -0.02], np.float32), scale=1.03), "glance": GLANCE}


@pytest.fixture(scope="module")
def animator(stack, sitter):
    return MeshAnimator(sitter, stack)


def _frame(animator: MeshAnimator, motion: Motion, sampled: list | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The frame as rendered (only where the map moves) and as sampled everywhere (copies
    of the same maps are not the last maps made, so they are sampled whole)."""
    warper = animator.warper
    dst, gaze, depth = animator.place(motion)
    dst = dst.astype(np.float64)
    map_x, map_y = warper.maps(dst, gaze, depth, motion.eye_open)
    whole_x, whole_y = map_x.copy(), map_y.copy()
    boxed = warper.paint(map_x, map_y, dst, motion.teeth, depth)
    whole = warper.paint(whole_x, whole_y, dst, motion.teeth, depth)
    return boxed, whole


@pytest.mark.parametrize("name", MOTIONS)
def test_a_frame_sampled_where_it_moves_is_the_frame_sampled_everywhere(animator, name, monkeypatch):
    boxes = []
    sample = animator.warper.sampler.sample

    def recorded(out, map_x, map_y, face, within=None):
        boxes.append(within)
        sample(out, map_x, map_y, face, within)

    monkeypatch.setattr(animator.warper.sampler, "sample", recorded)
    boxed, whole = _frame(animator, MOTIONS[name])
    assert np.array_equal(boxed, whole)
    rows, cols = boxes[0]
    h, w = animator.warper.shape
    # (Not the whole region: below the shoulders' last ring nothing moves.)
    assert (rows.stop - rows.start) * (cols.stop - cols.start) < 0.95 * h * w


def test_a_glance_alone_moves_the_irises(animator, sitter):
    """With the head still the mesh moves nothing; the irises are drawn into the maps after
    it, and must still be sampled where they moved."""
    boxed, whole = _frame(animator, GLANCE)
    assert np.array_equal(boxed, whole)
    assert np.abs(boxed.astype(int) - sitter.astype(int)).max() > 40


def test_maps_made_before_the_last_are_sampled_whole(animator):
    """The box belongs to the last maps made: a turned head's maps painted after a still
    head's were made must not be cut to the still head's box (its hair would stay behind)."""
    warper = animator.warper
    turned = MOTIONS["turned"]
    dst, gaze, depth = animator.place(turned)
    dst = dst.astype(np.float64)
    map_x, map_y = warper.maps(dst, gaze, depth, turned.eye_open)
    expected = warper.paint(map_x.copy(), map_y.copy(), dst, turned.teeth, depth)
    animator.render(Motion())  # a still head's maps are made last (its eyes as open: the same lids)
    late = warper.paint(map_x, map_y, dst, turned.teeth, depth)
    assert np.array_equal(late, expected)


@pytest.mark.parametrize("interpolation", ("linear", "cubic"))
def test_a_map_moved_less_than_the_still_share_samples_the_picture_exactly(interpolation):
    """What the box leaves out moves by less than STILL_PX: OpenCV must sample that as no
    move at all, or the frame outside the box would not be the one sampling would give."""
    import cv2

    from installation.models.motion.mesh.edges import STILL_PX

    picture = np.random.default_rng(3).integers(0, 256, (60, 80, 3), dtype=np.uint8)  # sharpest possible edges
    ys, xs = np.mgrid[0:40, 0:50].astype(np.float32) + np.float32(5.0)
    flag = {"linear": cv2.INTER_LINEAR, "cubic": cv2.INTER_CUBIC}[interpolation]
    still = cv2.remap(picture, xs, ys, flag, borderMode=cv2.BORDER_REFLECT)
    assert np.array_equal(still, picture[5:45, 5:55])
    for dx, dy in ((0.99, 0.0), (0.0, -0.99), (-0.99, 0.99)):
        moved = cv2.remap(picture, xs + np.float32(dx * STILL_PX), ys + np.float32(dy * STILL_PX), flag,
                          borderMode=cv2.BORDER_REFLECT)
        assert np.array_equal(moved, still)
