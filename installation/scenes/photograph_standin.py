"""The drawing that stands in for the photograph while the print is not installed."""

from __future__ import annotations

import numpy as np

from ..imaging import paper_texture


def draw_standin(size: tuple[int, int]) -> np.ndarray:
    """An ink drawing of the photograph's scene on salted paper: the man slumped against
    the wall, eyes closed, arms folded, a sheet over his legs, his hat on the wall and a
    jug and statuette beside him. It is plainly a drawing, captioned as one (never with
    the print's credit), so visitors can follow the text while the print is not installed."""
    import cv2

    width, height = size
    image = paper_texture(size, seed=1840).astype(np.float32)
    ink = np.zeros((height, width), np.float32)
    s = width / 1200.0

    def P(x, y):
        return (round(x * width), round(y * height))

    def line(points, t=2.2):
        pts = np.array([P(x, y) for x, y in points], np.int32)
        cv2.polylines(ink, [pts], False, 1.0, max(1, round(t * s)), lineType=cv2.LINE_AA)

    def curve(a, c, b, t=2.2, n=24):
        u = np.linspace(0, 1, n)[:, None]
        pts = (1 - u) ** 2 * np.array(a) + 2 * (1 - u) * u * np.array(c) + u ** 2 * np.array(b)
        line(pts, t)

    def oval(cx, cy, rx, ry, angle=0, a0=0, a1=360, t=2.2):
        cv2.ellipse(ink, P(cx, cy), (round(rx * width), round(ry * height)), angle, a0, a1, 1.0,
                    max(1, round(t * s)), lineType=cv2.LINE_AA)

    def hatch(x0, y0, x1, y1, step=0.012, t=1.0):
        for k in np.arange(0, (x1 - x0) + (y1 - y0), step):
            line([(x0 + k, y0), (x0 + k - (y1 - y0), y1)], t)

    # Shadow behind the figure, hatched (drawn first, then kept inside its box).
    hatch(0.06, 0.06, 0.30, 0.68)
    x0, y0 = P(0.06, 0.06)
    x1, y1 = P(0.30, 0.68)
    keep = np.zeros_like(ink)
    keep[y0:y1, x0:x1] = 0.45  # the hatching stays inside the shadow, lighter than the lines
    ink *= keep
    # The room: a wall with a panel, the floor line.
    line([(0.04, 0.70), (0.96, 0.70)], 1.6)
    line([(0.62, 0.05), (0.62, 0.70)], 1.2)
    # The head, fallen to one side, eyes closed.
    oval(0.33, 0.27, 0.055, 0.095, angle=-18)
    curve((0.285, 0.20), (0.33, 0.13), (0.39, 0.19), 3.0)         # hair
    curve((0.30, 0.25), (0.315, 0.265), (0.33, 0.25), 1.6)        # closed eye
    curve((0.345, 0.24), (0.36, 0.255), (0.372, 0.238), 1.6)      # closed eye
    curve((0.337, 0.26), (0.34, 0.30), (0.33, 0.31), 1.4)         # nose
    curve((0.315, 0.335), (0.33, 0.34), (0.345, 0.33), 1.4)       # mouth
    # Neck and shoulders slumped against the wall; the bare chest.
    curve((0.36, 0.35), (0.40, 0.38), (0.47, 0.37))
    curve((0.30, 0.34), (0.24, 0.38), (0.22, 0.50))
    curve((0.47, 0.37), (0.53, 0.42), (0.54, 0.52))
    curve((0.22, 0.50), (0.23, 0.56), (0.26, 0.60))
    # Arms folded across the lap, hands resting.
    curve((0.26, 0.50), (0.38, 0.56), (0.52, 0.52), 2.6)
    curve((0.27, 0.56), (0.39, 0.61), (0.54, 0.56), 2.6)
    oval(0.53, 0.54, 0.025, 0.022, t=2.0)
    oval(0.27, 0.555, 0.022, 0.02, t=2.0)
    # The sheet drawn over his legs, with its folds.
    curve((0.20, 0.60), (0.45, 0.64), (0.72, 0.62), 2.6)
    curve((0.20, 0.60), (0.14, 0.78), (0.18, 0.93), 2.6)
    curve((0.72, 0.62), (0.79, 0.78), (0.77, 0.93), 2.6)
    line([(0.18, 0.93), (0.77, 0.93)], 2.6)
    for k in range(5):
        x = 0.27 + k * 0.1
        curve((x, 0.64), (x + 0.03, 0.78), (x - 0.01, 0.92), 1.3)
    # On the wall, his hat; beside him, a jug and a small statue.
    oval(0.80, 0.24, 0.06, 0.018, t=2.0)
    oval(0.80, 0.20, 0.035, 0.04, a0=180, a1=360, t=2.0)
    curve((0.81, 0.69), (0.77, 0.59), (0.815, 0.51), 2.0)
    curve((0.87, 0.69), (0.91, 0.59), (0.865, 0.51), 2.0)
    line([(0.815, 0.51), (0.865, 0.51)], 2.0)
    oval(0.93, 0.47, 0.015, 0.025, t=1.8)
    line([(0.93, 0.495), (0.91, 0.69), (0.95, 0.69), (0.93, 0.495)], 1.8)
    ink = np.clip(cv2.GaussianBlur(ink, (0, 0), 0.6 * s), 0, 1)
    sepia = np.array([70, 48, 30], np.float32)
    image = image * (1 - 0.85 * ink[..., None]) + sepia * 0.85 * ink[..., None]
    inset = round(width * 0.03)
    cv2.rectangle(image, (inset, inset), (width - inset, height - inset), (120, 98, 70), 1, lineType=cv2.LINE_AA)
    return np.clip(image, 0, 255).astype(np.uint8)


def empty_mat(size: tuple[int, int]) -> np.ndarray:
    """What hangs while a picture is missing: a plain mat board with the window cut for the
    print outlined in it, as a gallery hangs an empty frame. Light, so it never reads as a
    dark screen; nothing drawn, nothing to misread."""
    import cv2

    width, height = size
    board = (206, 199, 186)
    image = np.empty((height, width, 3), np.uint8)
    image[...] = board
    inset = max(2, width // 10)
    window = (inset, inset), (width - 1 - inset, height - 1 - inset)
    cv2.rectangle(image, *window, (176, 169, 156), max(2, width // 300), lineType=cv2.LINE_AA)
    return image
