"""A turned sitter's near eye: the picture's white runs on up past the mesh's crease where the
crease falls steeply into the inner corner (Vermeer's girl looking aside). Closed, the lid
covers that white too (mesh/lid_rest.py WHITE_ABOVE_CREASE, mesh/lids.py)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from installation.models.motion.mesh.lid_paint import paint_lids
from installation.models.motion.mesh.lids import LIDS, lid_whites, move_lids
from installation.models.motion.mesh.outlines import curve_through

SKIN, WHITE = (205.0, 168.0, 145.0), (235.0, 228.0, 220.0)
SIZE = (60, 80)
LEFT, RIGHT, MIDDLE = 20.0, 56.0, 30.0  # LIDS[0]'s inner corner (point 133) is the right one


def _near_eye(skin, white_top: float) -> tuple[np.ndarray, np.ndarray, tuple]:
    """A 36 x 8 px eye on `skin`, its mesh crease 12 px over the middle, falling to the corners
    as the mesh's does; the picture's white reaches up to `white_top` px above the corners' row
    over the inner 8 columns (no higher than the mesh's margin elsewhere)."""
    points = np.zeros((478, 2))
    for ids, lift in zip(LIDS[0], (4.0, -4.0, 12.0), strict=True):
        xs = np.linspace(LEFT, RIGHT, len(ids))
        points[list(ids)] = np.column_stack([xs, MIDDLE - lift * np.sin(np.pi * (xs - LEFT) / (RIGHT - LEFT))])
    cols = np.arange(SIZE[1], dtype=np.float32)
    rows = np.arange(SIZE[0], dtype=np.float32)[:, None]
    margin, bottom, top = (curve_through(points[list(ids)], cols)[None, :] for ids in LIDS[0])
    picture = np.empty((*SIZE, 3), np.float32)
    picture[:] = skin
    inner = (cols >= RIGHT - 8.0) & (cols <= RIGHT)
    painted_lid = np.where(inner, np.minimum(margin, MIDDLE - white_top), margin)
    picture[(rows >= painted_lid) & (rows <= bottom) & (cols >= LEFT) & (cols <= RIGHT)] = WHITE
    return np.round(picture).astype(np.uint8), points, (cols, rows, top, bottom)


def _closed(picture: np.ndarray, points: np.ndarray) -> np.ndarray:
    """What the warper shows of the eye closed: the picture through the lowered lid, then the paint."""
    grid = np.mgrid[0:SIZE[0], 0:SIZE[1]].astype(np.float32)
    map_y = grid[0].copy()
    covers = move_lids(map_y, points, (0.0, 1.0), np.zeros(2), SIZE, lid_whites(picture, points))
    region = cv2.remap(picture, grid[1], map_y, cv2.INTER_LINEAR)
    paint_lids(region, covers)
    return region


@pytest.mark.parametrize("skin", [SKIN, (96.0, 64.0, 48.0)], ids=["light", "dark"])
def test_a_closed_near_eye_leaves_no_wedge_of_white_above_the_crease_at_its_inner_corner(skin):
    """Closed, nothing at the inner corner is nearer the eye's white than the skin (old: a
    pale wedge between the mesh's falling crease and the picture's upper lid)."""
    picture, points, (cols, rows, top, bottom) = _near_eye(skin, white_top=5.0)
    region = _closed(picture, points)
    corner = (cols >= RIGHT - 8.0) & (cols <= RIGHT - 1.0) & (rows >= MIDDLE - 6.0) & (rows <= bottom)
    shown = region[corner].astype(np.float64)
    pale = np.linalg.norm(shown - WHITE, axis=1) < np.linalg.norm(shown - np.array(skin), axis=1)
    assert not pale.any(), f"{int(pale.sum())} pale pixels at the inner corner: {shown[pale][:4]}"
    # ... and the skin above the picture's white is left as it was: the lid's paint stops there.
    above = (cols >= RIGHT - 8.0) & (cols <= RIGHT - 1.0) & (rows < MIDDLE - 8.0) & (rows > MIDDLE - 14.0)
    assert np.abs(region[above].astype(int) - picture[above].astype(int)).max() <= 2

