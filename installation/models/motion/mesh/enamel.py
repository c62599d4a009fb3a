"""The painted teeth as the sitter's own picture would show them: their colour and their light.

An audit on unseen portraits found teeth that read as dentures pasted in: a comb of
identical vertical teeth, blue-grey on cool paintings (the eye whites' grey beside warm
skin), chalk-white under a white beard (the face's highlights measured on the beard). A
painter's teeth are mostly one lit, slightly uneven band, in the warm light of the face,
a little darker than its highlights, shaded under the upper lip and towards the corners
and the back, with a separation or two that barely shows. This module gives that:

- `lit_skin`: the face's own lit skin (not a beard, the hair, the wall), read once;
- `enamel_colour`: the teeth's colour from it;
- `tooth_light` and `biting_edge`: how the row is lit, per pixel, on every open frame.
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
# as a blue-grey denture), and this share of the skin's highlights (97th percentile)
# lightness, never above UNDER_BRIGHTEST of its brightest (99.5th). Eye whites lighter
# than that lift it (a dark-skinned sitter's teeth are lighter than the skin's lights).
ENAMEL_SATURATION = 0.75
UNDER_HIGHLIGHTS = 0.92
UNDER_BRIGHTEST = 0.95
# Separations between teeth, seen from the front (signed share of half the mouth's width,
# from its centre, and how much darker): the central incisors' line, then a few
# irregular, faint ones as the arch turns away. An even seam at every tooth read as a comb
# of identical keys, a denture pasted in.
SEAMS = ((0.03, 0.15), (-0.3, 0.09), (0.4, 0.06), (-0.64, 0.05))
SEAM_WIDTH = 0.07  # share of half the mouth's width (about a fifth of an incisor)
MIN_SEAM_TOOTH_PX = 5.0  # an incisor narrower than this shows no separations at all
# Light along the row, slightly uneven as painted teeth are (no two teeth catch the light
# alike): gentle swells, not periodic, at most this much.
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


def _chroma(rgb: np.ndarray) -> np.ndarray:
    rgb = np.asarray(rgb, np.float32)
    return rgb / max(float(rgb @ LUMA), 1.0)


def enamel_colour(highlight: np.ndarray, highlights: float, brightest: float,
                  sclera: np.ndarray | None) -> np.ndarray:
    """The teeth's colour: the lit skin's hue at ENAMEL_SATURATION of its saturation, at
    UNDER_HIGHLIGHTS of the skin's highlights (or the eye whites', if lighter), never above
    UNDER_BRIGHTEST of its brightest. Not the eye whites' hue: a painter's are often grey
    or blue, and beside warm skin such teeth read as a cool denture."""
    hue = 1.0 + (_chroma(highlight) - 1.0) * ENAMEL_SATURATION
    light = UNDER_HIGHLIGHTS * highlights
    if sclera is not None:
        light = max(light, float(np.asarray(sclera, np.float32) @ LUMA))
    light = min(light, UNDER_BRIGHTEST * brightest)
    return np.clip(hue * light, 0.0, 255.0)


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
    uneven = 1.0 - UNEVEN * 0.5 * (1.0 + swell / len(UNEVEN_WAVES))
    corridor = 1.0 - 0.5 * np.clip((u - 0.45) / 0.5, 0.0, 1.0) ** 2
    # 0 at the lip a row grows from, 1 at its biting edge.
    t = np.where(in_upper, v / max(upper_band, 0.05), (1.0 - v) / max(lower_band, 0.05))
    t = np.clip(t, 0.0, 1.0)
    lip_shadow = 1.0 - 0.2 * np.clip(1.0 - t / 0.3, 0.0, 1.0) ** 2
    translucent = 1.0 - 0.08 * np.clip((t - 0.8) / 0.2, 0.0, 1.0)
    row = np.where(in_upper, 1.0, 0.85)
    return uneven * corridor * lip_shadow * translucent * row * seams(across, half)


def seams(across: np.ndarray, half: float) -> np.ndarray:
    """The faint separations between teeth (1: none, below 1: darker), only where an
    incisor is MIN_SEAM_TOOTH_PX wide or more, and the fainter the smaller: on a small
    face, seams a pixel apart were all that showed, keys round a pit."""
    incisor_px = 0.3 * half
    show = float(np.clip((incisor_px - MIN_SEAM_TOOTH_PX) / MIN_SEAM_TOOTH_PX, 0.0, 1.0))
    dark = np.ones_like(across)
    if show <= 0.0:
        return dark
    width = max(SEAM_WIDTH, 0.6 / half)  # never under about half a pixel
    for at, depth in SEAMS:
        dark *= 1.0 - show * depth * np.exp(-((across - at) / width) ** 2)
    return dark


def biting_edge(across: np.ndarray) -> np.ndarray:
    """How much each tooth's rounded corner lifts the row's biting edge (share of the
    band): a little at the separations, unevenly; a straight edge read as a ruler."""
    lift = np.zeros_like(across)
    for at, depth in SEAMS:
        lift = np.maximum(lift, 0.4 * depth * np.exp(-((across - at) / (1.5 * SEAM_WIDTH)) ** 2))
    return lift
