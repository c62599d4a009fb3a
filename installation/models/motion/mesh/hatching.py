"""The hatching a drawn open mouth is laid in (drawn_mouth.py): in the drawing's own stroke direction,
its lines a little uneven in spacing and weight, as a hand lays them.

Ruled at one fixed angle with perfectly even lines, the opening's hatching read as a machine's
patch laid on the drawing. A draughtsman hatches a drawing's shade in the direction his hand
takes throughout it; so the direction is read off the drawing's strokes round its eyes and
mouth, once per portrait (a structure tensor of the detail finer than the face's forms), and
where they run no one way (a drawing in tone and contour, no hatching) the lines rise to the
right, as a right hand draws them. Each line is shifted and weighted by its own small draw from
a generator seeded by the portrait: the same lines every frame (fixed to the paper, no shimmer),
different lines from one drawing to the next.
"""

from __future__ import annotations

from typing import NamedTuple

import cv2
import numpy as np

# Detail finer than FORMS_SIGMA hatching periods is the drawing's strokes; coarser, its forms
# (cheeks, the eyes' sockets), whose edges are no stroke direction.
FORMS_SIGMA = 2.0
# The strokes run one way where the structure tensor's coherence reaches COHERENT (made copies
# hatched at 30-60 degrees: 0.79-0.84; pencil, chalk and charcoal copies in tone and contour
# of three sitters, whose only lines are the features' edges: 0.14-0.28).
COHERENT = 0.45
# Nearer horizontal than LEVEL_DEG the direction is the features' (eyes, lips, brows), not a
# hatching's: the lines rise to the right instead. Laid level, an opening's hatching is a set of
# lines parallel to its lips, read as more lips.
LEVEL_DEG = 20.0
# The lines' direction where the strokes give none: rising to the right (image y runs down).
RIGHT_HAND = -np.pi / 4
# Each line shifted across by up to SHIFT of the spacing, its weight within WEIGHT of the even
# one; LINES draws, repeated across the opening (more lines than any opening holds).
SHIFT, WEIGHT, LINES = 0.12, 0.25, 64
# The lines never closer than CLOSEST_PX across: at the 2.1 px a small face's period gives at 45
# degrees, lines at any other angle fall between the pixels unevenly and alias into a second,
# crossing pattern (a moire); at 45 degrees they were pixel-aligned only by chance.
CLOSEST_PX = 3.0


class HatchLines(NamedTuple):
    """A drawing's hatching: its lines' direction and each line's shift and weight."""
    direction: float  # radians, image axes (y down)
    shifts: np.ndarray  # LINES, share of the spacing
    weights: np.ndarray  # LINES, times the even weight


def stroke_direction(grey: np.ndarray, period: float) -> float:
    """The direction (radians, image axes) of the strokes in `grey` (float32, a drawing round its
    eyes and mouth), or RIGHT_HAND where they run no one way or run level."""
    detail = grey - cv2.GaussianBlur(grey, (0, 0), FORMS_SIGMA * period)
    gx = cv2.Sobel(detail, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(detail, cv2.CV_32F, 0, 1, ksize=3)
    jxx, jyy, jxy = float(np.mean(gx * gx)), float(np.mean(gy * gy)), float(np.mean(gx * gy))
    if jxx + jyy <= 1e-6 or np.hypot(jxx - jyy, 2.0 * jxy) / (jxx + jyy) < COHERENT:
        return RIGHT_HAND
    # The strokes run across the direction their tone changes fastest.
    along = 0.5 * np.arctan2(2.0 * jxy, jxx - jyy) + np.pi / 2
    along = (along + np.pi / 2) % np.pi - np.pi / 2  # within a half turn of level
    return float(along) if abs(np.degrees(along)) >= LEVEL_DEG else RIGHT_HAND


def hatch_lines(box: np.ndarray, grey: np.ndarray, period: float) -> HatchLines:
    """The hatching for the drawing whose eyes-to-mouth box is `box` (uint8) and `grey` (float32)."""
    rng = np.random.default_rng(int(box.sum(dtype=np.int64)) & 0xFFFFFFFF)  # one draw per portrait
    shifts = rng.uniform(-SHIFT, SHIFT, LINES).astype(np.float32)
    weights = rng.uniform(1.0 - WEIGHT, 1.0 + WEIGHT, LINES).astype(np.float32)
    return HatchLines(stroke_direction(grey, period), shifts, weights)


def lay(lines: HatchLines, dark: np.ndarray, x0: int, y0: int, period: float, blur: float) -> np.ndarray:
    """How much of each pixel the hatching inks (0-1) where the opening is `dark` (0-1: the share
    of the spacing its line covers), the patch at picture pixel x0, y0, fixed to the paper. The
    spacing across the lines is period / sqrt 2 (a line every `period` pixels along the rows and
    columns at 45 degrees), CLOSEST_PX at least; their edges as soft as the picture (`blur`
    pixels, one at least)."""
    h, w = dark.shape
    spacing = max(period / np.sqrt(2.0), CLOSEST_PX)
    soft = max(1.0, blur) / spacing
    normal_x, normal_y = -np.sin(lines.direction), np.cos(lines.direction)
    yy, xx = np.mgrid[y0:y0 + h, x0:x0 + w].astype(np.float32)
    across = (xx * normal_x + yy * normal_y) * (1.0 / spacing)
    cell = np.floor(across)
    ink = np.zeros_like(dark)
    for k in (-1.0, 0.0, 1.0):  # a shifted line reaches into its neighbours' cells
        line = (cell + k).astype(np.int64) % LINES
        start = across - (cell + k) - lines.shifts[line]
        width = dark * lines.weights[line]
        cover = np.clip((width - start) / soft + 0.5, 0.0, 1.0) * np.clip(start / soft + 0.5, 0.0, 1.0)
        ink = np.maximum(ink, cover * (width > 0.0))
    return ink
