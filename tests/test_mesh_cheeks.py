"""A smile bunches the cheeks (mesh/folds.py): the fold from the nose wing to past the mouth
corner deepens and the apple of the cheek above it catches the light. Moved as a flat
picture, a painted cheek stayed flat and a smile read as a mouth stretched across a still
face."""

from __future__ import annotations

import numpy as np

from installation.models.motion.mesh import MeshAnimator
from installation.models.motion.mesh.folds import FULL_SMILE_OUT, FULL_SMILE_UP, commanded_smile
from installation.models.motion.mesh.motion import Motion

LUMA = np.array([0.299, 0.587, 0.114])


def _corners(out: float, up: float) -> np.ndarray:
    """Offsets moving both mouth corners `out` (eye distances) and `up` (face heights)."""
    offsets = np.zeros((468, 3), np.float32)
    offsets[61, 0], offsets[291, 0] = -out, out
    offsets[[61, 291], 1] = -up
    return offsets


def _light(image: np.ndarray, at: np.ndarray, radius: int = 2) -> float:
    x, y = (int(round(v)) for v in at)
    return float((image[y - radius:y + radius + 1, x - radius:x + radius + 1].reshape(-1, 3) @ LUMA).mean())


def test_only_a_smile_is_a_smile():
    assert np.allclose(commanded_smile(_corners(FULL_SMILE_OUT, FULL_SMILE_UP)), (1.0, 1.0))
    assert commanded_smile(_corners(-0.02, -0.04)) == (0.0, 0.0)  # the jaw dropped: corners in and down
    assert commanded_smile(_corners(-0.05, 0.0)) == (0.0, 0.0)  # a pout
    assert commanded_smile(None) == (0.0, 0.0)


def test_a_smile_deepens_the_fold_and_lifts_the_apple_of_the_cheek(stack, sitter):
    animator = MeshAnimator(sitter, stack)
    smile = Motion(offsets=_corners(FULL_SMILE_OUT, FULL_SMILE_UP))
    smiling = animator.render(smile)
    moved, _, _ = animator.place(smile)
    rest = animator.rig.mesh[:, :2]
    for fold, apple in ((206, 50), (426, 280)):
        # Where the skin of the fold went, it is darker than it was (old: 0-3 % from the
        # skin gathering beside the corner alone) ...
        assert _light(smiling, moved[fold]) < 0.92 * _light(sitter, rest[fold])
        # ... and the cheek above it a little lighter, never much.
        assert 1.01 * _light(sitter, rest[apple]) < _light(smiling, moved[apple]) < 1.08 * _light(sitter, rest[apple])
    # A mouth opened without smiling leaves the cheeks as the skin's gathering shades them.
    opened = Motion(offsets=_corners(-0.02, -0.04))
    assert animator.smile_of(opened) == (0.0, 0.0)
