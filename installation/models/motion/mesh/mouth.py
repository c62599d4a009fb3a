"""The inside of an opening mouth, painted in the portrait's own palette.

A closed painted mouth has no interior to stretch: stretching the lip line is what made
black smears. So the opening (the inner-lip polygon of the moved mesh) is painted:
a cavity in the picture's own darks and the hue of its own lip line, graded from the
upper lip's shadow to a warmer floor (cavity.py), the lips' inner edges cleaned of what
the stretched lip line held, a band of teeth and a hint of tongue, all from colours
sampled in the portrait (rig.py). How much of the opening the teeth fill is read from the
visitor's own mouth when it can be (`teeth.py`): a smile bares the upper teeth, a yawn
shows a dark cavity.
"""

from __future__ import annotations

import cv2
import numpy as np

from .cavity import THIN_OPENING, accent_lift, cavity_colours, grain_in_darks, teeth_corners_kept, thinness
from .drawn_mouth import DrawingTones, in_drawing
from .enamel import biting_edge, lower_lip_line, tooth_light
from .halftone import HalftoneScreen
from .lower_row import below_own_teeth
from .named_points import INNER_LIPS, LOWER_INNER_LIP, UPPER_INNER_LIP
from .outlines import curve_through, rounded
from .palette import TEETH_SHADE_AT, Palette
from .passages import of_rig, textured
from .rig import PortraitRig
from .stretched_line import take_out_line
from .tone import LUMA
from .tongue import (
    THROAT_SHADE,
    TONGUE_BACK_LIGHT,
    TONGUE_BACK_MOST,
    TONGUE_BACK_PX,
    TONGUE_BACK_TOP,
    tongue_back,
    tongue_layer,
    tongue_reading,
)
from .turned_lips import cheek_outline, cheek_outline_points, edge_on_ends

SHIFT = 4
# Below this opening (pixels between the inner lips) nothing is painted: the warped
# portrait's own lip line is the best picture of a nearly closed mouth.
MIN_GAP_PX = 1.5
# Beyond that (or the sitter's own parting at rest), the opening's paint fades in over this
# many pixels opened. In pixels, not a share of the face: what opens beyond the closed lips
# is under a pixel or two on a small face for much of a talking visitor's time, and the
# painted polygon (the mesh's inner lips, a few pixels apart even where the picture's lips
# meet) at part strength stands for that sub-pixel opening. Faded in over 0.005 of the
# face's height (2 px on a face 400 px high, 0.65 px on one 130 px high), a mouth parted by
# half a pixel was a whole dark slot and the face mesh read small openings as wide as larger
# ones: mouth r 0.826 -> 0.803 on twelve small sitters (faces 122-142 px, a man talking;
# 0.814 over 0.01 of the face). The minimum above, scaled too, changed nothing there (the
# mesh's lips are 2-11 px apart at rest on most of them).
OPENING_FADE_PX = 2.0
# The lips' inner edges (`_inner_lips`) are cleaned over this share of the gap (1.5-4 px).
INNER_LIP_SHARE = 0.12
EDGE_LIFT = 0.6  # ...and lit this much of the way to the lip beside them (`_inner_lips`),
# but not towards the mouth's corners, where the lips meet in shadow: lit all round, the
# corners' ring of lip drew the opening's sharp ends as pale points, two fangs of lip
# colour on a turned sitter's small mouth. Lit fully to EDGE_LIT_TO[0] of the half width,
# not at all from EDGE_LIT_TO[1].
EDGE_LIT_TO = (0.6, 0.9)
# The lower lip's inside under a smile's resting teeth (`teeth.mouth_shown`'s fifth number):
# the lip's colour this much in shade just under the teeth, lit towards the lip's edge, and
# not in the mouth's corners (beyond this share of its half width), which stay dark.
LINING_SHADE = (0.62, 0.9)
LINING_TO = 0.9
# The opening's outline is the inner lips' polygon with its bends rounded over this share of
# the gap (`outlines.rounded`): the mesh's twenty points, stretched, made a slab with straight sides
# and hard corners, where inner lips meet in a curve (a real open mouth is near an ellipse).
# No more: rounded over 0.3 of the gap, the face mesh read the opening as less open (mouth
# amplitude 0.75 -> 0.73 on the shared pairs; 0.745 at 0.15).
CORNER_ROUND, ROUND_FROM_PX = 0.15, 8.0
# ...but the mouth's corners themselves (their places in INNER_LIPS) stay sharp, where the
# lips meet: rounded, the opening's ends drew in and the face mesh read the smile narrower
# (smile amplitude 0.78 -> 0.76 on the shared pairs, 0.80 -> 0.72 on the painting talking).
MOUTH_CORNERS = (INNER_LIPS.index(78), INNER_LIPS.index(308))
# A row of teeth under this many pixels tall is not painted (fading in up to twice that):
# thinner, blurred into the cavity, it was a grey line along the lip, not teeth. That is a
# sliver of a taller opening; a row filling FILLING_BAND of the opening or more is what a
# thin grin shows, and is painted from FILLING_MIN_PX (faded from MIN_TEETH_PX, a toothy
# grin parted by 4 pixels on a small face showed 0.6 of its teeth: a dark slot).
MIN_TEETH_PX = 1.5
FILLING_BAND, FILLING_MIN_PX = (0.2, 0.4), 0.75
# With the visitor's teeth unread (their opening too narrow to read, teeth.MIN_GAP_PX), the
# opening is a parted grin or a word: the upper teeth's edges show about this share of the
# face's height (at most UNREAD_MOST of the opening), or the old hint growing with the
# opening where that is more. (The hint alone, a tenth of a thin opening, was under a pixel:
# a visitor's grin made a thin black slot with no teeth.)
UNREAD_TEETH_FH, UNREAD_MOST = 0.02, 0.6
# A thin opening (cavity.THIN_OPENING) fades out from this share of its half width to the
# corners (`_thin_ends`).
THIN_ENDS_FROM = 0.45


def _cheek_points(rig: PortraitRig) -> np.ndarray:
    """The mesh points whose hull is the rig's cheek outline, found once per portrait (kept on its rig)."""
    points = rig.readings.cheek_points
    if points is None:
        points = rig.readings.cheek_points = cheek_outline_points(rig.mesh.astype(np.float64))
    return points


def paint_mouth(region: np.ndarray, dst: np.ndarray, rig: PortraitRig,
                teeth_shown: tuple[float, ...] | None = None, grain: np.ndarray | None = None,
                blur: float = 0.0, screen: HalftoneScreen | None = None,
                drawing: DrawingTones | None = None) -> None:
    """Paint into `region` (RGB uint8, in place); `dst` are moved points in region pixels.
    `teeth_shown`: the share of the opening's height the visitor's upper and lower teeth
    fill (None: unknown, so a hint of upper teeth that grows as the mouth opens), and, as
    `teeth.mouth_shown` reads it, where their tongue lies (a third and fourth number).
    `grain` (float32, the region's size): the picture's own grain, laid over the paint;
    `screen`: a printed halftone's, which prints the paint in the picture's dots instead.
    `blur`: the picture's own softness (pixels: `focus.face_blur`, or `focus.lip_line_blur`
    where softer); the paint and the opening's outline are made as soft, never sharper than
    the picture around them. `drawing`: where the picture is a drawing, its paper and stroke
    tones (drawn_mouth.py), in which the opening is drawn instead."""
    lips = dst[list(INNER_LIPS)]
    upper = dst[list(UPPER_INNER_LIP)]
    lower = dst[list(LOWER_INNER_LIP)]
    gap = float(np.max(lower[1:-1, 1] - upper[1:-1, 1])) if len(upper) > 2 else 0.0
    # Only what opens beyond the sitter's own parted lips is painted: at rest the mouth is
    # the portrait's, pixel for pixel.
    rest = rig.points[:, :2]
    rest_gap = float(np.max(rest[list(LOWER_INNER_LIP)][1:-1, 1] - rest[list(UPPER_INNER_LIP)][1:-1, 1]))
    opening = float(np.clip((gap - max(rest_gap, MIN_GAP_PX)) / OPENING_FADE_PX, 0.0, 1.0))
    if opening <= 0.0:
        return
    h, w = region.shape[:2]
    # The outline as soft as the picture's edges, but never so soft that a narrow opening
    # fades: at most a sixth of the gap. The patch leaves room for its softened edge.
    outline = max(0.6, min(blur, gap / 6.0))
    # Softened, the opening's edge fell inside the lips' line and a narrow opening paled: the
    # mouth read as opening less (the face mesh's measure of it fell by 0.03 of the driver's
    # on the shared pairs, measured with all three softened, before focus.PIXEL_SHARP; by
    # 0.014 with the edge raised half as much). So a softened edge is raised 1.4 times (from
    # 0.8 px on; not at all at the old 0.6), which keeps its half-way line about a third of a
    # sigma outside the lips' line.
    raise_edge = 1.0 + 0.4 * float(np.clip((outline - 0.6) / 0.2, 0.0, 1.0))
    pad = 2 + int(np.ceil(2.5 * outline))
    x0, y0 = np.floor(lips.min(0)).astype(int) - pad
    x1, y1 = np.ceil(lips.max(0)).astype(int) + pad + 1
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w, x1), min(h, y1)
    if x1 - x0 < 3 or y1 - y0 < 2:
        return
    mask = np.zeros((y1 - y0, x1 - x0), np.float32)
    # (Rounded from ROUND_FROM_PX of opening, fully at twice that: a small opening stays simple.)
    radius = CORNER_ROUND * gap * float(np.clip(gap / ROUND_FROM_PX - 1.0, 0.0, 1.0))
    shape = rounded(lips, radius, MOUTH_CORNERS, edge_on_ends(lips, gap))
    poly = np.round((shape - [x0, y0]) * (1 << SHIFT)).astype(np.int32)
    cv2.fillPoly(mask, [poly], 1.0, lineType=cv2.LINE_AA, shift=SHIFT)
    # The inner lips' own polygon: the lips' inner edges are cleaned round it (`_inner_lips`),
    # the rounded corners cut from it included (they show the stretched line of the lips).
    unrounded = np.zeros_like(mask)
    cv2.fillPoly(unrounded, [np.round((lips - [x0, y0]) * (1 << SHIFT)).astype(np.int32)], 1.0,
                 lineType=cv2.LINE_AA, shift=SHIFT)
    # On a turned sitter the mouth's far corner runs towards the cheek's outline, and the
    # moved inner lips can cross it: nothing is painted beyond it, where the cheek hides
    # the mouth (a dark opening had been painted onto the background there). The cheek's
    # outline as seen (`turned_lips.cheek_outline`), not the mesh's own outline points: on
    # sitters turned 25-40 degrees those run across the mouth's far half (up to 12 of the
    # 20 inner-lip points beyond them, 0.06 face heights, where the true outline lay 0.04-0.08
    # outside the lips), and the opening was cut off there by a straight edge with no lip.
    cheek = np.zeros_like(mask)
    cheek_line = np.round((cheek_outline(dst, _cheek_points(rig)) - [x0, y0]) * (1 << SHIFT)).astype(np.int32)
    cv2.fillPoly(cheek, [cheek_line], 1.0, lineType=cv2.LINE_AA, shift=SHIFT)
    mask *= cheek
    unrounded *= cheek
    if mask.max() <= 0:
        return
    yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    top = curve_through(upper, xx[0])[None, :]
    bottom = curve_through(lower, xx[0])[None, :]
    height = np.maximum(bottom - top, 1e-3)
    v = np.clip((yy - top) / height, 0.0, 1.0)  # 0 at the upper inner lip, 1 at the lower
    left, right = float(lips[:, 0].min()), float(lips[:, 0].max())
    half = max((right - left) / 2, 1.0)
    u = np.clip(np.abs(xx - (left + right) / 2) / half, 0.0, 1.0)  # 0 centre, 1 corners
    pal = rig.palette
    # Her own lower teeth stand on her lower lip, the opening's lower edge (a lone point by a
    # corner is where her upper teeth meet her lip, not her lower row).
    own_lower = rig.own_lower_teeth is not None and rig.own_lower_teeth.mean() > 0.5
    if rig.own_teeth and teeth_shown is not None:
        # (Her lower row as tall as hers allow, over her own lower teeth where she shows them.)
        upper_px, lower_px = rig.own_rows_px
        teeth_shown = below_own_teeth(teeth_shown, gap, rest_gap, upper_px, lower_px if own_lower else 0.0,
                                      rig.face_height)
    if teeth_shown is None:
        upper_band = max(min(0.42, 0.1 + 0.012 * gap), min(UNREAD_MOST, UNREAD_TEETH_FH * rig.face_height / gap))
        lower_band = 0.0
        strength = 0.95 * float(np.clip((gap - 1.5) / 2.5, 0.0, 1.0))
    else:
        upper_band, lower_band = (float(np.clip(b, 0.0, 1.0)) for b in teeth_shown[:2])
        # The visitor's teeth were seen: shown as soon as there are pixels to show them in
        # (a smile parting the lips by a few pixels read as a dark slot).
        strength = 0.95 * float(np.clip((gap - 1.5) / 2.5, 0.0, 1.0))
    if rig.own_teeth:
        # Her own upper teeth hang from her upper lip (own_teeth.py): no second row under them.
        upper_band = 0.0
    tongue_band = tongue_reading(teeth_shown)
    # With neither teeth nor tongue read, the back of the tongue, low in the opening and dim
    # (TONGUE_BACK_TOP), in the tongue's hue at about the floor's lightness, under a throat
    # the floor's light does not reach. (A hint of tongue in the lip's colour at 0.62 of its
    # lightness had been painted here: the face mesh read it as the lower lip, the yawn's
    # opening 0.6 of what it was on the 1904 photograph.)
    grow = float(np.clip(gap / TONGUE_BACK_PX - 1.0, 0.0, 1.0)) if tongue_band is None else 0.0
    throat = None
    if grow > 0.0:
        back, lit = tongue_back(u, v, gap)
        high = np.clip(1.0 - v / TONGUE_BACK_TOP, 0.0, 1.0).astype(np.float32)
        throat = (THROAT_SHADE * grow * np.exp(-(u[:1] / 0.45) ** 2)).astype(np.float32) * (1.0 - back) * high
    dark_and_light = of_rig(rig)
    # Lips barely parted with nothing between them (cavity.THIN_OPENING): a visitor's parted rest
    # or a word. Not a thin grin, whose dark round the teeth and sharp corners are what shows the
    # face mesh and a viewer the smile's width (taken to the lip line and faded at its ends, the
    # smile read narrower: amplitude 0.81 -> 0.77 on the shared pairs); nor a sitter's own
    # parted teeth (own_teeth.py).
    upper_shown, lower_shown = (float(np.clip(band * gap / _least_teeth_px(band) - 1.0, 0.0, 1.0))
                                for band in (upper_band, lower_band))
    toothless = 0.0 if rig.own_teeth else 1.0 - max(upper_shown, lower_shown)
    thin_for = rig.face_height if toothless > 0.0 and gap < THIN_OPENING[1] * rig.face_height else 0.0
    # (On a high-key picture, the opening's darks, the tongue's too, lifted into its own range.)
    lift = accent_lift(pal, dark_and_light[0], rig.painted)
    if lift is not None:
        # (Her own teeth fill what she parted at rest: a yawn opened far wider is no grin.)
        shown, filled = ((1.0, rest_gap / gap) if rig.own_teeth
                         else (max(upper_shown, lower_shown), upper_band + lower_band))
        lift = teeth_corners_kept(lift, u, shown, filled)
    lifted = lift.apply if lift is not None else (lambda tones: tones)
    colour, floor = cavity_colours(pal, u, v, height, gap, throat, dark_and_light[0], thin_for, toothless, lift)
    cavity = colour.copy()  # (what shows between the lower teeth and the lip: `lower_lip_line`)
    if tongue_band is not None:
        # The tongue lies behind the teeth: painted first, the teeth over it.
        cover, shade = tongue_layer(u, v, tongue_band, gap, half)
        colour = colour + (lifted(pal.tongue_in_shade * shade[..., None]) - colour) * (cover * strength)[..., None]
    elif grow > 0.0:
        hue = np.asarray(pal.tongue_in_shade, np.float32)
        light = min(TONGUE_BACK_LIGHT * float(floor @ LUMA), TONGUE_BACK_MOST * float(pal.lip @ LUMA))
        tongue = hue * (light / max(float(hue @ LUMA), 1.0))
        # It lightens the floor only: in front of it, its shaded sides are no darker than the
        # floor they hide (darker, they made the opening's lower corners a hole's black).
        colour = colour + np.maximum(lifted(tongue * lit[..., None]) - colour, 0.0) * (back * grow)[..., None]
    lining = float(np.clip(teeth_shown[4], 0.0, 1.0)) if teeth_shown is not None and len(teeth_shown) > 4 else 0.0
    # (Under her own upper teeth a smile's lower row stands on the lip's inside: `lower_row.below_own_teeth`.)
    standing = lining if rig.own_teeth and lower_band > lining > 0.0 else 0.0
    if lining > 0.0 and (lower_band == 0.0 or standing > 0.0) and not own_lower:
        # The upper teeth rest on the lower lip: under them its inside, not the cavity
        # (painted as cavity, a dark crescent under every smile's teeth).
        edge = 1.0 - lining
        soft = max(0.04, 1.2 / max(gap, 1.0))
        cover = np.clip((v - edge) / soft + 0.5, 0.0, 1.0) * np.clip((LINING_TO - u) / 0.25, 0.0, 1.0)
        lit = LINING_SHADE[0] + (LINING_SHADE[1] - LINING_SHADE[0]) * np.clip((v - edge) / max(lining, 0.05), 0.0, 1.0)
        colour = colour + (pal.lip * lit[..., None] - colour) * (cover * strength)[..., None]
    # Teeth: light bands from the lips inwards, bright to a soft but readable edge, fading
    # towards the mouth corners.
    # Full teeth across the front, fading only at the corners (the corridor shades them).
    fade = np.clip((0.92 - u) / 0.4, 0.0, 1.0) ** 0.6
    edge_px = max(0.12, 1.2 / max(gap, 1.0))  # the teeth's edge: about a pixel soft
    # Each tooth's biting edge is rounded: the band's edge rises a little at a separation.
    # Signed: -1 at the left corner, 1 at the right; one row (the row of teeth is laid out
    # along it alone, once, not per pixel: this runs on every frame of an open mouth).
    across = (xx[:1] - (left + right) / 2) / half
    scallop = biting_edge(across)
    upper_edge, lower_edge = upper_band * (1.0 - scallop), lower_band * (1.0 - scallop)
    # The soft edge is centred on the band's edge: the band is as tall as read, not a
    # soft pixel shorter (which on a narrow opening left a grey line, not teeth).
    upper_teeth = np.clip((upper_edge - v) / edge_px + 0.5, 0.0, 1.0) * upper_shown
    lower_teeth = np.clip((v - 1.0 + lower_edge) / edge_px + 0.5, 0.0, 1.0) * lower_shown
    if standing > 0.0:
        lower_teeth *= np.clip((1.0 - standing - v) / edge_px + 0.5, 0.0, 1.0)
    # (Wholly over the cavity once the opening is strong: 0.95 of the way, the cavity's dark
    # showed through and greyed the row.)
    teeth = np.maximum(upper_teeth, lower_teeth) * fade * min(1.0, strength / 0.95)
    if teeth.max() > 0:
        # (A row standing on the lip's inside is lit as one standing on the opening's edge.)
        row_v = v + standing if standing > 0.0 else v
        shade = tooth_light(across, u, row_v, upper_teeth >= lower_teeth, upper_band, lower_band - standing, half)
        colour = colour + (_enamel(pal, shade) - colour) * teeth[..., None]
        # The shadow the teeth cast where the cavity begins, beyond their edge only:
        # laid over their edge too, on a small mouth it greyed the whole band.
        soft = max(0.05, 1.5 / max(gap, 1.0))
        under = np.exp(-((np.maximum(v - upper_band, 0.0) / soft) ** 2)) * (v > upper_band) * upper_shown
        over = np.exp(-((np.maximum(1.0 - lower_band - v, 0.0) / soft) ** 2)) * (v < 1.0 - lower_band) * lower_shown
        colour *= (1.0 - 0.35 * np.maximum(under, over) * fade)[..., None]
        colour = lower_lip_line(colour, cavity, v, lower_teeth, gap, blur)
    # The paint as soft as the picture, but, like the outline, never so soft that a narrow
    # opening's teeth fade into its dark: blurred by a soft picture's 1-1.6 px, a toothy grin
    # parted by a few pixels was a dark slot with no teeth.
    colour = cv2.GaussianBlur(colour.astype(np.float32), (0, 0), max(0.6, gap * 0.03, min(blur, gap / 6.0)))
    # Fixed to the picture, not to the mouth: grain belongs to the film or the canvas.
    if screen is not None:  # (a hatching's screen too: it prints the paint in its own lines)
        colour = screen.print(colour, x0, y0)
    elif drawing is not None:  # a drawing's paper and strokes (drawn_mouth.py), not a smooth paint
        # (The row before its fading towards the corners: a drawing ends it its own way.)
        row = np.maximum(upper_teeth, lower_teeth) * min(1.0, strength / 0.95)
        colour = in_drawing(colour, mask, (u, v), row, drawing, float(pal.teeth @ LUMA), float(pal.cavity @ LUMA),
                            gap, blur, x0, y0)
    else:
        share = grain_in_darks(rig, grain) if grain is not None else 0.0
        colour = textured(colour, rig, dark_and_light, grain, share, x0, y0)
    alpha = np.minimum(cv2.GaussianBlur(mask, (0, 0), outline) * raise_edge, 1.0)[..., None] * opening
    if thin_for > 0.0:
        alpha = alpha * _thin_ends(u, gap, thin_for, toothless)[..., None]
    # Over teeth the lips' edges stay as dark as the picture has them: lit, they met the teeth
    # with no line between, and the face mesh read a smile's opening as smaller (mouth
    # amplitude 0.91 -> 0.85 on the shared painting and smile driver).
    lift = EDGE_LIFT * (1.0 - max(upper_shown, lower_shown) * strength)
    lift = lift * np.clip((EDGE_LIT_TO[1] - u) / (EDGE_LIT_TO[1] - EDGE_LIT_TO[0]), 0.0, 1.0)
    # (The closed lips' dark line stretched over the lips round the opening: stretched_line.py;
    # not over teeth, where the lips' dark edge is what shows the opening, as above: lifted
    # there, even beyond their first few pixels, the face mesh read the shared painting's mouth
    # and smile 0.005-0.03 smaller in amplitude.)
    toothed = max(upper_shown, lower_shown) * min(1.0, strength / 0.95)
    take_out_line(region, dst, gap, opening * (1.0 - toothed), rig)
    patch = _inner_lips(region[y0:y1, x0:x1], mask, unrounded, gap, opening, pal.lip, lift)
    region[y0:y1, x0:x1] = np.clip(patch + (colour - patch) * alpha + 0.5, 0, 255).astype(np.uint8)


def _enamel(pal: Palette, shade: np.ndarray) -> np.ndarray:
    """The teeth's colour at each pixel lit `shade` of their full light: from the palette's
    shaded teeth (at TEETH_SHADE_AT, in a print's tone there) to its lit ones, and darker
    still in that tone below it."""
    lit = np.asarray(pal.teeth, np.float32)
    dim = lit * TEETH_SHADE_AT if pal.teeth_in_shade is None else np.asarray(pal.teeth_in_shade, np.float32)
    towards_lit = np.maximum(shade - TEETH_SHADE_AT, 0.0) * (1.0 / (1.0 - TEETH_SHADE_AT))
    return dim * np.minimum(shade * (1.0 / TEETH_SHADE_AT), 1.0)[..., None] + (lit - dim) * towards_lit[..., None]


def _thin_ends(u: np.ndarray, gap: float, face_height: float, toothless: float) -> np.ndarray:
    """How much of a thin opening is painted towards the mouth's corners (u: 0 in the middle,
    1 at the corners): lips barely parted part in the middle and close towards the corners,
    where the inner lips' polygon, each point opened by the visitor's parting, stays nearly
    as tall as in the middle: a flat bar with blunt ends. From THIN_OPENING[1] of the face's
    height it is the polygon's own shape, and so as far as teeth are painted in it (`toothless`:
    1 with none)."""
    thin = toothless * float(thinness(gap, face_height))
    towards = np.clip((u - THIN_ENDS_FROM) / (1.0 - THIN_ENDS_FROM), 0.0, 1.0)
    return 1.0 - thin * towards * towards * (3.0 - 2.0 * towards)


def _least_teeth_px(band: float) -> float:
    """The height (pixels) under which a row of teeth filling `band` of the opening is not
    painted: MIN_TEETH_PX for a sliver, FILLING_MIN_PX for a row that fills the opening."""
    filling = float(np.clip((band - FILLING_BAND[0]) / (FILLING_BAND[1] - FILLING_BAND[0]), 0.0, 1.0))
    return MIN_TEETH_PX + (FILLING_MIN_PX - MIN_TEETH_PX) * filling


def _inner_lips(patch: np.ndarray, mask: np.ndarray, unrounded: np.ndarray, gap: float, opening: float,
                lip: np.ndarray, lift: np.ndarray | float) -> np.ndarray:
    """The lips' inner edges round an opening (float32, the patch's pixels): the lip's own
    colour with its specks taken out. Stretched from a few pixels of the closed mouth's
    line, the warped picture there showed what the line held (a highlight, craquelure, a
    dust speck) drawn out into dots and streaks round the opening, worst at its corners
    where the stretch is greatest."""
    outside = cv2.distanceTransform((unrounded < 0.5).astype(np.uint8), cv2.DIST_L2, 3)
    reach = float(np.clip(INNER_LIP_SHARE * gap, 1.5, 4.0))
    # Whole out to `reach`, fading over the next pixel.
    ring = np.clip(reach + 1.0 - outside, 0.0, 1.0, out=outside)
    ring[mask >= 0.5] = 0.0
    ring *= opening
    # A 3x3 median takes out specks and streaks a pixel wide and keeps the lip's own shading.
    # (Blended in OpenCV, in the picture's own bytes: this runs on every frame of an open mouth.)
    clean = cv2.blendLinear(patch, cv2.medianBlur(patch, 3), 1.0 - ring, ring)
    # The closed mouth's dark line, stretched, made the lips' inner edges a dark band round
    # the opening (the upper lip's edge 0.44-0.68 of the lips' lightness on six of eleven
    # sitters, where its middle was 0.72-0.91), and the upper lip was lost in the cavity. A
    # lip's inner edge is lit as the lip beside it is: lifted towards the lightest of the lip
    # within a few pixels (no lighter than the palette's lip: a shaded lip stays shaded), `lift`
    # of the way (per pixel: none at the mouth's corners).
    side = 2 * int(np.ceil(reach)) + 1
    beside = np.minimum(cv2.dilate(clean, np.ones((side, side), np.uint8)), np.asarray(lip, np.float32))
    return clean.astype(np.float32) + np.clip(beside - clean, 0.0, None) * (ring * lift)[..., None]
