"""A turned sitter's nose drawn once: as the visitor turns the portrait or pulls its cheek,
the strip of far cheek the nose hid in the picture comes into view, and it must show
cheek, not the nose's own edge a second time beside the nose.

A CC0 face turned about 30 degrees (tests/data/faces-cc0)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from installation.models.motion.mesh import MeshAnimator
from installation.models.motion.mesh.motion import Motion

TURNED = Path(__file__).parent / "data" / "faces-cc0" / "face_man_120.jpg"  # turned about 30 degrees


@pytest.fixture(scope="module")
def aside(stack):
    return MeshAnimator(cv2.cvtColor(cv2.imread(str(TURNED)), cv2.COLOR_BGR2RGB), stack)


def _nose_drawn_twice(animator: MeshAnimator, motion: Motion) -> int:
    """Map pixels drawn by a triangle beside the nose (sharing no corner with it) that
    sample, in the picture at rest, a pixel the nose shows: the nose's edge a second time.
    The nose: the face's points nearer than halfway from its median depth to the nose tip's,
    within 0.3 face heights of the tip."""
    warper, rig = animator.warper, animator.rig
    triangles, depth = rig.triangles, rig.points[:, 2].astype(np.float64)
    mesh = rig.points[:468]
    tip = mesh[1]
    nose_points = np.flatnonzero((mesh[:, 2] < (tip[2] + np.median(mesh[:, 2])) / 2)
                                 & (np.linalg.norm(mesh[:, :2] - tip[:2], axis=1) < 0.3 * rig.face_height))
    nose = np.isin(triangles, nose_points).all(axis=1)
    face = np.all(triangles < 468, axis=1) & ~rig.backdrop
    rest_index = warper.triangle_index(rig.points[:, :2].astype(np.float64), depth)
    dst, _, moved_depth = animator.place(motion)
    index = warper.triangle_index(dst, moved_depth)
    map_x, map_y = warper.backward_map(dst.astype(np.float64), moved_depth)
    step, (h, w) = warper.step, index.shape
    col = np.rint((map_x[::step, ::step][:h, :w] - warper.origin[0] - warper.centre) / step).astype(int)
    row = np.rint((map_y[::step, ::step][:h, :w] - warper.origin[1] - warper.centre) / step).astype(int)
    inside = (col >= 0) & (row >= 0) & (col < w) & (row < h)
    shown = np.full(index.shape, len(triangles))
    shown[inside] = rest_index[row[inside], col[inside]]
    beside = (index < len(triangles)) & (shown < len(triangles))
    beside[beside] = face[index[beside]] & ~nose[index[beside]] & nose[shown[beside]]
    drawn, sampled = index[beside], shown[beside]
    shared = (triangles[drawn][:, :, None] == triangles[sampled][:, None, :]).any(axis=(1, 2))
    return int((~shared).sum())


def test_at_rest_nothing_beside_the_nose_samples_it(aside):
    assert _nose_drawn_twice(aside, Motion()) == 0


@pytest.mark.parametrize("yaw", (15.0, 20.0))
def test_the_cheek_the_nose_hid_does_not_show_the_nose_again(aside, yaw):
    """Turned towards the viewer, the far cheek comes out from behind the nose: before, 12
    and 21 of its pixels showed the nose's edge (a second outline beside the nose)."""
    assert _nose_drawn_twice(aside, Motion(yaw=yaw)) <= 8
