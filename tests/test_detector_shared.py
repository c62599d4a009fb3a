"""The detector on the development faces (../shared/data/faces), skipped when absent.

The faces are evaluation data only; these tests read them and write nothing."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from installation.models.detector import load_detector, metrics
from installation.models.detector.preprocess import list_images, prepare, read_image
from installation.models.detector.spectral import SpectralModel, describe

pytestmark = pytest.mark.shared_data


def _faces() -> Path:
    root = Path(os.environ.get("BAYARD_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
    faces = root / "faces"
    if not (faces / "real").is_dir() or not (faces / "fake").is_dir():
        pytest.skip(f"no development faces at {faces}")
    return faces


@pytest.fixture(scope="module")
def face_images():
    faces = _faces()
    real = [read_image(p) for p in list_images(faces / "real")]
    fake = [read_image(p) for p in list_images(faces / "fake")]
    return real, fake


def test_fitting_on_half_the_faces_beats_chance_on_the_other_half(face_images):
    """The gallery path: fit on their own material, judge unseen items."""
    real, fake = face_images
    rows = np.array([describe(prepare(im))[0] for im in real + fake])
    labels = np.r_[np.zeros(len(real)), np.ones(len(fake))]
    curves = np.zeros((len(labels), 4))
    rng = np.random.default_rng(0)
    r, f = rng.permutation(len(real)), len(real) + rng.permutation(len(fake))
    scores = np.zeros(len(labels))
    for fold in range(2):
        test = np.r_[r[fold::2], f[fold::2]]
        train = np.setdiff1d(np.arange(len(labels)), test)
        tr_r, tr_f = train[labels[train] == 0], train[labels[train] == 1]
        model = SpectralModel.fit(
            rows[tr_r], rows[tr_f], (rows[train], labels[train]), curves[tr_r], curves[tr_f]
        )
        scores[test] = model.linear.logits(rows[test])
    assert metrics.roc_auc(labels, scores) > 0.7


def test_shipped_model_beats_chance_on_faces(face_images):
    """The shipped weights never saw a face from this set (nor a StyleGAN2 face at all);
    measured: ROC AUC 0.64, accuracy 0.575 (docs/detector.md). A weak margin on 40 faces,
    but the model and the faces are fixed, so this is a regression check, not a coin toss."""
    real, fake = face_images
    detector = load_detector("spectral")
    p = np.array([detector.score(im).probability for im in real + fake])
    labels = np.r_[np.zeros(len(real)), np.ones(len(fake))]
    assert metrics.roc_auc(labels, p) > 0.6
    assert metrics.evaluate(labels, p, detector.threshold).accuracy > 0.55
