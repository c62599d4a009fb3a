"""How wide the picture's own closed lip line is, for the face it is drawn in.

A miniaturist or a pastellist may close the lips with a fine dark stroke: a brush's width,
a pixel or two however large the face is scanned. A photograph's line between closed lips is
the shadow in the crease where they meet, a width of the face itself: it grows with the face.
Read at half its depth, that shadow was 0.012-0.053 of the face's height wide on 201
photographs, paintings and made variants of them (colour photographs, old prints, faded,
over-exposed, scanned large; all but one from 0.014), and a 1-2 px stroke on
made miniatures 0.005-0.009 at faces of 280-300 px, 0.010-0.012 at 200 px. At a face of about
100 px a stroke's pixel or two is as wide as a crease (0.017-0.032): there the two are not told
apart. Read once per portrait (palette.py).
"""

from __future__ import annotations

import cv2
import numpy as np

from .meeting_lips import SITTER_LIPS_CLOSED
from .named_points import LOWER_INNER_LIP, UPPER_INNER_LIP

# The line is read across the middle of the mouth (this share of its width: the corners
# deepen into the cheeks' shade), this share of the face's height above and below it, in steps
# of STEP pixels; in the columns where the lips meet (SITTER_LIPS_CLOSED: across lips parted at
# rest the profile runs through the opening), and only where LEAST_COLUMNS are left.
ACROSS, REACH, STEP = 0.6, 0.05, 0.25
LEAST_COLUMNS = 5
# A column's line counts where it is this many levels darker than the darker of the two lips'
# lightest beside it (a fainter line's width is its noise).
LEAST_DEPTH = 8.0


def closed_line_width(grey: np.ndarray, mesh: np.ndarray) -> float | None:
    """The width at half its depth of the dark line between the closed lips (the median over the
    middle of the mouth), as a share of the face's height (points 10 to 152); None where it is
    not read (lips parted at rest, no line darker than the lips). `grey`: the picture, float32."""
    face_height = float(np.linalg.norm(mesh[10, :2] - mesh[152, :2]))
    upper, lower = mesh[list(UPPER_INNER_LIP), :2], mesh[list(LOWER_INNER_LIP), :2]
    left, right = float(mesh[78, 0]), float(mesh[308, 0])
    centre, half = (left + right) / 2, (right - left) / 2
    xs = np.arange(centre - ACROSS * half, centre + ACROSS * half + 1.0, dtype=np.float32)
    top, bottom = y_through(upper, xs), y_through(lower, xs)
    meet = bottom - top <= SITTER_LIPS_CLOSED * face_height
    if meet.sum() < LEAST_COLUMNS or face_height <= 0.0:
        return None
    xs, line = xs[meet], (top[meet] + bottom[meet]) / 2
    reach = max(3.0, REACH * face_height)
    down = np.arange(-reach, reach + STEP, STEP, dtype=np.float32)
    map_x = np.repeat(xs[None, :], len(down), axis=0)
    map_y = (line[None, :] + down[:, None]).astype(np.float32)
    strip = cv2.remap(grey, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    # Each column's darkest near where the mesh put the line, and the darker of the two lips'
    # lightest beside it (so that one lip's own shade is no line).
    near = np.abs(down) <= max(1.5, 0.25 * reach)
    dark_at = np.flatnonzero(near)[np.argmin(strip[near], axis=0)]
    widths = []
    for column, at in zip(strip.T, dark_at, strict=True):
        darkest = column[at]
        flank = min(column[:at + 1].max(), column[at:].max())
        if flank - darkest < LEAST_DEPTH:
            continue
        # Out from the darkest each way while under half its depth: the line itself, not the
        # lips' own shading further off.
        under = column < darkest + 0.5 * (flank - darkest)
        up = np.flatnonzero(~under[:at][::-1])
        down_to = np.flatnonzero(~under[at:])
        widths.append((up[0] if len(up) else at) + (down_to[0] if len(down_to) else len(column) - at))
    if len(widths) < LEAST_COLUMNS:
        return None
    return float(np.median(widths)) * STEP / face_height


def y_through(points: np.ndarray, xs: np.ndarray) -> np.ndarray:
    """The y of a lip line (its points, any order) at each x in `xs`. (Here, not in focus.py,
    which reads the rig: palette.py reads this module.)"""
    order = np.argsort(points[:, 0])
    return np.interp(xs, points[order, 0], points[order, 1])
