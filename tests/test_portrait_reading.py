"""What the portrait backend concludes about a picture as it loads (issue 10).

A plain photograph of a woman in a checked dress was taken for a book's halftone: the
dress's regular pattern made the few sharp peaks a screen makes, and rebuilt from them it
ran on over her cheeks as waves her skin did not carry, so her whole face rippled as it
moved under "dots" held on the page. A screen counts only where it is in step with the
cheeks' own detail.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from installation.imaging import read_rgb
from installation.models.motion.mesh.plate import picture_grain

FACES = Path(__file__).parent / "data" / "faces-cc0"


def _cheeks(shape: tuple[int, int]) -> np.ndarray:
    cheeks = np.zeros(shape, bool)
    cheeks[40:100, 30:90] = True
    cheeks[40:100, 110:170] = True
    return cheeks


def _lattice(shape: tuple[int, int], period: float) -> np.ndarray:
    """A regular pattern of squares turned 45 degrees, `period` px apart (0-1): a checked
    cloth, or, printed as dots, a book's screen."""
    yy, xx = np.mgrid[0:shape[0], 0:shape[1]].astype(np.float32)
    u, v = (xx + yy) / np.sqrt(2), (xx - yy) / np.sqrt(2)
    return 0.5 + 0.5 * np.cos(2 * np.pi * u / period) * np.cos(2 * np.pi * v / period)


def _photograph_in_a_checked_dress(grain: float, period: float) -> np.ndarray:
    rng = np.random.default_rng(3)
    yy, xx = np.mgrid[0:240, 0:200].astype(np.float32)
    grey = 120 + 30 * np.sin(xx / 50) * np.cos(yy / 70) + rng.normal(0, grain, (240, 200))  # smooth skin, film
    grey[150:] = 40 + 180 * _lattice((240, 200), period)[150:]  # the dress below the chin
    return np.clip(grey, 0, 255).astype(np.uint8)[..., None].repeat(3, 2)


def test_a_checked_dress_does_not_make_a_photograph_a_halftone():
    for grain, period in ((1.5, 8.0), (1.0, 10.0)):
        picture = _photograph_in_a_checked_dress(grain, period)
        texture, is_screen = picture_grain(picture, _cheeks(picture.shape[:2]))
        assert not is_screen, (grain, period)
        assert texture is not None  # the cheeks' grain instead


def test_a_halftone_printed_over_the_face_is_still_a_screen():
    """The same picture printed in a book: the screen is over the skin too, and counts."""
    from .test_mesh_expression import _halftone

    picture = _photograph_in_a_checked_dress(1.5, 8.0)
    printed = _halftone(picture[..., 0].astype(np.float32) / 255.0 * 0.8 + 0.1, period=5.0)
    assert picture_grain(printed, _cheeks(printed.shape[:2]))[1]


def test_the_book_halftones_among_the_cc0_faces_are_still_screens(stack):
    from installation.models.motion.mesh import MeshAnimator

    for name in ("face_man_89.jpg", "face_woman_109.jpg", "face_woman_140.jpg"):  # the weakest in step
        animator = MeshAnimator(read_rgb(FACES / name, max_side=900), stack)
        assert animator.warper.screen is not None, name
