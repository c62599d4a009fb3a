"""How a quiz item is framed (build time): aligned FFHQ-style at SIDE px by the face stack,
then each pair cut to the largest square that both its pictures fill and that holds both
faces whole, so neither the repeated edge of the frame nor the page round a scanned print
is published. quiz_content.py chooses and makes the items; this is the geometry it cuts
them by, apart so a change to the one need not touch the other.
"""

from __future__ import annotations

import cv2
import numpy as np

from ..face.measures import alignment
from .faceframe import training_frame

SIDE = 1024  # the aligned frame (px); published items are shrunk 2:1 from a square cut of it
# Outside the source picture the frame repeats its edge: reflection (the training frames')
# puts mirrored half-faces at the sides, which a visitor would read as a generator's error.
# What is repeated is cut away before publishing (pair_window).
BORDER = cv2.BORDER_REPLICATE
# The book portraits are cut close round the head, so the aligned frame often reaches past
# them: the repeated edge showed as streaks down one side and a pale wedge along the bottom
# in 9 of the 20 items (both kinds alike, so no giveaway; but a visitor reads streaks in a
# photograph as a fault, and the quiz is about reading faults). Each pair is cut to the
# largest square, on this grid (frame pixels; half that once shrunk), that both its pictures
# fill and that holds both faces whole: one window for the two, so a pair still matches in
# pose, size and crop.
WINDOW_GRID = 16
# How far (frame pixels) the warp's Lanczos filter and the 2:1 shrink reach: a pixel this
# close to the repeated edge already carries some of it.
EDGE_REACH = 8
# The page a print is scanned on, and the white bands the book portraits are set in, are
# this white or whiter in every channel (a print's own highlights rarely are, and never
# over a region joined to the picture's edge).
PAGE_WHITE = 248
# What a window must hold whole: brows, eyes, nose and lips (face mesh points), with this
# share of the frame round them. Not the chin or the cheeks' outline: a book portrait may
# itself cut them (and a turned face's far cheek spans the frame).
FACE_CORE = (70, 300, 33, 263, 1, 61, 291, 17)
FACE_MARGIN = 0.04
# A source whose window would be smaller than this (frame pixels; half once shrunk) is
# passed over, as is a pair whose joint window would be: the face would nearly fill it.
MIN_WINDOW = 768


def filled(image: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    """Where the aligned frame of `image` shows the photograph itself rather than the
    repeated edge or the page round it (bool, SIDE x SIDE), EDGE_REACH inside."""
    picture = (~page_margin(image)).astype(np.uint8) * 255
    shown = training_frame(np.dstack([picture] * 3), landmarks, SIDE, border=cv2.BORDER_CONSTANT)
    inside = (shown[..., 0] >= 250).astype(np.uint8)
    kernel = np.ones((2 * EDGE_REACH + 1, 2 * EDGE_REACH + 1), np.uint8)
    return cv2.erode(inside, kernel, borderType=cv2.BORDER_CONSTANT, borderValue=1) > 0


def page_margin(image: np.ndarray) -> np.ndarray:
    """The blank page round a scanned print (bool): white (PAGE_WHITE or more in every
    channel) and joined to the picture's edge. The book portraits sit on bands of it, and a
    print set askew leaves wedges; shown, they read as the picture's edge."""
    white = (image.min(axis=2) >= PAGE_WHITE).astype(np.uint8)
    count, labels = cv2.connectedComponents(white, connectivity=4)
    edge = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    return np.isin(labels, edge[edge > 0]) if count > 1 else np.zeros(image.shape[:2], bool)


def face_box(landmarks: np.ndarray) -> tuple[float, float, float, float]:
    """The extent of the face's features (FACE_CORE) in the aligned frame (x0, y0, x1, y1),
    with FACE_MARGIN."""
    m = alignment(landmarks, SIDE)
    points = landmarks[list(FACE_CORE), :2] @ m[:, :2].T + m[:, 2]
    margin = FACE_MARGIN * SIDE
    (x0, y0), (x1, y1) = points.min(0) - margin, points.max(0) + margin
    return float(x0), float(y0), float(x1), float(y1)


def pair_window(masks: list[np.ndarray], boxes: list[tuple[float, float, float, float]]) -> tuple[int, int, int] | None:
    """(x, y, side) of the largest square, on the WINDOW_GRID, that every mask fills and that
    holds every box; of those, the one nearest the faces' centre. None if there is none
    (a face that itself reaches past its picture)."""
    bad = (~np.logical_and.reduce(masks)).astype(np.uint8)
    total = cv2.integral(bad, sdepth=cv2.CV_32S)
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[2] for b in boxes)
    y1 = max(b[3] for b in boxes)
    centre = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
    for side in range(SIDE, 0, -WINDOW_GRID):
        # top-left corners, on even pixels (the 2:1 shrink keeps its phase), that hold the box
        xs = np.arange(max(0, int(np.ceil(x1)) - side), min(int(np.floor(x0)), SIDE - side) + 1)
        ys = np.arange(max(0, int(np.ceil(y1)) - side), min(int(np.floor(y0)), SIDE - side) + 1)
        xs, ys = xs[xs % 2 == 0], ys[ys % 2 == 0]
        if not len(xs) or not len(ys):
            continue
        x, y = np.meshgrid(xs, ys)
        covered = total[y + side, x + side] - total[y, x + side] - total[y + side, x] + total[y, x]
        good = covered == 0
        if good.any():
            offsets = np.hypot(x + side / 2 - centre[0], y + side / 2 - centre[1])
            best = np.unravel_index(np.argmin(np.where(good, offsets, np.inf)), good.shape)
            return int(x[best]), int(y[best]), side
    return None


def window_fits(frames: list[tuple[np.ndarray, tuple]]) -> bool:
    """Whether the (filled mask, face box) of one picture, or of a pair, leaves a square of
    MIN_WINDOW or more."""
    window = pair_window([mask for mask, _ in frames], [box for _, box in frames])
    return window is not None and window[2] >= MIN_WINDOW
