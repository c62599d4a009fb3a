"""Easing folds out of the moved mesh, before anything is drawn.

Where the visitor's motion would turn a triangle of the portrait's face over (a smile
pushing the cheek against the nose, a wide-open mouth squeezing the band under the lower
lip on a turned sitter), a warp would show the picture mirrored there. Only the triangles
that may not fold are checked: eye and mouth openings may close to nothing, the face's
edge may fold as the head turns (drawn back to front instead), and slivers of the rest
triangulation are left alone. What folds is eased out by moving as little as will do.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

from .folds import triangle_areas as _signed_areas  # (x, y) points: signed areas
from .rig import FACE_OVAL, INNER_LIPS, JAW_LINE, LOWER_INNER_LIP, LOWER_OUTER_LIP, UPPER_INNER_LIP, UPPER_OUTER_LIP

# Slivers of the rest-pose triangulation (a tenth of a typical face triangle or less: the
# nose wing, the eye corners) may fold: where a smile pushes the cheek against the nose a
# real face folds there too, and the warper draws triangles back to front. Easing them
# back cost whole expressions (a wide smile lost a quarter of its opening on a long face).
SLIVER_SHARE = 0.00015  # of the face height squared

# Where easing a fold would squeeze a lip thinner than this share of its thickness at rest,
# its inner edge gives way instead (the mouth opens a little less there): a lip squeezed to
# a line, or past it, read as no lip at all round a black hole.
KEPT_LIP = 0.4
# Steps of each way of easing a fold out (unfold), before the next is tried.
UNFOLD_STEPS = 8
# Steps of all the ways together in one frame (UNFOLD_STEPS of each of up to twelve would be 96),
# before the whole motion is eased back (5 in _unfold): each step is a fifth to a third of a
# millisecond, and a frame that took 97 of them was a visible hitch in a live portrait. (The
# worst frames of a wide-open mouth on turned sitters took 43-64; the most of them usually 35-45.)
MOST_STEPS = 64
# Halvings of the search for how much of the chin's skin is spread evenly (_chin_skin_spread),
# and for how far each step of easing moves its corners (_least_step).
SPREAD_HALVINGS = 7
# The shares of its way each step of easing may move (as fine as SPREAD_HALVINGS halvings).
SHARES = np.linspace(0.0, 1.0, 2 ** SPREAD_HALVINGS + 1)
# The face mesh's own points (the rig adds points round the head after them).
FACE_POINTS = 468


def _areas_along(points: np.ndarray, way: np.ndarray, triangles: np.ndarray) -> np.ndarray:
    """The triangles' signed areas (as triangle_areas) with the points moved each share in
    SHARES of their `way`: shares x triangles. (Each is a quadratic in the share.)"""
    corner, step = points[triangles], way[triangles]  # triangles x their 3 corners x (x, y)
    u, v = corner[:, 1] - corner[:, 0], corner[:, 2] - corner[:, 0]
    du, dv = step[:, 1] - step[:, 0], step[:, 2] - step[:, 0]

    def cross(p: np.ndarray, q: np.ndarray) -> np.ndarray:
        return p[:, 0] * q[:, 1] - p[:, 1] * q[:, 0]

    constant, linear, square = cross(u, v), cross(u, dv) + cross(du, v), cross(du, dv)
    return 0.5 * (constant[None] + SHARES[:, None] * (linear[None] + SHARES[:, None] * square[None]))


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


class FoldEasing:
    """`checked`: per triangle, whether it must keep its orientation and a tenth of its area;
    `rest`: each triangle's signed area at rest (`src`, the portrait's own points)."""

    def __init__(self, src: np.ndarray, triangles: np.ndarray, checked: np.ndarray, rest: np.ndarray,
                 jaw_edge: np.ndarray | None = None) -> None:
        self.src = src
        self.triangles = triangles
        self.checked = checked
        # The face's own triangles along the jaw line (`jaw_edge`, per triangle): the chin
        # must not be pushed out past them (_jaw_around_the_chin).
        edge = np.zeros(len(triangles), bool) if jaw_edge is None else jaw_edge
        self._jaw_triangles = triangles[edge]
        self._jaw_rest_sign = np.sign(rest[edge])
        self._jaw_points = np.array(JAW_LINE)
        # Only the checked triangles are measured each frame.
        self._checked_triangles = triangles[checked]
        self._rest_sign = np.sign(rest[checked])
        self._min_area = 0.1 * np.abs(rest[checked])
        self.eased = 0  # frames that had a fold to ease
        self.steps = 0  # the easing steps the last frame took (at most MOST_STEPS)

    @cached_property
    def _chin_skin(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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

    def _chin_skin_spread(self, dst: np.ndarray, bad: np.ndarray) -> np.ndarray:
        """Where a wide-open mouth folds the skin under the lower lip or beside the mouth (the
        lip drops about twice as far as the chin, and the visitor's own skin just under it is
        squeezed to almost nothing), that skin is spread between the lips and the jaw as
        little as will do: each point moves the least share of the way, from the visitor's
        move to the one it has spread (_chin_skin), that unfolds it (no jump as a fold
        comes). The chin keeps the visitor's own drop. (The folds were eased by moving the
        skin as the lip moves, down to the chin: the chin dropped as far as the lip, twice the
        visitor's, and a beard or the lower cheeks were drawn into vertical streaks.)"""
        points, spread, touches = self._chin_skin
        if not len(points) or not bad[self.checked][touches].any():
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

    @cached_property
    def _fold_test(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The checked triangles, their signs at rest and the least area each may keep."""
        return self._checked_triangles, self._rest_sign, self._min_area

    @cached_property
    def _neighbours(self) -> np.ndarray:
        return self._neighbour_mean > 0

    def _lips_right_way_up(self, dst: np.ndarray) -> np.ndarray:
        """Where smoothing left a lip thinner than KEPT_LIP of its thickness at rest (or
        turned it inside out), its inner edge is moved back to keep that much: the mouth
        opens a little less there instead."""
        copied = False
        for outer, inner, outwards, rest in self._lip_rows:
            now = (dst[outer] - dst[inner]) @ outwards
            short = now < KEPT_LIP * rest
            if short.any():
                if not copied:  # (the caller's points are left as they were)
                    dst, copied = dst.copy(), True
                dst[inner[short]] -= outwards * (KEPT_LIP * rest[short] - now[short])[:, None]
        return dst

    @cached_property
    def _lip_rows(self) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], ...]:
        """Per lip (upper, lower): its outer and inner edges, point facing point (corners left
        out), the direction out of the mouth, and its thickness at rest along it. Thickness
        is read across the mouth line (a lip's paired points are not straight across from
        each other towards its corners); all of it fixed by the portrait, so made once."""
        line = self.src[291] - self.src[61]
        down = np.array([-line[1], line[0]]) / max(float(np.linalg.norm(line)), 1e-9)
        if np.dot(self.src[17] - self.src[0], down) < 0:  # from the upper lip's top to the lower's foot
            down = -down
        rows = []
        for (outer, inner), outwards in zip(((UPPER_OUTER_LIP, UPPER_INNER_LIP), (LOWER_OUTER_LIP, LOWER_INNER_LIP)),
                                            (-down, down), strict=True):
            outer, inner = np.array(outer[1:-1]), np.array(inner[1:-1])
            rest = np.maximum((self.src[outer] - self.src[inner]) @ outwards, 1.0)
            rows.append((outer, inner, outwards, rest))
        return tuple(rows)

    def _corners(self, bad: np.ndarray, free: np.ndarray | None = None) -> np.ndarray:
        """The corners of the `bad` checked triangles (only those `free` marks, where given), in
        order: as np.unique and np.setdiff1d give them, at a tenth of their cost (a wide-open
        mouth asks up to 72 times a frame: a fifth of its easing, spread or not)."""
        corners = np.zeros(len(self.src), bool)
        corners[self._checked_triangles[bad].ravel()] = True
        return np.flatnonzero(corners if free is None else corners & free)

    @cached_property
    def _off_lips(self) -> np.ndarray:
        off = np.ones(len(self.src), bool)
        off[self._lip_points] = False
        return off

    @cached_property
    def _lip_points(self) -> np.ndarray:
        return np.array(sorted(set(INNER_LIPS) | set(UPPER_OUTER_LIP) | set(LOWER_OUTER_LIP)))

    @cached_property
    def _neighbour_mean(self) -> np.ndarray:
        """The mean over each point's mesh neighbours, as a matrix (points x points; some
        500 points: dense is smaller than the code a sparse one would need)."""
        edges = np.concatenate([self.triangles[:, [a, b]] for a, b in ((0, 1), (1, 2), (2, 0))])
        edges = np.unique(np.concatenate([edges, edges[:, ::-1]]), axis=0)
        n = len(self.src)
        mean = np.zeros((n, n))
        mean[edges[:, 0], edges[:, 1]] = 1.0
        mean /= np.maximum(mean.sum(axis=1, keepdims=True), 1.0)
        return mean

    def folded(self, dst: np.ndarray) -> np.ndarray:
        areas = _signed_areas(dst, self._checked_triangles)
        return self._check_map(areas * self._rest_sign < self._min_area)

    def _check_map(self, bad_checked: np.ndarray) -> np.ndarray:
        bad = np.zeros(len(self.checked), bool)
        bad[self.checked] = bad_checked
        return bad

    def unfold(self, dst: np.ndarray) -> np.ndarray:
        """The moved points with folds eased out (_unfold), and the jaw line around the chin
        (_jaw_around_the_chin)."""
        return self._jaw_around_the_chin(self._unfold(dst))

    def _jaw_around_the_chin(self, dst: np.ndarray) -> np.ndarray:
        """Where the chin's skin was moved out past the jaw line (easing a squeezed chin
        moves it as far as the lip above it; so may a visitor's own chin), the jaw line
        moves with it, as its farthest-moved neighbour does. Left behind, the triangles
        between them turned over and were not drawn: what lies under the jaw, which stays
        put (under_jaw.py), showed through a notch in the chin."""
        if not len(self._jaw_triangles):
            return dst
        copied = False
        for _ in range(UNFOLD_STEPS):
            turned = _signed_areas(dst, self._jaw_triangles) * self._jaw_rest_sign <= 0
            if not turned.any():
                break
            corners = np.intersect1d(np.unique(self._jaw_triangles[turned]), self._jaw_points)
            if not copied:  # (the caller's points are left as they were)
                dst, copied = dst.copy(), True
            moves = dst - self.src
            size = np.where(self._neighbours[corners], np.linalg.norm(moves, axis=1)[None, :], -1.0)
            farthest = moves[np.argmax(size, axis=1)]
            further = np.linalg.norm(farthest, axis=1) > np.linalg.norm(moves[corners], axis=1)
            if not further.any():
                break
            dst = self._least_step(dst, corners[further], farthest[further], self._jaw_triangles,
                                   self._jaw_rest_sign, np.zeros(len(self._jaw_triangles)), in_place=True)[0]
        return dst

    def _least_step(self, dst: np.ndarray, corners: np.ndarray, moves: np.ndarray, triangles: np.ndarray,
                    rest_sign: np.ndarray, least: np.ndarray, in_place: bool = False,
                    kept: tuple[np.ndarray, np.ndarray] | None = None,
                    pushed: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """`dst` with `corners` moved the least share of the way to the `moves` (from rest) that
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
        took the lip's whole drop, neighbour by neighbour, and dragged the jaw line down.)"""
        way = np.zeros_like(dst)
        way[corners] = self.src[corners] + moves - dst[corners]
        moved = np.zeros(len(self.src), bool)
        moved[corners] = True
        allowed = np.ones(len(SHARES), bool)
        if kept is not None:
            near = moved[kept[0]].any(axis=1)
            turned = (_areas_along(dst, way, kept[0][near]) * kept[1][near] <= 0).any(axis=1)
            allowed = np.cumsum(turned) == 0  # (up to the first share that turns one over)
            allowed[0] = True
        near = moved[triangles].any(axis=1)
        short = np.maximum(least[near] - _areas_along(dst, way, triangles[near]) * rest_sign[near], 0.0).sum(axis=1)
        unfolded = allowed & (short <= 0.0)
        if unfolded.any():
            share = SHARES[np.argmax(unfolded)]
        else:
            share = SHARES[allowed][-1] if pushed else SHARES[allowed][np.argmin(short[allowed])]
        tried = dst if in_place else dst.copy()
        tried[corners] += share * way[corners]
        return tried, near

    def _unfold(self, dst: np.ndarray) -> np.ndarray:
        """Ease folding triangles out, touching only their own corners while that is
        enough (a sliver by the nose must not flatten the whole expression), in turn:
        0. the skin of the lower face, under the lower lip and beside the mouth across the
           jaw's whole width, is spread between the lips and the jaw, as little as will do
           (_chin_skin_spread): the chin keeps the visitor's drop; what still folds is eased
           off the lips (1, 2) without turning the jaw line's triangles over (_jaw_kept), then
           lips too (3, 4), then pushed off the lips (1, 2), then 5, each from where the last
           left off; where nothing was spread, the visitor's own move is eased (1-5);
        1. off the lips, each corner moves as its neighbours do on average;
        2. off the lips, each corner moves as its farthest-moved neighbour;
        3. each corner, lips too, moves as its neighbours do on average;
        4. each corner is eased back towards rest;
        5. the whole motion is eased back.
        Each step moves its corners only the least share of its way that unfolds them, or
        that leaves them least folded (_least_step), so the easing grows with the fold and
        nothing jumps the frame a fold comes. Where a fold is eased, a lip is never left
        thinner than KEPT_LIP of itself: the mouth may open less, but the lip does not turn
        inside out.

        The lips are the expression itself, and the skin around them gives way first. On a
        sitter turned 30 degrees the skin between the far mouth corner and the jaw is seen
        nearly edge-on, and a wide-open mouth folds slivers there; averaged with its
        neighbours first, the lower lip was pulled up into a V, KEPT_LIP then held the
        opening's middle up too, and the lip's colour was stretched down the chin
        (a third of the opening lost on the unseen sitters turned that far).

        (Corners were once eased back towards rest straight away. On a sitter turned 20-30
        degrees a wide-open mouth folds the band under the lower lip; easing pulled the
        lip's outer edge back up while its inner edge kept the jaw's move, the lip turned
        inside out, and the mouth read as a black hole with no lower lip.)"""
        bad = self.folded(dst)
        if not bad.any():
            # (Not floored here: an opening mouth's inner lip edges rightly run ahead of the
            # outer ones, and held to KEPT_LIP the mouth opened too little.)
            return dst
        self.eased += 1
        self.steps = 0
        spread = self._chin_skin_spread(dst, bad)
        if spread is not dst:
            # Spread, the rest is eased off the lips (1, 2), the skin stopping at the jaw line
            # (eased as their farthest-moved neighbours, the spread skin carried the lip's whole
            # drop down past the jaw, and the jaw line, following it (_jaw_around_the_chin),
            # dragged the chin down twice the visitor's); then lips too (3, 4); then, where a
            # fold is left (a turned sitter's far cheek, seen edge-on, squeezed by the lip), the
            # skin is pushed past it, off the lips, each step its whole way where no share eases
            # it, and the jaw line follows only then; and only then is the whole motion eased
            # back (5: it took a third of the mouth's opening and of the smile, where pushing
            # dropped the chin 0.01-0.02 face heights). Each goes on from where the last left
            # off: begun again from the spread, what was let go had a whole fold to ease at
            # once the frame it was let go, and a turned sitter's chin jumped 0.05-0.09 face
            # heights in one frame as the mouth opened past a lip drop of 0.13-0.19.
            spread, unfolded = self._eased(spread, lips_too=False, kept=self._jaw_kept(spread))
            if unfolded:
                return spread
            spread, unfolded = self._eased(spread, lips_too=True, at_last=False)
            if unfolded:
                return spread
            spread, unfolded = self._eased(spread, lips_too=False, pushed=True)
            return spread if unfolded else self._eased(spread, lips_too=True)[0]
        return self._eased(dst, lips_too=True)[0]

    def _jaw_kept(self, dst: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The triangles along the jaw line that `dst` has the right way round, and their
        signs at rest: easing may not turn them over. (Eased off the lips, the skin above the
        jaw took the lip's whole drop, neighbour by neighbour, and went past the jaw line; the
        jaw line followed it (_jaw_around_the_chin), and a turned sitter's chin dropped
        0.05-0.08 face heights further than the visitor's.)"""
        kept = _signed_areas(dst, self._jaw_triangles) * self._jaw_rest_sign > 0
        return self._jaw_triangles[kept], self._jaw_rest_sign[kept]

    def _eased(self, dst: np.ndarray, lips_too: bool,
               kept: tuple[np.ndarray, np.ndarray] | None = None, pushed: bool = False,
               at_last: bool = True) -> tuple[np.ndarray, bool]:
        """`dst` with its folds eased out the ways _unfold lists (1-5, or 1-2 where not
        `lips_too`, or 1-4 where not `at_last`), and whether that left none (else as far as
        they got).
        `kept`: triangles no step may turn over (_jaw_kept); `pushed`: each step goes its whole
        way where no share of it eases the fold (_least_step); `at_last`: with the lips too,
        the whole motion is eased back where ways 1-4 leave a fold (else left as they got)."""
        triangles, rest_sign, least = self._fold_test
        bad = _signed_areas(dst, triangles) * rest_sign < least  # (per checked triangle)
        if not bad.any():
            return self._lips_right_way_up(dst), True
        dst = dst.copy()
        ways = [(self._off_lips, self._as_neighbours), (self._off_lips, self._as_farthest)]
        if lips_too:
            ways += [(None, self._as_neighbours), (None, self._at_rest)]
        for free, way in ways:
            for _ in range(UNFOLD_STEPS):
                corners = self._corners(bad, free=free)
                if not len(corners) or self.steps >= MOST_STEPS:
                    break
                self.steps += 1
                before = dst[corners].copy()
                dst, near = self._least_step(dst, corners, way(dst, corners), triangles, rest_sign, least,
                                             in_place=True, kept=kept, pushed=pushed)
                # (Only the triangles at the moved corners can have changed.)
                bad[near] = _signed_areas(dst, triangles[near]) * rest_sign[near] < least[near]
                if not bad.any():
                    return self._lips_right_way_up(dst), True
                if np.array_equal(dst[corners], before):
                    break  # (the next step would be this one again: nothing this way eases it)
        if not lips_too or not at_last:
            return dst, False
        # The whole motion eased back (at rest nothing folds).
        everything = np.arange(len(self.src))
        return self._lips_right_way_up(self._least_step(dst, everything, np.zeros_like(dst), *self._fold_test,
                                                        kept=kept)[0]), True

    def _as_neighbours(self, dst: np.ndarray, corners: np.ndarray) -> np.ndarray:
        """Each corner's move as its neighbours move on average (ways 1 and 3)."""
        return self._neighbour_mean[corners] @ (dst - self.src)

    def _as_farthest(self, dst: np.ndarray, corners: np.ndarray) -> np.ndarray:
        """Each corner's move as its farthest-moved neighbour's (way 2)."""
        moves = dst - self.src
        size = np.where(self._neighbours[corners], np.linalg.norm(moves, axis=1)[None, :], -1.0)
        return moves[np.argmax(size, axis=1)]

    def _at_rest(self, dst: np.ndarray, corners: np.ndarray) -> np.ndarray:
        """No move: each corner eased back towards rest (way 4)."""
        return np.zeros((len(corners), 2))
