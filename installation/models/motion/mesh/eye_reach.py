"""Where a picture's eye opening reaches below the face mesh's lower lid line, so a closing
lid covers all of it.

On a sitter turned a third of the way (36 degrees), the face mesh put the far eye's lid
lines in the brow's shadow, above the eye the picture shows: the lid drawn down closed
that patch of shadow, and the eye itself stayed open below it (a visitor's blink read as
a wink). The iris model, run on each eye at rest, finds the opening the picture shows;
where its lower lid lies below the mesh's, the closing lid closes onto it.

(Its upper lid above the mesh's was tried too, as where the closing lid starts: it cleaned
van Gogh's closed near eye, but drew old Douglass's heavy near lid down as a tall shell,
eye r 0.64 -> 0.50 on driver-expressions, and the six audit sitters' mean fell.)
"""

from __future__ import annotations

import numpy as np

from ...face import Eye
from .lid_rest import WHITE_SAMPLES as SAMPLES  # along each eye, corner to corner, as lid_whites reads it
from .mouth import curve_through

# The iris model's opening is taken as the same eye as the mesh's when its middle lies
# across the mesh's eye, between the crease and this many mesh eye widths below the lower
# lid, and it is half to one and a half times as wide.
BELOW_WIDTHS = 0.3
# Its lower lid moves the closing lid's end down by at most this many mesh eye widths.
MOST_DOWN = 0.3


def opening_below_mesh(points: np.ndarray, eyes: tuple[Eye, Eye] | None, lids: tuple) -> tuple[np.ndarray, ...]:
    """Per eye (`lids`: lids.LIDS), along it from corner to corner (SAMPLES): how far the
    picture's opening reaches below the mesh's lower lid line, in pixels at rest
    (`points`: the rest pose, picture pixels); zeros where the iris model saw another eye
    or none."""
    out = []
    for k, lid in enumerate(lids):
        below = np.zeros(SAMPLES, np.float32)
        eye = None if eyes is None else eyes[k]
        out.append(below)
        if eye is None or not np.all(np.isfinite(eye.lids[:, :2])):
            continue
        up, low, crease = (points[list(ids), :2] for ids in lid)
        left, right = sorted((min(up[0, 0], low[0, 0]), max(up[-1, 0], low[-1, 0])))
        width = max(right - left, 1.0)
        centre = eye.lids[:, :2].mean(0)
        model_width = float(np.ptp(eye.lids[:, 0]))
        if not (left <= centre[0] <= right and 0.5 * width <= model_width <= 1.5 * width
                and crease[:, 1].mean() <= centre[1] <= low[:, 1].max() + BELOW_WIDTHS * width):
            continue
        xs = np.linspace(left, right, SAMPLES)
        model_low = curve_through(eye.lids[:9, :2], xs, np.nan)  # lids[:9]: the lower lid
        reach = np.nan_to_num(model_low - curve_through(low, xs, np.nan), nan=0.0)
        below[:] = np.clip(reach, 0.0, MOST_DOWN * width)
    return tuple(out)
