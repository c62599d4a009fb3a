"""The default detector: spectral features of the noise residual and a calibrated
logistic regression. Weights are a small .npz made by `make_default.py` (shipped) or by
`bayard detector fit` (a gallery's own material)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ...runtime.files import atomic_write_bytes
from . import features
from .base import (
    DEFAULT_MODELS_DIR,
    DETECTORS,
    Availability,
    Detector,
    DetectorUnavailable,
    Explanation,
    Verdict,
)
from .linear import LinearModel
from .preprocess import prepare

DEFAULT_WEIGHTS = "spectral.npz"
FORMAT_VERSION = 1
# A grid cell this far above its neighbourhood (natural log; ~12x the power) is marked.
# JPEG's own 8x8 blocks lift the same cells in every image to about 1-2, so a lower
# mark would ring photographs too (seen on smooth skies).
PEAK_MARK_LOG = 2.5


@dataclass
class SpectralModel:
    """The fitted classifier plus what the explanation needs (typical curves)."""

    linear: LinearModel
    reference_real: np.ndarray
    reference_fake: np.ndarray
    info: dict[str, Any] = field(default_factory=dict)

    def save(self, path: str | Path) -> None:
        handle = io.BytesIO()  # (a few kB: written whole by the shared helper, or not at all)
        np.savez(
            handle,
            format_version=np.array(FORMAT_VERSION),
            feature_names=np.array(features.feature_names()),
            mean=self.linear.mean,
            scale=self.linear.scale,
            weights=self.linear.weights,
            bias=np.array(self.linear.bias),
            platt=np.array([self.linear.platt_a, self.linear.platt_b]),
            threshold=np.array(self.linear.threshold),
            reference_real=self.reference_real,
            reference_fake=self.reference_fake,
            info=np.array(json.dumps(self.info, sort_keys=True)),
        )
        atomic_write_bytes(Path(path), handle.getvalue())

    @classmethod
    def load(cls, path: str | Path) -> SpectralModel:
        path = Path(path)
        try:
            # allow_pickle=False: a weights file must never run code when opened.
            with np.load(path, allow_pickle=False) as data:
                version = int(data["format_version"])
                if version != FORMAT_VERSION:
                    raise DetectorUnavailable(
                        f"{path}: weights format {version}, this version reads {FORMAT_VERSION}; "
                        "re-make them with `bayard detector fit`"
                    )
                names = [str(n) for n in data["feature_names"]]
                if names != features.feature_names():
                    raise DetectorUnavailable(
                        f"{path}: fitted on different features than this version computes; "
                        "re-make them with `bayard detector fit`"
                    )
                platt = data["platt"]
                linear = LinearModel(
                    mean=data["mean"],
                    scale=data["scale"],
                    weights=data["weights"],
                    bias=float(data["bias"]),
                    platt_a=float(platt[0]),
                    platt_b=float(platt[1]),
                    threshold=float(data["threshold"]),
                )
                return cls(
                    linear, data["reference_real"], data["reference_fake"], json.loads(str(data["info"]))
                )
        except FileNotFoundError:
            raise DetectorUnavailable(
                f"{path}: no spectral weights here; make them with "
                f"`bayard detector fit --real DIR --fake DIR -o {path}`"
            ) from None
        except (KeyError, ValueError, OSError, EOFError, zipfile.BadZipFile) as error:
            # (A truncated .npz is a BadZipFile: it took the quiz down with a traceback.)
            raise DetectorUnavailable(
                f"{path}: not a spectral detector file, or a damaged one ({error}); `bayard assets status` "
                "compares a shipped one with its checksum; or re-make it with `bayard detector fit`"
            ) from None

    @classmethod
    def fit(
        cls,
        real: np.ndarray,
        fake: np.ndarray,
        calibration: tuple[np.ndarray, np.ndarray],
        real_curves: np.ndarray,
        fake_curves: np.ndarray,
        l2: float = 0.05,
        info: dict[str, Any] | None = None,
        columns: np.ndarray | None = None,
    ) -> SpectralModel:
        """Fit on feature rows of real and fake images; calibrate on held-out rows
        (calibration = (features, labels)). Curves are `curve_of` outputs per image.
        `columns`: fit only these features (the rest get weight 0)."""
        x = np.vstack([real, fake])
        y = np.r_[np.zeros(len(real)), np.ones(len(fake))]
        linear = LinearModel.fit(x, y, l2=l2, columns=columns)
        linear.calibrate(*calibration)
        return cls(linear, np.mean(real_curves, axis=0), np.mean(fake_curves, axis=0), dict(info or {}))


def curve_of(analysis: features.SpectralAnalysis) -> np.ndarray:
    """The averaged log spectrum relative to its own mean: the shape, not the overall
    noise level (which depends on exposure and contrast), is what compares across images."""
    curve = features.radial_curve(analysis.log_power, features.CURVE_BINS)
    return curve - curve.mean()


def describe(prepared: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Feature row and explanation curve of one prepared image (one analysis, both uses)."""
    analysis = features.analyse(prepared)
    return features.features_from(analysis), curve_of(analysis)


def _spectrum_image(log_power: np.ndarray) -> np.ndarray:
    shifted = np.fft.fftshift(log_power)
    low, high = np.percentile(shifted, [1.0, 99.9])
    scaled = (shifted - low) / max(high - low, 1e-9)
    return np.clip(np.round(scaled * 255.0), 0, 255).astype(np.uint8)


def _peaks(peakiness: np.ndarray) -> list[tuple[float, float]]:
    n = peakiness.shape[0]
    step = n // 8
    strongest = features.local_max(peakiness)
    found = []
    for iy in range(-4, 5):
        for ix in range(-4, 5):
            if (iy, ix) != (0, 0) and strongest[(iy * step) % n, (ix * step) % n] >= PEAK_MARK_LOG:
                found.append((ix / 8.0, iy / 8.0))
    return found


def spectral_explanation(
    image: np.ndarray, model: SpectralModel | None = None, analysis: features.SpectralAnalysis | None = None
) -> Explanation:
    if analysis is None:
        analysis = features.analyse(prepare(image))
    curve = curve_of(analysis)
    peaks = _peaks(analysis.peakiness)
    if model is not None:
        # mean-centred like `curve` (idempotent for files whose curves already are)
        ref_real = model.reference_real - np.mean(model.reference_real)
        ref_fake = model.reference_fake - np.mean(model.reference_fake)
    else:
        ref_real = ref_fake = np.full_like(curve, np.nan)
    return Explanation(
        spectrum_image=_spectrum_image(analysis.log_power),
        frequencies=(np.arange(features.CURVE_BINS) + 0.5) * (0.5 / features.CURVE_BINS),
        curve=curve,
        reference_real=np.asarray(ref_real),
        reference_fake=np.asarray(ref_fake),
        peaks=peaks,
        peak_frequencies=sorted(
            {round(float(np.hypot(fx, fy)), 4) for fx, fy in peaks if np.hypot(fx, fy) <= 0.5}
        ),
    )


@DETECTORS.register("spectral")
class SpectralDetector(Detector):
    name = "spectral"

    def __init__(
        self, weights: str | Path | SpectralModel | None = None, models_dir: Path = DEFAULT_MODELS_DIR
    ) -> None:
        if isinstance(weights, SpectralModel):
            self.model = weights
            self.path: Path | None = None
        else:
            self.path = Path(weights) if weights is not None else Path(models_dir) / DEFAULT_WEIGHTS
            self.model = SpectralModel.load(self.path)

    @classmethod
    def availability(cls, models_dir: Path = DEFAULT_MODELS_DIR) -> Availability:
        path = Path(models_dir) / DEFAULT_WEIGHTS
        if not path.is_file():
            return Availability(
                False, f"no {path}; re-make it with `python -m installation.models.detector.make_default`"
            )
        return Availability(True, f"weights {path}")

    @property
    def threshold(self) -> float:
        return self.model.linear.threshold

    def verdict_for(self, row: np.ndarray) -> Verdict:
        log_odds = float(self.model.linear.calibrated_logits(row)[0])
        return Verdict(float(self.model.linear.probability(row)[0]), self.threshold, log_odds)

    def score(self, image: np.ndarray) -> Verdict:
        return self.verdict_for(features.extract(prepare(image)))

    def score_many(self, images: Sequence[np.ndarray]) -> list[Verdict]:
        return [self.score(image) for image in images]

    def explain(self, image: np.ndarray) -> Explanation:
        analysis = features.analyse(prepare(image))  # one analysis serves verdict and picture
        explanation = spectral_explanation(image, self.model, analysis)
        explanation.verdict = self.verdict_for(features.features_from(analysis))
        return explanation
