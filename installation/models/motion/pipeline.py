"""The per-frame portrait pipeline.

`PortraitAnimator` owns one portrait: it finds the painted face once, cuts the square
crop the backend works on, follows the visitor's face in camera frames (FaceTracker),
cuts the matching driver crop, calls the backend and pastes the animated crop back
into the whole picture through a feathered head-shaped mask (never a visible square).
`idle(t)` makes the attract-mode motion (breathing, blinks, glances) by synthesising a
driver from the portrait itself and passing it through the same backend, so the idle
portrait looks like the live one.

The worker that runs it in a thread beside the render loop is animator_worker.py.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from ..face import FaceBox, FaceObservation, detect_portrait_face, make_tracker
from . import geometry
from .base import MotionBackend
from .visitor import VisitorPresence

# The driver crop keeps the calibration's size while the visitor's distance changes
# little: Haar box sizes wobble by ~10 % frame to frame, and a crop that breathed with
# them would read as the portrait zooming. Beyond these ratios the crop follows.
CROP_SIZE_HOLD = (0.8, 1.25)


def tracker_for(backend_name: str, models_dir=None):
    """The face tracker a crop-based backend uses. `flow` is the fallback for when the face
    stack cannot load, and its crop geometry is tuned to Haar boxes, so it keeps Haar;
    every other backend takes its crop from the face stack."""
    if backend_name == "flow":
        from ..face.haar import HaarTracker

        return HaarTracker()
    return make_tracker(models_dir)[0]


class PortraitError(ValueError):
    """A portrait that cannot be animated (no face found, unreadable); the message says why."""


def build_animator(backend_name: str, portrait: np.ndarray, face: FaceBox | None = None,
                   models_dir=None, exaggeration: float = 1.0, lips_hidden: bool = False, picture: str = "auto"):
    """The per-portrait pipeline for a backend: the whole-picture mesh animator for `mesh`,
    the crop pipeline for the others (which paint no lids: `picture` is the mesh's,
    mesh/picture_kind.py). Raises PortraitError with the reason."""
    from .base import MOTION_BACKENDS

    if backend_name == "mesh":
        from ..face import FaceStack
        from .mesh import MeshAnimator, PortraitProblem

        try:
            return MeshAnimator(portrait, FaceStack.open(models_dir), exaggeration=exaggeration,
                                lips_hidden=lips_hidden, picture=picture)
        except PortraitProblem as error:
            raise PortraitError(str(error)) from None
    return PortraitAnimator(MOTION_BACKENDS.get(backend_name)(), portrait, face=face)


class PortraitAnimator(VisitorPresence):
    def __init__(
        self,
        backend: MotionBackend,
        portrait: np.ndarray,
        face: FaceBox | None = None,
        tracker=None,
    ) -> None:
        if portrait.ndim != 3 or portrait.shape[2] != 3:
            raise PortraitError("the portrait must be an RGB image")
        self.backend = backend
        self.portrait = np.ascontiguousarray(portrait)
        if face is None:
            face = detect_portrait_face(portrait)
            if face is None:
                raise PortraitError(
                    "no face found in the portrait; give its face box in the scene file (face = [x, y, size])"
                )
        self.face = face
        self.n = backend.crop_size
        self.tracker = tracker or tracker_for(backend.name)
        self.source_crop = geometry.cut(portrait, face.cx, face.cy, face.size, self.n)
        backend.set_source(self.source_crop)
        self._prepare_paste()
        self._calib_box: FaceBox | None = None
        self._idle_calibrated = False
        self._crop_side: float | None = None
        self.last_face: FaceObservation | None = None
        self._last_seen = -1e9

    # -- paste-back -------------------------------------------------------------
    def _prepare_paste(self) -> None:
        f, n = self.face, self.n
        m = geometry.crop_matrix(f.cx, f.cy, f.size, n)
        inv = cv2.invertAffineTransform(m)
        corners = np.array([[0, 0, 1], [n, 0, 1], [0, n, 1], [n, n, 1]], np.float32) @ inv.T
        h, w = self.portrait.shape[:2]
        x0, y0 = np.floor(corners.min(0)).astype(int)
        x1, y1 = np.ceil(corners.max(0)).astype(int)
        x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w, x1), min(h, y1)
        self._region = (x0, y0, x1, y1)
        # portrait-region pixel -> crop pixel
        shift = np.array([[1, 0, x0], [0, 1, y0], [0, 0, 1]], np.float32)
        self._region_to_crop = (np.vstack([m, [0, 0, 1]]) @ shift)[:2].astype(np.float32)
        mask = cv2.warpAffine(
            geometry.paste_mask(n),
            self._region_to_crop,
            (x1 - x0, y1 - y0),
            flags=cv2.WARP_INVERSE_MAP | cv2.INTER_LINEAR,
        )
        self._paste_alpha = mask[..., None].astype(np.float32)

    def paste(self, crop: np.ndarray) -> np.ndarray:
        """The whole portrait with `crop` blended in over the head."""
        x0, y0, x1, y1 = self._region
        warped = cv2.warpAffine(
            crop,
            self._region_to_crop,
            (x1 - x0, y1 - y0),
            flags=cv2.WARP_INVERSE_MAP | cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_REPLICATE,
        )
        out = self.portrait.copy()
        base = out[y0:y1, x0:x1].astype(np.float32)
        a = self._paste_alpha
        out[y0:y1, x0:x1] = (base + (warped.astype(np.float32) - base) * a + 0.5).astype(np.uint8)
        return out

    # -- the visitor --------------------------------------------------------------
    def driver_crop(self, frame: np.ndarray, box: FaceBox) -> np.ndarray:
        side = box.size
        if self._crop_side is not None:
            ratio = box.size / self._crop_side
            if CROP_SIZE_HOLD[0] < ratio < CROP_SIZE_HOLD[1]:
                side = self._crop_side
        return geometry.cut(frame, box.cx, box.cy, side, self.n)

    def calibrate(self, frame: np.ndarray, t: float, obs: FaceObservation | None = None) -> bool:
        """Take this frame as the visitor's neutral pose. False when no usable face."""
        obs = obs or self.observe(frame, t)
        if obs.box is None or obs.state not in ("ok", "too_far"):
            return False
        self._crop_side = obs.box.size
        self.backend.calibrate(self.driver_crop(frame, obs.box))
        self._calib_box = obs.box
        self._idle_calibrated = False
        return True

    @property
    def calibrated(self) -> bool:
        return self._calib_box is not None

    def step(self, frame: np.ndarray, t: float, obs: FaceObservation | None = None) -> np.ndarray:
        """One live frame: the whole portrait moved as the visitor moved."""
        obs = obs or self.observe(frame, t)
        if not self.calibrated:
            return self.portrait.copy()
        weighted = getattr(self.backend, "supports_weight", False)
        if obs.box is not None and obs.state in ("ok", "too_far", "several"):
            crop = self.backend.animate(self.driver_crop(frame, obs.box))
        elif weighted:
            crop = self.backend.animate(None)  # type: ignore[arg-type]  # eases to rest
        else:
            crop = self.source_crop
        return self.paste(crop)

    def end_visit(self) -> None:
        self._calib_box = None
        self._crop_side = None
        self.tracker.reset()

    # -- attract mode ---------------------------------------------------------------
    def idle_field(self, t: float) -> np.ndarray:
        """A synthetic backward displacement (crop px) for time t: breathing, slow sway,
        a blink every few seconds, an occasional glance."""
        n = self.n
        yy, xx = np.mgrid[0:n, 0:n].astype(np.float32)
        c = n / 2
        breath = 0.006 * math.sin(2 * math.pi * t / 4.6)
        sway = math.radians(1.6) * math.sin(2 * math.pi * t / 9.1) + math.radians(0.6) * math.sin(
            2 * math.pi * t / 3.7
        )
        s = 1 + breath
        ca, sa = math.cos(sway) / s, math.sin(sway) / s
        dx = ca * (xx - c) - sa * (yy - c) + c - xx
        dy = sa * (xx - c) + ca * (yy - c) + c - yy - breath * n * 0.5
        head = geometry.head_mask(n)
        dx, dy = dx * head, dy * head
        cx, cy, side = geometry.box_in_crop(n)
        # Blinks: about every 4.3 s, 0.22 s long (closing fast, opening a little slower).
        phase = (t % 4.3) / 0.22
        blink = math.sin(math.pi * min(1.0, phase) ** 0.8) if phase < 1 else 0.0
        # Glances: the eyes drift aside and back every ~11 s.
        g = (t % 11.0) / 11.0
        glance = math.sin(2 * math.pi * g) ** 3 if 0.5 < g < 1.0 else 0.0
        for ex, ey in geometry.eye_centres(n):
            ax, ay = 0.13 * side, 0.07 * side
            r2 = ((xx - ex) / ax) ** 2 + ((yy - ey) / ay) ** 2
            m = np.exp(-r2 * 1.5).astype(np.float32)
            # Backward field: a pixel below the upper lid samples from above -> the lid descends.
            below = np.clip((yy - (ey - ay)) / (2 * ay), 0, 1)
            dy -= blink * m * below * ay * 1.6
            dx -= glance * m * 0.18 * ax
        return np.stack([dx, dy], -1).astype(np.float32)

    def idle_crop(self, t: float) -> np.ndarray:
        if not self._idle_calibrated:
            self.backend.calibrate(self.source_crop)
            self._idle_calibrated = True
            self._calib_box = None
        f = self.idle_field(t)
        n = self.n
        direct = getattr(self.backend, "warp_by_field", None)
        if direct is not None:
            # A backend that warps by a displacement field takes the synthetic motion as
            # it is: exact, and no flow to estimate.
            return direct(f)
        yy, xx = np.mgrid[0:n, 0:n].astype(np.float32)
        driver = cv2.remap(
            self.source_crop, xx + f[..., 0], yy + f[..., 1], cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT
        )
        return self.backend.animate(driver)

    def idle(self, t: float) -> np.ndarray:
        """The attract-mode portrait at time t."""
        return self.paste(self.idle_crop(t))
