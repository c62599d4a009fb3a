"""A closed lid in a drawing (pencil or chalk on paper, hatching): the drawing's paper and marks, a drawn lash line.

lid_paint.py paints a closed lid as a photograph or a painting shows one: a smooth tone, a
rounded lid's shading (a soft crease, light on the bulge, a shadow along the margin) and a
lash line that darkens that tone. A drawing has no smooth tone: its tones are its marks on
its paper. Shaded so, a drawing's closed eye was a smooth lens, glossy pale or grey, over a
grey shadow for a lash line (pencil and chalk drawings made from five development sitters;
on a pencil drawing made in the tests, 57% of the closed lid lighter than the paper), which
the face mesh re-run on the result often read as an eye still open, and a visitor reads as a
sticker. Where the picture is a drawing (drawing_paper.py reads how far), the lid is
the drawing's own tone there, its own marks carried on (lid_skin.py), and a lash line drawn
along the closed margin in the drawing's ink; the drawing's outline of the open eye round the
lid is painted out as the lid closes (`paint_out_outline`), but for a faint lower lid line.
"""

from __future__ import annotations

import cv2
import numpy as np

from .lid_skin import TEXTURE_GAP, TEXTURE_SCALE
from .lids import CREASE_SOFTENED
from .plate import DETAIL_SIGMA
from .tone import LUMA

# The ink: the mean of the darkest INK_SHARE of the skin round the eye.
INK_SHARE = 0.03
# The paper: the mean of the lightest PAPER_SHARE of it.
PAPER_SHARE = 0.1
# The lash line's half width, of the eye's width: as wide as the painted lid's (lid_paint.py).
LASH_HALF_WIDTH = 0.0175
# A drawing's open eye is outlined: its upper lid line (often heavy: its lashes), its lower lid
# line, and the two meeting at its corners. The face mesh finds a drawn eye a little inside its
# outline (its crease 0-6 px under the upper line, the drawn eye's white between, on pencil and
# red chalk drawings made from the 1904 photograph and the Mona Lisa), so the lid, painted from
# the crease to the closed margin, left the outline round it: an empty almond round the lash
# line, which reads as a drawn open eye without its iris. A draughtsman's closed eye is one lash
# line, the lid's fold above it, the lower lid line faint or gone. So, going out from the lid,
# the first stroke (ink: OUTLINE_INK of the way from the paper to the ink round the eye) that
# starts within OUTLINE_REACH of the eye's width and is no wider than OUTLINE_WIDTH of it (wider,
# or still going, it is the socket's or the brow's shading, and stays) is painted out: above
# the crease and beside the lid's ends (down to its lash line) as the lid comes down, below the
# lower lid softened to LOWER_LINE_KEPT of itself as the eye shuts (from LOWER_FROM of the
# closing). Only the first: the next one up is the lid's fold, which a closed eye keeps. Where
# the lid fades out towards its corners (lids.py), the outline goes OUTLINE_CORNER times as fast.
OUTLINE_REACH = 0.25
OUTLINE_WIDTH = 0.12
OUTLINE_INK = 0.25
OUTLINE_CORNER = 2.0
# Outlines are painted out where at most OUTLINE_INKED_FROM of the skin round the eye is ink (the
# outline's ink, its stroke's threshold), none from OUTLINE_INKED_TO: pencil, chalk and red chalk
# drawings made from development portraits 0.10-0.45 (the almonds among them 0.45 at most);
# hatched ones (engraving, pen in bistre) 0.48-0.76.
OUTLINE_INKED_FROM, OUTLINE_INKED_TO = 0.4, 0.5
LOWER_LINE_KEPT = 0.35
LOWER_FROM = 0.6
# The light of the skin touching a closed lid: this percentile of each band beside it (above its
# crease, below its lower lid; see _touching_light). On bare paper it is the paper.
TOUCHING_LIGHT = 90.0
# A hatched lid takes the hatching's tone as far as its texture's marks reach CARRIED_MARKS of the
# way from the paper to that tone (see drawn_skin).
CARRIED_MARKS = 0.5


def _clip(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def _ring(region: np.ndarray, x0: int, y0: int, shape: tuple[int, int]) -> np.ndarray:
    """The skin round a lid patch of `shape` at region pixel (x0, y0): half the patch's size
    about it on every side (lid_ink.two_tones reads the same), as float32 pixels (rows, cols, channels)."""
    h, w = shape
    return region[max(y0 - h // 2, 0):y0 + h + h // 2, max(x0 - w // 2, 0):x0 + w + w // 2].astype(np.float32)


def drawn_cover(cover) -> np.ndarray:
    """How much of each pixel of `cover` (lids.LidCover) a drawing's closed lid covers: as the
    painted lid does, and, as the lid comes down, all of its band from the crease to the closed
    margin. A drawing's upper lid line is its lashes, drawn as one dark stroke: left where the
    skin's paint began (the picture's lid band, stretched), it stood above the closed lid's
    own lash line, an almond of bare paper outlined like an open eye without its iris."""
    h, w = cover.covered.shape
    rows = np.arange(h, dtype=np.float32)[:, None]
    coming_down = _clip((cover.closing - 0.1) / 0.3, 0.0, 1.0)  # as lids.py lets the paint take over from the crease
    band = np.clip(rows - cover.crease, 0.0, 1.0) * (rows <= cover.margin)
    reach = cover.covered.max(axis=0, keepdims=True)
    # Above the crease the painted lid only softens the picture's dark lid line (lids.CREASE_SOFTENED):
    # in a drawing that line is the lid's stroke, which has closed with it: painted out whole.
    line = np.where(rows < cover.crease, np.minimum(cover.covered / CREASE_SOFTENED, reach), 0.0)
    return np.maximum(cover.covered, np.maximum(band * reach * coming_down, line))


def texture_up_to(texture: np.ndarray | None, covered: np.ndarray) -> np.ndarray | None:
    """`texture` (lid_skin.skin_texture, read for the painted lid's rows) carried on up over the
    rows `covered` adds above them (drawn_cover): those rows take the texture as many rows
    lower. (Read afresh for the taller lid, the texture's two sources lay a different distance
    apart: on evenly spaced hatching they could fall out of step and cancel into a smooth lid.)"""
    if texture is None:
        return None
    have = np.flatnonzero(np.abs(texture).max(axis=(1, 2)) > 0)
    want = np.flatnonzero(covered.max(axis=1) > 0)
    if len(have) == 0 or len(want) == 0 or want[0] >= have[0]:
        return texture
    first, rows = int(have[0]), int(have[0] - want[0])
    extended = texture.copy()
    for start in range(first - rows, first, len(have)):  # (a short lid: in steps of its own height)
        end = min(start + len(have), first)
        extended[start:end] = texture[first:first + end - start]
    return extended


def _ink_line(grey: np.ndarray) -> float:
    """The grey level below which the skin round an eye (`grey`, uint8 levels) is ink: darker than
    its paper by OUTLINE_INK of the way to the drawing's ink (its light's 90th percentile, the
    paper, and INK_SHARE's, in whole levels from its histogram)."""
    counts = np.cumsum(np.bincount(np.asarray(grey, np.uint8).ravel(), minlength=256))
    ink, paper = np.searchsorted(counts, np.array([INK_SHARE, 0.9]) * counts[-1])
    return float(paper) - OUTLINE_INK * float(paper - ink)


def _on_paper(grey: np.ndarray) -> float:
    """How far the skin round an eye (`grey` levels) is bare paper with strokes on it, 0-1, and
    not covered in ink (hatching, a heavy tone): see OUTLINE_INKED_FROM."""
    levels = np.clip(np.round(np.asarray(grey, np.float32)), 0, 255).astype(np.uint8).ravel()
    if levels.size == 0:
        return 1.0
    counts = np.cumsum(np.bincount(levels, minlength=256))
    inked = float(counts[max(int(np.ceil(_ink_line(levels))) - 1, 0)]) / float(counts[-1])
    return _clip((OUTLINE_INKED_TO - inked) / (OUTLINE_INKED_TO - OUTLINE_INKED_FROM), 0.0, 1.0)


def _touching_light(blurred: np.ndarray, grey: np.ndarray, cover, top: int, left: int) -> float | None:
    """The light of the skin that touches the closed lid of `cover`: the TOUCHING_LIGHT percentile
    of the bands just above its crease and just below its lower lid, in its own columns, the
    quieter band counting the more, as it does in the lid's texture (lid_skin.skin_texture):
    the lid is the skin it takes its marks from. (`blurred`: the ring at the marks' scale,
    `grey` its own grey, the lid patch at ring row `top`, column `left`.) None where neither band
    lies in the picture."""
    h, w = cover.covered.shape
    band = max(2, h // 3)
    above = top + int(np.floor(cover.crease.min())) - TEXTURE_GAP
    below = top + int(np.ceil(cover.lower.max())) + 1 + TEXTURE_GAP
    lights, weights = [], []
    for rows in (slice(max(above - band, 0), max(above, 0)), slice(below, below + band)):
        if blurred[rows, left:left + w].size:
            tone = blurred[rows, left:left + w] @ LUMA  # (the bands' grey alone: a fifth of the ring's cost)
            lights.append(float(np.percentile(tone, TOUCHING_LIGHT)))
            marks = float(np.mean(np.square(grey[rows, left:left + w] - tone)))
            weights.append(1.0 / (marks * marks + 1e-3))
    return float(np.dot(lights, weights) / sum(weights)) if lights else None


def drawn_skin(region: np.ndarray, cover, texture: np.ndarray | None, blur: float) -> np.ndarray:
    """The closed lid of `cover` (lids.LidCover) as the drawing shows skin, (patch rows, columns,
    channels) float32: the drawing's paper just above and below the eye, its marks there
    (`texture`, lid_skin.skin_texture) and a lash line along the closed margin in its ink, a
    stroke as soft as the picture's own (`blur`). No rounded shading: a drawing shades with
    its marks."""
    h, w = cover.covered.shape
    ring = _ring(region, cover.x0, cover.y0, (h, w))
    sigma = max(DETAIL_SIGMA, TEXTURE_SCALE * w)
    # The skin just above and below the eye, in its own columns: not the eye (its iris, its
    # lashes), nor what lies beside it (the other eye, the nose, hair).
    skin_round = np.zeros(ring.shape[:2], bool)
    top, left = min(h // 2, cover.y0), min(w // 2, cover.x0)
    skin_round[:, left:left + w] = True
    skin_round[top:top + h] = False
    if not skin_round.any():
        skin_round[:] = True
    # Its paper: the lightest of it at the marks' scale (PAPER_SHARE). The marks round the eye (its
    # crease, its lower lid's line, hatching) come onto the lid as its texture; read into its
    # tone as well (the median), a chalk drawing's closed lid was a flat grey patch.
    blurred = cv2.GaussianBlur(ring, (0, 0), sigma)
    tone = blurred[skin_round]
    lit = tone @ LUMA
    base = tone[lit >= np.percentile(lit, 100.0 - 100.0 * PAPER_SHARE)].mean(0)
    pixels = ring.reshape(-1, ring.shape[2])
    grey = pixels @ LUMA
    # ... no lighter than the skin that touches the lid: a closed lid is paper only where the
    # paper comes up to it. The lightest of the skin round the eye is a drawing's bare paper, but
    # in a picture read as a drawing that has none (a photograph named one) it is the brow's
    # highlight or the eye's white: its closed lid was a white patch between the socket's shade
    # and the cheek (84 levels lighter than the skin over the crease, 26 than the cheek's).
    touching = _touching_light(blurred, grey.reshape(ring.shape[:2]), cover, top, left)
    if touching is not None and float(base @ LUMA) > touching:
        base = base * (touching / float(base @ LUMA))
    ink = pixels[grey <= np.percentile(grey, 100.0 * INK_SHARE)].mean(0)
    # ... but where ink covers the skin round the eye (hatching: no bare paper to see, as
    # paint_out_outline reads it), the lid is the hatching's tone, its lines carried on by the
    # texture: on the paper's, hatched drawings closed their eyes into pale paper patches.
    # (From the tone the touching skin allows: from the paper itself, a photograph named a
    # drawing, its skin smooth and its texture faint, had its socket's eye closed 27 levels
    # lighter than the hatching's tone, a pale oval in the shade.)
    hatched = 1.0 - _on_paper(grey.reshape(ring.shape[:2])[skin_round])
    if hatched > 0.0 and texture is not None:
        # ... as far as the texture carries its lines (their root mean square CARRIED_MARKS of the
        # way from the paper to the hatching's tone): without them the hatching's tone is a smooth
        # grey lens (a dodge-blend pencil drawing's eye in a densely stroked socket, read as 44%
        # hatched, its texture's marks 7 levels against a 36-level way, closed into a pale grey
        # oval where its buff copy, read as bare paper, closed as paper).
        gap = float((base - np.median(tone, axis=0)) @ LUMA)
        marks = float(np.sqrt(np.mean(np.square(texture[cover.covered > 0] @ LUMA))))
        hatched *= _clip(marks / max(CARRIED_MARKS * gap, 1e-3), 0.0, 1.0)
    if hatched > 0.0:
        base = base + (np.median(tone, axis=0) - base) * hatched
    skin = np.broadcast_to(base, (h, w, ring.shape[2])).astype(np.float32)
    if texture is not None:
        # Nothing in a drawing is lighter than its paper: the detail beside a stroke (the paper
        # less the stroke's blur) laid on the paper's own tone was a pale sheen on the lid.
        paper = pixels[grey >= np.percentile(grey, 100.0 - 100.0 * PAPER_SHARE)].mean(0)
        skin = np.minimum(skin + texture, np.maximum(paper, base))
    yy = np.arange(h, dtype=np.float32)[:, None]
    half = max(0.5, LASH_HALF_WIDTH * w) * min(1.0, 1.5 * cover.closing)
    lash = np.clip(half + 0.5 - np.abs(yy - cover.margin), 0.0, 1.0)
    if blur > 0.6:
        lash = cv2.GaussianBlur(lash, (0, 0), blur)
    return skin + (ink - skin) * lash[..., None]


def _first_strokes(ink: np.ndarray, most: int, widest: int) -> np.ndarray:
    """Per column of `ink` (steps out from a lid's edge, columns), its first stroke, where it is a
    line: at most `widest` wide and ended (wider, or still going at the last step, a mass of ink,
    a brow's or a socket's shading), starting within `most` steps. How much of each pixel it is,
    0-1: all of a stroke starting within half of `most`, less on to none at `most` (a stroke
    farther out is as likely the lid's fold, which a closed eye keeps: cut off at `most`, a fold
    running up out of reach was left in pieces)."""
    steps = np.arange(ink.shape[0])[:, None]
    first = np.argmax(ink, axis=0)[None, :]
    after = (steps >= first) & ~ink
    end = np.where(after.any(axis=0), np.argmax(after, axis=0), ink.shape[0])[None, :]
    line = ink.any(axis=0)[None, :] & (end - first <= widest) & (end < ink.shape[0])
    near = np.clip((most - first) / (0.5 * most), 0.0, 1.0)
    return ((steps >= first) & (steps < end) & line) * near


def _steady_along(found: np.ndarray) -> np.ndarray:
    """Columns where a stroke runs along the eye: found in most of the five columns about each (a
    hatching's stray line crossing the lid's edge is no lid line; the ends count twice)."""
    padded = np.concatenate([found[:1], found[:1], found, found[-1:], found[-1:]]).astype(np.float32)
    return np.convolve(padded, np.ones(5, np.float32), mode="valid") >= 3.0


def paint_out_outline(region: np.ndarray, cover, share: float) -> None:
    """Paint out (in place, `region` uint8) what of the drawing's open eye a closed eye does not
    show, once its lid (`cover`, lids.LidCover) is painted: the upper lid line above the crease
    and the corners' marks beside the lid, above its lash line, as the lid comes down; the lower
    lid line, softened to LOWER_LINE_KEPT of itself as the eye shuts. Each is a stroke that starts
    near the lid (OUTLINE_REACH) and is no wider than a line (OUTLINE_WIDTH); it is filled from the
    paper and marks round it. `share`: how far the picture is a drawing (portrait_drawn_share)."""
    h, w = cover.covered.shape
    # As far along the eye as the lid covers it, closer to its corners: the lines meet there,
    # and what the lid's own fade there (lids.py) left of them was a drawn corner each side.
    along = cover.covered.max(axis=0)
    reach = np.minimum(OUTLINE_CORNER * along, 1.0) * share
    upper_weight = _clip((cover.closing - 0.1) / 0.3, 0.0, 1.0)  # as drawn_cover's band comes down
    lower_weight = (1.0 - LOWER_LINE_KEPT) * _clip((cover.closing - LOWER_FROM) / (1.0 - LOWER_FROM), 0.0, 1.0)
    if upper_weight <= 0.0 or float(reach.max()) <= 0.0:
        return
    most = max(3, int(np.ceil(OUTLINE_REACH * w)))
    widest = max(2, int(np.ceil(OUTLINE_WIDTH * w)))
    out = 2 * most + 1
    steps = np.arange(out + 1)
    # The patch the lines are read and filled in: the lid and `out` pixels round it.
    top = max(int(np.floor(cover.y0 + cover.crease.min())) - out - 2, 0)
    bottom = min(int(np.ceil(cover.y0 + cover.lower.max())) + out + 3, region.shape[0])
    left, right = max(cover.x0 - out - 1, 0), min(cover.x0 + w + out + 1, region.shape[1])
    if bottom - top < 4 or cover.x0 + w > right:
        return
    patch = region[top:bottom, left:right]
    colour = patch.shape[2] == 3
    grey = cv2.cvtColor(patch, cv2.COLOR_RGB2GRAY) if colour else patch[..., 0]  # LUMA's weights
    # Ink: darker than the paper by OUTLINE_INK of the way to the drawing's ink, read on the skin
    # round the eye, not the lid (its light's 90th percentile, the paper, and INK_SHARE's, in whole
    # levels from its histogram).
    y0, x0 = max(cover.y0 - h // 2, 0), max(cover.x0 - w // 2, 0)
    ring = region[y0:cover.y0 + h + h // 2, x0:cover.x0 + w + w // 2]
    ring = cv2.cvtColor(ring, cv2.COLOR_RGB2GRAY) if colour else np.ascontiguousarray(ring[..., 0])
    skin = np.ones(ring.shape, np.uint8)
    skin[cover.y0 - y0:cover.y0 - y0 + h, cover.x0 - x0:cover.x0 - x0 + w] = 0
    round_eye = ring[skin > 0]
    if round_eye.size == 0:
        return
    line = _ink_line(round_eye)
    is_ink = grey < line
    # An outline is drawn on bare paper: where ink covers much of the skin round the eye (hatching,
    # a heavy tone) there is no almond of paper to see, and its strokes filled from the ink round
    # them were a grey smear in the hatching.
    on_paper = _on_paper(round_eye)
    if on_paper <= 0.0:
        return
    share = share * on_paper
    reach = reach * on_paper
    mask = np.zeros(grey.shape, np.float32)

    def paint(rows: np.ndarray, cols: np.ndarray, weight: np.ndarray) -> None:
        """The strokes read along (steps, lines) of patch pixels (`rows`, `cols`), out from the lid."""
        rows, cols = np.broadcast_arrays(np.clip(rows, 0, grey.shape[0] - 1), np.clip(cols, 0, grey.shape[1] - 1))
        strokes = _first_strokes(is_ink[rows, cols], most, widest)
        strokes *= _steady_along(strokes.any(axis=0))[None, :]
        # a stroke's soft edges go too: a pixel more each side
        strokes[1:] = np.maximum(strokes[1:], strokes[:-1].copy())
        strokes[:-1] = np.maximum(strokes[:-1], strokes[1:].copy())
        at = np.nonzero(strokes)
        rr, cc = rows[at], cols[at]
        mask[rr, cc] = np.maximum(mask[rr, cc], (strokes * weight)[at])

    lid_cols = np.arange(w) + cover.x0 - left
    crease = np.round(cover.y0 + cover.crease[0] - top).astype(int)
    # (from the row above the crease: a speck of the line the lid left on the crease's own row
    # stood, as the first stroke, for the line above it)
    paint(crease[None, :] - 1 - steps[:, None], lid_cols[None, :], (upper_weight * reach)[None, :])
    if lower_weight > 0.0:  # (read from below the closed lid's own lash line, as drawn_skin draws it)
        lash = np.ceil(max(0.5, LASH_HALF_WIDTH * w) + 0.5) + 1.0
        below = np.round(cover.y0 + np.maximum(cover.lower[0], cover.margin[0]) + lash - top).astype(int)
        paint(below[None, :] + steps[:, None], lid_cols[None, :], (lower_weight * reach)[None, :])
    # The corners: out from the first column the lid covers whole, each side, beside the lid
    # from its crease down to above its lash line.
    whole = np.flatnonzero(along >= 1.0 / OUTLINE_CORNER)
    for end, side in ((whole[:1], -1), (whole[-1:], 1)):
        if len(end) == 0:
            continue
        k = int(end[0])
        rows = np.arange(crease[k] - 1, int(np.round(cover.y0 + cover.margin[0, k] - top)) - 1)
        if len(rows) > 0:
            paint(rows[None, :], (lid_cols[k] + side * steps)[:, None], np.float32(upper_weight * share))
    if not mask.any():
        return
    filled = cv2.inpaint(patch, (mask > 0).astype(np.uint8), 2, cv2.INPAINT_TELEA).astype(np.float32)
    mixed = patch + (filled - patch) * mask[..., None]
    region[top:bottom, left:right] = np.clip(np.round(mixed), 0, 255).astype(np.uint8)
