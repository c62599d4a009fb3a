"""A closed lid in a two-tone picture (a monotype, a woodcut, an ink drawing): ink and paper, no grey.

lid_paint.py paints a closed lid from the lighter half of each column of the bands round the
eye, smoothed across the columns and shaded. In a picture of ink masses on paper the lighter
half of a column is paper on one side of a mass's edge and ink on the other; smoothed and
shaded, a Degas-like monotype closed its eyes into pale glossy grey ovals (a quarter to two
fifths of the closed lid mid-grey, where at rest that skin held almost none) whose edge
followed no stroke. Where the skin round the eye is two-tone (`two_tones`), the lid is
painted in the picture's own two tones instead: each column ink or paper as the skin just
above the closed lid shows it, with the lash line in ink. Photographs, paintings and
graphite drawings (graded tones round the eye) are not two-tone and keep lid_paint's path.
"""

from __future__ import annotations

import cv2
import numpy as np

from .tone import LUMA

# Of the range between the darkest and lightest skin round the eye (INK_QUANTILE of each
# end), the share at either end counted as ink or paper: the rest is grey.
END_SHARE = 0.2
INK_QUANTILE = 2.0  # percent
# Two-tone: the darkest and lightest at least MIN_CONTRAST grey levels apart, grey at most
# GREY_SHARE of the skin round the eye, at most GREY_OF_MARKS of what is not paper (the
# marks solid, not graded), and ink at least INK_SHARE of it. Monotypes made from CC0
# photographs (ink masses, edges a pixel soft, with or without a scan's noise) measure grey
# 0.02-0.10 and grey of marks 0.05-0.31; photographs and paintings (58 eyes of 30 sitters)
# grey 0.16-0.9, and graphite-like drawings grey of marks 0.68-0.91. (Masses blurred over
# 2.5 px measure grey up to 0.18: like a photograph, they keep lid_paint's path.)
MIN_CONTRAST = 100.0
GREY_SHARE = 0.10
GREY_OF_MARKS = 0.45
# Ink is near neutral (black, a brown-black): a mean ink colour whose channels spread more
# than INK_CHROMA apart is skin, as in a flat-coloured drawing of a dark-skinned sitter
# (96, 64, 48: 48 apart) round a white eye, which keeps lid_paint's lid and lash line.
INK_CHROMA = 30.0
INK_SHARE = 0.03


def two_tones(region: np.ndarray, x0: int, y0: int, shape: tuple[int, int],
              sure: bool = False) -> tuple[np.ndarray, np.ndarray] | None:
    """The ink and paper colours (float32, channels) of the skin round a lid patch of `shape`
    at region pixel (x0, y0): half the patch's size about it on every side; None where that
    skin is not two-tone (see GREY_SHARE): a photograph's, a painting's, a drawing's.
    `sure`: the curator says it is a print (the scene's `picture`): its darkest and lightest
    tones there are its ink and paper, however much grey lies between (None only where the
    skin is blank)."""
    h, w = shape
    ring = region[max(y0 - h // 2, 0):y0 + h + h // 2, max(x0 - w // 2, 0):x0 + w + w // 2]
    if ring.size == 0:
        return None
    pixels = ring.reshape(-1, region.shape[2]).astype(np.float32)
    grey = pixels @ LUMA.astype(np.float32)
    low, high = np.percentile(grey, (INK_QUANTILE, 100.0 - INK_QUANTILE))
    if high - low < MIN_CONTRAST:
        return None
    ink = grey <= low + END_SHARE * (high - low)
    paper = grey >= high - END_SHARE * (high - low)
    mid = ~(ink | paper)
    n = float(grey.size)
    if sure:
        return (pixels[ink].mean(0), pixels[paper].mean(0)) if ink.any() and paper.any() else None
    if ink.sum() < INK_SHARE * n or mid.sum() > GREY_SHARE * n or mid.sum() > GREY_OF_MARKS * (mid.sum() + ink.sum()):
        return None
    ink_tone = pixels[ink].mean(0)
    if float(ink_tone.max() - ink_tone.min()) > INK_CHROMA:
        return None
    return ink_tone, pixels[paper].mean(0)


def two_tone_skin(region: np.ndarray, cover, tones: tuple[np.ndarray, np.ndarray], blur: float) -> np.ndarray:
    """The closed lid of `cover` (lids.LidCover) painted in the picture's ink and paper
    (`tones`, from two_tones), (patch rows, columns, channels) float32: the whole lid ink
    where most of the skin just above its crease is ink (an eye drawn inside an ink mass
    closes into the mass), else paper with the lash line along the closed margin in ink. No
    shading (a shaded lid is grey) and as soft as the picture's own edges (`blur`).
    (Each column ink or paper as the skin above it showed cut the lid into upright bars
    wherever a mass's edge or an eye's white crossed the crease; blended with the skin under
    the eye by depth, a lid under a mass closed on a paper slit above an inked lash line,
    a half-open eye.)"""
    ink, paper = tones
    h, w = cover.covered.shape
    crease = cover.crease[0]
    reach = max(2.0, 0.2 * float(np.mean(cover.lower[0] - cover.start[0])))
    middle = 0.5 * float((ink + paper) @ LUMA)
    cols = np.minimum(np.arange(cover.x0, cover.x0 + w), region.shape[1] - 1)
    rows = np.arange(int(np.floor((crease - 1.0 - reach).min())), int(np.ceil(crease.max())))[:, None]
    inside = (rows >= crease - 1.0 - reach) & (rows <= crease - 1.0) & (rows + cover.y0 >= 0)
    if not inside.any():  # the band above lies past the picture's top: the lid's own pixels
        rows, inside = np.arange(h)[:, None], cover.covered > 0
    grey = region[np.clip(rows + cover.y0, 0, region.shape[0] - 1), cols] @ LUMA
    inked = np.count_nonzero((grey < middle) & inside) * 2 >= np.count_nonzero(inside)
    yy = np.arange(h, dtype=np.float32)[:, None]
    lash = np.abs(yy - cover.margin) <= max(1.0, 0.035 * w) * min(1.0, 1.5 * cover.closing)
    skin = np.where((inked | lash)[..., None], ink, paper).astype(np.float32)
    if blur > 0.6:
        skin = cv2.GaussianBlur(skin, (0, 0), blur)
    return skin
