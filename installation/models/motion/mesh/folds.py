"""Skin that gathers darkens; skin that stretches smooths.

Moving pixels alone leaves a smile's cheeks as flat as at rest: the fold from nose to
mouth corner does not deepen, and a viewer (and the face mesh) reads a weaker smile than
the visitor made. Real skin folds where it is compressed. So each frame, every mesh
point gets the log of how much the triangles around it shrank or grew, measured in 3D
(a turned head foreshortens its far side on screen; that is not skin gathering), and
relative to the whole face's change (the head coming closer is not either). That value is
spread over the portrait's rest pose (barycentric weights, computed once) and carried
to the screen by the same backward map as the pixels; the face is darkened a little
where it gathers and lightened a touch where it stretches.
"""

from __future__ import annotations

import cv2
import numpy as np

# Shading per unit of log area change: a patch of skin squeezed to half its area darkens
# by about a third. Stretched skin is left as it is: lightening it lit up whole cheeks of
# an opened jaw, with an edge where the face ends.
GATHER_GAIN = 0.5
STRETCH_GAIN = 0.0
SMOOTH_SHARE = 0.015  # blur of the shading, share of the face height
CELLS_PER_FACE = 100  # the shading is smooth: it is worked out on a grid this fine
COARSE = 4  # and looked up on screen every this many pixels

# A smile bunches the cheeks: each lifts into a rounded apple and the fold from the nose
# wing to past the mouth corner deepens under it. The mesh moves the corners and lifts the
# cheeks (0.02 face heights at a full smile on driver-smile-3s), but a lifted cheek moved
# as a flat picture stays flat, and the skin's own gathering (above) shades only a blob
# beside the corner: the paintings' smiles read as a mouth stretched across a still face.
# So the commanded smile shades the fold and lights the apple, in the picture's own
# colours (the pixels are scaled, never tinted). Per side, the corner's commanded lift
# and its outward move, as shares of a full smile's (driver-smile-3s at its widest:
# 0.074-0.098 eye distances out, 0.037-0.046 face heights up).
FULL_SMILE_OUT = 0.085  # eye distances
FULL_SMILE_UP = 0.04  # face heights
MAX_SMILE = 1.3
# The mesh points the fold runs through, from the nose wing to beside the mouth corner
# (on Thoreau's own deep folds: 129-203-206-216-212), how deep it is along them at a full
# smile (a share of the light taken), and the apple of the cheek above it.
FOLDS = ((129, 203, 206, 216, 212), (358, 423, 426, 436, 432))
FOLD_DEPTH = (0.10, 0.16, 0.16, 0.12, 0.04)
FOLD_WIDTH = 0.009  # face heights: the fold's soft half-width
APPLES = ((205, 50, 101), (425, 280, 330))
APPLE_LIGHT = 0.045
APPLE_SIZE = 0.05  # face heights
SMILE_CORNERS = ((61, -1.0), (291, 1.0))  # each corner and which way is out (x)


def commanded_smile(offsets: np.ndarray | None) -> tuple[float, float]:
    """Per side (image-left, image-right), how far the motion's mouth corner moves as a smile
    moves it, 1.0 at a full smile: up and out. A jaw dropping pulls the corners down and
    in, a pout pulls them in: neither is a smile."""
    if offsets is None:
        return 0.0, 0.0
    out = []
    for corner, outward in SMILE_CORNERS:
        wide = outward * float(offsets[corner, 0]) / FULL_SMILE_OUT
        up = -float(offsets[corner, 1]) / FULL_SMILE_UP
        out.append(float(np.clip(0.5 * (wide + up), 0.0, MAX_SMILE)))
    return out[0], out[1]


def _cheek_lift(src: np.ndarray, grid_shape: tuple[int, int], cell: float, face_height: float,
                skin: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per side, the shading (gain, over the rest pose's grid) of a full smile's cheek:
    the fold darker, the apple above it lighter. `skin`: the grid cells on shaded skin."""
    yy, xx = np.mgrid[0:grid_shape[0], 0:grid_shape[1]].astype(np.float32)
    patterns = []
    for fold, apple in zip(FOLDS, APPLES, strict=True):
        line = src[list(fold), :2] / cell
        depth = np.full(grid_shape, 0.0, np.float32)
        width = max(0.6, FOLD_WIDTH * face_height / cell)
        for (a, b), (da, db) in zip(zip(line[:-1], line[1:], strict=True),
                                    zip(FOLD_DEPTH[:-1], FOLD_DEPTH[1:], strict=True), strict=True):
            seg = b - a
            t = np.clip(((xx - a[0]) * seg[0] + (yy - a[1]) * seg[1]) / max(float(seg @ seg), 1e-6), 0.0, 1.0)
            gap = np.hypot(xx - a[0] - t * seg[0], yy - a[1] - t * seg[1])
            depth = np.maximum(depth, (da + t * (db - da)) * np.exp(-0.5 * (gap / width) ** 2))
        centre = src[list(apple), :2].mean(0) / cell
        size = APPLE_SIZE * face_height / cell
        light = APPLE_LIGHT * np.exp(-0.5 * ((xx - centre[0]) ** 2 + (yy - centre[1]) ** 2) / size ** 2)
        patterns.append(((light - depth) * skin).astype(np.float32))
    return patterns[0], patterns[1]


def triangle_areas(points: np.ndarray, triangles: np.ndarray) -> np.ndarray:
    """Signed areas in the picture's plane (x, y), or unsigned in space with (x, y, z)."""
    a, b, c = (points[triangles[:, k]] for k in range(3))
    if points.shape[1] == 3:  # |cross| written out: the same sums, for half of np.cross's cost
        u, v = b - a, c - a
        x = u[:, 1] * v[:, 2] - u[:, 2] * v[:, 1]
        y = u[:, 2] * v[:, 0] - u[:, 0] * v[:, 2]
        z = u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0]
        return 0.5 * np.sqrt(x * x + y * y + z * z)
    return 0.5 * ((b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0]))


class FoldShading:
    """Per-frame shading of the region from the mesh's area change."""

    def __init__(self, src: np.ndarray, triangles: np.ndarray, shaded: np.ndarray, image_shape: tuple,
                 face_height: float, edge: tuple[int, ...] = ()) -> None:
        """`src`: the rest pose's points (x, y, z picture pixels). `shaded`: per triangle,
        whether its change of area shades the skin (not the eye and mouth openings, not
        the rings around the face). `edge`: points where the
        shading fades to nothing (the face's outline), so it never ends in a line."""
        self.fade = np.ones(len(src))
        self.fade[list(edge)] = 0.0
        self.triangles = triangles
        self.shaded = shaded
        self.rest = np.abs(triangle_areas(src, triangles))
        src = src[:, :2]
        n = len(src)
        # Each point's share of its shaded triangles, to average their change onto points.
        self.corners = triangles[shaded].reshape(-1)
        self.counts = np.bincount(self.corners, minlength=n).astype(np.float64)
        self.cell = max(1.0, face_height / CELLS_PER_FACE)
        self.blur = max(0.8, SMOOTH_SHARE * face_height / self.cell)
        src = src / self.cell
        # Rest-pose raster: every cell's triangle and barycentric weights, once.
        h, w = int(np.ceil(image_shape[0] / self.cell)) + 1, int(np.ceil(image_shape[1] / self.cell)) + 1
        index = np.full((h, w), -1, np.int32)
        for i in np.nonzero(shaded)[0]:
            corners = np.round(src[triangles[i]] * 16).astype(np.int32)
            cv2.fillConvexPoly(index, corners, int(i), cv2.LINE_8, 4)
        ys, xs = np.nonzero(index >= 0)
        tri = triangles[index[ys, xs]]
        a, b, c = (src[tri[:, k]] for k in range(3))
        det = (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (c[:, 0] - a[:, 0]) * (b[:, 1] - a[:, 1])
        det = np.where(np.abs(det) < 1e-9, 1e-9, det)
        px, py = xs - a[:, 0], ys - a[:, 1]
        wb = (px * (c[:, 1] - a[:, 1]) - (c[:, 0] - a[:, 0]) * py) / det
        wc = ((b[:, 0] - a[:, 0]) * py - px * (b[:, 1] - a[:, 1])) / det
        self.pixels = (ys, xs)
        self.vertices = tri
        self.weights = np.stack([1 - wb - wc, wb, wc], 1).clip(0, 1).astype(np.float32)
        # The same, laid out for the frame's scatter: flat cell numbers, and per corner its
        # points and weights (a (cells x 3) gather and sum cost five times as much).
        self._cells = ys * w + xs
        self._corners = tuple(np.ascontiguousarray(tri[:, k]) for k in range(3))
        self._corner_weights = tuple(np.ascontiguousarray(self.weights[:, k]) for k in range(3))
        self.field = np.zeros((h, w), np.float32)
        self._shown = np.zeros((h, w), np.float32)
        self._black: np.ndarray | None = None
        if len(ys):
            self.box = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
        else:
            self.box = (0, 0, 0, 0)
        # The cheeks' shading at a full smile, on the skin only (it fades out at the face's
        # edge and the openings as the gathering does: blurred over the skin cells).
        on_skin = np.zeros((h, w), np.float32)
        on_skin[ys, xs] = 1.0
        on_skin = cv2.GaussianBlur(on_skin, (0, 0), self.blur) * on_skin
        self.cheeks = _cheek_lift(src * self.cell, (h, w), self.cell, face_height, on_skin) if len(src) >= 468 \
            else None

    def field_for(self, points: np.ndarray, smile: tuple[float, float] = (0.0, 0.0)) -> np.ndarray | None:
        """The shading spread over the rest pose, one value per cell (`self.cell` pixels
        square), or None when nothing gathers, stretches or smiles enough to show.
        `smile`: per side, `commanded_smile`."""
        gathered = self._gathered(points)
        if self.cheeks is None or max(smile) < 0.02:
            return gathered
        shown = self._shown
        if gathered is None:
            shown[:] = 0.0
        else:
            np.copyto(shown, gathered)
        # (In a buffer of its own: the cheeks are added to a copy, not to the gathering itself.)
        for amount, cheek in zip(smile, self.cheeks, strict=True):
            if amount > 0.0:
                shown += amount * cheek
        return shown

    def _gathered(self, points: np.ndarray) -> np.ndarray | None:
        now = np.abs(triangle_areas(points, self.triangles))
        change = np.log(np.maximum(now, 1e-3) / np.maximum(self.rest, 1e-3))
        change -= np.median(change[self.shaded])
        change = np.clip(np.where(self.shaded, change, 0.0), -1.0, 0.7)
        if np.abs(change).max() < 0.05:
            return None
        per_point = np.bincount(self.corners, weights=np.repeat(change[self.shaded], 3),
                                minlength=len(self.counts))
        per_point *= self.fade / np.maximum(self.counts, 1.0)
        shade = np.where(per_point < 0, GATHER_GAIN * per_point, STRETCH_GAIN * per_point).astype(np.float32)
        (i0, i1, i2), (w0, w1, w2) = self._corners, self._corner_weights
        values = w0 * shade[i0]  # summed in the order (cells x 3).sum(1) does: the same bytes
        values += w1 * shade[i1]
        values += w2 * shade[i2]
        x0, y0, x1, y1 = self.box
        # The cells off the skin (the openings, beyond the outline) are blurred into, never
        # written: cleared first, or each frame re-blurred the earlier frames' shading there
        # and the same motion drew differently after a smile than after rest.
        self.field[y0:y1, x0:x1] = 0.0
        self.field.reshape(-1)[self._cells] = values
        self.field[y0:y1, x0:x1] = cv2.GaussianBlur(self.field[y0:y1, x0:x1], (0, 0), self.blur)
        return self.field

    def shade(self, region: np.ndarray, points: np.ndarray, map_x: np.ndarray, map_y: np.ndarray,
              box: tuple[int, int, int, int], smile: tuple[float, float] = (0.0, 0.0), grey: bool = False) -> None:
        """Darken `region` (in place) inside `box` (region pixels) where the skin gathers,
        and shade the cheeks of a `smile`; `points`: the moved mesh (x, y, z), the maps
        (absolute picture coordinates) say where each pixel came from. `grey`: the region's
        three channels are equal (a monochrome picture as sampled), so one is shaded and
        spread to the others: the same bytes for a third of the blend (0.2 ms a frame on
        Thoreau's face)."""
        field = self.field_for(points, smile)
        x0, y0, x1, y1 = box
        if field is None or x1 <= x0 or y1 <= y0:
            return
        scale = 1.0 / self.cell
        # The shading is smooth: look it up every few pixels and enlarge.
        k = COARSE
        gx = np.ascontiguousarray(map_x[y0:y1:k, x0:x1:k]) * scale
        gy = np.ascontiguousarray(map_y[y0:y1:k, x0:x1:k]) * scale
        coarse = cv2.remap(field, gx, gy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
        gain = cv2.resize(coarse, (x1 - x0, y1 - y0), interpolation=cv2.INTER_LINEAR)
        patch = region[y0:y1, x0:x1]
        channel = np.ascontiguousarray(patch[..., 0]) if grey else patch
        if self._black is None or self._black.shape != channel.shape:
            self._black = np.zeros_like(channel)
        # (1 + gain) * patch, saturated, in one OpenCV call: blend with black whose weight
        # is -gain (weights sum to one).
        shaded = cv2.blendLinear(channel, self._black, 1.0 + gain, -gain)
        patch[:] = cv2.cvtColor(shaded, cv2.COLOR_GRAY2RGB) if grey else shaded  # (numpy's broadcast: 0.5 ms)
