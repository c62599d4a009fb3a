"""The backward map at the edges of what moves: the head's edge where it covers the hair
behind it (eased, not cut), the picture's own edge (held still), and the box beyond which
nothing moves (left as it is, not sampled)."""

from __future__ import annotations

import cv2
import numpy as np

from .rig import PortraitRig

# Where a turned head's far edge covers the hair behind it, the map jumps: the cheek ended
# in a hard, straight cut through hair that the portrait shows soft, with stair-step
# notches along it. There (and only there: the face's outline and the rings beyond it),
# the map is eased over this share of the face height, so the band the edge hides is
# shown compressed, soft as in the picture. A jump is a second difference of the map
# above SEAM_JUMP_PX per map step: an affine map has none, the mesh's kinks a fraction.
SEAM_FEATHER_SHARE = 0.012
SEAM_JUMP_PX = 1.0
_SECOND_X = np.array([[1.0, -2.0, 1.0]], np.float32)
_SECOND_Y = _SECOND_X.T.copy()
# A map point moved less than this (pixels) samples the picture exactly where it is: OpenCV
# resamples at 1/32 of a pixel (cv2.remap's INTER_TAB_SIZE), so anything under half of that
# rounds to no move at all. (Blurred, the map's motion trails off through the whole region
# in displacements of millionths of a pixel: no exact zero bounds it.)
STILL_PX = 1.0 / 128.0
# Where the moving region reaches the picture's edge, the motion fades to none over this
# share of the face's height.
EDGE_HOLD_SHARE = 0.12


def edge_hold(rig: PortraitRig, xx: np.ndarray, yy: np.ndarray, step: int) -> np.ndarray | None:
    """Where the moving region reaches the picture's own edge (a small picture, or
    shoulders cut by its frame), how much of the motion each map point (`step` pixels
    apart) keeps: none at the edge, all of it EDGE_HOLD_SHARE of a face height inside. A
    picture's edge does not move: moved, it sampled beyond the picture, and what was
    mirrored in from there slid along the edge as the head nodded. None where the region
    lies inside the picture."""
    h, w = rig.image.shape[:2]
    x0, y0, x1, y1 = rig.region
    distances = [d for touches, d in ((x0 <= 0, xx + 0.5), (y0 <= 0, yy + 0.5),
                                      (x1 >= w, w - 0.5 - xx), (y1 >= h, h - 0.5 - yy)) if touches]
    if not distances:
        return None
    width = max(4.0, EDGE_HOLD_SHARE * rig.face_height)
    # Still for the last two map steps, so the enlarged map is exactly still at the edge.
    t = np.clip((np.minimum.reduce(distances) - 2.0 * step) / width, 0.0, 1.0)
    return (t * t * (3.0 - 2.0 * t)).astype(np.float32)  # smoothstep: no crease where it ends


def feather_edge_jumps(dx: np.ndarray, dy: np.ndarray, index: np.ndarray, at_edge: np.ndarray, step: int,
                       face_height: float) -> None:
    """Ease the map (coarse displacement, `step` pixels apart, in place) where it jumps at
    the head's edge (`at_edge`: per triangle number in `index`, whether it is there)."""
    jump = None
    for d in (dx, dy):
        for kernel in (_SECOND_X, _SECOND_Y):
            here = cv2.absdiff(cv2.filter2D(d, -1, kernel, borderType=cv2.BORDER_REPLICATE), 0.0)
            jump = here if jump is None else cv2.max(jump, here)
    seam = jump > SEAM_JUMP_PX * step
    if not seam.any():
        return
    seam[seam] = at_edge[index[seam]]
    if not seam.any():
        return
    sigma = max(1.0, SEAM_FEATHER_SHARE * face_height / step)
    # Only around the seam (it is a short stretch of the head's edge): the blurs are
    # the cost, and nothing beyond three sigmas changes.
    rows, cols = np.flatnonzero(seam.any(1)), np.flatnonzero(seam.any(0))
    reach = int(np.ceil(3.0 * sigma)) + 1
    box = (slice(max(rows[0] - reach, 0), rows[-1] + reach + 1),
           slice(max(cols[0] - reach, 0), cols[-1] + reach + 1))
    # Full easing within about a sigma of the jump, none beyond two or three. (The
    # stack blur is a Gaussian's close cousin whose cost does not grow with its size.)
    size = 2 * int(round(2.5 * sigma)) + 1
    weight = cv2.stackBlur(seam[box].astype(np.float32), (size, size))
    np.clip(weight * 3.0, 0.0, 1.0, out=weight)
    for d in (dx, dy):
        part = d[box]
        eased = cv2.stackBlur(part, (size, size))
        eased -= part
        eased *= weight
        part += eased


def moving_extent(dx: np.ndarray, dy: np.ndarray, step: int) -> tuple[int, int, int, int] | None:
    """The box (x0, y0, x1, y1, region pixels at full resolution, not clipped to it) outside
    which the map, enlarged from the coarse displacement `dx`, `dy` (`step` pixels apart),
    moves nothing (by STILL_PX); None where nothing moves. Beyond it every pixel samples itself, which
    gives the picture back exactly: there the frame can be left as it is instead of being
    sampled (on the shipped sitter, a tenth of the region, below the shoulders' last ring)."""
    moved = (cv2.absdiff(dx, 0.0) > STILL_PX) | (cv2.absdiff(dy, 0.0) > STILL_PX)
    rows = np.flatnonzero(moved.any(1))
    if not rows.size:
        return None
    cols = np.flatnonzero(moved.any(0))
    # Enlarged, coarse sample j reaches the full pixels within a step of j * step + centre.
    return (int(cols[0]) - 1) * step, (int(rows[0]) - 1) * step, (int(cols[-1]) + 2) * step, \
        (int(rows[-1]) + 2) * step
