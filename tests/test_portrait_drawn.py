"""A small drawn copy of a portrait, its face in hatching, is found on its own eyes (issue 10:
the detectors and the mesh read the strokes' texture and refused it; drawn.py).

The truth is the sound fit of the sitter's photograph, scaled as the copy is.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from installation.imaging import read_rgb
from installation.models.face import portrait_faces
from installation.models.face.settle import LEFT_EYE, RIGHT_EYE
from installation.models.motion.mesh import find_portrait_face

FACES = Path(__file__).parent / "data" / "faces-cc0"


def _eyes(landmarks: np.ndarray) -> np.ndarray:
    points = np.asarray(landmarks)[:, :2]
    return np.array([points[list(LEFT_EYE)].mean(0), points[list(RIGHT_EYE)].mean(0)])


def _hatched(rgb: np.ndarray) -> np.ndarray:
    """An engraver's copy: black strokes 5 px apart on white, one more direction of strokes
    for each darker band of tone (no grey left)."""
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32) / 255
    ys, xs = np.mgrid[: grey.shape[0], : grey.shape[1]]
    out = np.ones_like(grey)
    for band, (a, b) in enumerate([(1, 1), (1, -1), (0, 1)]):
        strokes = (a * xs + b * ys) % 5 < 1.5
        out[(grey < 0.75 - 0.22 * band) & strokes] = 0.15
    return cv2.cvtColor((out * 255).astype(np.uint8), cv2.COLOR_GRAY2RGB)


@pytest.mark.parametrize("name", ["face_woman_109.jpg", "face_man_281.jpg"])
def test_a_small_hatched_copy_is_found_on_its_eyes(stack, name):
    photograph = read_rgb(FACES / name, max_side=900)
    sound = find_portrait_face(photograph, stack)
    scale = 90 / sound.height  # a face 90 px tall, a miniature's
    copy = _hatched(cv2.resize(photograph, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA))
    truth = _eyes(sound.landmarks) * scale
    face = find_portrait_face(copy, stack)  # (before: "no face found")
    assert np.linalg.norm(_eyes(face.landmarks) - truth, axis=1).max() < 0.1 * np.linalg.norm(truth[1] - truth[0])


def test_hatching_without_a_face_shows_no_face(stack):
    # A hatched landscape, sky over fields, and a hatched gradient: strokes alone are no face.
    sky = np.zeros((240, 320, 3), np.uint8)
    sky[:120], sky[120:] = (120, 170, 230), (60, 120, 50)
    cv2.circle(sky, (240, 50), 25, (250, 240, 180), -1)
    ramp = np.tile(np.linspace(0, 255, 320, dtype=np.uint8), (240, 1))
    for picture in (sky, cv2.cvtColor(ramp, cv2.COLOR_GRAY2RGB)):
        assert portrait_faces(_hatched(picture), stack) == []


def test_a_photograph_whose_face_is_refused_gets_no_face_from_a_blurred_look(stack):
    # Cut through the lids, this sitter's face is refused; blurred, the mesh was sure (1.0)
    # of a "face" on his beard. A photograph is no drawing in strokes: it is not looked at so.
    photograph = read_rgb(FACES / "face_man_156.jpg", max_side=900)
    sound = find_portrait_face(photograph, stack)
    top, bottom = float(sound.landmarks[:, 1].min()), float(sound.landmarks[:, 1].max())
    cut = np.ascontiguousarray(photograph[int(top + 0.32 * (bottom - top)):])
    assert portrait_faces(cut, stack) == []
