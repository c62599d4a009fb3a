"""A closed lid over a painted eye larger than the face mesh finds it (lid_under.py): a
Roman-Egypt mummy portrait's eyes, dark warm skin, the eye's white and the painter's light
rim running on a few pixels under the mesh's lower lid before the skin."""

from __future__ import annotations

import numpy as np

from installation.models.motion.mesh.lids import LIDS
from installation.models.motion.mesh.outlines import curve_through

from .conftest import lids_closed

SIZE = (64, 140)
EYES = ((18.0, 58.0), (82.0, 122.0))  # each eye's corners (columns), in LIDS order
MIDDLE = 32.0
WAX_SKIN = (112.0, 64.0, 38.0)
LID_LINE = (42.0, 27.0, 22.0)
WHITE, IRIS = (228.0, 218.0, 204.0), (52.0, 36.0, 30.0)
BAND = 3  # px of the painted eye's white under the mesh's lower lid
LUMA = np.array([0.299, 0.587, 0.114])


def _painted_eyes(band: int):
    """Two large dark eyes on dark warm skin, each with its dark lid line (crease to margin);
    the picture's white runs on `band` px under the mesh's lower lid; the mesh points and
    per column the mesh's lower lid."""
    points = np.zeros((478, 2))
    cols = np.arange(SIZE[1], dtype=np.float32)
    rows = np.arange(SIZE[0], dtype=np.float32)[:, None]
    picture = np.empty((*SIZE, 3), np.float32)
    picture[:] = WAX_SKIN
    bottoms = np.full((1, SIZE[1]), np.nan, np.float32)
    for (left, right), (upper, lower, crease) in zip(EYES, LIDS, strict=True):
        for ids, lift in zip((upper, lower, crease), (6.0, -6.0, 8.0), strict=True):
            xs = np.linspace(left, right, len(ids))
            points[list(ids)] = np.column_stack([xs, MIDDLE - lift * np.sin(np.pi * (xs - left) / (right - left))])
        margin, bottom, top = (curve_through(points[list(ids)], cols)[None, :] for ids in (upper, lower, crease))
        inside = (cols >= left) & (cols <= right)
        # the painted eye: its white a little past the mesh's lower lid, as the painter drew it larger
        painted_bottom = bottom + band * np.sqrt(np.clip(np.sin(np.pi * (cols - left) / (right - left)), 0.0, 1.0))
        picture[(rows >= margin) & (rows <= painted_bottom) & inside] = WHITE
        picture[((rows - MIDDLE) ** 2 + (cols - (left + right) / 2) ** 2 <= 36.0) & (rows >= margin)] = IRIS
        picture[(rows >= top - 0.5) & (rows < margin) & inside] = LID_LINE
        bottoms[:, inside] = bottom[:, inside]
    return np.round(picture).astype(np.uint8), points, bottoms


def _closed(picture: np.ndarray, points: np.ndarray) -> np.ndarray:
    return lids_closed(picture, points, SIZE, (0.0, 0.0))


def _middles() -> list[np.ndarray]:
    """Each eye's middle columns (clear of the corners' fade)."""
    return [np.arange(int(left + 0.25 * (right - left)), int(right - 0.25 * (right - left)) + 1)
            for left, right in EYES]


def test_a_closed_painted_eye_leaves_no_white_crescent_under_its_lash_line():
    """The mesh's lower lid lay inside the painted white, and the closed lid stopped there:
    the white under it stayed, a pale crescent under the closed lash line (old: 90% of the
    band's pixels in the middle of each eye still that light; now none)."""
    picture, points, bottoms = _painted_eyes(BAND)
    closed = _closed(picture, points)
    skin = float(np.dot(WAX_SKIN, LUMA))
    for columns in _middles():
        band = [closed[int(np.ceil(bottoms[0, c])) + 1:int(np.ceil(bottoms[0, c])) + BAND, c] for c in columns]
        light = np.concatenate(band).astype(np.float64) @ LUMA > 1.3 * skin
        assert light.mean() < 0.1, light.mean()


def test_the_closed_lash_line_lies_where_the_painted_eye_ends():
    """A painter closes such an eye with a dark lash line where the lower lid line was: the
    closed lid's darkest row in the middle of each eye lies at the painted eye's lower edge,
    not the mesh's lower lid above it (old: on the mesh's)."""
    picture, points, bottoms = _painted_eyes(BAND)
    closed = _closed(picture, points).astype(np.float64) @ LUMA
    for columns in _middles():
        for c in columns[::3]:
            darkest = float(np.argmin(closed[int(MIDDLE):int(MIDDLE) + 16, c])) + int(MIDDLE)
            assert darkest >= bottoms[0, c] + 1.5, (c, darkest, bottoms[0, c])
