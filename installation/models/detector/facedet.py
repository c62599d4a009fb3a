"""`faces`: the detector for faces. The face stack finds the face; a 256 x 256 square of
the picture's own pixels around it (never resized: `faceframe.scoring_crop`) goes to the
small NPR network (`npr.py`), whose logit is calibrated (Platt) with a threshold fixed on
the project's own held-out faces. Weights: models/detector/faces.npz, made by
`python -m installation.models.detector.make_faces` from public-domain portraits and the
project's own rebuilt faces (docs/detector.md).

The explanation says what the network saw in *this* picture: a map of where in the face
the fine pixel pattern looked generated (or photographic), drawn over the crop, and the
place where it was strongest (eyes, mouth, skin, hair or background).
"""

from __future__ import annotations

import json
import threading
import zipfile
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from .base import (
    DEFAULT_MODELS_DIR,
    DETECTORS,
    Availability,
    Detector,
    DetectorUnavailable,
    Explanation,
    Verdict,
    file_checksum,
)
from .faceframe import CROP, crop_origin, scoring_crop
from .linear import _sigmoid
from .npr import NprNet
from .preprocess import as_rgb, judgeable

DEFAULT_WEIGHTS = "faces.npz"
FORMAT = "bayard-faces-1"
UNSURE_BAND = 1.0  # calibrated log-odds this close to the threshold: the machine says it is unsure


def load_weights(path: Path) -> tuple[NprNet, dict[str, Any]]:
    try:
        with np.load(path, allow_pickle=False) as data:
            info = json.loads(str(data["info"]))
            if info.get("format") != FORMAT:
                raise DetectorUnavailable(
                    f"{path}: not a {FORMAT} file; re-make it with `python -m installation.models.detector.make_faces`"
                )
            weights = {k: data[k] for k in data.files if k != "info"}
        return NprNet(weights), info
    except FileNotFoundError:
        raise DetectorUnavailable(
            f"{path}: no face detector weights here; make them with `python -m installation.models.detector.make_faces`"
        ) from None
    except (KeyError, ValueError, OSError, EOFError, zipfile.BadZipFile) as error:
        # (A truncated .npz is a BadZipFile: it took the quiz down with a traceback.)
        raise DetectorUnavailable(f"{path}: unreadable face detector weights ({error}); `bayard assets status` "
                                  "compares it with its checksum: restore it from a fresh copy of Bayard") from None


def _place(x: float, y: float, landmarks: np.ndarray | None) -> str:
    """Name the part of the face nearest an image point (mesh indices: see FACE_API.md)."""
    if landmarks is None:
        return "the centre of the picture"
    lm = landmarks[:, :2]
    eyes = lm[[33, 133, 362, 263]].mean(0)
    mouth = lm[[13, 14, 61, 291]].mean(0)
    scale = float(np.linalg.norm(lm[152] - lm[10]))  # forehead top to chin
    d_eyes = np.linalg.norm(np.subtract((x, y), eyes)) / scale
    d_mouth = np.linalg.norm(np.subtract((x, y), mouth)) / scale
    hull = cv2.convexHull(lm.astype(np.float32))
    inside = cv2.pointPolygonTest(hull, (float(x), float(y)), False) >= 0
    if d_eyes < 0.22:
        return "around the eyes"
    if d_mouth < 0.18:
        return "around the mouth"
    if inside:
        return "in the skin of the face"
    if y < lm[10, 1] + 0.1 * scale:
        return "in the hair"
    return "beside the face"


@DETECTORS.register("faces")
class FacesDetector(Detector):
    name = "faces"

    def __init__(self, weights: str | Path | None = None, models_dir: Path = DEFAULT_MODELS_DIR) -> None:
        self.path = Path(weights) if weights is not None else Path(models_dir) / DEFAULT_WEIGHTS
        self.net, self.info = load_weights(self.path)
        self.platt_a, self.platt_b = (float(v) for v in self.info["platt"])
        self.threshold = float(self.info["threshold"])
        # the square the network was trained to read, at the picture's own pixels (older
        # files: CROP); reading more than it learned from would change what it sees
        self.crop = int(self.info.get("scoring_crop", CROP))
        self._local = threading.local()  # one face stack per thread (LiteRT is not thread-safe)

    @classmethod
    def availability(cls, models_dir: Path = DEFAULT_MODELS_DIR) -> Availability:
        path = Path(models_dir) / DEFAULT_WEIGHTS
        if not path.is_file():
            return Availability(
                False, f"no {path}; re-make it with `python -m installation.models.detector.make_faces`")
        return Availability(True, f"weights {path}")

    def identity(self) -> dict | None:
        """The weights and settings, and the face models that find the face it reads (another
        mesh moves the square it judges and the place it names)."""
        own = super().identity()
        if own is None:
            return None
        from ..face.runtime import MODEL_FILES, models_folder

        folder = models_folder(None)  # (the folder _stack's try_open() reads)
        faces = {name: file_checksum(folder / MODEL_FILES[name]) for name in ("detect_short", "detect_full", "mesh",
                                                                            "iris")}
        return own | {"crop": self.crop, "threshold": self.threshold, "platt": [self.platt_a, self.platt_b],
                      "face models": faces}

    def _stack(self):
        stack = getattr(self._local, "stack", False)
        if stack is False:
            from ..face import try_open

            stack, _ = try_open()
            self._local.stack = stack
        return stack

    def landmarks(self, image: np.ndarray) -> np.ndarray | None:
        """The main face's mesh, or None (no face, or no face stack: then the centre is read)."""
        stack = self._stack()
        if stack is None:
            return None
        from ..face import portrait_faces

        faces = portrait_faces(image, stack)
        return faces[0].landmarks if faces else None

    def verdict_of_logit(self, logit: float) -> Verdict:
        log_odds = self.platt_a * logit + self.platt_b
        return Verdict(float(_sigmoid(np.array(log_odds))), self.threshold, float(log_odds))

    def score(self, image: np.ndarray) -> Verdict:
        rgb = judgeable(as_rgb(image))
        return self.verdict_of_logit(self.net.logit(scoring_crop(rgb, self.landmarks(rgb), self.crop)))

    def explain(self, image: np.ndarray) -> Explanation:
        from .spectral import spectral_explanation

        rgb = judgeable(as_rgb(image))
        landmarks = self.landmarks(rgb)
        crop = scoring_crop(rgb, landmarks, self.crop)
        cam = self.net.activation_map(crop)
        verdict = self.verdict_of_logit(float(cam.mean() + self.net.fc_b))
        explanation = spectral_explanation(rgb)
        explanation.verdict = verdict
        explanation.face_found = landmarks is not None
        # Where the evidence for the verdict's side is strongest, in image pixels.
        signed = cam if verdict.fake else -cam
        smooth = cv2.GaussianBlur(signed, (0, 0), 1.5)
        # The network pads its convolutions with zeros, so the map's outer cells react to
        # the crop's edge, not to the picture: the strongest place is looked for inside.
        margin = max(1, smooth.shape[0] // 10)
        inner = np.full_like(smooth, -np.inf)
        inner[margin:-margin, margin:-margin] = smooth[margin:-margin, margin:-margin]
        smooth = inner
        iy, ix = np.unravel_index(int(np.argmax(smooth)), smooth.shape)
        cx, cy = crop_origin(rgb.shape[0], rgb.shape[1], landmarks, self.crop)
        scale = self.crop / cam.shape[0]
        px, py = cx + (ix + 0.5) * scale, cy + (iy + 0.5) * scale
        explanation.cue = "pixels"
        explanation.cue_place = _place(px, py, landmarks)
        explanation.picture = _overlay(rgb, cam, (cx, cy, self.crop), (px, py))
        if landmarks is not None:
            from . import eyes

            cues = eyes.measure(rgb, self._stack().eyes(rgb, landmarks))
            explanation.eyes_view = eyes.views(rgb, cues)
            explanation.eyes_finding = eyes.finding(cues)
        threshold_log_odds = float(np.log(self.threshold / (1 - self.threshold)))
        explanation.unsure = abs((verdict.log_odds or 0.0) - threshold_log_odds) < UNSURE_BAND
        return explanation


SHOWN_AT_LEAST = 512  # px: the picture the map is laid on is enlarged to this (display only)
TINT = 0.4  # the map's strongest colour over the picture; at 0.55 over the crop alone no face showed


def _overlay(rgb: np.ndarray, cam: np.ndarray, square: tuple[int, int, int], ring: tuple[float, float]) -> np.ndarray:
    """The whole picture, as the visitor sees it beside this, in grey with the evidence map
    laid over the square the network read (`square`: left, top, side, image pixels): warm
    where the pixels looked generated, cool where they looked photographic; the strongest
    place (`ring`, image pixels) ringed. Drawn over the network's crop alone, enlarged and
    tinted, no face could be recognised in it and the ring sat on a blank cheek."""
    h, w = rgb.shape[:2]
    grey = rgb.astype(np.float32).mean(axis=2, keepdims=True).repeat(3, axis=2)
    left, top, side = square
    x1, y1 = min(left + side, w), min(top + side, h)
    big = cv2.resize(cam, (side, side), interpolation=cv2.INTER_CUBIC)[: y1 - top, : x1 - left]
    scale = max(float(np.percentile(np.abs(big), 98)), 1e-6)
    v = np.clip(big / scale, -1.0, 1.0)[:, :, None]
    # Faded in over the map's outer tenth (which reads the crop's padding, not the
    # picture: see explain), so no hard-edged square sits on the face.
    ramp = np.clip(np.minimum(np.arange(side), np.arange(side)[::-1]) / max(1.0, side / 10), 0.0, 1.0)
    v = v * np.outer(ramp, ramp)[: y1 - top, : x1 - left, None]
    warm = np.array([235, 90, 60], np.float32)
    cool = np.array([70, 150, 230], np.float32)
    part = grey[top:y1, left:x1]
    grey[top:y1, left:x1] = part * (1 - TINT * np.abs(v)) + TINT * np.abs(v) * np.where(v > 0, warm, cool)
    out = np.clip(grey, 0, 255).astype(np.uint8)
    enlarge = max(1.0, SHOWN_AT_LEAST / max(h, w))
    if enlarge > 1.0:
        out = cv2.resize(out, (round(w * enlarge), round(h * enlarge)), interpolation=cv2.INTER_CUBIC)
    out = np.ascontiguousarray(out)
    radius = max(10, round(side * enlarge / 10))
    x = min(max(ring[0] * enlarge, radius + 2), out.shape[1] - radius - 3)  # the whole ring inside
    y = min(max(ring[1] * enlarge, radius + 2), out.shape[0] - radius - 3)
    cv2.circle(out, (round(x), round(y)), radius, (120, 255, 200), max(2, round(3 * enlarge)), cv2.LINE_AA)
    return out
