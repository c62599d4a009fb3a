"""One step of easing a fold out (easing.py): moving some points the least share of their way
that unfolds the triangles around them."""

from __future__ import annotations

import numpy as np

# Halvings of the search for how far each step of easing moves its corners (least_step), and
# for how much of the chin's skin is spread evenly (chin_skin.py).
SPREAD_HALVINGS = 7
# The shares of its way each step of easing may move (as fine as SPREAD_HALVINGS halvings).
SHARES = np.linspace(0.0, 1.0, 2 ** SPREAD_HALVINGS + 1)


def areas_along(points: np.ndarray, way: np.ndarray, triangles: np.ndarray) -> np.ndarray:
    """The triangles' signed areas (as triangle_areas) with the points moved each share in
    SHARES of their `way`: shares x triangles. (Each is a quadratic in the share.)"""
    corner, step = points[triangles], way[triangles]  # triangles x their 3 corners x (x, y)
    u, v = corner[:, 1] - corner[:, 0], corner[:, 2] - corner[:, 0]
    du, dv = step[:, 1] - step[:, 0], step[:, 2] - step[:, 0]

    def cross(p: np.ndarray, q: np.ndarray) -> np.ndarray:
        return p[:, 0] * q[:, 1] - p[:, 1] * q[:, 0]

    constant, linear, square = cross(u, v), cross(u, dv) + cross(du, v), cross(du, dv)
    return 0.5 * (constant[None] + SHARES[:, None] * (linear[None] + SHARES[:, None] * square[None]))


def least_step(src: np.ndarray, dst: np.ndarray, corners: np.ndarray, moves: np.ndarray, triangles: np.ndarray,
               rest_sign: np.ndarray, least: np.ndarray, in_place: bool = False,
               kept: tuple[np.ndarray, np.ndarray] | None = None,
               pushed: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """`dst` with `corners` moved the least share of the way to the `moves` (from rest, `src`) that
    leaves none of `triangles` (their `rest_sign`) under its `least` area; where no share
    does, the share that leaves them the least short of it (the next step sees to the rest).
    `kept` (triangles, their signs at rest): none of these may turn over, however far short
    of its way that leaves the step. `pushed`: where no share eases the fold, the whole
    way (as far as `kept` allows).

    A fold that comes as the mouth opens is eased by as little as it folds, so nothing
    jumps the frame it comes: moved the whole way at once, a turned sitter's chin took the
    lower lip's whole drop in one frame (0.05-0.09 face heights, while the lip moved
    0.0025) and kept it as the mouth opened wider. (A step that could not ease its fold
    went the whole way, folding the triangles beyond it in turn: the skin above the jaw
    took the lip's whole drop, neighbour by neighbour, and dragged the jaw line down.)

    Also which of `triangles` have a moved corner: only those can have changed."""
    way = np.zeros_like(dst)
    way[corners] = src[corners] + moves - dst[corners]
    moved = np.zeros(len(src), bool)
    moved[corners] = True
    allowed = np.ones(len(SHARES), bool)
    if kept is not None:
        near = moved[kept[0]].any(axis=1)
        turned = (areas_along(dst, way, kept[0][near]) * kept[1][near] <= 0).any(axis=1)
        allowed = np.cumsum(turned) == 0  # (up to the first share that turns one over)
        allowed[0] = True
    near = moved[triangles].any(axis=1)
    short = np.maximum(least[near] - areas_along(dst, way, triangles[near]) * rest_sign[near], 0.0).sum(axis=1)
    unfolded = allowed & (short <= 0.0)
    if unfolded.any():
        share = SHARES[np.argmax(unfolded)]
    else:
        share = SHARES[allowed][-1] if pushed else SHARES[allowed][np.argmin(short[allowed])]
    tried = dst if in_place else dst.copy()
    tried[corners] += share * way[corners]
    return tried, near
