"""Eyelids: a blink draws the upper lid down over the eye; wide eyes raise it.

The lids change the warper's backward map (rows of the eye region sample from higher or
lower), and a lid that covers the eye is then painted as skin (lid_paint.py): stretched a
few times over, the lid's own pixels would streak.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np

from .eye_reach import Reach
from .lid_corners import CORNER_FADE, INNER_FADE, INNER_LINE_SHARE, INNER_ROWS
from .lid_rest import LIDS, EyeAtRest, lid_whites
from .outlines import curve_through

__all__ = ["LIDS", "EyeAtRest", "LidCover", "lid_whites", "move_lids"]

# Wide eyes raise the upper lid by at most this share of the eye's opening.
MAX_WIDENING = 0.3
# How far past its new margin a closed lid covers, as a share of the eye's opening: the
# face mesh re-run on the result reads blinks a little better (eye r 0.720 -> 0.731 on
# eight unseen portraits, 0.802 -> 0.803 on the shared pairs).
LID_OVERLAP = 0.15
# A lid band (crease to margin) this thin or thinner is the lash line, not skin to stretch;
# from THICK_LID_PX on it is skin (between, the two blend).
THIN_LID_PX = 3.0
THICK_LID_PX = 6.0
# A far eye's picture can still be open at the mesh's corner (the veiled woman's and
# Erasmus's far eyes: 0.53 and 0.48 of their deepest opening; the other 40 eyes of the
# unseen, audit and shared sitters 0.18 or less): the corner's fade left the picture's iris
# and lashes there, a dark hook on the closed eye. From OPEN_CORNER_SHARE of the deepest
# opening at a corner (fully OPEN_CORNER_SPAN more), the lid runs on past the corner by
# that opening (_Eye._open_corners).
OPEN_CORNER_SHARE, OPEN_CORNER_SPAN = 0.25, 0.15
# The paint over a closing lid is whole from this much closing on (share of the opening).
PAINT_FROM = 0.2
# Where this share of the lid band is the eye's white (lid_rest.lid_whites), the paint
# starts from the crease.
WHITE_BAND_SHARE = 0.5
# Where the lashes in the lid band are painted over from higher up (lid_rest.LASH_DARK),
# that eases off over this share of the eye's width at each corner.
LASH_CORNER = 0.3
LASH_UP, LASH_SPAN = 0.6, 0.3
# The picture's dark lid line through the crease (lid_rest.LINE_REACH) is painted over by
# this much as the lid closes, in the lid's tone: a closed lid's crease is softer.
CREASE_SOFTENED = 0.6
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


def _clip(values, low, high):
    """np.clip, to the bit, without its wrapper's checks (which cost more than the work on
    a lid's few hundred pixels, dozens of times a frame)."""
    return np.minimum(np.maximum(values, low), high)


class LidCover(NamedTuple):
    """One closing lid for `lid_paint.paint_lids`: region pixels from (x0, y0); rows are per column."""
    x0: int
    y0: int
    covered: np.ndarray  # (h, w): how much of each pixel the painted lid covers
    margin: np.ndarray  # (1, w) rows: the closing lid's margin
    closing: float
    crease: np.ndarray  # (1, w) rows
    start: np.ndarray  # (1, w) rows: where the paint begins to take over from the lid's skin
    lower: np.ndarray  # (1, w) rows: the lower lid
    eye_top: int  # region row: the eye's own rows (for its darkest tone) begin here, at the crease
    was: np.ndarray  # (1, w) rows: the upper lid's margin at rest, before it closed
    # (1, w) bools: columns whose skin round the eye is not the lid's, and is not read: those
    # the nose hides (NOSE_RIDGE: the nose's skin) and those past the mesh's corner (the
    # picture's eye's corner, or past a far eye the background: the veiled woman's far eye
    # closed with a blue-grey patch at its corner)
    unread: np.ndarray | None = None


class _Eye:
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
        y1 = int(np.ceil(low[:, 1].max() + (0.0 if reach is None else float(reach.lower.max())))) + 2
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
        if reach is not None:  # the picture's opening below the mesh's lid lines (eye_reach.py)
            # (its upper lid no lower than the eye's first white: the iris model can read a
            # far eye's lower lid and the cheek as its opening, the eye's white above them)
            skin_below = np.inf if rest is None else rest.skin_below
            upper = np.minimum(reach.upper, skin_below)
            self.bottom, self.margin = (
                line + np.interp(along, _along(len(by)), by)[None, :]
                for line, by in ((self.bottom, reach.lower), (self.margin, upper)))
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
        self.seen = _clip(past / OUTLINE_PAST, 0.0, 1.0).astype(np.float32)

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
            runs.append(max(int(round(open_at * _clip((open_at / deepest - OPEN_CORNER_SHARE) / OPEN_CORNER_SPAN,
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
        self.top, self.white, self.line_top, self.line_bottom, self.line, self.lashes, self.opening = run_on(
            [self.top, self.white, self.line_top, self.line_bottom, self.line, self.lashes, self.opening], False)
        self.x0, self.x1 = self.x0 - before, self.x1 + after
        # (the paint from the crease eased off just inside the corner too, over half the run:
        # stopped at the corner, the lashes stretched down just inside it were a dark blot
        # beside it; eased off over the whole run, the lid's fold there was painted a paler patch)
        self.beyond = np.concatenate([np.ones(before), _clip(2.0 * inside - 1.0, 0.0, 1.0), np.ones(after)])[None, :]
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


def move_lids(map_y: np.ndarray, dst: np.ndarray, eye_open: tuple[float, float], origin: np.ndarray,
              shape: tuple[int, int], rests: tuple | None = None, belows: tuple | None = None) -> list:
    """Move the lids in `map_y` (in place); returns what `lid_paint.paint_lids` must paint. `rests`:
    per eye, `lid_whites` of the portrait at rest; `belows`: per eye, how far its opening
    reaches below the mesh's lid lines (eye_reach.opening_below_mesh): a closing lid covers it,
    starting from the picture's upper lid;
    None where the mesh's eye lies on skin below the picture's (a squint): no lid there."""
    covers: list = []
    for k, (lid, ratio) in enumerate(zip(LIDS, eye_open, strict=True)):
        if belows is not None and belows[k] is None:  # the mesh's eye lies on skin: no lid there
            continue
        if ratio > 1.02:
            risen = None if belows is None or not belows[k].risen else belows[k]._replace(
                lower=np.zeros_like(belows[k].lower), upper=np.zeros_like(belows[k].upper))
            _raise_lid(map_y, _Eye(dst, lid, origin, shape, reach=risen), min(float(ratio) - 1.0, MAX_WIDENING))
            continue
        closing = 1.0 - float(_clip(ratio, 0.0, 1.0))
        if closing >= 0.02:
            eye = _Eye(dst, lid, origin, shape, None if rests is None else rests[k],
                       None if belows is None else belows[k])
            _lower_lid(map_y, eye, closing, covers)
    return covers


def _lower_lid(map_y: np.ndarray, eye: _Eye, closing: float, covers: list) -> None:
    """Blinks: the upper lid is drawn down over the eye. The skin between the crease and
    the lid margin stretches down to the new margin; the eye below it is covered, not
    squashed (squashing an eye reads as a wince, not a blink)."""
    if eye.empty:
        return
    top, margin, yy = eye.top, eye.margin, eye.rows
    new_margin = margin + closing * np.maximum(eye.bottom - margin, 0.0)
    t = _clip((yy - top) / np.maximum(new_margin - top, 1e-3), 0.0, 1.0)
    source = top + t * (margin - top)  # where the lid skin at this pixel came from
    inside = (yy >= top) & (yy <= new_margin)
    # Fade the effect towards the eye corners, where upper and lower lids meet.
    corner = _clip(eye.from_corner / CORNER_FADE, 0.0, 1.0)
    eye.add(map_y, np.where(inside, (source - yy) * corner, 0.0))
    # The painted lid takes over a little above the old margin, so no seam shows where
    # the stretched lid ends. Where the mesh's crease hugs the lashes (a lid band of a few
    # pixels: a small or hooded eye), stretched, the band is the lash line, a dark ring
    # round the top of the closed lid; there the paint takes over from the crease.
    # Only as the lid comes down: a lid barely lowered keeps the eye's own lashes (painted
    # from the crease at once, a 5% blink redrew the eye's upper line).
    # Below the mesh's margin, the picture's own lid and lashes (eye_reach.Reach.upper): kept
    # as a lid lowered a little keeps its lashes, painted over as it comes down.
    coming_down = float(_clip((closing - 0.1) / 0.3, 0.0, 1.0))
    skin_end = margin + (eye.skin_end - margin) * coming_down
    band = skin_end - top
    thin = _clip((THICK_LID_PX - band) / (THICK_LID_PX - THIN_LID_PX), 0.0, 1.0)
    # Where the band is the eye's white, not lid skin, the paint takes over from the crease
    # too, and right into the corner (faded there, the white showed through).
    white = _clip(eye.white / WHITE_BAND_SHARE, 0.0, 1.0) * coming_down
    # Past the mesh's corner (_open_corners), all of the band is the picture's eye, its lashes
    # curling up to the crease: painted from the crease too (from the margin's ramp, the
    # veiled woman's far eye kept the top of its dark hook).
    thin = np.maximum(thin * coming_down, np.maximum(white, eye.beyond * coming_down))
    ramp = np.maximum(2.0, 0.3 * band) * (1.0 - thin) + 2.0 * thin
    start = (skin_end - ramp) * (1.0 - thin) + (top - 1.0) * thin
    # Where the band is lashes or the lid's dark margin (lid_rest.LASH_DARK) most of the way
    # up to the crease (from LASH_UP of it, fully LASH_SPAN on), reaching above where the
    # paint starts, stretched as they are, the paint takes over above them as the lid comes
    # down (they were a dark band over the closed lid: an open eye's slit). Lower, the paint
    # covers them anyway; and a run of lashes along the margin alone is what a closing lid
    # carries down (painted over, Thoreau's shaded lids closed paler, eyes r 0.75 -> 0.71).
    stretched = top + (1.0 - eye.lashes) * band * (new_margin - top) / np.maximum(margin - top, 1e-3)
    # (Eased off over the outer LASH_CORNER of the eye each side: raised right to the
    # corner, the paint ended there in a hard upright edge.)
    above = (coming_down * np.maximum(start - (stretched - 1.0), 0.0) * _clip(eye.from_corner / LASH_CORNER, 0.0, 1.0)
             * _clip((eye.lashes - LASH_UP) / LASH_SPAN, 0.0, 1.0))
    start = start - np.where(eye.lashes > 0.0, above, 0.0)
    # A closing lid also covers a little past its new margin, fading out: on small or
    # engraved eyes the mesh's lower lid can sit above the iris's lower edge, and a dark
    # rim of iris left below the closed lid kept the eye looking half open.
    past = closing * closing * np.maximum(1.0, LID_OVERLAP * (eye.bottom - margin))
    # (At a corner where the picture's eye reaches lower (_Eye._open_corners), over it too.)
    below = _clip((new_margin + closing * eye.extra_below + past - yy) / np.maximum(past, 1e-3), 0.0, 1.0)
    # A lid lowered a little is mostly its own stretched pixels: the paint fades in as it
    # closes (painted at once, a 5% lowering laid a pale line of skin over the lashes).
    fade = float(_clip(closing / PAINT_FROM, 0.0, 1.0))
    fade = fade * fade * (3.0 - 2.0 * fade)
    covered = (_clip((yy - start) / ramp, 0.0, 1.0) * np.where(yy <= new_margin, 1.0, below)
               * np.maximum(corner, white) * fade)
    if eye.inner_line is not None:  # the picture's upper-lid line into the inner corner (lid_corners.INNER_ROWS)
        # (above the closed lid's lash line: painted on to the corner, that ended there blunt)
        around = _clip(np.minimum(INNER_ROWS + 1.0 - np.abs(yy - eye.mesh_margin), new_margin - 1.0 - yy), 0.0, 1.0)
        narrow = _clip(eye.from_corner / INNER_FADE, 0.0, 1.0)
        covered = np.maximum(covered, coming_down * fade * eye.inner_line * narrow * around)
    # The picture's dark line through the crease is softened as the lid comes down.
    # (What of it lies under the crease was stretched down with the lid.)
    line_end = top - np.minimum(eye.line_bottom, 0.0) * (new_margin - top) / np.maximum(margin - top, 1.0)
    line_end = np.where(eye.line_bottom > 0, top - eye.line_bottom, line_end)
    on_line = _clip(np.minimum(yy - (top - eye.line_top - 1.5), line_end + 1.5 - yy), 0.0, 1.0)
    soften = CREASE_SOFTENED * coming_down * eye.line * corner
    covered = np.maximum(covered, on_line * soften)
    unread = (eye.beyond >= 1.0) if eye.beyond.any() else None
    if eye.seen is not None:  # nothing painted over the nose; the lid's skin read beside it
        covered = covered * eye.seen
        # (read only where the eye, crease to lower lid, is wholly in sight: within OUTLINE_PAST
        # of the ridge the picture can show the nose's far flank, and its lit tone came onto
        # the lid beside it)
        behind_nose = ((yy >= top) & (yy <= eye.bottom) & (eye.seen < 1.0)).any(axis=0)[None, :]
        unread = behind_nose if unread is None else unread | behind_nose
    covers.append(LidCover(eye.x0, eye.y0, covered.astype(np.float32), new_margin - eye.y0, closing,
                           top - eye.y0, start - eye.y0, eye.bottom - eye.y0, eye.eye_top, margin - eye.y0,
                           unread))


def _raise_lid(map_y: np.ndarray, eye: _Eye, widening: float) -> None:
    """Wide eyes: the upper lid goes up by `widening` of the opening. The lid skin above
    folds up under the crease, and the eye below stretches to fill the space (a little
    more white and iris shows, as in a startled face)."""
    if eye.empty:
        return
    top, margin, yy = eye.top, eye.margin, eye.rows
    opening = np.maximum(eye.bottom - margin, 0.0)
    # Never past half-way to the crease: the lid has to fold somewhere.
    new_margin = np.maximum(margin - widening * opening, top + 0.5 * (margin - top))
    # The whole opening stretches, down to the lower lid: stretched only down to its middle
    # (as it was), the iris's upper half was drawn out 1.6 times, into an upright oval with
    # its glint a streak; now at most 1.3 times, evenly.
    lid = (yy >= top) & (yy < new_margin)
    opened = (yy >= new_margin) & (yy < eye.bottom)
    source = np.where(lid, top + (yy - top) * (margin - top) / np.maximum(new_margin - top, 1e-3),
                      np.where(opened, margin + (yy - new_margin) * opening
                               / np.maximum(eye.bottom - new_margin, 1e-3), yy))
    corner = _clip(eye.from_corner / 0.2, 0.0, 1.0)
    eye.add(map_y, (source - yy) * corner)
