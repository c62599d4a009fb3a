"""The fine-detail-matched fakes (matched.py): each published fake has its own photograph's
fine detail within MATCH where that can be reached, whatever the family gain made it."""

from __future__ import annotations

import numpy as np
import pytest

from installation.models.detector import families, matched

from .detector_fixtures import natural


def test_the_numpy_family_is_brought_to_its_photographs_fine_detail():
    frame = natural(np.random.default_rng(3), 128)
    image, row = matched.matched_numpy(frame, 90, np.random.default_rng(4))
    assert image.shape == (64, 64, 3)
    assert abs(families.fine_detail(image) / row["photo"] - 1) <= matched.MATCH or row["a"] in (0.0, 1.0)
    assert abs(row["after"] / row["photo"] - 1) <= abs(row["before"] / row["photo"] - 1) + 1e-6


def test_an_autoencoder_fake_is_matched_from_two_rebuilds():
    pytest.importorskip("torch")
    from installation.models.detector import autogan

    model = autogan.build(8, up="transpose_fir", depth=2).eval()
    frame = natural(np.random.default_rng(5), 64)
    image, row = matched.matched_autoencoder(model, frame, 90, gain=20.0, seed=7)
    assert image.shape == (32, 32, 3) and image.dtype == np.uint8
    assert abs(row["after"] / row["photo"] - 1) <= abs(row["before"] / row["photo"] - 1) + 1e-6
    assert 0.0 <= row["a"] <= matched.A_MAX


def test_the_solver_finds_the_blend_of_a_quadratic_energy():
    # detail^2 = 1 + 8 a^2: the target 2 needs a = sqrt(3/8)
    a, d = matched._solve(lambda a: float(np.sqrt(1 + 8 * a * a)), 1.0, 3.0, 2.0, 3.0)
    assert abs(d / 2.0 - 1) <= matched.MATCH / 3 and abs(a - np.sqrt(3 / 8)) < 0.05
