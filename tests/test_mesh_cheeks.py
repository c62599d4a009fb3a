"""A smile bunches the cheeks (mesh/folds.py): the fold from the nose wing to past the mouth
corner deepens and the apple of the cheek above it catches the light. Moved as a flat
picture, a painted cheek stayed flat and a smile read as a mouth stretched across a still
face."""

from __future__ import annotations

import numpy as np

from installation.models.motion.mesh import MeshAnimator, folds
from installation.models.motion.mesh.folds import FULL_SMILE_OUT, FULL_SMILE_UP, commanded_smile
from installation.models.motion.mesh.motion import Motion

LUMA = np.array([0.299, 0.587, 0.114])


def _corners(out: float, up: float) -> np.ndarray:
    """Offsets moving both mouth corners `out` (eye distances) and `up` (face heights)."""
    offsets = np.zeros((468, 3), np.float32)
    offsets[61, 0], offsets[291, 0] = -out, out
    offsets[[61, 291], 1] = -up
    return offsets


def _smile_over(rest: np.ndarray, face_height: float, out: float, up: float) -> np.ndarray:
    """A smile as a face makes it: the corners move, and the skin round them follows, less
    the farther it lies (a fifth of a face height away, a third as much). Corners moved
    alone fold the skin beside them, and how a fold is eased is not what these tests ask."""
    corners = _corners(out, up)
    moved, near = np.zeros_like(corners), np.zeros(468)
    for corner in (61, 291):
        distance = np.linalg.norm(rest[:468] - rest[corner], axis=1) / face_height
        weight = np.exp(-(distance / 0.19) ** 2)
        take = weight > near  # each point follows its nearer corner
        moved[take] = corners[corner] * weight[take, None]
        near = np.maximum(near, weight)
    return moved


def _light(image: np.ndarray, at: np.ndarray, radius: int = 2) -> float:
    x, y = (int(round(v)) for v in at)
    return float((image[y - radius:y + radius + 1, x - radius:x + radius + 1].reshape(-1, 3) @ LUMA).mean())


def test_only_a_smile_is_a_smile():
    assert np.allclose(commanded_smile(_corners(FULL_SMILE_OUT, FULL_SMILE_UP)), (1.0, 1.0))
    assert commanded_smile(_corners(-0.02, -0.04)) == (0.0, 0.0)  # the jaw dropped: corners in and down
    assert commanded_smile(_corners(-0.05, 0.0)) == (0.0, 0.0)  # a pout
    assert commanded_smile(None) == (0.0, 0.0)


def test_a_smile_deepens_the_fold_and_lifts_the_apple_of_the_cheek(stack, sitter, monkeypatch):
    animator = MeshAnimator(sitter, stack)
    rest = animator.rig.mesh[:, :2]
    smile = Motion(offsets=_smile_over(rest, animator.rig.face_height, FULL_SMILE_OUT, FULL_SMILE_UP))
    assert np.allclose(animator.smile_of(smile), (1.0, 1.0))
    smiling = animator.render(smile)
    moved, _, _ = animator.place(smile)
    assert animator.warper.folds_eased == 0
    # The same smile with the skin's gathering alone (no fold deepened, no apple lit).
    monkeypatch.setattr(folds, "FOLD_DEPTH", (0.0,) * len(folds.FOLD_DEPTH))
    monkeypatch.setattr(folds, "APPLE_LIGHT", 0.0)
    gathered = MeshAnimator(sitter, stack).render(smile)
    for fold, apple in ((206, 50), (426, 280)):
        # Where the skin of the fold went, it is darker than it was and than the gathering
        # alone makes it (old: 0-3 % from the skin gathering beside the corner) ...
        assert _light(smiling, moved[fold]) < 0.92 * _light(sitter, rest[fold])
        assert _light(smiling, moved[fold]) < 0.95 * _light(gathered, moved[fold])
        # ... and the cheek above it a little lighter, never much.
        plain = _light(gathered, moved[apple])
        assert 1.01 * plain < _light(smiling, moved[apple]) < 1.08 * plain
    # A mouth opened without smiling leaves the cheeks as the skin's gathering shades them.
    opened = Motion(offsets=_corners(-0.02, -0.04))
    assert animator.smile_of(opened) == (0.0, 0.0)


def test_a_grey_picture_is_shaded_in_one_channel_to_the_same_bytes(stack, sitter):
    """A monochrome picture's cheeks are shaded in one channel and spread to three (a third
    of the work): what is drawn is byte for byte what shading all three drew."""
    animator = MeshAnimator(sitter, stack)
    warper = animator.warper
    assert warper.sampler.monochrome  # the shipped daguerreotype
    rest = animator.rig.mesh[:, :2]
    smile = Motion(offsets=_smile_over(rest, animator.rig.face_height, FULL_SMILE_OUT, FULL_SMILE_UP))
    dst, gaze, depth = animator.place(smile)
    map_x, map_y = warper.maps(dst, gaze, depth)
    grey = np.random.default_rng(0).integers(0, 256, warper.shape, dtype=np.uint8)
    region = np.repeat(grey[..., None], 3, axis=2)
    box = (0, 0, warper.shape[1], warper.shape[0])
    points = np.column_stack([dst, depth])
    as_colour, as_grey = region.copy(), region.copy()
    warper.folds.shade(as_colour, points, map_x, map_y, box, animator.smile_of(smile))
    warper.folds.shade(as_grey, points, map_x, map_y, box, animator.smile_of(smile), grey=True)
    assert not np.array_equal(as_colour, region)  # the smile shaded the cheeks
    assert np.array_equal(as_grey, as_colour)
