"""What lies under the jaw (a collar, a ruff, a choker) stays put while the chin drops in
front of it, as the mouth opens or the head nods.

The shipped sitter with a collar stripe drawn across its neck: nothing from ../shared.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from installation.models.motion.mesh import MeshAnimator
from installation.models.motion.mesh.motion import Motion

BELOW_CHIN = 0.13  # the stripe's distance under the chin, in face heights
STRIPE = (20, 20, 140)  # a dark blue band, nothing like the sitter's tones


def _with_stripe(sitter, stack, below: float) -> tuple[MeshAnimator, int, range]:
    """The sitter with a stripe drawn across its neck, `below` face heights under the chin;
    the stripe's middle row and its columns (as wide as the face's lower half)."""
    from installation.models.motion.mesh.portrait_face import find_portrait_face

    face = find_portrait_face(sitter, stack)
    mesh, height = face.landmarks, face.height
    row = int(round(mesh[152, 1] + below * height))
    half = int(0.22 * height)
    centre = int(round(mesh[152, 0]))
    picture = sitter.copy()
    picture[row - 1:row + 2, centre - half:centre + half + 1] = STRIPE
    return MeshAnimator(picture, stack), row, range(centre - half, centre + half + 1)


@pytest.fixture(scope="module")
def collared(sitter, stack) -> tuple[MeshAnimator, int, range]:
    """The sitter with a stripe across its neck BELOW_CHIN under the chin (_with_stripe)."""
    return _with_stripe(sitter, stack, BELOW_CHIN)


def _stripe_rows(image: np.ndarray, row: int, columns: range, reach: int) -> np.ndarray:
    """Per column, the middle of the stripe's pixels within `reach` rows of `row` (NaN where
    none shows: the chin covers it there)."""
    lab = cv2.cvtColor(image, cv2.COLOR_RGB2LAB).astype(np.float32)
    stripe = cv2.cvtColor(np.uint8([[STRIPE]]), cv2.COLOR_RGB2LAB)[0, 0].astype(np.float32)
    window = lab[row - reach:row + reach + 1, columns.start:columns.stop]
    near = np.linalg.norm(window - stripe, axis=2) < 25.0
    rows = np.arange(-reach, reach + 1, dtype=np.float64)[:, None] + row
    found = near.sum(0)
    return np.where(found > 0, (near * rows).sum(0) / np.maximum(found, 1), np.nan)


def _jaw_drop(animator: MeshAnimator, drop: float) -> np.ndarray:
    """Offsets that open the mouth by dropping the jaw: every point below the mouth's
    corners moves down `drop` face heights."""
    mesh = animator.rig.mesh
    offsets = np.zeros((468, 3), np.float32)
    offsets[mesh[:, 1] > mesh[[61, 291], 1].max(), 1] = drop
    return offsets


@pytest.mark.parametrize("motion", ["mouth", "lowered"])
def test_a_collar_under_the_chin_stays_straight_and_in_place_as_the_chin_drops(collared, motion):
    """As the mouth opened (or the head went down), the chin pulled the band of picture under
    it down and squeezed it against the ring around the head: a choker drawn on a neck went
    into a long U, a ruff into streaks. A jaw drops in front of the collar: the collar stays
    where it is, straight, and the chin covers a little of it."""
    animator, row, columns = collared
    height = animator.rig.face_height
    moves = {"mouth": Motion(offsets=_jaw_drop(animator, 0.08)), "lowered": Motion(shift=np.array([0.0, 0.07]))}[motion]
    dst, _, _ = animator.place(moves)
    chin_drop = (dst[152, 1] - animator.rig.points[152, 1]) / height
    assert chin_drop > 0.05  # the chin went down towards the collar
    reach = int(0.1 * height)
    assert np.allclose(_stripe_rows(animator.render(Motion()), row, columns, reach), row, atol=0.5, equal_nan=False)
    seen = _stripe_rows(animator.render(moves), row, columns, reach)
    shown = ~np.isnan(seen)
    assert shown.mean() > 0.6  # most of it shows: the chin covers only a little
    assert np.abs(seen[shown] - row).max() <= 1.0, seen - row  # straight, and where it was


def test_a_choker_the_chin_drops_over_shows_once_not_again_along_the_chin(sitter, stack):
    """A choker just under the chin is covered as the chin drops over it. Where the chin's
    edge was eased as the head's edge over hair is, what it covered came back squeezed into
    that edge: the choker showed twice, still on the neck beside the chin and again as a
    line along the chin's outline (a ruff's hatching, as streaks there). The chin cuts over
    what it covers: the stripe shows only on its own rows."""
    animator, row, columns = _with_stripe(sitter, stack, 0.03)
    height = animator.rig.face_height
    frame = animator.render(Motion(offsets=_jaw_drop(animator, 0.08)))
    reach = int(0.15 * height)
    lab = cv2.cvtColor(frame, cv2.COLOR_RGB2LAB).astype(np.float32)
    stripe = cv2.cvtColor(np.uint8([[STRIPE]]), cv2.COLOR_RGB2LAB)[0, 0].astype(np.float32)
    window = lab[row - reach:row + reach + 1, columns.start:columns.stop]
    shown = np.linalg.norm(window - stripe, axis=2) < 40.0
    still = slice(reach - 2, reach + 3)  # the stripe's own rows (3) and a row each side
    assert shown[still].any(axis=0).mean() > 0.1  # beside the chin it is still there
    elsewhere = shown.copy()
    elsewhere[still] = False
    again = elsewhere.any(axis=0)
    assert again.mean() < 0.05, f"the stripe shows off its rows in {again.sum()} of {again.size} columns"
