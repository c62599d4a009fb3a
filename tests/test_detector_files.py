"""What `bayard detector fit` writes into a models folder is whole or absent, with nothing
left beside it when the fit is stopped (Ctrl-C, a kill) as the file is put in place."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from installation.models.detector import crossfit
from installation.models.detector.spectral import SpectralModel

REPO = Path(__file__).resolve().parents[1]


def _stopped(*args, **kwargs):
    raise KeyboardInterrupt


def test_a_cross_fit_stopped_as_it_is_written_leaves_the_previous_verdicts_and_no_other_file(tmp_path, monkeypatch):
    pictures = []
    for n in range(6):
        pictures.append(tmp_path / f"item{n}.png")
        pictures[-1].write_bytes(bytes([n]) * 10)
    labels = np.array([0, 1, 0, 1, 0, 1])
    out = np.array([[0.2 + 0.1 * n, 0.5, float(n - 3)] for n in range(6)])
    fold = np.arange(6) % 3
    path = tmp_path / "models" / crossfit.CROSSFIT_FILE
    keys = [p.name for p in pictures]
    crossfit.write(path, keys, pictures, labels, out, fold, 3)
    before = path.read_text(encoding="utf-8")
    monkeypatch.setattr(os, "replace", _stopped)
    with pytest.raises(KeyboardInterrupt):
        crossfit.write(path, keys, pictures, labels, out[::-1].copy(), fold, 3)
    assert [p.name for p in path.parent.iterdir()] == [crossfit.CROSSFIT_FILE]
    assert path.read_text(encoding="utf-8") == before
    assert len(json.loads(before)["items"]) == 6


def test_spectral_weights_stopped_as_they_are_written_leave_no_other_file(tmp_path, monkeypatch):
    model = SpectralModel.load(REPO / "models" / "detector" / "spectral.npz")
    path = tmp_path / "detector" / "spectral.npz"
    model.save(path)
    assert SpectralModel.load(path).linear.threshold == model.linear.threshold
    before = path.read_bytes()
    monkeypatch.setattr(os, "replace", _stopped)
    with pytest.raises(KeyboardInterrupt):
        model.save(path)
    assert [p.name for p in path.parent.iterdir()] == ["spectral.npz"]
    assert path.read_bytes() == before
