"""Where pictures and words go on screens of any shape, and type that fits its room.

Scenes with a picture and a column of text share one rule: side by side on a landscape
screen, the picture above the words on a portrait one (1080x1920). Text is laid out by
measuring it: `fit()` finds the largest type scale at which a scene's words fit their
column, so longer words (a translation runs about a third longer than English) shrink
the type towards the kiosk minimum instead of running into the next line. The
typography layer never goes below that minimum (installation/textlog.py).
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

SCALES = (1.0, 0.94, 0.88, 0.82, 0.76, 0.7, 0.64, 0.58)


def portrait_screen(size: tuple[int, int]) -> bool:
    return size[1] > size[0]


def picture_and_column(size: tuple[int, int], share: float = 0.5) -> tuple[pygame.Rect, pygame.Rect]:
    """The picture's box and the text column's box. `share` is the picture's part of
    the width (landscape) or of the height (portrait)."""
    w, h = size
    if portrait_screen(size):
        picture = pygame.Rect(round(w * 0.06), round(h * 0.04), round(w * 0.88), round(h * (share - 0.06)))
        top = picture.bottom + round(h * 0.03)
        column = pygame.Rect(round(w * 0.08), top, round(w * 0.84), round(h * 0.97) - top)
        return picture, column
    picture = pygame.Rect(round(w * 0.04), round(h * 0.08), round(w * share), round(h * 0.84))
    left = picture.right + round(w * 0.04)
    column = pygame.Rect(left, round(h * 0.08), round(w * 0.96) - left, round(h * 0.84))
    return picture, column


def fit(height_at: Callable[[float], int], available: int) -> float:
    """The largest scale in SCALES at which `height_at(scale)` fits `available` pixels
    (the smallest scale when none does: the floor then decides, and the checks report it)."""
    for scale in SCALES:
        if height_at(scale) <= available:
            return scale
    return SCALES[-1]
