"""A test film whose every frame says its own number: for tests and bench/loop.py.

Each frame carries its index as 10 bits in wide black/white bars (robust to H.264),
over a moving gradient so the encoder has real motion to work with.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

BITS = 10


def frame_image(index: int, size: tuple[int, int]) -> np.ndarray:
    w, h = size
    x = np.linspace(0, 1, w, dtype=np.float32)
    y = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    phase = index * 0.05
    img = np.empty((h, w, 3), np.uint8)
    img[..., 0] = (127 + 100 * np.sin(6 * x + phase)).astype(np.uint8)
    img[..., 1] = (127 + 100 * np.sin(4 * y + phase * 1.3)).astype(np.uint8)
    img[..., 2] = 90
    band = h // 4
    bar = w // BITS
    for bit in range(BITS):
        value = 255 if (index >> bit) & 1 else 0
        img[h // 2 - band // 2 : h // 2 + band // 2, bit * bar + bar // 8 : (bit + 1) * bar - bar // 8] = (
            value
        )
    return img


def read_index(image: np.ndarray) -> int:
    """The number written by `frame_image` (the image may have been scaled)."""
    h, w = image.shape[:2]
    bar = w / BITS
    value = 0
    for bit in range(BITS):
        patch = image[h // 2 - h // 16 : h // 2 + h // 16, int((bit + 0.35) * bar) : int((bit + 0.65) * bar)]
        if patch.mean() > 127:
            value |= 1 << bit
    return value


def write_test_video(
    path: Path, seconds: float, fps: float = 30.0, size: tuple[int, int] = (1920, 1080), crf: int = 23
) -> int:
    from ..video import h264_writer

    frames = round(seconds * fps)
    with h264_writer(path, size, fps, crf=crf, preset="ultrafast", extra=("-g", "30"), macro_block_size=8) as send:
        for i in range(frames):
            send(frame_image(i, size))
    return frames
