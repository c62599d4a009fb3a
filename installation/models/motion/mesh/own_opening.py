"""A sitter whose lips are parted in the picture keeps her own opening as the mouth opens more.

A photograph taken mid-word or at an instrument shows her own mouth open: teeth, the dark
between them. The warp stretches that opening down to the moved lower lip, and the painted
opening used to fade in over it (mouth.OPENING_FADE_PX): at part strength the painted mouth
lay over her stretched own, and small openings showed two mouths, a ghosted double of the
teeth. In life the upper jaw and its teeth stay with the upper lip and the opening grows
below them. So her own opening is carried along unstretched, as tall as it is at rest: its
upper half hangs from the upper lip, its lower half stands on the lower one, as teeth do,
and only what opens between them is painted. At her rest gap the mouth is the picture's,
pixel for pixel, and the painted part grows from nothing with the opening, so nothing is
blended over her teeth. Over the pixels the paint used to fade in over, the painted opening
spreads from the middle over her own halves (a wipe, not a blend) until it is the whole
opening, as on any sitter: kept at larger openings, her own mouth's edges inside the painted
one were read by the face mesh as the lips, and the mouth as opening less (a man talking,
eight small sitters, six of them parted at rest: mean mouth r 0.813 -> 0.713 with both
halves kept at every opening, 0.742 with the whole opening hanging from the upper lip; 0.803
with this wipe). A sitter whose lips meet in the picture (both shared portraits) is painted
as before.
"""

from __future__ import annotations

import cv2
import numpy as np

from .meeting_lips import SITTER_LIPS_CLOSED
from .named_points import LOWER_INNER_LIP, UPPER_INNER_LIP


def parted_at_rest(rest_gap: float, face_height: float, least_px: float) -> bool:
    """Whether the picture's own lips are parted (`rest_gap` pixels at the widest, on a face
    `face_height` tall): more than a closed mouth's reading and more than `least_px`."""
    return rest_gap > max(least_px, SITTER_LIPS_CLOSED * face_height)


def own_share(rest: np.ndarray, dst: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """Per column x in `columns` (a row), the share of the moved opening her own takes: her
    rest height between each pair of facing inner-lip points over its height now (0-1)."""
    up, lo = list(UPPER_INNER_LIP), list(LOWER_INNER_LIP)
    then = rest[lo, 1] - rest[up, 1]
    now = dst[lo, 1] - dst[up, 1]
    share = np.clip(then / np.maximum(now, 1e-3), 0.0, 1.0)
    xs = (dst[up, 0] + dst[lo, 0]) / 2
    order = np.argsort(xs)
    return np.interp(columns, xs[order], share[order])


def carried(patch: np.ndarray, top: np.ndarray, height: np.ndarray, share: np.ndarray,
            y0: int, keep: float) -> tuple[np.ndarray, np.ndarray]:
    """Her own opening as the warp left it in `patch` (the picture's pixels, float32, its top
    row at y `y0`), squeezed back to its rest height: its upper half under the upper inner lip
    (`top`, per column), its lower half on the lower one (`height` below it now; `share` of it
    hers); and how much of each pixel it covers (0-1, pixel-soft where the painted opening
    between the halves begins). Only `keep` of each half shows, from the lip: the painted
    opening between them takes over the rest."""
    rows, cols = patch.shape[:2]
    yy = np.arange(rows, dtype=np.float32)[:, None] + y0
    down = yy - top
    up = top + height - yy
    squeeze = 1.0 / np.maximum(share, 1e-3)
    half = share * height / 2 * keep
    # (The warp laid her opening's point w of the way down at top + w * height; outside the
    # opening the picture stays where it is.)
    source = np.where(down <= 0.0, yy, np.where(down < height / 2, top + down * squeeze, top + height - up * squeeze))
    source = np.where(up <= 0.0, yy, source) - y0
    map_x = np.broadcast_to(np.arange(cols, dtype=np.float32)[None, :], (rows, cols))
    own = cv2.remap(patch, np.ascontiguousarray(map_x), source.astype(np.float32), cv2.INTER_LINEAR,
                    borderMode=cv2.BORDER_REPLICATE)
    cover = np.clip(np.maximum(half - down, half - up) + 0.5, 0.0, 1.0).astype(np.float32)
    return own, cover
