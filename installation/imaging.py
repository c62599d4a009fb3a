"""Images in and out of pygame: decoding with OpenCV (robust, any size), numpy
conversions, cover/contain fitting and designed stand-ins for missing media."""

from __future__ import annotations

import logging
import math
from pathlib import Path

import numpy as np
import pygame

log = logging.getLogger("bayard.imaging")


class MediaError(Exception):
    """A media file that cannot be used; the message names the file and what is wrong."""


def read_rgb(path: Path, max_side: int | None = None) -> np.ndarray:
    """Decode an image file to an RGB uint8 array, or raise MediaError saying why."""
    import cv2

    try:
        data = np.fromfile(str(path), dtype=np.uint8)
    except FileNotFoundError:
        raise MediaError(f"{path}: file not found") from None
    except OSError as exc:
        raise MediaError(f"{path}: cannot be read ({exc.strerror})") from None
    image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if image is None:
        raise MediaError(f"{path}: cannot be decoded as an image (corrupt, truncated or not an image)")
    if max_side and max(image.shape[:2]) > max_side:
        scale = max_side / max(image.shape[:2])
        image = cv2.resize(image, (round(image.shape[1] * scale), round(image.shape[0] * scale)),
                           interpolation=cv2.INTER_AREA)
    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)


def surface_from_rgb(rgb: np.ndarray) -> pygame.Surface:
    """An RGB (H, W, 3) uint8 array as a pygame Surface."""
    rgb = np.ascontiguousarray(rgb)
    return pygame.image.frombuffer(rgb.tobytes(), (rgb.shape[1], rgb.shape[0]), "RGB")


def rgb_from_surface(surface: pygame.Surface) -> np.ndarray:
    """A copy of a surface as an RGB (H, W, 3) uint8 array."""
    return pygame.surfarray.array3d(surface).swapaxes(0, 1).copy()


def cover_rect(src_size: tuple[int, int], dst_size: tuple[int, int]) -> tuple[float, float, float]:
    """Scale and offsets that make src cover dst entirely (cropping the excess)."""
    scale = max(dst_size[0] / src_size[0], dst_size[1] / src_size[1])
    return scale, (dst_size[0] - src_size[0] * scale) / 2, (dst_size[1] - src_size[1] * scale) / 2


def contain_size(src_size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    scale = min(box[0] / src_size[0], box[1] / src_size[1])
    return max(1, round(src_size[0] * scale)), max(1, round(src_size[1] * scale))


def paper_texture(size: tuple[int, int], seed: int = 1840, tone: tuple[int, int, int] = (176, 150, 112)) -> np.ndarray:
    """A salted-paper print look: warm tone, soft blotches, grain and a vignette.

    Used for designed stand-ins so a missing photograph still looks intentional."""
    import cv2

    width, height = size
    rng = np.random.default_rng(seed)
    small = rng.normal(0.0, 1.0, (max(2, height // 90), max(2, width // 90))).astype(np.float32)
    blotches = cv2.resize(small, (width, height), interpolation=cv2.INTER_CUBIC)
    grain = rng.normal(0.0, 1.0, (height, width)).astype(np.float32)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    r = np.sqrt(((xx - width / 2) / (width / 2)) ** 2 + ((yy - height / 2) / (height / 2)) ** 2)
    vignette = np.clip(1.0 - 0.55 * np.maximum(r - 0.45, 0) ** 1.6, 0.35, 1.0)
    light = (1.0 + 0.022 * blotches + 0.018 * grain) * vignette
    tone_arr = np.array(tone, dtype=np.float32)
    return np.clip(light[..., None] * tone_arr, 0, 255).astype(np.uint8)


def draw_missing(surface: pygame.Surface, fonts, title: str, detail: str, t: float = 0.0) -> None:
    """A calm, designed card for media that is missing or broken (never a black or broken image)."""
    width, height = surface.get_size()
    surface.fill((24, 22, 20))
    # A slowly drifting soft band keeps it from looking frozen and spares OLED panels.
    band_x = (math.sin(t * 0.07) * 0.5 + 0.5) * width
    for i in range(6):
        alpha_band = pygame.Surface((width // 3, height), pygame.SRCALPHA)
        alpha_band.fill((255, 240, 220, 4))
        surface.blit(alpha_band, (band_x - width / 6 + i * 12 - 36, 0))
    column = min(width - fonts.px(160), fonts.px(1100))
    heading = fonts.block(title, "serif", 54, (226, 214, 196), column, align="center")
    fonts.place(surface, heading, ((width - column) // 2, height // 2 - heading.get_height()))
    text = fonts.block(detail, "sans-light", 30, (176, 166, 154), column, align="center", tier="small")
    fonts.place(surface, text, ((width - column) // 2, height // 2 + fonts.px(20)))
