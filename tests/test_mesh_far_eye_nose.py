"""A far eye behind the nose (mesh/lids.py): on a sitter turned 35-45 degrees the face mesh
can put the far eye across its own nose ridge, where the picture shows the nose. A lid drawn
down there was painted over the nose's edge: a pale oval of skin on the nose. The lid
closes only the part of the eye the picture shows, with that eye's own skin."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from installation.models.motion.mesh.lid_paint import paint_lids
from installation.models.motion.mesh.lids import LIDS, move_lids
from installation.models.motion.mesh.outlines import curve_through

SIZE = (60, 100)
SKIN, NOSE, WHITE = (150.0, 118.0, 100.0), (228.0, 196.0, 176.0), (235.0, 228.0, 220.0)
LEFT, RIGHT, MIDDLE, RIDGE_X, OUTLINE_X = 20.0, 56.0, 30.0, 40.0, 38.0
LUMA = np.array([0.299, 0.587, 0.114])
NOSE_RIDGE = (168, 6, 197, 195, 5, 4)  # the face mesh's nose, from its root between the eyes to its tip


def _turned_face(mirrored: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """A made sitter turned to the image's left: shaded skin, the far (image-left) eye's
    opening from x 20 to 56, and the lit nose over the eye's inner half, its outline 2 px
    past the mesh's ridge (x 40; 0.022 eye distances, as measured on turned sitters), with
    faint lines across it (a lid's stretch would move them). Its mesh points. `mirrored`:
    turned to the image's right, the far eye the image-right one."""
    points = np.zeros((478, 2))
    upper, lower, crease = LIDS[0]
    for ids, lift in ((upper, 4.0), (lower, -4.0), (crease, 9.0)):
        xs = np.linspace(LEFT, RIGHT, len(ids))
        points[list(ids)] = np.column_stack([xs, MIDDLE - lift * np.sin(np.pi * (xs - LEFT) / (RIGHT - LEFT))])
    points[list(NOSE_RIDGE)] = np.column_stack([np.full(len(NOSE_RIDGE), RIDGE_X),
                                                np.linspace(MIDDLE - 6.0, MIDDLE + 30.0, len(NOSE_RIDGE))])
    points[263] = (LEFT + 90.0, MIDDLE)  # the near eye's outer corner, out of the picture
    picture = np.empty((*SIZE, 3), np.float32)
    picture[:] = SKIN
    cols = np.arange(SIZE[1], dtype=np.float32)
    rows = np.arange(SIZE[0], dtype=np.float32)[:, None]
    margin, bottom = (curve_through(points[list(ids)], cols)[None, :] for ids in (upper, lower))
    picture[(rows >= margin) & (rows <= bottom) & (cols >= LEFT)] = WHITE
    nose = np.broadcast_to(cols >= OUTLINE_X, picture.shape[:2])
    lines = (1.0 + 0.08 * np.sin(rows * 1.3))[..., None]
    picture[nose] = np.broadcast_to(np.array(NOSE) * lines, picture.shape)[nose]
    picture = np.round(np.clip(picture, 0, 255)).astype(np.uint8)
    if not mirrored:
        return picture, points
    swapped = points.copy()
    for left_ids, right_ids in zip(LIDS[0], LIDS[1], strict=True):  # the image-right eye's lines
        swapped[list(right_ids)] = points[list(left_ids)]
    swapped[33] = points[263]
    swapped[:, 0] = SIZE[1] - 1 - swapped[:, 0]
    return np.ascontiguousarray(picture[:, ::-1]), swapped


def _blinked(picture: np.ndarray, points: np.ndarray, mirrored: bool = False) -> np.ndarray:
    """The picture with the far eye closed: drawn through the lowered lid, then painted;
    `mirrored` pictures are given back unmirrored."""
    grid_y, grid_x = np.mgrid[0:SIZE[0], 0:SIZE[1]].astype(np.float32)
    map_y = grid_y.copy()
    covers = move_lids(map_y, points, (1.0, 0.0) if mirrored else (0.0, 1.0), np.zeros(2), SIZE)
    region = cv2.remap(picture, grid_x, map_y, cv2.INTER_LINEAR)
    paint_lids(region, covers)
    return np.ascontiguousarray(region[:, ::-1]) if mirrored else region


@pytest.mark.parametrize("mirrored", [False, True], ids=["turned-left", "turned-right"])
def test_a_far_eye_behind_the_nose_paints_no_lid_over_the_nose(mirrored):
    picture, points = _turned_face(mirrored)
    closed = _blinked(picture, points, mirrored)
    picture = _turned_face()[0]
    # The nose from its ridge on, through the eye's rows, as it was (old: a lid of the
    # shaded skin's tone painted over it, up to 86 grey levels darker than the lit nose).
    nose = (slice(int(MIDDLE - 10), int(MIDDLE + 6)), slice(int(RIDGE_X), int(RIGHT) + 3))
    change = np.abs(closed[nose].astype(float) - picture[nose].astype(float)) @ LUMA
    assert float(change.max()) < 4.0, change.max()


@pytest.mark.parametrize("mirrored", [False, True], ids=["turned-left", "turned-right"])
def test_a_far_eye_beside_the_nose_closes_in_its_own_skin(mirrored):
    closed = _blinked(*_turned_face(mirrored), mirrored)
    # What the picture shows of the eye (the nose's outline to the outer corner) is closed:
    # no white left, and the lid is the shaded skin round that eye, not the lit nose beside it.
    shown = closed[int(MIDDLE - 2):int(MIDDLE + 3), int(LEFT) + 5:int(OUTLINE_X)].reshape(-1, 3).astype(float)
    assert not (np.linalg.norm(shown - WHITE, axis=1) < np.linalg.norm(shown - SKIN, axis=1)).any()
    lid = float(np.median(shown @ LUMA))
    assert abs(lid - np.dot(SKIN, LUMA)) < abs(lid - np.dot(NOSE, LUMA)), lid
    # Beside the nose, too, the lid is that eye's skin, as pale as it is farther out (old:
    # the lit nose's tone, read with the lid's, came onto it there, 11 grey levels paler).
    rows = slice(int(MIDDLE - 2), int(MIDDLE + 1))
    beside = float(np.median(closed[rows, int(OUTLINE_X) - 4:int(OUTLINE_X)].reshape(-1, 3) @ LUMA))
    farther = float(np.median(closed[rows, int(LEFT) + 6:int(LEFT) + 12].reshape(-1, 3) @ LUMA))
    assert beside - farther < 6.0, (beside, farther)
