"""A face that comes back after a real absence is measured afresh: the next visitor who
steps straight in does not inherit the last one's calibration (a turned head and a
twisted mouth for their whole visit), and a visitor who never left keeps theirs.

Synthetic landmarks from the shipped sitter's own face: nothing from ../shared.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest

from installation.models.face import portrait_faces
from installation.models.motion.mesh import MeshAnimator
from installation.models.motion.mesh.returning import SETTLE_MAX_S, SETTLE_MIN_S, calm

FPS = 30.0


def _turned(landmarks: np.ndarray, yaw_deg: float) -> np.ndarray:
    """The face turned about its own vertical axis (the mesh's x and depth)."""
    out = landmarks.astype(np.float64).copy()
    centre = out.mean(0)
    c, s = math.cos(math.radians(yaw_deg)), math.sin(math.radians(yaw_deg))
    x, z = out[:, 0] - centre[0], out[:, 2] - centre[2]
    out[:, 0], out[:, 2] = centre[0] + c * x + s * z, centre[2] - s * x + c * z
    return out.astype(np.float32)


def _someone_else(landmarks: np.ndarray) -> np.ndarray:
    """Another visitor at rest: their head a little turned, their mouth a little wider."""
    other = _turned(landmarks, 8.0).astype(np.float64)
    eye_distance = np.linalg.norm(other[263, :2] - other[33, :2])
    other[61, 0] -= 0.03 * eye_distance
    other[291, 0] += 0.03 * eye_distance
    return other.astype(np.float32)


def _open_mouthed(landmarks: np.ndarray) -> np.ndarray:
    out = landmarks.astype(np.float64).copy()
    height = np.linalg.norm(out[152, :2] - out[10, :2])
    out[[14, 17, 87, 317, 178, 402], 1] += 0.08 * height
    return out.astype(np.float32)


@pytest.fixture(scope="module")
def first_visitor(stack, sitter):
    return portrait_faces(sitter, stack)[0].landmarks


@pytest.fixture()
def animator(stack, sitter, first_visitor):
    animator = MeshAnimator(sitter, stack)
    animator._eyes = lambda frame, landmarks: None  # no camera picture behind these faces
    animator.calibrate_on(first_visitor)
    return animator


class Visit:
    def __init__(self, animator: MeshAnimator) -> None:
        self.animator, self.t = animator, 0.0
        self.frame = np.zeros((8, 8, 3), np.uint8)

    def show(self, landmarks: np.ndarray | None, seconds: float) -> None:
        for _ in range(int(round(seconds * FPS))):
            if landmarks is None:
                obs = SimpleNamespace(face=None, state="none")
            else:
                obs = SimpleNamespace(face=SimpleNamespace(landmarks=landmarks), state="ok")
            self.animator.step(self.frame, self.t, obs)
            self.t += 1.0 / FPS


def test_the_test_faces_are_what_they_say(first_visitor):
    assert calm(first_visitor) and calm(_someone_else(first_visitor))
    assert not calm(_open_mouthed(_someone_else(first_visitor)))


def test_the_next_visitor_stepping_straight_in_is_measured_afresh(animator, first_visitor):
    visit = Visit(animator)
    newcomer = _someone_else(first_visitor)
    visit.show(first_visitor, 0.5)
    visit.show(None, 1.2)  # the first visitor steps out; the scene's visit goes on
    visit.show(newcomer, SETTLE_MIN_S * 0.5)
    # A beat of rest while they step in: still the first visitor's calibration.
    assert np.allclose(animator.reference.neutral, first_visitor)
    visit.show(newcomer, SETTLE_MIN_S + 0.2)
    assert np.allclose(animator.reference.neutral, newcomer)
    motion = animator.reference.motion(newcomer.astype(np.float64))
    assert abs(motion.yaw) < 1.0 and np.abs(motion.offsets[[61, 291], :2]).max() < 0.01


def test_without_the_fresh_look_the_newcomer_would_wear_a_turned_head(first_visitor):
    """What the first test prevents, measured: read through the first visitor's
    calibration, the newcomer at rest turns the portrait's head and widens its mouth."""
    from installation.models.motion.mesh.motion import DriverReference

    motion = DriverReference(first_visitor).motion(_someone_else(first_visitor).astype(np.float64))
    assert abs(motion.yaw) > 5.0 and np.abs(motion.offsets[[61, 291], 0]).max() > 0.02


def test_a_visitor_who_never_left_keeps_their_calibration(animator, first_visitor):
    visit = Visit(animator)
    turned = _turned(first_visitor, 8.0)
    visit.show(first_visitor, 0.5)
    visit.show(None, 0.2)  # a blink of the tracker, not an absence
    visit.show(turned, 1.0)
    assert np.allclose(animator.reference.neutral, first_visitor)
    assert animator.returns.recalibrations == 0


def test_one_who_comes_back_mid_grimace_keeps_the_calibration_after_the_wait(animator, first_visitor):
    visit = Visit(animator)
    grimace = _open_mouthed(_someone_else(first_visitor))
    visit.show(first_visitor, 0.3)
    visit.show(None, 1.2)
    visit.show(grimace, SETTLE_MAX_S + 0.3)
    assert np.allclose(animator.reference.neutral, first_visitor)
    # ... and the portrait follows them again, open mouth and all.
    assert animator.returns.returned_at is None
    assert animator.last_motion.offsets is not None and animator.last_motion.offsets[14, 1] > 0.04


def test_a_newcomer_whose_eyes_were_not_read_on_the_calm_frame_is_measured_on_the_next(
        animator, stack, sitter, first_visitor):
    """The calm frame that makes a returning face's neutral had its irises unread (NaN): taken,
    the neutral gaze was NaN and the portrait's eyes stayed at rest for the rest of the visit.
    The portrait goes on resting and the next calm frame read whole is taken: the eyes follow."""
    from installation.models.face.landmarks import Eye
    from tests.test_mesh_backend import _looking_aside

    eyes = stack.eyes(sitter, first_visitor)
    unread = tuple(Eye(e.lids, np.full_like(e.iris, np.nan)) for e in eyes)
    visit = Visit(animator)
    newcomer = _someone_else(first_visitor)
    visit.show(first_visitor, 0.5)
    visit.show(None, 1.2)
    animator._eyes = lambda frame, landmarks: unread  # the iris model fails while they step in
    visit.show(newcomer, SETTLE_MIN_S + 0.2)
    assert np.allclose(animator.reference.neutral, first_visitor)  # not taken: still resting
    assert animator.returns.returned_at is not None and animator.returns.recalibrations == 0
    animator._eyes = lambda frame, landmarks: eyes
    visit.show(newcomer, 1.0 / FPS)
    assert np.allclose(animator.reference.neutral, newcomer) and animator.returns.recalibrations == 1
    animator._eyes = lambda frame, landmarks: _looking_aside(eyes, 0.1)
    visit.show(newcomer, 1.0 / FPS)
    assert np.allclose(animator.last_motion.gaze[:, 0], 0.1, atol=0.02), animator.last_motion.gaze
