"""The default motion backend: dense optical flow on two CPU cores, no weights.

Per frame (crops are face-aligned by the pipeline, so walking across the camera's
view is not motion):
1. DIS optical flow from the current driver crop back to the calibrated neutral crop,
   at a small size (128 px: ~4 ms with the MEDIUM preset here), after normalising each
   crop's brightness inside the face so a lighting change is not read as motion.
2. The flow is split into a global similarity (head roll, approach, small shifts),
   fitted by weighted least squares over the face, and a local residual (eyes, brows,
   mouth). The residual is smoothed, clamped and masked to the inner face; the global
   part is damped (a visitor leaning in should not make the portrait zoom) and masked
   to the head. Both masks fall to zero before the crop's edge, so hair ends and the
   painting's background are not dragged.
3. Where the driver's mouth opened (dark pixels appearing inside the mouth zone that the
   neutral frame had no counterpart for), a shaded mouth interior in the portrait's own
   lip colour is painted, its light and dark (teeth, tongue) taken from the driver. The
   warp alone would only stretch the lips.
4. When the fit is poor (a large head turn, an occlusion, a light switched on), the
   motion eases back to rest over about half a second instead of tearing the face.

Motion is measured in crop pixels; both crops share one face layout (see geometry), so
it is already scaled from the driver's face size to the portrait's.
"""

from __future__ import annotations

import math
import time

import cv2
import numpy as np

from . import geometry
from .base import MOTION_BACKENDS, Availability, MotionBackend

PRESETS = {
    "ultrafast": cv2.DISOPTICAL_FLOW_PRESET_ULTRAFAST,
    "fast": cv2.DISOPTICAL_FLOW_PRESET_FAST,
    "medium": cv2.DISOPTICAL_FLOW_PRESET_MEDIUM,
}

# How fast motion returns to rest (or comes back) when confidence changes: a time
# constant, so ~95 % of the way in 3 tau = 0.5 s.
EASE_TAU_S = 0.17
# Damping of the head's global motion as shown on the portrait (1 = as measured).
ROTATION_GAIN = 1.0
SCALE_GAIN = 0.5
TRANSLATION_GAIN = 0.6
MAX_ROTATION_DEG = 25.0
MAX_SCALE_CHANGE = 0.12
MAX_SHIFT = 0.08  # of the crop side
# Expressions are carried slightly larger than measured: a painted face is softer than
# a lit one, and a visitor should see their grimace answered.
EXPRESSION_GAIN = 1.3
# Lowest trust given to the flow inside the inner face (see measure()).
TRUST_FLOOR = 0.5
# Largest local (expression) displacement, as a fraction of the crop side.
MAX_LOCAL = 0.06
# Mean absolute normalised-brightness error above which the flow is not trusted.
BAD_FIT_ERROR = 0.55


def _similarity_fit(p: np.ndarray, q: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Weighted least-squares similarity q ~ s R p + t. Returns (2x3 matrix, scale, angle rad)."""
    ws = w.sum() + 1e-9
    mp = (p * w[:, None]).sum(0) / ws
    mq = (q * w[:, None]).sum(0) / ws
    pc, qc = p - mp, q - mq
    a = (w * (pc[:, 0] * qc[:, 0] + pc[:, 1] * qc[:, 1])).sum()
    b = (w * (pc[:, 0] * qc[:, 1] - pc[:, 1] * qc[:, 0])).sum()
    n = (w * (pc**2).sum(1)).sum() + 1e-9
    ca, sa = a / n, b / n
    m = np.array([[ca, -sa, 0.0], [sa, ca, 0.0]])
    m[:, 2] = mq - m[:, :2] @ mp
    return m, float(np.hypot(ca, sa)), float(np.arctan2(sa, ca))


def _similarity(scale: float, angle: float, t: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """A similarity about `centre` followed by a shift `t`."""
    ca, sa = scale * np.cos(angle), scale * np.sin(angle)
    m = np.array([[ca, -sa, 0.0], [sa, ca, 0.0]])
    m[:, 2] = centre - m[:, :2] @ centre + t
    return m


@MOTION_BACKENDS.register("flow")
class FlowBackend(MotionBackend):
    """Dense-flow motion transfer; see the module docstring."""

    name = "flow"
    crop_size = 256
    supports_weight = True  # the pipeline may ask for partial motion (easing to rest)

    def __init__(
        self, crop_size: int = 256, flow_size: int = 128, preset: str = "medium", clock=time.monotonic
    ) -> None:
        self.crop_size = crop_size
        self.flow_size = flow_size
        self.dis = cv2.DISOpticalFlow_create(PRESETS[preset])
        self.clock = clock
        n, f = crop_size, flow_size
        self.face_mask = geometry.face_mask(f)
        self.head_mask = geometry.head_mask(f)
        self.mouth_zone = geometry.mouth_zone(f)
        self.face_mask_full = geometry.face_mask(n)
        self._support = (geometry.head_mask(n) > 1e-3).astype(np.float32)
        cx, cy, side = geometry.box_in_crop(f)
        # Eyes, brows and mouth: where expression flow is trusted even when it brings new
        # pixels (the face's edges, where hair crosses, get no such floor).
        eyes = [
            geometry.ellipse_mask(f, (ex, ey - 0.03 * side), (0.15 * side, 0.12 * side), 0.5)
            for ex, ey in geometry.eye_centres(f)
        ]
        self.features = np.maximum.reduce(eyes + [geometry.mouth_zone(f)]).astype(np.float32)
        # Per eye: where to look for a closing lid, and the backward field that lowers the
        # painted upper lid over the eye (a pixel below the lid samples from above).
        self._eye_zones, self._lids = [], []
        yy_f = np.mgrid[0:f, 0:f][0].astype(np.float32)
        for ex, ey in geometry.eye_centres(f):
            self._eye_zones.append(geometry.ellipse_mask(f, (ex, ey), (0.12 * side, 0.07 * side), 0.3))
            ax, ay = 0.13 * side, 0.07 * side
            xx_f = np.mgrid[0:f, 0:f][1].astype(np.float32)
            m = np.exp(-(((xx_f - ex) / ax) ** 2 + ((yy_f - ey) / ay) ** 2) * 1.5)
            below = np.clip((yy_f - (ey - ay)) / (2 * ay), 0, 1)
            self._lids.append((m * below * ay * 2.2).astype(np.float32))
        self.eye_closure: list[float] = [0.0, 0.0]
        # A tight zone around the lips, where an opening appears.
        self.mouth_core = geometry.ellipse_mask(f, (cx, cy + 0.30 * side), (0.20 * side, 0.11 * side), 0.4)
        self._core_area = float(self.mouth_core.sum())
        # What drops with the jaw: everything in the face below the lip line, fading out.
        mouth_y = cy + 0.30 * side
        yy = np.mgrid[0:f, 0:f][0].astype(np.float32)
        below = np.clip((yy - mouth_y) / (0.06 * side), 0, 1)
        jaw = geometry.ellipse_mask(f, (cx, cy + 0.42 * side), (0.34 * side, 0.30 * side), 0.6)
        self._chin = (below * jaw).astype(np.float32)
        self.jaw_drop = 0.0
        self.mouth_area = 0.0
        gy, gx = np.mgrid[0:n, 0:n].astype(np.float32)
        self._grid = (gx, gy)
        fy, fx = np.mgrid[0:f, 0:f].astype(np.float32)
        self._fgrid = np.stack([fx, fy], -1)
        # A sparse grid of sample points for the similarity fit (every 4th pixel).
        sel = (slice(2, f, 4), slice(2, f, 4))
        self._fit_p = self._fgrid[sel].reshape(-1, 2).astype(np.float64)
        self._fit_w = self.face_mask[sel].reshape(-1).astype(np.float64)
        self._centre = np.array([f / 2, f / 2])
        self.source: np.ndarray | None = None
        self.reference: np.ndarray | None = None
        self._prev_flow: np.ndarray | None = None
        self._field: np.ndarray | None = None  # last displayed displacement (flow px)
        self._open: np.ndarray | None = None
        self._weight = 0.0
        self._last_t: float | None = None
        self.confidence = 0.0
        self.last_global: tuple[float, float, float, float] = (1.0, 0.0, 0.0, 0.0)

    @classmethod
    def availability(cls, models_dir) -> Availability:
        return Availability(True, "needs no weights (OpenCV DIS optical flow)")

    # -- inputs ---------------------------------------------------------------
    def _norm_gray(self, image: np.ndarray) -> np.ndarray:
        """Grey at flow size, brightness and contrast normalised inside the face so a
        change of light is not read as motion."""
        g = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
        g = cv2.resize(g, (self.flow_size, self.flow_size), interpolation=cv2.INTER_AREA).astype(np.float32)
        w = self.face_mask
        mean = float((g * w).sum() / w.sum())
        std = float(np.sqrt(((g - mean) ** 2 * w).sum() / w.sum())) + 1.0
        return (g - mean) / std

    @staticmethod
    def _to_u8(n: np.ndarray) -> np.ndarray:
        return np.clip(n * 40 + 128, 0, 255).astype(np.uint8)

    def set_source(self, source: np.ndarray) -> None:
        self.source = np.ascontiguousarray(source)
        n = self.crop_size
        # The portrait's lip colour, for the mouth interior: the mean inside the mouth zone,
        # darkened and warmed (the inside of a mouth is a dark red whatever the lips are).
        zone = geometry.mouth_zone(n)[..., None]
        lip = (source.astype(np.float32) * zone).sum((0, 1)) / zone.sum()
        self._interior = np.clip(lip * np.array([0.42, 0.22, 0.22]) + np.array([18, 4, 4]), 0, 255).astype(
            np.float32
        )
        self._field = None
        self._open = None

    def calibrate(self, driver: np.ndarray) -> None:
        self.reference = self._norm_gray(driver)
        self._ref_u8 = self._to_u8(self.reference)
        self._prev_flow = None
        self._field = None
        self._open = None
        self._weight = 0.0  # ease in from rest
        self._last_t = None

    # -- per frame ------------------------------------------------------------
    def _ease(self, target: float) -> float:
        now = self.clock()
        dt = 1 / 30 if self._last_t is None else min(0.25, max(0.0, now - self._last_t))
        self._last_t = now
        k = 1 - math.exp(-dt / EASE_TAU_S)
        self._weight = float(self._weight + (target - self._weight) * k)
        return self._weight

    def measure(self, driver: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
        """Displayed displacement field (flow px, output->source) before weighting,
        the mouth-opening map in output coordinates, and the fit confidence."""
        assert self.reference is not None
        f = self.flow_size
        cur = self._norm_gray(driver)
        cur_u8 = self._to_u8(cur)
        init = self._prev_flow
        flow = self.dis.calc(cur_u8, self._ref_u8, init.copy() if init is not None else None)
        self._prev_flow = flow
        # How well does the flow explain the current frame? (photometric error in the face)
        maps = self._fgrid + flow
        warped_ref = cv2.remap(
            self.reference, maps[..., 0], maps[..., 1], cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
        )
        err = float((np.abs(warped_ref - cur) * self.face_mask).sum() / self.face_mask.sum())
        # Where the flow explains the image well, trust it; elsewhere (hair crossing the face,
        # a hand, a reflection) its vectors are noise and must not tear the portrait.
        # Expressions themselves make new pixels appear (eye whites, teeth), so distrust
        # only gross, extended mismatches (blurred first) and never below a floor inside
        # the features.
        mismatch = cv2.GaussianBlur(np.abs(warped_ref - cur), (0, 0), f / 40)
        trust = np.maximum(np.exp(-mismatch / 0.8), TRUST_FLOOR * self.features)
        # Global similarity: current crop coords -> reference coords, fitted twice: the
        # second pass down-weights points the first fit explains badly (robust IRLS step).
        sel = (slice(2, f, 4), slice(2, f, 4))
        q = self._fit_p + flow[sel].reshape(-1, 2)
        wfit = self._fit_w * trust[sel].reshape(-1)
        m, scale, angle = _similarity_fit(self._fit_p, q, wfit)
        r = np.linalg.norm(self._fit_p @ m[:, :2].T + m[:, 2] - q, axis=1)
        m, scale, angle = _similarity_fit(self._fit_p, q, wfit / (1 + (r / (0.02 * f)) ** 2))
        shift = m[:, 2] - (self._centre - m[:, :2] @ self._centre)
        glob = self._fgrid @ m[:, :2].T.astype(np.float32) + m[:, 2].astype(np.float32) - self._fgrid
        residual = (flow - glob) * (trust[..., None] * EXPRESSION_GAIN)
        residual = cv2.GaussianBlur(residual, (0, 0), f / 64)
        lim = MAX_LOCAL * f
        mag = np.linalg.norm(residual, axis=-1, keepdims=True)
        residual = residual * np.minimum(1.0, lim / (mag + 1e-6))
        # What the portrait shows of the head's motion: damped and bounded.
        d_angle = float(np.clip(angle * ROTATION_GAIN, *np.deg2rad([-MAX_ROTATION_DEG, MAX_ROTATION_DEG])))
        d_scale = float(1 + np.clip((scale - 1) * SCALE_GAIN, -MAX_SCALE_CHANGE, MAX_SCALE_CHANGE))
        d_shift = np.clip(shift * TRANSLATION_GAIN, -MAX_SHIFT * f, MAX_SHIFT * f)
        shown = _similarity(d_scale, d_angle, d_shift, self._centre)
        self.last_global = (scale, float(np.rad2deg(angle)), float(shift[0] / f), float(shift[1] / f))
        shown_field = (
            self._fgrid @ shown[:, :2].T.astype(np.float32) + shown[:, 2].astype(np.float32) - self._fgrid
        )
        field = shown_field * self.head_mask[..., None] + residual * self.face_mask[..., None]
        # Confidence: poor photometric fit, or a head turned beyond what a 2D warp can carry.
        conf = 1.0
        if err > BAD_FIT_ERROR:
            conf = max(0.0, 1 - (err - BAD_FIT_ERROR) / 0.25)
        if abs(np.rad2deg(angle)) > MAX_ROTATION_DEG * 1.4 or not (0.7 < scale < 1.4):
            conf = 0.0
        # Mouth opening. An open mouth is new content at the lip line that the neutral
        # frame has no counterpart for (a dark cavity, teeth), so the flow cannot explain
        # it: a large mismatch inside a tight zone around the lips, filling a real part of
        # it (a pout's shadow line under the lip is thin and below the zone).
        inv = cv2.invertAffineTransform(m.astype(np.float32))
        core = cv2.warpAffine(self.mouth_core, inv, (f, f))  # follows the head into current coords
        # Signed: the cavity is darker than what was there, teeth brighter than any skin. A
        # mouth closing after an open calibration brings lips (neither) and must not count.
        darker = cv2.GaussianBlur(warped_ref - cur, (0, 0), f / 128)
        teeth = np.clip((cur - 1.3) / 0.5, 0, 1) * np.clip((cur - warped_ref - 0.6) / 0.4, 0, 1)
        new = np.maximum(np.clip((darker - 0.6) / 0.5, 0, 1), teeth) * core
        area = float(new.sum() / self._core_area)
        self.mouth_area = area
        opening = new * float(np.clip((area - 0.04) / 0.06, 0, 1))
        # Place it in output coordinates: output x -> reference (shown) -> current (m^-1).
        out_to_cur = _compose(inv, shown)
        opening_out = cv2.warpAffine(
            opening, out_to_cur, (f, f), flags=cv2.WARP_INVERSE_MAP | cv2.INTER_LINEAR
        )
        self._shade = cv2.warpAffine(cur, out_to_cur, (f, f), flags=cv2.WARP_INVERSE_MAP | cv2.INTER_LINEAR)
        # Drop the jaw by part of the opening's height, so the painted lips part around the
        # interior instead of the interior being painted over closed lips.
        rows = opening_out.max(axis=1)
        drop = float(np.clip((rows > 0.4).sum() * 0.55, 0, 0.09 * f))
        self.jaw_drop = drop / f
        if drop > 0.5:
            field[..., 1] -= drop * self._chin
        # Eyelids. A closing eye is also new content the flow cannot explain: skin where the
        # neutral frame had a dark iris and lashes, so the eye zone turns brighter than the
        # warped neutral. Each eye's share lowers its painted lid (a wink stays a wink).
        # Only skin over what was dark: wide-open eyes also brighten the zone (more white
        # of the eye), but with sclera, far brighter than skin, over what was skin.
        brighter = (
            np.clip(cur - warped_ref - 0.5, 0, 3)
            * np.clip((1.0 - cur) / 0.4, 0, 1)
            * np.clip((-0.2 - warped_ref) / 0.4, 0, 1)
        )
        self.eye_closure = []
        for zone, lid in zip(self._eye_zones, self._lids, strict=True):
            score = float((brighter * zone).sum() / zone.sum())
            closure = float(np.clip((score - 0.12) / 0.25, 0, 1))
            self.eye_closure.append(closure)
            if closure > 0:
                field[..., 1] -= closure * lid
        return field.astype(np.float32), opening_out.astype(np.float32), conf

    def animate(self, driver: np.ndarray | None, weight: float = 1.0) -> np.ndarray:
        """`driver` None (face lost) or `weight` < 1 eases the motion towards rest."""
        if self.source is None:
            raise RuntimeError("set_source() first")
        target = weight
        if driver is not None and self.reference is not None:
            field, opening, conf = self.measure(driver)
            self.confidence = conf
            target *= conf
            if conf > 0.2 or self._field is None:
                # Light temporal smoothing: kills flicker of the flow on a still face, costs
                # well under a frame of lag.
                if self._field is None:
                    self._field, self._open = field, opening
                else:
                    self._field = 0.35 * self._field + 0.65 * field
                    self._open = 0.4 * self._open + 0.6 * opening
        else:
            target = 0.0
        w = self._ease(target)
        if self._field is None or w < 1e-3:
            return self.source.copy()
        return self.render(self._field * w, self._open * w if self._open is not None else None)

    def warp_by_field(self, field: np.ndarray) -> np.ndarray:
        """The source moved by a backward displacement given at crop size (idle motion)."""
        f = self.flow_size
        small = cv2.resize(field.astype(np.float32), (f, f), interpolation=cv2.INTER_AREA) * np.float32(
            f / self.crop_size
        )
        return self.render(small, None)

    def render(self, field: np.ndarray, opening: np.ndarray | None) -> np.ndarray:
        """Warp the source by a displacement field given at flow size (output -> source)."""
        n, f = self.crop_size, self.flow_size
        k = n / f
        big = cv2.resize(field.astype(np.float32), (n, n), interpolation=cv2.INTER_LINEAR) * np.float32(k)
        big *= self._support[..., None]  # exactly zero outside the head: background untouched
        out = cv2.remap(
            self.source,
            self._grid[0] + big[..., 0],
            self._grid[1] + big[..., 1],
            cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_REFLECT,
        )
        if opening is not None and float(opening.max()) > 0.05:
            a = cv2.resize(np.clip(opening * 1.6, 0, 1), (n, n), interpolation=cv2.INTER_LINEAR)[..., None]
            shade = cv2.resize(self._shade, (n, n), interpolation=cv2.INTER_LINEAR)
            # Light from the driver's mouth (teeth bright, throat dark), colour from the painting.
            light = np.clip(0.75 + 0.35 * shade, 0.35, 2.6)[..., None]
            interior = np.clip(self._interior * light + np.clip(shade - 0.6, 0, 2)[..., None] * 45, 0, 255)
            out = (out.astype(np.float32) * (1 - a) + interior * a).astype(np.uint8)
        return out


def _compose(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """2x3 affine a∘b (apply b, then a)."""
    a3 = np.vstack([a, [0, 0, 1]])
    b3 = np.vstack([b, [0, 0, 1]])
    return (a3 @ b3)[:2].astype(np.float32)
