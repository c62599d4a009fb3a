"""The lids' paint runs on every frame of a blink, so it takes its order statistics the cheap
way; these pin that the cheap way gives numpy's figures to the bit (a closed lid painted a
grey level off from one frame to the next would flicker)."""

import numpy as np
import pytest

from installation.models.motion.mesh.lid_paint import _clip, _low_percentile
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
    np.testing.assert_array_equal(_clip(values, 0.0, 1.0), np.clip(values, 0.0, 1.0))
    assert _clip(values, 0.0, 1.0).dtype == np.float32
