"""Where a picture's eye opening reaches past the face mesh's lid lines, so a closing lid
covers all of it.

On a sitter turned a third of the way (36 degrees), the face mesh put the far eye's lid
lines in the brow's shadow, the eye's whole height above the eye the picture shows: the
lid drawn down closed that patch of shadow, and the eye itself, iris and all, stayed open
below it (a visitor's blink read as a wink). On another far eye the mesh's upper lid line
ran through the iris: the iris above it was lid skin to stretch, and the closed lid was
the iris's grey. The iris model, run on each eye at rest, finds the opening the picture
shows; where it lies past the mesh's lines, the closing lid starts from its upper lid and
closes onto its lower lid.
"""

from __future__ import annotations

import numpy as np

from ...face import Eye

# Samples along each eye, corner to corner (as lid_whites).
SAMPLES = 48
# The iris model's opening is taken as the same eye as the mesh's when its middle lies
# across the mesh's eye, between the crease and this many mesh eye widths below the lower
# lid, and it is half to one and a half times as wide.
BELOW_WIDTHS = 0.3
# Its lower lid moves the closing lid's end down by at most this many mesh eye widths;
# its upper lid moves the lid's margin up by at most this share of the lid band (the
# crease stays above it).
MOST_DOWN = 0.3
MOST_UP = 0.7


def _line(points: np.ndarray, xs: np.ndarray) -> np.ndarray:
    """The polyline's y at each x (nan outside it)."""
    order = np.argsort(points[:, 0])
    return np.interp(xs, points[order, 0], points[order, 1], left=np.nan, right=np.nan)


def opening_past_mesh(points: np.ndarray, eyes: tuple[Eye, Eye] | None, lids: tuple) -> tuple[np.ndarray, ...]:
    """Per eye (`lids`: lids.LIDS), along it from corner to corner (SAMPLES): how far the
    picture's opening reaches above the mesh's upper lid line (row 0) and below its lower
    lid line (row 1), in pixels at rest (`points`: the rest pose, picture pixels); zeros
    where the iris model saw another eye or none."""
    out = []
    for k, lid in enumerate(lids):
        reach = np.zeros((2, SAMPLES), np.float32)
        eye = None if eyes is None else eyes[k]
        out.append(reach)
        if eye is None or not np.all(np.isfinite(eye.lids[:, :2])):
            continue
        up, low, crease = (points[list(ids), :2] for ids in lid)
        left, right = sorted((min(up[0, 0], low[0, 0]), max(up[-1, 0], low[-1, 0])))
        width = max(right - left, 1.0)
        model_low = eye.lids[:9, :2]
        model_up = np.concatenate([eye.lids[:1, :2], eye.lids[9:, :2], eye.lids[8:9, :2]])
        centre = eye.lids[:, :2].mean(0)
        model_width = float(np.ptp(eye.lids[:, 0]))
        if not (left <= centre[0] <= right and 0.5 * width <= model_width <= 1.5 * width
                and crease[:, 1].mean() <= centre[1] <= low[:, 1].max() + BELOW_WIDTHS * width):
            continue
        xs = np.linspace(left, right, SAMPLES)
        mesh_up, mesh_low, mesh_crease = (_line(line, xs) for line in (up, low, crease))
        above = np.nan_to_num(mesh_up - _line(model_up, xs), nan=0.0)
        below = np.nan_to_num(_line(model_low, xs) - mesh_low, nan=0.0)
        band = np.nan_to_num(mesh_up - mesh_crease, nan=0.0)
        reach[0] = np.clip(above, 0.0, MOST_UP * np.maximum(band, 0.0))
        reach[1] = np.clip(below, 0.0, MOST_DOWN * width)
    return tuple(out)
