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
one's mean colour is the darkest the cavity is painted and its own fine detail, tiled in the
picture's place, the texture laid over the cavity (hatching where the picture is hatched,
graphite where it is drawn, film grain in a photograph's shadows, the canvas in a
painting's); the light one says how much grain the picture's lights hold (blank paper in a
drawing: next to none).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .named_points import FACE_OVAL
from .plate import DETAIL_SIGMA, robust_spread
from .rig import PortraitRig
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
# ...and of that, its finest detail alone is tiled (the detail less a blur of this many
# pixels): grain, paper, canvas and a drawing's lines, not a painting's wider strokes.
FINEST_SIGMA = 1.0
CELLS_PER_SIDE = 6
# A passage's streaks that run within about this many degrees of the vertical are taken out
# of its texture (wholly within the first, none beyond the second), whatever made them: a
# painting's darkest passage is often brushwork (the strokes of hair falling, a dark ground
# dragged downwards, craquelure), and tiled in an opening those streaks read as the lip
# line stretched down, the warp's own fault (Mona Lisa's opening striped, Van Gogh's
# streaked: column-to-column steps 1.5-3 times the row-to-row ones). Grain, paper,
# canvas and a drawing's hatching at other angles stay.
UPRIGHT_STREAKS = (15.0, 30.0)


@dataclass(frozen=True)
class Passage:
    colour: np.ndarray  # RGB float32: the passage's mean colour
    tile: np.ndarray  # float32 side x side x 3, zero mean: its fine detail
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in region pixels, where it was read
    spread: float  # the texture's strength: its robust spread, as the picture's grain is measured (plate.py)
    floor: float  # the picture's darkest (or lightest) tone there, strokes and grain averaged out


    @property
    def light(self) -> float:
        return float(self.colour @ LUMA)

    def texture(self, x0: int, y0: int, height: int, width: int) -> np.ndarray:
        """The detail tiled over region pixels [y0, y0 + height) x [x0, x0 + width), in the
        picture's own place: painted over, the strokes stay on the paper as the mouth moves."""
        rows = np.arange(y0, y0 + height) % self.tile.shape[0]
        cols = np.arange(x0, x0 + width) % self.tile.shape[1]
        return self.tile[rows[:, None], cols[None, :]]


def passages(region: np.ndarray, face_height: float, sitter: np.ndarray | None,
             face: np.ndarray) -> tuple[Passage | None, Passage | None]:
    """The sitter's darkest passage of one tone in `region` (RGB uint8; on the person mask
    `sitter`, float32 0-1 over the region, where it holds a window) and the face's lightest
    (inside `face`, the same); (None, None) when the region is too small to hold a window."""
    h, w = region.shape[:2]
    side = int(max(MIN_SIDE, round(SIDE_SHARE * face_height)))
    if h < side or w < side:
        return None, None
    # Windows are compared on a grid of cells CELLS_PER_SIDE to a window (each cell the mean
    # of its pixels: strokes, hatching and grain averaged out), a third of a window apart:
    # read pixel by pixel, the house sitter's 560 x 710 region took 47 ms, a frame's hitch
    # the first time a visitor's mouth opened.
    cell = max(1, side // CELLS_PER_SIDE)
    grey = cv2.cvtColor(np.ascontiguousarray(region[..., :3]), cv2.COLOR_RGB2GRAY)  # LUMA's weights
    if cell > 1:
        small = tones = cv2.resize(grey, (w // cell, h // cell), interpolation=cv2.INTER_AREA).astype(np.float32)
    else:
        small = grey.astype(np.float32)
        tones = cv2.GaussianBlur(small, (0, 0), 2.0 * TEXTURE_SIGMA)
    span = side // cell

    def box(values: np.ndarray) -> np.ndarray:  # the mean over the window from each cell down-right
        return cv2.boxFilter(values, -1, (span, span), anchor=(0, 0), borderType=cv2.BORDER_CONSTANT)

    def cells(mask: np.ndarray) -> np.ndarray:  # (in bytes: resized as floats, 5 ms a mask)
        mask = np.round(np.clip(mask, 0.0, 1.0) * 255.0).astype(np.uint8)
        if cell > 1:
            mask = cv2.resize(mask, (w // cell, h // cell), interpolation=cv2.INTER_AREA)
        return mask.astype(np.float32) / 255.0

    mean, mean_t = box(small), box(tones)
    spread = np.sqrt(np.maximum(box(tones * tones) - mean_t * mean_t, 0.0))
    step = max(1, span // 3)
    ys = np.arange(0, tones.shape[0] - span + 1, step)
    xs = np.arange(0, tones.shape[1] - span + 1, step)
    grid = np.ix_(ys, xs)
    found = []
    for where, darkest in ((sitter, True), (face, False)):
        score = (mean + FLATNESS * spread if darkest else FLATNESS * spread - mean)[grid]
        where = cells(where) if where is not None else None
        if where is not None:
            inside = box(where)[grid]
            if (inside >= INSIDE).any():
                score = np.where(inside >= INSIDE, score, np.inf)
        iy, ix = np.unravel_index(int(np.argmin(score)), score.shape)
        # The picture's darkest tone where the passage was looked for, as a tone (strokes,
        # hatching and grain averaged out over a cell): the darkest pixels of a drawing are
        # its ink, a black none of its passages has.
        if darkest:
            chosen = where >= 0.5 if where is not None else None
            values = tones[chosen] if chosen is not None and chosen.sum() >= span * span else tones
            floor = float(np.percentile(values, FLOOR_PERCENTILE))
        else:
            floor = float(np.max(tones))
        # (Cells are whole pixels: the window's corner is kept inside the region.)
        found.append(_read(region, min(int(ys[iy]) * cell, h - side), min(int(xs[ix]) * cell, w - side), side, floor))
    return found[0], found[1]


def _read(region: np.ndarray, y0: int, x0: int, side: int, floor: float) -> Passage:
    """The passage in the window at (x0, y0): its colour and its fine detail."""
    window = region[y0:y0 + side, x0:x0 + side].astype(np.float32)
    detail = window - cv2.GaussianBlur(window, (0, 0), TEXTURE_SIGMA, borderType=cv2.BORDER_REFLECT)
    limit = TEXTURE_LIMIT * max(robust_spread(detail), 1e-3)
    detail = np.clip(detail, -limit, limit)
    # Its finest detail alone, where grain, paper and a drawing's lines are (the strokes of a
    # painted passage, wider, laid over a mouth, drew the hair or the ground they were read
    # from: Van Gogh's beard mottled his opening), less its upright streaks. Its strength is
    # its finest detail's with the streaks, less the share of grain with no direction the
    # streaks' band holds: grain is laid as strong as before, and what is left of a passage
    # that was mostly streaks as faint as it is in it, never blown up to the grain's strength.
    finest, streaked, grain_kept = _finest_without_upright_streaks(detail)
    return Passage(window.reshape(-1, 3).mean(0), finest,
                   (x0, y0, x0 + side, y0 + side), robust_spread(streaked) * grain_kept, floor)


def _finest_without_upright_streaks(detail: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """`detail` (side x side x 3) less its blur over FINEST_SIGMA and its streaks near the
    vertical (UPRIGHT_STREAKS), zero mean; the same with its streaks; and the share of white
    grain's spread the first keeps of the second's. Filtered in its spectrum, in the tile's
    own period (it is tiled, so its edges meet as the spectrum assumes). Read once per portrait."""
    side_y, side_x = detail.shape[:2]
    fy = np.abs(np.fft.fftfreq(side_y))[:, None]
    fx = np.abs(np.fft.rfftfreq(side_x))[None, :]
    # (What a Gaussian blur of FINEST_SIGMA keeps of each wave, taken out; the mean goes with it.)
    finest = 1.0 - np.exp(-2.0 * (np.pi * FINEST_SIGMA) ** 2 * (fx * fx + fy * fy))
    # A vertical streak varies from column to column and not down its length: its waves'
    # direction is within a few degrees of the rows'.
    from_rows = np.degrees(np.arctan2(fy, np.maximum(fx, 1e-9)))
    across = np.clip((from_rows - UPRIGHT_STREAKS[0]) / (UPRIGHT_STREAKS[1] - UPRIGHT_STREAKS[0]), 0.0, 1.0)
    spectrum = np.fft.rfft2(detail, axes=(0, 1)) * finest[..., None]
    without, streaked = (np.fft.irfft2(kept, s=(side_y, side_x), axes=(0, 1)).astype(np.float32)
                         for kept in (spectrum * across[..., None], spectrum))
    grain_kept = float(np.sqrt(np.sum((finest * across) ** 2) / max(float(np.sum(finest ** 2)), 1e-12)))
    return without, streaked, grain_kept


# The cavity is never darker than the darkest passage, but no lighter than this share of the
# lips (CAVITY_LIP_SHARE's upper bound in palette.py): lighter, the opening no longer reads as one.
DEEP_UNDER_LIPS = 0.45
# The passage's texture is laid as strong as the picture's grain is in its darks: its own
# pattern, at most this many times its own strength (a passage of flat black has no
# pattern to give, and is not blown up into one).
MOST_OVER_PASSAGE = 2.0


def of_rig(rig: PortraitRig) -> tuple[Passage | None, Passage | None]:
    """The sitter's darkest passage and the face's lightest, read once per portrait (kept on
    its rig)."""
    if rig.readings.passages is not None:
        return rig.readings.passages
    x0, y0, x1, y1 = rig.region
    region = rig.image[y0:y1, x0:x1]
    face = np.zeros(region.shape[:2], np.uint8)
    cv2.fillPoly(face, [np.round(rig.points[list(FACE_OVAL), :2] - (x0, y0)).astype(np.int32)], 1)
    found = passages(region, rig.face_height, rig.person, face)
    rig.readings.passages = found
    return found


def textured(colour: np.ndarray, rig: PortraitRig, dark_and_light: tuple[Passage | None, Passage | None],
             grain: np.ndarray | None, share: float, x0: int, y0: int) -> np.ndarray:
    """The paint with the picture's own texture at its tone: over the cavity, the darkest
    passage's own strokes, hatching or grain; over what is lighter (teeth, a lit tongue, the
    lips' insides), the picture's grain; mixed by the paint's light, from the cavity's
    deepest to the lips'. Each as strong as the picture's grain is in its darks (`share` of
    `grain`: cavity.py's `grain_in_darks`), the grain over the light tones no stronger than
    the face's lightest passage has it. (Random grain over a drawing's cavity read as a
    smooth blot in it, nothing of its strokes inside; over its teeth, as strong as in its
    darks, a strip of static on paper that has none. A forehead's own texture tiled over the teeth drew
    separations between teeth where there are none.) Without passages (a picture too small
    to hold one), the grain alone."""
    h, w = colour.shape[:2]
    dark, lit = dark_and_light
    if grain is None or dark is None or lit is None:
        return colour if grain is None else colour + grain[y0:y0 + h, x0:x0 + w, None] * share
    lips = float(rig.palette.lip @ LUMA)
    deepest = min(dark.floor, DEEP_UNDER_LIPS * lips)
    light = colour @ LUMA
    towards_light = np.clip((light - deepest) / max(lips - deepest, 1.0), 0.0, 1.0)
    grain = grain[y0:y0 + h, x0:x0 + w]
    strength = share * float(grain.std())
    # Darker than the passage (the shadows under the lips), fainter, as the grain of film or
    # a print falls in its darks (with the square root of the light, as shot noise does):
    # as strong there as in the passage, the shadow under the upper lip read as black specks.
    # (Weights worked out in one channel and laid on the colours once: this runs on every
    # frame of an open mouth.)
    below = np.sqrt(np.minimum(light * (1.0 / max(dark.light, 1.0)), 1.0))
    below *= (1.0 - towards_light) * min(MOST_OVER_PASSAGE, strength / max(dark.spread, 1e-3))
    above = towards_light * (share * min(1.0, lit.spread / max(strength, 1e-3)))
    # (The strokes without their mean over the patch: they add pattern, never a tone.)
    strokes = dark.texture(x0, y0, h, w)
    colour = colour + (strokes - strokes.mean((0, 1))) * below[..., None]
    return colour + (grain * above)[..., None]
