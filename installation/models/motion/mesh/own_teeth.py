"""Sitters who show their own teeth at rest (a smiling photograph, a painted open smile).

The face mesh puts the inner lip line round the whole opening: for a sitter who smiles
with her upper teeth showing, the upper inner lip runs along the top of the teeth and the
lower one along or below their edge. An opening mouth then moved the lower inner lip away
from the teeth and the warp stretched her own teeth down round the painted opening: a ring
of teeth round a black pit. In life the upper teeth stay with the upper jaw and the mouth
opens below them. So where the picture shows teeth inside the inner lips at rest, the upper
inner lip is moved down to the teeth's lower edge (the biting line): the teeth move with the
upper lip as a row, the opening is painted from their edge down, and the painted mouth shows
no second row of upper teeth (`PortraitRig.own_teeth`).

The lower teeth, where the picture shows them too, stay with the lower jaw: the lower inner
lip is moved up to their top edge, and the opening grows from the sitter's own (the dark
between the rows) as the jaw drops. Left between the inner lips, they were painted over by
the opening as soon as the mouth moved (a laughing sitter's lower teeth and the lower lip's
inside went black at once, the painted pit reaching down to the lower lip's outer edge).

Teeth are told by lightness: inside the inner lips, clearly lighter than the lips round
them; or, where a black-and-white photograph renders the lips nearly as light as the teeth,
a light run framed by the opening's dark above and below it (a lit lower lip runs on down
into the lip, not into a dark). A closed mouth (its inner lips within a few pixels of each
other) is left as it is.
Each point's edge is read on its own, down the face's axis: where the rows touch, one
point's light run went on down through both rows (a tooth 8 px longer than its neighbours
on a laughing sitter 170 px tall, hanging into the opening as a spike), so the edges are
taken through a running median over three points: the row's edge is a smooth curve.

Lightness is read at the scale of the picture's strokes. An engraving's hatching or a book's
halftone dots leave bare paper between them, as light as teeth, a line or a dot apart: read
pixel by pixel, the paper in a hatched mouth was the sitter's own teeth (an engraved Douglass,
his mouth closed under his moustache, showed teeth at rest, so no smile ever painted any). So
where the mouth's surroundings carry a regular pattern finer than teeth (a sharp ring in their
spectrum), the picture's tones are blurred to the pattern's period first: hatched paper reads
as the grey the engraver meant, and the teeth, paper left bare, as light. A photograph, a
painting or a drawing's irregular strokes carry no such ring, and are read as they are.
"""

from __future__ import annotations

import cv2
import numpy as np

from .enamel import lit_skin
from .named_points import (
    FACE_OVAL,
    LEFT_EYE_OPENING,
    LOWER_INNER_LIP,
    LOWER_OUTER_LIP,
    RIGHT_EYE_OPENING,
    UPPER_INNER_LIP,
    UPPER_OUTER_LIP,
)
from .tone import LUMA

# An opening narrower than this (share of the face height, at the mouth's middle) shows no teeth;
# nor one narrower than MIN_OPENING_PX, or than OPENING_SIGMAS times the blur it is read
# through: on a face 90-100 px tall a mouth parted by 2-5 px (0.026-0.035 of the face) over
# a lit lower lip read as teeth 1-3 px long (an old sepia photograph made small, an engraving
# whose lines blurred the lip up into the opening), and an opening mouth then painted no
# teeth at all under "her own", nor the inside of her lip: a dark hole. The sitters' own
# teeth read on development pictures lie in openings of 8 px or more.
MIN_OPENING = 0.025
MIN_OPENING_PX = 5.0
OPENING_SIGMAS = 3.0
# Teeth are lighter than the lips by this share of the lips' lightness at least (and by
# MIN_STEP grey levels), over at least TEETH_SHARE of the opening's middle (each row read out to
# half way back to the lips, `_teeth_extent`: over the bar itself, a small face's row shrank).
LIGHTER_THAN_LIPS = 0.35
MIN_STEP = 25.0
TEETH_SHARE = 0.3
# A black-and-white photograph's lips are light (140-165 of 255 on five smiling sitters) and
# its teeth only a little lighter (170-200): under the bar above, a dark opening covered a
# smiling boy's own teeth. Such a row is told from the lips by where it lies, not by how much
# lighter it is: a light run in the opening's upper part with the opening's dark (as dark as
# the lips or darker) above it and below it, the dark below within the opening or a few
# pixels below its lower edge. A lit lower lip under a parted mesh runs on down into the lip;
# the upper lip's own lit edge has no dark above it. Such a framed row needs only to be
# lighter than the lips by LIGHTER_ABOVE_DARK (and MIN_STEP_ABOVE_DARK) and as light as
# OF_HIGHLIGHTS of the face's lit skin (teeth in photographs of smiles: 0.71-1.1 of it,
# enamel.py). (At 0.1 of the lips the boy's teeth were lost again in the same photograph
# printed lighter, its lips at 175-190; no closed mouth of 44 development pictures, nor of
# their grey copies printed lighter, reads teeth at 0.05.)
LIGHTER_ABOVE_DARK = 0.05
MIN_STEP_ABOVE_DARK = 10.0
OF_HIGHLIGHTS = 0.75
# How far below the lower inner lip (pixels, and share of the opening) the dark is looked for:
# the mesh puts the lower inner lip along the dark's top edge or on the lower teeth.
BELOW_OPENING_PX = 3.0
BELOW_OPENING = 0.3
# Such a row may begin this far down the opening (share of it): on a smiling boy the mesh put
# the upper inner lip 3-4 px above his teeth, along the upper lip's shaded inside.
HANGING_FROM = 0.6
# The mouth's middle, where the teeth are looked for (share of its half width each side).
MIDDLE = 0.6
# A light run below the upper teeth's edge this long (pixels) at least is the lower teeth.
MIN_LOWER_TEETH_PX = 2
# Strokes (hatching, a halftone screen) are looked for in a square this share of the face
# height round the mouth, with periods from STROKE_PERIOD_PX up to STROKE_PERIOD_SHARE of the
# face height (finer than teeth: at 0.08 a photograph's own teeth and lip lines rang too).
STROKE_WINDOW = 0.5
STROKE_PERIOD_PX = 2.5
STROKE_PERIOD_SHARE = 0.04
# A ring this many decibels above the spectrum round it (its median from 0.6x to 1.7x the
# ring's frequency) is a pattern of strokes: 13-27 dB round the mouths of 97 engravings and
# halftones we made from 38 development pictures (lines 4-7 px apart), at most 5.5 on 112
# photographs, paintings and graphite drawings (those pictures themselves among them).
STROKE_PROMINENCE_DB = 8.0
STROKE_NEIGHBOURS = 1.7
# The blur (sigma) per stroke period: it leaves 2% of the strokes' fundamental.
STROKE_TONE = 0.45


def _axes(mesh: np.ndarray) -> tuple[float, np.ndarray]:
    face_height = float(np.linalg.norm(mesh[152, :2] - mesh[10, :2]))
    return face_height, (mesh[152, :2] - mesh[10, :2]) / max(face_height, 1e-6)


def stroke_period(grey: np.ndarray, centre: np.ndarray, face_height: float) -> float | None:
    """The period (pixels) of the regular strokes round `centre` (the mouth), an engraving's
    hatching or a halftone's dots; None where there are none (a photograph, a painting)."""
    r = int(round(STROKE_WINDOW * face_height / 2))
    x, y = int(round(float(centre[0]))), int(round(float(centre[1])))
    crop = grey[max(y - r, 0):y + r, max(x - r, 0):x + r]
    h, w = crop.shape
    shortest, longest = STROKE_PERIOD_PX, STROKE_PERIOD_SHARE * face_height
    if longest <= shortest or min(h, w) < 4 * longest:
        return None
    crop = (crop - crop.mean()) * np.outer(np.hanning(h), np.hanning(w))
    power = np.abs(np.fft.rfft2(crop)) ** 2
    frequency = np.hypot(np.fft.fftfreq(h)[:, None], np.fft.rfftfreq(w)[None, :])
    # The power in rings spaced evenly in log frequency, from 5 periods a window down to 2 px.
    edges = np.geomspace(5.0 / (2 * r), 0.5, 40)
    ring = np.digitize(frequency.ravel(), edges)
    sums = np.bincount(ring, power.ravel(), len(edges) + 1)[1:len(edges)]
    counts = np.bincount(ring, None, len(edges) + 1)[1:len(edges)]
    # (A small window's lowest rings may hold no frequency at all: they are left out.)
    held = counts > 0
    level = 10.0 * np.log10(sums / np.maximum(counts, 1) + 1e-6)
    rings = np.sqrt(edges[1:] * edges[:-1])
    span = int(np.ceil(np.log(STROKE_NEIGHBOURS) / np.log(edges[1] / edges[0])))
    best, period = 0.0, None
    for k in np.flatnonzero((rings <= 1 / shortest) & (rings >= 1 / longest) & held):
        near = np.r_[max(k - span, 0):max(k - 1, 0), k + 2:min(k + span + 1, len(level))]
        around = level[near][held[near]]
        if len(around) == 0:
            continue
        prominence = float(level[k] - np.median(around))
        if prominence > best:
            best, period = prominence, float(1.0 / rings[k])
    return period if best >= STROKE_PROMINENCE_DB else None


def _runs(image: np.ndarray, mesh: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Per point of the upper inner lip (corners included, as 0): how far below it (pixels,
    along the face's own downward axis) the sitter's own upper teeth end, and how far below
    it her lower teeth begin (the lower inner lip's own depth where none are seen); None
    when the picture shows no teeth at rest."""
    face_height, down = _axes(mesh)
    upper = mesh[list(UPPER_INNER_LIP), :2]
    lower = mesh[list(LOWER_INNER_LIP), :2]
    gaps = (lower - upper) @ down
    opening = float(np.max(gaps[1:-1]))
    if opening < max(MIN_OPENING * face_height, MIN_OPENING_PX):
        return None
    grey = cv2.cvtColor(np.ascontiguousarray(image[..., :3]), cv2.COLOR_RGB2GRAY).astype(np.float32)
    period = stroke_period(grey, (mesh[13, :2] + mesh[14, :2]) / 2, face_height)
    sigma = max(0.7, 0.004 * face_height, 0.0 if period is None else STROKE_TONE * period)
    if opening < OPENING_SIGMAS * sigma:
        return None
    grey = cv2.GaussianBlur(grey, (0, 0), sigma)
    # The lips' own lightness: between each lip's outer and inner edge, half way.
    lips = np.concatenate([(mesh[list(UPPER_OUTER_LIP), :2] + upper) / 2,
                           (mesh[list(LOWER_OUTER_LIP), :2] + lower) / 2])
    h, w = grey.shape
    at = np.clip(np.round(lips).astype(int), 0, [w - 1, h - 1])
    lip_light = float(np.median(grey[at[:, 1], at[:, 0]]))
    threshold = lip_light + max(MIN_STEP, LIGHTER_THAN_LIPS * lip_light)
    # Down each point of the upper inner lip to the lower one, in steps of about a pixel.
    centre = (mesh[61, :2] + mesh[291, :2]) / 2
    half = max(float(np.linalg.norm(mesh[291, :2] - mesh[61, :2])) / 2, 1.0)
    across = np.array([-down[1], down[0]])
    middle = np.abs((upper - centre) @ across) / half < MIDDLE
    middle[[0, -1]] = False
    reach = gaps + np.maximum(BELOW_OPENING_PX, BELOW_OPENING * gaps)
    steps = np.arange(int(np.ceil(float(np.max(reach)))) + 1, dtype=np.float32)
    xs = upper[:, 0, None] + steps[None, :] * down[0]
    ys = upper[:, 1, None] + steps[None, :] * down[1]
    profiles = cv2.remap(grey, xs.astype(np.float32), ys.astype(np.float32), cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_REPLICATE)
    inside = steps[None, :] <= gaps[:, None]
    light = (profiles > threshold) & inside
    framed, above_dark = {}, None
    for k in range(1, len(gaps) - 1):
        if not light[k].any():
            if above_dark is None:  # (read only where needed: the face's light costs a few ms)
                above_dark = max(lip_light + max(MIN_STEP_ABOVE_DARK, LIGHTER_ABOVE_DARK * lip_light),
                                 OF_HIGHLIGHTS * _highlights(image, mesh))
            run = _framed_by_dark(profiles[k], above_dark, lip_light, float(gaps[k]), float(reach[k]))
            if run is not None:
                framed[k] = run
                light[k, run[0]:run[1]] = True
    extent = _teeth_extent(profiles, light, inside, lip_light, threshold)
    if float(extent[middle].sum()) < TEETH_SHARE * float(inside[middle].sum()):
        return None
    # The teeth's edge: where the light run that starts within the upper part of the
    # opening ends (a light lower lip lining below a dark gap is not the upper teeth).
    depth = np.zeros(len(upper))
    for k in range(1, len(upper) - 1):
        if k in framed:
            depth[k] = min(float(framed[k][1]), max(float(gaps[k]) - 1.0, 0.0))
            continue
        run = light[k]
        if not run[: max(2, int(0.4 * gaps[k]) + 1)].any():
            continue
        start = int(np.argmax(run))
        dark = np.flatnonzero(~run[start:])
        end = start + (int(dark[0]) if len(dark) else int(gaps[k]) + 1)
        depth[k] = min(float(end), max(float(gaps[k]) - 1.0, 0.0))
    # Teeth across most of the middle, not a light speck (a white moustache's hair). A point
    # whose row clears the bar over too few pixels to be seen there (a small face: 3 of 7)
    # counts where its row, read half way back to the lips, starts in the opening's upper part.
    hanging = np.array([extent[k, :max(2, int(0.4 * gaps[k]) + 1)].any() for k in range(len(gaps))])
    if np.count_nonzero((depth > 0)[middle] | hanging[middle]) < 0.5 * np.count_nonzero(middle):
        return None
    # Where a tooth in shadow was not seen, the edge runs on from its neighbours to the corners.
    known = np.flatnonzero(depth > 0)
    known = np.concatenate([[0], known, [len(depth) - 1]])
    depth = np.interp(np.arange(len(depth)), known, np.concatenate([[0.0], depth[known[1:-1]], [0.0]]))
    depth[1:-1] = np.median(np.stack([depth[:-2], depth[1:-1], depth[2:]]), axis=0)
    # The lower teeth: a light run again below the upper teeth's edge, down to the lower lip.
    # (Where the rows touch it begins at the edge itself, and the lips there meet at rest.)
    top = gaps.astype(np.float64).copy()
    for k in range(1, len(upper) - 1):
        below = light[k] & (steps >= np.floor(depth[k]))
        if np.count_nonzero(below) >= MIN_LOWER_TEETH_PX:
            top[k] = max(float(steps[np.argmax(below)]), depth[k])
    top[1:-1] = np.maximum(np.median(np.stack([top[:-2], top[1:-1], top[2:]]), axis=0), depth[1:-1])
    return depth, top


def _teeth_extent(profiles: np.ndarray, light: np.ndarray, inside: np.ndarray, lip_light: float,
                  threshold: float) -> np.ndarray:
    """Per point and step, whether the opening shows teeth there, for the area they cover: where
    a point's lightest step in the opening clears the lips' bar, the run through it out to where
    the profile falls half way back to the lips, on both sides. Blur spreads teeth into the
    lips round them by the same few pixels at every size; at a fixed bar, its share of a small
    opening's run was lost (a smiling face 130 px tall: light over 0.16 of the opening's middle,
    0.30 at full size, and her own teeth were painted over). Half way down its edges a blurred
    row keeps its height. A run not closed by darker on both sides is no row of teeth (a lit lip
    at the mesh's line, a lit lower lip running on down): only its light over the bar counts."""
    peak_at = np.argmax(np.where(inside, profiles, -np.inf), axis=1)
    peak = profiles[np.arange(len(profiles)), peak_at]
    extent = light.copy()
    for k in np.flatnonzero(peak > threshold):
        below = np.flatnonzero(profiles[k] <= (lip_light + peak[k]) / 2)
        before, after = below[below < peak_at[k]], below[below > peak_at[k]]
        if len(before) and len(after):
            extent[k, before[-1] + 1:after[0]] |= inside[k, before[-1] + 1:after[0]]
    return extent


def _highlights(image: np.ndarray, mesh: np.ndarray) -> float:
    """The lightness of the face's lit skin (enamel.lit_skin's 97th percentile)."""
    at = np.clip(np.round(mesh[[50, 280, 205, 425, 101, 330, 151, 9], :2]).astype(int), 0,
                 [image.shape[1] - 1, image.shape[0] - 1])
    cheeks = np.median(image[at[:, 1], at[:, 0], :3].astype(np.float32), axis=0)
    eyes = tuple(mesh[list(eye), :2] for eye in (LEFT_EYE_OPENING, RIGHT_EYE_OPENING))
    return lit_skin(image, mesh[:, :2], cheeks, mesh[list(FACE_OVAL), :2], eyes)[1]


def _framed_by_dark(profile: np.ndarray, bar: float, lip_light: float, gap: float,
                    reach: float) -> tuple[int, int] | None:
    """The light run (its first step and the step past it), lighter than `bar`, that begins
    in the upper part of the opening below a dark and ends above one (as dark as the lips or
    darker), all before `reach`; None where there is none (a lit lower lip runs on past it,
    the upper lip's own lit edge has no dark above it)."""
    steps = np.arange(len(profile))
    run = (profile > bar) & (steps <= reach)
    if not run[: int(HANGING_FROM * gap) + 1].any():
        return None
    start = int(np.argmax(run))
    ends = np.flatnonzero(~run[start:])
    if len(ends) == 0:
        return None
    end = start + int(ends[0])
    dark = profile < lip_light
    if end > gap + 1.0 or not dark[:start].any() or not np.any(dark[end:] & (steps[end:] <= reach)):
        return None
    return start, end


def biting_line(image: np.ndarray, mesh: np.ndarray) -> np.ndarray | None:
    """Per point of the upper inner lip (corners included, as 0), how far below it (pixels,
    along the face's own downward axis) the sitter's own upper teeth end; None when the
    picture shows no teeth at rest."""
    runs = _runs(image, mesh)
    return None if runs is None else runs[0]


def lips_at_teeth(image: np.ndarray, mesh: np.ndarray) -> tuple[np.ndarray | None, bool, np.ndarray | None]:
    """A copy of the portrait's mesh with the upper inner lip moved down to the sitter's own
    teeth's edge (and the lower inner lip up to her lower teeth's, where they show), whether
    she shows teeth at rest, and per point of the lower inner lip (corners left out) whether
    her lower teeth's edge is there; (None, False, None) when she shows no teeth."""
    runs = _runs(image, mesh)
    if runs is None:
        return None, False, None
    depth, top = runs
    _, down = _axes(mesh)
    moved = mesh.copy()
    upper = mesh[list(UPPER_INNER_LIP), :2]
    moved[list(UPPER_INNER_LIP), :2] = upper + depth[:, None] * down[None, :]
    # The lower inner lip's points lie below the upper's, one for one (LOWER_INNER_LIP):
    # each moves up along the same axis to the top of the lower teeth below it.
    lower = list(LOWER_INNER_LIP)[1:-1]
    gaps = (mesh[lower, :2] - upper[1:-1]) @ down
    rise = np.maximum(gaps - top[1:-1], 0.0)
    moved[lower, :2] -= rise[:, None] * down[None, :]
    return moved, True, rise > 0.5


def teeth_colour(image: np.ndarray, mesh: np.ndarray, moved: np.ndarray) -> np.ndarray | None:
    """Her own upper teeth's lit colour (RGB float32): the lightest quarter of the picture
    between the upper inner lip as found (`mesh`) and her teeth's edge (`moved`, from
    `lips_at_teeth`), over the middle half of the mouth; None with under 6 pixels there.
    A lower row painted to meet hers is painted in it: in the enamel the palette reads off
    the face's lit skin, her row of the picture's own teeth over a painted one as grey as
    the skin's shade (0.6-0.75 of hers on five smiling sitters) read as a row of two colours."""
    upper = mesh[list(UPPER_INNER_LIP), :2]
    edge = moved[list(UPPER_INNER_LIP), :2]
    middle = np.abs(upper[:, 0] - (upper[0, 0] + upper[-1, 0]) / 2) <= abs(upper[-1, 0] - upper[0, 0]) / 4
    if middle.sum() < 2:
        return None
    outline = np.concatenate([upper[middle], edge[middle][::-1]])
    mask = np.zeros(image.shape[:2], np.uint8)
    cv2.fillPoly(mask, [np.round(outline).astype(np.int32)], 1)
    pixels = image[mask > 0].astype(np.float32)
    if len(pixels) < 6:
        return None
    luma = pixels @ LUMA
    return np.median(pixels[luma >= np.percentile(luma, 75)], axis=0)
