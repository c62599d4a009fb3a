"""An open mouth in a drawing (pencil, chalk, charcoal or pen on paper): the drawing's paper and marks.

mouth.py paints an open mouth as a photograph or a painting shows one: a smooth cavity graded
from the upper lip's shadow to a warmer floor, soft lit teeth, a tongue in shade. A drawing has
no smooth tone: a draughtsman draws the opening's outline and its darkest part (under the upper
lip, in the corners) in the drawing's stroke, hatches what is less dark, and leaves the teeth as
paper. Painted as a photograph's, a pencil drawing's yawn was a smooth grey lens pasted into the
paper and its smile's teeth a grey band (on a made pencil drawing of a small CC0 face, 3% of
the yawn within a tenth of the tonal range of the drawing's paper or strokes, its darkest 25
levels darker than any stroke of the drawing). Where the picture is a drawing (the lids' test:
drawing_paper.portrait_drawn_share, or the scene's picture = "drawing"), the paint is redrawn here
in the drawing's two tones (`DrawingTones`, read once at rest): solid stroke where the paint is
dark, diagonal hatching where it is middling, bare paper where it is light, and a stroke along
the opening's outline.
"""

from __future__ import annotations

from typing import NamedTuple

import cv2
import numpy as np

from .hatching import HatchLines, hatch_lines, lay
from .named_points import LEFT_EYE_OPENING, OUTER_LIPS, RIGHT_EYE_OPENING
from .passages import Passage
from .tone import LUMA

# The drawing's tones are read in the box from the eyes to below the mouth: its paper the mean
# colour of the lightest PAPER_SHARE of it, its stroke the mean of the darkest INK_SHARE (the
# eyes' and the lip line's strokes: round the mouth alone, a light pencil drawing's darkest 3%
# was its lips' shading, and a yawn drawn in it read as a pale slot).
PAPER_SHARE = 0.1
INK_SHARE = 0.01
# How dark the photograph's paint is, from its teeth's light (0) to its cavity's colour (1), is
# how the opening is drawn: bare paper below PAPER_TO, solid stroke from SOLID_FROM, hatched
# between with lines as wide as the darkness asks.
PAPER_TO, SOLID_FROM = 0.15, 0.8
# Solid under the upper lip (the opening's top DARKEST_V) and in its corners (from CORNERS_U of
# its half width), as a draughtsman puts his darkest there; below, the hatching's lines thin
# towards the floor, to HATCHED of the period wide at the lower lip, and towards the middle
# from CORNERS_FROM (solid all over, a light pencil drawing's yawn was one flat grey block, a
# smooth lens again; hatched evenly below a line, a patch of ruled lines laid in the opening).
DARKEST_V, CORNERS_U, CORNERS_FROM, HATCHED = 0.3, 0.75, 0.5, 0.5
# The hatching's period: HATCH_FH of the face's height, between HATCH_PX pixels (closer, the lines
# merge into a grey; wider, a small mouth holds one line).
HATCH_FH, HATCH_PX = 0.014, (3.0, 7.0)
# A darkest passage whose detail spreads over STROKES_FROM of the paper-to-ink range is strokes
# with paper between (graphite streaks made in the tests: 0.23; pencil, buff and red chalk
# copies of the 1904 photograph, its hair: 0.16-0.18; its charcoal and small pencil copies,
# and those of a CC0 sitter and the painting, whose darks are smooth: 0.02-0.095).
STROKES_FROM = 0.1
# The outline's stroke: OUTLINE_GAP of the opening's height, between OUTLINE_PX pixels.
OUTLINE_GAP, OUTLINE_PX = 0.05, (1.0, 2.5)
# The teeth are paper out to TEETH_TO of the way to the corners, ending over TEETH_END beyond.
# (The mouth painter fades its teeth from half way to the corners, as a photograph's are shaded
# there, a tone a drawing has not: with the paper taken in the same proportion, a smile's teeth
# on a pencil copy of the 1904 photograph were a paper lens inside a hatched crescent from
# corner to corner, its row lost. A draughtsman draws the row as a band of paper to near the
# corners, the dark only beyond.)
TEETH_TO, TEETH_END = 0.8, 0.1
# The dark between the rows: a solid stroke BETWEEN_ROWS times the outline's width under the
# teeth's edge (a draughtsman's darkest there, where the lip's shadow falls).
BETWEEN_ROWS = 1.5


class DrawingTones(NamedTuple):
    """A drawing's two tones, RGB float32, and how its strokes are laid."""
    paper: np.ndarray
    ink: np.ndarray
    period: float  # the hatching's, pixels
    deepest: float  # how much of the paper its strokes cover at most, 0-1: as in its darkest passage
    lines: HatchLines  # its hatching's direction and unevenness (hatching.py)


def drawing_tones(image: np.ndarray, points: np.ndarray, face_height: float, share: float,
                  passage: Passage | None = None) -> DrawingTones | None:
    """The paper and stroke tones of the drawing `image` (RGB uint8) round its eyes and mouth at
    rest (`points`: its mesh, image pixels); None where it is no drawing (`share`, how far it
    is one, under 1), or where the box holds too little to read. Only a whole drawing: a
    photograph read as partly one (a CC0 sitter's lit skin round the eyes, 0.43) keeps a
    photograph's mouth pixel for pixel: a share of hatching laid over it was a grille on a
    real mouth. `passage`: the sitter's darkest passage (passages.of_rig), how dense the
    opening's strokes may lie where its darks are strokes."""
    if share < 1.0:
        return None
    ids = list(LEFT_EYE_OPENING) + list(RIGHT_EYE_OPENING) + list(OUTER_LIPS)
    x0, y0 = np.floor(points[ids, :2].min(0)).astype(int)
    x1, y1 = np.ceil(points[ids, :2].max(0)).astype(int)
    below = int(np.ceil(0.1 * face_height))  # the chin's skin under the lower lip
    box = image[max(y0, 0):min(y1 + below, image.shape[0]), max(x0, 0):min(x1, image.shape[1])]
    if box.shape[0] < 4 or box.shape[1] < 4:
        return None
    pixels = box.reshape(-1, box.shape[2]).astype(np.float32)
    grey = pixels[:, :3] @ LUMA if pixels.shape[1] >= 3 else pixels[:, 0]
    order = np.argsort(grey)
    ink = pixels[order[:max(1, int(INK_SHARE * len(order)))]].mean(0)
    paper = pixels[order[-max(1, int(PAPER_SHARE * len(order))):]].mean(0)
    period = float(np.clip(HATCH_FH * face_height, *HATCH_PX))
    paper_light, ink_light = float(paper[:3] @ LUMA), float(ink[:3] @ LUMA)
    # Where the darks are strokes with paper between, a solid of the strokes' tone is a black no
    # passage of the drawing has (a graphite drawing's yawn was a black blot): they cover no more
    # of the paper than in its darkest passage. (Where its darks are smooth, its darkest tone is one.)
    deepest = 1.0
    if passage is not None and passage.spread >= STROKES_FROM * max(paper_light - ink_light, 1.0):
        deepest = float(np.clip((paper_light - passage.floor) / max(paper_light - ink_light, 1.0), 0.0, 1.0))
    return DrawingTones(paper, ink, period, deepest, hatch_lines(box, grey.reshape(box.shape[:2]), period))


def in_drawing(colour: np.ndarray, mask: np.ndarray, uv: tuple[np.ndarray, np.ndarray], teeth: np.ndarray,
               tones: DrawingTones, teeth_light: float, cavity_dark: float, gap: float, blur: float,
               x0: int, y0: int) -> np.ndarray:
    """The opening's paint (`colour`, float32 RGB, the mouth patch at picture pixel x0, y0)
    drawn in the drawing's `tones`: how dark each pixel is painted, between `teeth_light` and
    `cavity_dark` (the palette's teeth and cavity, in LUMA), says where the stroke lies solid
    (under the upper lip and in the corners: `uv`, mouth.py's u, 0 in the middle and 1 at the
    corners, and v, 0 at the upper inner lip and 1 at the lower), where it is hatched and where
    the paper is left: the teeth (`teeth`, how much of each pixel their row covers, before the
    painter's fading towards the corners) are paper, their shading left out (hatched, a smile's
    teeth were a grey grille), and the dark between the rows is a stroke. The opening's outline
    (`mask`: its polygon, 1 inside) is a stroke. The strokes' edges are as soft as the
    picture's (`blur`), never a smooth gradient across the opening."""
    light = colour @ LUMA
    dark = np.clip((teeth_light - light) / max(teeth_light - cavity_dark, 1.0), 0.0, 1.0)
    dark = np.clip((dark - PAPER_TO) / (SOLID_FROM - PAPER_TO), 0.0, 1.0)
    u, v = uv
    paper_teeth = teeth * np.clip((TEETH_TO + TEETH_END - u) * (1.0 / TEETH_END), 0.0, 1.0)
    dark = dark * (1.0 - paper_teeth)
    darkest = np.maximum(np.clip((1.0 - v) / (1.0 - DARKEST_V), 0.0, 1.0),
                         np.clip((u - CORNERS_FROM) / (CORNERS_U - CORNERS_FROM), 0.0, 1.0))
    dark = np.minimum(dark, HATCHED + (1.0 - HATCHED) * darkest)
    dark = dark * tones.deepest  # (no denser than the drawing's darkest passage: DrawingTones)
    # Hatching in the drawing's stroke direction, its lines a little uneven, fixed to the paper.
    ink = lay(tones.lines, dark, x0, y0, tones.period, blur)
    ink = np.where(dark >= 1.0, 1.0, np.where(dark <= 0.0, 0.0, ink))
    # The outline: a stroke just inside the opening's edge.
    inside = cv2.distanceTransform((mask >= 0.5).astype(np.uint8), cv2.DIST_L2, 3)
    width = float(np.clip(OUTLINE_GAP * gap, *OUTLINE_PX))
    ink = np.maximum(ink, np.clip(width + 0.5 - inside, 0.0, 1.0) * (mask > 0.0))
    if paper_teeth.max() >= 0.5:
        # The dark between the rows: a stroke along the teeth's edge, within the opening.
        beside = cv2.distanceTransform((paper_teeth < 0.5).astype(np.uint8), cv2.DIST_L2, 3)
        under = np.clip(BETWEEN_ROWS * width + 0.5 - beside, 0.0, 1.0) * (paper_teeth < 0.5)
        ink = np.maximum(ink, under * (dark > 0.0) * np.clip(mask * 2.0 - 1.0, 0.0, 1.0))
    paper, stroke = tones.paper[:colour.shape[2]], tones.ink[:colour.shape[2]]
    return paper + (stroke - paper) * ink[..., None]
