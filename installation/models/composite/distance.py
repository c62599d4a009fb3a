"""How far a shown face is from the real people it was made from ("doesn't exist" stays true).

A composite looks a little like every one of its sources and like the average face: that
closeness is not identity. What makes a face someone is how it departs from the average
face (the caricaturist's insight, and how face-recognition spaces behave). So both
measures compare departures from the corpus's average:
- geometry: the 468 mesh points, fitted to the average shape by a similarity
  (Procrustes), minus the average shape;
- appearance: the grey picture warped to the average shape (so only the picture
  differs, not the geometry), over the face and a margin around it (hair line, jaw,
  beard), minus the average picture.
Departures are taken along the corpus's principal components, each scaled to unit
spread (whitened), so that a few large shared variations (head turn, light) do not
dominate.
The distance from a face to a source is the length of the difference of their
departures over the length of the source's: 0 is the source itself, 1 is as far as the
average face is, about 1.4 is an unrelated person. An equal composite of n unrelated
faces sits near sqrt((n - 1) / n) from each of them (0.71 for 2, 0.94 for 8).

The loop refuses any face nearer than its recipe's `min_distance` to one source, in
either measure (`loop.py`); docs/generator.md gives the measured scale that sets it.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .blend import Atlas
from .sources import Source, face_hull

COMPARE_SIDE = 128  # appearance is compared at this size: identity, not halftone grain
WHITEN_AXES = 40  # principal components kept; fewer than the sources, so the space is well posed


@dataclass(frozen=True)
class Nearest:
    geometry: float
    geometry_source: str
    appearance: float
    appearance_source: str

    def as_dict(self) -> dict:
        return {
            "geometry": round(self.geometry, 4),
            "geometry_source": self.geometry_source,
            "appearance": round(self.appearance, 4),
            "appearance_source": self.appearance_source,
        }


def procrustes(points: np.ndarray, target: np.ndarray) -> np.ndarray:
    """`points` moved by the similarity that best fits them onto `target` (Umeyama)."""
    p0, t0 = points - points.mean(0), target - target.mean(0)
    u, s, vt = np.linalg.svd(p0.T @ t0)
    d = np.sign(np.linalg.det(u @ vt))
    r = u @ np.diag([1.0, d]) @ vt
    scale = (s * [1.0, d]).sum() / (p0**2).sum()
    return scale * p0 @ r + target.mean(0)


def _relative(sources: np.ndarray, face: np.ndarray) -> np.ndarray:
    """Each source's distance to the face, in units of that source's distance from the
    average face: 0 is the source itself, 1 is as far as the average face is."""
    return np.linalg.norm(sources - face, axis=1) / np.maximum(np.linalg.norm(sources, axis=1), 1e-12)


def _whitening(departures: np.ndarray, keep: int = WHITEN_AXES) -> np.ndarray:
    """(d, k) principal axes scaled by 1/their spread: every way faces vary weighs the same,
    so head turn or lighting (a few large, shared components) cannot pass for identity
    (the "Mahalanobis cosine" of the FERET face-recognition evaluations)."""
    _, s, vt = np.linalg.svd(departures, full_matrices=False)
    k = min(keep, len(s) - 1)
    return vt[:k].T / np.maximum(s[:k], 1e-9)


class IdentitySpace:
    """The corpus's average face and every source's departure from it."""

    def __init__(self, atlas: Atlas, sources: list[Source]) -> None:
        if len(sources) < 3:
            raise ValueError("distances need at least 3 sources (an average and neighbours)")
        self.atlas, self.sources = atlas, sources
        self.shape = atlas.mean
        self.raster = atlas.raster(self.shape)
        region = face_hull(self.shape, atlas.side, grow=0.06)
        self.region = cv2.resize(region, (COMPARE_SIDE, COMPARE_SIDE), interpolation=cv2.INTER_AREA) > 0.5
        shapes = np.stack([procrustes(s.points, self.shape).ravel() for s in sources])
        pictures = np.stack([self._picture(s.pictures()[0], s.points) for s in sources])
        self.mean_shape, self.mean_picture = shapes.mean(0), pictures.mean(0)
        self.shape_axes = _whitening(shapes - self.mean_shape)
        self.picture_axes = _whitening(pictures - self.mean_picture)
        self.geometry = (shapes - self.mean_shape) @ self.shape_axes
        self.appearance = (pictures - self.mean_picture) @ self.picture_axes

    def _picture(self, grey: np.ndarray, points: np.ndarray) -> np.ndarray:
        free = self.atlas.warp_to(self.raster, grey, points)  # shape-free: on the average shape
        small = cv2.resize(free, (COMPARE_SIDE, COMPARE_SIDE), interpolation=cv2.INTER_AREA)
        v = small[self.region].astype(np.float64)
        return (v - v.mean()) / (v.std() + 1e-9)

    def departures(self, grey: np.ndarray, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        g = (procrustes(points, self.shape).ravel() - self.mean_shape) @ self.shape_axes
        a = (self._picture(grey, points) - self.mean_picture) @ self.picture_axes
        return g, a

    def nearest(self, grey: np.ndarray, points: np.ndarray, exclude: int | None = None) -> Nearest:
        """The nearest source in geometry and in appearance to a face (picture and shape)."""
        g, a = self.departures(grey, points)
        dg, da = _relative(self.geometry, g), _relative(self.appearance, a)
        if exclude is not None:
            dg[exclude] = da[exclude] = np.inf
        i, j = int(np.argmin(dg)), int(np.argmin(da))
        return Nearest(float(dg[i]), self.sources[i].file, float(da[j]), self.sources[j].file)

    def reference(self) -> list[Nearest]:
        """For every source, its nearest other source: how close two different people come."""
        dg = np.stack([_relative(self.geometry, v) for v in self.geometry])
        da = np.stack([_relative(self.appearance, v) for v in self.appearance])
        np.fill_diagonal(dg, np.inf)
        np.fill_diagonal(da, np.inf)
        out = []
        for k in range(len(self.sources)):
            i, j = int(np.argmin(dg[k])), int(np.argmin(da[k]))
            out.append(Nearest(float(dg[k, i]), self.sources[i].file, float(da[k, j]), self.sources[j].file))
        return out
