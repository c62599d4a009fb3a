"""Eyelids: a blink draws the upper lid down over the eye; wide eyes raise it.

The lids change the warper's backward map (rows of the eye region sample from higher or
lower), and a lid that covers the eye is then painted as skin (lid_paint.py): stretched a
few times over, the lid's own pixels would streak. Where each eye's lines lie, measured
afresh for every closing or widening eye, is eye_region.py's.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .eye_region import EyeRegion, clamp
from .lid_corners import CORNER_FADE, INNER_FADE, INNER_ROWS
from .lid_rest import LIDS, EyeAtRest, lid_whites

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
    """One closing lid for `lid_paint.paint_lids`: region pixels from (x0, y0); rows are per column."""
    x0: int
    y0: int
    covered: np.ndarray  # (h, w): how much of each pixel the painted lid covers
    margin: np.ndarray  # (1, w) rows: the closing lid's margin
    closing: float
    crease: np.ndarray  # (1, w) rows
    start: np.ndarray  # (1, w) rows: where the paint begins to take over from the lid's skin
    lower: np.ndarray  # (1, w) rows: the lower lid (above a painted band of light: eye_region.EyeRegion.under)
    eye_top: int  # region row: the eye's own rows (for its darkest tone) begin here, at the crease
    was: np.ndarray  # (1, w) rows: the upper lid's margin at rest, before it closed
    # (1, w) bools: columns whose skin round the eye is not the lid's, and is not read: those
    # the nose hides (eye_region.NOSE_RIDGE: the nose's skin) and those past the mesh's corner (the
    # picture's eye's corner, or past a far eye the background: the veiled woman's far eye
    # closed with a blue-grey patch at its corner)
    unread: np.ndarray | None = None



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
            _raise_lid(map_y, EyeRegion(dst, lid, origin, shape, reach=risen), min(float(ratio) - 1.0, MAX_WIDENING))
            continue
        closing = 1.0 - float(clamp(ratio, 0.0, 1.0))
        if closing >= 0.02:
            eye = EyeRegion(dst, lid, origin, shape, None if rests is None else rests[k],
                       None if belows is None else belows[k])
            _lower_lid(map_y, eye, closing, covers)
    return covers


def _lower_lid(map_y: np.ndarray, eye: EyeRegion, closing: float, covers: list) -> None:
    """Blinks: the upper lid is drawn down over the eye. The skin between the crease and
    the lid margin stretches down to the new margin; the eye below it is covered, not
    squashed (squashing an eye reads as a wince, not a blink)."""
    if eye.empty:
        return
    top, margin, yy = eye.top, eye.margin, eye.rows
    new_margin = margin + closing * np.maximum(eye.bottom - margin, 0.0)
    t = clamp((yy - top) / np.maximum(new_margin - top, 1e-3), 0.0, 1.0)
    source = top + t * (margin - top)  # where the lid skin at this pixel came from
    inside = (yy >= top) & (yy <= new_margin)
    # Fade the effect towards the eye corners, where upper and lower lids meet.
    corner = clamp(eye.from_corner / CORNER_FADE, 0.0, 1.0)
    eye.add(map_y, np.where(inside, (source - yy) * corner, 0.0))
    # The painted lid takes over a little above the old margin, so no seam shows where
    # the stretched lid ends. Where the mesh's crease hugs the lashes (a lid band of a few
    # pixels: a small or hooded eye), stretched, the band is the lash line, a dark ring
    # round the top of the closed lid; there the paint takes over from the crease.
    # Only as the lid comes down: a lid barely lowered keeps the eye's own lashes (painted
    # from the crease at once, a 5% blink redrew the eye's upper line).
    # Below the mesh's margin, the picture's own lid and lashes (eye_reach.Reach.upper): kept
    # as a lid lowered a little keeps its lashes, painted over as it comes down.
    coming_down = float(clamp((closing - 0.1) / 0.3, 0.0, 1.0))
    skin_end = margin + (eye.skin_end - margin) * coming_down
    band = skin_end - top
    thin = clamp((THICK_LID_PX - band) / (THICK_LID_PX - THIN_LID_PX), 0.0, 1.0)
    # Where the band is the eye's white, not lid skin, the paint takes over from the crease
    # too, and right into the corner (faded there, the white showed through).
    white = clamp(eye.white / WHITE_BAND_SHARE, 0.0, 1.0) * coming_down
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
    above = (coming_down * np.maximum(start - (stretched - 1.0), 0.0) * clamp(eye.from_corner / LASH_CORNER, 0.0, 1.0)
             * clamp((eye.lashes - LASH_UP) / LASH_SPAN, 0.0, 1.0))
    start = start - np.where(eye.lashes > 0.0, above, 0.0)
    # Where the picture's white runs on up past the crease (lid_rest.WHITE_ABOVE_CREASE: at a
    # turned near eye's inner corner), the paint starts above it, as the lid comes down.
    # (Its first row wholly covered: the ramp ends on it.) It is covered into the corner, as a
    # white band is (below).
    white_above = eye.white_above > 0.0
    if white_above.any():
        raised = np.minimum(start, top - ramp - eye.white_above)
        start = np.where(white_above, start + coming_down * (raised - start), start)
        white = np.maximum(white, white_above * coming_down)
    # A closing lid also covers a little past its new margin, fading out: on small or
    # engraved eyes the mesh's lower lid can sit above the iris's lower edge, and a dark
    # rim of iris left below the closed lid kept the eye looking half open.
    past = closing * closing * np.maximum(1.0, LID_OVERLAP * (eye.bottom - margin))
    # (At a corner where the picture's eye reaches lower (EyeRegion._open_corners), over it too.)
    below = clamp((new_margin + closing * eye.extra_below + past - yy) / np.maximum(past, 1e-3), 0.0, 1.0)
    # A lid lowered a little is mostly its own stretched pixels: the paint fades in as it
    # closes (painted at once, a 5% lowering laid a pale line of skin over the lashes).
    fade = float(clamp(closing / PAINT_FROM, 0.0, 1.0))
    fade = fade * fade * (3.0 - 2.0 * fade)
    covered = (clamp((yy - start) / ramp, 0.0, 1.0) * np.where(yy <= new_margin, 1.0, below)
               * np.maximum(corner, white) * fade)
    if eye.inner_line is not None:  # the picture's upper-lid line into the inner corner (lid_corners.INNER_ROWS)
        # (above the closed lid's lash line: painted on to the corner, that ended there blunt)
        around = clamp(np.minimum(INNER_ROWS + 1.0 - np.abs(yy - eye.mesh_margin), new_margin - 1.0 - yy), 0.0, 1.0)
        narrow = clamp(eye.from_corner / INNER_FADE, 0.0, 1.0)
        covered = np.maximum(covered, coming_down * fade * eye.inner_line * narrow * around)
    # The picture's dark line through the crease is softened as the lid comes down.
    # (What of it lies under the crease was stretched down with the lid.)
    line_end = top - np.minimum(eye.line_bottom, 0.0) * (new_margin - top) / np.maximum(margin - top, 1.0)
    line_end = np.where(eye.line_bottom > 0, top - eye.line_bottom, line_end)
    on_line = clamp(np.minimum(yy - (top - eye.line_top - 1.5), line_end + 1.5 - yy), 0.0, 1.0)
    soften = CREASE_SOFTENED * coming_down * eye.line * corner
    covered = np.maximum(covered, on_line * soften)
    unread = (eye.beyond >= 1.0) if eye.beyond.any() else None
    if eye.seen is not None:  # nothing painted over the nose; the lid's skin read beside it
        covered = covered * eye.seen
        # (read only where the eye, crease to lower lid, is wholly in sight: within eye_region.OUTLINE_PAST
        # of the ridge the picture can show the nose's far flank, and its lit tone came onto
        # the lid beside it)
        behind_nose = ((yy >= top) & (yy <= eye.bottom) & (eye.seen < 1.0)).any(axis=0)[None, :]
        unread = behind_nose if unread is None else unread | behind_nose
    covers.append(LidCover(eye.x0, eye.y0, covered.astype(np.float32), new_margin - eye.y0, closing,
                           top - eye.y0, start - eye.y0, eye.bottom - eye.under - eye.y0, eye.eye_top, margin - eye.y0,
                           unread))


def _raise_lid(map_y: np.ndarray, eye: EyeRegion, widening: float) -> None:
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
    corner = clamp(eye.from_corner / 0.2, 0.0, 1.0)
    eye.add(map_y, (source - yy) * corner)
