"""Where a picture's eye opening reaches below the face mesh's lower lid line, so a closing
lid covers all of it.

On a sitter turned a third of the way (36 degrees), the face mesh put the far eye's lid
lines in the brow's shadow, above the eye the picture shows: the lid drawn down closed
that patch of shadow, and the eye itself stayed open below it (a visitor's blink read as
a wink). The iris model, run on each eye at rest, finds the opening the picture shows;
where its lower lid lies below the mesh's, the closing lid closes onto it.

On a sitter squinting in a broad smile the mesh's eye lay lower than the picture's
narrowed eye, on the cheek: the lid drawn down there was a lid painted on a cheek, far
worse than a blink not shown. Where the iris model's opening (the same eye: across the
mesh's, as wide) ends above the middle of the mesh's, most of the mesh's opening is skin:
that eye gets no lid (None).

On a turned sitter the mesh also puts the far eye's upper lid above the picture's (a
quarter of an eye's width on old Douglass, Erasmus, Parker and the veiled woman): the lid
came down through that skin first, and a third of the way closed the far eye had covered
none of its opening while the near eye had covered half of it; every frame of a blink but
the deepest was a wink. So where the picture's upper lid lies below the mesh's, the
closing lid starts from the picture's (`Reach.upper`): it closes the eye the picture shows
as far as the visitor's does.

An eye the picture's top edge cuts (a tight crop: its crease outside the picture) is no
squint: there the face mesh slides the eye down (by 0.05-0.9 of its width on 50 CC0 faces
and the three shared and shipped portraits, each cropped at four depths through each eye),
its lower lid onto the cheek, and the iris model, reading the eye itself, sees the mesh's
opening end above its middle. Given no lid, the eye stayed open through every blink (a
wink); closed on the mesh's lines (the squint rule lifted), the lid lay under the still
open eye, a lash line across the cheek. Where the iris model also sees the eye reach the
edge (its upper lid no lower than CUT_UPPER eye widths below it) and open (its opening at
least OPEN_WIDTHS), its lower lid lay within 0.12 of the eye's width of where the uncropped
picture's mesh puts it in 40 of those 41 eyes (the other 0.24 below; the cropped picture's
mesh 0.05-0.39 below): the eye's lines are raised to it (`Reach.risen`), and it closes
there. Otherwise (the model's opening a squint's, or its upper lid below the edge: the
model lost too) the eye still gets no lid.

(Its upper lid above the mesh's was tried too, as where the closing lid starts: it cleaned
van Gogh's closed near eye, but drew old Douglass's heavy near lid down as a tall shell,
eye r 0.64 -> 0.50 on driver-expressions, and the six audit sitters' mean fell.)
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ...face import Eye
from .lid_rest import WHITE_SAMPLES as SAMPLES  # along each eye, corner to corner, as lid_whites reads it
from .outlines import curve_through

# The iris model's opening is taken as the same eye as the mesh's when its middle lies
# across the mesh's eye, between the crease and this many mesh eye widths below the lower
# lid, and it is half to one and a half times as wide.
BELOW_WIDTHS = 0.3
# Its lower lid moves the closing lid's end down by at most this many mesh eye widths
# (its upper lid, the closing lid's start, as much).
MOST_DOWN = 0.3
# The closing lid's start is kept at least this share of the picture's opening above its end.
OPENING_KEPT = 0.5
# An eye cut by the picture's top edge is raised to the iris model's where the model's upper
# lid lies no lower than CUT_UPPER eye widths below the edge, and its opening is at least
# OPEN_WIDTHS (an open eye's: the mesh reads a closed one at about 0.15), by at most
# MOST_RISEN eye widths.
CUT_UPPER, OPEN_WIDTHS, MOST_RISEN = 0.05, 0.18, 0.6


class Reach(NamedTuple):
    """Per eye, along it from corner to corner (SAMPLES), in pixels at rest: how far the
    picture's opening reaches below the mesh's lower lid line (`lower`), and how far the
    picture's upper lid lies below the mesh's (`upper`, where the closing lid starts)."""
    lower: np.ndarray
    upper: np.ndarray
    # px the whole eye lies above the mesh's (an eye cut by the picture's top edge, which the
    # mesh slid down): its lines are raised by this before anything else
    risen: float = 0.0


def opening_below_mesh(points: np.ndarray, eyes: tuple[Eye, Eye] | None,
                       lids: tuple) -> tuple[Reach | None, ...]:
    """Per eye (`lids`: lids.LIDS), along it from corner to corner (SAMPLES): how far the
    picture's opening reaches below the mesh's lid lines (Reach), in pixels at rest
    (`points`: the rest pose, picture pixels); zeros where the iris model saw another eye
    or none; None where the mesh's eye lies below the picture's, on skin (no lid there)."""
    out = []
    for k, lid in enumerate(lids):
        below, upper = np.zeros(SAMPLES, np.float32), np.zeros(SAMPLES, np.float32)
        eye = None if eyes is None else eyes[k]
        if eye is None or not np.all(np.isfinite(eye.lids[:, :2])):
            out.append(Reach(below, upper))
            continue
        up, low, crease = (points[list(ids), :2] for ids in lid)
        left, right = sorted((min(up[0, 0], low[0, 0]), max(up[-1, 0], low[-1, 0])))
        width = max(right - left, 1.0)
        centre = eye.lids[:, :2].mean(0)
        model_width = float(np.ptp(eye.lids[:, 0]))
        same_eye = left <= centre[0] <= right and 0.5 * width <= model_width <= 1.5 * width
        at = np.array([centre[0]])
        mesh_middle = 0.5 * float(curve_through(up, at)[0] + curve_through(low, at)[0])
        if same_eye and float(eye.lids[4, 1]) <= mesh_middle:  # lids[4]: the model's lower lid's middle
            out.append(_cut_by_top_edge(crease, low, eye, at, width))
            continue
        out.append(Reach(below, upper))
        if not (same_eye and crease[:, 1].mean() <= centre[1] <= low[:, 1].max() + BELOW_WIDTHS * width):
            continue
        xs = np.linspace(left, right, SAMPLES)
        model_low = curve_through(eye.lids[:9, :2], xs, np.nan)  # lids[:9]: the lower lid
        mesh_low = curve_through(low, xs, np.nan)
        reach = np.nan_to_num(model_low - mesh_low, nan=0.0)
        below[:] = np.clip(reach, 0.0, MOST_DOWN * width)
        # Its upper lid, where it lies below the mesh's, keeping OPENING_KEPT of the opening
        # (at the corners, where the two lids meet, nothing moves).
        mesh_up = curve_through(up, xs, np.nan)
        model_up = curve_through(eye.lids[9:, :2], xs, np.nan)  # lids[9:]: the upper lid
        kept = mesh_low + below - OPENING_KEPT * np.maximum(model_low - model_up, 0.0)
        drop = np.minimum(model_up - mesh_up, kept - mesh_up)
        upper[:] = np.clip(np.nan_to_num(drop, nan=0.0), 0.0, MOST_DOWN * width)
    return tuple(out)


def _cut_by_top_edge(crease: np.ndarray, low: np.ndarray, eye: Eye, at: np.ndarray, width: float) -> Reach | None:
    """For an eye whose opening the iris model sees end above the middle of the mesh's: where
    the picture's top edge cuts it and the model sees an open eye reach the edge, the eye
    raised to the model's lower lid (Reach.risen); else None (a squint: no lid)."""
    if float(crease[:, 1].min()) >= 0.0:  # the whole lid in the picture: a squint
        return None
    model_low, model_up = float(eye.lids[4, 1]), float(eye.lids[12, 1])  # the lids' middles
    if model_up > CUT_UPPER * width or model_low - model_up < OPEN_WIDTHS * width:
        return None
    risen = max(model_low - float(curve_through(low, at)[0]), -MOST_RISEN * width)
    return Reach(np.zeros(SAMPLES, np.float32), np.zeros(SAMPLES, np.float32), risen)


def risen_points(points: np.ndarray, reaches: tuple, lids: tuple) -> np.ndarray:
    """`points` with each eye's lid lines raised by its Reach.risen (the same array where none is)."""
    risen = [(lid, reach.risen) for lid, reach in zip(lids, reaches, strict=True)
             if reach is not None and reach.risen]
    if not risen:
        return points
    points = points.copy()
    for lid, by in risen:
        ids = sorted({i for line in lid for i in line})
        points[ids, 1] += by
    return points
