"""Rotated crops: the regions the mesh and iris models look at, and the way back.

MediaPipe feeds its landmark models a square crop rotated so the eye line is level. A
`Region` is that crop in image pixels; `crop()` resamples it and `to_image()` maps the
model's crop coordinates back to the image.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class Region:
    """A rectangle of the image: centre, size (pixels) and rotation (radians, the angle of
    its x axis in the image, y pointing down)."""

    cx: float
    cy: float
    width: float
    height: float
    angle: float = 0.0

    @classmethod
    def around(cls, points: np.ndarray, angle: float, scale: float = 1.5, square: bool = True) -> Region:
        """The box of `points` in a frame rotated by `angle`, scaled about its centre."""
        c, s = math.cos(angle), math.sin(angle)
        pts = np.asarray(points, dtype=np.float64)[:, :2]
        # Coordinates along the region's own axes.
        u = pts[:, 0] * c + pts[:, 1] * s
        v = -pts[:, 0] * s + pts[:, 1] * c
        uc, vc = (u.min() + u.max()) / 2, (v.min() + v.max()) / 2
        w, h = (u.max() - u.min()) * scale, (v.max() - v.min()) * scale
        if square:
            w = h = max(w, h)
        return cls(uc * c - vc * s, uc * s + vc * c, w, h, angle)

    def scaled(self, factor: float) -> Region:
        return Region(self.cx, self.cy, self.width * factor, self.height * factor, self.angle)

    def crop_to_image(self, size: int) -> np.ndarray:
        """2x3 affine taking crop pixels (0..size) to image pixels."""
        c, s = math.cos(self.angle), math.sin(self.angle)
        sx, sy = self.width / size, self.height / size
        # image = centre + R @ ((u - size/2) * sx, (v - size/2) * sy)
        m = np.array([[c * sx, -s * sy, 0.0], [s * sx, c * sy, 0.0]])
        m[:, 2] = np.array([self.cx, self.cy]) - m[:, :2] @ np.array([size / 2, size / 2])
        return m

    def crop(self, image: np.ndarray, size: int, flip: bool = False) -> np.ndarray:
        """The region resampled to size x size (edges replicated, as MediaPipe does).
        On faces cut by the picture's edge black, mean-colour or reflected padding each
        read some cuts better and others worse (bench/face_edges.py; docs/portrait.md,
        "Faces cut by the picture's edge"), so the crop keeps what the models were built with."""
        m = self.crop_to_image(size)
        if flip:
            m = m @ np.array([[-1.0, 0.0, size], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
        return cv2.warpAffine(image, m, (size, size), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                              borderMode=cv2.BORDER_REPLICATE)

    def to_image(self, points: np.ndarray, size: int, flip: bool = False) -> np.ndarray:
        """Crop pixel coordinates (x, y[, z]) to image pixels; z is scaled like x."""
        pts = np.array(points, dtype=np.float64, copy=True)
        if flip:
            pts[:, 0] = size - pts[:, 0]
        m = self.crop_to_image(size)
        out = pts.copy()
        out[:, :2] = pts[:, :2] @ m[:, :2].T + m[:, 2]
        if pts.shape[1] > 2:
            out[:, 2] = pts[:, 2] * self.width / size
        return out


def eye_line_angle(left: np.ndarray, right: np.ndarray) -> float:
    """The angle of the line from the image-left eye to the image-right eye."""
    return math.atan2(float(right[1] - left[1]), float(right[0] - left[0]))
