"""Following one visitor's face from frame to frame, steadily.

The mesh tracks itself: each frame's crop comes from the last frame's landmarks, and the
detector runs again only when the mesh loses the face (MediaPipe's own scheme), plus now
and then to count the people in view. Landmarks are steadied by a One Euro filter, whose
smoothing falls as motion rises: no jitter on a still visitor, no lag on a real move.

The tracker also says what the kiosk should prompt: "none", "too_far" (step closer),
"off_axis" (face the camera), "several" (one at a time) or "ok".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .faces import Face, covers, one_per_place
from .geometry import Region
from .landmarks import region_from_landmarks
from .stack import FaceStack, as_rgb

# A face smaller than this fraction of the frame height is too far away to animate well.
MIN_FACE_FRACTION = 0.17
# Another face at least this large (relative to the chosen one) means "one at a time".
SEVERAL_RELATIVE_SIZE = 0.7
# Past this head turn the portrait cannot follow: ask the visitor to face the camera.
OFF_AXIS_YAW_DEG = 40.0
# The mesh's crop is kept until the face has moved out of it by this much (shift as a
# share of the crop's side, size as a ratio, turn in degrees). Re-cut from every frame's
# own landmarks, the crop feeds the mesh's jitter back into the next frame: a still
# picture read this way wobbles by 0.17 degrees of roll and a third of a pixel, frame to
# frame. The mesh was trained on crops offset far more than this, so a held crop reads
# the face as well as a fresh one.
CROP_HOLD_SHIFT = 0.02
CROP_HOLD_SIZE = 0.03
CROP_HOLD_TURN_DEG = 1.5


class OneEuro:
    """The One Euro filter (Casiez et al., CHI 2012): an adaptive low-pass whose cutoff
    rises with speed. min_cutoff (Hz) sets the stillness smoothing, beta the speed gain."""

    def __init__(self, min_cutoff: float = 1.0, beta: float = 0.02, d_cutoff: float = 1.0) -> None:
        self.min_cutoff, self.beta, self.d_cutoff = min_cutoff, beta, d_cutoff
        self.x: float | None = None
        self.dx = 0.0
        self.t: float | None = None

    @staticmethod
    def _alpha(cutoff: float, dt: float) -> float:
        tau = 1.0 / (2 * math.pi * cutoff)
        return 1.0 / (1.0 + tau / dt)

    def reset(self) -> None:
        self.x, self.t, self.dx = None, None, 0.0

    def __call__(self, x: float, t: float) -> float:
        if self.x is None or self.t is None or t <= self.t:
            if self.x is None:
                self.x, self.t = x, t
            return self.x
        dt = t - self.t
        self.t = t
        a_d = self._alpha(self.d_cutoff, dt)
        self.dx = a_d * (x - self.x) / dt + (1 - a_d) * self.dx
        cutoff = self.min_cutoff + self.beta * abs(self.dx)
        a = self._alpha(cutoff, dt)
        self.x = a * x + (1 - a) * self.x
        return self.x


@dataclass(frozen=True)
class FaceBox:
    """A face as centre and side (pixels of the frame), square."""

    cx: float
    cy: float
    size: float

    @classmethod
    def from_rect(cls, x: float, y: float, w: float, h: float) -> FaceBox:
        return cls(x + w / 2, y + h / 2, (w + h) / 2)

    def rect(self) -> tuple[int, int, int, int]:
        s = self.size
        return int(round(self.cx - s / 2)), int(round(self.cy - s / 2)), int(round(s)), int(round(s))


@dataclass(frozen=True)
class FaceObservation:
    state: str  # none / too_far / off_axis / several / ok
    box: FaceBox | None  # smoothed; None when no face is being followed
    raw: FaceBox | None  # this frame's unsmoothed box (detected or tracked)
    detected: bool  # True on frames where the detector (not the tracker) found the box
    faces: int  # how many faces the last detection saw

    @property
    def prompt(self) -> str:
        return PROMPTS[self.state]


PROMPTS = {
    "none": "",
    "too_far": "Step closer",
    "off_axis": "Face the camera",
    "several": "One at a time, please",
    "ok": "",
}




@dataclass(frozen=True)
class TrackedFace(FaceObservation):
    """An observation from the mesh tracker: also the steadied face and this frame's raw one."""

    face: Face | None = None  # landmarks steadied by the One Euro filter
    raw_face: Face | None = None


def _readable(face: Face | None) -> Face | None:
    """The mesh's reading, or None where a landmark is not a number: passed on, one such
    frame made the portrait's fit of the visitor's head fail (its SVD did not converge), a
    fault in the middle of a visit; taken as a blurred frame, the visitor is kept a moment."""
    return face if face is None or np.all(np.isfinite(face.landmarks)) else None


class FaceTracker:
    """Follow the visitor nearest the centre with the face mesh.

    The One Euro settings are in face heights: a still face keeps well under a pixel of
    jitter at 3 Hz, and fast expressions (a blink is 100-150 ms) pass with little lag.
    Offline work that needs no steadying reads `raw_face`."""

    def __init__(self, stack: FaceStack, *, min_cutoff: float = 3.0, beta: float = 8.0,
                 count_every: int = 15, lost_after_s: float = 0.4) -> None:
        self.stack = stack
        self.min_cutoff, self.beta = min_cutoff, beta
        self.count_every = max(1, count_every)
        self.lost_after_s = lost_after_s
        self.reset()

    def reset(self) -> None:
        self._landmarks: np.ndarray | None = None
        self._region: Region | None = None
        self._filter = OneEuro(self.min_cutoff, self.beta)
        self._frame_no = 0
        self._faces = 0
        self._last_seen_t = -math.inf
        self._last_face: Face | None = None
        self._last_smooth: Face | None = None

    def _choose(self, faces: list[Face], w: int, h: int) -> Face:
        return min(faces, key=lambda f: math.hypot(f.centre[0] - w / 2, f.centre[1] - h / 2)
                   / max(f.height, 1.0) ** 0.5)

    def update(self, frame: np.ndarray, t: float) -> TrackedFace:
        rgb = as_rgb(frame)
        h, w = rgb.shape[:2]
        face = _readable(self.stack.mesh(rgb, self._next_crop())) if self._landmarks is not None else None
        detected = False
        count_now = face is None or self._frame_no % self.count_every == 0
        self._frame_no += 1
        # The slower last looks (light evened, centre zoomed) every third empty frame only:
        # with nobody in front of the kiosk, detection runs on every frame.
        detections = self.stack.detect(rgb, thorough=self._frame_no % 3 == 0) if count_now else None
        if face is None and detections:
            meshed = (_readable(self.stack.mesh(rgb, d)) for d in detections[:4])
            faces = one_per_place([f for f in meshed if f is not None])
            if faces:
                face = self._choose(faces, w, h)
                detected = True
                self._filter.reset()
        if detections is not None:
            if face is None:
                self._faces = len(detections)
            else:
                # Others big enough to be someone else, and not on this face: a false
                # candidate around it (the face and the chest below) is not a second visitor.
                self._faces = 1 + sum(1 for d in detections
                                      if d.size >= SEVERAL_RELATIVE_SIZE * face.height * 0.8
                                      and not covers(d.box, face.centre))
        if face is None:
            self._landmarks = self._region = None
            if t - self._last_seen_t <= self.lost_after_s and self._last_smooth is not None:
                # A blink or a blurred frame: keep the visitor for a moment.
                return self._observe("ok", self._last_smooth, None, False)
            self._filter.reset()
            self._last_smooth = None
            return self._observe("off_axis" if detections else "none", None, None, False)
        self._landmarks = face.landmarks
        self._region = face.region
        self._last_seen_t = t
        # Steady in face-height units, so the filter's settings do not depend on distance.
        scale = max(face.height, 1.0)
        steady = self._filter(face.landmarks / scale, t) * scale
        smooth = Face(steady.astype(np.float32), face.presence, face.region, face.detection)
        self._last_smooth = smooth
        if abs(face.pose.yaw) > OFF_AXIS_YAW_DEG:
            state = "off_axis"
        elif self._faces > 1:
            state = "several"
        elif _box_of(face).size < MIN_FACE_FRACTION * h:
            state = "too_far"
        else:
            state = "ok"
        return self._observe(state, smooth, face, detected)

    def _next_crop(self) -> Region:
        """The crop for this frame: last frame's, moved only by as much as the face has
        moved beyond the hold (a lazy camera: no jumps, no feedback on a still face)."""
        wanted = region_from_landmarks(self._landmarks)
        held = self._region
        if held is None or not (held.width > 0 and wanted.width > 0):
            return wanted  # (a collapsed or broken reading: the mesh refuses such a crop)
        shift = np.array([wanted.cx - held.cx, wanted.cy - held.cy])
        shift *= _beyond(float(np.hypot(*shift)), CROP_HOLD_SHIFT * held.width)
        size = math.log(wanted.width / held.width)
        size *= _beyond(abs(size), math.log1p(CROP_HOLD_SIZE))
        turn = math.remainder(wanted.angle - held.angle, math.tau)
        turn *= _beyond(abs(turn), math.radians(CROP_HOLD_TURN_DEG))
        width = held.width * math.exp(size)
        return Region(held.cx + shift[0], held.cy + shift[1], width, width, held.angle + turn)

    def _observe(self, state: str, smooth: Face | None, raw: Face | None, detected: bool) -> TrackedFace:
        return TrackedFace(state, _box_of(smooth) if smooth is not None else None,
                           _box_of(raw) if raw is not None else None, detected, self._faces, smooth, raw)


def _beyond(change: float, hold: float) -> float:
    """The share of a change that lies beyond the hold (0 inside it)."""
    return 0.0 if change <= hold else 1.0 - hold / change


def _box_of(face: Face) -> FaceBox:
    x0, y0, x1, y1 = face.box
    return FaceBox((x0 + x1) / 2, (y0 + y1) / 2, max(x1 - x0, y1 - y0))
