"""A wink made with the head turned reads as a wink.

Turned 9-15 degrees, a wink was taken for the
mesh misreading the far eye, raised to the other eye's opening: both of the portrait's eyes
half closed instead.
"""

from __future__ import annotations

import numpy as np
import pytest

from installation.models.face import portrait_faces
from installation.models.face.landmarks import Eye
from installation.models.motion.mesh.motion import DriverReference
from tests.test_driver_neutral import _turned
from tests.test_mesh_expression import _with_eyes_open


@pytest.fixture(scope="module")
def neutral(stack, sitter) -> np.ndarray:
    return portrait_faces(sitter, stack)[0].landmarks.astype(np.float64)


@pytest.fixture(scope="module")
def eyes(stack, sitter, neutral) -> tuple[Eye, Eye]:
    return stack.eyes(sitter, neutral.astype(np.float32))


def _closed_share(landmarks: np.ndarray) -> float:
    """The share of the rest opening at which the face mesh reads an eye closed (0.12 eye widths)."""
    width = np.linalg.norm(landmarks[33, :2] - landmarks[133, :2])
    return float(min(0.12 * width / np.linalg.norm(landmarks[159, :2] - landmarks[145, :2]), 0.4))


def _eye_shut(eye: Eye, share: float) -> Eye:
    """The eye model's reading of the same eye with its upper lid brought down to `share` of its opening."""
    lids = eye.lids.copy()
    # (Both lids run the same way, corner to corner: upper point 9 + k stands over lower point 1 + k.)
    lids[9:, 1] = lids[1:8, 1] + share * (lids[9:, 1] - lids[1:8, 1])
    return Eye(lids, eye.iris)


def test_a_wink_made_turned_closes_one_eye_and_a_misread_far_eye_still_follows_the_other(neutral, eyes):
    """The eye model, reading each eye on its own crop, tells the two apart: it sees the wink too."""
    reference = DriverReference(neutral, eyes)
    turn = 14.0 if reference.motion(_turned(neutral, 14.0)).yaw > 0 else -14.0
    far = 1  # image-right: the eye the mesh misreads when yaw is positive
    face = _with_eyes_open(neutral, _closed_share(neutral))
    face[[159, 145]] = neutral[[159, 145]]  # the image-left eye stays open
    face = _turned(face, turn)
    assert reference.motion(face).yaw > 10.0
    winked = list(eyes)
    winked[far] = _eye_shut(eyes[far], 0.3)
    assert winked[far].openness < 0.6 * eyes[far].openness
    wink = reference.motion(face, tuple(winked)).eye_open
    assert wink[far] < 0.1 and wink[1 - far] > 0.8, wink
    # The mesh alone reading the far eye closed while the eye model sees it open: a misreading.
    misread = reference.motion(face, eyes).eye_open
    assert min(misread) > 0.6, misread
