"""Pre-rendered loops: `bayard generator render` for kiosks without a GPU.

A latent walk that loops seamlessly: a closed Catmull-Rom spline through K random
latent vectors, so the last frame flows into the first with no jump in position or
speed. The parameter is eased at each key vector (zero speed there, continuous on
both sides), so the walk settles on a face for a moment before it drifts on. Points
are projected back onto the sphere of radius sqrt(d) where Gaussian latents live:
a straight blend of two latents is shorter than either, and gives washed-out faces.
"""

from __future__ import annotations

import math
from pathlib import Path

import cv2
import numpy as np


def loop_path(keys: np.ndarray, frames: int, ease: bool = True) -> np.ndarray:
    """(frames, d) latents along a closed spline through `keys` (k, d); frame `frames` would be frame 0."""
    k = len(keys)
    if k < 2:
        raise ValueError("a loop needs at least 2 key faces")
    if frames < 1:
        raise ValueError("a loop needs at least 1 frame")
    t = np.arange(frames) * (k / frames)
    i = np.floor(t).astype(int)
    f = t - i
    if ease:
        f = f * f * (3 - 2 * f)  # smoothstep: rests on each key face
    f = f[:, None]
    p0, p1, p2, p3 = (keys[(i + o) % k] for o in (-1, 0, 1, 2))
    out = 0.5 * (
        2 * p1 + (p2 - p0) * f + (2 * p0 - 5 * p1 + 4 * p2 - p3) * f**2 + (3 * p1 - p0 - 3 * p2 + p3) * f**3
    )
    radius = math.sqrt(keys.shape[1])
    return out / np.linalg.norm(out, axis=1, keepdims=True) * radius


def upscale(images: np.ndarray, size: int) -> np.ndarray:
    """Scale faces to the display size: bicubic, then a slight blur. Sharpening would
    only enhance the faint grid a small GAN leaves; softness reads as a photograph."""
    if images.shape[1] == size:
        return images
    out = np.empty((len(images), size, size, 3), np.uint8)
    sigma = size / 160
    for n, img in enumerate(images):
        big = cv2.resize(img, (size, size), interpolation=cv2.INTER_CUBIC)
        out[n] = cv2.GaussianBlur(big, (0, 0), sigma) if size >= 4 * img.shape[0] else big
    return out


def render_video(
    generator,
    output: Path,
    frames: int,
    walk: bool = True,
    size: int | None = None,
    fps: float = 25.0,
    seed: int = 0,
    seconds_per_face: float = 3.0,
    crf: int = 26,
    batch: int = 16,
    progress: bool = True,
) -> dict:
    """Write an H.264 mp4 of `frames` frames; returns a summary for the log and credits."""
    from tqdm import tqdm

    from ...video import h264_writer

    size = size or generator.size
    rng = np.random.default_rng(seed)
    if walk:
        n_keys = max(2, round(frames / (fps * seconds_per_face)))
        latents = loop_path(rng.standard_normal((n_keys, generator.latent_dim)), frames)
    else:
        n_keys = frames
        latents = rng.standard_normal((frames, generator.latent_dim))
    bar = tqdm(total=frames, desc="rendering", unit="frame", disable=not progress)
    try:
        with h264_writer(output, (size, size), fps, crf=crf, preset="slow", extra=("-movflags", "+faststart"),
                         macro_block_size=16) as send:
            for start in range(0, frames, batch):
                images = upscale(generator.generate(latents[start : start + batch], batch=batch), size)
                for img in images:
                    send(img)
                bar.update(len(images))
    finally:
        bar.close()
    return {
        "frames": frames,
        "faces": n_keys,
        "fps": fps,
        "size": size,
        "seconds": frames / fps,
        "seed": seed,
    }
