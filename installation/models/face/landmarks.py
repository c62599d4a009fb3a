"""The face mesh and the iris: 468 landmarks, then eyelids and irises (networks layer).

The mesh looks at a 192x192 crop rotated so the eye line is level (MediaPipe's
face_landmark_cpu.pbtxt); the iris model at a 64x64 crop around each eye, the person's
left eye mirrored because the model knows only one eye (iris_landmark_cpu.pbtxt).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .detect import EYE_IMAGE_LEFT, EYE_IMAGE_RIGHT, Detection
from .geometry import Region, eye_line_angle
from .runtime import TFLiteModel

MESH_SIDE = 192
IRIS_SIDE = 64
# Canonical mesh indices used across the project (MediaPipe's face mesh numbering).
NOSE_TIP, FOREHEAD, CHIN = 1, 10, 152
EYE_OUTER_IMAGE_LEFT, EYE_INNER_IMAGE_LEFT = 33, 133
EYE_INNER_IMAGE_RIGHT, EYE_OUTER_IMAGE_RIGHT = 362, 263
CHEEK_IMAGE_LEFT, CHEEK_IMAGE_RIGHT = 234, 454
# The first 16 of the iris model's 71 eye-contour points are these mesh points (image-left
# eye; the other eye's are mirrored): lower lid corner to corner, then the upper lid.
EYE_CONTOUR_LEFT = (33, 7, 163, 144, 145, 153, 154, 155, 133, 246, 161, 160, 159, 158, 157, 173)
EYE_CONTOUR_RIGHT = (263, 249, 390, 373, 374, 380, 381, 382, 362, 466, 388, 387, 386, 385, 384, 398)


@dataclass(frozen=True)
class Eye:
    """One eye in image pixels: 16 lid points (lower lid, then upper) and the iris
    (centre first, then four points on its edge)."""

    lids: np.ndarray
    iris: np.ndarray

    @property
    def iris_centre(self) -> np.ndarray:
        return self.iris[0, :2]

    @property
    def iris_radius(self) -> float:
        return float(np.mean(np.linalg.norm(self.iris[1:, :2] - self.iris[0, :2], axis=1)))

    @property
    def opening(self) -> np.ndarray:
        """The eye opening's outline in drawing order (x, y): the lower lid corner to
        corner, then the upper lid back. (`lids` runs both lids the same way: drawn as it
        is, the outline crossed itself and cut a wedge out of the eye.)"""
        return np.concatenate([self.lids[:9, :2], self.lids[9:, :2][::-1]])

    @property
    def openness(self) -> float:
        """Upper to lower lid at the middle over corner to corner."""
        width = float(np.linalg.norm(self.lids[8, :2] - self.lids[0, :2]))
        return float(np.linalg.norm(self.lids[12, :2] - self.lids[4, :2])) / max(width, 1e-6)


def region_from_detection(detection: Detection) -> Region:
    """face_detection_front_detection_to_roi: the box, rotated by the eye line, 1.5x, square."""
    kp = detection.keypoints
    angle = eye_line_angle(kp[EYE_IMAGE_LEFT], kp[EYE_IMAGE_RIGHT])
    x0, y0, x1, y1 = detection.box
    side = max(x1 - x0, y1 - y0) * 1.5
    return Region((x0 + x1) / 2, (y0 + y1) / 2, side, side, angle)


def region_from_landmarks(landmarks: np.ndarray) -> Region:
    """face_landmark_landmarks_to_roi: the next crop from this frame's mesh."""
    angle = eye_line_angle(landmarks[EYE_OUTER_IMAGE_LEFT], landmarks[EYE_OUTER_IMAGE_RIGHT])
    return Region.around(landmarks, angle, scale=1.5)


class FaceMesh:
    def __init__(self, model: TFLiteModel) -> None:
        self.model = model

    def run(self, image: np.ndarray, region: Region, even=None) -> tuple[np.ndarray, float]:
        """468 (x, y, z) landmarks in image pixels, and the face-presence probability.
        `even`, a function on the RGB crop, can even out its light first."""
        landmarks, logit = self.run_logit(image, region, even)
        return landmarks, presence_of(logit)

    def run_logit(self, image: np.ndarray, region: Region, even=None) -> tuple[np.ndarray, float]:
        """As `run`, with the presence as the network's log-odds: two sure looks (0.98 and
        1.0 as probabilities) still differ there by 15 or more."""
        crop = region.crop(image[..., :3], MESH_SIDE)
        if even is not None:
            crop = even(crop)
        crop = crop.astype(np.float32) / 255.0
        outputs = self.model(crop[None])
        points = next(o for o in outputs if o.size == 1404).reshape(468, 3)
        logit = float(next(o for o in outputs if o.size == 1).reshape(()))
        return region.to_image(points, MESH_SIDE), logit


def presence_of(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-100.0, min(100.0, logit))))


class IrisModel:
    def __init__(self, model: TFLiteModel) -> None:
        self.model = model

    def eye_region(self, landmarks: np.ndarray, image_left: bool) -> Region:
        a, b = ((EYE_OUTER_IMAGE_LEFT, EYE_INNER_IMAGE_LEFT) if image_left
                else (EYE_INNER_IMAGE_RIGHT, EYE_OUTER_IMAGE_RIGHT))
        corners = landmarks[[a, b], :2]
        return Region.around(corners, eye_line_angle(corners[0], corners[1]), scale=2.3)

    def run(self, image: np.ndarray, landmarks: np.ndarray) -> tuple[Eye, Eye]:
        """Both eyes, image-left first."""
        eyes = []
        for image_left in (True, False):
            region = self.eye_region(landmarks, image_left)
            flip = not image_left
            crop = region.crop(image[..., :3], IRIS_SIDE, flip=flip).astype(np.float32) / 255.0
            outputs = self.model(crop[None])
            contour = next(o for o in outputs if o.size == 213).reshape(71, 3)
            iris = next(o for o in outputs if o.size == 15).reshape(5, 3)
            eyes.append(Eye(region.to_image(contour[:16], IRIS_SIDE, flip)[:, :2],
                            region.to_image(iris, IRIS_SIDE, flip)[:, :2]))
        return eyes[0], eyes[1]
