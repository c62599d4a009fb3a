"""Relative motion: move the portrait's keypoints as the visitor's moved since calibration.

Absolute transfer would paste the visitor's face geometry onto the portrait (a wide face
drives a narrow one into a wide one). Relative mode keeps the portrait's own geometry and
adds only the visitor's displacement since the calibration frame, scaled by the ratio of
face sizes (`adapt_movement_scale`), and composes the Jacobians the same way.
"""

from __future__ import annotations

import numpy as np
import torch

from .geometry import Keypoints, inverse_2x2

# Below this convex-hull area (in normalised units, the whole image is 4.0) the driver's
# keypoints have collapsed onto a line or a point: no face to measure, keep scale 1.
MIN_HULL_AREA = 1e-6


def convex_hull_area(points: np.ndarray) -> float:
    """Area of the convex hull of (N, 2) points (Andrew's monotone chain + shoelace)."""
    pts = sorted({(float(x), float(y)) for x, y in np.asarray(points, dtype=np.float64)})
    if len(pts) < 3:
        return 0.0

    def cross(o, a, b) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    def half(seq) -> list:
        chain: list = []
        for p in seq:
            while len(chain) >= 2 and cross(chain[-2], chain[-1], p) <= 0:
                chain.pop()
            chain.append(p)
        return chain[:-1]

    hull = np.array(half(pts) + half(reversed(pts)))
    if len(hull) < 3:
        return 0.0
    x, y = hull[:, 0], hull[:, 1]
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2.0)


def movement_scale(kp_source: Keypoints, kp_initial: Keypoints) -> float:
    """sqrt(hull area of the portrait's keypoints / hull area of the calibration keypoints)."""
    source = convex_hull_area(kp_source.value[0].detach().float().cpu().numpy())
    driver = convex_hull_area(kp_initial.value[0].detach().float().cpu().numpy())
    if source < MIN_HULL_AREA or driver < MIN_HULL_AREA:
        return 1.0
    return float(np.sqrt(source) / np.sqrt(driver))


def relative_keypoints(
    kp_source: Keypoints, kp_driving: Keypoints, kp_initial: Keypoints, scale: float = 1.0
) -> Keypoints:
    """kp = source + (driving - initial) * scale; J = J_driving inv(J_initial) J_source."""
    value = kp_source.value + (kp_driving.value - kp_initial.value) * scale
    jacobian = kp_driving.jacobian
    if kp_driving.jacobian is not None and kp_initial.jacobian is not None and kp_source.jacobian is not None:
        jacobian = torch.matmul(kp_driving.jacobian @ inverse_2x2(kp_initial.jacobian), kp_source.jacobian)
    return Keypoints(value, jacobian)
