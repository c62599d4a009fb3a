"""descreen.py on pictures it must leave alone: a photograph without a halftone screen comes
back untouched, whatever its edges, and odd pictures (tiny, flat) neither crash nor change."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from installation.models.composite.descreen import descreen, find_screen

from .test_composite import halftone


def photograph(seed: int, side: int = 512) -> np.ndarray:
    """A made-up photograph: smooth tones with fine detail at every scale (no regular screen)."""
    rng = np.random.default_rng(seed)
    grey = np.zeros((side, side), np.float32)
    for sigma, weight in ((24, 0.5), (6, 0.25), (1.5, 0.12), (0.7, 0.05)):
        layer = cv2.GaussianBlur(rng.standard_normal((side, side)).astype(np.float32), (0, 0), sigma)
        grey += weight * layer / layer.std()
    return np.clip(0.5 + 0.18 * grey, 0.05, 0.95).astype(np.float32)


def on_a_page(picture: np.ndarray, seed: int, angle: float = 0.0) -> np.ndarray:
    """`picture` printed on a book's page, as an aligned source often is: paper (with its grain)
    beside and below the print, whose straight edges run through the frame (turned by `angle`)."""
    side = picture.shape[0]
    rng = np.random.default_rng(seed)
    page = np.full((side, side), 0.93, np.float32) + rng.normal(0, 0.01, (side, side)).astype(np.float32)
    inside = np.zeros((side, side), np.float32)
    inside[: int(side * 0.86), int(side * 0.11): int(side * 0.89)] = 1.0
    # (Turned as a scan is, its edge a pixel soft: a staircase of whole pixels is a real pattern.)
    turn = cv2.getRotationMatrix2D((side / 2, side / 2), angle, 1.0)
    inside = cv2.warpAffine(inside, turn, (side, side), flags=cv2.INTER_LINEAR)
    return (inside * picture + (1 - inside) * page).astype(np.float32)


@pytest.mark.parametrize("angle", [0.0, 4.0, 20.0])
def test_a_photograph_printed_on_a_page_is_not_taken_for_a_halftone(angle):
    """A print's straight edge against its page puts a line through the picture's spectrum,
    which stood thousands of times above the local median: every photograph on a page was
    taken for a halftone, and "descreening" it ringed its eyes and lips and smeared fine
    strands (up to 95 grey levels inside the print, on real photographs)."""
    for seed in range(3):
        page = on_a_page(photograph(seed), seed, angle)
        assert find_screen(page) is None
        assert descreen(page) is page


def test_a_halftone_printed_on_a_page_still_loses_its_screen():
    """The edges of the page must not hide the screen of a halftone printed on it."""
    page = on_a_page(halftone(photograph(7), 3.0, 40.0), 7)
    screen = find_screen(page)
    assert screen is not None and screen.strength > 100
    out = descreen(page)
    inner = (slice(60, 380), slice(80, 420))
    assert np.abs(out - photograph(7))[inner].mean() < 0.5 * np.abs(page - photograph(7))[inner].mean()


@pytest.mark.parametrize("side", [1, 8, 31, 32, 80, 128])
def test_tiny_and_flat_pictures_come_back_untouched(side):
    rng = np.random.default_rng(side)
    for grey in (rng.random((side, side)).astype(np.float32), np.zeros((side, side), np.float32),
                 np.ones((side, side), np.float32)):
        assert descreen(grey) is grey
