"""A line drawing's face, its lines softened into tone for the mesh (issue 10: pencil sketches
and pen outlines were refused or fitted with the eyes on a line beside them; sketched.py).

The truth is the sound fit of the sitter's photograph, scaled as the drawing is.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from installation.imaging import read_rgb
from installation.models.face import portrait_faces
from installation.models.face.settle import LEFT_EYE, RIGHT_EYE
from installation.models.motion.mesh import find_portrait_face

FACES = Path(__file__).parent / "data" / "faces-cc0"


def _eyes(landmarks: np.ndarray) -> np.ndarray:
    points = np.asarray(landmarks)[:, :2]
    return np.array([points[list(LEFT_EYE)].mean(0), points[list(RIGHT_EYE)].mean(0)])


def _line_drawing(rgb: np.ndarray) -> np.ndarray:
    """A pencil drawing with little shading: the photograph's edges as grey lines on white
    paper (a colour dodge of the grey by its blurred negative), its faint tones pushed to paper."""
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)
    negative = cv2.GaussianBlur(255 - grey, (0, 0), 3)
    dodged = np.clip(grey / np.maximum(255 - negative, 1), 0, 1)
    paper = np.array([250, 250, 247], np.float32)
    return np.clip(dodged[..., None] ** 3 * paper, 0, 255).astype(np.uint8)


def test_a_line_drawing_is_fitted_on_its_own_eyes(stack):
    photograph = read_rgb(FACES / "face_man_139.jpg", max_side=900)
    sound = portrait_faces(photograph, stack)[0]
    scale = 120 / sound.height  # a face 120 px tall
    drawing = _line_drawing(cv2.resize(photograph, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA))
    truth = _eyes(sound.landmarks) * scale
    face = find_portrait_face(drawing, stack)
    # (before: the worse eye 0.14 eye spacings off, on the lid's line above it)
    off = np.linalg.norm(_eyes(face.landmarks) - truth, axis=1).max()
    assert off < 0.1 * np.linalg.norm(truth[1] - truth[0])


def test_a_pencil_sketch_on_toned_paper_that_showed_no_face_is_found_on_its_eyes(stack, shared_data):
    # OpenCV's pencil sketch of the 1904 photograph, face 260 px tall, on blue-grey paper: the
    # detector saw the face and the mesh refused it (log-odds -4); softened it is sure of it.
    photograph = read_rgb(shared_data / "portrait-photo-1904.jpg", max_side=900)
    sound = portrait_faces(photograph, stack)[0]
    scale = 260 / sound.height
    sized = cv2.resize(photograph, None, fx=scale, fy=scale,
                       interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
    grey, _ = cv2.pencilSketch(cv2.cvtColor(sized, cv2.COLOR_RGB2BGR), sigma_s=60, sigma_r=0.07, shade_factor=0.03)
    sketch = (grey[..., None].astype(np.float32) / 255 * np.array([196, 204, 208], np.float32)).astype(np.uint8)
    truth = _eyes(sound.landmarks) * scale
    face = find_portrait_face(sketch, stack)  # (before: "no face found")
    off = np.linalg.norm(_eyes(face.landmarks) - truth, axis=1).max()
    assert off < 0.1 * np.linalg.norm(truth[1] - truth[0])
