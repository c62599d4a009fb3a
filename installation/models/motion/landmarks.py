"""Optional backend "landmarks": 68 facial landmarks (face-alignment's FAN) drive a
piecewise-affine warp of the portrait, the approach of "Bringing Portraits to Life"
without its texture transfer.

Available only when the `face_alignment` package is importable AND its landmark weights
(`2DFAN4-11f355bf06.pth.tar`) are already on disk: the package would otherwise try to
download them at first use, and nothing is downloaded at run time. FAN costs ~175 ms per
crop on two CPU cores, so this is a choice for a machine with a GPU or for offline renders.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from pathlib import Path

import cv2
import numpy as np

from .base import MOTION_BACKENDS, Availability, MotionBackend

log = logging.getLogger("bayard.motion")
FAN_WEIGHTS = "2DFAN4-11f355bf06.pth.tar"


def _weights_path(models_dir: Path) -> Path | None:
    torch_home = Path(os.environ.get("TORCH_HOME", Path.home() / ".cache" / "torch"))
    for candidate in (Path(models_dir) / FAN_WEIGHTS, torch_home / "hub" / "checkpoints" / FAN_WEIGHTS):
        if candidate.is_file():
            return candidate
    return None


def border_points(size: int, per_side: int = 4) -> np.ndarray:
    """Fixed anchors on the crop's edge: the warp fades to nothing there."""
    t = np.linspace(0, size - 1, per_side + 1)
    pts = (
        [(x, 0) for x in t]
        + [(x, size - 1) for x in t]
        + [(0, y) for y in t[1:-1]]
        + [(size - 1, y) for y in t[1:-1]]
    )
    return np.array(pts, np.float32)


def triangulate(points: np.ndarray, size: int) -> np.ndarray:
    """Delaunay triangles (index triples) over `points` inside a size x size square."""
    subdiv = cv2.Subdiv2D((0, 0, size, size))
    for p in points:
        subdiv.insert((float(np.clip(p[0], 0, size - 1)), float(np.clip(p[1], 0, size - 1))))
    tris = []
    lookup = {
        (round(float(p[0]), 3), round(float(p[1]), 3)): i for i, p in enumerate(np.clip(points, 0, size - 1))
    }
    for x1, y1, x2, y2, x3, y3 in subdiv.getTriangleList():
        idx = [lookup.get((round(x, 3), round(y, 3))) for x, y in ((x1, y1), (x2, y2), (x3, y3))]
        if None not in idx:
            tris.append(idx)
    return np.array(tris, np.int32)


def piecewise_affine_warp(
    image: np.ndarray, src_pts: np.ndarray, dst_pts: np.ndarray, triangles: np.ndarray
) -> np.ndarray:
    """Move the image so each point src_pts[i] lands on dst_pts[i], one affine per triangle."""
    out = image.copy()
    h, w = image.shape[:2]
    for tri in triangles:
        s, d = src_pts[tri].astype(np.float32), dst_pts[tri].astype(np.float32)
        x, y, bw, bh = cv2.boundingRect(d)
        x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + bw, w), min(y + bh, h)
        if x1 <= x0 or y1 <= y0:
            continue
        m = cv2.getAffineTransform((d - [x0, y0]).astype(np.float32), s)  # dst-local -> src (inverse mapping)
        patch = cv2.warpAffine(
            image,
            m,
            (x1 - x0, y1 - y0),
            flags=cv2.WARP_INVERSE_MAP | cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_REFLECT,
        )
        mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
        cv2.fillConvexPoly(mask, np.round(d - [x0, y0]).astype(np.int32), 1, lineType=cv2.LINE_8)
        region = out[y0:y1, x0:x1]
        region[mask.astype(bool)] = patch[mask.astype(bool)]
    return out


@MOTION_BACKENDS.register("landmarks")
class LandmarkBackend(MotionBackend):
    name = "landmarks"
    crop_size = 256
    _warned = False

    @classmethod
    def availability(cls, models_dir: Path) -> Availability:
        if importlib.util.find_spec("face_alignment") is None:
            result = Availability(False, "face-alignment is not installed (pip install face-alignment)")
        elif _weights_path(Path(models_dir)) is None:
            result = Availability(
                False,
                f"face-alignment weights {FAN_WEIGHTS} not found in {models_dir} "
                "or $TORCH_HOME/hub/checkpoints (nothing is downloaded at run time)",
            )
        else:
            result = Availability(True, "face-alignment and its weights are present")
        if not result.ok and not cls._warned:
            log.info("landmarks backend unavailable: %s", result.reason)
            cls._warned = True
        return result

    def __init__(self, models_dir: Path = Path("models")) -> None:
        self.models_dir = Path(models_dir)
        self._fa = None
        self.source: np.ndarray | None = None

    def _detector(self):
        if self._fa is None:
            import face_alignment  # lazy: pulls torch

            path = _weights_path(self.models_dir)
            if path is None:
                raise RuntimeError(self.availability(self.models_dir).reason)
            os.environ.setdefault("TORCH_HOME", str(path.parent.parent.parent))
            kind = getattr(face_alignment.LandmarksType, "TWO_D", None) or face_alignment.LandmarksType._2D
            self._fa = face_alignment.FaceAlignment(
                kind, device="cpu", face_detector="folder", flip_input=False
            )
        return self._fa

    def landmarks(self, crop: np.ndarray) -> np.ndarray | None:
        n = crop.shape[0]
        # The crop is face-aligned: give FAN the face box instead of running a detector.
        box = np.array([[n * 0.22, n * 0.2, n * 0.78, n * 0.86]], np.float32)
        found = self._detector().get_landmarks_from_image(crop, detected_faces=list(box))
        return None if not found else np.asarray(found[0], np.float32)[:, :2]

    def set_source(self, source: np.ndarray) -> None:
        self.source = source
        self._src_lm = self.landmarks(source)
        if self._src_lm is None:
            raise RuntimeError("no landmarks found on the portrait's face")
        pts = np.vstack([self._src_lm, border_points(self.crop_size)])
        self._tris = triangulate(pts, self.crop_size)

    def calibrate(self, driver: np.ndarray) -> None:
        self._ref_lm = self.landmarks(driver)

    def animate(self, driver: np.ndarray) -> np.ndarray:
        assert self.source is not None
        lm = self.landmarks(driver)
        if lm is None or self._ref_lm is None:
            return self.source.copy()
        moved = self._src_lm + (lm - self._ref_lm)
        border = border_points(self.crop_size)
        return piecewise_affine_warp(
            self.source, np.vstack([self._src_lm, border]), np.vstack([moved, border]), self._tris
        )
