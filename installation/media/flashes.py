"""Counting flashes in rendered frames (WCAG 2.3.1, "Three Flashes or Below Threshold").

WCAG's general-flash test: a flash is a pair of opposing changes in relative luminance of
10 % or more of the maximum, where the darker state is below 0.80, over an area larger
than about a quarter of the central 10 degrees of vision (341 x 256 px of a 1024 x 768
screen at a typical distance: about a ninth of the screen's area). No more than three
flashes may happen in any one second.

The frame is cut into a 3 x 3 grid of regions (each about a ninth of the picture, the
area WCAG names) and a 2 x 2 grid offset by half a region, so a flashing patch that
straddles region borders is still seen. Each region's mean relative luminance is
followed through time with hysteresis: a change counts once the luminance has moved 0.1
from the last turning point (so slow drifts and noise never count, and a dissolve from
light to dark is one change, not a flash).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

CHANGE = 0.10  # relative luminance change that counts (WCAG: 10 % of the maximum)
DARK = 0.80  # the darker state must be below this for a change to count
MAX_PER_SECOND = 3


def relative_luminance(rgb: np.ndarray) -> np.ndarray:
    """WCAG's relative luminance (0..1) of sRGB uint8 pixels."""
    c = rgb.astype(np.float32) / 255.0
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return lin[..., 0] * 0.2126 + lin[..., 1] * 0.7152 + lin[..., 2] * 0.0722


def region_means(rgb: np.ndarray) -> np.ndarray:
    """Mean relative luminance of each flash-sized region (3x3 grid, and a 2x2 grid offset
    by half a region)."""
    lum = relative_luminance(rgb)
    h, w = lum.shape
    out = []
    for n, offset in ((3, 0.0), (2, 1 / 6)):
        size_y, size_x = h / 3, w / 3
        for i in range(n):
            for j in range(n):
                y0, x0 = int(h * offset + i * size_y), int(w * offset + j * size_x)
                out.append(float(lum[y0 : int(y0 + size_y), x0 : int(x0 + size_x)].mean()))
    return np.array(out)


def changes(series: np.ndarray) -> list[int]:
    """Frame indices where the luminance has turned by CHANGE since the last turning point
    (with the darker side below DARK)."""
    out: list[int] = []
    if len(series) == 0:
        return out
    low = high = float(series[0])
    direction = 0  # +1 rising from `low`, -1 falling from `high`
    for t, v in enumerate(map(float, series)):
        if direction >= 0:
            high = max(high, v)
            if high - v >= CHANGE and v < DARK:
                out.append(t)
                direction, low = -1, v
                continue
        if direction <= 0:
            low = min(low, v)
            if v - low >= CHANGE and low < DARK:
                out.append(t)
                direction, high = 1, v
    return out


def most_flashes_per_second(frames: Iterable[np.ndarray], fps: float) -> float:
    """The most flashes (pairs of opposing changes) any region shows within one second."""
    series = np.array([region_means(f) for f in frames])
    if len(series) == 0:
        return 0.0
    window = max(1, round(fps))
    worst = 0.0
    for r in range(series.shape[1]):
        times = np.array(changes(series[:, r]))
        if len(times) < 2:
            continue
        # Changes inside any one-second window; a flash is two of them.
        counts = np.searchsorted(times, times + window, side="left") - np.arange(len(times))
        worst = max(worst, float(counts.max()) / 2)
    return worst
