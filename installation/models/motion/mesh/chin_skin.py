"""The skin of the lower face, spread evenly between the lips and the jaw where a wide-open
mouth folds it: the first way easing (easing.py) tries, so the chin keeps the visitor's drop."""

from __future__ import annotations

import numpy as np

from .folds import triangle_areas as _signed_areas  # (x, y) points: signed areas
from .least_step import SPREAD_HALVINGS
from .named_points import FACE_OVAL, LOWER_OUTER_LIP

# The face mesh's own points (the rig adds points round the head after them).
FACE_POINTS = 468


def _crossing(across: np.ndarray, line: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where the polyline `line` (its points in order, as (across, down)) crosses each of the
    lines down the face at `across`, as weights over the line's points (a segment's two ends
    share it) and how far down it lies there: the lowest crossing where it crosses more than
    once, the nearer end where it does not reach so far across."""
    start, end = line[:-1], line[1:]
    low, high = np.minimum(start[:, 0], end[:, 0]), np.maximum(start[:, 0], end[:, 0])
    width = end[:, 0] - start[:, 0]
    share = (across[:, None] - start[None, :, 0]) / np.where(np.abs(width) > 1e-9, width, 1e-9)[None]
    share = np.clip(share, 0.0, 1.0)
    down = start[None, :, 1] + share * (end - start)[None, :, 1]
    spans = (across[:, None] >= low[None]) & (across[:, None] <= high[None])
    rows = np.arange(len(across))
    segment = np.argmax(np.where(spans, down, -np.inf), axis=1)
    at = share[rows, segment]
    beyond = ~spans.any(axis=1)
    first = np.abs(across - line[0, 0]) < np.abs(across - line[-1, 0])
    segment[beyond] = np.where(first[beyond], 0, len(line) - 2)
    at[beyond] = np.where(first[beyond], 0.0, 1.0)
    weights = np.zeros((len(across), len(line)))
    weights[rows, segment] = 1.0 - at
    weights[rows, segment + 1] += at
    return weights, weights @ line[:, 1]


class ChinSkin:
    """Of the portrait's points at rest (`src`) and the triangles easing checks (their signs at
    rest and the least area each may keep), the skin of the lower face and how it is spread.
    `neighbours`: per point, which points share a triangle edge with it; `lip_points` and
    `jaw_points` (the jaw line, in order) bound the skin."""

    def __init__(self, src: np.ndarray, checked_triangles: np.ndarray, rest_sign: np.ndarray, min_area: np.ndarray,
                 neighbours: np.ndarray, lip_points: np.ndarray, jaw_points: np.ndarray) -> None:
        self.src = src
        self._checked_triangles = checked_triangles
        self._rest_sign = rest_sign
        self._min_area = min_area
        self._neighbours = neighbours
        self._lip_points = lip_points
        self._jaw_points = jaw_points
        self._skin = self._spread_evenly()

    def _spread_evenly(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The skin of the lower face, across the jaw's whole width: its points (under the
        lower lip, and beside the mouth under the line through its corners; above the jaw
        line; neither lip, jaw line nor the face's edge), how each moves when the skin is
        spread evenly between the lips, the jaw line and the cheek beside the mouth (a matrix
        over all points' moves: between the corners down the face from the lip to the jaw,
        beside them as their neighbours move, the points round the skin keeping their own
        moves), and per checked triangle whether it has a corner there.

        (The skin was spread only between the mouth corners, down the face from the lip to
        the jaw. On a sitter turned 20-30 degrees the far side's lower face, beside the
        corner, is seen nearly edge-on and a wide-open mouth folds it there, outside that
        strip; what was left to ease dragged the jaw line down by the lip's drop: the chin
        fell 0.05-0.08 face heights further than the visitor's, and jumped as it began.)"""
        src = self.src[:FACE_POINTS]
        line = src[291] - src[61]
        down = np.array([-line[1], line[0]]) / max(float(np.linalg.norm(line)), 1e-9)
        if np.dot(src[152] - src[0], down) < 0:
            down = -down
        placed = src @ np.column_stack([[down[1], -down[0]], down])  # (across, down)
        lip, jaw = np.array(LOWER_OUTER_LIP), self._jaw_points
        # (Beside the mouth the lip's crossing is its nearer corner: the line through the corners.)
        on_lip, lip_down = _crossing(placed[:, 0], placed[lip])
        on_jaw, jaw_down = _crossing(placed[:, 0], placed[jaw])
        corners, ends = np.sort(placed[[61, 291], 0]), np.sort(placed[[jaw[0], jaw[-1]], 0])
        under = (placed[:, 1] > lip_down) & (placed[:, 1] < jaw_down) \
            & (placed[:, 0] > ends[0]) & (placed[:, 0] < ends[1])
        under[np.concatenate([self._lip_points, jaw, np.array(FACE_OVAL)])] = False
        between = under & (placed[:, 0] > corners[0]) & (placed[:, 0] < corners[1])
        strip, beside = np.flatnonzero(between), np.flatnonzero(under & ~between)
        # Between the corners, each point moves as the lip and the jaw do where the line down
        # the face through it crosses them, weighted by how near each it lies.
        towards_jaw = (placed[strip, 1] - lip_down[strip]) / np.maximum(jaw_down[strip] - lip_down[strip], 1e-9)
        down_the_face = np.zeros((len(strip), len(self.src)))
        down_the_face[:, lip] = (1.0 - towards_jaw)[:, None] * on_lip[strip]
        down_the_face[:, jaw] = towards_jaw[:, None] * on_jaw[strip]
        # Beside them, each point moves as its neighbours do, weighted so that at rest they put
        # it where it lies (mean value coordinates): solved for all those points at once from
        # the moves round them, the strip's as spread (a harmonic spread). Where the skin round
        # them moves alike (dropped, squeezed or turned evenly), so do they, and nothing folds.
        weights = self._mean_value_weights(beside)
        spread_first = np.eye(len(self.src))
        spread_first[strip] = down_the_face
        around = weights.copy()
        around[:, beside] = 0.0
        harmonic = np.linalg.solve(np.eye(len(beside)) - weights[:, beside], around @ spread_first) \
            if len(beside) else np.zeros((0, len(self.src)))
        points = np.concatenate([strip, beside])
        spread = np.concatenate([down_the_face, harmonic])
        return points, spread, np.isin(self._checked_triangles, points).any(axis=1)

    def _mean_value_weights(self, points: np.ndarray) -> np.ndarray:
        """Per point, its neighbours' mean value coordinates at rest (a row over all points):
        positive weights summing to 1 whose mean of the neighbours' rest positions is the
        point's own (Floater's)."""
        weights = np.zeros((len(points), len(self.src)))
        for row, point in enumerate(points):
            ring = np.flatnonzero(self._neighbours[point])
            offsets = self.src[ring] - self.src[point]
            ring, offsets = ring[np.argsort(np.arctan2(offsets[:, 1], offsets[:, 0]))], \
                offsets[np.argsort(np.arctan2(offsets[:, 1], offsets[:, 0]))]
            lengths = np.maximum(np.linalg.norm(offsets, axis=1), 1e-9)
            following = np.roll(offsets, -1, axis=0)
            angles = np.arctan2(offsets[:, 0] * following[:, 1] - offsets[:, 1] * following[:, 0],
                                (offsets * following).sum(axis=1))  # to the next neighbour round
            half = np.tan(np.clip(angles, 0.0, np.pi - 1e-6) / 2.0)
            share = (half + np.roll(half, 1)) / lengths
            weights[row, ring] = share / max(float(share.sum()), 1e-12)
        return weights

    def spread(self, dst: np.ndarray, bad: np.ndarray) -> np.ndarray:
        """Where a wide-open mouth folds the skin under the lower lip or beside the mouth (the
        lip drops about twice as far as the chin, and the visitor's own skin just under it is
        squeezed to almost nothing), that skin is spread between the lips and the jaw as
        little as will do: each point moves the least share of the way, from the visitor's
        move to the one it has spread (_spread_evenly), that unfolds it (no jump as a fold
        comes). The chin keeps the visitor's own drop. (The folds were eased by moving the
        skin as the lip moves, down to the chin: the chin dropped as far as the lip, twice the
        visitor's, and a beard or the lower cheeks were drawn into vertical streaks.)
        `bad`: per checked triangle, whether it folds in `dst`; `dst` itself where none here does."""
        points, spread, touches = self._skin
        if not len(points) or not bad[touches].any():
            return dst
        moves = dst - self.src
        even = spread @ moves
        triangles = self._checked_triangles[touches]
        rest_sign, least = self._rest_sign[touches], self._min_area[touches]

        def spread_by(share: float) -> np.ndarray:
            tried = dst.copy()
            tried[points] += share * (even - moves[points])
            return tried

        def folds(tried: np.ndarray) -> bool:
            return bool((_signed_areas(tried, triangles) * rest_sign < least).any())

        if folds(spread_by(1.0)):
            return spread_by(1.0)  # (the other ways see to the rest)
        low, high = 0.0, 1.0
        for _ in range(SPREAD_HALVINGS):
            middle = 0.5 * (low + high)
            low, high = (low, middle) if not folds(spread_by(middle)) else (middle, high)
        return spread_by(high)
