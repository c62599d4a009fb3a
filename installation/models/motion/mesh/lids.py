"""Eyelids: a blink draws the upper lid down over the eye; wide eyes raise it.

The lids change the warper's backward map (rows of the eye region sample from higher or
lower), and a lid that covers the eye is then painted as skin: stretched a few times over,
the lid's own pixels would streak.
"""

from __future__ import annotations

from typing import NamedTuple

import cv2
import numpy as np

from .eye_reach import Reach
from .halftone import HalftoneScreen
from .lid_rest import LIDS, EyeAtRest, lid_whites
from .lid_skin import skin_texture
from .mouth import curve_through
from .tone import LUMA

__all__ = ["LIDS", "EyeAtRest", "LidCover", "lid_whites", "move_lids", "paint_lids"]

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
# On a far eye the mesh puts the crease on the lash line, and the skin read just above it
# was all lashes (Vermeer's girl closed her far eye into a dark grey lens, the lashes' tone:
# 85 grey levels where her skin has 170-200). Where that reading is darker than
# LASHES_SHARE of the skin under the eye (her far eye: 0.55), the skin above the crease is
# read over ABOVE_CREASE times the depth: lashes that fill up to half of it are its darker
# half. A lid fold in the shade reads 0.69-1.0 (the shared painting, the 1904 photograph
# and Thoreau), and keeps its reading: a lid closing in the shade of the socket is in shade.
LASHES_SHARE = 0.6
# A closed lid's body takes OWN_TONE_SHARE of the way from the middle of the skin round it
# (the lid's own, above the crease, under the eye) to the lid's own skin, where that is
# surely skin: from OWN_SKIN_SURE of the skin under the eye up (LASHES_SHARE down: lashes).
# The rest of the way is the light an unfolded lid catches on the eyeball's bulge, that its
# band, folded by the lashes, does not.
OWN_TONE_SHARE = 0.5
OWN_SKIN_SURE = 0.7
ABOVE_CREASE = 3.0
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


class LidCover(NamedTuple):
    """One closing lid for `paint_lids`: region pixels from (x0, y0); rows are per column."""
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


class _Eye:
    """One eye's region (region pixels) and, per column, its crease, upper lid margin and
    lower lid, all as rows."""

    def __init__(self, dst: np.ndarray, lid: tuple, origin: np.ndarray, shape: tuple[int, int],
                 rest: EyeAtRest | None = None, reach: Reach | None = None) -> None:
        up, low, cr = (dst[list(ids)] - origin for ids in lid)
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
        self.rows = np.arange(self.y0, self.y1, dtype=np.float32)[:, None]
        width = max(float(xs[-1] - xs[0]), 1.0)
        self.from_corner = np.minimum(xs - xs[0], xs[-1] - xs)[None, :] / width
        # How much of the lid band is eye white, per column (see WHITE_OVER_SKIN), and the
        # dark line through the crease (LINE_REACH).
        self.white, self.line_top, self.line_bottom, self.line, self.lashes = (
            np.zeros_like(self.margin) for _ in range(5))
        left, right = sorted((min(up[0, 0], low[0, 0]), max(up[-1, 0], low[-1, 0])))
        along = (xs - left) / max(float(right - left), 1.0)
        if rest is not None:
            self.white, self.line_top, self.line_bottom, self.line, self.lashes = (
                np.interp(along, np.linspace(0.0, 1.0, len(r)), r)[None, :]
                for r in (rest.white, rest.line_top, rest.line_bottom, rest.line, rest.lashes))
        if reach is not None:  # the picture's opening below the mesh's lid lines (eye_reach.py)
            # (its upper lid no lower than the eye's first white: the iris model can read a
            # far eye's lower lid and the cheek as its opening, the eye's white above them)
            skin_below = np.inf if rest is None else rest.skin_below
            upper = np.minimum(reach.upper, skin_below)
            self.bottom, self.margin = (
                line + np.interp(along, np.linspace(0.0, 1.0, len(by)), by)[None, :]
                for line, by in ((self.bottom, reach.lower), (self.margin, upper)))
        # The mesh's own margin: the lid's skin (crease to here) is what is read and kept; what
        # lies between it and the picture's upper lid is that lid's lashes, painted over as
        # it closes (read as the lid's skin, a far eye closed into a dark lens).
        self.skin_end = np.minimum(self.mesh_margin, self.margin)
        self._open_corners(shape[1])

    def _open_corners(self, image_width: int) -> None:
        """Where the picture's eye is still open at the mesh's corner (OPEN_CORNER_SHARE), the
        lines run on past it by that opening, closing to a point: the corner's fade (where
        the lids meet) then falls past the mesh's corner, where the picture's eye ends."""
        opening = np.maximum(self.bottom - self.margin, 0.0)[0]
        deepest = float(opening.max())
        if deepest <= 0.0:
            return
        runs = []
        for end in (0, -1):
            open_at = float(opening[end])
            runs.append(int(round(open_at * np.clip((open_at / deepest - OPEN_CORNER_SHARE) / OPEN_CORNER_SPAN,
                                                    0.0, 1.0))))
        before, after = min(runs[0], self.x0), min(runs[1], image_width - self.x1)
        if before <= 0 and after <= 0:
            return
        meet = [0.5 * (self.margin[0, end] + self.bottom[0, end]) for end in (0, -1)]

        def run_on(row: np.ndarray, closing: bool) -> np.ndarray:
            # out from each end: towards where the lids meet (`closing`), or level
            head = np.linspace(1.0, 0.0, before, endpoint=False)  # 1 at the far end, 0 at the mesh's corner
            tail = np.linspace(0.0, 1.0, after + 1)[1:]
            first, last = row[0, 0], row[0, -1]
            lead = first + head * (meet[0] - first) if closing else np.full(before, first)
            trail = last + tail * (meet[1] - last) if closing else np.full(after, last)
            return np.concatenate([lead, row[0], trail])[None, :].astype(row.dtype)

        # The mesh's crease falls to its corner, through the picture's lashes there: over the
        # run and as far inside, it lies no lower than where it is that far inside.
        top = self.top.copy()
        w = top.shape[1]
        if before > 0:
            top[0, :before] = np.minimum(top[0, :before], top[0, min(before, w - 1)])
        if after > 0:
            top[0, w - after:] = np.minimum(top[0, w - after:], top[0, max(w - 1 - after, 0)])
        self.top = top
        self.margin, self.bottom, self.mesh_margin, self.skin_end = (
            run_on(row, True) for row in (self.margin, self.bottom, self.mesh_margin, self.skin_end))
        self.top, self.white, self.line_top, self.line_bottom, self.line, self.lashes = (
            run_on(row, False) for row in (self.top, self.white, self.line_top, self.line_bottom, self.line,
                                           self.lashes))
        self.x0, self.x1 = self.x0 - before, self.x1 + after
        xs = np.arange(self.x0, self.x1, dtype=np.float32)
        width = max(float(xs[-1] - xs[0]), 1.0)
        self.from_corner = np.minimum(xs - xs[0], xs[-1] - xs)[None, :] / width

    def add(self, map_y: np.ndarray, shift: np.ndarray) -> None:
        map_y[self.y0:self.y1, self.x0:self.x1] += shift.astype(np.float32)


def move_lids(map_y: np.ndarray, dst: np.ndarray, eye_open: tuple[float, float], origin: np.ndarray,
              shape: tuple[int, int], rests: tuple | None = None, belows: tuple | None = None) -> list:
    """Move the lids in `map_y` (in place); returns what `paint_lids` must paint. `rests`:
    per eye, `lid_whites` of the portrait at rest; `belows`: per eye, how far its opening
    reaches below the mesh's lid lines (eye_reach.opening_below_mesh): a closing lid covers it,
    starting from the picture's upper lid;
    None where the mesh's eye lies on skin below the picture's (a squint): no lid there."""
    covers: list = []
    for k, (lid, ratio) in enumerate(zip(LIDS, eye_open, strict=True)):
        if belows is not None and belows[k] is None:  # the mesh's eye lies on skin: no lid there
            continue
        if ratio > 1.02:
            _raise_lid(map_y, _Eye(dst, lid, origin, shape), min(float(ratio) - 1.0, MAX_WIDENING))
            continue
        closing = 1.0 - float(np.clip(ratio, 0.0, 1.0))
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
    t = np.clip((yy - top) / np.maximum(new_margin - top, 1e-3), 0.0, 1.0)
    source = top + t * (margin - top)  # where the lid skin at this pixel came from
    inside = (yy >= top) & (yy <= new_margin)
    # Fade the effect towards the eye corners, where upper and lower lids meet.
    corner = np.clip(eye.from_corner / 0.12, 0.0, 1.0)
    eye.add(map_y, np.where(inside, (source - yy) * corner, 0.0))
    # The painted lid takes over a little above the old margin, so no seam shows where
    # the stretched lid ends. Where the mesh's crease hugs the lashes (a lid band of a few
    # pixels: a small or hooded eye), stretched, the band is the lash line, a dark ring
    # round the top of the closed lid; there the paint takes over from the crease.
    # Only as the lid comes down: a lid barely lowered keeps the eye's own lashes (painted
    # from the crease at once, a 5% blink redrew the eye's upper line).
    # Below the mesh's margin, the picture's own lid and lashes (eye_reach.Reach.upper): kept
    # as a lid lowered a little keeps its lashes, painted over as it comes down.
    coming_down = float(np.clip((closing - 0.1) / 0.3, 0.0, 1.0))
    skin_end = margin + (eye.skin_end - margin) * coming_down
    band = skin_end - top
    thin = np.clip((THICK_LID_PX - band) / (THICK_LID_PX - THIN_LID_PX), 0.0, 1.0)
    # Where the band is the eye's white, not lid skin, the paint takes over from the crease
    # too, and right into the corner (faded there, the white showed through).
    white = np.clip(eye.white / WHITE_BAND_SHARE, 0.0, 1.0) * coming_down
    thin = np.maximum(thin * coming_down, white)
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
    above = (coming_down * np.maximum(start - (stretched - 1.0), 0.0) * np.clip(eye.from_corner / LASH_CORNER, 0.0, 1.0)
             * np.clip((eye.lashes - LASH_UP) / LASH_SPAN, 0.0, 1.0))
    start = start - np.where(eye.lashes > 0.0, above, 0.0)
    # A closing lid also covers a little past its new margin, fading out: on small or
    # engraved eyes the mesh's lower lid can sit above the iris's lower edge, and a dark
    # rim of iris left below the closed lid kept the eye looking half open.
    past = closing * closing * np.maximum(1.0, LID_OVERLAP * (eye.bottom - margin))
    below = np.clip((new_margin + past - yy) / np.maximum(past, 1e-3), 0.0, 1.0)
    # A lid lowered a little is mostly its own stretched pixels: the paint fades in as it
    # closes (painted at once, a 5% lowering laid a pale line of skin over the lashes).
    fade = float(np.clip(closing / PAINT_FROM, 0.0, 1.0))
    fade = fade * fade * (3.0 - 2.0 * fade)
    covered = (np.clip((yy - start) / ramp, 0.0, 1.0) * np.where(yy <= new_margin, 1.0, below)
               * np.maximum(corner, white) * fade)
    # The picture's dark line through the crease is softened as the lid comes down.
    # (What of it lies under the crease was stretched down with the lid.)
    line_end = top - np.minimum(eye.line_bottom, 0.0) * (new_margin - top) / np.maximum(margin - top, 1.0)
    line_end = np.where(eye.line_bottom > 0, top - eye.line_bottom, line_end)
    on_line = np.clip(np.minimum(yy - (top - eye.line_top - 1.5), line_end + 1.5 - yy), 0.0, 1.0)
    soften = CREASE_SOFTENED * coming_down * eye.line * corner
    covered = np.maximum(covered, on_line * soften)
    covers.append(LidCover(eye.x0, eye.y0, covered.astype(np.float32), new_margin - eye.y0, closing,
                           top - eye.y0, start - eye.y0, eye.bottom - eye.y0, eye.eye_top, margin - eye.y0))


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
    corner = np.clip(eye.from_corner / 0.2, 0.0, 1.0)
    eye.add(map_y, (source - yy) * corner)


def _shade(s: np.ndarray) -> np.ndarray:
    """The light on a closed, rounded lid from the crease (s = 0) to the closed margin (s = 1):
    a soft crease, a little light on the bulge, a shadow along the margin."""
    return (1.0 - 0.1 * np.exp(-(s / 0.15) ** 2) + 0.04 * np.sin(np.pi * s)
            - 0.22 * np.exp(-((1.0 - s) / 0.2) ** 2))


def _band_tones(region: np.ndarray, x0: int, y0: int,
                bands: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """For each band (rows `lo` to `hi`, exclusive; patch rows, one per column) of a patch at
    region pixel (x0, y0): per column, the skin's tone, smoothed across the columns, and how
    far it could be read (0-1). The skin is the lighter half of what each column of the band
    shows: where lashes or a low brow's hairs fill a band, its mean is their dark. All bands
    at once: this runs on every frame of a blink."""
    w = bands[0][0].shape[-1]
    spans = [(np.clip(np.ceil(lo).astype(int) + y0, 0, region.shape[0]),
              np.clip(np.floor(hi).astype(int) + y0, 0, region.shape[0])) for lo, hi in bands]
    depth = max(1, max(int((hi - lo).max()) for lo, hi in spans))
    offsets = np.arange(depth)[None, :, None]
    lows = np.stack([lo for lo, _ in spans])[:, None, :]  # (bands, 1, w)
    rows = lows + offsets  # (bands, depth, w)
    inside = rows < np.stack([hi for _, hi in spans])[:, None, :]
    cols = np.clip(np.arange(x0, x0 + w), 0, region.shape[1] - 1)
    pixels = region[np.clip(rows, 0, region.shape[0] - 1), cols[None, None, :]].astype(np.float32)
    # The lighter half of each column: at or above the median of the band's own pixels.
    grey = np.where(inside, pixels.mean(-1), -1.0)
    ranked = np.sort(grey, axis=1)
    count = inside.sum(1)  # (bands, w)
    middle = np.take_along_axis(ranked, np.clip(depth - (count + 1) // 2, 0, depth - 1)[:, None, :], axis=1)
    lighter = (inside & (grey >= middle)).astype(np.float32)
    weight = lighter.sum(1)
    tones = (pixels * lighter[..., None]).sum(1) / np.maximum(weight, 1.0)[..., None]  # (bands, w, ch)
    # Smoothed across the columns; columns with nothing to read take their neighbours'.
    sigma = max(1.0, 0.08 * w)
    read = (weight > 0).astype(np.float32)
    spread = cv2.GaussianBlur(read, (0, 0), sigmaX=sigma, sigmaY=0.1)
    # (bands, w, channels) is an image to OpenCV: one row a band, blurred along the row only.
    smooth = cv2.GaussianBlur(tones * read[..., None], (0, 0), sigmaX=sigma, sigmaY=0.1)
    return smooth / np.maximum(spread, 1e-6)[..., None], np.clip(spread / 0.5, 0.0, 1.0)


def _lid_tone(region: np.ndarray, cover: LidCover) -> tuple[np.ndarray, np.ndarray]:
    """Per column, the tone a closed lid's skin takes where the paint takes over (the lid's
    own, just above: no step there) and in its body: the middle one of the skin nearest it,
    the lid's own, the brow's above the crease and the skin under the eye, taken towards the
    tone of the lid's band at rest (OWN_TONE_SHARE). Each alone failed
    somewhere: the brow's alone, a closed lid in a deep-set eye was the brow's pale tone in
    the socket's shadow (a shell laid on, ringed by the darker lid); the lid's alone, a band
    of lashes closed as a dark lens; and where the crease lies on the lash line (a far eye),
    the brow's band was the lashes (see LASHES_SHARE)."""
    top, start = cover.crease[0], cover.start[0]
    reach = max(2.0, 0.2 * float(np.mean(cover.lower[0] - start)))
    past = cover.lower[0] + 1.0 + LID_OVERLAP * (cover.lower[0] - start)
    tones, reads = _band_tones(region, cover.x0, cover.y0, [
        (top + 0.4 * (start - top), start), (top - 1.0 - reach, top - 1.0), (past, past + reach),
        (top - 1.0 - ABOVE_CREASE * reach, top - 1.0)])
    (own, above, under, higher), (own_read, above_read, under_read, higher_read) = tones, reads
    # The lid's own band as it was at rest (the picture's rows `own` reads on an open eye),
    # where the closing lid has stretched it to: crease + stretch x (row - crease); read in
    # every step-th row, as many as it had (all of them cost a large portrait 3-6 ms a frame).
    stretch = np.clip((cover.margin[0] - top) / np.maximum(cover.was[0] - top, 1.0), 1.0, None)
    step = max(1, int(np.median(stretch)))
    # (Not past the closed margin: at the corners, where the lid band was nothing, it stretched without end.)
    band = np.clip(np.array([0.4, 1.0])[:, None] * stretch * (start - top), 0.0, cover.margin[0] - top)
    skip = (cover.y0 + top + band - cover.y0 % step) / step
    if (band[1] - band[0]).max() >= 1.0:
        (at_rest,), (rest_read,) = _band_tones(region[cover.y0 % step::step], cover.x0, 0, [(skip[0], skip[1])])
    else:  # the crease on the lash line: no band to read (a fifth of a ms an eye saved)
        at_rest, rest_read = own, np.zeros_like(own_read)
    # Just above the crease, lashes rather than skin (far darker than the skin under the
    # eye): read over a taller band instead, whose lighter half is the lid's skin above
    # them. (A socket in shade is only somewhat darker, or stays dark all the way up.)
    seen = (above_read > 0.5) & (under_read > 0.5) & (higher_read > 0.5)
    if seen.any() and float((above[seen] @ LUMA).mean()) < LASHES_SHARE * float((under[seen] @ LUMA).mean()):
        above, above_read = higher, higher_read
    # Where the lid cannot be read, the darker of the skin above and below stands in: the
    # closed lid lies in the socket, in its shade, where a lit brow or a lit cheek is not
    # (the cheek alone closed a shadowed eye into a pale bead).
    # Chosen for the eye as a whole: chosen per column, a lid half in the one and half in
    # the other was split down the middle.
    both = (above_read > 0.5) & (under_read > 0.5)
    if both.any():
        darker = above if above[both].mean() <= under[both].mean() else under
    else:
        darker = above
    near = np.where(both[:, None], darker, np.where((under_read > 0.5)[:, None], under, above))
    if not (above_read + under_read).any():
        near = own
        if not own_read.any():  # nothing around the eye to read (it lies on the region's edge)
            h, w = cover.covered.shape
            seen = region[cover.y0:cover.y0 + h, cover.x0:cover.x0 + w].reshape(-1, region.shape[2])
            near = np.broadcast_to(seen.mean(0).astype(np.float32), (w, region.shape[2]))
    # Where the lid's own skin cannot be read (a far eye, its crease on the lash line: no
    # band between them), what lies just above the crease is the lashes too, lighter than
    # LASHES_SHARE or not: the darker of the skin higher above and under the eye stands in
    # (the darker of the lashes and the skin under closed Vermeer's far eye in the lashes'
    # grey, 100-160 grey levels against her skin's 175-210; a socket in shade stays so).
    stand_in = near
    readable = (higher_read > 0.5) & (under_read > 0.5)
    if readable.any():
        in_shade = higher if higher[readable].mean() <= under[readable].mean() else under
        stand_in = np.where(readable[:, None], in_shade, near)
    # How far the lid's skin at rest is the skin and not its lashes: darker than LASHES_SHARE
    # of the skin under the eye it is lashes; from OWN_SKIN_SURE of it, skin.
    if (under_read > 0.5).any() and (rest_read > 0.5).any():
        ratio = (float((at_rest[rest_read > 0.5] @ LUMA).mean())
                 / max(float((under[under_read > 0.5] @ LUMA).mean()), 1.0))
    else:
        ratio = 0.0
    rest_skin = rest_read * float(np.clip((ratio - LASHES_SHARE) / (OWN_SKIN_SURE - LASHES_SHARE), 0.0, 1.0))
    own = own * own_read[:, None] + stand_in * (1.0 - own_read[:, None])
    middle = np.median(np.stack([own, above, under]), axis=0)
    # The closed lid is the open lid's skin unfolded: its tone leans to the lid's own (the
    # middle alone was the lit fold or the cheek round a lid in the socket's shade: a pale
    # shell, the closed lid up to 1.3-1.8 times the open lid band's tone: Thoreau, Christus,
    # Van Gogh, Vermeer). Its tone, not its colour: a band half lashes took their grey onto
    # a pink lid.
    lit = middle @ LUMA
    toned = lit + OWN_TONE_SHARE * rest_skin * (at_rest @ LUMA - lit)
    middle = middle * (toned / np.maximum(lit, 1.0))[:, None]
    trusted = np.minimum(above_read, under_read)[:, None]
    body = middle * trusted + near * (1.0 - trusted)
    return own, body


def paint_lids(region: np.ndarray, covers: list, blur: float = 0.0, grain: np.ndarray | None = None,
               screen: HalftoneScreen | None = None) -> None:
    """Paint the lid that covers the eye. Stretched a few times over, the lid's own
    pixels streak, so the covering part becomes skin: the tone of the skin around the eye
    (`_lid_tone`), the picture's own texture from the skin round it (lid_skin.py), the
    shading of a rounded lid (a soft crease above, a shadow along the closed margin) and a
    lash line. `blur`: the picture's own softness (focus.py); the lash line and the closed
    lid's edge are no sharper (drawn a pixel sharp in a soft print, a closed eye read as a
    shell laid on). `grain` (float32, the region's size): the picture's grain, as the
    mouth's paint gets it, for a lid whose skin round it lies outside the region.
    `screen`: where the picture is a printed halftone, its screen, which prints the lid in
    dots that run on from the face's (a smooth lid on a dotted face read as a bead)."""
    for cover in covers:
        x0, y0, covered, margin_row, closing = cover.x0, cover.y0, cover.covered, cover.margin, cover.closing
        top_row, start_row = cover.crease, cover.start
        h, w = covered.shape
        if covered.max() <= 0:
            continue
        patch = region[y0:y0 + h, x0:x0 + w].astype(np.float32)
        first, body = _lid_tone(region, cover)
        span = np.maximum(margin_row - top_row, 1.0)
        yy = np.arange(h, dtype=np.float32)[:, None]
        # The paint starts at the lid's own tone and turns to the body's over the upper third
        # of what it covers; the shading is measured from where it starts.
        u = np.clip((yy - start_row) / np.maximum(0.35 * (margin_row - start_row), 1.0), 0.0, 1.0)
        u = u * u * (3.0 - 2.0 * u)
        tone = first[None] * (1.0 - u[..., None]) + body[None] * u[..., None]
        tone = tone / np.maximum(_shade(np.clip((start_row - top_row) / span, 0.0, 1.0)), 0.5)[..., None]
        shade = _shade(np.clip((yy - top_row) / span, 0.0, 1.0))
        lash_width = max(1.0, 0.035 * w)
        lash = np.exp(-((yy - margin_row) / lash_width) ** 2) * min(1.0, 1.5 * closing)
        light = (shade * (1.0 - 0.6 * lash))[..., None]
        # The grain shades with the skin (added at full strength, dark grain drove the lash
        # line to pure black), and nothing is darker than the darkest ink or shadow already
        # in the eye: the lid keeps the portrait's palette.
        # (The eye's own darkest: rows above the crease, taken in to soften its line, may hold
        # the brow's hairs.)
        own_rows = patch[max(cover.eye_top - y0, 0):]
        darkest = np.percentile(own_rows.reshape(-1, patch.shape[2]), 2, axis=0)
        shaded = tone * light
        if blur > 0.6:  # crease, margin shadow and lash as soft as the picture; its grain stays
            shaded = cv2.GaussianBlur(shaded, (0, 0), blur)
        texture = None if screen is not None else skin_texture(region, x0, y0, covered, top_row, cover.lower)
        if screen is not None:  # a halftone: the lid printed in the picture's own dots
            shaded = screen.print(shaded, x0, y0)
        elif texture is not None:
            shaded = shaded + texture * light
        elif grain is not None:
            shaded = shaded + grain[y0:y0 + h, x0:x0 + w, None] * light
        skin = np.maximum(shaded, darkest)
        if blur > 0.6:  # the lid's edge as soft as the picture's own (mostly the closed margin)
            covered = cv2.GaussianBlur(covered, (0, 0), sigmaX=0.5 * blur, sigmaY=blur,
                                       borderType=cv2.BORDER_CONSTANT)
        weight = covered[..., None]
        region[y0:y0 + h, x0:x0 + w] = np.clip(patch + (skin - patch) * weight, 0, 255).astype(np.uint8)
