"""A sitter who shows her own upper teeth at rest (a smiling photograph): an opening mouth
keeps them as a row under her upper lip and opens below them, not a ring of stretched teeth
round a painted pit. The smile is drawn here into the shipped sitter's picture."""

from __future__ import annotations

from types import SimpleNamespace

import cv2
import numpy as np
import pytest

from installation.models.face import portrait_faces
from installation.models.motion.mesh import MeshAnimator
from installation.models.motion.mesh import animator as animator_module
from installation.models.motion.mesh.motion import Motion
from installation.models.motion.mesh.rig import INNER_LIPS, LOWER_INNER_LIP, UPPER_INNER_LIP

TEETH_SHARE = 0.45  # of the opening, from the upper lip down


def _smiling(sitter: np.ndarray, stack) -> tuple[np.ndarray, np.ndarray, float]:
    """The sitter with her lips parted (the lower inner lip 0.06 face heights down) and her
    upper teeth drawn in the opening's upper part; the mesh of that mouth; the teeth's depth."""
    mesh = portrait_faces(sitter, stack)[0].landmarks.astype(np.float32).copy()
    height = float(np.linalg.norm(mesh[152, :2] - mesh[10, :2]))
    lower = list(LOWER_INNER_LIP)[1:-1]
    u = np.abs(mesh[lower, 0] - mesh[14, 0]) / (abs(mesh[308, 0] - mesh[78, 0]) / 2)
    mesh[lower, 1] += 0.06 * height * np.sqrt(np.clip(1.0 - u * u, 0.0, 1.0))
    picture = sitter.copy()
    opening = np.round(mesh[list(INNER_LIPS), :2]).astype(np.int32)
    cv2.fillPoly(picture, [opening], (40, 25, 25))
    teeth = np.zeros(picture.shape[:2], np.uint8)
    cv2.fillPoly(teeth, [opening], 1)
    line = mesh[list(UPPER_INNER_LIP), :2]
    top = np.interp(np.arange(picture.shape[1]), *line[np.argsort(line[:, 0])].T)
    depth = TEETH_SHARE * 0.06 * height
    rows = np.arange(picture.shape[0])[:, None]
    teeth &= (rows <= top[None, :] + depth).astype(np.uint8)
    picture[teeth > 0] = (235, 230, 215)
    return picture, mesh, depth


@pytest.fixture
def smiling(stack, sitter, monkeypatch):
    picture, mesh, depth = _smiling(sitter, stack)
    face = SimpleNamespace(landmarks=mesh, height=float(np.linalg.norm(mesh[152, :2] - mesh[10, :2])))
    monkeypatch.setattr(animator_module, "find_portrait_face", lambda image, stack: face)
    monkeypatch.setattr(animator_module, "_portrait_analysis", lambda image, stack: ([face], stack.eyes(image, mesh)))
    return picture, mesh, depth


def _open_mouth() -> Motion:
    offsets = np.zeros((468, 3), np.float32)
    offsets[list(LOWER_INNER_LIP)[1:-1], 1] = 0.08
    return Motion(offsets=offsets, teeth=(0.0, 0.0))  # the visitor's own teeth hidden


def test_her_own_teeth_stay_a_row_and_the_mouth_opens_below_them(stack, smiling):
    picture, mesh, depth = smiling
    animator = MeshAnimator(picture, stack)
    assert np.array_equal(animator.render(Motion()), picture)  # at rest, the picture itself
    opened = animator.render(_open_mouth()).astype(np.float32)
    x0, x1 = int(mesh[82, 0]), int(mesh[312, 0]) + 1
    top = int(np.ceil(mesh[[82, 13, 312], 1].max()))
    edge = int(mesh[13, 1] + depth)
    # Her teeth where they were, as they were (painted over, they were a dark pit: 100+ off).
    band = np.abs(opened[top:edge - 1, x0:x1] - picture[top:edge - 1, x0:x1]).mean()
    assert band < 25.0
    luma = opened @ np.array([0.299, 0.587, 0.114])
    assert luma[edge + 3:int(mesh[14, 1]) + 2, x0:x1].mean() < 120  # and the opening below them
    # Not stretched down round the opening: no light band lower down.
    bottom = luma[int(mesh[14, 1]) + 2:int(mesh[14, 1] + 0.08 * animator.rig.face_height) - 2, x0:x1]
    assert (bottom > 180).mean() < 0.05


def test_a_closed_mouth_shows_no_teeth_at_rest(stack, sitter):
    from installation.models.motion.mesh.own_teeth import biting_line

    mesh = portrait_faces(sitter, stack)[0].landmarks
    assert biting_line(sitter, mesh) is None
    assert not MeshAnimator(sitter, stack).rig.own_teeth


def test_under_her_own_teeth_a_smile_shows_the_lower_lips_inside_not_a_dark_crescent(stack, smiling):
    """A visitor's smile: upper teeth over three quarters of their opening, resting on the
    lower lip's inside. Her own teeth stand for theirs and her opening begins at their edge,
    so what is under the visitor's teeth fills her opening: read as a share of the whole,
    it filled its bottom quarter and left a dark crescent under her teeth."""
    picture, mesh, depth = smiling
    animator = MeshAnimator(picture, stack)
    offsets = _open_mouth().offsets
    cavity = animator.render(Motion(offsets=offsets, teeth=(0.75, 0.0, 0.0, 0.0, 0.0))).astype(np.float32)
    smile = animator.render(Motion(offsets=offsets, teeth=(0.75, 0.0, 0.0, 0.0, 0.25))).astype(np.float32)
    dst = animator.place(Motion(offsets=offsets))[0]
    x0, x1 = int(mesh[82, 0]), int(mesh[312, 0]) + 1
    edge, bottom = dst[13, 1], dst[14, 1]  # her teeth's edge (the moved upper inner lip), the lower lip
    y0, y1 = int(round(edge + 0.2 * (bottom - edge))), int(round(edge + 0.5 * (bottom - edge)))
    luma = np.array([0.299, 0.587, 0.114], np.float32)
    lip = float(animator.rig.palette.lip @ luma)
    under = smile[y0:y1 + 1, x0:x1] @ luma
    assert under.mean() > 0.5 * lip > (cavity[y0:y1 + 1, x0:x1] @ luma).mean()
