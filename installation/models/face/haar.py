"""The fallback face tracker, used only when LiteRT cannot load the face models.

Detection uses the Haar cascades that OpenCV 4.x ships in `cv2.data` (nothing to
download). Haar costs 15-56 ms on a 640x480 frame here, so it runs on a downscaled copy
and only every few frames; in between, the box is carried by pyramidal Lucas-Kanade
flow of corner points inside it (about a millisecond). The box is then steadied by a
One Euro filter per coordinate: heavy smoothing when the face is still (no jitter on a
motionless visitor), little smoothing when it moves fast (no lag on a real move).

The tracker also says what the kiosk should prompt: "none", "too_far" (step closer),
"off_axis" (face the camera), "several" (one at a time) or "ok".
"""

from __future__ import annotations

import math
import threading

import cv2
import numpy as np

from .tracking import MIN_FACE_FRACTION, SEVERAL_RELATIVE_SIZE, FaceBox, FaceObservation, OneEuro

# Width the detector sees on a whole-frame scan: Haar time grows with pixels; a visitor
# close enough to animate is still > 40 px at 320.
DETECT_WIDTH = 320


def _cascade(name: str) -> cv2.CascadeClassifier:
    folder = getattr(getattr(cv2, "data", None), "haarcascades", None)
    if folder is None:  # OpenCV 5 ships no cascades (seen on a machine with opencv 5.0)
        raise RuntimeError(f"OpenCV {cv2.__version__} has no Haar cascades (cv2.data); "
                           "install opencv-python 4.x, as pyproject.toml asks")
    path = folder + name
    cascade = cv2.CascadeClassifier(path)
    if cascade.empty():  # pragma: no cover - an OpenCV install without its data
        raise RuntimeError(f"OpenCV's Haar cascade {path} is missing; reinstall opencv-python 4.x")
    return cascade


class HaarDetector:
    """Haar frontal (and profile, to tell "turned away" from "nobody") on a small copy."""

    def __init__(self, detect_width: int = DETECT_WIDTH) -> None:
        self.detect_width = detect_width
        self.frontal = _cascade("haarcascade_frontalface_default.xml")
        self.profile = _cascade("haarcascade_profileface.xml")

    def _small(self, frame: np.ndarray, width: int | None = None) -> tuple[np.ndarray, float]:
        gray = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY)
        scale = min(1.0, (width or self.detect_width) / gray.shape[1])
        if scale < 1.0:
            gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        return cv2.equalizeHist(gray), scale

    def frontal_faces(self, frame: np.ndarray, min_fraction: float = 0.08) -> list[FaceBox]:
        gray, scale = self._small(frame)
        min_side = max(20, int(gray.shape[0] * min_fraction))
        rects = self.frontal.detectMultiScale(
            gray, scaleFactor=1.15, minNeighbors=5, minSize=(min_side, min_side)
        )
        return [FaceBox.from_rect(*(np.asarray(r, float) / scale)) for r in rects]

    def frontal_faces_near(self, frame: np.ndarray, box: FaceBox) -> list[FaceBox]:
        """Detect only around a face we follow, at a scale where it is ~44 px and over a
        narrow size range: a few scales of a tiny image, a fraction of a full scan."""
        gray_full = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY)
        h, w = gray_full.shape
        half = box.size * 0.9
        x0, y0 = int(max(0, box.cx - half)), int(max(0, box.cy - half))
        x1, y1 = int(min(w, box.cx + half)), int(min(h, box.cy + half))
        if x1 - x0 < 24 or y1 - y0 < 24:
            return []
        k = min(1.0, 44.0 / box.size)
        roi = cv2.resize(gray_full[y0:y1, x0:x1], None, fx=k, fy=k, interpolation=cv2.INTER_AREA)
        roi = cv2.equalizeHist(roi)
        lo, hi = int(box.size * k * 0.7), int(box.size * k * 1.4) + 1
        rects = self.frontal.detectMultiScale(
            roi, scaleFactor=1.1, minNeighbors=4, minSize=(lo, lo), maxSize=(hi, hi)
        )
        return [FaceBox.from_rect(x / k + x0, y / k + y0, bw / k, bh / k) for x, y, bw, bh in rects]

    def profile_faces(self, frame: np.ndarray, min_fraction: float = 0.15) -> list[FaceBox]:
        """Profiles are only asked when nobody faces the camera; a coarse look is enough
        (two passes, mirrored, cost ~3x a frontal scan at full width)."""
        gray, scale = self._small(frame, width=160)
        min_side = max(20, int(gray.shape[0] * min_fraction))
        found: list[FaceBox] = []
        for flip in (False, True):
            g = cv2.flip(gray, 1) if flip else gray
            for x, y, w, h in self.profile.detectMultiScale(g, 1.2, 4, minSize=(min_side, min_side)):
                if flip:
                    x = g.shape[1] - x - w
                found.append(FaceBox.from_rect(x / scale, y / scale, w / scale, h / scale))
        return found


def haar_portrait_face(image: np.ndarray) -> FaceBox | None:
    """The main face of a still portrait (largest frontal detection), full resolution
    for accuracy: this runs once per picture."""
    det = HaarDetector(detect_width=max(320, min(800, image.shape[1])))
    faces = det.frontal_faces(image, min_fraction=0.08)
    if not faces:
        return None
    return max(faces, key=lambda f: f.size)


class _Scanner:
    """Whole-frame detection on its own thread, one frame at a time (a frame submitted
    while a scan runs is dropped: the next scan will see a newer one)."""

    def __init__(self) -> None:
        self._detector: HaarDetector | None = None  # its own cascade: they are not thread-safe
        self._lock = threading.Lock()
        self._busy = False
        self._result: list[FaceBox] | None = None

    def submit(self, gray: np.ndarray) -> None:
        with self._lock:
            if self._busy:
                return
            self._busy = True
        # Not a daemon: a scan is short, and a daemon thread inside OpenCV at interpreter exit
        # aborts the process.
        threading.Thread(
            target=self._scan, args=(gray.copy(),), name="bayard-face-scan", daemon=False
        ).start()

    def _scan(self, gray: np.ndarray) -> None:
        try:
            if self._detector is None:
                self._detector = HaarDetector()
            faces = self._detector.frontal_faces(gray)
        except Exception:  # boundary: a failed scan is just a missed scan
            faces = None
        with self._lock:
            if faces is not None:
                self._result = faces
            self._busy = False

    def result(self) -> list[FaceBox] | None:
        """The newest finished scan, once."""
        with self._lock:
            r, self._result = self._result, None
            return r


class HaarTracker:
    """Follow one visitor: detect every `detect_every` frames, track in between."""

    def __init__(
        self,
        detect_every: int = 5,
        lost_after_s: float = 0.4,
        min_cutoff: float = 0.4,
        beta: float = 0.015,
        scan_every: int = 30,
    ) -> None:
        self.detector = HaarDetector()
        self.detect_every = max(1, detect_every)
        # A whole-frame scan (other visitors, "one at a time") every `scan_every` frames;
        # otherwise detections look only around the face being followed.
        self.scan_every = max(1, scan_every)
        self._scanner = _Scanner()
        self.lost_after_s = lost_after_s
        self._filters = [OneEuro(min_cutoff, beta) for _ in range(2)] + [
            OneEuro(min_cutoff * 0.6, beta * 0.6)
        ]
        self.reset()

    def reset(self) -> None:
        for f in self._filters:
            f.reset()
        self._raw: FaceBox | None = None
        self._smooth: FaceBox | None = None
        self._prev_gray: np.ndarray | None = None
        self._points: np.ndarray | None = None
        self._frame_no = 0
        self._last_seen_t = -1e9
        self._last_detected_t = -1e9
        self._state = "none"
        self._faces = 0
        self._others: list[FaceBox] = []
        self._misses = 0

    # -- tracking between detections ------------------------------------------
    def _seed_points(self, gray: np.ndarray, box: FaceBox) -> np.ndarray | None:
        mask = np.zeros_like(gray)
        x, y, w, h = box.rect()
        # The inner 70 % of the box: corners on the face, not on the background behind it.
        cv2.rectangle(mask, (x + w // 7, y + h // 7), (x + w - w // 7, y + h - h // 7), 255, -1)
        pts = cv2.goodFeaturesToTrack(gray, 40, 0.01, max(3, w // 20), mask=mask)
        return pts

    def _track(self, gray: np.ndarray, k: float) -> FaceBox | None:
        """Carry the box by the median motion of corner points (points live in the
        k-scaled image; the box in frame pixels)."""
        if self._prev_gray is None or self._points is None or len(self._points) < 6 or self._raw is None:
            return None
        new, st, _ = cv2.calcOpticalFlowPyrLK(
            self._prev_gray, gray, self._points, None, winSize=(15, 15), maxLevel=2
        )
        if new is None:
            return None
        good = st.reshape(-1) == 1
        if good.sum() < 6:
            return None
        a, b = self._points[good].reshape(-1, 2), new[good].reshape(-1, 2)
        shift = np.median(b - a, axis=0) / k
        # Scale from the spread of the points about their centre (robust to outliers).
        da = np.linalg.norm(a - np.median(a, axis=0), axis=1)
        db = np.linalg.norm(b - np.median(b, axis=0), axis=1)
        keep = da > 1e-3
        scale = float(np.median(db[keep] / da[keep])) if keep.sum() >= 4 else 1.0
        scale = float(np.clip(scale, 0.95, 1.05))
        self._points = b.reshape(-1, 1, 2).astype(np.float32)
        r = self._raw
        return FaceBox(r.cx + float(shift[0]), r.cy + float(shift[1]), r.size * scale)

    # -- the per-frame step -----------------------------------------------------
    def update(self, frame: np.ndarray, t: float) -> FaceObservation:
        gray_full = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY)
        h, w = gray_full.shape
        # LK runs on a half-size copy: plenty for a box, a quarter of the cost.
        k = 0.5 if w > 400 else 1.0
        gray = (
            cv2.resize(gray_full, None, fx=k, fy=k, interpolation=cv2.INTER_AREA) if k != 1.0 else gray_full
        )
        detect = self._raw is None or self._frame_no % self.detect_every == 0
        self._frame_no += 1
        box: FaceBox | None = None
        detected = False
        if detect:
            # Whole-frame scans find a visitor and notice a second one. While someone is
            # followed they run on a background thread (a scan costs 15-75 ms here, several
            # frames' budget) and their result is picked up a few frames later.
            scan = self._raw is None or self.detect_every == 1
            if not scan and self._frame_no % self.scan_every == 1:
                self._scanner.submit(gray_full)
            done = self._scanner.result()
            if done is not None:
                self._others = done
            if scan:
                faces = self.detector.frontal_faces(gray_full)
                self._faces = len(faces)
                self._others = faces
            else:
                faces = self.detector.frontal_faces_near(gray_full, self._raw)
                if faces:
                    # Others seen by the last scan, away from the one we follow.
                    faces += [
                        o
                        for o in self._others
                        if math.hypot(o.cx - self._raw.cx, o.cy - self._raw.cy) > 0.6 * self._raw.size
                    ]
                self._faces = len(faces)
            if faces:
                box = self._choose(faces, w, h)
                detected = True
                tracked = self._track(gray, k) if not scan else None
                if (
                    tracked is not None
                    and math.hypot(box.cx - tracked.cx, box.cy - tracked.cy) < 0.25 * box.size
                ):
                    # Haar boxes jump by a window step; flow is smooth but drifts. Let each
                    # detection pull the tracked box a third of the way: no jumps, no drift.
                    box = FaceBox(
                        tracked.cx + (box.cx - tracked.cx) / 3,
                        tracked.cy + (box.cy - tracked.cy) / 3,
                        tracked.size + (box.size - tracked.size) / 3,
                    )
                big = [f for f in faces if f.size >= SEVERAL_RELATIVE_SIZE * box.size]
                self._state = "several" if len(big) > 1 else "ok"
            else:
                # Haar misses single frames (a blink, motion blur): keep following by flow
                # for a moment, and ask the profile cascade whether someone turned away.
                if t - self._last_detected_t > self.lost_after_s:
                    self._misses += 1
                    if self._misses % 3 == 1:  # profiles are costly: look every third try
                        self._state = "off_axis" if self.detector.profile_faces(gray_full) else "none"
                else:
                    box = self._track(gray, k)
        else:
            box = self._track(gray, k)
            if box is None:
                self._frame_no = 0  # tracking failed: detect on the next frame
        # Flow alone cannot tell a face from a wall (it "tracks" a blank frame happily):
        # without a confirming detection for a while, the face is gone.
        if (
            box is not None
            and not detected
            and (self._raw is None or t - self._last_detected_t > 2 * self.lost_after_s)
        ):
            box = None
        if detected:
            self._last_detected_t = t
        if box is not None:
            self._last_seen_t = t
            self._misses = 0
            if detected or self._points is None or len(self._points) < 10:
                self._points = self._seed_points(gray, FaceBox(box.cx * k, box.cy * k, box.size * k))
            if (
                self._smooth is not None
                and math.hypot(box.cx - self._smooth.cx, box.cy - self._smooth.cy) > box.size
            ):
                # A jump larger than a face (another visitor chosen): do not glide across.
                for f in self._filters:
                    f.reset()
            self._raw = box
            self._smooth = FaceBox(
                self._filters[0](box.cx, t), self._filters[1](box.cy, t), self._filters[2](box.size, t)
            )
            state = self._state if self._state in ("ok", "several") else "ok"
            if state == "ok" and box.size < MIN_FACE_FRACTION * h:
                state = "too_far"
        elif t - self._last_seen_t <= self.lost_after_s and self._smooth is not None:
            state = self._state if self._state in ("ok", "several") else "ok"  # grace: same visitor
        else:
            self._raw, self._smooth, self._points = None, None, None
            for f in self._filters:
                f.reset()
            state = self._state if self._state in ("none", "off_axis") else "none"
        self._prev_gray = gray
        return FaceObservation(state, self._smooth, box, detected, self._faces)

    def _choose(self, faces: list[FaceBox], w: int, h: int) -> FaceBox:
        """The visitor nearest the centre (weighted towards the larger face), and stay
        with the one we already follow when it is still there (no flicker between two)."""
        if self._raw is not None:
            near = [
                f
                for f in faces
                if math.hypot(f.cx - self._raw.cx, f.cy - self._raw.cy) < 0.5 * self._raw.size
            ]
            if near:
                return max(near, key=lambda f: f.size)
        return min(faces, key=lambda f: math.hypot(f.cx - w / 2, f.cy - h / 2) / max(f.size, 1.0) ** 0.5)
