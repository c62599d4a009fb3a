"""The project's own "generator" of up-sampled images, for fitting the default detector
without any GAN output (the AutoGAN idea, Zhang et al. 2019).

A real photograph is shrunk and then rebuilt by the up-sampling stages a generator
network ends with: transposed convolutions (zero insertion followed by a kernel whose
polyphase parts do not sum alike, which leaves a checkerboard), nearest-neighbour
up-sampling followed by a convolution, or a fixed blur filter as StyleGAN2 uses, each
optionally followed by injected per-pixel noise and a light sharpening convolution. The
kernels are drawn at random around interpolation filters, so the detector sees a
family of generators rather than one.
"""

from __future__ import annotations

import cv2
import numpy as np

BINOMIAL_4 = np.array([1.0, 3.0, 3.0, 1.0]) / 8.0  # StyleGAN2's up-sampling FIR, per polyphase branch sum 1


def _perturbed_kernel(rng: np.random.Generator, base: np.ndarray, amount: float) -> np.ndarray:
    kernel = np.outer(base, base)
    kernel = kernel * (1.0 + amount * rng.standard_normal(kernel.shape))
    return kernel


def _transposed_conv(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Stride-2 transposed convolution: zeros between samples, then one kernel. With an
    even kernel, each output phase uses different taps; unequal tap sums are the
    checkerboard that makes spectral peaks at fs/2."""
    h, w, c = x.shape
    up = np.zeros((2 * h, 2 * w, c), dtype=np.float32)
    up[::2, ::2] = x
    size = int(rng.choice([3, 4]))
    base = BINOMIAL_4 if size == 4 else np.array([0.5, 1.0, 0.5])
    amount = float(np.exp(rng.uniform(np.log(0.02), np.log(0.3))))
    kernel = _perturbed_kernel(rng, base, amount) * (4.0 / np.outer(base, base).sum())
    return cv2.filter2D(up, -1, kernel.astype(np.float32), borderType=cv2.BORDER_REFLECT)


def _nearest_conv(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    up = cv2.resize(x, (x.shape[1] * 2, x.shape[0] * 2), interpolation=cv2.INTER_NEAREST)
    base = np.array([0.25, 0.5, 0.25]) if rng.random() < 0.5 else np.array([1.0, 2.0, 2.0, 1.0]) / 6.0
    kernel = _perturbed_kernel(rng, base, float(rng.uniform(0.0, 0.15)))
    kernel /= kernel.sum()
    return cv2.filter2D(up, -1, kernel.astype(np.float32), borderType=cv2.BORDER_REFLECT)


def _fir_upsample(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Zero insertion then the [1,3,3,1] filter, exactly balanced (StyleGAN2's upfirdn2d)."""
    h, w, c = x.shape
    up = np.zeros((2 * h, 2 * w, c), dtype=np.float32)
    up[::2, ::2] = x
    kernel = np.outer(BINOMIAL_4, BINOMIAL_4) * 4.0
    return cv2.filter2D(up, -1, kernel.astype(np.float32), borderType=cv2.BORDER_REFLECT)


STAGES = (_transposed_conv, _nearest_conv, _fir_upsample)


def resynthesise(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """An RGB uint8 image rebuilt through 1-3 random 2x up-sampling stages, same size."""
    h, w = image.shape[:2]
    steps = int(rng.choice([1, 2, 3], p=[0.5, 0.35, 0.15]))
    factor = 2**steps
    small_w, small_h = max(8, w // factor), max(8, h // factor)
    x = cv2.resize(image, (small_w, small_h), interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0
    for _ in range(steps):
        x = STAGES[int(rng.integers(len(STAGES)))](x, rng)
        if rng.random() < 0.6:
            # Per-pixel noise, as StyleGAN's noise inputs add at every resolution.
            x = x + float(rng.uniform(0.002, 0.02)) * rng.standard_normal(x.shape[:2])[:, :, None].astype(
                np.float32
            )
        if rng.random() < 0.5:
            # A learned 3x3 convolution after up-sampling is often a mild sharpen.
            amount = float(rng.uniform(0.1, 0.6))
            sharpen = np.array([[0, -1, 0], [-1, 4, -1], [0, -1, 0]], dtype=np.float32) * (amount / 4.0)
            sharpen[1, 1] += 1.0
            x = cv2.filter2D(x, -1, sharpen, borderType=cv2.BORDER_REFLECT)
    x = np.clip(x, 0.0, 1.0)
    if x.shape[:2] != (h, w):
        x = cv2.resize(x, (w, h), interpolation=cv2.INTER_AREA if x.shape[0] > h else cv2.INTER_CUBIC)
    return np.round(x * 255.0).astype(np.uint8)


def ordinary_resample(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A real photograph shrunk and enlarged again by an ordinary interpolator (Lanczos,
    cubic or linear), as happens to real pictures on the web and in face data sets (many
    FFHQ photographs were enlarged to 1024 px). Used for part of the *real* class so the
    detector must tell learned up-sampling from plain loss of detail, not sharp from soft."""
    h, w = image.shape[:2]
    factor = float(rng.choice([1.5, 2.0, 3.0, 4.0]))
    small = cv2.resize(
        image, (max(8, round(w / factor)), max(8, round(h / factor))), interpolation=cv2.INTER_AREA
    )
    method = (cv2.INTER_LANCZOS4, cv2.INTER_CUBIC, cv2.INTER_LINEAR)[int(rng.integers(3))]
    return cv2.resize(small, (w, h), interpolation=method)


# -- the evaluation-like pipeline: generate at twice the size, publish at half ---------
def _lanczos3(x: np.ndarray) -> np.ndarray:
    out = np.sinc(x) * np.sinc(x / 3.0)
    out[np.abs(x) >= 3.0] = 0.0
    return out


# Taps of a Lanczos-3 filter stretched to twice its width, as an antialiasing resizer
# (PIL's LANCZOS) uses for a 2:1 reduction; OpenCV's INTER_LANCZOS4 does not stretch its
# kernel when shrinking, so it aliases instead, and would teach different traces.
_HALF_TAPS = _lanczos3((np.arange(12) - 5.5) / 2.0)
_HALF_TAPS = (_HALF_TAPS / _HALF_TAPS.sum()).astype(np.float32)


def lanczos_half(image: np.ndarray) -> np.ndarray:
    """Antialiased Lanczos-3 reduction by exactly 2 (RGB uint8 in and out): how published
    generator output (1024 px faces shown at 512) and face data sets are usually shrunk."""
    x = cv2.sepFilter2D(image.astype(np.float32), -1, _HALF_TAPS, _HALF_TAPS, borderType=cv2.BORDER_REFLECT)
    # Tap k of output pixel i sits on input 2i - 5 + k; filter2D centres even kernels on
    # tap 6, so output i is the filtered value at input 2i + 1.
    return np.clip(np.round(x[1::2, 1::2]), 0, 255).astype(np.uint8)


def _leaky_relu(x: np.ndarray) -> np.ndarray:
    return np.where(x > 0, x, 0.2 * x)


def skip_resynthesise(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Rebuild a square RGB uint8 image the way StyleGAN2's skip generator assembles its
    output: start from a coarse image (1/4 to 1/16 of the side), then at each resolution
    up-sample by zero insertion + the [1,3,3,1] FIR filter and add a detail band made by
    that level's layers. The band is the photograph's own detail at that level pushed
    through what a synthesis layer does: a few random 3x3 convolutions of it with
    injected per-pixel noise, leaky ReLU, and a random 1x1 mix back to RGB (its sign
    is random too: a band may come back inverted), rescaled to the photograph's band
    energy. The coarse picture stays the photograph's; the fine texture and its
    statistics become a network's."""
    side = image.shape[0]
    levels = int(rng.integers(2, 5))
    pyramid = [
        cv2.resize(image, (side >> level, side >> level), interpolation=cv2.INTER_AREA).astype(np.float32)
        / 255.0
        for level in range(levels, -1, -1)
    ]
    out = pyramid[0]
    for level in range(1, levels + 1):
        up = upfirdn_2x(out)
        band = pyramid[level] - upfirdn_2x(pyramid[level - 1])
        noise = rng.standard_normal(band.shape[:2]).astype(np.float32)[:, :, None] * float(
            rng.uniform(0.005, 0.03)
        )
        maps = []
        for _ in range(4):
            kernel = rng.standard_normal((3, 3)).astype(np.float32) * 0.3
            kernel[1, 1] += 1.0
            x = cv2.filter2D(
                band + noise * float(rng.uniform(0.3, 1.5)), -1, kernel, borderType=cv2.BORDER_REFLECT
            )
            maps.append(_leaky_relu(x + float(rng.normal(0.0, 0.01))))
        mix = rng.standard_normal(len(maps)).astype(np.float32)
        mix /= np.abs(mix).sum()
        detail = sum(w * m for w, m in zip(mix, maps, strict=True))
        detail *= float(np.std(band) / (np.std(detail) + 1e-6) * rng.uniform(0.7, 1.3))
        out = up + detail
    return np.round(np.clip(out, 0.0, 1.0) * 255.0).astype(np.uint8)


def upfirdn_2x(x: np.ndarray) -> np.ndarray:
    """2x up-sampling by zero insertion and the separable [1,3,3,1] filter (float32)."""
    h, w = x.shape[:2]
    up = np.zeros((2 * h, 2 * w) + x.shape[2:], dtype=np.float32)
    up[::2, ::2] = x
    kernel = (np.outer(BINOMIAL_4, BINOMIAL_4) * 4.0).astype(np.float32)
    return cv2.filter2D(up, -1, kernel, borderType=cv2.BORDER_REFLECT)
