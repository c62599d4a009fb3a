"""Where a face sits inside the square crops every backend works on.

Both the driver (camera) and the source (portrait) are cut the same way around their
Haar face boxes, so one crop pixel means "the same place on a face" in both: motion
measured in driver-crop pixels is already scaled to the portrait's face size. The
masks and regions below are all in that normalised layout.
"""

from __future__ import annotations

import cv2
import numpy as np

# The crop side as a multiple of the Haar box side: the box spans brows to chin and
# cheek to cheek; 1.8x adds the forehead, hair line, ears and some neck.
CROP_SCALE = 1.8
# Haar boxes sit a little low on the head (centred near the nose); shift the crop up.
CROP_SHIFT_Y = -0.06  # in box sides


def box_in_crop(size: int) -> tuple[float, float, float]:
    """(cx, cy, side) of the face box inside a crop of side `size`."""
    side = size / CROP_SCALE
    return size / 2, size / 2 - CROP_SHIFT_Y * side, side


def crop_matrix(cx: float, cy: float, box_side: float, size: int, angle_deg: float = 0.0) -> np.ndarray:
    """The 2x3 affine that maps frame pixels to crop pixels for a face box."""
    side = box_side * CROP_SCALE
    s = size / side
    a = np.deg2rad(angle_deg)
    ca, sa = np.cos(a) * s, np.sin(a) * s
    # crop centre sits at the box centre shifted up
    ccx, ccy = cx, cy + CROP_SHIFT_Y * box_side
    return np.array(
        [[ca, sa, size / 2 - ca * ccx - sa * ccy], [-sa, ca, size / 2 + sa * ccx - ca * ccy]], np.float32
    )


def cut(image: np.ndarray, cx: float, cy: float, box_side: float, size: int) -> np.ndarray:
    m = crop_matrix(cx, cy, box_side, size)
    return cv2.warpAffine(image, m, (size, size), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def ellipse_mask(
    size: int, centre: tuple[float, float], axes: tuple[float, float], feather: float
) -> np.ndarray:
    """1 inside the ellipse, falling smoothly to 0 over `feather` (fraction of the axes)."""
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    r = np.sqrt(((xx - centre[0]) / axes[0]) ** 2 + ((yy - centre[1]) / axes[1]) ** 2)
    t = np.clip((r - (1 - feather)) / max(feather, 1e-6), 0, 1)
    return (1 - t * t * (3 - 2 * t)).astype(np.float32)  # smoothstep falloff


def face_mask(size: int) -> np.ndarray:
    """The inner face (brows, eyes, nose, mouth, chin): where expressions live."""
    cx, cy, side = box_in_crop(size)
    return ellipse_mask(size, (cx, cy + 0.04 * side), (0.46 * side, 0.60 * side), 0.35)


def head_mask(size: int) -> np.ndarray:
    """Face, hair line and jaw: what moves rigidly with a head turn. Falls to zero well
    inside the crop so the painting's background and shoulders stay put."""
    cx, cy, side = box_in_crop(size)
    return ellipse_mask(size, (cx, cy - 0.02 * side), (0.66 * side, 0.80 * side), 0.45)


def paste_mask(size: int) -> np.ndarray:
    """Where a crop is blended back into the whole picture: the head, feathered, never
    reaching the crop's square edge."""
    cx, cy, side = box_in_crop(size)
    return ellipse_mask(size, (cx, cy - 0.02 * side), (0.80 * side, 0.88 * side), 0.4)


def mouth_zone(size: int) -> np.ndarray:
    """Where a mouth can open (generous: jaws drop)."""
    cx, cy, side = box_in_crop(size)
    return ellipse_mask(size, (cx, cy + 0.30 * side), (0.22 * side, 0.20 * side), 0.4)


def eye_centres(size: int) -> list[tuple[float, float]]:
    cx, cy, side = box_in_crop(size)
    return [(cx - 0.19 * side, cy - 0.12 * side), (cx + 0.19 * side, cy - 0.12 * side)]
