"""Sampling the portrait through the backward maps: a cubic face, bilinear hair and
ground, and the wall behind the sitter where the head moves away from it (plate.py).

Bilinear sampling at sub-pixel offsets loses a third of the fine detail (Laplacian
variance 0.67 at half a pixel), cubic keeps it (1.01) but costs five to nine times as
much: OpenCV's cubic remap has no vector code. So only the face box is sampled cubic,
and only in its lightness:
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

from .plate import clean_plate


def _into(part: np.ndarray, done: np.ndarray) -> None:
    """OpenCV writes into `dst` views in place; should it ever allocate instead, copy."""
    if done is not part:
        part[...] = done


class Sampler:
    def __init__(self, image: np.ndarray, region: tuple[int, int, int, int], person: np.ndarray | None,
                 face_height: float) -> None:
        self.image = image
        self.lightness = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)  # exact when the channels are equal
        x0, y0, x1, y1 = region
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
        plate[y0:y1, x0:x1] = clean_plate(area, person, face_height)
        if self.monochrome:
            self.stack = cv2.merge([self.lightness, plate[..., 0], wall])
            self.plate_here = np.ascontiguousarray(plate[y0:y1, x0:x1, 0])
        else:
            self.stack = cv2.merge([image[..., 0], image[..., 1], image[..., 2], wall])
            self.plate = plate
            self.plate_here = plate[y0:y1, x0:x1]

    def sample(self, out: np.ndarray, map_x: np.ndarray, map_y: np.ndarray,
               face: tuple[slice, slice]) -> None:
        """Fill `out` (the region's pixels, RGB) through the maps; `face` (rows, columns
        of the region) is sampled cubic."""
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
                _into(part, cv2.remap(self.lightness, fmx, fmy, cv2.INTER_CUBIC, dst=part,
                                      borderMode=cv2.BORDER_REFLECT))
            if wall is not None:
                self._over_plate(grey, moved_plate, wall)
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
            sharp = cv2.remap(self.lightness, fmx, fmy, cv2.INTER_CUBIC, borderMode=cv2.BORDER_REFLECT)
            detail = cv2.subtract(sharp, cv2.cvtColor(part, cv2.COLOR_RGB2GRAY), dtype=cv2.CV_16S)
            _into(part, cv2.add(part, cv2.merge([detail, detail, detail]), dst=part, dtype=cv2.CV_8U))
        if wall is not None:
            self._over_plate(out, cv2.remap(self.plate, map_x, map_y, **bilinear), wall)

    def _over_plate(self, picture: np.ndarray, moved_plate: np.ndarray, wall: np.ndarray) -> None:
        """Hair and shoulders move with the head; the wall behind the sitter stays still.
        Where a pixel is partly wall (the mask's soft edge, or all wall), the wall moved
        with it is swapped for the wall that belongs here:
            out = moved picture + (1 - moved mask) * (wall here - wall moved)
        which is the picture itself wherever nothing moved. In OpenCV's vector code and in
        place (numpy's float temporaries over the region cost as much as the warp)."""
        change = cv2.subtract(self.plate_here, moved_plate, dtype=cv2.CV_32F)
        if change.ndim == 3:
            wall = cv2.merge([wall, wall, wall])
        change = cv2.multiply(change, wall, scale=1.0 / 255.0, dtype=cv2.CV_32F)
        _into(picture, cv2.add(picture, change, dst=picture, dtype=cv2.CV_8U))
