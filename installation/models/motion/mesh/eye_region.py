"""One eye's region as the lids move over it: per column its crease, upper lid margin and
lower lid (the mesh's lines, moved to where the picture shows the eye: eye_reach.py), what
the picture read there at rest (lid_rest.lid_whites), how far each column is from the eye's
corners, run on past a corner where the picture's eye is still open there, and what of it the
nose hides.

These are measurements, made afresh for each closing or widening eye; lids.py moves the lids
by them, and drawing_paper.py and picture_kind.py measure the picture's lids with them too.
"""

from __future__ import annotations

import functools

import numpy as np

from .eye_reach import Reach
from .lid_corners import INNER_LINE_SHARE
from .lid_rest import EyeAtRest
from .outlines import curve_through

# A far eye's picture can still be open at the mesh's corner (the veiled woman's and
# Erasmus's far eyes: 0.53 and 0.48 of their deepest opening; the other 40 eyes of the
# unseen, audit and shared sitters 0.18 or less): the corner's fade left the picture's iris
# and lashes there, a dark hook on the closed eye. From OPEN_CORNER_SHARE of the deepest
# opening at a corner (fully OPEN_CORNER_SPAN more), the lid runs on past the corner by
# that opening (EyeRegion._open_corners).
OPEN_CORNER_SHARE, OPEN_CORNER_SPAN = 0.25, 0.15

# A far eye can lie behind the nose: the face mesh keeps a far eye's inner corner at or past
# its nose ridge at rest (34 sitters: never across it; Dorsey, turned 41 degrees, 0.00 eye
# distances past it, the others of the most turned 0.01-0.06), but a visitor's turn carries
# it across (Dorsey and Parker turned 15 degrees further), and the picture's nose outline lies 0.02-0.05
# past the ridge (the strongest edge along the ridge between the eye and the nose's tip:
# old Douglass 0.02, Beryl Davis 0.05). Where the mesh puts the far eye across its own ridge
# the picture shows the nose there, and the lid painted over it was a pale oval of skin on
# the nose's edge. So a lid moves and paints nothing on the near side of the mesh's ridge
# (NOSE_RIDGE, root to tip, as the picture shows it), and all it covers from OUTLINE_PAST eye
# distances (the 2D outer corners') past it, the nearest outline measured: the eye the picture
# shows there closes whole, and at most a faint edge of it falls on the nose's far flank.
NOSE_RIDGE = (168, 6, 197, 195, 5, 4)
OUTLINE_PAST = 0.02


@functools.cache
def _along(count: int) -> np.ndarray:
    """`count` evenly spaced points from 0 to 1, where a reading at rest (lid_rest, eye_reach)
    was taken along the eye: the same few counts every frame, made once (read-only)."""
    points = np.linspace(0.0, 1.0, count)
    points.flags.writeable = False
    return points


def clamp(values, low, high):
    """np.clip, to the bit, without its wrapper's checks (which cost more than the work on
    a lid's few hundred pixels, dozens of times a frame)."""
    return np.minimum(np.maximum(values, low), high)


class EyeRegion:
    """One eye's region (region pixels) and, per column, its crease, upper lid margin and
    lower lid, all as rows."""

    def __init__(self, dst: np.ndarray, lid: tuple, origin: np.ndarray, shape: tuple[int, int],
                 rest: EyeAtRest | None = None, reach: Reach | None = None) -> None:
        self.seen = None  # (h, w) share of each pixel the nose leaves in sight; None: all of it
        up, low, cr = (dst[list(ids)] - origin for ids in lid)
        if reach is not None and reach.risen:  # an eye the mesh slid down from the picture's edge
            up, low, cr = (line + np.array([0.0, reach.risen, 0.0][:line.shape[1]]) for line in (up, low, cr))
        # Up to the dark line above the crease, where there is one (LINE_REACH).
        above = 0.0 if rest is None or not rest.line.any() else max(float(rest.line_top.max()) + 2.0, 0.0)
        x0 = int(np.floor(min(up[:, 0].min(), low[:, 0].min())))
        x1 = int(np.ceil(max(up[:, 0].max(), low[:, 0].max()))) + 1
        self.eye_top = max(int(np.floor(cr[:, 1].min())) - 1, 0)  # the eye's own rows, from the crease
        y0 = int(np.floor(cr[:, 1].min() - above)) - 1
        # (down to the lowest the lower lid goes: the iris model's opening, a painted band of light under it)
        under = None if rest is None else rest.under
        lowered = max(0.0 if reach is None else float(reach.lower.max()), 0.0 if under is None else float(under.max()))
        y1 = int(np.ceil(low[:, 1].max() + lowered)) + 2
        self.x0, self.y0 = max(x0, 0), max(y0, 0)
        self.x1, self.y1 = min(x1, shape[1]), min(y1, shape[0])
        self.empty = self.x1 - self.x0 < 2 or self.y1 - self.y0 < 2
        if self.empty:
            return
        xs = np.arange(self.x0, self.x1, dtype=np.float32)
        self.top, self.margin, self.bottom = (curve_through(line, xs)[None, :] for line in (cr, up, low))
        self.mesh_margin = self.skin_end = self.margin
        self.beyond = np.zeros_like(self.margin)  # 1 past the mesh's corner, easing off inside it (_open_corners)
        self.extra_below = np.zeros_like(self.margin)  # px below the lower lid the picture's eye reaches (ditto)
        self.rows = np.arange(self.y0, self.y1, dtype=np.float32)[:, None]
        # The eye's corners are the mesh's, not the picture's edge: measured from an edge that
        # cuts the eye, the lid eased off there as at a corner and left a strip of the open
        # eye (its iris, lashes) standing at the edge of a closed lid, a dark smear.
        self.corners = (float(x0), float(x1 - 1))
        self._measure_corners()
        # How much of the lid band is eye white, per column (see WHITE_OVER_SKIN), and the
        # dark line through the crease (LINE_REACH).
        self.white, self.line_top, self.line_bottom, self.line, self.lashes, self.opening = (
            np.zeros_like(self.margin) for _ in range(6))
        left, right = sorted((min(up[0, 0], low[0, 0]), max(up[-1, 0], low[-1, 0])))
        along = (xs - left) / max(float(right - left), 1.0)
        if rest is not None:
            self.white, self.line_top, self.line_bottom, self.line, self.lashes, self.opening = (
                np.interp(along, _along(len(r)), r)[None, :]
                for r in (rest.white, rest.line_top, rest.line_bottom, rest.line, rest.lashes, rest.opening))
        # px above the crease the picture's white runs on (lid_rest.WHITE_ABOVE_CREASE)
        self.white_above = np.zeros_like(self.margin)
        if rest is not None and rest.white_above is not None:
            self.white_above = np.interp(along, _along(len(rest.white_above)), rest.white_above)[None, :]
        mesh_bottom = self.bottom
        if reach is not None:  # the picture's opening below the mesh's lid lines (eye_reach.py)
            # (its upper lid no lower than the eye's first white: the iris model can read a
            # far eye's lower lid and the cheek as its opening, the eye's white above them)
            skin_below = np.inf if rest is None else rest.skin_below
            upper = np.minimum(reach.upper, skin_below)
            self.bottom, self.margin = (
                line + np.interp(along, _along(len(by)), by)[None, :]
                for line, by in ((self.bottom, reach.lower), (self.margin, upper)))
        # A painted band of light under the mesh's lower lid (lid_under.py): the lid closes over
        # it, its lash line where the band ends; px per column past the lower lid so far. (The
        # skin under the eye is still read from that lower lid, lids.LidCover.lower: under a
        # ring of light, the ring, lid_paint.RING_OVER.)
        self.under = np.zeros_like(self.margin)
        if under is not None:
            band_end = mesh_bottom + np.interp(along, _along(len(under)), under)[None, :]
            self.under = np.maximum(band_end - self.bottom, 0.0)
            self.bottom = self.bottom + self.under
        # The mesh's own margin: the lid's skin (crease to here) is what is read and kept; what
        # lies between it and the picture's upper lid is that lid's lashes, painted over as
        # it closes (read as the lid's skin, a far eye closed into a dark lens).
        self.skin_end = np.minimum(self.mesh_margin, self.margin)
        # Where the picture's opening (its white or iris) runs up into the band from the
        # mesh's margin, the lid's skin ends above it (lid_rest.IRIS_SEEN_PIXELS).
        self.skin_end = np.minimum(self.skin_end, self.mesh_margin - self.opening * (self.mesh_margin - self.top))
        self._open_corners(shape, rest, float(right - left))
        self._beside_nose(dst, lid, origin)
        # (1, w): 1 on the inner corner's half where the picture's upper-lid line runs into that
        # corner (lid_corners.inner_lash_line), painted over as the lid closes; None: nowhere.
        self.inner_line = None
        if rest is not None and rest.inner_line >= INNER_LINE_SHARE:
            columns = np.arange(self.x0, self.x1, dtype=np.float32)
            inner_half = (columns > 0.5 * (self.corners[0] + self.corners[1])) == (float(up[-1, 0]) > float(up[0, 0]))
            self.inner_line = inner_half.astype(np.float32)[None, :]

    def _beside_nose(self, dst: np.ndarray, lid: tuple, origin: np.ndarray) -> None:
        """How much of each pixel lies in sight past the nose's outline (see OUTLINE_PAST)."""
        if len(dst) < 468:
            return
        ridge = dst[list(NOSE_RIDGE), :2] - origin
        order = np.argsort(ridge[:, 1])
        ys, xs_ridge = ridge[order, 1], ridge[order, 0]
        eye_distance = float(np.linalg.norm(dst[263, :2] - dst[33, :2]))
        if np.ptp(ys) < 1.0 or eye_distance < 1.0:  # no nose to hide behind
            return
        outer = dst[lid[0][0], :2] - origin  # the eye's outer corner: the eye's side of the nose
        side = np.sign(outer[0] - np.interp(outer[1], ys, xs_ridge))
        xs = np.arange(self.x0, self.x1, dtype=np.float32)[None, :]
        past = side * (xs - np.interp(self.rows, ys, xs_ridge)) / eye_distance
        if side == 0 or float(past.min()) >= OUTLINE_PAST:
            return
        self.seen = clamp(past / OUTLINE_PAST, 0.0, 1.0).astype(np.float32)

    def _open_corners(self, shape: tuple[int, int], rest: EyeAtRest | None, width: float) -> None:
        """Where the picture's eye is still open at the mesh's corner (OPEN_CORNER_SHARE), or
        runs on past it (`rest.past`, lid_corners.py; `width`: the eye's now), the lines run on
        past it that far, closing to a point: the corner's fade (where the lids meet) then
        falls past the mesh's corner, where the picture's eye ends."""
        opening = np.maximum(self.bottom - self.margin, 0.0)[0]
        deepest = float(opening.max())
        if deepest <= 0.0:
            return
        past, below = ((0.0, 0.0), (0.0, 0.0)) if rest is None else (rest.past, rest.past_below)
        runs = []
        for end, beyond in zip((0, -1), past, strict=True):
            open_at = float(opening[end])
            runs.append(max(int(round(open_at * clamp((open_at / deepest - OPEN_CORNER_SHARE) / OPEN_CORNER_SPAN,
                                                        0.0, 1.0))), int(round(beyond * width))))
        before, after = min(runs[0], self.x0), min(runs[1], shape[1] - self.x1)
        if before <= 0 and after <= 0:
            return
        meet = [0.5 * (self.margin[0, end] + self.bottom[0, end]) for end in (0, -1)]
        w = self.top.shape[1]
        # Past the mesh's corner the picture's eye reaches lower than where the lids meet, and
        # as far inside it, easing off (`inside`: 1 at the corner, where the mesh's lids close in early) ...
        head = 1.0 - np.arange(before) / max(before, 1)  # 1 at the mesh's corner, towards 0 a run away
        tail = np.arange(1, after + 1) / max(after, 1)  # the same at the other end, backwards
        inside = np.zeros(w)
        if before > 0:
            inside[:min(before, w)] = head[:w]
        if after > 0:
            inside[max(w - after, 0):] = np.maximum(inside[max(w - after, 0):], tail[-min(after, w):])
        # ... and its line's reach below the corner's row (a corner as deep as the iris looking
        # into it, a 1940s photograph's): the closed lid covers down to there (`extra_below`),
        # its margin where it was (moved down, the closed lid's lash line hooked down there).
        reach = np.where(np.arange(w) < w / 2, below[0], below[1]) * width
        reach_row = np.where(np.arange(w) < w / 2, meet[0], meet[1]) + reach * inside
        extra = np.where(inside > 0, np.maximum(reach_row - self.bottom[0], 0.0), 0.0)
        self.extra_below = np.concatenate([np.full(before, below[0] * width), extra,
                                           np.full(after, below[1] * width)])[None, :]
        bottom_row = int(np.ceil(float((self.bottom[0] + extra).max()))) + 3
        if bottom_row > self.y1 and self.y1 < shape[0]:
            self.y1 = min(bottom_row, shape[0])
            self.rows = np.arange(self.y0, self.y1, dtype=np.float32)[:, None]

        # (out past the corners the same ramps, read the other way: 1 at the far end, towards
        # 0 at the mesh's corner before it; from the corner to 1 at the far end after it)

        def run_on(rows: list, closing: bool) -> list:
            # out from each end: towards where the lids meet (`closing`), or level; all the
            # rows at once (a dozen of them, each frame of a blink)
            both = np.concatenate(rows)
            first, last = both[:, :1], both[:, -1:]
            lead = first + head * (meet[0] - first) if closing else np.repeat(first, before, axis=1)
            trail = last + tail * (meet[1] - last) if closing else np.repeat(last, after, axis=1)
            out = np.concatenate([lead, both, trail], axis=1).astype(both.dtype)
            return [out[k:k + 1] for k in range(len(rows))]

        # The mesh's crease falls to its corner, through the picture's lashes there: over the
        # run and as far inside, it lies no lower than where it is that far inside.
        top = self.top.copy()
        if before > 0:
            top[0, :before] = np.minimum(top[0, :before], top[0, min(before, w - 1)])
        if after > 0:
            top[0, w - after:] = np.minimum(top[0, w - after:], top[0, max(w - 1 - after, 0)])
        self.top = top
        self.margin, self.bottom, self.mesh_margin, self.skin_end = run_on(
            [self.margin, self.bottom, self.mesh_margin, self.skin_end], True)
        (self.top, self.white, self.line_top, self.line_bottom, self.line, self.lashes, self.opening,
         self.under, self.white_above) = run_on([self.top, self.white, self.line_top, self.line_bottom, self.line,
                                                 self.lashes, self.opening, self.under, self.white_above], False)
        self.x0, self.x1 = self.x0 - before, self.x1 + after
        # (the paint from the crease eased off just inside the corner too, over half the run:
        # stopped at the corner, the lashes stretched down just inside it were a dark blot
        # beside it; eased off over the whole run, the lid's fold there was painted a paler patch)
        self.beyond = np.concatenate([np.ones(before), clamp(2.0 * inside - 1.0, 0.0, 1.0), np.ones(after)])[None, :]
        self.corners = (self.corners[0] - runs[0], self.corners[1] + runs[1])
        self._measure_corners()

    def _measure_corners(self) -> None:
        """Per column, how far it lies from the nearer of the eye's corners, as a share of its width."""
        xs = np.arange(self.x0, self.x1, dtype=np.float32)
        left, right = self.corners
        width = max(right - left, 1.0)
        self.from_corner = np.maximum(np.minimum(xs - left, right - xs), 0.0)[None, :] / width

    def add(self, map_y: np.ndarray, shift: np.ndarray) -> None:
        if self.seen is not None:  # the nose's pixels stay where they are
            shift = shift * self.seen
        map_y[self.y0:self.y1, self.x0:self.x1] += shift.astype(np.float32)
