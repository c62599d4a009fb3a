"""Blinks: the closed lid is painted in the skin's tone round the eye (mesh/lids.py).

A far eye (a sitter turned away) is small, and the face mesh puts its crease on the lash
line: the band read just above the crease was all lashes there, and Vermeer's girl closed
her far eye into a dark grey lens. These paint a lid over a drawn eye."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from installation.models.motion.mesh.lids import LIDS, lid_whites, move_lids, paint_lids
from installation.models.motion.mesh.mouth import curve_through

SKIN, LASHES, WHITE = (205.0, 168.0, 145.0), (70.0, 55.0, 48.0), (235.0, 228.0, 220.0)
SIZE = (60, 80)
LEFT, RIGHT, MIDDLE = 20.0, 56.0, 30.0


def _line(ids: tuple, lift: float) -> np.ndarray:
    """Points along an eye line from corner to corner, `lift` px above the corners' row
    at the middle (negative: below)."""
    xs = np.linspace(LEFT, RIGHT, len(ids))
    return np.column_stack([xs, MIDDLE - lift * np.sin(np.pi * (xs - LEFT) / (RIGHT - LEFT))])


def _far_eye(lash_rows: int, lid_band: float = 2.0):
    """A small eye (36 x 8 px) drawn on skin, its crease `lid_band` px above the lid margin,
    and `lash_rows` of dark lashes just above the crease; the mesh points of its lines."""
    points = np.zeros((478, 2))
    upper, lower, crease = LIDS[0]
    for ids, lift in ((upper, 4.0), (lower, -4.0), (crease, 4.0 + lid_band)):
        points[list(ids)] = _line(ids, lift)
    picture = np.empty((*SIZE, 3), np.float32)
    picture[:] = SKIN
    cols = np.arange(SIZE[1], dtype=np.float32)
    rows = np.arange(SIZE[0], dtype=np.float32)[:, None]
    margin, bottom, top = (curve_through(points[list(ids)], cols)[None, :] for ids in (upper, lower, crease))
    inside = (cols >= LEFT) & (cols <= RIGHT)
    picture[(rows >= margin) & (rows <= bottom) & inside] = WHITE
    picture[(rows < top - 1.0) & (rows >= top - 1.0 - lash_rows) & inside] = LASHES
    return np.round(picture).astype(np.uint8), points



def _closed_lid(lash_rows: int) -> tuple[np.ndarray, np.ndarray]:
    """The painted pixels of the test far eye's lid, closed (RGB rows), and the luma weights."""
    picture, points = _far_eye(lash_rows=lash_rows)
    rows = np.mgrid[0:SIZE[0], 0:SIZE[1]].astype(np.float32)[0]
    covers = move_lids(rows.copy(), points, (0.05, 1.0), np.zeros(2), SIZE)
    region = picture.copy()
    paint_lids(region, covers)
    closed = covers[0].covered > 0.95
    lid = region[covers[0].y0:covers[0].y0 + closed.shape[0], covers[0].x0:covers[0].x0 + closed.shape[1]][closed]
    return lid, np.array([0.299, 0.587, 0.114])

def test_a_closed_far_eye_takes_the_skins_tone_not_the_lashes():
    lid, luma = _closed_lid(lash_rows=3)
    # The lid in the socket may be shaded, but it is skin: nearer the skin's lightness
    # than the lashes' (old: 65 grey levels, the lashes' 59; the skin's 176; now 197).
    assert float(np.median(lid @ luma)) > (np.dot(SKIN, luma) + np.dot(LASHES, luma)) / 2


def test_a_lid_closing_in_a_shadowed_socket_stays_in_its_shade():
    # Dark all the way up from the crease (a deep-set eye, the brow's shadow), it is not
    # lashes: the closed lid keeps the socket's shade, not the lit cheek's (a pale bead).
    lid, luma = _closed_lid(lash_rows=12)
    assert float(np.median(lid @ luma)) < (np.dot(SKIN, luma) + np.dot(LASHES, luma)) / 2


def test_a_wide_eye_draws_its_iris_out_evenly_not_into_an_oval():
    # Raised, the upper lid uncovers what the picture does not hold, and the eye below it
    # stretches to fill the space: over its upper half alone (as it did), the iris's top
    # half was drawn out 1.6 times, an upright oval with its glint a streak (now 1.3 at most).
    _, points = _far_eye(lash_rows=0, lid_band=8.0)
    rows = np.mgrid[0:SIZE[0], 0:SIZE[1]].astype(np.float32)[0]
    map_y = rows.copy()
    move_lids(map_y, points, (1.35, 1.35), np.zeros(2), SIZE)
    column = map_y[:, int((LEFT + RIGHT) / 2)]
    eye = slice(int(MIDDLE - 4.0 - 0.3 * 8.0), int(MIDDLE + 4.0))  # raised lid to lower lid
    stretch = 1.0 / float(np.diff(column[eye]).min())
    assert 1.05 < stretch < 1.35


@pytest.mark.parametrize("skin", [SKIN, (96.0, 64.0, 48.0)], ids=["light", "dark"])
def test_a_closed_lid_leaves_no_rim_of_the_eyes_white_where_the_mesh_put_its_margin_in_it(skin):
    """Vermeer's girl: the mesh put her upper lid's margin inside the painted white on the
    inner side, the white running up to the crease. Stretched down as lid skin, it ringed
    her closed lid in a pale rim. Closed, the eye is skin with a lash line."""
    points = np.zeros((478, 2))
    upper, lower, crease = LIDS[0]
    for ids, lift in ((upper, 4.0), (lower, -4.0), (crease, 12.0)):
        points[list(ids)] = _line(ids, lift)
    picture = np.empty((*SIZE, 3), np.float32)
    picture[:] = skin
    cols = np.arange(SIZE[1], dtype=np.float32)
    rows = np.arange(SIZE[0], dtype=np.float32)[:, None]
    margin, bottom, top = (curve_through(points[list(ids)], cols)[None, :] for ids in (upper, lower, crease))
    inside = (cols >= LEFT) & (cols <= RIGHT)
    painted_lid = np.where(cols < (LEFT + RIGHT) / 2, top + 2.0, margin)  # the white runs up on the inner half
    picture[(rows >= painted_lid) & (rows <= bottom) & inside] = WHITE
    picture[(rows >= painted_lid - 2.0) & (rows < painted_lid) & inside] = LASHES
    picture = np.round(picture).astype(np.uint8)
    grid = np.mgrid[0:SIZE[0], 0:SIZE[1]].astype(np.float32)[0]
    map_y = grid.copy()
    covers = move_lids(map_y, points, (0.0, 1.0), np.zeros(2), SIZE, lid_whites(picture, points))
    # What the warper shows: the picture drawn through the lowered lid, then the paint.
    region = cv2.remap(picture, np.mgrid[0:SIZE[0], 0:SIZE[1]].astype(np.float32)[1], map_y, cv2.INTER_LINEAR)
    paint_lids(region, covers)
    luma = np.array([0.299, 0.587, 0.114])
    closed_eye = (rows >= top + 1.0) & (rows <= bottom) & (cols >= LEFT + 3) & (cols <= RIGHT - 3)
    shown = region[closed_eye].astype(np.float64)
    lit = shown @ luma
    # No pale rim: nothing over the closed eye is nearer the white than the skin (old: the
    # inner half's top rows were the white).
    rim = np.linalg.norm(shown - WHITE, axis=1) < np.linalg.norm(shown - skin, axis=1)
    assert not rim.any(), shown[rim]
    # ... and a lash line along the closed margin, darker than the lid.
    closed_margin = covers[0].margin[0] + covers[0].y0
    middle = int((LEFT + RIGHT) / 2)
    assert float(region[int(round(closed_margin[middle - covers[0].x0])), middle] @ luma) < 0.9 * float(
        np.median(lit))
