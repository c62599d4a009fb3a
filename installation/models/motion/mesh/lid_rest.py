"""What lies round a portrait's eyes at rest, read once when the portrait is loaded, for
the lids (lids.py) to cover as they close: eye white the face mesh put inside the lid
band, and the picture's own dark lid line through the crease.
"""

from __future__ import annotations

from typing import NamedTuple

import cv2
import numpy as np

from ...face import Eye
from .lid_corners import inner_lash_line, past_corners
from .lid_under import light_under, painted_bands
from .named_points import LEFT_CREASE, LEFT_LOWER_LID, LEFT_UPPER_LID, RIGHT_CREASE, RIGHT_LOWER_LID, RIGHT_UPPER_LID
from .outlines import curve_through
from .tone import LUMA

LIDS = (((33, *LEFT_UPPER_LID, 133), (33, *LEFT_LOWER_LID, 133), (33, *LEFT_CREASE, 133)),
        ((263, *RIGHT_UPPER_LID, 362), (263, *RIGHT_LOWER_LID, 362), (263, *RIGHT_CREASE, 362)))
# The face mesh can put the upper lid's margin inside the painted eye white (Vermeer's girl,
# on the inner side: the white runs 5-8 px up to the crease). Stretched down as lid skin,
# that white ringed her closed lid in a pale rim, and set the painted lid's top tone. So
# the white in the band (crease to margin) is found once, at rest: pixels nearer the eye's
# white than the skin round the eye, in a run up from the margin (a lit lid fold above
# the lashes is skin); lids.WHITE_BAND_SHARE says what then.
# The white must be this much lighter than the skin (Lab L, 0-255) to be told apart.
WHITE_OVER_SKIN = 12.0
WHITE_SAMPLES = 48  # along the eye, corner to corner
# The face mesh's crease can lie under the picture's own upper lid line, a dark line
# drawn round the top of the open eye (Salviati's red-bearded man: 23-31 grey levels, the
# lid fold round it 55-65). Above the crease, the closing lid left it whole, a dark arc
# framing the closed lid as an eye. A closed lid unfolds, and its crease is softer, so a
# dark line (darker than LINE_DARK of the skin round it) through or above the
# crease, within LINE_REACH of the opening above it, is read here, and painted over as
# the lid closes (lids.CREASE_SOFTENED). A dark run still going at LINE_REACH is the
# socket's shade, not a line, and stays.
LINE_REACH = 0.35
LINE_DARK = 0.6  # as lashes read against the skin (lid_paint.LASHES_SHARE)
# The lid band's lower part can be the picture's lashes and the lid's dark margin (old
# Douglass's heavy near lid: its 5 px a quarter of the skin's light round the eye).
# Stretched down as lid skin, they drew a dark band over the top of the closed lid, over
# a paler painted one: an open eye's dark slit, which the face mesh read as open. So the
# dark run up from the margin (darker than LASH_DARK of the skin round the eye) is read
# once at rest, and painted over as the lid closes (lids.py). A lid fold in the socket's
# shade is lighter (0.6-1.0: Robinson's far eye, Thoreau) and keeps its shade: at 0.6,
# its darkest pixels were read as lashes and the closed lid painted as a pale lens in a
# dark ring (eyes r on Robinson 0.67 -> 0.60).
LASH_DARK = 0.45
# The mesh's upper lid margin can also lie inside the picture's iris (van Gogh's near eye:
# 0.8 of the lid band, crease to margin, inside the iris the iris model found there; the
# shared painting's near eye 0.8; old Douglass's 0.3 below the model's upper lid). Stretched
# down as lid skin, the iris and the lid line over it closed the eye into a dark lens, about
# as dark as the open eye: to a visitor, a narrowed eye (a dark slit). So the eye's opening
# in the band is read at rest: pixels that are the eye's white, or inside the iris model's
# iris and below its upper lid and nearer the iris's own colour (read where the mesh's
# opening surely shows it) than the skin's, in a run up from the margin. The lid's skin
# ends above it (eye_region.EyeRegion.skin_end): the skin above is stretched down, the opening painted
# over. (Painted from the crease instead, as where the band is white, the lid's own skin
# above the iris went too: Robinson's shaded far eye closed into a pale oval in a dark
# ring, eyes r 0.61 -> 0.33 on the faces driver; with the skin above kept, 0.42: the face
# mesh read his dark, unpainted lens as the more closed.)
IRIS_SEEN_PIXELS = 6  # fewer of the iris seen in the mesh's opening: its colour is not read
# The mesh's crease falls steeply into the eye's inner corner (it ends at the corner's point),
# and on a turned sitter's near eye the picture's white runs on up past it there (Vermeer's
# girl looking aside: 3-10 px above the crease over the inner 0.15 of the eye). The closing
# lid, painted from the crease, left that white standing in front of its corner, a pale
# wedge. So where the band's white runs up to the crease, it is followed on up past it (no
# higher than the crease's highest row: the eye ends there), and the closing lid is painted
# from there (lids._lower_lid). Only within WHITE_ABOVE_CREASE of the eye's width from its
# inner corner: at the outer corner a lit lid above the falling crease reads as white (the
# 1904 photograph's near eye: its lid's dark speck was painted over).
WHITE_ABOVE_CREASE = 0.5


class EyeAtRest(NamedTuple):
    """`lid_whites`' reading of one eye at rest, each along it from corner to corner
    (WHITE_SAMPLES)."""
    white: np.ndarray  # share of the lid band (crease to margin) that is the eye's white
    line_top: np.ndarray  # px above the crease: the dark line through or above it, its top ...
    line_bottom: np.ndarray  # ... and its bottom (below the crease: negative)
    line: np.ndarray  # 0-1: how surely there is one
    # px below the mesh's margin down to the eye's first white (inf: no white told from skin);
    # the picture's own upper lid lies no lower (eye_reach.Reach.upper)
    skin_below: np.ndarray
    lashes: np.ndarray  # share of the lid band that is lashes or shade run on up from the margin (LASH_DARK)
    opening: np.ndarray  # share of the lid band that is the eye's white or iris, up from the margin (IRIS_SEEN_PIXELS)
    # eye widths the picture's eye runs on past the mesh's image-left and image-right corners
    # (lid_corners.py), and how far below the corner's row its line reaches there
    past: tuple[float, float] = (0.0, 0.0)
    past_below: tuple[float, float] = (0.0, 0.0)
    # share of the inner corner's fade that holds the picture's upper-lid line (lid_corners.inner_lash_line)
    inner_line: float = 0.0
    # px under the mesh's lower lid that a painted band of light reaches (lid_under.py); None: none
    under: np.ndarray | None = None
    # px above the mesh's crease that the eye's white runs on, where it fills the band (WHITE_ABOVE_CREASE)
    white_above: np.ndarray | None = None


def lid_whites(image: np.ndarray, points: np.ndarray, eyes: tuple[Eye | None, Eye | None] | None = None
               ) -> tuple[EyeAtRest, EyeAtRest]:
    """Per eye, along it from corner to corner (WHITE_SAMPLES), at rest (`points`: the rest
    pose, picture pixels): the share of the lid band (crease to the mesh's margin) that is
    the eye's white run on up from the opening, 0-1, the same of its white or iris (`eyes`:
    the iris model's, per eye in LIDS order; see IRIS_SEEN_PIXELS), and the dark line
    through the crease (see LINE_REACH)."""
    lab = cv2.cvtColor(image, cv2.COLOR_RGB2LAB).astype(np.float32)
    h, w = lab.shape[:2]
    out, unders = [], []
    for k, lid in enumerate(LIDS):
        up, low, cr = (points[list(ids), :2] for ids in lid)
        left, right = min(up[0, 0], low[0, 0]), max(up[-1, 0], low[-1, 0])
        if right < left:
            left, right = right, left
        xs = np.linspace(left, right, WHITE_SAMPLES)
        top, margin, bottom = (curve_through(line, xs) for line in (cr, up, low))
        cols = np.clip(np.round(xs).astype(int), 0, w - 1)

        def column(x: int, y0: float, y1: float) -> np.ndarray:  # rows y0..y1 of picture column x
            rows = np.arange(int(np.ceil(y0)), int(np.floor(y1)) + 1)
            return lab[np.clip(rows, 0, h - 1), x]

        opening = np.concatenate([column(x, m + 1.0, b - 1.0) for x, m, b in zip(cols, margin, bottom, strict=True)]
                                 + [np.zeros((0, 3), np.float32)])
        reach = max(2.0, 0.2 * float(np.mean(bottom - margin)))
        around = np.concatenate([column(x, t - 1.0 - reach, t - 1.0) for x, t in zip(cols, top, strict=True)]
                                + [column(x, b + 2.0, b + 2.0 + reach) for x, b in zip(cols, bottom, strict=True)])
        white, opened = np.zeros(WHITE_SAMPLES, np.float32), np.zeros(WHITE_SAMPLES, np.float32)
        white_above = np.zeros(WHITE_SAMPLES, np.float32)  # (WHITE_ABOVE_CREASE)
        crease_top = float(top.min())
        inner_half = np.abs(xs - up[-1, 0]) < WHITE_ABOVE_CREASE * abs(right - left)
        skin_below = np.full(WHITE_SAMPLES, np.inf, np.float32)
        # (A mesh can read an eye shut with its lids crossed, the lower margin above the upper:
        # an opening of no height, whose crease line is read no further than the crease.)
        lines = _crease_lines(image, cols, top, margin, LINE_REACH * max(float(np.mean(bottom - margin)), 0.0))
        # The white: the lighter part of the opening (the iris and lashes are its dark part);
        # the skin: the lighter half round the eye (lashes and brow hairs are its dark half).
        eye_white = (np.median(opening[opening[:, 0] >= np.percentile(opening[:, 0], 60)], axis=0)
                     if len(opening) else None)
        # (the light under the lower lid: lid_under.py)
        unders.append(np.zeros(WHITE_SAMPLES, np.float32) if eye_white is None or len(opening) < 6
                      else light_under(lab[..., 0], cols, margin, bottom, float(eye_white[0])))
        if len(opening) < 6 or len(around) < 6:
            out.append(EyeAtRest(white, *lines, skin_below, np.zeros_like(white), opened))
            continue
        skin = np.median(around[around[:, 0] >= np.median(around[:, 0])], axis=0)
        lashes = _lash_runs(image, cols, top, margin, skin)
        white_seen = eye_white[0] - skin[0] >= WHITE_OVER_SKIN
        iris = _Iris.seen(lab, None if eyes is None else eyes[k], cols, margin, bottom, skin)
        if not white_seen and iris is None:
            out.append(EyeAtRest(white, *lines, skin_below, lashes, opened))
            continue
        for c, (x, t, m, b) in enumerate(zip(cols, top, margin, bottom, strict=True)):
            if white_seen:
                down = _is_white(column(x, m + 1.0, b - 1.0), eye_white, skin)  # the opening, from the margin down
                skin_below[c] = 1.0 + (float(np.argmax(down)) if down.any() else max(b - m - 1.0, 0.0))
            first = int(np.ceil(t))
            band = column(x, t, m)[::-1]  # from the margin up
            if len(band) == 0:  # (the crease on the margin, into the corner: the white may run on past it)
                if (white_seen and inner_half[c] and t - 1.0 >= crease_top
                        and _is_white(column(x, m, m), eye_white, skin).all()):
                    white_above[c] = _run_up(_is_white(column(x, crease_top, t - 1.0)[::-1], eye_white, skin))
                continue
            is_white = _is_white(band, eye_white, skin) if white_seen else np.zeros(len(band), bool)
            is_iris = (np.zeros(len(band), bool) if iris is None
                       else iris.holds(band, x, np.arange(first, first + len(band))[::-1]))
            white[c], opened[c] = _run_up(is_white) / len(band), _run_up(is_white | is_iris) / len(band)
            if white_seen and inner_half[c] and white[c] >= 1.0 and t - 1.0 >= crease_top:  # on up past the crease
                past_crease = column(x, crease_top, t - 1.0)[::-1]
                white_above[c] = _run_up(_is_white(past_crease, eye_white, skin))
        # (The corner's own sample reads where the lids meet, not the white beside it, which runs
        # on into it: left at 0 there, a pale sliver stood at the corner of the closed lid.)
        inner = -1 if abs(xs[-1] - up[-1, 0]) < abs(xs[0] - up[-1, 0]) else 0  # the inner corner's sample
        white_above[inner] = max(white_above[inner], white_above[inner - 1 if inner else 1])
        out.append(EyeAtRest(white, *lines, skin_below, lashes, _steady(opened),
                             white_above=white_above if white_above.any() else None))
    pasts = [past_corners(image, points[list(lid[0]), :2], points[list(lid[1]), :2]) for lid in LIDS]
    lines = [inner_lash_line(image, points[list(lid[0]), :2], points[list(lid[1]), :2]) for lid in LIDS]
    return tuple(rest._replace(past=past, past_below=below, inner_line=line, under=under)  # type: ignore[return-value]
                 for rest, (past, below), line, under in zip(out, pasts, lines, painted_bands(unders), strict=True))


def _run_up(found: np.ndarray) -> int:
    """How far a run of `found` goes on from the first pixel (the margin), over a stray pixel or two."""
    run = 0
    for j, ok in enumerate(found):
        if ok:
            run = j + 1
        elif j > run + 1:
            break
    return run


class _Iris:
    """The iris the iris model found in one eye, and its colour where the mesh's opening
    surely shows it (IRIS_SEEN_PIXELS)."""

    def __init__(self, centre: np.ndarray, radius: float, eye: Eye, colour: np.ndarray, skin: np.ndarray) -> None:
        self.centre, self.radius, self.eye, self.colour, self.skin = centre, radius, eye, colour, skin

    @classmethod
    def seen(cls, lab: np.ndarray, eye: Eye | None, cols: np.ndarray, margin: np.ndarray, bottom: np.ndarray,
             skin: np.ndarray) -> _Iris | None:
        if eye is None or not (np.all(np.isfinite(eye.iris[:, :2])) and np.all(np.isfinite(eye.lids[:, :2]))):
            return None
        centre, radius = eye.iris_centre.astype(np.float64), eye.iris_radius
        if not radius > 0.0:
            return None
        h = lab.shape[0]
        seen = []
        for x, m, b in zip(cols, margin, bottom, strict=True):
            rows = np.arange(int(np.ceil(m + 1.0)), int(np.floor(b - 1.0)) + 1)
            inside = (x - centre[0]) ** 2 + (rows - centre[1]) ** 2 <= radius * radius
            seen.append(lab[np.clip(rows[inside], 0, h - 1), x])
        pixels = np.concatenate(seen + [np.zeros((0, 3), np.float32)])
        if len(pixels) < IRIS_SEEN_PIXELS:
            return None
        colour = np.median(pixels, axis=0)
        if colour[0] >= skin[0]:  # no darker than the skin: not told apart from it
            return None
        return cls(centre, radius, eye, colour, skin)

    def holds(self, pixels: np.ndarray, x: int, rows: np.ndarray) -> np.ndarray:
        """Which Lab `pixels` (picture column x, at `rows`) are the iris: inside it, below the
        iris model's upper lid, nearer its colour than the skin's and darker than the skin."""
        inside = (x - self.centre[0]) ** 2 + (rows - self.centre[1]) ** 2 <= self.radius ** 2
        lid = curve_through(self.eye.lids[9:, :2], np.array([float(x)]), np.inf)[0]  # lids[9:]: the upper lid
        return (inside & (rows >= lid - 1.0) & (pixels[:, 0] < self.skin[0])
                & (np.linalg.norm(pixels - self.colour, axis=1) < np.linalg.norm(pixels - self.skin, axis=1)))


def _lash_runs(image: np.ndarray, cols: np.ndarray, top: np.ndarray, margin: np.ndarray,
               skin: np.ndarray) -> np.ndarray:
    """Per column, the share of the lid band (crease to margin) that is dark (LASH_DARK of
    the skin's luma; `skin`: its Lab) in a run up from the margin, over a stray pixel."""
    h = image.shape[0]
    skin_luma = float(cv2.cvtColor(np.uint8(np.clip(skin, 0, 255))[None, None], cv2.COLOR_LAB2RGB)[0, 0] @ LUMA)
    out = np.zeros(len(cols), np.float32)
    for c, (x, t, m) in enumerate(zip(cols, top, margin, strict=True)):
        rows = np.arange(int(np.ceil(t)), int(np.floor(m)) + 1)[::-1]  # from the margin up
        if len(rows) == 0:
            continue
        dark = image[np.clip(rows, 0, h - 1), x].astype(np.float32) @ LUMA < LASH_DARK * skin_luma
        out[c] = _run_up(dark) / len(rows)
    # Eased along the eye: where a run ended from one column to the next, the paint's top
    # stepped down there, a hard upright edge on the closed lid.
    return cv2.GaussianBlur(_steady(out)[None, :], (0, 0), sigmaX=2.0, sigmaY=0.1,
                            borderType=cv2.BORDER_REPLICATE)[0]


def _is_white(pixels: np.ndarray, eye_white: np.ndarray, skin: np.ndarray) -> np.ndarray:
    """Which Lab `pixels` are the eye's white: nearer it than the skin, and lighter than the skin."""
    return ((np.linalg.norm(pixels - eye_white, axis=1) < np.linalg.norm(pixels - skin, axis=1))
            & (pixels[:, 0] > skin[0]))


def _crease_lines(image: np.ndarray, cols: np.ndarray, top: np.ndarray, margin: np.ndarray,
                  most: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per column, the dark line through or above the crease (LINE_REACH): its top and bottom
    in pixels above the crease, and how surely there is one there (0-1)."""
    h = image.shape[0]
    tops, bottoms, found = (np.zeros(len(cols), np.float32) for _ in range(3))
    for c, (x, t, m) in enumerate(zip(cols, top, margin, strict=True)):
        first = int(np.floor(t - most))
        rows = np.arange(first, int(np.ceil(t + 0.5 * max(m - t, 0.0))) + 1)
        if len(rows) == 0 or rows[0] < 0 or rows[-1] >= h:
            continue
        column = image[rows, x].astype(np.float32) @ LUMA
        skin = np.median(column[column >= np.median(column)])  # the lighter half: skin
        dark = column < LINE_DARK * skin
        at = int(np.argmin(np.abs(rows - t)))  # the dark run nearest the crease
        hits = np.flatnonzero(dark)
        if len(hits) == 0:
            continue
        centre = hits[np.argmin(np.abs(hits - at))]
        low, high = centre, centre
        while low > 0 and dark[low - 1]:
            low -= 1
        while high < len(dark) - 1 and dark[high + 1]:
            high += 1
        if low == 0 or abs(centre - at) > 0.5 * most:  # still going at LINE_REACH: shade
            continue
        tops[c], bottoms[c], found[c] = t - rows[low], t - rows[high], 1.0
    found = _steady(found)
    if not found.any():
        return tops, bottoms, found
    # Columns without one take their neighbours' line, faded: read column by column, the
    # softened line ended in steps.
    seen = np.flatnonzero(found > 0.5)
    at = np.arange(len(cols))
    tops, bottoms = (np.interp(at, seen, _steady(v)[seen]).astype(np.float32) for v in (tops, bottoms))
    sure = cv2.GaussianBlur(found[None, :], (0, 0), sigmaX=1.5, sigmaY=0.1, borderType=cv2.BORDER_REPLICATE)[0]
    return tops, bottoms, sure


def _steady(along: np.ndarray) -> np.ndarray:
    """A reading along the eye with a stray column (a glint, a crack in the paint) taken out."""
    padded = np.pad(along, 2, mode="edge")
    return np.median(np.lib.stride_tricks.sliding_window_view(padded, 5), axis=-1).astype(np.float32)
