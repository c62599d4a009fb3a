"""Eyelids: a blink draws the upper lid down over the eye; wide eyes raise it.

The lids change the warper's backward map (rows of the eye region sample from higher or
lower), and a lid that covers the eye is then painted as skin: stretched a few times over,
the lid's own pixels would streak.
"""

from __future__ import annotations

import cv2
import numpy as np

from .mouth import curve_through
from .rig import LEFT_CREASE, LEFT_LOWER_LID, LEFT_UPPER_LID, RIGHT_CREASE, RIGHT_LOWER_LID, RIGHT_UPPER_LID

LIDS = (((33, *LEFT_UPPER_LID, 133), (33, *LEFT_LOWER_LID, 133), (33, *LEFT_CREASE, 133)),
        ((263, *RIGHT_UPPER_LID, 362), (263, *RIGHT_LOWER_LID, 362), (263, *RIGHT_CREASE, 362)))
# Wide eyes raise the upper lid by at most this share of the eye's opening.
MAX_WIDENING = 0.3
# How far past its new margin a closed lid covers, as a share of the eye's opening: the
# face mesh re-run on the result reads blinks a little better (eye r 0.720 -> 0.731 on
# eight unseen portraits, 0.802 -> 0.803 on the shared pairs).
LID_OVERLAP = 0.15


class _Eye:
    """One eye's region (region pixels) and, per column, its crease, upper lid margin and
    lower lid, all as rows."""

    def __init__(self, dst: np.ndarray, lid: tuple, origin: np.ndarray, shape: tuple[int, int]) -> None:
        up, low, cr = (dst[list(ids)] - origin for ids in lid)
        x0 = int(np.floor(min(up[:, 0].min(), low[:, 0].min())))
        x1 = int(np.ceil(max(up[:, 0].max(), low[:, 0].max()))) + 1
        y0 = int(np.floor(cr[:, 1].min())) - 1
        y1 = int(np.ceil(low[:, 1].max())) + 2
        self.x0, self.y0 = max(x0, 0), max(y0, 0)
        self.x1, self.y1 = min(x1, shape[1]), min(y1, shape[0])
        self.empty = self.x1 - self.x0 < 2 or self.y1 - self.y0 < 2
        if self.empty:
            return
        xs = np.arange(self.x0, self.x1, dtype=np.float32)
        self.top, self.margin, self.bottom = (curve_through(line, xs)[None, :] for line in (cr, up, low))
        self.rows = np.arange(self.y0, self.y1, dtype=np.float32)[:, None]
        width = max(float(xs[-1] - xs[0]), 1.0)
        self.from_corner = np.minimum(xs - xs[0], xs[-1] - xs)[None, :] / width

    def add(self, map_y: np.ndarray, shift: np.ndarray) -> None:
        map_y[self.y0:self.y1, self.x0:self.x1] += shift.astype(np.float32)


def move_lids(map_y: np.ndarray, dst: np.ndarray, eye_open: tuple[float, float], origin: np.ndarray,
              shape: tuple[int, int]) -> list:
    """Move the lids in `map_y` (in place); returns what `paint_lids` must paint."""
    covers: list = []
    for lid, ratio in zip(LIDS, eye_open, strict=True):
        if ratio > 1.02:
            _raise_lid(map_y, _Eye(dst, lid, origin, shape), min(float(ratio) - 1.0, MAX_WIDENING))
            continue
        closing = 1.0 - float(np.clip(ratio, 0.0, 1.0))
        if closing >= 0.02:
            _lower_lid(map_y, _Eye(dst, lid, origin, shape), closing, covers)
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
    # the stretched lid ends.
    ramp = np.maximum(2.0, 0.3 * (margin - top))
    # A closing lid also covers a little past its new margin, fading out: on small or
    # engraved eyes the mesh's lower lid can sit above the iris's lower edge, and a dark
    # rim of iris left below the closed lid kept the eye looking half open.
    past = closing * closing * np.maximum(1.0, LID_OVERLAP * (eye.bottom - margin))
    below = np.clip((new_margin + past - yy) / np.maximum(past, 1e-3), 0.0, 1.0)
    covered = np.clip((yy - margin + ramp) / ramp, 0.0, 1.0) * np.where(yy <= new_margin, 1.0, below) * corner
    covers.append((eye.x0, eye.y0, covered.astype(np.float32), new_margin - eye.y0, closing, top - eye.y0))


def _raise_lid(map_y: np.ndarray, eye: _Eye, widening: float) -> None:
    """Wide eyes: the upper lid goes up by `widening` of the opening. The lid skin above
    folds up under the crease, and the upper half of the eye stretches to fill the space
    (a little more white and iris shows, as in a startled face)."""
    if eye.empty:
        return
    top, margin, yy = eye.top, eye.margin, eye.rows
    opening = np.maximum(eye.bottom - margin, 0.0)
    # Never past half-way to the crease: the lid has to fold somewhere.
    new_margin = np.maximum(margin - widening * opening, top + 0.5 * (margin - top))
    middle = margin + 0.5 * opening
    lid = (yy >= top) & (yy < new_margin)
    opened = (yy >= new_margin) & (yy < middle)
    source = np.where(lid, top + (yy - top) * (margin - top) / np.maximum(new_margin - top, 1e-3),
                      np.where(opened, margin + (yy - new_margin) * (middle - margin)
                               / np.maximum(middle - new_margin, 1e-3), yy))
    corner = np.clip(eye.from_corner / 0.2, 0.0, 1.0)
    eye.add(map_y, (source - yy) * corner)


def paint_lids(region: np.ndarray, covers: list, blur: float = 0.0) -> None:
    """Paint the lid that covers the eye. Stretched a few times over, the lid's own
    pixels streak, so the covering part becomes skin: the tone of the skin just above
    the crease (per column, smoothed), that skin's own grain, the shading of a rounded
    lid (a soft crease above, a shadow along the closed margin) and a lash line. `blur`:
    the picture's own softness (focus.py); the lash line and the closed lid's edge are no
    sharper (drawn a pixel sharp in a soft print, a closed eye read as a shell laid on)."""
    for x0, y0, covered, margin_row, closing, top_row in covers:
        h, w = covered.shape
        if covered.max() <= 0:
            continue
        patch = region[y0:y0 + h, x0:x0 + w].astype(np.float32)
        cols = np.arange(x0, x0 + w)
        crease = int(np.clip(np.round(top_row.min()) + y0, 0, region.shape[0] - 1))
        rows = np.clip(np.round(top_row[0] - np.array([[2.0], [3.0], [4.0]])).astype(int) + y0, 0,
                       region.shape[0] - 1)
        tone = region[rows, cols[None, :]].astype(np.float32).mean(0)
        tone = cv2.GaussianBlur(tone[None], (0, 0), sigmaX=max(1.0, 0.08 * w), sigmaY=0.1)[0]
        # Grain: the high-pass of the skin above the crease, repeated down the lid.
        band = max(3, min(h, crease) // 3)
        above = region[max(0, crease - band):crease, x0:x0 + w].astype(np.float32)
        if len(above) >= 3:
            grain = above - cv2.GaussianBlur(above, (0, 0), 1.2)
            grain = np.concatenate([grain, grain[::-1]] * (h // (2 * len(grain)) + 1))[:h]
        else:
            grain = patch - cv2.GaussianBlur(patch, (0, 0), 1.2)
        yy = np.arange(h, dtype=np.float32)[:, None]
        s = np.clip((yy - top_row) / np.maximum(margin_row - top_row, 1.0), 0.0, 1.0)
        shade = (1.0 - 0.1 * np.exp(-(s / 0.15) ** 2) + 0.04 * np.sin(np.pi * s)
                 - 0.22 * np.exp(-((1.0 - s) / 0.2) ** 2))
        lash_width = max(1.0, 0.035 * w)
        lash = np.exp(-((yy - margin_row) / lash_width) ** 2) * min(1.0, 1.5 * closing)
        light = (shade * (1.0 - 0.6 * lash))[..., None]
        # The grain shades with the skin (added at full strength, an engraving's brow lines
        # drove the lash line to pure black), and nothing is darker than the darkest ink or
        # shadow already in the eye: the lid keeps the portrait's palette.
        darkest = np.percentile(patch.reshape(-1, patch.shape[2]), 2, axis=0)
        shaded = tone[None] * light
        if blur > 0.6:  # crease, margin shadow and lash as soft as the picture; its grain stays
            shaded = cv2.GaussianBlur(shaded, (0, 0), blur)
        skin = np.maximum(shaded + 0.8 * grain * light, darkest)
        if blur > 0.6:  # the lid's edge as soft as the picture's own (mostly the closed margin)
            covered = cv2.GaussianBlur(covered, (0, 0), sigmaX=0.5 * blur, sigmaY=blur,
                                       borderType=cv2.BORDER_CONSTANT)
        weight = covered[..., None]
        region[y0:y0 + h, x0:x0 + w] = np.clip(patch + (skin - patch) * weight, 0, 255).astype(np.uint8)
