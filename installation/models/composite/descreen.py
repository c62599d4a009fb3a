"""Halftone screens out of book portraits, before they are warped and averaged.

Most sources are halftones cut from books: a regular screen of dots, which in the aligned
512 px frame repeats every 5.4-8.2 px at about 45 degrees (the women's yearbook) or every
2-4.6 px (the men's books, some congressional portraits). Warped onto one shape, eight
screens of slightly different pitch and angle beat against each other into a cross-hatched
weave (moire). A blur small enough to keep the eyes sharp leaves most of a 7 px screen
(a 1.1 px Gaussian keeps about 60 % of it); one large enough to remove it softens every
face.

A screen is a lattice of sharp peaks in the picture's spectrum; faces are not. Each
source's spectrum is estimated by averaging the power of overlapping tiles (Welch), peaks
are measured against the local median of that spectrum, and where they stand far above it
the peaks (and their skirts) are brought down to the background level. Everything else,
including the face's own detail at the screen's scale, passes. A photograph without a
screen has no such peaks and comes back untouched; the line a straight edge puts through the
spectrum (a print's border against its page) is not a screen's peak (RIDGE_STEP).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

# A screen's peaks lie between the pixel pitch (2 px) and 1/40 of the frame (12.8 px at
# 512): features of the face itself (an eye is about 40 px) are coarser.
MAX_PERIOD = 1 / 40
# How far a peak must rise above the local median of the power spectrum. Measured on the
# loop's 91 sources: halftones 36-410x, photographs 2.4-4.1x; a few men's pictures with a
# faint regular grain (11-22x) are left alone.
SCREEN_PEAK = 30.0
# Once a picture has a screen, every bin this far above its surroundings belongs to it
# (the screen's harmonics and the sidebands that the picture's tones put around each peak).
PEAK_SKIRT = 3.0
# A straight edge (a print's border against its page, a frame) puts a line of power through
# the spectrum's centre, along the edge's normal: each bin on it stands thousands of times
# above its 7x7 median, as a screen's peak does, and every photograph printed on a page was
# taken for a halftone (its eyes ringed, fine strands smeared). A screen's peak stands alone:
# RIDGE_STEP bins further out or in along its radius (past its window's side lobes) the
# spectrum is back at its background; on an edge's line it is still within RIDGE_SPREAD of it.
RIDGE_STEP = 5.0  # bins of the tile's spectrum
# (Measured on made-up halftones, 2.2-8.2 px, 0-90 degrees, with and without a page: at 30 a
# 45-degree screen on a page, whose peaks lie on the page's lines, was lost; at 4 an edge
# turned 4 degrees was still taken for a screen. None is lost at 12.)
RIDGE_SPREAD = 12.0  # power ratio


@dataclass(frozen=True)
class Screen:
    period: float  # px, of the strongest peak
    angle: float  # degrees, of the strongest peak's direction (0: lines that run vertically)
    strength: float  # the strongest peak's height over its surroundings (power ratio)


def _tile(side: int) -> int:
    return max(32, side // 4)


def power_spectrum(grey: np.ndarray, tile: int) -> np.ndarray:
    """Welch's estimate: the mean power of Hann-windowed tiles overlapping by half,
    zero frequency in the centre (tile x tile)."""
    h, w = grey.shape
    window = np.outer(np.hanning(tile), np.hanning(tile)).astype(np.float32)
    acc = np.zeros((tile, tile), np.float64)
    count = 0
    for y in range(0, h - tile + 1, tile // 2):
        for x in range(0, w - tile + 1, tile // 2):
            patch = grey[y : y + tile, x : x + tile]
            acc += np.abs(np.fft.fft2((patch - patch.mean()) * window)) ** 2
            count += 1
    return np.fft.fftshift(acc / max(count, 1))


def peak_heights(grey: np.ndarray) -> np.ndarray:
    """log(power / local median power) over the screen band, 0 elsewhere (tile x tile,
    zero frequency in the centre)."""
    heights, band = _heights(grey)
    return np.where(band, heights, 0.0).astype(np.float32)


def screen_heights(grey: np.ndarray) -> np.ndarray:
    """peak_heights() less the bins on a straight edge's line through the centre (see
    RIDGE_STEP): what says whether the picture has a screen at all."""
    return _off_ridges(*_heights(grey))


def _off_ridges(heights: np.ndarray, band: np.ndarray) -> np.ndarray:
    tile = heights.shape[0]
    f = np.arange(tile, dtype=np.float32) - tile // 2
    fx, fy = np.meshgrid(f, f)
    radius = np.maximum(np.hypot(fx, fy), 1e-6)
    ux, uy = fx / radius * RIDGE_STEP, fy / radius * RIDGE_STEP
    x, y = np.meshgrid(np.arange(tile, dtype=np.float32), np.arange(tile, dtype=np.float32))
    level = np.maximum(np.log(PEAK_SKIRT), heights - np.log(RIDGE_SPREAD))

    def high(steps: float) -> np.ndarray:
        # (A sampled picture's spectrum repeats: an edge's line runs on past the rim from the other side.)
        there = cv2.remap(heights, x + steps * ux, y + steps * uy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_WRAP)
        return there > level

    # On a line: both ways, or two steps one way (near the centre the picture's own broad
    # tones rise above the line's inner end, at the rim it may end).
    inward, outward = high(-1), high(1)
    ridge = (inward & outward) | (outward & high(2)) | (inward & high(-2))
    # With the bins beside it that its window spreads it into (off the radius, they miss it),
    # but not a screen's peak on the line, which stands above it.
    beside = heights <= cv2.dilate(np.where(ridge, heights, -np.inf).astype(np.float32), np.ones((3, 3), np.uint8))
    return np.where(band & ~ridge & ~beside, heights, 0.0).astype(np.float32)


def _heights(grey: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """log(power / local median power) over the whole tile's spectrum, and the screen band."""
    tile = _tile(grey.shape[0])
    log_power = np.log(power_spectrum(grey, tile) + 1e-12).astype(np.float32)
    lo, hi = float(log_power.min()), float(log_power.max())
    # OpenCV's median filter takes 8-bit input for windows over 5; 1/255 of the range is
    # about 0.1 in log power, far finer than the thresholds.
    levels = np.round((log_power - lo) / max(hi - lo, 1e-6) * 255).astype(np.uint8)
    background = cv2.medianBlur(levels, 7).astype(np.float32) / 255 * (hi - lo) + lo
    f = (np.arange(tile) - tile // 2) / tile
    radius = np.hypot(f[None, :], f[:, None])
    band = (radius >= 1 / (MAX_PERIOD * grey.shape[0])) & (radius <= 0.5)
    return (log_power - background).astype(np.float32), band


def find_screen(grey: np.ndarray) -> Screen | None:
    """The picture's halftone screen, or None for a picture without one."""
    heights = screen_heights(grey)
    if heights.max() < np.log(SCREEN_PEAK):
        return None
    tile = heights.shape[0]
    y, x = np.unravel_index(int(np.argmax(heights)), heights.shape)
    fx, fy = (x - tile // 2) / tile, (y - tile // 2) / tile
    return Screen(float(1 / np.hypot(fx, fy)), float(np.degrees(np.arctan2(-fy, fx)) % 180),
                  float(np.exp(heights.max())))


def descreen(grey: np.ndarray) -> np.ndarray:
    """`grey` (float32, square) without its halftone screen; unchanged (the same array)
    when it has none."""
    heights, band = _heights(grey)
    if _off_ridges(heights, band).max() < np.log(SCREEN_PEAK):
        return grey
    # (A screened picture loses the bins of its edges' lines too, as the loop was rendered.)
    heights = np.where(band, heights, 0.0).astype(np.float32)
    # Amplitude brought down to the surroundings' level (power ratio e^h -> 1), over the
    # peak and one bin of its skirt.
    gain = np.where(heights > np.log(PEAK_SKIRT), np.exp(-0.5 * heights), 1.0).astype(np.float32)
    gain = cv2.erode(gain, np.ones((3, 3), np.uint8))
    # The tile's spectrum sampled at the picture's frequencies (a coarser grid).
    side, tile = grey.shape[0], gain.shape[0]
    f = np.fft.fftfreq(side).astype(np.float32) * tile + tile // 2
    full = cv2.remap(gain, *np.meshgrid(f, f), cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    # Exactly symmetric (gain at -f equals gain at f), so the picture stays real.
    mirrored = np.roll(full[::-1, ::-1], 1, axis=(0, 1))
    full = np.minimum(full, mirrored)
    return np.fft.ifft2(np.fft.fft2(grey) * full).real.astype(np.float32)
