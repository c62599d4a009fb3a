"""The picture's own darkest and lightest passages: the tones and textures an open mouth is
painted in.

In a drawing or an engraving a dark is not a colour but strokes: graphite rubbed into the
paper's tooth, or lines of ink crossing with paper between them. Read pixel by pixel, the
picture's darkest tones are the ink itself, and a mouth filled with them as one smooth
colour, given random grain, read as a black blot cut into the drawing, nothing of its
strokes inside (and in a painting whose darkest shadow is a warm brown, as a black hole);
its teeth, given the same grain, as a strip of static. So two passages of the sitter are
found once per picture, each a window of one tone: the darkest (a shadowed fold of cloth,
the hair, a beard's shade) and the lightest on the face (a lit forehead or cheek). The dark
one's mean colour is the darkest the cavity is painted; each one's own fine detail, tiled in
the picture's place, is the texture laid over the paint of its tone (hatching where the
picture is hatched, graphite where it is drawn, film grain in a photograph, the canvas in a
painting).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .plate import DETAIL_SIGMA, robust_spread
from .tone import LUMA

# The window read for a passage, as a share of the face's height (at least MIN_SIDE
# pixels): large enough to hold a few strokes or hatching lines, small enough to find a
# passage of one tone. Tiled over a mouth, it repeats about twice across a wide opening.
SIDE_SHARE, MIN_SIDE = 0.22, 12
# A window counts as one tone when its smoothed light varies by little: windows are ranked
# by their mean light and this many times that variation (an edge between a black coat and
# a light collar is dark on average, but no passage).
FLATNESS = 1.5
# On the sitter: a window at least this much inside the mask it is looked for in.
INSIDE = 0.8
# The texture is the passage less its blur over this many pixels (strokes and lines a few
# pixels apart stay, the passage's own slow shading goes), limited to this many robust
# spreads (a speck of dust or a scratch in the window is not tiled across the mouth).
TEXTURE_SIGMA = DETAIL_SIGMA
TEXTURE_LIMIT = 2.5
FLOOR_PERCENTILE = 1.0


@dataclass(frozen=True)
class Passage:
    colour: np.ndarray  # RGB float32: the passage's mean colour
    texture: np.ndarray  # float32, the region's height x width x 3, zero mean: its detail, tiled
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in region pixels, where it was read
    spread: float  # the texture's strength: its robust spread, as the picture's grain is measured (plate.py)
    floor: float  # the picture's darkest (or lightest) tone, strokes and grain averaged out


    @property
    def light(self) -> float:
        return float(self.colour @ LUMA)


def passage(region: np.ndarray, face_height: float, where: np.ndarray | None = None,
            darkest: bool = True) -> Passage | None:
    """The darkest (or lightest) passage of one tone in `region` (RGB uint8), inside `where`
    (float32 0-1 over the region) when it holds a window; None when the region is too small
    to hold one."""
    h, w = region.shape[:2]
    side = int(max(MIN_SIDE, round(SIDE_SHARE * face_height)))
    if h < side or w < side:
        return None
    light = region.astype(np.float32) @ LUMA
    smooth = cv2.GaussianBlur(light, (0, 0), 2.0 * TEXTURE_SIGMA)

    def box(values: np.ndarray) -> np.ndarray:  # the mean over the window from each pixel down-right
        return cv2.boxFilter(values, -1, (side, side), anchor=(0, 0), borderType=cv2.BORDER_CONSTANT)

    # Per window (top-left corners on a grid a third of a window apart): its mean light and
    # the spread of its smoothed light, from box filters over the whole region at once.
    mean, mean_s = box(light), box(smooth)
    spread = np.sqrt(np.maximum(box(smooth * smooth) - mean_s * mean_s, 0.0))
    step = max(1, side // 3)
    ys, xs = np.arange(0, h - side + 1, step), np.arange(0, w - side + 1, step)
    score = (mean + FLATNESS * spread if darkest else FLATNESS * spread - mean)[np.ix_(ys, xs)]
    if where is not None:
        inside = box(where.astype(np.float32))[np.ix_(ys, xs)]
        if (inside >= INSIDE).any():
            score = np.where(inside >= INSIDE, score, np.inf)
    # The picture's darkest tone where the passage was looked for, as a tone (strokes, hatching
    # and grain averaged out over a few pixels): the darkest pixels of a drawing are its ink,
    # a black none of its passages has.
    tones = smooth[where >= 0.5] if where is not None and (where >= 0.5).sum() >= side * side else smooth
    floor = float(np.percentile(tones, FLOOR_PERCENTILE if darkest else 100.0 - FLOOR_PERCENTILE))
    iy, ix = np.unravel_index(int(np.argmin(score)), score.shape)
    y0, x0 = int(ys[iy]), int(xs[ix])
    window = region[y0:y0 + side, x0:x0 + side].astype(np.float32)
    detail = window - cv2.GaussianBlur(window, (0, 0), TEXTURE_SIGMA, borderType=cv2.BORDER_REFLECT)
    limit = TEXTURE_LIMIT * max(robust_spread(detail), 1e-3)
    detail = np.clip(detail, -limit, limit)
    detail -= detail.reshape(-1, 3).mean(0)
    # Tiled over the whole region once, in the picture's own place: painted over, the
    # strokes stay on the paper as the mouth moves (and nothing is laid out per frame).
    tiled = np.tile(detail, (-(-h // side), -(-w // side), 1))[:h, :w]
    return Passage(window.reshape(-1, 3).mean(0), np.ascontiguousarray(tiled, np.float32),
                   (x0, y0, x0 + side, y0 + side), robust_spread(detail), floor)
