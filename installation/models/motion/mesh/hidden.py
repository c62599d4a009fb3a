"""What a turned sitter's nose hides: never sampled by the surface it hides.

On a sitter turned 30-40 degrees the nose covers a strip of the far cheek (and on some,
the background) in the picture. The face is triangulated as if it faced the viewer
(rig._triangulate), so the far cheek has triangles under the nose too, and their part of
the picture is the nose's own edge. When the visitor turns the sitter towards the viewer,
or an expression pulls the cheek, those triangles come out from behind the nose and show
what they were given: the nose's edge a second time, beside the nose, a double outline
(on Erasmus, turned 35 degrees, turned back 20: 104 pixels beside the nose sampled the
nose, in a line along its far side; 11 now).

So, on the picture at rest, each pixel's surface depth is known (the triangle it shows).
A pixel of the moved face whose triangle lies clearly behind the surface its source shows
in the picture (a nearer, other surface: the nose over the cheek) samples instead the
nearest picture pixel on the far side of that depth step: the cheek's own edge, smeared
across the few pixels the cheek gained. At rest nothing samples a nearer surface, so the
still portrait is unchanged to the byte.

The face's outline is left to the silhouette's culling (warp._drawing_order), save where
it lies behind the front of the face: on a sitter turned 40 degrees the far jaw's outline
runs under the nose and the moustache in the picture, and as a smile or an opening mouth
pulled the far corner away, the outline's triangles came out there with what they were
given: light chips of the nose's underside in the dark of the moustache beside the mouth
(a Brady studio photograph: the faces driver's widest smile and its turn). Behind the far cheek,
which every turned sitter's outline lies under, the outline samples as it did: moving those
put light specks beside a photograph's nose.
"""

from __future__ import annotations

import cv2
import numpy as np

# A surface this much nearer (share of the face height, mesh depth) than the triangle
# drawn over a pixel is another surface in front of it: the nose is 0.2-0.3 nearer than
# the far cheek it covers; neighbouring triangles of one surface differ by under 0.03.
STEP_SHARE = 0.06
# How far (share of the face height) from a depth step a source is looked for across it.
REACH_SHARE = 0.04


# Where a triangle is looked at for a nearer surface over it in the picture: near each
# corner, beside the middle of each edge, and its middle (barycentric weights).
_SPOTS = np.array([[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8], [0.45, 0.45, 0.1], [0.1, 0.45, 0.45],
                   [0.45, 0.1, 0.45], [1 / 3, 1 / 3, 1 / 3]])


class HiddenSources:
    """Rest-time depth of the picture on the warper's map grid, and the nearest place
    behind each depth step, to move sources that land on a nearer surface."""

    def __init__(self, depth: np.ndarray, triangles: np.ndarray, drawn: np.ndarray, rest: np.ndarray,
                 rest_index: np.ndarray, face_height: float, step: int,
                 outline: np.ndarray | None = None) -> None:
        """`depth`: per point at rest (larger is farther); `drawn`: per triangle, whether
        it is checked (the face's own, not the backdrop); `rest`: the points on the map
        grid at rest; `rest_index`: the triangle each map pixel shows at rest
        (len(triangles) where none); `outline`: per triangle, the face's outline's, checked
        only against the front of the face (nearer than its middle depth)."""
        self.near = np.append(depth[triangles].mean(1), np.inf).astype(np.float32)
        self.margin = STEP_SHARE * face_height
        # Per triangle, the surface depth under which what it samples is another surface in
        # front of it; the outline's only where that surface is the face's front as well.
        self.ceiling = self.near - np.float32(self.margin)
        checkable = drawn
        front = None
        self.outline = None
        if outline is not None and outline.any():
            front = np.float32(np.median(depth[np.unique(triangles[drawn | outline])]))
            self.ceiling[:-1][outline] = np.minimum(self.ceiling[:-1][outline], front)
            checkable = drawn | outline
            self.outline = np.append(outline, False)
        self.triangles = np.concatenate([triangles, np.full((1, 3), -1, triangles.dtype)])
        self.rest_index = rest_index
        self.shape = rest_index.shape
        # The picture's surface depth per map pixel, only where a face triangle shows.
        shown = np.where(np.append(drawn, False)[rest_index], self.near[rest_index], np.inf).astype(np.float32)
        self.shown = shown
        # Only triangles partly under a nearer surface in the picture can sample one: the
        # rest are never checked, which keeps the cost per frame to those few.
        corners = rest[triangles]  # (T, 3, 2)
        spots = np.einsum("sk,tkd->tsd", _SPOTS, corners)
        h, w = self.shape
        col = np.clip(np.rint(spots[..., 0]), 0, w - 1).astype(np.intp)
        row = np.clip(np.rint(spots[..., 1]), 0, h - 1).astype(np.intp)
        under = (shown[row, col] < self.ceiling[:-1, None]).any(axis=1)
        self.checked = np.append(checkable & under, False)
        self.corners = np.unique(triangles[checkable & under])
        reach = max(2, int(round(REACH_SHARE * face_height / step)))
        kernel = np.ones((2 * reach + 1, 2 * reach + 1), np.uint8)
        finite = np.where(np.isfinite(shown), shown, np.float32(1e9))
        nearest_near = cv2.erode(finite, kernel)
        # The far side of a depth step: pixels with a clearly nearer surface close by.
        behind = np.isfinite(shown) & (shown > nearest_near + self.margin)
        self.any = bool(behind.any()) and bool(self.checked.any())
        if not self.any:
            return
        self.to_row, self.to_col = _nearest(behind)
        # The outline's stand-in: the nearest place the picture shows no front of the face.
        # The far side of the nose's own step is still its underside or the lip below it,
        # as light as the nose: a chip there as before.
        deep = np.isfinite(shown) & (shown >= front) if front is not None else None
        self.deep_to = _nearest(deep) if deep is not None and deep.any() else None

    def redirect(self, index: np.ndarray, dx: np.ndarray, dy: np.ndarray, step: int, points: np.ndarray) -> int:
        """Move (in place; displacement in picture pixels on the map grid) the sources of
        pixels whose triangle lies behind the surface the picture shows there; how many.
        `points`: the moved points on the map grid (only around those checked is looked at)."""
        if not self.any:
            return 0
        h, w = self.shape
        low = np.maximum(np.floor(points[self.corners].min(0)).astype(int) - 1, 0)
        high = np.minimum(np.ceil(points[self.corners].max(0)).astype(int) + 2, (w, h))
        if np.any(high <= low):
            return 0
        rows, cols = np.nonzero(self.checked[index[low[1]:high[1], low[0]:high[0]]])
        if not len(rows):
            return 0
        rows += low[1]
        cols += low[0]
        sr = np.clip(np.rint(rows + dy[rows, cols] / step), 0, h - 1).astype(np.intp)
        sc = np.clip(np.rint(cols + dx[rows, cols] / step), 0, w - 1).astype(np.intp)
        drawn = index[rows, cols]
        hidden = self.shown[sr, sc] < self.ceiling[drawn]
        if not hidden.any():
            return 0
        # A surface sharing a corner with the triangle is its own neighbour, not one in
        # front of it (and where the fillers' coverage differs by a pixel along an edge, at
        # rest, the map stays the picture's own).
        rows, cols, sr, sc, drawn = rows[hidden], cols[hidden], sr[hidden], sc[hidden], drawn[hidden]
        in_front = self.triangles[self.rest_index[sr, sc]]
        hidden = ~(self.triangles[drawn][:, :, None] == in_front[:, None, :]).any(axis=(1, 2))
        if not hidden.any():
            return 0
        rows, cols, sr, sc, drawn = rows[hidden], cols[hidden], sr[hidden], sc[hidden], drawn[hidden]
        # The nearest place across the step: the picture's own edge of what lies behind.
        # (Walking on from there until the surface is as deep as the triangle's own jumped
        # past features into skin far away: light specks beside a photograph's nose.)
        found = np.column_stack([self.to_col[sr, sc], self.to_row[sr, sc]])
        if self.deep_to is not None:
            edge = self.outline[drawn]
            deep_row, deep_col = self.deep_to
            found[edge] = np.column_stack([deep_col[sr[edge], sc[edge]], deep_row[sr[edge], sc[edge]]])
        dx[rows, cols] = (found[:, 0] - cols) * step
        dy[rows, cols] = (found[:, 1] - rows) * step
        return len(rows)


def _nearest(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per pixel, the row and column of the nearest pixel of `mask`."""
    _, labels = cv2.distanceTransformWithLabels((~mask).astype(np.uint8), cv2.DIST_L2, 3,
                                                labelType=cv2.DIST_LABEL_PIXEL)
    rows, cols = np.nonzero(mask)  # the labels number the zero pixels in this order
    return np.append(0, rows).astype(np.float32)[labels], np.append(0, cols).astype(np.float32)[labels]
