"""Lines and outlines the painted features are drawn along: where a lip or lid line runs at
each column, and a closed outline (the mouth's opening) with its corners rounded. Shared by the
mouth and the lids, so neither reaches into the other's module for its geometry.
"""

from __future__ import annotations

import numpy as np


def curve_through(points: np.ndarray, xs: np.ndarray, outside: float | None = None) -> np.ndarray:
    """The y of a lip or lid line (its points, any order) at each x in `xs`: beyond its ends,
    its end's y, or `outside` where given."""
    order = np.argsort(points[:, 0])
    return np.interp(xs, points[order, 0], points[order, 1], left=outside, right=outside)


def _smoothed(points: np.ndarray, sigma: float) -> np.ndarray:
    """Closed points (complex) smoothed along themselves by a Gaussian of `sigma` points."""
    reach = min(int(np.ceil(3 * sigma)), len(points) - 1)
    weights = np.exp(-0.5 * (np.arange(-reach, reach + 1) / sigma) ** 2)
    return np.convolve(np.concatenate([points[-reach:], points, points[:reach]]), weights / weights.sum(), "valid")


def rounded(polygon: np.ndarray, radius: float, tips: tuple[int, ...] = (),
            ends: tuple[tuple[int, float], ...] = ()) -> np.ndarray:
    """A closed polygon with its corners rounded over about `radius` pixels: resampled every
    pixel or so along its length and smoothed along itself (a Gaussian of that width). Its
    straight or gently curved runs stay where they were, and so do the points `tips` (their
    indices), sharp. `ends`: points (index, radius) round which it is rounded over that larger
    radius instead (a tip among them is not kept sharp)."""
    # (Points as complex numbers, x + iy: each step once for both coordinates, every frame.)
    closed = np.append(polygon[:, 0] + 1j * polygon[:, 1], polygon[0, 0] + 1j * polygon[0, 1])
    along = np.concatenate([[0.0], np.cumsum(np.abs(np.diff(closed)))])
    length = float(along[-1])
    ends = tuple((index, r) for index, r in ends if r > max(radius, 0.5) and length >= 8.0 * r)
    if (radius < 0.5 or length < 8.0 * radius) and not ends:
        return polygon
    count = int(min(160, max(32, length)))
    at = np.linspace(0.0, length, count, endpoint=False)
    points = np.interp(at, along, closed)
    smoothing = radius >= 0.5 and length >= 8.0 * radius
    smooth = _smoothed(points, radius * count / length) if smoothing else points
    tips = tuple(t for t in tips if t not in {index for index, _ in ends})
    if tips and smoothing:  # (unsmoothed, they are where they were)
        apart = np.abs(at[:, None] - along[list(tips)][None, :])
        smooth = smooth + (points - smooth) * np.exp(-(np.minimum(apart, length - apart) / radius) ** 2).max(axis=1)
    for index, r in ends:
        # Over about twice its radius either side of the end, the larger rounding.
        apart = np.abs(at - along[index])
        near = np.exp(-(np.minimum(apart, length - apart) / (2.0 * r)) ** 2)
        smooth = smooth + (_smoothed(points, r * count / length) - smooth) * near
    return np.column_stack([smooth.real, smooth.imag])
