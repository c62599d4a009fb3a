"""BlazeFace, short and full range: faces and six keypoints in a whole frame.

Anchors and decoding follow MediaPipe's face_detection_*_common.pbtxt (see
../shared/models/mediapipe/README.md): SSD anchors with a fixed size, regressors scaled
by the input side, a sigmoid score clipped to ±100, weighted non-maximum suppression at
IoU 0.3. The frame is letterboxed into the square input, aspect kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

from .runtime import TFLiteModel

# keypoint order: the person's right eye (image left), left eye, nose tip, mouth centre,
# right ear tragion, left ear tragion.
EYE_IMAGE_LEFT, EYE_IMAGE_RIGHT, NOSE, MOUTH = 0, 1, 2, 3


@dataclass(frozen=True)
class Detection:
    """A face in image pixels: box (x0, y0, x1, y1), six keypoints (6x2) and a score."""

    box: tuple[float, float, float, float]
    keypoints: np.ndarray
    score: float

    @property
    def size(self) -> float:
        return max(self.box[2] - self.box[0], self.box[3] - self.box[1])

    @property
    def centre(self) -> tuple[float, float]:
        return (self.box[0] + self.box[2]) / 2, (self.box[1] + self.box[3]) / 2

    @property
    def nose_past_eyes(self) -> float:
        """How far the nose tip lies beyond the eye it is nearer to, along the eye line, in
        eye spacings: below zero while it lies between the eyes (-0.5 facing the viewer),
        about zero as it reaches the far eye (a head turned some 45-60 degrees), well above
        it in profile. The detector sees a profile for what it is; the mesh, which always
        fits a whole face, reads one as a face turned some 30-40 degrees."""
        eyes = self.keypoints[EYE_IMAGE_RIGHT] - self.keypoints[EYE_IMAGE_LEFT]
        spacing = float(eyes @ eyes)
        if spacing < 1e-6:
            return float("inf")  # both eyes on one point: nothing but a profile does that
        along = float((self.keypoints[NOSE] - self.keypoints[EYE_IMAGE_LEFT]) @ eyes) / spacing
        return max(along, 1.0 - along) - 1.0


@dataclass(frozen=True)
class DetectorSpec:
    model: str
    side: int
    strides: tuple[int, ...]
    anchors_per_layer: int  # 2 with interpolated_scale_aspect_ratio = 1, else 1
    min_score: float


SHORT_RANGE = DetectorSpec("detect_short", 128, (8, 16, 16, 16), 2, 0.5)
FULL_RANGE = DetectorSpec("detect_full", 192, (4,), 1, 0.6)


@lru_cache(maxsize=4)
def anchors(side: int, strides: tuple[int, ...], per_layer: int) -> np.ndarray:
    """Anchor centres (N x 2, in [0, 1]); consecutive layers of one stride share a grid."""
    centres = []
    layer = 0
    while layer < len(strides):
        stride = strides[layer]
        repeat = 0
        while layer < len(strides) and strides[layer] == stride:
            repeat += per_layer
            layer += 1
        cells = -(-side // stride)
        ys, xs = np.meshgrid((np.arange(cells) + 0.5) / cells, (np.arange(cells) + 0.5) / cells, indexing="ij")
        grid = np.stack([xs.ravel(), ys.ravel()], axis=1)
        centres.append(np.repeat(grid, repeat, axis=0))
    return np.concatenate(centres).astype(np.float32)


def letterbox(image: np.ndarray, side: int) -> tuple[np.ndarray, float, float, float]:
    """The frame fitted into side x side (aspect kept, black border); returns the input
    scaled to [-1, 1], the scale and the padding (x, y) in input pixels."""
    h, w = image.shape[:2]
    scale = side / max(h, w)
    nw, nh = max(1, round(w * scale)), max(1, round(h * scale))
    small = cv2.resize(image, (nw, nh), interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    canvas = np.zeros((side, side, 3), np.uint8)
    px, py = (side - nw) // 2, (side - nh) // 2
    canvas[py:py + nh, px:px + nw] = small[..., :3]
    return canvas.astype(np.float32) / 127.5 - 1.0, scale, px, py


def _iou(box: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    x0 = np.maximum(box[0], boxes[:, 0])
    y0 = np.maximum(box[1], boxes[:, 1])
    x1 = np.minimum(box[2], boxes[:, 2])
    y1 = np.minimum(box[3], boxes[:, 3])
    inter = np.clip(x1 - x0, 0, None) * np.clip(y1 - y0, 0, None)
    area = lambda b: (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])  # noqa: E731
    return inter / np.maximum(area(box) + area(boxes) - inter, 1e-9)


def weighted_nms(boxes: np.ndarray, points: np.ndarray, scores: np.ndarray,
                 iou: float = 0.3) -> list[tuple[np.ndarray, np.ndarray, float]]:
    """MediaPipe's blending suppression: overlapping candidates are averaged by score."""
    order = np.argsort(-scores)
    boxes, points, scores = boxes[order], points[order], scores[order]
    out = []
    alive = np.ones(len(scores), bool)
    for i in range(len(scores)):
        if not alive[i]:
            continue
        overlap = alive & (_iou(boxes[i], boxes) > iou)
        weights = scores[overlap][:, None]
        box = (boxes[overlap] * weights).sum(0) / weights.sum()
        pts = (points[overlap] * weights[:, :, None]).sum(0) / weights.sum()
        out.append((box, pts, float(scores[i])))
        alive &= ~overlap
    return out


class FaceDetector:
    """One BlazeFace model. `detect(rgb)` returns faces best first."""

    def __init__(self, model: TFLiteModel, spec: DetectorSpec) -> None:
        self.model, self.spec = model, spec
        self.anchors = anchors(spec.side, spec.strides, spec.anchors_per_layer)

    def detect(self, image: np.ndarray, min_score: float | None = None) -> list[Detection]:
        side = self.spec.side
        tensor, scale, px, py = letterbox(image, side)
        outputs = self.model(tensor[None])
        raw = next(o for o in outputs if o.shape[-1] == 16).reshape(-1, 16)
        logits = next(o for o in outputs if o.shape[-1] == 1).reshape(-1)
        scores = 1.0 / (1.0 + np.exp(-np.clip(logits.astype(np.float64), -100, 100)))
        keep = scores >= (self.spec.min_score if min_score is None else min_score)
        if not keep.any():
            return []
        raw, scores, anchor = raw[keep], scores[keep], self.anchors[keep]
        centre = raw[:, 0:2] / side + anchor
        half = raw[:, 2:4] / side / 2
        boxes = np.concatenate([centre - half, centre + half], axis=1)
        points = raw[:, 4:16].reshape(-1, 6, 2) / side + anchor[:, None, :]
        faces = []
        for box, pts, score in weighted_nms(boxes, points, scores):
            # From the letterboxed input back to the frame's pixels.
            box_px = (box * side - np.array([px, py, px, py])) / scale
            pts_px = (pts * side - np.array([px, py])) / scale
            faces.append(Detection(tuple(float(v) for v in box_px), pts_px.astype(np.float32), score))
        return faces
