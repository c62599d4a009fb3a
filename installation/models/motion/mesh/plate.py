"""The wall behind the sitter, for where the head moves away from it.

Blending motion into a still background through a feathered mask squeezes the hair's edge
into a few pixels wherever the head moves: a dark outline with a pale rim, a cut-out
look. Instead the sitter is moved whole and laid over a "clean plate", the picture with
the sitter painted out, through the sitter's mask moved the same way. The plate is made
once per portrait: the wall is filled in from around the sitter at a quarter of the
resolution (walls in portraits are plain and soft), then given the wall's own grain so
the filled part does not look smoother than the rest.
"""

from __future__ import annotations

import cv2
import numpy as np

INPAINT_SCALE = 4
DETAIL_SIGMA = 1.5  # grain is what a blur of this many pixels takes out of a picture
# The plate only shows where the head moves off the wall: a band of this share of the face
# height outside the sitter's edge is always enough (head motion is limited to about 20
# degrees and a tenth of the face height).
GROW_SHARE = 0.06


def robust_spread(values: np.ndarray) -> float:
    """1.4826 x the median absolute deviation of `values`: the standard deviation of Gaussian
    grain, which rare strong lines and spots hardly move."""
    values = np.asarray(values).reshape(-1)
    return 1.4826 * float(median(np.abs(values - median(values))))


def median(values: np.ndarray) -> np.floating:
    """`np.median` of a flat array, to the bit (the mean of the two middle values in the
    array's own type; NaN where there is one), at a quarter of its cost: a closing lid reads
    a dozen medians of a few hundred values a frame, and np.median's own checks cost more
    than the work."""
    n = values.size
    if n == 0:
        return np.median(values)  # (NaN, and numpy's warning)
    k = n // 2
    # (The largest comes last too: a NaN sorts there, and numpy's median is then NaN.)
    ranked = np.partition(values, (k - 1, k, n - 1) if n % 2 == 0 else (k, n - 1))
    if ranked.dtype.kind == "f" and np.isnan(ranked[-1]):
        return ranked[-1]
    return ranked[k] if n % 2 else (ranked[k - 1] + ranked[k]) / 2


def grain_like(image: np.ndarray, where: np.ndarray, seed: int = 0) -> np.ndarray | None:
    """`picture_grain`'s texture alone."""
    return picture_grain(image, where, seed)[0]


def picture_grain(image: np.ndarray, where: np.ndarray, seed: int = 0) -> tuple[np.ndarray | None, str | None]:
    """Texture (float32, the image's height and width) with the fine detail of `image` where
    `where` is true, as strong: film grain, paper or canvas, or a printed halftone screen.
    Anything painted in flat colour over a photograph reads as pasted on until it is given
    the same grain. None when there is too little of the image to measure, or no grain to
    speak of. Where it is a regular screen, in the picture's own phase, the second value says
    which: DOTS (a book's halftone) or LINES (hatching, or a wall's stripes: _dot_grid); else None."""
    if where.sum() <= 100:
        return None, None
    picture = image.astype(np.float32)
    detail = picture - cv2.GaussianBlur(picture, (0, 0), DETAIL_SIGMA)
    # Robust spread: dust, scratches and moles are rare and strong, and a plain standard
    # deviation let them make the grain of an old scan's wall speckle like sand.
    strength = robust_spread(detail[where])
    if strength <= 0.5:
        return None, None
    found = halftone_screen(detail.mean(-1) if detail.ndim == 3 else detail, where)
    if found is not None:
        screen, dots = found
        return screen, DOTS if dots else LINES
    h, w = image.shape[:2]
    noise = np.random.default_rng(seed).normal(0.0, 1.0, (h, w)).astype(np.float32)
    noise -= cv2.GaussianBlur(noise, (0, 0), DETAIL_SIGMA)
    noise *= strength / max(float(noise.std()), 1e-6)
    return noise, None


# A printed halftone (a book's reproduction of a photograph) is a regular screen of dots,
# not grain: painted over with random grain, a mouth in a dotted face read as a smooth
# sticker. Its screen is a few sharp peaks in the detail's spectrum, and is put back as
# those peaks alone, in the picture's own phase, so the dots continue through the paint.
SCREEN_SHARE = 0.4  # of the detail's energy, in...
SCREEN_BINS = 0.005  # ...at most this share of the spectrum's frequencies
SCREEN_PEAK = 0.35  # a frequency is part of the screen from this share of the strongest up
# ...and the screen so rebuilt is in step with the cheeks' own detail (their correlation):
# a screen printed over the face is (0.54-0.89 on the 7 book halftones among the CC0 faces),
# while a patterned garment's or wall's few sharp peaks, rebuilt, run on over the face as
# waves its skin does not carry (0.01 on a photograph of a woman in a checked dress, taken
# for a halftone until this was asked: her whole face rippled as it moved, the page's
# "dots" held still under it).
SCREEN_IN_STEP = 0.3
# ...and a screen of DOTS is a grid of dots, not lines. A hatched drawing's strokes,
# laid in one direction a few pixels apart, are a few sharp peaks too (15 of 40 hatched copies
# of development portraits, 18 of 49 lighter pen-hatched ones, were taken for halftones: their
# strokes were smeared as dots held on the page while the face moved, and their closed lids
# missed the drawing's path, lid_drawn.py). A dot screen is a lattice: its strongest peak has
# a partner as far from the centre (within GRID_RADIUS) in another direction (GRID_TURN or
# more away: 90 degrees on a square screen, less where a scan was stretched), at least
# GRID_PARTNER as strong. And along its direction its peaks lie at the screen's period and
# its harmonics (within GRID_RADIUS_ON), or, where a print was screened twice and its peaks
# split, the partner's direction holds as many peaks (GRID_ALIKE). Hand-laid hatching has one
# direction per layer, at spacings that wander: its peaks along the strongest direction spread
# over many radii, and no other direction has their like. Measured (the branch's notes): 40
# made halftones (periods 3.5-8 px, angles 0-75 degrees) and the 103 book halftones found among
# 509 oldpics faces: partner 0.24-1.0, and off the harmonics none of the peaks' power but for
# 4 split screens (0.31-0.48 off, 0.92-1.48 alike); the 15 hatched copies: partner 0.02-0.52,
# 0.36-0.71 off, 0.04 alike at most. LINES are still the picture's texture, in its phase: paint
# is printed in them (an open mouth) and the plate carries a wall's stripes on behind a moving
# head; only a book's DOTS are held on the page and print a closed lid (warp.py).
DOTS, LINES = "dots", "lines"
GRID_TURN = np.radians(20.0)
GRID_RADIUS = 0.15
GRID_PARTNER = 0.12
GRID_ALONG = np.radians(5.0)
GRID_RADIUS_ON = 0.05
GRID_OFF_HARMONICS = 0.1
GRID_ALIKE = 0.5


def halftone_screen(detail: np.ndarray, where: np.ndarray) -> tuple[np.ndarray, bool] | None:
    """The halftone screen in `detail` (a picture less its blur, float32), over the whole of
    it, and whether it is a grid of dots (_dot_grid), not lines; None when the detail where
    `where` is true is not mostly a regular screen, in step with it (a striped shirt, a
    checked dress or a patterned wall beside the face is no screen over the face)."""
    h, w = detail.shape
    spectrum = np.fft.rfft2(detail)
    power = np.abs(spectrum)
    fy = np.fft.fftfreq(h)[:, None]
    fx = np.fft.rfftfreq(w)[None, :]
    power[np.hypot(fx, fy) < 1 / 16] = 0.0  # the picture's own shapes, not a screen
    if power.max() <= 0:
        return None
    peaks = power >= SCREEN_PEAK * power.max()
    peaks = cv2.dilate(peaks.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    if peaks.sum() > SCREEN_BINS * power.size:
        return None
    screen = np.fft.irfft2(np.where(peaks, spectrum, 0), s=(h, w)).astype(np.float32)
    on_face, face_detail = screen[where].astype(np.float64), detail[where].astype(np.float64)
    energy, face_energy = float((on_face ** 2).sum()), float((face_detail ** 2).sum())
    if energy < SCREEN_SHARE * face_energy:
        return None
    if float((on_face * face_detail).sum()) < SCREEN_IN_STEP * np.sqrt(energy * face_energy):
        return None
    # The dots as strong as the picture prints them: the blur that made `detail` took more
    # of a coarse screen than of fine grain (0.6 of the fundamentals of a screen 10 px apart),
    # and its own share is given back, frequency by frequency.
    kept = 1.0 - np.exp(-2.0 * (np.pi * DETAIL_SIGMA) ** 2 * (fx ** 2 + fy ** 2))
    return (np.fft.irfft2(np.where(peaks, spectrum / np.maximum(kept, 0.05), 0), s=(h, w)).astype(np.float32),
            _dot_grid(power, peaks, fx, fy))


def _dot_grid(power: np.ndarray, peaks: np.ndarray, fx: np.ndarray, fy: np.ndarray) -> bool:
    """Whether the spectrum's peaks (`power`, rfft2's half plane with the picture's shapes taken
    out; `peaks`, its strongest bins) are a lattice of dots (see GRID_TURN), not hatching's lines."""
    radius = np.hypot(fx, fy)
    direction = np.arctan2(fy, fx)

    def turned_from(at: tuple) -> np.ndarray:
        """How far each bin's direction turns from bin `at`'s (half a turn apart they are one:
        the half plane holds each peak once)."""
        return np.abs((direction - direction[at] + np.pi / 2) % np.pi - np.pi / 2)

    strongest = np.unravel_index(int(np.argmax(power)), power.shape)
    turn = turned_from(strongest)
    partner = np.where((turn >= GRID_TURN) & (np.abs(radius / radius[strongest] - 1.0) < GRID_RADIUS), power, 0.0)
    if float(partner.max()) < GRID_PARTNER * float(power[strongest]):
        return False
    along = peaks & (turn < GRID_ALONG)
    harmonic = np.maximum(np.round(radius / radius[strongest]), 1.0)
    off = along & (np.abs(radius / (harmonic * radius[strongest]) - 1.0) > GRID_RADIUS_ON)
    if float(power[off].sum()) <= GRID_OFF_HARMONICS * float(power[along].sum()):
        return True
    across = peaks & (turned_from(np.unravel_index(int(np.argmax(partner)), power.shape)) < GRID_ALONG)
    return float(power[across].sum()) >= GRID_ALIKE * float(power[along].sum())


def clean_plate(region: np.ndarray, person: np.ndarray, face_height: float, seed: int = 0,
                around: tuple[np.ndarray, tuple[int, int]] | None = None) -> np.ndarray:
    """`region` RGB uint8 and `person` (float32 in [0, 1], same size): the region with the
    sitter painted out. `around`: the whole picture and the region's top-left corner (x, y) in
    it, so the fill sees the wall beyond the region (see CONTEXT_SMALL_PX)."""
    h, w = region.shape[:2]
    grow = max(3, int(GROW_SHARE * face_height)) | 1
    seen = (person > 0.15).astype(np.uint8)
    sitter = cv2.dilate(seen, np.ones((grow, grow), np.uint8))
    if not sitter.any():
        return region.copy()
    picture, (x0, y0) = around if around is not None else (region, (0, 0))
    filled = _filled(picture, (x0, y0, x0 + w, y0 + h), sitter)
    # The wall's grain: the fine detail of the wall itself, as strong, in the filled part.
    noise = grain_like(region, sitter == 0, seed)
    if noise is not None:
        filled += noise[..., None]
    # The fill gives way to the wall as it is across the band the sitter was grown by (wall on
    # both sides of it): switched in one step at the band's edge, the fill (guessed at a quarter
    # of the resolution) stood off the wall by 15-80 grey levels (95th percentile along that
    # edge on the development sitters), and every move of the head drew the step as a line
    # in the ground beside the hair (the moved plate less the still one, sample.py).
    distance = cv2.distanceTransform(1 - seen, cv2.DIST_L2, 3)
    t = np.clip(1.0 - distance / (grow // 2 + 1), 0.0, 1.0) * sitter
    fill = (t * t * (3.0 - 2.0 * t))[..., None]  # smoothstep: no crease where it ends
    wall = region.astype(np.float32)
    return np.clip(wall + (filled - wall) * fill + 0.5, 0, 255).astype(np.uint8)


# Where the hair runs to within a few pixels of the region's border, the quarter-resolution
# mask (grown a step more) swallowed the strip of wall left there, and the fill, seeing no wall
# nearby, was guessed from wall far off: beside the shared painting's hair a light grey 30
# levels above the dark ground there, drawn as bright ticks in the ground as her head tilted.
# So the fill sees this many quarter-resolution pixels of the picture around the region.
CONTEXT_SMALL_PX = 4


def _filled(picture: np.ndarray, box: tuple[int, int, int, int], sitter: np.ndarray) -> np.ndarray:
    """The region (`box`: x0, y0, x1, y1 in `picture`) with the sitter (`sitter`, grown, over
    the region) filled in from the wall around it, float32. Beyond the region the sitter's
    mask is not known: its border is carried on (hair that runs out of the region stays
    sitter, wall stays wall)."""
    x0, y0, x1, y1 = box
    reach = CONTEXT_SMALL_PX * INPAINT_SCALE
    ax0, ay0 = max(x0 - reach, 0), max(y0 - reach, 0)
    ax1, ay1 = min(x1 + reach, picture.shape[1]), min(y1 + reach, picture.shape[0])
    area = picture[ay0:ay1, ax0:ax1]
    mask = cv2.copyMakeBorder(sitter, y0 - ay0, ay1 - y1, x0 - ax0, ax1 - x1, cv2.BORDER_REPLICATE)
    h, w = area.shape[:2]
    small_size = (max(8, w // INPAINT_SCALE), max(8, h // INPAINT_SCALE))
    small = cv2.resize(area, small_size, interpolation=cv2.INTER_AREA)
    small_mask = (cv2.resize(mask, small_size, interpolation=cv2.INTER_NEAREST) > 0).astype(np.uint8)
    small_mask = cv2.dilate(small_mask, np.ones((3, 3), np.uint8))
    filled = cv2.inpaint(small, small_mask, 5, cv2.INPAINT_TELEA)
    filled = cv2.resize(filled, (w, h), interpolation=cv2.INTER_CUBIC).astype(np.float32)
    return filled[y0 - ay0:y1 - ay0, x0 - ax0:x1 - ax0]
