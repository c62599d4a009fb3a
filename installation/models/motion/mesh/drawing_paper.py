"""Is the picture a drawing? Read from the skin round its eyes: its bare paper, its marks.

A drawing's closed lid is painted as its paper and marks with a drawn lash line (lid_drawn.py),
a photograph's or a painting's as shaded skin (lid_paint.py). Which of the two a picture gets
is read here, once at rest and from both eyes (`portrait_drawn_share`): a drawing shows bare,
near-neutral paper round its eyes (white, cream, buff or a toned paper, never blown to the
picture's ceiling), or marks far stronger than its tone's changes (hatching). The thresholds
below say what made drawings and development photographs and paintings measured.
"""

from __future__ import annotations

import cv2
import numpy as np

from .eye_region import EyeRegion
from .lid_skin import TEXTURE_SCALE
from .lids import LIDS
from .plate import DETAIL_SIGMA

# Paper: the share of the skin round the eye within PAPER_BAND of the tonal range (its 2nd to
# 98th percentile) of its 90th percentile. Pencil and chalk drawings made from development
# portraits (greyscale dodge-blend, on white or on a toned paper with a grain) measure 0.44-0.62;
# photographs and paintings (72 eyes of 36 development sitters) 0.28 or less: their light skin is graded.
# Drawn from PAPER_FROM, fully from PAPER_FROM + PAPER_SPAN.
PAPER_BAND = 0.04
PAPER_FROM, PAPER_SPAN = 0.32, 0.08
# A drawing is one ink or chalk on a paper: white, cream, buff or a toned paper. Its paper's
# colour (the lightest of the skin round the eye, not the eye's own patch) lies at most
# PAPER_TINT of its brightest channel apart across its channels; the ink's colour does not
# count (a red chalk's strokes lie 60-120 levels apart). Drawings made from development
# portraits measure: pencil 0, hatching 0.02-0.08, black chalk on buff 0.12, red chalk
# (sanguine) on cream 0.11-0.16, bistre and sepia ink on cream 0.14-0.18 (0.31 at most where a
# wash covers all the skin round the eye); 44% of the eyes of photographs and paintings in colour,
# and the tests' flat skins (200, 170, 150 and 205, 168, 145, with sharp lashes or shade bands:
# 0.25 and 0.29) more. (Read before as the mean spread over all the skin, ink and paper: 32-63
# levels on red chalk drawings, and 23 of 32 were taken for skin in colour.)
PAPER_TINT = 0.2
# Toned paper (buff, tan, a prepared ground) is tinted further, as sepia photographs' and warm
# skin's lightest tones are (made line drawings on buff 0.22; sepia, hand-tinted, low-key and
# over-exposed copies of the CC0 faces 0.20-0.49). What a photograph never shows round both eyes
# is a drawing's bare paper: its share of the skin there, the less of the two eyes, is at most
# 0.29 on those copies, 0.45-0.62 on the made line drawings on buff. So a paper tinted up to
# TONED_PAPER_TINT counts from TONED_PAPER_FROM of the skin, fully from that + PAPER_SPAN; only
# the paper: marks are no sure sign there (a painting's brushwork measures as marks too), and
# none of it at the CEILING: a sepia print scanned bright (x1.35 + 20, x1.6 + 30, x2) has its lit
# skin clipped in its red, toned-paper tinted and flat, and its compressed tone's detail measures
# as marks (21 of 111 such copies of the CC0 faces were taken for drawings, 6 partly; buff
# paper's brightest channel is 226, and no line drawing on buff read changed).
TONED_PAPER_TINT = 0.35
TONED_PAPER_FROM = 0.34
# A blown highlight is flat at the picture's ceiling (its brightest channel at CEILING or above),
# as a drawing's paper levelled to white is. Over-exposed copies of development photographs
# (x1.6 + 30, x2, x2.5, clipped) had their lit skin round both eyes read as bare paper (28 of 86
# taken for drawings): what lies on it is the skin's graded shade and a soft eye (marks, as
# MARKS_FROM reads them, at the eye with fewer 0.14-0.69, median 0.35), where on a drawing it
# is the drawing's marks (drawings made from development portraits levelled till their paper
# was white, 0.47-1.73, median 0.8). Paper at the ceiling counts from BLOWN_MARKS_FROM, fully
# from BLOWN_MARKS_FROM + BLOWN_MARKS_SPAN.
CEILING = 254
BLOWN_MARKS_FROM, BLOWN_MARKS_SPAN = 0.4, 0.2
# Hatching: the skin's detail (less its blur at the lid texture's scale, lid_skin.TEXTURE_SCALE)
# against the blurred tone's own spread. Hatched drawings made from development portraits
# measure 1.2-3.3; photographs and paintings 0.64 or less (Van Gogh's brushwork the most).
MARKS_FROM, MARKS_SPAN = 0.8, 0.2


def _clip(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def _tint(ring: np.ndarray, grey: np.ndarray, bright: np.ndarray, patch: tuple[int, int, int, int]) -> float:
    """How far the paper of `ring` (RGB) would be coloured, of its brightest channel: the lightest of
    its skin round the eye (its 98th percentile and up, below the CEILING), not the eye's own
    patch (`patch`: top, left, rows, columns in the ring), where a photograph's or a
    painting's eye white is lighter and greyer than its skin. On a drawing that is its bare
    paper, between a hatching's lines too."""
    top, left, rows, cols = patch
    skin = (bright < CEILING).astype(np.uint8)
    skin[top:top + rows, left:left + cols] = 0
    counts = np.cumsum(np.bincount(grey[skin > 0], minlength=256))
    if counts[-1] == 0:
        return 0.0
    lightest = cv2.inRange(grey, float(np.searchsorted(counts, 0.98 * counts[-1])), 255.0)
    lightest[skin == 0] = 0
    tint = np.array(cv2.mean(ring, lightest)[:3])
    return float(tint.max() - tint.min()) / max(float(tint.max()), 1.0)


def drawn_share(region: np.ndarray, x0: int, y0: int, shape: tuple[int, int]) -> float:
    """How far the skin round a lid patch of `shape` at (x0, y0) is a drawing, 0-1: bare paper
    over much of it (PAPER_FROM; a light tint at most, PAPER_TINT; a toned paper's,
    TONED_PAPER_TINT, over more of it, TONED_PAPER_FROM, never blown; blown to the ceiling,
    only under marks, BLOWN_MARKS_FROM) or marks far stronger than its tone's changes (MARKS_FROM).
    (The grey in whole levels, its percentiles from its histogram, a third of numpy's
    percentiles' cost.)"""
    h, w = shape
    ring = region[max(y0 - h // 2, 0):y0 + h + h // 2, max(x0 - w // 2, 0):x0 + w + w // 2]
    if ring.shape[0] < 4 or ring.shape[1] < 4:
        return 0.0
    colour = ring.shape[2] == 3
    grey = cv2.cvtColor(ring, cv2.COLOR_RGB2GRAY) if colour else np.ascontiguousarray(ring[..., 0])  # LUMA's weights
    counts = np.cumsum(np.bincount(grey.ravel(), minlength=256))
    low, paper, high = np.searchsorted(counts, np.array([0.02, 0.9, 0.98]) * counts[-1])
    spread = float(high - low)
    if spread < 1.0:  # one flat tone: nothing drawn
        return 0.0
    bright = cv2.max(cv2.max(ring[..., 0], ring[..., 1]), ring[..., 2]) if colour else grey
    tint = _tint(ring, grey, bright, (y0 - max(y0 - h // 2, 0), x0 - max(x0 - w // 2, 0), h, w)) if colour else 0.0
    if tint > TONED_PAPER_TINT:
        return 0.0
    flat = grey.astype(np.float32)
    tone = cv2.GaussianBlur(flat, (0, 0), max(DETAIL_SIGMA, TEXTURE_SCALE * w))
    marks = float(cv2.meanStdDev(flat - tone)[1][0, 0]) / max(float(cv2.meanStdDev(tone)[1][0, 0]), 1e-3)
    # The paper; what of it is blown to the ceiling counts as far as what lies on it is marks.
    band = PAPER_BAND * spread
    on_paper = cv2.inRange(grey, float(np.ceil(paper - band)), float(np.floor(paper + band)))
    near = float(cv2.countNonZero(on_paper))
    on_paper[bright < CEILING] = 0
    blown = float(cv2.countNonZero(on_paper))
    if tint > PAPER_TINT:
        # Toned paper: only a drawing's share of bare paper tells it from sepia or skin, and a
        # toned paper is never blown to the ceiling; an over-exposed sepia print's lit skin is,
        # where its highlights' compressed tone made its marks read as a drawing's.
        return _clip(((near - blown) / counts[-1] - TONED_PAPER_FROM) / PAPER_SPAN, 0.0, 1.0)
    near -= blown * (1.0 - _clip((marks - BLOWN_MARKS_FROM) / BLOWN_MARKS_SPAN, 0.0, 1.0))
    drawn = _clip((near / counts[-1] - PAPER_FROM) / PAPER_SPAN, 0.0, 1.0)
    return max(drawn, _clip((marks - MARKS_FROM) / MARKS_SPAN, 0.0, 1.0))


def portrait_drawn_share(region: np.ndarray, points: np.ndarray, origin: np.ndarray, rests: tuple | None = None,
                         belows: tuple | None = None) -> float:
    """How far the portrait is a drawing, 0-1, read once from the picture at rest (`region`,
    the rig's; `points`: its mesh, image pixels): the least of its two eyes' drawn_share.
    A picture is drawn or not as a whole. Read on each frame and for each eye alone, a
    photograph whose light fell on one side (or printed light, its highlights blown) had the
    lit eye's skin taken for bare paper: one eye closed as paper with a drawn lash line, the
    other as shaded skin, and a ring read from the moving face could flip its lid between
    the two mid-blink. A drawing shows its paper, or its hatching, round both eyes."""
    shares = []
    for k, lid in enumerate(LIDS):
        if belows is not None and belows[k] is None:  # no lid is painted on this eye
            continue
        eye = EyeRegion(points, lid, origin, region.shape[:2], None if rests is None else rests[k],
                   None if belows is None else belows[k])
        if not eye.empty:
            shares.append(drawn_share(region, eye.x0, eye.y0, (eye.y1 - eye.y0, eye.x1 - eye.x0)))
    return min(shares, default=0.0)
