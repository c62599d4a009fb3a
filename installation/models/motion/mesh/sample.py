"""Sampling the portrait through the backward maps: a cubic face, bilinear hair and
ground, and the wall behind the sitter where the head moves away from it (plate.py).

Bilinear sampling at sub-pixel offsets loses a third of the fine detail (Laplacian
variance 0.67 at half a pixel), cubic keeps most of it (0.93-1.01 on a painting and a
daguerreotype) but costs five to nine times as much: OpenCV's cubic remap has no vector
code. A grainy print's pixel-sized grain loses more (cubic: 0.63 at half a
pixel on a 1904 photograph), so the face's grain is sampled apart from its smooth base
and given back the strength the interpolation took from it (`_sharp`): it moves with the
skin by fractions of a pixel, as grainy as at rest.
Only the face box is sampled so, and only in its lightness:
- a monochrome portrait (an old photograph; three equal channels) is sampled in its one
  channel and spread to three at the end: the same pixels for a third of the work;
- a colour one is sampled bilinear, and in the face box its lightness is sampled cubic
  and the difference from the bilinear lightness added to all three channels: cubic
  where the eye sees detail, chroma bilinear (JPEG and video keep it at half resolution
  anyway); 0.15-0.25 grey levels from full cubic sampling on the shared colour portraits.
What moves together is sampled together: the picture (or its lightness), the wall
plate and the sitter's mask go through one remap as channels of one image.
"""

from __future__ import annotations

import cv2
import numpy as np

from .halftone import HalftoneScreen
from .plate import clean_plate

# The grain: the lightness less its blur at this sigma (pixels), the band a sub-pixel
# resampling loses. Larger takes more of the edges' own detail into the grain too.
GRAIN_SIGMA = 0.8
# The grain is sampled cubic like the rest and given back, per pixel, the strength cubic
# interpolation takes from it at that pixel's fraction of a pixel (grain_gain): it moves
# with the skin smoothly. (Moved in whole pixels, as it was, the whole moving jaw's grain
# jumped by a pixel at once every few frames of a slow jaw, the largest change there, two
# to three times the frames between: the grain ticked over the chin. Whole pixels also
# sat half a pixel off the base at the fraction where they jump: there the face kept
# 0.46-0.54 of its Laplacian variance at full resolution; now, at its worst fraction,
# 0.77-0.87, more than a true shift by that much, Lanczos's 0.63-0.73.)
# The gain is floored so no grain is boosted more than 1/sqrt(GAIN_FLOOR)...
GAIN_FLOOR = 0.25
# ...and read from the grain's correlation with its neighbours up to this many pixels away
# (cubic's four taps reach three apart).
GRAIN_LAGS = 3
# Keeping the grain costs more than plain cubic sampling (two cubic remaps and a look-up for
# one: 0.78 ms against 0.50 for a 240 x 200 face box; in whole pixels, three remaps and the
# deformation's reading, it cost about 1.5 ms, and at 30 fps on two cores camera-to-screen
# p50 rose by about 10 ms). So it is kept only
# where a face has grain to lose at the scale a face is seen: where cubic sampling half a
# pixel off keeps less than this share of the Laplacian variance of the square around the
# nose bridge at 128x128 (the sharpness figure). The 1904 photograph (a small face,
# enlarged) keeps 0.65; the painting 0.91; Thoreau's daguerreotype, whose grain is finer
# than its face, 0.98.
GRAIN_WORTH_KEEPING = 0.85


def _into(part: np.ndarray, done: np.ndarray) -> None:
    """OpenCV writes into `dst` views in place; should it ever allocate instead, copy."""
    if done is not part:
        part[...] = done


class Sampler:
    def __init__(self, image: np.ndarray, region: tuple[int, int, int, int], person: np.ndarray | None,
                 face_height: float, face_square: tuple[int, int, int, int] | None = None,
                 screen: HalftoneScreen | None = None) -> None:
        self.image = image
        # A book's halftone (`screen`): the dots belong to the page, not the face. Warped with
        # the face they stretched and crowded around an opening mouth and a turning jaw, a
        # ripple no print shows; so where the face moves, the dots it carried are taken out
        # and the page's own put in (_keep_screen). Exact at rest.
        self.dots = None
        if screen is not None:
            x0, y0, x1, y1 = region
            self.dots_here = screen.on_page()
            self.dots = np.zeros(image.shape[:2], np.float32)
            self.dots[y0:y1, x0:x1] = self.dots_here
        self.lightness = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)  # exact when the channels are equal
        x0, y0, x1, y1 = region
        # A face with grain to lose (`face_square`: where to judge it; see GRAIN_WORTH_KEEPING)
        # keeps its lightness as a smooth base and its grain (see _sharp); both exact, so at
        # rest the two add up to the picture, pixel for pixel.
        keeps = _cubic_keeps(self.lightness, face_square) if face_square is not None else 1.0
        self.grainy = keeps < GRAIN_WORTH_KEEPING
        if self.grainy:
            self.base = cv2.GaussianBlur(self.lightness, (0, 0), GRAIN_SIGMA)
            self.grain = cv2.subtract(self.lightness, self.base, dtype=cv2.CV_32F)
            fx0, fy0, fx1, fy1 = face_square
            self.grain_gain = grain_gain(self.grain[max(fy0, 0):fy1, max(fx0, 0):fx1])
        area = image[y0:y1, x0:x1]
        self.monochrome = bool(np.array_equal(area[..., 0], area[..., 1])
                               and np.array_equal(area[..., 1], area[..., 2]))
        self.stack = self.plate = self.plate_here = None
        if person is None:
            return
        # The share of each pixel that is wall, 0-255 (all wall outside the region).
        wall = np.full(image.shape[:2], 255, np.uint8)
        wall[y0:y1, x0:x1] = np.round((1.0 - person) * 255.0).astype(np.uint8)
        plate = image.copy()
        plate[y0:y1, x0:x1] = clean_plate(area, person, face_height, around=(image, (x0, y0)))
        if self.monochrome:
            self.stack = cv2.merge([self.lightness, plate[..., 0], wall])
            self.plate_here = np.ascontiguousarray(plate[y0:y1, x0:x1, 0])
        else:
            self.stack = cv2.merge([image[..., 0], image[..., 1], image[..., 2], wall])
            self.plate = plate
            self.plate_here = plate[y0:y1, x0:x1]

    def sample(self, out: np.ndarray, map_x: np.ndarray, map_y: np.ndarray,
               face: tuple[slice, slice], within: tuple[slice, slice] | None = None) -> None:
        """Fill `out` (the region's pixels, RGB) through the maps; `face` (rows, columns
        of the region) is sampled cubic. Only `within` (rows, columns of the region, holding
        the face) where given: the rest of `out` is left as it is (where the maps move
        nothing, it already is the picture)."""
        if within is not None:
            rows, cols = within
            out, map_x, map_y = out[within], map_x[within], map_y[within]
            face = (slice(face[0].start - rows.start, face[0].stop - rows.start),
                    slice(face[1].start - cols.start, face[1].stop - cols.start))
        here = within or (slice(None), slice(None))
        bilinear = {"interpolation": cv2.INTER_LINEAR, "borderMode": cv2.BORDER_REFLECT}
        fmx, fmy = map_x[face], map_y[face]
        moved_plate = wall = None
        if self.monochrome:
            if self.stack is not None:
                grey, moved_plate, wall = cv2.split(cv2.remap(self.stack, map_x, map_y, **bilinear))
            else:
                grey = cv2.remap(self.lightness, map_x, map_y, **bilinear)
            if fmx.size:
                part = grey[face]
                _into(part, self._sharp(fmx, fmy, dst=part))
            if wall is not None:
                self._over_plate(grey, moved_plate, wall, here)
            self._keep_screen(grey, map_x, map_y, wall, here)
            _into(out, cv2.cvtColor(grey, cv2.COLOR_GRAY2RGB, dst=out))
            return
        if self.stack is not None:
            moved = cv2.remap(self.stack, map_x, map_y, **bilinear)
            _into(out, cv2.cvtColor(moved, cv2.COLOR_RGBA2RGB, dst=out))
            wall = cv2.extractChannel(moved, 3)
        else:
            _into(out, cv2.remap(self.image, map_x, map_y, dst=out, **bilinear))
        if fmx.size:
            part = out[face]
            sharp = self._sharp(fmx, fmy)
            detail = cv2.subtract(sharp, cv2.cvtColor(part, cv2.COLOR_RGB2GRAY), dtype=cv2.CV_16S)
            _into(part, cv2.add(part, cv2.merge([detail, detail, detail]), dst=part, dtype=cv2.CV_8U))
        if wall is not None:
            self._over_plate(out, cv2.remap(self.plate, map_x, map_y, **bilinear), wall, here)
        self._keep_screen(out, map_x, map_y, wall, here)

    def _keep_screen(self, picture: np.ndarray, map_x: np.ndarray, map_y: np.ndarray,
                     wall: np.ndarray | None, here: tuple[slice, slice]) -> None:
        """On a halftone: the dots the maps carried along out, the page's own in, both as
        strong as the picture prints them at its tone there (the tone moves little, and the
        opening mouth is printed at its own as it is painted). At rest the two cancel to the
        pixel. The carried dots are sampled bilinear everywhere: the face box's cubic, as
        the picture is sampled there, cost 2 ms a frame and looked the same. The wall, laid
        from the still plate, keeps its own."""
        if self.dots is None:
            return
        carried = cv2.remap(self.dots, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
        change = cv2.subtract(self.dots_here[here], carried)
        if wall is not None:
            sitter = cv2.subtract(255.0, wall, dtype=cv2.CV_32F)  # the share that is not wall
            change = cv2.multiply(change, sitter, scale=1.0 / 255.0)
        if picture.ndim == 3:
            change = cv2.cvtColor(change, cv2.COLOR_GRAY2RGB)
        _into(picture, cv2.add(picture, change, dst=picture, dtype=cv2.CV_8U))

    def _sharp(self, fmx: np.ndarray, fmy: np.ndarray, dst: np.ndarray | None = None) -> np.ndarray:
        """The face's lightness through the maps, its grain kept. Any interpolation at a
        sub-pixel offset loses the finest detail (at half a pixel, all of it at the
        Nyquist frequency): a grainy print's face lost a third of its Laplacian variance
        and, as the head moved, its texture swam, sharp and soft by turns. So the smooth
        base and the grain are sampled cubic apart, and the grain is given back per pixel
        what cubic weights at that pixel's fraction take from it (grain_gain): as strong at
        every fraction, and moving with the skin by fractions of a pixel. At rest, exact.
        A picture without such grain is sampled cubic (see GRAIN_WORTH_KEEPING)."""
        if not self.grainy:  # (into `dst` where given: no copy on the live path)
            return cv2.remap(self.lightness, fmx, fmy, cv2.INTER_CUBIC, dst=dst,
                             borderMode=cv2.BORDER_REFLECT)
        # Fixed-point maps, as remap makes them itself: made once for both remaps, and their
        # second plane is each pixel's fraction of a pixel (1/32ths), the gain's index.
        whole, fraction = cv2.convertMaps(fmx, fmy, cv2.CV_16SC2)
        base = cv2.remap(self.base, whole, fraction, cv2.INTER_CUBIC, borderMode=cv2.BORDER_REFLECT)
        grain = cv2.remap(self.grain, whole, fraction, cv2.INTER_CUBIC, borderMode=cv2.BORDER_REFLECT)
        cv2.multiply(grain, self.grain_gain[fraction], dst=grain)
        return cv2.add(base, grain, dst=dst, dtype=cv2.CV_8U)

    def _over_plate(self, picture: np.ndarray, moved_plate: np.ndarray, wall: np.ndarray,
                    here: tuple[slice, slice]) -> None:
        """Hair and shoulders move with the head; the wall behind the sitter stays still.
        Where a pixel is partly wall (the mask's soft edge, or all wall), the wall moved
        with it is swapped for the wall that belongs here:
            out = moved picture + (1 - moved mask) * (wall here - wall moved)
        which is the picture itself wherever nothing moved (`here`: the rows and columns
        of the region the picture holds). In OpenCV's vector code and in
        place (numpy's float temporaries over the region cost as much as the warp)."""
        change = cv2.subtract(self.plate_here[here], moved_plate, dtype=cv2.CV_32F)
        if change.ndim == 3:
            wall = cv2.merge([wall, wall, wall])
        change = cv2.multiply(change, wall, scale=1.0 / 255.0, dtype=cv2.CV_32F)
        _into(picture, cv2.add(picture, change, dst=picture, dtype=cv2.CV_8U))


def _cubic_keeps(lightness: np.ndarray, square: tuple[int, int, int, int]) -> float:
    """The share of the Laplacian variance of `square` (x0, y0, x1, y1 of the picture),
    seen at 128x128, that cubic sampling half a pixel off keeps: near 1 for a smooth face,
    far less for one with grain the size of its pixels."""
    x0, y0, x1, y1 = square
    patch = lightness[max(y0, 0):y1, max(x0, 0):x1]
    if min(patch.shape) < 8:
        return 1.0
    h, w = patch.shape
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32) + np.float32(0.5)
    moved = cv2.remap(patch, xs, ys, cv2.INTER_CUBIC, borderMode=cv2.BORDER_REFLECT)

    def seen(picture: np.ndarray) -> float:
        small = cv2.resize(picture[2:-2, 2:-2], (128, 128), interpolation=cv2.INTER_AREA)
        return float(cv2.Laplacian(small, cv2.CV_64F).var())

    before = seen(patch)
    return seen(moved) / before if before > 0 else 1.0


def _cubic_weights(fractions: np.ndarray) -> np.ndarray:
    """OpenCV's cubic weights (A = -0.75) for its four taps, per fraction: (n, 4)."""
    x = fractions[:, None] + np.array([1.0, 0.0, -1.0, -2.0])  # distances to the taps
    x = np.abs(x)
    near = ((1.25 * x - 2.25) * x) * x + 1.0
    far = ((-0.75 * x + 3.75) * x - 6.0) * x + 3.0
    return np.where(x <= 1.0, near, far)


def grain_gain(grain: np.ndarray) -> np.ndarray:
    """Per fraction of a pixel (remap's 32 x 32 table index, x + 32 y), what to multiply the
    cubic-sampled `grain` by for it to keep its strength: 1 at whole pixels, at most
    1 / sqrt(GAIN_FLOOR). Cubic weights at a fraction leave a share of the grain's variance
    and a smaller share of its finest detail (its Laplacian's variance), each found from
    `grain`'s own correlation between neighbours; the gain gives back their geometric mean.
    (The variance alone left the 1904 photograph's face 0.89-0.93 as sharp in the issue's
    figure where whole pixels left 0.93-0.96; the finest detail alone made it 1.07-1.09,
    its grain a third louder and coarser at half a pixel; the mean, 0.94-1.00.)"""
    kept = [_kept_by_cubic(g) for g in (grain, cv2.Laplacian(grain.astype(np.float32), cv2.CV_32F))]
    if kept[0] is None or kept[1] is None:
        return np.ones(32 * 32, np.float32)
    both = np.maximum(kept[0], GAIN_FLOOR) * np.maximum(kept[1], GAIN_FLOOR)
    return (both ** -0.25).astype(np.float32).reshape(-1)


def _kept_by_cubic(field: np.ndarray) -> np.ndarray | None:
    """[y fraction, x fraction] (32ths of a pixel): the share of `field`'s variance that cubic
    weights at that fraction keep, from its correlation with neighbours up to GRAIN_LAGS away
    (None where it is too small to read or has none)."""
    g = field.astype(np.float64)
    n = GRAIN_LAGS
    if min(g.shape) <= 2 * n + 2:
        return None
    g = g - g.mean()
    h, w = g.shape
    inner = g[n:h - n, n:w - n]
    power = float((inner * inner).sum())
    if power <= 0:
        return None
    # correlation[v + n, u + n]: of each pixel with the one (u, v) away
    correlation = np.array([[float((inner * g[n + v:h - n + v, n + u:w - n + u]).sum()) / power
                             for u in range(-n, n + 1)] for v in range(-n, n + 1)])
    weights = _cubic_weights(np.arange(32) / 32.0)
    # Per fraction, the weights' own correlation at each lag (-3..3): sum of w_i w_j, i - j = lag.
    spread = np.stack([np.array([np.dot(row[max(0, d):4 + min(0, d)], row[max(0, -d):4 - max(0, d)])
                                 for d in range(-n, n + 1)]) for row in weights])
    return spread @ correlation @ spread.T
