"""Piecewise-affine warps over a Delaunay triangulation, with one remap per picture.

The usual recipe warps each triangle on its own (a warpAffine and a mask per triangle:
about 900 small warps per face). Here the destination shape is rasterised once into a
map of triangle numbers; a picture's source coordinates then follow from each pixel's
triangle's affine matrix in one gather, and a single `cv2.remap` moves every pixel. A
composite warps many pictures to the same shape, so the raster is paid once per shape
and each picture costs one gather and one remap (about 10 ms at 512 px on one core).
"""

from __future__ import annotations

import cv2
import numpy as np

SUBPIXEL_BITS = 4  # fillConvexPoly's fixed-point precision: triangle edges land within 1/16 px


def frame_points(side: int, per_edge: int = 4) -> np.ndarray:
    """Points on the picture's border, fixed in every shape: they pin the warp's outside,
    so the triangulation covers the whole picture and its edges never move."""
    s = side - 1
    steps = np.linspace(0, s, per_edge + 1)
    pts = [(x, 0) for x in steps] + [(x, s) for x in steps]
    pts += [(0, y) for y in steps[1:-1]] + [(s, y) for y in steps[1:-1]]
    return np.array(pts, np.float32)


def triangulate(points: np.ndarray, side: int) -> np.ndarray:
    """Delaunay triangles (m, 3) of point indices, for a shape inside a side x side picture."""
    subdiv = cv2.Subdiv2D((-1, -1, side + 2, side + 2))
    pts = np.asarray(points, np.float32)
    lookup = {}
    for i, (x, y) in enumerate(pts):
        key = (round(float(x), 3), round(float(y), 3))
        if key in lookup:
            raise ValueError(f"points {lookup[key]} and {i} coincide; a triangulation needs distinct points")
        lookup[key] = i
        subdiv.insert((float(x), float(y)))
    triangles = []
    for t in subdiv.getTriangleList():
        corners = [lookup.get((round(float(t[k]), 3), round(float(t[k + 1]), 3))) for k in (0, 2, 4)]
        if None not in corners:  # triangles touching Subdiv2D's outer helper vertices
            triangles.append(corners)
    return np.array(sorted(triangles), np.int32)


class ShapeRaster:
    """A destination shape rasterised: which triangle each output pixel belongs to."""

    def __init__(self, triangles: np.ndarray, dst: np.ndarray, side: int) -> None:
        self.triangles, self.dst, self.side = triangles, np.asarray(dst, np.float64), side
        ids = np.full((side, side), -1, np.int32)
        scale = 1 << SUBPIXEL_BITS
        for n, tri in enumerate(triangles):
            poly = np.round(self.dst[tri] * scale).astype(np.int32)
            cv2.fillConvexPoly(ids, poly, n, lineType=cv2.LINE_8, shift=SUBPIXEL_BITS)
        # Pixels no triangle claimed (only possible on a folded shape) keep their place.
        self.ids = ids.ravel()
        self.outside = self.ids < 0
        self.ids = np.where(self.outside, 0, self.ids)
        ys, xs = np.mgrid[0:side, 0:side].astype(np.float32)
        self.xs, self.ys = xs.ravel(), ys.ravel()

    def affines(self, src: np.ndarray) -> np.ndarray:
        """(m, 3, 2): for each triangle, [x y 1] in the destination times this is the source point."""
        d = self.dst[self.triangles]  # (m, 3, 2)
        s = np.asarray(src, np.float64)[self.triangles]
        a = np.concatenate([d, np.ones(d.shape[:2] + (1,))], axis=2)  # (m, 3, 3)
        det = np.linalg.det(a)
        bad = np.abs(det) < 1e-9
        a[bad] = np.eye(3)  # a collapsed triangle maps by identity rather than to infinity
        out = np.linalg.solve(a, s)
        out[bad] = np.array([[1, 0], [0, 1], [0, 0]], np.float64)
        return out

    def maps(self, src: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """remap's (map_x, map_y): where in the source picture each output pixel comes from."""
        m = self.affines(src).astype(np.float32)[self.ids]  # (pixels, 3, 2)
        map_x = self.xs * m[:, 0, 0] + self.ys * m[:, 1, 0] + m[:, 2, 0]
        map_y = self.xs * m[:, 0, 1] + self.ys * m[:, 1, 1] + m[:, 2, 1]
        map_x[self.outside] = self.xs[self.outside]
        map_y[self.outside] = self.ys[self.outside]
        shape = (self.side, self.side)
        return map_x.reshape(shape), map_y.reshape(shape)

    def warp(self, image: np.ndarray, src: np.ndarray) -> np.ndarray:
        """`image`, whose features sit at `src`, moved so that they sit at this shape."""
        map_x, map_y = self.maps(src)
        return cv2.remap(image, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
