"""A print's own tone: how an old photograph renders every colour at each lightness.

A sepia, albumen, platinum or grey print shows lips, skin and shadows in one tone. A mouth
painted there in a living mouth's colours (a pink tongue, ivory teeth, a neutral grey
cavity) stood out as pasted in: lavender-pink on sepia, blue-white on a warm grey print.
`PrintTone` reads the picture's tone curve, the median colour cast at each lightness, and
how far the sitter's lower lip follows it. Lips in the print's tone mean the painted mouth
is put in it too; lips in their own colour (a colour photograph, a painting, a tinted
print) keep the living colours.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

LUMA = np.array([0.299, 0.587, 0.114], np.float32)
BIN = 8  # lightness levels per step of the curve
BINS = 256 // BIN
# The picture is read small: the tone is the same everywhere in a print, and this is
# done once per portrait.
READ_SIDE = 256
MIN_PIXELS = 5  # per lightness step, for its cast to count
# How far (RGB levels) the lower lip's colour sits from the print's tone at its own
# lightness. Old prints (48 CC0 test faces, 10 quiz photographs, the shipped sitter): 0-10,
# median 0.8, all but one under 6. Colour photographs, colour-generated faces, a painting, a
# tinted print and colour video (45): 8.6-103, median 30, all but one over 12. Between the
# two, the mouth is taken part of the way.
TONED_UP_TO, COLOURED_FROM = 6.0, 12.0


@dataclass(frozen=True)
class PrintTone:
    casts: np.ndarray  # BINS x 3: the median colour minus its lightness, per lightness step
    lowest: float  # the lightness of the darkest step that had pixels

    @classmethod
    def of(cls, image: np.ndarray) -> PrintTone:
        scale = min(1.0, READ_SIDE / max(image.shape[:2]))
        small = cv2.resize(image[..., :3], None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        pixels = small.reshape(-1, 3).astype(np.float32)
        light = pixels @ LUMA
        steps = np.clip((light / BIN).astype(int), 0, BINS - 1)
        casts = np.full((BINS, 3), np.nan, np.float32)
        for step in range(BINS):
            chosen = steps == step
            if np.count_nonzero(chosen) >= MIN_PIXELS:
                casts[step] = np.median(pixels[chosen] - light[chosen, None], axis=0)
        known = ~np.isnan(casts[:, 0])
        if not known.any():
            return cls(np.zeros((BINS, 3), np.float32), 0.0)
        index = np.arange(BINS)
        for channel in range(3):
            casts[:, channel] = np.interp(index, index[known], casts[known, channel])
        return cls(casts, float((index[known][0] + 0.5) * BIN))

    def cast_at(self, light: float) -> np.ndarray:
        cast = self.casts[int(np.clip(light / BIN, 0, BINS - 1))]
        # Below the darkest tone the print shows, the cast fades with the light (a sepia
        # shadow is less brown than a sepia half-tone, and black has no cast).
        return cast * min(1.0, light / self.lowest) if self.lowest > 0 else cast

    def toned(self, colour: np.ndarray) -> np.ndarray:
        """`colour` at its own lightness, in the print's tone."""
        light = float(np.asarray(colour, np.float32) @ LUMA)
        return np.clip(light + self.cast_at(light), 0.0, 255.0)

    def distance(self, colour: np.ndarray) -> float:
        """How far `colour` is from the print's tone at its lightness (RGB levels)."""
        return float(np.linalg.norm(np.asarray(colour, np.float32) - self.toned(colour)))

    def share(self, lips: np.ndarray) -> float:
        """1 when the lips are in the print's tone (paint in it), 0 when they have their own
        colour (keep living colours), between in the uncertain band."""
        return float(np.clip((COLOURED_FROM - self.distance(lips)) / (COLOURED_FROM - TONED_UP_TO), 0.0, 1.0))

    def follow(self, colour: np.ndarray, share: float) -> np.ndarray:
        """`colour` taken `share` of the way into the print's tone, its lightness kept."""
        colour = np.asarray(colour, np.float64)
        return colour + (self.toned(colour) - colour) * share
