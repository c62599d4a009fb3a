"""The detector package: features, fitting, calibration, metrics, explanation, backends."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from installation.models.detector import DETECTORS, DetectorUnavailable, features, load_detector, metrics
from installation.models.detector.base import DEFAULT_MODELS_DIR, Verdict
from installation.models.detector.linear import LinearModel, best_threshold
from installation.models.detector.preprocess import ImageError, jpeg_roundtrip, prepare, read_image
from installation.models.detector.spectral import SpectralDetector, SpectralModel, describe
from installation.registry import UnknownName
from tests.detector_fixtures import natural, upsampled


def _rows(make, seed: int, n: int):
    rng = np.random.default_rng(seed)
    pairs = [describe(prepare(make(rng))) for _ in range(n)]
    return np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])


@pytest.fixture(scope="module")
def synthetic_model():
    real, real_curves = _rows(natural, 1, 24)
    fake, fake_curves = _rows(upsampled, 2, 24)
    cal_real, _ = _rows(natural, 3, 8)
    cal_fake, _ = _rows(upsampled, 4, 8)
    calibration = (np.vstack([cal_real, cal_fake]), np.r_[np.zeros(8), np.ones(8)])
    return SpectralModel.fit(real, fake, calibration, real_curves, fake_curves)


def test_features_are_deterministic_and_finite():
    image = natural(np.random.default_rng(7))
    a = features.extract(prepare(image))
    b = features.extract(prepare(image.copy()))
    assert a.shape == (len(features.feature_names()),)
    assert np.array_equal(a, b)
    assert np.all(np.isfinite(a))


def test_grey_and_tiny_images_are_handled():
    grey = natural(np.random.default_rng(8))[:, :, 0]
    row = features.extract(prepare(grey))
    assert np.all(np.isfinite(row))  # no chroma at all must not give inf/nan
    small = prepare(natural(np.random.default_rng(9), 64))
    assert small.shape == (256, 256, 3)
    with pytest.raises(ImageError, match="too small"):
        prepare(np.zeros((8, 8, 3), np.uint8))


def test_prepare_crops_centre_at_native_resolution():
    big = np.zeros((900, 700, 3), np.uint8)
    assert prepare(big).shape == (512, 512, 3)
    assert prepare(np.zeros((300, 400, 3), np.uint8)).shape == (256, 256, 3)


def test_fit_separates_upsampled_from_natural(synthetic_model):
    real, _ = _rows(natural, 11, 12)
    fake, _ = _rows(upsampled, 12, 12)
    p = synthetic_model.linear.probability(np.vstack([real, fake]))
    labels = np.r_[np.zeros(12), np.ones(12)]
    report = metrics.evaluate(labels, p, synthetic_model.linear.threshold)
    assert report.accuracy >= 0.9
    assert report.roc_auc >= 0.95


def test_calibrated_probabilities_and_threshold(synthetic_model):
    real, _ = _rows(natural, 21, 6)
    fake, _ = _rows(upsampled, 22, 6)
    p = synthetic_model.linear.probability(np.vstack([real, fake]))
    assert np.all((p >= 0) & (p <= 1))
    assert 0.0 < synthetic_model.linear.threshold < 1.0
    assert p[:6].mean() < 0.5 < p[6:].mean()


def test_best_threshold_balances_classes():
    p = np.array([0.1, 0.2, 0.3, 0.6, 0.7, 0.9])
    y = np.array([0, 0, 0, 1, 1, 1])
    t = best_threshold(p, y)
    assert 0.3 < t <= 0.6
    assert best_threshold(np.array([0.2, 0.8]), np.array([1, 1])) == 0.5


def test_logistic_regression_is_scale_free():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((200, 2))
    y = (x[:, 0] > 0).astype(float)
    a = LinearModel.fit(x, y)
    b = LinearModel.fit(x * 1000.0 + 5.0, y)  # standardisation makes units irrelevant
    assert np.allclose(a.logits(x), b.logits(x * 1000.0 + 5.0), atol=1e-6)


def test_metrics_against_hand_computed_cases():
    labels = [0, 0, 1, 1]
    scores = [0.1, 0.4, 0.35, 0.8]
    # pairs (fake > real): 0.35>0.1 yes, 0.35>0.4 no, 0.8>both yes -> 3/4
    assert metrics.roc_auc(labels, scores) == pytest.approx(0.75)
    # ranked: 0.8(fake) P=1 R=.5; 0.4(real); 0.35(fake) P=2/3 R=1 -> .5*1 + .5*2/3
    assert metrics.average_precision(labels, scores) == pytest.approx(0.5 + 1 / 3)
    # a tie between a real and a fake counts half
    assert metrics.roc_auc([0, 1], [0.5, 0.5]) == pytest.approx(0.5)
    assert metrics.average_precision([0, 1], [0.5, 0.5]) == pytest.approx(0.5)
    report = metrics.evaluate(labels, scores, 0.375)
    assert report.confusion == ((1, 1), (1, 1))
    assert report.accuracy == pytest.approx(0.5)
    # probabilities saturated to 1.0 tie; log-odds keep the order for AP and AUC
    saturated = metrics.evaluate([0, 1, 1, 0], [1.0, 1.0, 0.2, 0.1], 0.5, ranking=[40.0, 50.0, -1.0, -2.0])
    assert saturated.roc_auc == pytest.approx(0.75) and saturated.accuracy == pytest.approx(0.5)
    assert metrics.roc_auc([0, 1, 1, 0], [1.0, 1.0, 0.2, 0.1]) == pytest.approx(0.625)
    perfect = metrics.evaluate([0, 0, 1], [0.1, 0.2, 0.9], 0.5)
    assert perfect.accuracy == 1.0 and perfect.roc_auc == 1.0 and perfect.average_precision == 1.0


def test_model_round_trip(tmp_path, synthetic_model):
    path = tmp_path / "m.npz"
    synthetic_model.save(path)
    loaded = SpectralModel.load(path)
    x, _ = _rows(upsampled, 31, 3)
    assert np.allclose(loaded.linear.probability(x), synthetic_model.linear.probability(x))
    assert loaded.linear.threshold == synthetic_model.linear.threshold


def test_bad_weights_give_one_clear_line(tmp_path):
    with pytest.raises(DetectorUnavailable, match="bayard detector fit"):
        SpectralDetector(tmp_path / "missing.npz")
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a zip")
    with pytest.raises(DetectorUnavailable, match="broken.npz"):
        SpectralDetector(broken)


def test_registry_and_unknown_name():
    assert {"spectral", "cnn"} <= set(DETECTORS.names())
    with pytest.raises(UnknownName, match="spectral"):
        load_detector("spectrall")


def test_explanation_marks_upsampling_peaks(synthetic_model):
    detector = SpectralDetector(synthetic_model)
    fake_image = upsampled(np.random.default_rng(41))
    fake = detector.explain(fake_image)
    assert fake.verdict == detector.score(fake_image)  # the picture explains the same verdict
    real = detector.explain(natural(np.random.default_rng(42)))
    assert fake.spectrum_image.dtype == np.uint8 and fake.spectrum_image.shape == (256, 256)
    assert (
        fake.curve.shape == fake.frequencies.shape == fake.reference_real.shape == fake.reference_fake.shape
    )
    assert np.all(np.isfinite(fake.reference_real)) and np.all(np.isfinite(fake.reference_fake))
    assert len(fake.peaks) > len(real.peaks)
    assert 0.5 in fake.peak_frequencies  # the checkerboard of a 2x transposed convolution
    assert isinstance(fake.verdict, Verdict) and fake.verdict.fake
    assert not real.verdict.fake


def test_read_image_errors_name_the_file(tmp_path):
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\xff\xd8 nothing here")
    with pytest.raises(ImageError, match="bad.jpg"):
        read_image(bad)
    with pytest.raises(ImageError, match="nope.png"):
        read_image(tmp_path / "nope.png")


def test_png_and_jpeg_of_one_picture_score_alike(synthetic_model, tmp_path):
    """The one pipeline re-encodes everything, so the container barely matters."""
    image = natural(np.random.default_rng(51))
    cv2.imwrite(str(tmp_path / "a.png"), image[:, :, ::-1])
    cv2.imwrite(str(tmp_path / "a.jpg"), image[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, 95])
    detector = SpectralDetector(synthetic_model)
    a = detector.score(read_image(tmp_path / "a.png")).probability
    b = detector.score(read_image(tmp_path / "a.jpg")).probability
    assert abs(a - b) < 0.2


def test_shipped_weights_load_and_score():
    detector = load_detector("spectral")
    verdict = detector.score(natural(np.random.default_rng(61)))
    assert 0.0 <= verdict.probability <= 1.0
    assert 0.05 < detector.threshold < 0.95
    assert detector.model.info.get("made_by", "").startswith(
        "python -m installation.models.detector.make_default"
    )
    assert SpectralDetector.availability(DEFAULT_MODELS_DIR).ok


def test_jpeg_roundtrip_keeps_shape():
    image = natural(np.random.default_rng(71), 64)
    assert jpeg_roundtrip(image, 80).shape == image.shape


def test_lanczos_half_shrinks_like_an_antialiasing_resizer():
    from installation.models.detector.synth import lanczos_half

    # A smooth ramp keeps its values (shifted by half a pixel of the input grid) ...
    ramp = np.tile(np.linspace(20, 220, 128, dtype=np.float32), (64, 1))
    image = np.repeat(ramp[:, :, None], 3, axis=2).astype(np.uint8)
    half = lanczos_half(image)
    assert half.shape == (32, 64, 3)
    grey = image[:, :, 0].astype(float)
    expected = (grey[:, 0::2] + grey[:, 1::2])[::2] / 2
    assert np.abs(half[:, 4:-4, 0].astype(float) - expected[:, 4:-4]).max() <= 1.0
    # ... while a pixel-level checkerboard (energy at the input's Nyquist frequency),
    # which OpenCV's INTER_LANCZOS4 would alias into the result, is filtered out.
    checker = (np.indices((64, 64)).sum(axis=0) % 2 * 200 + 28).astype(np.uint8)
    checker = np.repeat(checker[:, :, None], 3, axis=2)
    assert lanczos_half(checker)[4:-4, 4:-4].std() < 1.0


def test_skip_resynthesis_keeps_the_picture_but_remakes_its_detail():
    from installation.models.detector.synth import skip_resynthesise

    image = natural(np.random.default_rng(81), 256)
    out = skip_resynthesise(image, np.random.default_rng(3))
    assert out.shape == image.shape and out.dtype == np.uint8
    coarse = lambda im: cv2.resize(im, (16, 16), interpolation=cv2.INTER_AREA).astype(float)  # noqa: E731
    other = natural(np.random.default_rng(82), 256)
    # The coarse picture survives (the network-made bands and their leaky-ReLU offsets move
    # it a little); another picture does not correlate.
    assert np.corrcoef(coarse(image).ravel(), coarse(out).ravel())[0, 1] > 0.7
    assert abs(np.corrcoef(coarse(other).ravel(), coarse(out).ravel())[0, 1]) < 0.3
    assert not np.array_equal(out, image)
    assert np.array_equal(out, skip_resynthesise(image, np.random.default_rng(3)))  # seeded


def test_fitting_on_chosen_columns_leaves_the_others_at_zero():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((80, 6))
    y = (x[:, 0] + 0.1 * rng.standard_normal(80) > 0).astype(float)
    model = LinearModel.fit(x, y, columns=np.array([0, 2]))
    assert model.weights.shape == (6,)
    assert np.all(model.weights[[1, 3, 4, 5]] == 0) and model.weights[0] > 0
    assert metrics.roc_auc(y, model.logits(x)) > 0.9


def test_shipped_weights_ignore_the_features_they_were_told_to():
    from installation.models.detector.make_default import UNUSED_IN_SHIPPED

    detector = load_detector("spectral")
    names = features.feature_names()
    unused = np.array([n.startswith(UNUSED_IN_SHIPPED) for n in names])
    assert np.all(detector.model.linear.weights[unused] == 0)
    assert np.any(detector.model.linear.weights[~unused] != 0)
    assert detector.model.info["features_used"] == [n for n, u in zip(names, unused, strict=True) if not u]
