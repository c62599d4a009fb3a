"""Gaze: each iris slides inside its eye opening, under the lids.

The warper's backward map is shifted over the iris; the white of the eye around it takes
up the move. (Painting the uncovered white instead was tried: a portrait shows too little
of it to paint from, and the flat patches read as pasted in, worse than the stretch.)
"""

from __future__ import annotations

import cv2
import numpy as np

from .rig import LEFT_EYE_OPENING, RIGHT_EYE_OPENING, PortraitRig

SUBPIXEL_BITS = 4  # the eye opening is filled at 1/16 px, as the warper fills its triangles
# How far past the mesh's eye opening a moving iris still moves, as a share of the
# opening's height.
LID_REACH = 0.12
# A looking iris moves whole out to this share of its radius, and the white of the eye
# eases the move out beyond it over at least IRIS_EASE radii and EASE_PER_SHIFT times the
# move: no part of the white is stretched more than 1.6 times (eased over twice the move,
# up to 4 times, the picture's grain was drawn out into streaks).
IRIS_SOLID, IRIS_EASE, EASE_PER_SHIFT = 1.15, 0.8, 4.0
# An iris moves sideways at most this share of the white the picture shows beside it.
WHITE_SHARE = 0.4


def move_irises(map_x: np.ndarray, map_y: np.ndarray, rig: PortraitRig, src: np.ndarray, dst: np.ndarray,
                origin: np.ndarray, gaze_px: np.ndarray) -> None:
    """Shift each iris inside its (moved) eye opening, in the region's maps (in place);
    the lids stay where they are."""
    shape = map_x.shape
    for eye, ids, shift in zip(rig.eyes, (LEFT_EYE_OPENING, RIGHT_EYE_OPENING), gaze_px, strict=True):
        if not np.any(np.abs(shift) > 0.05):
            continue
        polygon = dst[list(ids)] - origin
        # The iris slides under the lids, and so does its glint: the mesh's lid line often
        # runs a pixel or two inside the picture's, so the moving part reaches that far
        # past it and eases out there. Cut at the line itself, the top of the iris and its
        # highlight stayed behind on the lid while a copy moved away: a torn white dash
        # along the lid when the visitor looked aside.
        reach = max(1.0, LID_REACH * float(np.ptp(polygon[:, 1])))
        grow = int(np.ceil(2.0 * reach)) + 2
        bx0, by0 = np.floor(polygon.min(0)).astype(int) - grow
        bx1, by1 = np.ceil(polygon.max(0)).astype(int) + grow + 1
        bx0, by0 = max(bx0, 0), max(by0, 0)
        bx1, by1 = min(bx1, shape[1]), min(by1, shape[0])
        if bx1 <= bx0 or by1 <= by0:
            continue
        mask = np.zeros((by1 - by0, bx1 - bx0), np.float32)
        pts = np.round((polygon - [bx0, by0]) * (1 << SUBPIXEL_BITS)).astype(np.int32)
        cv2.fillPoly(mask, [pts], 1.0, lineType=cv2.LINE_AA, shift=SUBPIXEL_BITS)
        side = 2 * int(np.ceil(reach)) + 1
        mask = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (side, side)))
        mask = cv2.GaussianBlur(mask, (0, 0), reach * 0.5)
        # Where the iris is now: its rest centre carried by the eye's own motion.
        eye_shift = dst[list(ids)].mean(0) - src[list(ids)].mean(0)
        cx, cy = eye.iris_centre + eye_shift - origin - [bx0, by0]
        # The iris moves whole (a Gaussian bump as wide as the iris moved its near edge less
        # than its middle, so looking aside squeezed the iris more than it moved it).
        # Around it the white takes up the move.
        radius = max(eye.iris_radius, 1.0)
        shift = _within_the_white(shift, polygon - [bx0, by0], cx, radius)
        if not np.any(np.abs(shift) > 0.05):
            continue
        ease = max(IRIS_EASE * radius, EASE_PER_SHIFT * float(np.hypot(*shift)), 1.0)
        xs = np.arange(bx1 - bx0, dtype=np.float32)[None, :]
        ys = np.arange(by1 - by0, dtype=np.float32)[:, None]
        to_new = np.sqrt((xs - np.float32(cx + shift[0])) ** 2 + (ys - np.float32(cy + shift[1])) ** 2)
        t = np.clip((to_new - np.float32(radius * IRIS_SOLID)) / np.float32(ease), 0.0, 1.0)
        mask *= 1.0 - t * t * (3.0 - 2.0 * t)
        map_x[by0:by1, bx0:bx1] -= mask * np.float32(shift[0])
        map_y[by0:by1, bx0:bx1] -= mask * np.float32(shift[1])


def _within_the_white(shift: np.ndarray, polygon: np.ndarray, cx: float, radius: float) -> np.ndarray:
    """The shift, sideways no further than WHITE_SHARE of the white of the eye the picture
    shows on that side (corner to iris). A portrait holds only that much white: an iris
    moved past it has nothing to uncover, and the little white there was stretched into
    streaks (a sitter with heavy lids and large irises shows a few pixels a side)."""
    room_left = max(0.0, (cx - radius) - float(polygon[:, 0].min()))
    room_right = max(0.0, float(polygon[:, 0].max()) - (cx + radius))
    x = float(np.clip(shift[0], -WHITE_SHARE * room_left, WHITE_SHARE * room_right))
    return np.array([x, shift[1]], np.float64)
