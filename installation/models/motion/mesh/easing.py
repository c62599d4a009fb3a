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

from .chin_skin import ChinSkin
from .folds import triangle_areas as _signed_areas  # (x, y) points: signed areas
from .least_step import least_step
from .named_points import INNER_LIPS, JAW_LINE, LOWER_INNER_LIP, LOWER_OUTER_LIP, UPPER_INNER_LIP, UPPER_OUTER_LIP

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
# Steps of all the ways together in one easing (UNFOLD_STEPS of each of twelve ways would be 96),
# before the whole motion is eased back (5 in _unfold). A step costs a fifth to a third of a
# millisecond and a frame may be eased twice (animator.py): 96 of them would be a visible hitch
# in a live portrait. (The widest mouths on turned sitters took 43-64; the most of them 35-45.)
MOST_STEPS = 64


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
        # Made with the portrait: made in the first frame that folded, they took 12-30 ms more
        # there, as the visitor's mouth first opened wide.
        self._neighbour_mean = self._mean_over_neighbours()
        self._neighbours = self._neighbour_mean > 0
        self._chin = ChinSkin(self.src, self._checked_triangles, self._rest_sign, self._min_area, self._neighbours,
                              self._lip_points, self._jaw_points)

    @cached_property
    def _fold_test(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The checked triangles, their signs at rest and the least area each may keep."""
        return self._checked_triangles, self._rest_sign, self._min_area

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

    def _mean_over_neighbours(self) -> np.ndarray:
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
            before = dst[corners[further]].copy()
            dst = least_step(self.src, dst, corners[further], farthest[further], self._jaw_triangles,
                             self._jaw_rest_sign, np.zeros(len(self._jaw_triangles)), in_place=True)[0]
            if np.array_equal(dst[corners[further]], before):
                # No share of the way unfolds anything (least_step moved nothing): every step
                # after this one would be this one again. (Three in four steps on the shared
                # painting were such repeats: 0.3 ms a frame.)
                break
        return dst

    def _unfold(self, dst: np.ndarray) -> np.ndarray:
        """Ease folding triangles out, touching only their own corners while that is
        enough (a sliver by the nose must not flatten the whole expression), in turn:
        0. the skin of the lower face, under the lower lip and beside the mouth across the
           jaw's whole width, is spread between the lips and the jaw, as little as will do
           (chin_skin.py): the chin keeps the visitor's drop; what still folds is eased
           off the lips (1, 2) without turning the jaw line's triangles over (_jaw_kept), then
           lips too (3, 4), then pushed off the lips (1, 2), then 5, each from where the last
           left off; where nothing was spread, the visitor's own move is eased (1-5);
        1. off the lips, each corner moves as its neighbours do on average;
        2. off the lips, each corner moves as its farthest-moved neighbour;
        3. each corner, lips too, moves as its neighbours do on average;
        4. each corner is eased back towards rest;
        5. the whole motion is eased back.
        Each step moves its corners only the least share of its way that unfolds them, or
        that leaves them least folded (least_step.py), so the easing grows with the fold and
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
        self.steps = 0
        bad = self.folded(dst)
        if not bad.any():
            # (Not floored here: an opening mouth's inner lip edges rightly run ahead of the
            # outer ones, and held to KEPT_LIP the mouth opened too little.)
            return dst
        self.eased += 1
        spread = self._chin.spread(dst, bad[self.checked])
        if spread is not dst:
            # Spread, the rest is eased off the lips (1, 2), the skin stopping at the jaw line
            # (eased as their farthest-moved neighbours, the spread skin carried the lip's whole
            # drop down past the jaw, and the jaw line, following it (_jaw_around_the_chin),
            # dragged the chin down twice the visitor's); then lips too (3, 4); then, where a
            # fold is left (a turned sitter's far cheek, seen edge-on, squeezed by the lip), the
            # skin is pushed past it, off the lips, each step its whole way where no share eases
            # it, as far as the jaw line (_jaw_kept again); and only then is the whole motion eased
            # back (5: it took a third of the mouth's opening and of the smile, where pushing
            # dropped the chin 0.01-0.02 face heights). (Pushed past the jaw line, the far cheek
            # took the lip's whole drop, neighbour by neighbour, down over the jaw, which stayed or
            # followed it: the skin inside the jaw ended 0.08-0.11 face heights below it, the
            # triangles along it stretched 4-5 times, and the chin dropped 0.08-0.12 face heights
            # further than the visitor's on turned sitters at their widest.) Each goes on from
            # where the last left off: begun again from the spread, what was let go had a whole
            # fold to ease at once the frame it was let go, and a turned sitter's chin jumped
            # 0.05-0.09 face heights in one frame as the mouth opened past a lip drop of 0.13-0.19.
            spread, unfolded = self._eased(spread, lips_too=False, kept=self._jaw_kept(spread))
            if unfolded:
                return spread
            spread, unfolded = self._eased(spread, lips_too=True, at_last=False)
            if unfolded:
                return spread
            spread, unfolded = self._eased(spread, lips_too=False, pushed=True, kept=self._jaw_kept(spread))
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
        way where no share of it eases the fold (least_step.py); `at_last`: with the lips too,
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
                dst, near = least_step(self.src, dst, corners, way(dst, corners), triangles, rest_sign, least,
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
        eased_back = least_step(self.src, dst, everything, np.zeros_like(dst), *self._fold_test, kept=kept)[0]
        return self._lips_right_way_up(eased_back), True

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
