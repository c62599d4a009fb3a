"""Synthetic images for detector tests: "natural-ish" pictures (1/f spectrum plus
independent per-channel sensor noise) and the same pictures up-sampled by an uneven
transposed convolution, the artifact the spectral detector is built to see."""

from __future__ import annotations

import cv2
import numpy as np


def natural(rng: np.random.Generator, size: int = 256) -> np.ndarray:
    f = np.fft.fftfreq(size)
    radius = np.sqrt(f[:, None] ** 2 + f[None, :] ** 2)
    radius[0, 0] = 1.0
    channels = []
    base = np.fft.ifft2(np.fft.fft2(rng.standard_normal((size, size))) / radius).real
    for _ in range(3):
        tint = np.fft.ifft2(np.fft.fft2(rng.standard_normal((size, size))) / radius**1.2).real
        channels.append(base + 0.4 * tint)
    image = np.stack(channels, axis=2)
    image = (image - image.min()) / (image.max() - image.min())
    image = image + 0.02 * rng.standard_normal(image.shape)  # sensor noise, independent per channel
    return np.clip(np.round(image * 255), 0, 255).astype(np.uint8)


def upsampled(rng: np.random.Generator, size: int = 256) -> np.ndarray:
    small = cv2.resize(natural(rng, size), (size // 2, size // 2), interpolation=cv2.INTER_AREA).astype(
        np.float32
    )
    up = np.zeros((size, size, 3), np.float32)
    up[::2, ::2] = small
    kernel = np.outer([1, 3, 3, 1], [1, 3, 3, 1]).astype(np.float32) / 16.0
    kernel *= 1.0 + 0.25 * rng.standard_normal(kernel.shape).astype(
        np.float32
    )  # uneven overlap: checkerboard
    out = cv2.filter2D(up, -1, kernel, borderType=cv2.BORDER_REFLECT)
    return np.clip(np.round(out), 0, 255).astype(np.uint8)
