"""The one image pipeline every detector path shares: fitting, evaluation, scoring and
the quiz's explanation all call `prepare`, so real and generated images are treated
identically and no model can learn "PNG versus JPEG" instead of generator traces
(Grommelt et al. 2024)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

TILE = 256
"""Side of the square the spectral features are computed on (pixels)."""

MAX_TILES_PER_SIDE = 2
"""At most a 2x2 block of tiles (512 px) around the centre is used: more power spectra
to average makes peak estimates steadier, and 512 px keeps scoring cheap."""

SCORING_JPEG_QUALITY = 90
"""Every image is re-encoded once at this quality before features are taken, whatever its
format, so a PNG and a JPEG of the same picture look alike to the detector."""

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff"})


class ImageError(ValueError):
    """An image that cannot be used; the message names the file and what to do."""


def read_image(path: str | Path) -> np.ndarray:
    """Decode a file to RGB uint8 (H, W, 3). Grey and RGBA images are converted."""
    path = Path(path)
    try:
        data = np.fromfile(str(path), dtype=np.uint8)
    except OSError as error:
        raise ImageError(
            f"{path}: cannot read ({error.strerror or error}); check the path and permissions"
        ) from None
    image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if image is None:
        raise ImageError(f"{path}: not a readable image; re-export it as JPEG or PNG")
    return np.ascontiguousarray(image[:, :, ::-1])


def as_rgb(image: np.ndarray) -> np.ndarray:
    """Accept grey, RGB or RGBA arrays (uint8 or float in [0, 1]) and return RGB uint8."""
    array = np.asarray(image)
    if array.dtype != np.uint8:
        array = np.clip(np.round(array.astype(np.float32) * 255.0), 0, 255).astype(np.uint8)
    if array.ndim == 2:
        array = np.repeat(array[:, :, None], 3, axis=2)
    if array.ndim != 3 or array.shape[2] not in (3, 4):
        raise ImageError(f"expected an image of shape (H, W, 3), got {array.shape}")
    return np.ascontiguousarray(array[:, :, :3])


def jpeg_roundtrip(image: np.ndarray, quality: int) -> np.ndarray:
    """Encode to JPEG in memory and decode again (RGB uint8 in and out)."""
    ok, encoded = cv2.imencode(".jpg", image[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:  # pragma: no cover - OpenCV only fails on empty input, excluded above
        raise ImageError("JPEG encoding failed")
    return np.ascontiguousarray(cv2.imdecode(encoded, cv2.IMREAD_COLOR)[:, :, ::-1])


MIN_SIDE = 16  # pixels: below this a picture is an icon, and no detector judges it


def judgeable(rgb: np.ndarray) -> np.ndarray:
    """`rgb`, or ImageError when it is too small for any detector to judge (read enlarged
    or padded, an icon gave a confident verdict about nothing in it)."""
    h, w = rgb.shape[:2]
    if min(h, w) < MIN_SIDE:
        raise ImageError(f"image of {w}x{h} pixels is too small to judge (needs at least {MIN_SIDE}x{MIN_SIDE}; "
                         f"{TILE}x{TILE} or more to be judged at its own size)")
    return rgb


def prepare(image: np.ndarray, jpeg_quality: int | None = SCORING_JPEG_QUALITY) -> np.ndarray:
    """The detector's view of an image: RGB uint8, square, a multiple of TILE per side.

    The central region is cropped at the image's own resolution, never resized down:
    up-sampling leaves periodic traces at fixed fractions of the sampling frequency, and
    resizing moves and blurs them. Only images smaller than one tile are enlarged (and
    then say little). The crop starts on the 8-pixel grid so an earlier JPEG's blocks
    stay aligned with the re-encode's.
    """
    rgb = judgeable(as_rgb(image))
    h, w = rgb.shape[:2]
    if min(h, w) < TILE:
        scale = TILE / min(h, w)
        rgb = cv2.resize(
            rgb, (max(TILE, round(w * scale)), max(TILE, round(h * scale))), interpolation=cv2.INTER_CUBIC
        )
        h, w = rgb.shape[:2]
    tiles = max(1, min(MAX_TILES_PER_SIDE, min(h, w) // TILE))
    side = tiles * TILE
    top = ((h - side) // 2) // 8 * 8
    left = ((w - side) // 2) // 8 * 8
    crop = np.ascontiguousarray(rgb[top : top + side, left : left + side])
    if jpeg_quality is not None:
        crop = jpeg_roundtrip(crop, jpeg_quality)
    return crop


def list_images(folder: str | Path) -> list[Path]:
    """Image files directly in a folder (and its subfolders), sorted for reproducibility."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ImageError(f"{folder}: not a folder; give a folder of JPEG/PNG images")
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
