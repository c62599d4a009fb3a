"""Painting on a book's halftone: the dots as strong as the picture prints them at that tone.

A portrait reproduced in a book is a screen of ink dots whose size carries the tone: faint
specks in the light, strong dots in the middle tones, merging ones in the shadows. Paint
laid over such a picture with the screen's pattern added at one strength (the cheeks') read
as a smooth bead set into the page where it is darker (a closed lid on a dotted face): the
dots there print two or three times as strong. So the picture is read for how strongly its
screen prints at each tone, and paint gets the pattern, in the picture's own phase (the dots
run on through it), at the strength the picture has at the paint's tone.
"""

from __future__ import annotations

import cv2
import numpy as np

from .plate import DETAIL_SIGMA

TONE_BINS = 12  # across the face region's tones, from its darkest to its lightest
MIN_PIXELS = 200  # a tone's strength is read from at least this many pixels, else its neighbours'
MAX_STRENGTH = 4.0  # multiples of the pattern: beyond, a scratch or a letter, not the screen


class HalftoneScreen:
    def __init__(self, pattern: np.ndarray, picture: np.ndarray) -> None:
        """`pattern` (float32): the screen's dots over the region (plate.halftone_screen);
        `picture`: the region's RGB pixels, read for how strongly the dots print."""
        self.pattern = pattern.astype(np.float32)
        grey = picture.astype(np.float32).mean(-1)
        # Compared where both are fine detail: the picture's own shapes are coarse.
        detail = grey - cv2.GaussianBlur(grey, (0, 0), DETAIL_SIGMA)
        dots = self.pattern - cv2.GaussianBlur(self.pattern, (0, 0), DETAIL_SIGMA)
        self.page_tone = cv2.GaussianBlur(grey - self.pattern, (0, 0), 2.0)  # the tone the dots print
        tones, details, patterns = self.page_tone.ravel(), detail.ravel(), dots.ravel()
        darkest = float(np.percentile(tones, 1))
        lightest = max(float(np.percentile(tones, 99)), darkest + 1.0)  # a flat print: one tone
        edges = np.linspace(darkest, lightest, TONE_BINS + 1)
        self.tones = 0.5 * (edges[1:] + edges[:-1])
        strength = np.full(TONE_BINS, np.nan)
        which = np.clip(np.searchsorted(edges, tones) - 1, 0, TONE_BINS - 1)
        for b in range(TONE_BINS):
            inside = which == b
            energy = float((patterns[inside] ** 2).sum())
            if inside.sum() >= MIN_PIXELS and energy > 1e-6:
                # The picture's detail projected on the pattern: the screen's share of it.
                strength[b] = (details[inside] * patterns[inside]).sum() / energy
        known = np.isfinite(strength)
        if not known.any():
            strength[:] = 1.0
        else:
            strength = np.interp(self.tones, self.tones[known], strength[known])
        self.strength = np.clip(strength, 0.0, MAX_STRENGTH).astype(np.float32)

    def print(self, colour: np.ndarray, x0: int, y0: int) -> np.ndarray:
        """`colour` (float32 RGB, smooth tone) at region pixel (x0, y0), with the screen's dots
        at the strength the picture prints them at its tone."""
        h, w = colour.shape[:2]
        grey = colour.mean(-1)
        strength = np.interp(grey, self.tones, self.strength).astype(np.float32)
        return colour + (strength * self.pattern[y0:y0 + h, x0:x0 + w])[..., None]

    def on_page(self) -> np.ndarray:
        """The dots as the picture prints them, over the region: the pattern at its strength
        for the picture's tone there."""
        return np.interp(self.page_tone, self.tones, self.strength).astype(np.float32) * self.pattern
