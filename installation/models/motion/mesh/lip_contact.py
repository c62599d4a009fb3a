"""Where the picture's own closed lips meet, column by column, against the face mesh's contact.

The mesh puts its inner lips (upper and lower, the same points closed) near the dark line where
a picture's closed lips meet, but not on it: on the shipped daguerreotype the crease's darkest
lies 5-7 px (of a 480 px face) above the mesh's contact, on made miniatures a stroke lies a
fraction of a pixel to a pixel off it. The warp splits the lips where the mesh's points are, so
as the mouth opened one lip took the line's far half with it: a grey doubled edge, a dark rim
along the upper lip's inner edge, flecks where the lips thin towards the corners. So the line is
found once, on the rest picture: in each column of the mouth, the darkest valley across the lips
near the mesh's contact, with how sure the reading is (how much darker than the lip on both of
its sides), eased along the mouth so the split never zigzags. As the lips part, lip_edges.py
moves the lip the line lies in off it (the other lip already starts past it). Where no line is
found along the mouth (lips parted at rest, teeth, lips with no line darker than themselves, an
engraving's hatching) there is nothing: the mesh's contact stands, the render as before.
"""

from __future__ import annotations

import cv2
import numpy as np

from .meeting_lips import SITTER_LIPS_CLOSED
from .tone import LUMA

# Each column is read across the lips in steps of STEP pixels, up to REACH of each lip's
# thickness (inner edge to outer) from the mesh's contact: a valley further in is the lip's own
# shading. It is read softened by GRAIN_PX (a Gaussian's sigma): a photograph's grain is a pixel.
STEP, REACH, GRAIN_PX = 0.25, 0.5, 0.7
# A valley counts from SURE[0] levels darker than the lighter of the two lips beside it on its
# darker side (fully from SURE[1]): the rule a column's line width is read by (line_width.py).
SURE = (8.0, 24.0)
# Another valley across the lips, further than OTHER_PX pixels from the darkest, counts against
# it by how near its floor comes to the darkest's.
OTHER_PX, OTHER_SPAN = 2.0, 0.03
# The columns where the lips meet must find the valley this surely on the whole (their mean).
ALONG_MOUTH = 0.4
# Along the mouth the found contact is eased over neighbouring columns (a Gaussian's sigma, in
# columns): one column's grain or a corner's shade must not kink the split.
EASE_COLUMNS = 1.0
# Below this many pixels anywhere along the mouth the split is the mesh's: nothing is moved.
LEAST_PX = 0.25


def own_contact(image: np.ndarray, src: np.ndarray, upper: np.ndarray, lower: np.ndarray,
                up: np.ndarray, face_height: float, usable: np.ndarray) -> np.ndarray | None:
    """Per column of the mouth, the move (x, y) from the mesh's contact to the picture's own,
    eased along the mouth and scaled by how sure each reading is; None where there is nothing
    to move. `upper`, `lower`: each lip's rows (outer edge to inner) x columns, the columns
    facing each other; `up`: per column, the unit vector off the contact into the upper lip;
    `usable`: the columns whose both lips may be moved (not her own teeth's edge)."""
    inner_upper, inner_lower = src[upper[-1]], src[lower[-1]]
    contact = (inner_upper + inner_lower) / 2
    closed = np.linalg.norm(inner_upper - inner_lower, axis=1) <= SITTER_LIPS_CLOSED * face_height
    if not (closed & usable).any():
        return None
    # How far each lip reaches from the contact, straight across (its outer edge's distance).
    above = np.maximum(np.einsum("cx,cx->c", src[upper[0]] - contact, up), 0.0)
    below = np.maximum(np.einsum("cx,cx->c", contact - src[lower[0]], up), 0.0)
    # (Read across the lips, and at least OTHER_SPAN of the face each way: towards the corners
    # the lips are a few pixels thick, and there an engraving's hatching crossing them showed
    # a single valley, a pixel or two off the mesh's contact.)
    wide_above, wide_below = (np.maximum(side, OTHER_SPAN * face_height) for side in (above, below))
    reach = float(max(wide_above.max(), wide_below.max()))
    if reach < 2.0:
        return None
    ts = np.arange(-reach, reach + STEP, STEP)
    along = contact[None] + ts[:, None, None] * up[None]  # offsets x columns x (x, y)
    x0, y0 = np.maximum(np.floor(along.reshape(-1, 2).min(0)).astype(int) - 3, 0)
    x1, y1 = np.minimum(np.ceil(along.reshape(-1, 2).max(0)).astype(int) + 4, image.shape[1::-1])
    if x1 - x0 < 3 or y1 - y0 < 3:
        return None
    grey = cv2.GaussianBlur(image[y0:y1, x0:x1].astype(np.float32) @ LUMA, (0, 0), GRAIN_PX)
    profiles = cv2.remap(grey, (along[..., 0] - x0).astype(np.float32), (along[..., 1] - y0).astype(np.float32),
                         cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE).T  # columns x offsets
    # Where the lips are parted at rest, or her own teeth's edge is there, the mesh's contact is
    # the picture's (the opening's edge): read as sure, it holds the eased split to it.
    anchored = ~(closed & usable)
    offsets, sure = np.zeros(len(contact)), anchored.astype(np.float64)
    for column, profile in enumerate(profiles):
        if anchored[column]:
            continue
        inside = (ts >= -REACH * below[column]) & (ts <= REACH * above[column])
        lip = (ts >= -wide_below[column]) & (ts <= wide_above[column])
        if inside.sum() < 3:
            continue
        at = int(np.flatnonzero(inside)[np.argmin(profile[inside])])
        if not (inside[at - 1] and inside[at + 1]):  # darkest at the search's end: no valley
            continue
        darkest = profile[at]
        upper_side, lower_side = profile[at:][lip[at:]], profile[:at + 1][lip[:at + 1]]
        depth = min(upper_side.max(), lower_side.max()) - darkest
        # ...and it must be the one valley: an engraving's hatching or a lip's own creases make
        # others as dark across the lips, and then none of them is where the lips meet.
        others = lip & (np.abs(ts - ts[at]) > OTHER_PX)
        others[1:-1] &= (profile[1:-1] <= profile[:-2]) & (profile[1:-1] <= profile[2:])
        others[[0, -1]] = False
        if others.any():
            depth = min(depth, float(profile[others].min() - darkest))
        sure[column] = np.clip((depth - SURE[0]) / (SURE[1] - SURE[0]), 0.0, 1.0)
        # The valley's floor between samples (a parabola through the darkest and its neighbours).
        left, right = profile[at - 1], profile[at + 1]
        curve = left - 2.0 * darkest + right
        offsets[column] = ts[at] + (0.5 * STEP * (left - right) / curve if curve > 0.0 else 0.0)
    # A line runs along the mouth: valleys found in a column or two (an engraving's hatching, a
    # corner's shade) are not the lips' meeting, and the mesh's contact stands.
    if sure[~anchored].mean() < ALONG_MOUTH:
        return None
    # Eased along the mouth: each column's contact the sure-weighted mean of its neighbours',
    # moved as far as they are sure (a lone sure column beside unsure ones moves little).
    columns = np.arange(len(contact))
    weights = np.exp(-0.5 * ((columns[:, None] - columns[None]) / EASE_COLUMNS) ** 2)
    eased_sure = weights @ sure / weights.sum(1)
    eased = (weights @ (sure * offsets)) / np.maximum(weights @ sure, 1e-9)
    shift = eased * eased_sure
    if np.abs(shift).max() < LEAST_PX:
        return None
    return shift[:, None] * up
