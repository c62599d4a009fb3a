"""A half-shut painted eye the lids give no lid keeps its slit as the visitor looks
(mesh/irises.py, HALF_SHUT).

Where the face mesh puts an eye's opening on the skin below a half-shut painted slit
(Klimt's Judith), the lid rules give that eye no lid (eye_reach.opening_below_mesh:
None). The iris move then worked on the mesh's opening, lid and cheek, with the slit
along its top edge: as the visitor looked down with eyes wide, the dark slit slid off its
painted place and the pale lid above was drawn across it, a streak. Such an eye keeps the
mesh's own map; the other eye, and an open eye given no lid, still look."""

from __future__ import annotations

import numpy as np
import pytest

from installation.models.motion.mesh import MeshAnimator, irises, warp
from installation.models.motion.mesh.irises import Irises
from installation.models.motion.mesh.motion import Motion
from installation.models.motion.mesh.named_points import LEFT_EYE_OPENING, RIGHT_EYE_OPENING
from tests.test_mesh_irises import CENTRES, SIZE, _drawn_eyes

LOOKS = [(3.0, 0.0), (-3.0, 0.0), (0.0, 2.5)]  # px: aside both ways, and down


def _looked(shift, lidless, **drawn):
    """How far each pixel's content came as both eyes look by `shift` (drawn eyes)."""
    rig, points = _drawn_eyes(**drawn)
    rows, cols = np.mgrid[0:SIZE[0], 0:SIZE[1]].astype(np.float32)
    map_x, map_y = cols.copy(), rows.copy()
    Irises(rig, points, lidless=lidless).move(map_x, map_y, points, np.zeros(2), np.array([shift, shift], np.float64))
    return np.hypot(cols - map_x, rows - map_y)


def _at(moved, k):
    cx, cy = CENTRES[k]
    return moved[int(cy) - 6:int(cy) + 7, int(cx) - 6:int(cx) + 7]


@pytest.mark.parametrize("shift", LOOKS)
def test_a_half_shut_eye_given_no_lid_keeps_its_slit(shift):
    # Painted half-shut: the iris model's lids 8 px apart over an iris 18 px tall (0.44).
    moved = _looked(shift, (True, False), model_half_height=4.0)
    assert _at(moved, 0).max() == 0.0  # (old: the slit slid with the look)
    assert _at(moved, 1).max() > 1.0  # the eye the lids paint still looks


@pytest.mark.parametrize("shift", LOOKS)
def test_an_open_eye_given_no_lid_still_looks(shift):
    # van Gogh's far eye: no lid, but painted open (its iris shows 0.83 of its height).
    moved = _looked(shift, (True, False), model_half_height=8.0)
    assert _at(moved, 0).max() > 1.0


@pytest.fixture(scope="module")
def half_shut_left(sitter, stack):
    """The shipped sitter as if her image-left eye were painted half-shut and the mesh had
    put it below the slit (the lids give it no lid)."""
    real, share = warp.opening_below_mesh, irises.HALF_SHUT
    warp.opening_below_mesh = lambda points, eyes, lids: (None, real(points, eyes, lids)[1])
    irises.HALF_SHUT = 2.0  # her open eye's iris shows 0.9 of its height
    try:
        return MeshAnimator(sitter, stack)
    finally:
        warp.opening_below_mesh, irises.HALF_SHUT = real, share


def _box(animator: MeshAnimator, ids) -> tuple[slice, slice]:
    points = animator.warper.src[list(ids)]
    (x0, y0), (x1, y1) = np.floor(points.min(0)).astype(int) - 6, np.ceil(points.max(0)).astype(int) + 7
    return slice(y0, y1), slice(x0, x1)


@pytest.mark.parametrize("gaze", [(0.2, 0.0), (-0.2, 0.0), (0.0, 0.15)])
def test_the_sitters_half_shut_eye_given_no_lid_keeps_its_slit_while_the_other_looks(half_shut_left, gaze):
    assert half_shut_left.warper.lid_belows[0] is None and half_shut_left.warper.lid_belows[1] is not None
    still = half_shut_left.render(Motion())
    looking = half_shut_left.render(Motion(gaze=np.array([gaze, gaze], np.float32)))
    left, right = _box(half_shut_left, LEFT_EYE_OPENING), _box(half_shut_left, RIGHT_EYE_OPENING)
    assert np.array_equal(looking[left], still[left])  # (old: its slit slid on every look)
    assert np.abs(looking[right].astype(int) - still[right].astype(int)).max() > 20
