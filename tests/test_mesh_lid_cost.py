"""The lids' paint runs on every frame of a blink, so it takes its order statistics the cheap
way; these pin that the cheap way gives numpy's figures to the bit (a closed lid painted a
grey level off from one frame to the next would flicker)."""

import numpy as np
import pytest

from installation.models.motion.mesh.eye_region import clamp
from installation.models.motion.mesh.lid_paint import _low_percentile
from installation.models.motion.mesh.plate import median, robust_spread


@pytest.mark.parametrize("size", [1, 2, 3, 4, 7, 10, 999, 1000, 1001])
def test_median_is_numpys_to_the_bit(size):
    rng = np.random.default_rng(size)
    for values in (rng.normal(0.0, 3.0, size).astype(np.float32),  # float32: the two middle ones averaged in float32
                   rng.integers(0, 256, size).astype(np.float32),  # ties
                   rng.normal(0.0, 1e-3, size)):
        fast, numpys = median(values.copy()), np.median(values)
        assert fast == numpys and np.asarray(fast).dtype == np.asarray(numpys).dtype
        assert robust_spread(values) == 1.4826 * float(np.median(np.abs(values - np.median(values))))
    if size > 2:  # a NaN among them: numpy's median is NaN, and so is this one
        values = rng.normal(0.0, 3.0, size).astype(np.float32)
        values[size // 3] = np.nan
        assert np.isnan(median(values)) and np.isnan(np.median(values))


@pytest.mark.parametrize("rows", [1, 2, 3, 26, 50, 51, 52, 1500])
def test_the_darkest_tone_is_numpys_percentile_to_the_bit(rows):
    rng = np.random.default_rng(rows)
    pixels = (rng.integers(0, 256, (rows, 3)) + rng.normal(0.0, 0.5, (rows, 3))).astype(np.float32)
    for q in (2, 2.5, 50, 97.5):
        fast, numpys = _low_percentile(pixels, q), np.percentile(pixels, q, axis=0)
        assert fast.dtype == numpys.dtype
        np.testing.assert_array_equal(fast, numpys)


def test_clip_is_numpys():
    values = np.linspace(-2.0, 3.0, 41, dtype=np.float32)
    np.testing.assert_array_equal(clamp(values, 0.0, 1.0), np.clip(values, 0.0, 1.0))
    assert clamp(values, 0.0, 1.0).dtype == np.float32


def _bands(rng, region, count=5):
    """Random bands of a lid's reading: some empty, some upside down, some past the region's edge."""
    h, w = region.shape[:2]
    columns = int(rng.integers(1, w))
    lows = rng.integers(0, h + 1, (count, columns))
    highs = np.minimum(lows + rng.integers(-3, 40, (count, columns)), h)
    cols = np.clip(np.arange(columns) + int(rng.integers(-3, 3)), 0, w - 1)
    return lows, highs, cols


def test_the_compiled_band_reader_reads_numpys_tones_to_the_bit():
    pytest.importorskip("numba")
    from installation.models.motion.mesh import lid_band

    assert lid_band.prepare()
    rng = np.random.default_rng(3)
    for trial in range(40):
        picture = rng.integers(0, 256, (90, 70, 3)).astype(np.uint8)
        if trial % 2:  # flat skin with a few dark lashes: ties at the median
            picture = np.where(rng.random((90, 70, 1)) < 0.2, 40, 180).astype(np.uint8).repeat(3, axis=2)
        region = picture[5:80, 3:66][:: 1 + trial % 3]  # a view, as the frame's region is
        lows, highs, cols = _bands(rng, region)
        tones, weight = lid_band.lighter_half(region, lows, highs, cols)
        want_tones, want_weight = lid_band._lighter_half_numpy(region, lows, highs, cols)
        np.testing.assert_array_equal(weight, want_weight)
        np.testing.assert_array_equal(tones, want_tones)
        assert tones.dtype == want_tones.dtype == np.float32


def test_a_lid_closes_the_same_without_numba(monkeypatch):
    """A kiosk where numba cannot load paints the same closed lid through numpy."""
    pytest.importorskip("numba")
    import sys

    from installation.models.motion.mesh import lid_band

    rng = np.random.default_rng(4)
    region = rng.integers(0, 256, (60, 50, 3)).astype(np.uint8)
    lows, highs, cols = _bands(rng, region)
    compiled = lid_band.lighter_half(region, lows, highs, cols)
    monkeypatch.setitem(sys.modules, "numba", None)  # import numba raises ImportError
    monkeypatch.setattr(lid_band, "_tried", False)
    monkeypatch.setattr(lid_band, "_compiled", None)
    assert not lid_band.prepare()
    without = lid_band.lighter_half(region, lows, highs, cols)
    for a, b in zip(compiled, without, strict=True):
        np.testing.assert_array_equal(a, b)


def test_the_points_along_an_eye_are_made_once_per_count_and_kept_safe():
    """The readings at rest are taken at a few fixed counts of points along the eye; the grid
    for each count is made once. A reading of another count is never served another's grid,
    and no caller can change the one kept."""
    from installation.models.motion.mesh.eye_region import _along

    five, nine = _along(5), _along(9)
    np.testing.assert_array_equal(five, np.linspace(0.0, 1.0, 5))
    np.testing.assert_array_equal(nine, np.linspace(0.0, 1.0, 9))
    assert _along(5) is five
    with pytest.raises(ValueError):
        five[1] = 0.5


def test_the_lids_band_reader_is_compiled_when_the_portrait_loads(stack, sitter, monkeypatch):
    """Compiled on the first blink instead, the frame a visitor first closed their eyes on
    took seconds (numba's first compile) or a cache read: the portrait's load does it."""
    pytest.importorskip("numba")
    from installation.models.motion.mesh import MeshAnimator, lid_band

    monkeypatch.setattr(lid_band, "_tried", False)
    monkeypatch.setattr(lid_band, "_compiled", None)
    MeshAnimator(sitter, stack)
    kernel = lid_band._compiled
    assert kernel is not None
    # Nothing left to compile on a blink, whichever layout the frame's region has: a view
    # into the picture, or (a region as wide as the picture) a whole block of it.
    compiled = len(kernel.signatures)
    picture = np.random.default_rng(5).integers(0, 256, (40, 30, 3)).astype(np.uint8)
    lows, highs, cols = np.array([[2, 3]]), np.array([[9, 12]]), np.array([4, 5])
    for region in (picture[5:35, 2:28], picture[5:35], picture[5:35][::2]):
        lid_band.lighter_half(region, lows, highs, cols)
    assert len(kernel.signatures) == compiled
