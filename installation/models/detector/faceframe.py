"""Where the face detector looks, and how its training faces are framed.

Two jobs, kept apart on purpose:

* **Training frames** (`training_frame`): a source portrait is aligned FFHQ-style with the
  face stack (eyes and mouth at fixed places, `face.measures.align`'s convention) into a
  large frame, as FFHQ aligned its photographs before StyleGAN2 was trained and before the
  published faces were shrunk. Both classes start from the same frame; only afterwards
  does the fake class pass through a generator.
* **Scoring crops** (`scoring_crop`): a picture to judge is never warped or resized, since
  resampling would wash out the up-sampling traces the detector reads. The face stack only
  says *where* to cut: a square at the image's own pixels around the aligned face centre.

`lanczos_resize` is an antialiased Lanczos-3 resampler written as two small matrices (as
PIL's LANCZOS filter does; OpenCV's INTER_LANCZOS4 does not widen its kernel when
shrinking, and aliases).
"""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np

from ..face.measures import alignment

CROP = 256
"""Side of the square the face detector reads, at the picture's own pixels."""


def _lanczos3(x: np.ndarray) -> np.ndarray:
    out = np.sinc(x) * np.sinc(x / 3.0)
    out[np.abs(x) >= 3.0] = 0.0
    return out


@lru_cache(maxsize=32)
def _weights(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in) matrix of a Lanczos-3 resample, kernel widened when shrinking."""
    scale = n_in / n_out
    support = max(scale, 1.0)
    centres = (np.arange(n_out) + 0.5) * scale - 0.5
    taps = np.arange(n_in)[None, :] - centres[:, None]
    w = _lanczos3(taps / support)
    w /= w.sum(axis=1, keepdims=True)
    return w.astype(np.float32)


def lanczos_resize(image: np.ndarray, width: int, height: int) -> np.ndarray:
    """RGB (or grey) uint8 resized with an antialiased Lanczos-3 filter."""
    x = image.astype(np.float32)
    rows = _weights(image.shape[0], height)
    cols = _weights(image.shape[1], width)
    out = np.tensordot(rows, x, axes=(1, 0))  # (height, W, C)
    out = np.tensordot(cols, out, axes=(1, 1)).swapaxes(0, 1)  # (height, width, C)
    return np.clip(np.round(out), 0, 255).astype(np.uint8)


def native_side(landmarks: np.ndarray) -> float:
    """Side of the FFHQ-style aligned frame at the source's own scale (pixels)."""
    m = alignment(landmarks, 1.0)
    return 1.0 / float(np.hypot(m[0, 0], m[0, 1]))


def training_frame(
    image: np.ndarray, landmarks: np.ndarray, side: int, window: int | None = None, border: int = cv2.BORDER_REFLECT
) -> np.ndarray:
    """The aligned frame of `side` pixels (only its central `window` square, default all).
    A source larger than the frame is first shrunk with the antialiased filter so the warp
    itself never shrinks (that would alias); a smaller one is enlarged by the warp, as
    FFHQ enlarged its smaller photographs. Outside the source the frame is filled by
    reflection (as FFHQ did), or by `border`."""
    window = window or side
    native = native_side(landmarks)
    if native > side * 1.05:
        factor = side / native
        h, w = image.shape[:2]
        image = lanczos_resize(image, max(1, round(w * factor)), max(1, round(h * factor)))
        landmarks = landmarks.copy()
        landmarks[:, :2] = (landmarks[:, :2] + 0.5) * np.array([image.shape[1] / w, image.shape[0] / h]) - 0.5
    m = alignment(landmarks, side)
    offset = (side - window) / 2.0
    m[:, 2] -= offset
    return cv2.warpAffine(
        image, m, (window, window), flags=cv2.INTER_LANCZOS4, borderMode=border
    )


def face_centre_and_side(landmarks: np.ndarray) -> tuple[float, float, float]:
    """Centre (x, y) of the aligned frame in image pixels, and its side there."""
    m = alignment(landmarks, 1.0)
    a = np.vstack([m, [0, 0, 1]])
    inverse = np.linalg.inv(a)
    cx, cy = inverse[:2] @ np.array([0.5, 0.5, 1.0])
    return float(cx), float(cy), native_side(landmarks)


def crop_origin(height: int, width: int, landmarks: np.ndarray | None, crop: int = CROP) -> tuple[int, int]:
    """Top-left (x, y) of the crop x crop square around the aligned face centre (the image
    centre without a face), shifted inside the image and onto the 8-pixel JPEG grid."""
    if landmarks is None:
        cx, cy = width / 2.0, height / 2.0
    else:
        cx, cy, _ = face_centre_and_side(landmarks)
    left = int(np.clip(round(cx - crop / 2) // 8 * 8, 0, max(width - crop, 0)))
    top = int(np.clip(round(cy - crop / 2) // 8 * 8, 0, max(height - crop, 0)))
    return left, top


def scoring_crop(image: np.ndarray, landmarks: np.ndarray | None, crop: int = CROP) -> np.ndarray:
    """A crop x crop square of the image's own pixels at `crop_origin`, so an earlier
    JPEG's blocks stay where they were. Smaller images are padded by reflection."""
    h, w = image.shape[:2]
    if h < crop or w < crop:
        image = cv2.copyMakeBorder(image, 0, max(0, crop - h), 0, max(0, crop - w), cv2.BORDER_REFLECT)
    left, top = crop_origin(image.shape[0], image.shape[1], landmarks, crop)
    return np.ascontiguousarray(image[top : top + crop, left : left + crop])
