"""The closed lips' dark line, stretched by an opening mouth, taken out of the lips round it.

A picture whose lips meet in a dark line (a miniaturist's drawn lip line, a photograph's deep
crease, a painting's dark contact) has that line in the few pixels where the mesh's inner lips
lie. As the mouth opens, the warp samples the lips from off the line (lip_edges.py), but only
as far as each pair of inner points has opened and no further than half the lip's thickness, so
where a pair barely parts, at the mouth's ends, and where the mesh puts the line a pixel or two
off its inner lips, the triangles still sample some of it. Stretched, it showed as dark
red-brown flecks at the opening's inner corners and short dark streaks hanging from the lips'
inner edges, from the opening's edge out to a fifth of the opening's height: beyond the 1.5-4 px
that `mouth._inner_lips` cleans with a 3x3 median, which takes out only what is a pixel wide.
So the lips round the opening are read for the line's tone, and what is as dark as the line is
filled from the lip around it. (Sampling from off the line left seven made miniatures a fifth
of the line's pixels round the opening that they had without this rule, 526 -> 116 at the
expressions driver's widest; what is left is still this rule's: 116 -> 38 with it.)
"""

from __future__ import annotations

import cv2
import numpy as np

from .named_points import INNER_LIPS, LOWER_INNER_LIP, OUTER_LIPS, UPPER_INNER_LIP
from .rig import PortraitRig
from .tone import LUMA

# A picture's lips have a dark line between them when the line (Palette.line: the darker half
# of the darkest pixels along the closed lips) is under this share of the lips' lightness. Above
# it there is nothing dark to stretch, and nothing is done: the picture renders as before.
LINE_SEEN = 0.8
# A lip pixel is the line's from this share of the way from the line's tone to the lip's
# (fully from LINE_FULL): the lip's own shading stays above it; the stretched stroke, blurred
# at its edges, lies below.
LINE_FROM, LINE_FULL = 0.55, 0.3
# How far from the opening's edge the stretched line reaches, a share of the opening's height
# (at least LEAST_PX): the streaks measured on made miniatures reached 0.2 of it.
REACH_SHARE, LEAST_PX = 0.25, 2.0
# The lip around is read over this share of that reach (a Gaussian's sigma, at least a pixel).
AROUND_SHARE = 0.5
# The line stands alone in the lips where, at rest, under ALONE_BELOW[0] of the lips (the line's
# own pixels, LINE_LEFT_OUT of the face's height either side of where they meet, left out) is as
# dark as it (not at all from ALONE_BELOW[1]).
ALONE_BELOW, LINE_LEFT_OUT = (0.03, 0.08), 0.012
# A line less than CONTRAST[0] levels darker than the lips is left (wholly taken out from
# CONTRAST[1]): on a dark, grainy photograph (lips 33 levels above their line) the lift took
# the grain round the opening into a smooth pale ring, where the line's flecks hardly showed.
CONTRAST = (35.0, 50.0)
# The stroke's softened rim, this wide (pixels, odd), goes with it.
RIM_PX = 5
# The picture is read for the line softened by this much (a Gaussian's sigma, pixels).
GRAIN_PX = 1.0


def _tones(rig: PortraitRig) -> tuple[float, float] | None:
    """The lips' tone and their line's, where the line is darker than the lips (LINE_SEEN)."""
    lip, line = rig.palette.lip, rig.palette.line
    if line is None:
        return None
    lip_tone, line_tone = float(np.asarray(lip, np.float32) @ LUMA), float(np.asarray(line, np.float32) @ LUMA)
    return (lip_tone, line_tone) if line_tone < LINE_SEEN * lip_tone else None


def line_alone(rig: PortraitRig) -> float:
    """How far the closed lips' dark line stands alone in lips lighter than it (1; 0: not at
    all, or no line), read once per portrait (kept on its rig): the share of the lips at rest,
    the line's few pixels left out, that is as dark as the line (LINE_FROM), against
    ALONE_BELOW. A moustache's hair over the lips, an engraving's hatching, a dark lip's own
    texture are as dark as the line over much of the lips: the dark stretched there is the
    picture's own, and smoothed away it left flat patches round the opening (CONTRAST too)."""
    if rig.readings.line_alone is not None:
        return rig.readings.line_alone
    alone = 0.0
    tones = _tones(rig)
    mesh = rig.mesh[:, :2].astype(np.float64)
    outer = mesh[list(OUTER_LIPS)]
    x0, y0 = np.maximum(np.floor(outer.min(0)).astype(int) - 1, 0)
    x1, y1 = np.minimum(np.ceil(outer.max(0)).astype(int) + 2, rig.image.shape[1::-1])
    if tones is not None and x1 - x0 > 2 and y1 - y0 > 2:
        lips = np.zeros((y1 - y0, x1 - x0), np.uint8)
        cv2.fillPoly(lips, [np.round(outer - [x0, y0]).astype(np.int32)], 1)
        contact = (mesh[list(UPPER_INNER_LIP)] + mesh[list(LOWER_INNER_LIP)]) / 2 - [x0, y0]
        width = 2 * max(2, int(round(LINE_LEFT_OUT * rig.face_height))) + 1
        cv2.polylines(lips, [np.round(contact).astype(np.int32)], False, 0, width)
        tone = rig.image[y0:y1, x0:x1].astype(np.float32) @ LUMA
        lip_tone, line_tone = tones
        body = tone[lips > 0]
        if body.size >= 10:
            dark = float(np.mean(body < line_tone + LINE_FROM * (lip_tone - line_tone)))
            alone = float(np.clip((ALONE_BELOW[1] - dark) / (ALONE_BELOW[1] - ALONE_BELOW[0]), 0.0, 1.0))
            # (Lips within a few tens of levels of their line: its flecks barely show, and the
            # picture's grain is as dark as they are.)
            alone *= float(np.clip((lip_tone - line_tone - CONTRAST[0]) / (CONTRAST[1] - CONTRAST[0]), 0.0, 1.0))
    rig.readings.line_alone = alone
    return alone


def take_out_line(region: np.ndarray, dst: np.ndarray, gap: float, opening: float, rig: PortraitRig) -> None:
    """Lift, in `region` (RGB uint8, in place; `dst` the moved points in its pixels), the lips'
    pixels round the opening that are as dark as the picture's lip line towards the lip
    around them. Only lifts, never darkens; a pixel not as dark as the line is left as it is."""
    alone = line_alone(rig)
    tones = _tones(rig)
    # (Over teeth `opening` is 0 and every pixel's lift is 0 x its share: nothing changes, so
    # nothing is read. On a lone-lined sitter that is about half of the open-mouth frames, and
    # the reading, two blurs of the lips' box up to 6 px wide, cost 0.3-0.4 ms of each.)
    if alone <= 0.0 or tones is None or opening * alone <= 0.0:
        return
    lip_tone, line_tone = tones
    span = lip_tone - line_tone
    reach = max(LEAST_PX, REACH_SHARE * gap)
    outer = dst[list(OUTER_LIPS)]
    h, w = region.shape[:2]
    x0, y0 = np.maximum(np.floor(outer.min(0)).astype(int) - 2, 0)
    x1, y1 = np.minimum(np.ceil(outer.max(0)).astype(int) + 3, [w, h])
    if x1 - x0 < 3 or y1 - y0 < 3:
        return
    shape = (y1 - y0, x1 - x0)
    lips = np.zeros(shape, np.uint8)
    cv2.fillPoly(lips, [np.round(outer - [x0, y0]).astype(np.int32)], 1)
    opened = np.zeros(shape, np.uint8)
    cv2.fillPoly(opened, [np.round(dst[list(INNER_LIPS)] - [x0, y0]).astype(np.int32)], 1)
    beyond = cv2.distanceTransform(1 - opened, cv2.DIST_L2, 3)
    window = region[y0:y1, x0:x1]
    pixels = window.astype(np.float32)
    # Read a little softened: a stroke is a few pixels wide, a photograph's grain or a dark
    # print's noise one. Read pixel by pixel, a noisy dark photograph's lips round the opening
    # were lifted speck by speck into a smooth pale ring.
    tone = cv2.GaussianBlur(pixels, (0, 0), GRAIN_PX) @ LUMA
    # How much each lip pixel near the opening is the line's (0: the lip's own).
    band = (lips > 0) & (opened == 0) & (beyond <= reach + 1.0)
    of_line = np.clip((line_tone + LINE_FROM * span - tone) / ((LINE_FROM - LINE_FULL) * span), 0.0, 1.0)
    of_line *= band * np.clip(reach + 1.0 - beyond, 0.0, 1.0)
    if not of_line.any():
        return
    # ...and the stroke's softened rim with it (lifted only as far as it is darker than the lip
    # around): left, it drew the taken-out stroke's outline as a fine dark ring.
    with_rim = cv2.dilate(of_line, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (RIM_PX, RIM_PX))) * band
    # The lip around: the mean of the lip's pixels that are not the line's, near each pixel
    # (the opening's own pixels, covered by its paint, left out).
    kept = ((lips > 0) & (opened == 0)).astype(np.float32) * (1.0 - of_line)
    sigma = max(1.0, AROUND_SHARE * reach)
    weight = cv2.GaussianBlur(kept, (0, 0), sigma)
    around = cv2.GaussianBlur(pixels * kept[..., None], (0, 0), sigma) / np.maximum(weight, 1e-6)[..., None]
    # (Where no lip is near enough to read, nothing is lifted.)
    share = with_rim * (opening * alone) * np.clip(weight / 0.1, 0.0, 1.0)
    lifted = pixels + np.maximum(around - pixels, 0.0) * share[..., None]
    changed = share > 0.0
    window[changed] = np.clip(lifted[changed] + 0.5, 0, 255).astype(np.uint8)
