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


# The most pixels the show decodes from one picture: 150 megapixels (a medium-format
# scan; 450 MB as RGB). A bigger file, or a small PNG that unpacks to gigapixels, is
# refused with a message instead of taking a kiosk's memory while the show plays.
MAX_DECODED_PIXELS = 150_000_000
_JPEG_MAGIC = b"\xff\xd8\xff"
UNDECODABLE = "cannot be decoded as an image (corrupt, truncated or not an image)"
# Picture formats people save that OpenCV cannot read: named as such, not as "corrupt".
UNPLAYABLE_PICTURES = {".heic", ".heif", ".avif", ".psd", ".pdf", ".svg", ".raw", ".cr2", ".nef", ".dng"}
# A GIF is decoded by Pillow, its first frame: OpenCV reads GIF only from 4.11 on, and the
# show takes OpenCV from 4.8 (pyproject), so a GIF played on one kiosk and not on another.
GIF_MAGIC = (b"GIF87a", b"GIF89a")
_EXIF_ORIENTATION = 0x0112  # 5-8: stored a quarter turn from how it is shown


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) as the picture is shown (turned as its EXIF orientation says, as
    OpenCV decodes it), read from the file's header without decoding the picture; None
    when the header is not one Pillow reads (OpenCV may still decode the file)."""
    header = _header(path)
    return header[0] if header is not None else None


# Modes in which Pillow reads a picture with an alpha channel (a palette or grey picture
# with one transparent colour says so in its info instead).
_ALPHA_MODES = {"RGBA", "LA", "PA", "RGBa", "La"}


def _header(path: Path) -> tuple[tuple[int, int], bool] | None:
    """The shown size and whether the picture has transparency, from its header; None when
    Pillow cannot read the header."""
    from PIL import Image

    # Pillow's own decompression-bomb guard would refuse (or warn about) a big scan before
    # telling its size; the show's limit is MAX_DECODED_PIXELS, applied by the caller, and
    # Pillow decodes no pixels here.
    Image.MAX_IMAGE_PIXELS = None
    try:
        with Image.open(path) as image:  # lazy: only the header is read
            width, height = image.size
            # JPEG only: its EXIF sits in the header, and OpenCV turns JPEGs by it. Asking a
            # PNG for EXIF makes Pillow decode the whole picture to look past the pixels.
            turned = image.format == "JPEG" and image.getexif().get(_EXIF_ORIENTATION, 1) in (5, 6, 7, 8)
            alpha = image.mode in _ALPHA_MODES or "transparency" in image.info
            return ((height, width) if turned else (width, height)), alpha
    except Exception:  # not an image Pillow knows, a truncated header: OpenCV decides
        return None


# Transparent parts of a picture (a cut-out exported as PNG or WebP) are shown over white,
# as paper under a print. OpenCV's colour decode drops the alpha channel: a cut-out then
# showed whatever colour its editor left under the transparency, most often black.
MATTE = 255.0


def _over_matte(path: Path) -> np.ndarray:
    """A picture with transparency, decoded by Pillow (which reads every kind: an alpha
    channel, a palette's or a grey picture's transparent colour, 16 bits) and laid over
    MATTE; RGB uint8. A picture with nothing visible is refused."""
    from PIL import Image

    try:
        with Image.open(path) as image:
            rgba = np.asarray(image.convert("RGBA"))
    except Exception:
        raise MediaError(f"{path}: {UNDECODABLE}") from None
    alpha = rgba[..., 3]
    if not alpha.any():
        raise MediaError(f"{path}: is fully transparent, so there is nothing to show; export it again "
                         "with the picture visible (or without transparency)")
    out = np.ascontiguousarray(rgba[..., :3])
    if alpha.min() == 255:
        return out
    if path not in _TOLD_MATTE:
        _TOLD_MATTE.add(path)
        log.info("%s: transparent parts are shown over white; flatten the picture onto another "
                 "background to choose it", path)
    # In bands of rows: a large scan's float copies would otherwise take gigabytes.
    for top in range(0, out.shape[0], 512):
        band = slice(top, top + 512)
        a = alpha[band, :, None].astype(np.float32) / 255.0
        out[band] = np.clip(out[band] * a + MATTE * (1.0 - a) + 0.5, 0, 255).astype(np.uint8)
    return out


_TOLD_MATTE: set[Path] = set()


def transparency_problem(path: Path) -> str | None:
    """For `bayard check`: why a picture with transparency cannot be shown (nothing in it is
    visible), else None. Pictures without transparency are not decoded here."""
    header = _header(path)
    if header is None or not header[1]:
        return None
    try:
        _over_matte(path)
    except MediaError as error:
        return str(error).removeprefix(f"{path}: ")
    return None


FIRST_FRAME_ONLY = "is an animated GIF, and the show draws its first frame only, as a still"
# (What `bayard check` says of one where a film can play instead: a photograph, a loop.)
MOVE_AS_FILM = "to have it move, export it as an MP4 film for a loop or a video scene; else it stays a still"


def animated_gif(path: Path) -> bool:
    """Whether a picture is an animated GIF, of which the show draws the first frame only
    (`bayard check` says so). Pillow steps to the second frame only: nothing is decoded."""
    from PIL import Image

    try:
        with Image.open(path) as image:
            return image.format == "GIF" and bool(getattr(image, "is_animated", False))
    except Exception:  # (not a picture Pillow reads: the decode check says what is wrong)
        return False


def refuse_oversize(size: tuple[int, int]) -> None:
    """Raise MediaError for a picture over MAX_DECODED_PIXELS: one rule for every scene and
    for `bayard check`, whatever the format."""
    width, height = size
    if width * height > MAX_DECODED_PIXELS:
        longest = math.floor(max(width, height) * math.sqrt(MAX_DECODED_PIXELS / (width * height)))
        raise MediaError(
            f"is {width * height / 1e6:,.0f} megapixels ({width}x{height} px), more than the show "
            f"decodes ({MAX_DECODED_PIXELS // 1_000_000} megapixels): export a copy at most "
            f"{longest // 100 * 100} px on its long side")


def decode_reduction(size: tuple[int, int], is_jpeg: bool, max_side: int | None) -> int:
    """How many times smaller to decode (1, 2, 4 or 8), or raise MediaError for a picture
    over the limit. JPEG can be decoded straight at 1/2, 1/4 or 1/8 size (the decoder
    drops DCT coefficients), which for a large scan shown on one screen saves most of the
    time and memory; other formats are decoded whole. The reduced copy stays at least
    three times the size asked for: shrinking a reduced copy by less softened it visibly
    (Laplacian energy 0.57-0.76 of the whole decode's at 1.5-2x; 0.90-1.00 from 3x on)."""
    refuse_oversize(size)
    width, height = size
    if is_jpeg and max_side:
        return next((r for r in (8, 4, 2) if max(width, height) // r >= 3 * max_side), 1)
    return 1


_REDUCED = {1: "IMREAD_COLOR", 2: "IMREAD_REDUCED_COLOR_2", 4: "IMREAD_REDUCED_COLOR_4",
            8: "IMREAD_REDUCED_COLOR_8"}



def read_rgb(path: Path, max_side: int | None = None, shrink: bool = True) -> np.ndarray:
    """Decode an image file to an RGB uint8 array, or raise MediaError saying why. With
    `max_side`, the result is at most that long on its long side; with shrink=False too,
    only as much smaller as the decoder makes it (decode_reduction), for a caller that
    resizes it once itself (a second resize, by a few per cent, blurred it)."""
    import cv2

    try:
        data = np.fromfile(str(path), dtype=np.uint8)
    except FileNotFoundError:
        raise MediaError(f"{path}: file not found") from None
    except OSError as exc:
        raise MediaError(f"{path}: cannot be read ({exc.strerror})") from None
    flag = cv2.IMREAD_COLOR
    header = _header(path) if data.size else None
    if header is not None:
        try:
            reduction = decode_reduction(header[0], data[:3].tobytes() == _JPEG_MAGIC, max_side)
        except MediaError as error:
            raise MediaError(f"{path}: {error}") from None
        flag = getattr(cv2, _REDUCED[reduction])
    if (header is not None and header[1]) or data[:6].tobytes() in GIF_MAGIC:
        image = _over_matte(path)  # RGB already (a GIF: its first frame)
    else:
        try:
            image = cv2.imdecode(data, flag) if data.size else None
        except cv2.error:  # OpenCV's own size limit, or a decoder that gave up half-way
            image = None
        if image is None:
            suffix = Path(path).suffix.lower()
            if suffix in UNPLAYABLE_PICTURES:  # a phone's or an editor's own format, not a broken file
                raise MediaError(f"{path}: a '{suffix}' file, which the show cannot open; export it as JPEG or PNG")
            raise MediaError(f"{path}: {UNDECODABLE}")
        # in place: a large picture is not held twice
        image = cv2.cvtColor(image, cv2.COLOR_BGR2RGB, dst=image)
    if shrink and max_side and max(image.shape[:2]) > max_side:
        scale = max_side / max(image.shape[:2])
        size = (max(1, round(image.shape[1] * scale)), max(1, round(image.shape[0] * scale)))
        image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    return image


def surface_from_rgb(rgb: np.ndarray) -> pygame.Surface:
    """An RGB (H, W, 3) uint8 array as a pygame Surface."""
    rgb = np.ascontiguousarray(rgb)
    return pygame.image.frombuffer(rgb.tobytes(), (rgb.shape[1], rgb.shape[0]), "RGB")


def surface_sharing(rgb: np.ndarray) -> pygame.Surface:
    """A C-contiguous RGB (H, W, 3) uint8 array as a pygame Surface over the same memory,
    without the copy surface_from_rgb makes (at 4K, a portrait's copy took milliseconds of
    the render loop). The surface holds a reference to the array; whoever hands it over
    must never write into the array again."""
    if not rgb.flags.c_contiguous or rgb.dtype != np.uint8 or rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError("surface_sharing needs a C-contiguous (H, W, 3) uint8 array")
    return pygame.image.frombuffer(rgb, (rgb.shape[1], rgb.shape[0]), "RGB")


# Shrinking by less than this, bilinear is area averaging to the eye at an eighth of the
# cost: the sitter shrunk to 0.86-0.95 differed by a mean 0.2-0.45 and at most 7 levels of
# 255 (OpenCV's area averaging took 6 ms for a 1080p screen's portrait, bilinear 0.8 ms).
MILD_SHRINK = 0.85


def fit_rgb(rgb: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """An RGB array resized to (width, height), a new C-contiguous array: area averaging
    when it shrinks much (no aliasing in an engraving's hatching), bilinear when it shrinks
    little (MILD_SHRINK), cubic when it enlarges (a small portrait on a 4K screen stays
    sharp). Pure numpy/OpenCV, safe on any thread."""
    import cv2

    h, w = rgb.shape[:2]
    if size[0] > w or size[1] > h:
        interpolation = cv2.INTER_CUBIC
    elif min(size[0] / w, size[1] / h) >= MILD_SHRINK:
        interpolation = cv2.INTER_LINEAR
    else:
        interpolation = cv2.INTER_AREA
    return cv2.resize(rgb, size, interpolation=interpolation)


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
