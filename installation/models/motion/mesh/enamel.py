"""The painted teeth as the sitter's own picture would show them: their colour and their light.

An audit on unseen portraits found teeth that read as dentures pasted in: a comb of
identical vertical teeth, blue-grey on cool paintings (the eye whites' grey beside warm
skin), chalk-white under a white beard (the face's highlights measured on the beard). A
painter's teeth are a lit, slightly uneven row, in the warm light of the face, a little
darker than its highlights, shaded under the upper lip and towards the corners and the
back; its teeth are told apart (the central incisors widest, a darker separation between
neighbours that fades towards the corners), but not as a comb of alike keys: with a
separation or two that barely showed, the row read as one band, a mouthguard. This
module gives that:

- `lit_skin`: the face's own lit skin (not a beard, the hair, the wall), read once;
- `enamel_colour`: the teeth's colour from it;
- `mouth_light`: how much of that light reaches the mouth (a low-key painting lit from above);
- `tooth_light` and `biting_edge`: how the row is lit, per pixel, on every open frame;
- `lower_lip_line`: the shadow between the lower teeth and the lip in front of them.
"""

from __future__ import annotations

import cv2
import numpy as np

from .tone import LUMA

# Lit skin is looked for in the face above the base of the nose (a beard or moustache
# grows below it) and in the colour of the cheeks: a pixel counts when its chromaticity
# (colour over lightness) lies along the cheeks' own, at least SKIN_WARMTH of their way
# from grey. A white beard or a grey-blue wall seen through the face's outline is near
# grey or beyond it; a lit cheek or forehead keeps more than half of the skin's warmth.
NOSE_BASE = 2
SKIN_WARMTH = 0.4
# A picture whose cheeks are within this of grey (a grey or toned print) has no hue to
# tell skin by: the region alone is used (the print's tone is laid on later, tone.py).
GREY_CHROMA = 0.03
MIN_SKIN_PIXELS = 60
# Enamel in the face's light: this share of the lit skin's saturation (teeth are paler
# than skin, but lit by the same warm light: the eye whites' grey beside warm skin read
# as a blue-grey denture), and no bluer than the cheeks' colour; at this share
# of the skin's highlights (97th percentile) lightness, never above UNDER_BRIGHTEST of its
# brightest (99.5th). Eye whites lighter than that lift it (a dark-skinned sitter's teeth are
# lighter than the skin's lights). (Paler by the highlights' saturation alone, teeth on warm
# paintings kept a blue over lightness of 0.80-0.89 beside skin round the mouth at 0.72-0.77
# (three paintings), at about its lightness: a painting's highlights are often paler and
# cooler than its skin, and the teeth read as a grey-blue band beside the skin, not ivory.)
# (The lit half of the front teeth, at their middle height, measured in twelve colour
# photographs of smiles (shared faces): 0.71-1.1 of the lit skin's highlights, median 0.94.)
ENAMEL_SATURATION = 0.75
# ...and never more saturated than this (HSV saturation: (max - min) / max): the most of
# fourteen colour photographs whose own teeth are read (the shared real and made faces:
# 0.05-0.41, the skin beside them 0.18-0.58). A yellowed varnish lays its cast on the lights
# too: on the Mona Lisa the lit skin is 0.75 saturated, and teeth at 0.75 of it were 0.72,
# mustard, as saturated as the skin beside them. Held here they stay in the picture's hue
# and light, an old painting's ivory, paler than its skin. (Below it nothing changes.)
ENAMEL_MOST_SATURATED = 0.41
UNDER_HIGHLIGHTS = 0.94
UNDER_BRIGHTEST = 0.95
# The upper row seen from the front: where one tooth meets the next (share of half the
# mouth's width from its centre), from tooth widths along the arch (central incisor 8.5 mm,
# lateral 6.5, canine 7.5, premolars 7) turning away round a 24 mm radius, in a smile
# 50 mm wide: the central incisors widest, each tooth narrower towards the corners. The
# midline a little off centre and the two sides not mirrored exactly, as in a face.
BOUNDARIES = (0.0, 0.33, 0.56, 0.77, 0.9, 1.0)
MIDLINE = 0.015
LEFT_NARROWER = 0.96
# How much darker each separation is at the biting edge (the gap between two rounded
# teeth opens onto the cavity there), fading towards the corners; at the gum it is
# SEAM_AT_LIP of that. Three or four faint seams (0.15 at the midline, none with a width)
# were all a viewer saw of a row on a small face: one lit band, a mouthguard. An even seam
# at every tooth, as deep, read as a comb of identical keys: these are neither even nor alike.
SEAM_DEPTHS = (0.3, 0.22, 0.15, 0.09, 0.05, 0.0)
SEAM_AT_LIP = 0.55
SEAM_WIDTH = 0.03  # share of half the mouth's width (about a tenth of an incisor)...
SEAM_MIN_PX = 0.5  # ...never under half a pixel, or it vanishes between pixels
# Each tooth is rounded: lit in its middle, this much darker at its sides.
ROUNDED = 0.07
# Separations show from an incisor this many pixels wide, fully from twice that.
MIN_SEAM_TOOTH_PX = 2.5
LOWER_SEAMS = 0.5  # the lower row's separations, as a share of the upper's
# The lateral incisors are a little shorter than the centrals (share of the row's height).
LATERAL_SHORTER = 0.06
# Light along the row, slightly uneven as painted teeth are (no two teeth catch the light
# alike): gentle swells, not periodic, this much from the lightest to the darkest, round
# the enamel's own light (only ever darker, with the lip's shadow, the seams and the cavity
# blurred in, the row's lit half was 0.80-0.84 of the face's highlights on six sitters where
# a photograph's teeth are 0.94: a grey band beside warm skin, not teeth).
UNEVEN = 0.07
UNEVEN_WAVES = ((2.3, 0.4), (3.7, 1.9), (6.1, 4.2))  # cycles across the mouth, phase


def lit_skin(image: np.ndarray, mesh: np.ndarray, cheeks: np.ndarray,
             outline: np.ndarray, eyes: tuple[np.ndarray, ...]) -> tuple[np.ndarray, float, float]:
    """The face's lit skin: (its highlights' colour, their lightness (97th percentile),
    the brightest (99.5th)). `cheeks`: the skin's median colour; `outline`: the face's
    outline points; `eyes`: the eye openings' points (left out)."""
    x0, y0 = np.maximum(np.floor(outline.min(0)).astype(int), 0)
    x1, y1 = np.minimum(np.ceil(outline.max(0)).astype(int) + 1, (image.shape[1], image.shape[0]))
    crop = image[y0:y1, x0:x1, :3]
    if crop.size == 0:
        return cheeks, float(cheeks @ LUMA), float(cheeks @ LUMA)
    mask = np.zeros(crop.shape[:2], np.uint8)
    cv2.fillPoly(mask, [np.round(outline - (x0, y0)).astype(np.int32)], 1)
    for eye in eyes:
        cv2.fillPoly(mask, [np.round(eye - (x0, y0)).astype(np.int32)], 0)
    # Above the nose's base, across the face's own axis (a tilted head reads the same).
    across = mesh[263, :2] - mesh[33, :2]
    down = np.array([-across[1], across[0]]) / max(float(np.linalg.norm(across)), 1e-6)
    yy, xx = np.mgrid[y0:y1, x0:x1]
    depth = (xx - mesh[NOSE_BASE, 0]) * down[0] + (yy - mesh[NOSE_BASE, 1]) * down[1]
    region = (mask > 0) & (depth < 0)
    pixels = crop[region].astype(np.float32)
    if len(pixels) < MIN_SKIN_PIXELS:
        pixels = crop[mask > 0].astype(np.float32)
    if len(pixels) < MIN_SKIN_PIXELS:
        return cheeks, float(cheeks @ LUMA), float(cheeks @ LUMA)
    light = pixels @ LUMA
    warmth = _chroma(cheeks) - 1.0
    reach = float(np.linalg.norm(warmth))
    if reach > GREY_CHROMA:
        chroma = pixels / np.maximum(light, 1.0)[:, None] - 1.0
        along = chroma @ warmth / reach ** 2  # 1: as warm as the cheeks, 0: grey
        skin = along >= SKIN_WARMTH
        if skin.sum() >= MIN_SKIN_PIXELS:
            pixels, light = pixels[skin], light[skin]
    highlights, brightest = np.percentile(light, (97, 99.5))
    colour = np.median(pixels[light >= np.percentile(light, 90)], axis=0)
    return colour, float(highlights), float(brightest)


# The teeth are lit by the light that falls on the mouth, not on the forehead. In a low-key
# painting lit from above (the Rembrandt school's half-shade over the lower face) the face's
# highlights (`lit_skin`, read above the nose) are far lighter than any skin round the mouth,
# and teeth at UNDER_HIGHLIGHTS of them were the lightest thing in the lower face, 1.2-1.5
# times its lit skin: clean pale blocks pasted onto the paint. The lit skin round the mouth
# (its 95th percentile, the lips left out) over the face's highlights: 0.82-1.0 on 29 evenly
# lit faces (13 photographs, the shipped daguerreotype lowest; paintings, a drawing, toned,
# darkened and bearded copies), 0.62-0.77 on five lit from above. Under MOUTH_EVENLY_LIT the
# enamel is dimmed by as much (never below MOUTH_LIGHT_LEAST: a full dark beard round the
# mouth hides the skin that would tell), so a face lit evenly keeps its teeth exactly.
MOUTH_EVENLY_LIT = 0.8
MOUTH_LIGHT_LEAST = 0.7
LIPS_MARGIN = 0.03  # the lips' surround left out (share of the face's height): their lit edge is lip


def mouth_light(image: np.ndarray, mesh: np.ndarray, cheeks: np.ndarray, outline: np.ndarray,
                lips: np.ndarray, highlights: float) -> float:
    """The share of the enamel's light (`enamel_colour`) that reaches the mouth: 1 on a face lit
    evenly, less where the skin round the mouth is lit well under the face's `highlights`
    (`lit_skin`). `cheeks`: the skin's median colour; `outline`: the face's outline points;
    `lips`: the outer lips' points."""
    x0, y0 = np.maximum(np.floor(outline.min(0)).astype(int), 0)
    x1, y1 = np.minimum(np.ceil(outline.max(0)).astype(int) + 1, (image.shape[1], image.shape[0]))
    crop = image[y0:y1, x0:x1, :3]
    if crop.size == 0 or highlights <= 0.0:
        return 1.0
    mask = np.zeros(crop.shape[:2], np.uint8)
    cv2.fillPoly(mask, [np.round(outline - (x0, y0)).astype(np.int32)], 1)
    mouth = np.zeros_like(mask)
    cv2.fillPoly(mouth, [np.round(lips - (x0, y0)).astype(np.int32)], 1)
    margin = int(np.ceil(LIPS_MARGIN * float(np.ptp(outline[:, 1]))))
    mouth = cv2.dilate(mouth, np.ones((2 * margin + 1, 2 * margin + 1), np.uint8))
    # Below the nose's base, across the face's own axis (as `lit_skin` reads above it).
    across = mesh[263, :2] - mesh[33, :2]
    down = np.array([-across[1], across[0]]) / max(float(np.linalg.norm(across)), 1e-6)
    yy, xx = np.mgrid[y0:y1, x0:x1]
    depth = (xx - mesh[NOSE_BASE, 0]) * down[0] + (yy - mesh[NOSE_BASE, 1]) * down[1]
    pixels = crop[(mask > 0) & (mouth == 0) & (depth > 0)].astype(np.float32)
    if len(pixels) < MIN_SKIN_PIXELS:
        return 1.0
    light = pixels @ LUMA
    warmth = _chroma(cheeks) - 1.0
    reach = float(np.linalg.norm(warmth))
    if reach > GREY_CHROMA:
        along = (pixels / np.maximum(light, 1.0)[:, None] - 1.0) @ warmth / reach ** 2
        if np.count_nonzero(along >= SKIN_WARMTH) >= MIN_SKIN_PIXELS:
            light = light[along >= SKIN_WARMTH]
    lit = float(np.percentile(light, 95))
    return float(np.clip(lit / highlights / MOUTH_EVENLY_LIT, MOUTH_LIGHT_LEAST, 1.0))


def in_shade(teeth: np.ndarray, image: np.ndarray, outline: np.ndarray, eyes: tuple[np.ndarray, ...],
             share: float) -> np.ndarray:
    """The teeth at `share` of their light, in the hue the face itself has at that lightness
    (ENAMEL_SATURATION of its saturation there, as the lit teeth have of the lit skin's): a
    face's darker tones are warmer in a warm painting, browner in a sepia print (skin at
    r/L 1.16-1.2 at the lightness of shaded teeth, where the lit teeth were 1.11 on an old
    sepia photograph). Darkened in their lights' paler hue, the teeth's shaded parts read
    as a cool grey band beside the skin. The teeth darkened alone where the face has too few
    pixels of that lightness (`outline`, `eyes`: the face's and eye openings' points)."""
    teeth = np.asarray(teeth, np.float32)
    wanted = float(teeth @ LUMA) * share
    pixels = _face_pixels(image, outline, eyes)
    light = pixels @ LUMA
    near = np.abs(light - wanted) <= max(0.1 * wanted, 4.0)
    if np.count_nonzero(near) < MIN_SKIN_PIXELS:
        return teeth * share
    chroma = np.median(pixels[near] / light[near, None], axis=0)
    hue = 1.0 + (chroma - 1.0) * ENAMEL_SATURATION
    # (No more saturated than the lit enamel allows: a varnish's cast is in its shade too.
    # A sitter's own teeth, where more saturated, are the picture's and keep their shade.)
    most = max(ENAMEL_MOST_SATURATED, saturation(teeth))
    return np.clip(paler(hue / max(float(hue @ LUMA), 1e-3) * wanted, most), 0.0, 255.0)


def _face_pixels(image: np.ndarray, outline: np.ndarray, eyes: tuple[np.ndarray, ...]) -> np.ndarray:
    """The face's pixels (float32, N x 3): inside its outline, the eye openings left out."""
    x0, y0 = np.maximum(np.floor(outline.min(0)).astype(int), 0)
    x1, y1 = np.minimum(np.ceil(outline.max(0)).astype(int) + 1, (image.shape[1], image.shape[0]))
    crop = image[y0:y1, x0:x1, :3]
    if crop.size == 0:
        return np.zeros((0, 3), np.float32)
    mask = np.zeros(crop.shape[:2], np.uint8)
    cv2.fillPoly(mask, [np.round(outline - (x0, y0)).astype(np.int32)], 1)
    for eye in eyes:
        cv2.fillPoly(mask, [np.round(eye - (x0, y0)).astype(np.int32)], 0)
    return crop[mask > 0].astype(np.float32)


def _chroma(rgb: np.ndarray) -> np.ndarray:
    rgb = np.asarray(rgb, np.float32)
    return rgb / max(float(rgb @ LUMA), 1.0)


def enamel_colour(highlight: np.ndarray, highlights: float, brightest: float,
                  sclera: np.ndarray | None, skin: np.ndarray | None = None) -> np.ndarray:
    """The teeth's colour: the lit skin's hue at ENAMEL_SATURATION of its saturation, its
    blue no more than `skin`'s (the cheeks' colour, the skin the teeth are seen beside):
    ivory in the face's own light. At UNDER_HIGHLIGHTS of the skin's
    highlights (or the eye whites', if lighter), never above UNDER_BRIGHTEST of its
    brightest. Not the eye whites' hue: a painter's are often grey or blue, and beside warm
    skin such teeth read as a cool denture."""
    hue = 1.0 + (_chroma(highlight) - 1.0) * ENAMEL_SATURATION
    if skin is not None:
        hue[2] = min(hue[2], float(_chroma(skin)[2]))
        hue = hue / max(float(hue @ LUMA), 1e-3)
    light = UNDER_HIGHLIGHTS * highlights
    if sclera is not None:
        light = max(light, float(np.asarray(sclera, np.float32) @ LUMA))
    light = min(light, UNDER_BRIGHTEST * brightest)
    return np.clip(paler(hue * light, ENAMEL_MOST_SATURATED), 0.0, 255.0)


def saturation(rgb: np.ndarray) -> float:
    """HSV saturation, (max - min) / max."""
    rgb = np.asarray(rgb, np.float32)
    return float((rgb.max() - rgb.min()) / max(float(rgb.max()), 1e-3))


def paler(rgb: np.ndarray, most: float) -> np.ndarray:
    """`rgb` taken towards the grey of its own lightness until its saturation is at most
    `most` (unchanged where it is already): the same hue and lightness, less colour."""
    rgb = np.asarray(rgb, np.float32)
    if saturation(rgb) <= most:
        return rgb
    grey = float(rgb @ LUMA)
    top, spread = float(rgb.max()), float(rgb.max() - rgb.min())
    # The share k of its colour kept: k * spread / (grey + k * (top - grey)) = most.
    keep = most * grey / max(spread - most * (top - grey), 1e-3)
    return grey + (rgb - grey) * float(np.clip(keep, 0.0, 1.0))


def tooth_light(across: np.ndarray, u: np.ndarray, v: np.ndarray, in_upper: np.ndarray,
                upper_band: float, lower_band: float, half: float) -> np.ndarray:
    """How much of the enamel's light each pixel of the teeth gets. `across`: signed share
    of half the mouth's width from its centre; `u`: its size, clipped to 1; `v`: 0 at the
    upper inner lip, 1 at the lower; `half`: half the mouth's width in pixels.
    One lit, slightly uneven band: shaded under the lip it grows from, darker towards the
    corners where the cheeks shade it (a smile's "buccal corridor"), a little translucent
    at its biting edge, with a few faint separations where the teeth are large enough to
    show them. The lower row sits in the upper's shadow. (Evenly shaded, it read as a
    metal bar; with a dark seam at every tooth, as a comb of keys.)"""
    swell = np.zeros_like(across)
    for cycles, phase in UNEVEN_WAVES:
        swell += np.sin(across * np.pi * cycles + phase)
    uneven = 1.0 + UNEVEN * 0.5 * swell / len(UNEVEN_WAVES)
    corridor = 1.0 - 0.5 * np.clip((u - 0.45) / 0.5, 0.0, 1.0) ** 2
    # 0 at the lip a row grows from, 1 at its biting edge.
    t = np.where(in_upper, v / max(upper_band, 0.05), (1.0 - v) / max(lower_band, 0.05))
    t = np.clip(t, 0.0, 1.0)
    lip_shadow = 1.0 - 0.2 * np.clip(1.0 - t / 0.3, 0.0, 1.0) ** 2
    translucent = 1.0 - 0.08 * np.clip((t - 0.8) / 0.2, 0.0, 1.0)
    row = np.where(in_upper, 1.0, 0.85)
    # The lower row's separations half as deep: its teeth are narrower and in the upper
    # row's shadow (as deep as the upper's, a lower row showing its height read as a grille).
    separations = seams(across, half, t)
    separations = np.where(in_upper, separations, 1.0 - LOWER_SEAMS * (1.0 - separations))
    return uneven * corridor * lip_shadow * translucent * row * separations


def _tooth_and_within(across: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per pixel, which tooth from the midline (0: central incisor, 1: lateral, ...) and
    how far across it (0-1, from its side nearer the midline), on its own side of the
    (slightly off-centre) midline; beyond the last tooth, the last at its far side."""
    side = across - MIDLINE
    reach = np.where(side < 0, -side / LEFT_NARROWER, side)
    place = np.interp(reach, BOUNDARIES, np.arange(len(BOUNDARIES), dtype=np.float32))
    tooth = np.minimum(np.floor(place), len(BOUNDARIES) - 2).astype(int)
    return tooth, place - tooth


def seams(across: np.ndarray, half: float, t: np.ndarray | float = 1.0) -> np.ndarray:
    """How each tooth of the row is lit across it (1: fully, below 1: darker): rounded,
    with a darker separation where it meets the next, deepest between the central incisors
    and fading towards the corners, deeper towards the biting edge (`t`: 0 at the lip the
    row grows from, 1 at its edge). Only where an incisor is MIN_SEAM_TOOTH_PX wide or
    more, and fainter up to twice that: on a tiny face a row of seams a pixel apart is
    all that shows."""
    incisor_px = BOUNDARIES[1] * half
    show = float(np.clip((incisor_px - MIN_SEAM_TOOTH_PX) / MIN_SEAM_TOOTH_PX, 0.0, 1.0))
    if show <= 0.0:
        return np.ones_like(across)
    tooth, within = _tooth_and_within(across)
    # Distance (share of half the mouth) to the nearer separation of this tooth, and how deep that one is.
    near_outer = within > 0.5
    distance = np.where(near_outer, 1.0 - within, within) * np.diff(BOUNDARIES)[tooth]
    depth = np.take(SEAM_DEPTHS, tooth + near_outer)
    width = max(SEAM_WIDTH, SEAM_MIN_PX / half)
    gap = depth * np.exp(-(distance / width) ** 2) * (SEAM_AT_LIP + (1.0 - SEAM_AT_LIP) * np.clip(t, 0.0, 1.0))
    rounded = ROUNDED * (2.0 * within - 1.0) ** 2 * (tooth < len(BOUNDARIES) - 2)
    return 1.0 - show * np.maximum(gap, rounded)


def biting_edge(across: np.ndarray) -> np.ndarray:
    """How much the row's biting edge rises (share of the band) at each point across it:
    at each separation, where two rounded corners meet, and along the lateral incisors,
    shorter than the centrals: a scalloped edge, not a ruler's."""
    tooth, within = _tooth_and_within(across)
    lateral = LATERAL_SHORTER * (tooth == 1)
    # Corners: the edge rises over the outer and inner fifth of each tooth, most at the separation.
    corner = np.clip(1.0 - np.minimum(within, 1.0 - within) / 0.2, 0.0, 1.0) ** 2
    depth = np.take(SEAM_DEPTHS, tooth + (within > 0.5))
    return lateral + 0.5 * depth * corner


# Where the lower teeth meet the lower lip, which stands in front of them, the cavity's shadow
# at the lip shows between them: this share of the way from the teeth to the cavity's paint
# there, at the lip, over this share of the opening or this many pixels (or the picture's
# softness), whichever is more. The cavity's shadow at the lip (cavity.py) lay under the teeth
# and was painted over, and where a picture's lips are as light as its teeth (a pencil drawing's
# paper, a pale miniature, an old print's lit lip) the teeth ran into the lip with no line
# between: the face mesh took lip and teeth as one lip and read only the dark above them as the
# opening (on a talking driver, a pencil drawing of a bearded man read 0.67 of the driver's
# mouth amplitude from a mesh opened 1.0 of it; 0.72 with the line), and a viewer saw a slot.
# (Not at the upper lip: a smile's upper lip rests on its teeth, and a line there read the smile
# as less open, 0.69 -> 0.65 on the shared 1904 photograph. Nor the teeth darkened by the same
# share: that read better, but drew the line darker than anything in a pale picture.) Drawn from
# an opening of LIP_LINE_FROM_PX, fully at twice that: in a thin grin a pixel's line took the
# teeth, and it was a dark slot again.
TEETH_LIP_LINE = (0.6, 0.05, 1.2)
LIP_LINE_FROM_PX = 6.0


def lower_lip_line(colour: np.ndarray, cavity: np.ndarray, v: np.ndarray, lower_teeth: np.ndarray,
                   gap: float, blur: float) -> np.ndarray:
    """`colour` (the opening's paint, teeth laid) with the cavity's paint (`cavity`, before
    the teeth) showing between the lower teeth (their cover, `lower_teeth`) and the lower lip
    (`v` 1): TEETH_LIP_LINE. `gap`: the opening in pixels; `blur`: the picture's softness."""
    drawn = TEETH_LIP_LINE[0] * float(np.clip(gap / LIP_LINE_FROM_PX - 1.0, 0.0, 1.0))
    if drawn <= 0.0 or float(lower_teeth.max()) <= 0.0:
        return colour
    width = max(TEETH_LIP_LINE[1], max(TEETH_LIP_LINE[2], blur) / max(gap, 1.0))  # no sharper than the picture
    lip_edge = np.exp(-((1.0 - v) / width) ** 2)
    return colour + (cavity - colour) * (drawn * lip_edge * lower_teeth)[..., None]
