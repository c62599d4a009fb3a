"""A closed lid on an eye a painter ringed with light (lid_paint.RING_OVER): a Roman-Egypt
mummy portrait's dark wax skin, a dark lid line under the mesh's crease, a pale highlight
along the lid above it and the lower lid's light rim under the eye."""

from __future__ import annotations

import numpy as np

from installation.models.motion.mesh.lids import LIDS
from installation.models.motion.mesh.outlines import curve_through

from .conftest import lids_closed

SIZE = (64, 80)
LEFT, RIGHT, MIDDLE = 18.0, 58.0, 32.0
WAX_SKIN = (112.0, 64.0, 38.0)
LID_LINE = (42.0, 27.0, 22.0)
HIGHLIGHT = (196.0, 166.0, 140.0)
WHITE, IRIS = (228.0, 218.0, 204.0), (52.0, 36.0, 30.0)
LUMA = np.array([0.299, 0.587, 0.114])


def _fayum_eye(ringed: bool):
    """A large dark eye on dark warm skin, its lid line (crease to margin) dark, and where
    `ringed` a pale stroke above the crease and a pale rim under the lower lid; the mesh points."""
    points = np.zeros((478, 2))
    upper, lower, crease = LIDS[0]
    for ids, lift in zip((upper, lower, crease), (6.0, -6.0, 8.0), strict=True):
        xs = np.linspace(LEFT, RIGHT, len(ids))
        points[list(ids)] = np.column_stack([xs, MIDDLE - lift * np.sin(np.pi * (xs - LEFT) / (RIGHT - LEFT))])
    cols = np.arange(SIZE[1], dtype=np.float32)
    rows = np.arange(SIZE[0], dtype=np.float32)[:, None]
    margin, bottom, top = (curve_through(points[list(ids)], cols)[None, :] for ids in (upper, lower, crease))
    inside = (cols >= LEFT) & (cols <= RIGHT)
    picture = np.empty((*SIZE, 3), np.float32)
    picture[:] = WAX_SKIN
    picture[(rows >= margin) & (rows <= bottom) & inside] = WHITE
    picture[((rows - MIDDLE) ** 2 + (cols - (LEFT + RIGHT) / 2) ** 2 <= 36.0) & (rows >= margin)] = IRIS
    picture[(rows >= top - 0.5) & (rows < margin) & inside] = LID_LINE
    if ringed:
        picture[(rows >= top - 3.5) & (rows < top - 0.5) & inside] = HIGHLIGHT
        picture[(rows > bottom) & (rows <= bottom + 4.5) & inside] = HIGHLIGHT
    return np.round(picture).astype(np.uint8), points, (cols, rows, bottom, top)


def _closed(picture: np.ndarray, points: np.ndarray) -> np.ndarray:
    return lids_closed(picture, points, SIZE, (0.0, 1.0))


def _closed_lid_luma(ringed: bool) -> float:
    picture, points, (cols, rows, bottom, top) = _fayum_eye(ringed)
    region = _closed(picture, points)
    body = (rows >= top + 2.0) & (rows <= bottom - 4.0) & (cols >= LEFT + 10) & (cols <= RIGHT - 10)
    return float(np.median(region[body].astype(np.float64) @ LUMA))


def test_an_eye_ringed_with_painted_light_closes_in_its_skins_tone_not_a_pale_shell():
    """A mummy portrait's eye: the skin read just above the crease and under the eye was the
    painter's highlight strokes, and the closed lid was a pale shell in the dark wax (old: 171
    grey levels, the skin 75; now 74). Closed, it is the skin beyond the ring, no lighter than it."""
    skin = float(np.dot(WAX_SKIN, LUMA))
    lid = _closed_lid_luma(ringed=True)
    assert lid < 1.05 * skin, (lid, skin)
    # ... and no darker than the same eye closed without the ring: the skin, not the lid line.
    assert lid > 0.9 * _closed_lid_luma(ringed=False)

