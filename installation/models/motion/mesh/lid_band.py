"""The lighter half of each column of a lid's bands (lid_paint._band_tones), compiled.

A closing lid's tone is read, every frame of a blink, from five bands round the eye: per
column, the mean of the pixels at or above the column's median. In numpy that is a gather,
a sort along the column and a dozen passes over small arrays, a third of the lid's paint;
numba visits each column once. The pixels are whole numbers (a uint8 frame), so every sum
is exact in any order and the compiled tones are numpy's to the bit (tests/test_mesh_lid_cost.py
compares the two). Where numba is missing or cannot compile, numpy does it (raster.py's way).
"""

from __future__ import annotations

import numpy as np

from .jit import compile_checked


def prepare() -> bool:
    """Compile the band reader now (a portrait's load), not on the first blink: compiled
    there, the frame a visitor first closed their eyes on took seconds. True where compiled."""
    return _compiled_kernel() is not None


def lighter_half(region: np.ndarray, lows: np.ndarray, highs: np.ndarray,
                 cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per band and column: the mean colour of the lighter half of region rows `lows` to
    `highs` (exclusive, (bands, w) ints within the region) in column `cols` (w), float32
    (bands, w, channels), and how many pixels it is the mean of, float32 (bands, w); zero
    where the band is empty. The lighter half: at or above the column's median grey."""
    kernel = _compiled_kernel() if region.dtype == np.uint8 else None
    if kernel is None:
        return _lighter_half_numpy(region, lows, highs, cols)
    tones = np.empty((*lows.shape, region.shape[2]), np.float32)
    weight = np.empty(lows.shape, np.float32)
    kernel(region, lows.astype(np.int64), highs.astype(np.int64), cols.astype(np.int64), tones, weight)
    return tones, weight


def _lighter_half_numpy(region, lows, highs, cols):
    depth = max(1, int((highs - lows).max()))
    rows = lows[:, None, :] + np.arange(depth)[None, :, None]  # (bands, depth, w)
    inside = rows < highs[:, None, :]
    pixels = region[np.minimum(rows, region.shape[0] - 1), cols[None, None, :]].astype(np.float32)
    grey = np.where(inside, pixels.mean(-1), -1.0)
    ranked = np.sort(grey, axis=1)
    count = inside.sum(1)  # (bands, w)
    middle = np.take_along_axis(ranked, np.clip(depth - (count + 1) // 2, 0, depth - 1)[:, None, :], axis=1)
    lighter = (inside & (grey >= middle)).astype(np.float32)
    weight = lighter.sum(1)
    return (pixels * lighter[..., None]).sum(1) / np.maximum(weight, 1.0)[..., None], weight


def _kernel(region, lows, highs, cols, tones, weight):  # pragma: no cover - compiled
    channels = region.shape[2]
    depth = 1
    for b in range(lows.shape[0]):
        for j in range(lows.shape[1]):
            depth = max(depth, highs[b, j] - lows[b, j])
    sums = np.empty(depth, np.int64)
    totals = np.empty(channels, np.int64)
    for b in range(lows.shape[0]):
        for j in range(lows.shape[1]):
            n = highs[b, j] - lows[b, j]
            x = cols[j]
            totals[:] = 0
            count = 0
            if n > 0:
                # ranked by the channels' sum: whole numbers, in the order numpy's mean of them gives
                for r in range(n):
                    s = 0
                    for c in range(channels):
                        s += region[lows[b, j] + r, x, c]
                    sums[r] = s
                middle = np.sort(sums[:n])[n - (n + 1) // 2]
                for r in range(n):
                    if sums[r] >= middle:
                        count += 1
                        for c in range(channels):
                            totals[c] += region[lows[b, j] + r, x, c]
            weight[b, j] = np.float32(count)
            for c in range(channels):
                tones[b, j, c] = np.float32(totals[c]) / np.float32(max(count, 1))


_compiled = None
_tried = False


def _compiled_kernel():
    """The compiled `_kernel`, compiled (or loaded from numba's cache) on first use and
    checked against numpy on a small patch; None where numba is missing or fails."""
    global _compiled, _tried
    if _tried:
        return _compiled
    _tried = True
    _compiled = compile_checked("the lids' band reader", "the lids' tones are read through numpy (slower)",
                                lambda numba, cache: numba.njit(cache=cache, nogil=True)(_kernel), _smoke)
    return _compiled


def _smoke(kernel) -> None:
    # Compiled for both layouts a frame's region comes in: a view into the picture, and a
    # whole block of it (a region as wide as the picture, or its rows read one by one).
    view = (np.arange(10 * 4 * 3).reshape(10, 4, 3) * 7 % 256).astype(np.uint8)[::2, 1:]
    for region in (view, np.ascontiguousarray(view)):
        lows, highs, cols = np.array([[0, 1, 4]]), np.array([[5, 3, 4]]), np.array([0, 1, 2])
        tones, weight = np.empty((1, 3, 3), np.float32), np.empty((1, 3), np.float32)
        kernel(region, lows, highs, cols, tones, weight)
        want_tones, want_weight = _lighter_half_numpy(region, lows, highs, cols)
        if not (np.array_equal(tones, want_tones) and np.array_equal(weight, want_weight)):
            raise RuntimeError("the compiled band reader read a test patch wrongly")
