"""A still portrait's face mesh is settled on the face, not left where the detector's crop put it
(issue 10: a laughing sitter tilted back had the mesh's eyes on his cheeks; settle.py).

The truth for a picture made harder in the test is the sound fit of the picture before, carried
through the same warp: a warp moves the picture's eyes and mouth exactly as it moves its pixels.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from installation.imaging import read_rgb
from installation.models.face.mirrored import fit_doubted
from installation.models.face.settle import SETTLE_LOOKS, key_points, settled
from installation.models.motion.mesh import find_portrait_face

FACES = Path(__file__).parent / "data" / "faces-cc0"


def _tilted_back(image: np.ndarray, amount: float) -> tuple[np.ndarray, np.ndarray]:
    """The picture with its top pushed away from the viewer (narrower and lower), as a head
    tilted back shows its face foreshortened; and the warp (3x3)."""
    h, w = image.shape[:2]
    corners = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    pushed = np.float32([[w * amount / 2, h * amount], [w - w * amount / 2, h * amount], [w, h], [0, h]])
    warp = cv2.getPerspectiveTransform(corners, pushed)
    return cv2.warpPerspective(image, warp, (w, h), borderMode=cv2.BORDER_REPLICATE), warp


def _off(landmarks: np.ndarray, truth: np.ndarray, height: float) -> float:
    """How far the fit's eyes, mouth or nose lie from the truth's (the farthest, in face heights)."""
    return float(np.linalg.norm(key_points(landmarks) - truth, axis=1).max() / height)


def test_a_face_tilted_back_is_fitted_on_its_own_eyes_and_mouth(stack):
    image = read_rgb(FACES / "face_man_120.jpg", max_side=900)
    sound = find_portrait_face(image, stack)
    tilted, warp = _tilted_back(image, 0.55)
    truth = cv2.perspectiveTransform(key_points(sound.landmarks)[None].astype(np.float32), warp)[0]
    # From the detector's crop alone the mesh is sure of a face squeezed between the eyes and
    # the mouth: its eyes on the cheeks, its mouth on the chin.
    first = stack.faces(tilted)[0]
    assert first.presence > 0.9 and _off(first.landmarks, truth, first.height) > 0.1  # (0.13)
    face = find_portrait_face(tilted, stack)
    assert _off(face.landmarks, truth, face.height) < 0.07  # (0.035)
    assert fit_doubted(tilted, face, stack) is None  # nothing to warn of: the fit is on the face


def test_sound_fits_are_kept_exactly_as_they_were_found(stack, sitter):
    # Turned, bearded, hatted, grainy and the shipped sitter: each fit settles within
    # SETTLED_WITHIN of where it was found, and is kept as it was (so sound portraits animate
    # exactly as before).
    pictures = [read_rgb(FACES / name, max_side=900) for name in
                ("face_man_116.jpg", "face_man_156.jpg", "face_man_89.jpg", "face_woman_3.jpg", "face_woman_97.jpg")]
    for image in [*pictures, sitter]:
        face = stack.faces(image)[0]
        assert settled(image, face, stack) is face


def test_a_settle_the_mesh_doubts_keeps_the_first_fit(stack):
    # A small face in a turban, tilted back a little: from its own points the mesh walks up
    # and aside onto the turban, less and less sure of it (presence 1.0 to 0.60, under the
    # level at which `check` warns that the mesh may lie on hair), and stops there 0.08 off
    # where the first fit was 0.05 off. The first fit is kept, and nothing is doubted.
    from installation.models.face.unsure import models_unsure

    image = read_rgb(FACES / "face_man_156.jpg", max_side=900)
    sound = find_portrait_face(image, stack)
    tilted, warp = _tilted_back(image, 0.3)
    truth = cv2.perspectiveTransform(key_points(sound.landmarks)[None].astype(np.float32), warp)[0]
    face = find_portrait_face(tilted, stack)
    assert models_unsure(face) is None, models_unsure(face)
    assert _off(face.landmarks, truth, face.height) < 0.065  # (0.048; walked 0.081)


class _Walking:
    """A face mesh that walks off a face a look at a time, surer or less sure of each look."""

    def __init__(self, face, step: float, presences: list[float]) -> None:
        self.face, self.step, self.presences, self.looks = face, step, list(presences), 0

    def run(self, image, region):
        self.looks += 1
        landmarks = self.face.landmarks.copy()
        landmarks[:, 0] += self.step * self.face.height * min(self.looks, len(self.presences))
        return landmarks, self.presences[min(self.looks, len(self.presences)) - 1]


def test_a_walk_onto_what_the_mesh_doubts_is_not_taken_and_a_sure_one_is(stack, sitter):
    from types import SimpleNamespace

    face = stack.faces(sitter)[0]
    doubted = SimpleNamespace(mesh_model=_Walking(face, 0.05, [0.99, 0.9, 0.6]))
    assert settled(sitter, face, doubted) is face
    sure = SimpleNamespace(mesh_model=_Walking(face, 0.05, [0.99, 0.98, 0.97]))
    walked = settled(sitter, face, sure)
    assert walked is not face and walked.presence == 0.97


def test_a_settled_fit_is_not_doubted_for_leaving_the_detectors_guess(stack, sitter):
    # The settle moves the mesh off the detector's box and points where they guessed (a face
    # tilted back: a sitter's settled fit 0.03 off his face was 0.41 from the detector's
    # points, over the 0.4 at which check says part of the face may be hidden). The first
    # fit agreed with the detector, so the two models saw the same face.
    from dataclasses import replace
    from types import SimpleNamespace

    from installation.models.face.unsure import models_apart, models_unsure

    face = stack.faces(sitter)[0]
    walked = settled(sitter, face, SimpleNamespace(mesh_model=_Walking(face, 0.15, [0.99, 0.99, 0.99])))
    assert walked is not face  # walked 0.45 of the face's height
    assert models_unsure(walked) is None and models_apart(walked) < 0.1
    # Where neither fit lies near the detector's points, the doubt is told as before.
    points = face.detection.keypoints.copy()
    points[:, 1] += 0.5 * face.height
    hidden = replace(walked, detection=replace(face.detection, keypoints=points))
    assert "part of the face may be hidden" in models_unsure(hidden)


class _Jumping:
    """A face mesh whose every look moves it to the other of two places, both off the first fit."""

    def __init__(self, face, places: tuple[float, float]) -> None:
        self.face, self.places, self.looks = face, places, 0

    def run(self, image, region):
        self.looks += 1
        landmarks = self.face.landmarks.copy()
        landmarks[:, 0] += self.places[self.looks % 2] * self.face.height
        return landmarks, 0.99


def test_a_mesh_that_never_settles_keeps_its_first_fit(stack, sitter):
    from types import SimpleNamespace

    face = stack.faces(sitter)[0]
    for places in ((0.15, 0.25), (0.25, 0.15)):  # whichever place the last look falls on
        jumping = _Jumping(face, places)
        assert settled(sitter, face, SimpleNamespace(mesh_model=jumping)) is face
        assert jumping.looks == SETTLE_LOOKS


def test_a_walk_that_loses_the_face_is_told_to_the_operator(stack, sitter):
    # From its own points the mesh walked 0.1 of the face's height, sure of each look, then
    # lost the face (presence 0.3). The last fit it found is taken, but `check`, `portrait
    # inspect` and the show's log now say so: before, the operator was not told.
    from types import SimpleNamespace

    from installation.models.face.unsure import models_unsure

    face = stack.faces(sitter)[0]
    losing = SimpleNamespace(mesh_model=_Walking(face, 0.05, [0.99, 0.98, 0.3]))
    walked = settled(sitter, face, losing)
    assert walked is not face and walked.presence == 0.98
    assert "lost the face as it settled" in (models_unsure(walked) or "")
    # A walk that loses the face within SETTLED_WITHIN of the first fit keeps that fit, and
    # nothing is told (4 of 93 sound fits did so, having moved 0.034 at most).
    near = SimpleNamespace(mesh_model=_Walking(face, 0.02, [0.99, 0.3]))
    assert settled(sitter, face, near) is face and models_unsure(face) is None
    # Nor is a walk that settles sure of each look.
    sure = settled(sitter, face, SimpleNamespace(mesh_model=_Walking(face, 0.05, [0.99, 0.98, 0.97])))
    assert sure is not face and models_unsure(sure) is None
