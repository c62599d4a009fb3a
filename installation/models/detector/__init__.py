"""Detecting generated images, and explaining the verdict to a visitor.

Backends register in `DETECTORS` by name: `spectral` (the default: numpy/OpenCV features
of up-sampling traces and a calibrated linear model, weights shipped in
models/detector/spectral.npz) and `cnn` (a CNNDetection ResNet-50, used when an
operator installs its checkpoint; torch is imported only then).
"""

from __future__ import annotations

from pathlib import Path

from . import cnn as _cnn  # noqa: F401  (registers "cnn"; imports no torch)
from . import facedet as _facedet  # noqa: F401  (registers "faces")
from . import spectral as _spectral  # noqa: F401  (registers "spectral")
from .base import (
    DEFAULT_MODELS_DIR,
    DETECTORS,
    Availability,
    Detector,
    DetectorUnavailable,
    Explanation,
    Verdict,
)

__all__ = [
    "DEFAULT_MODELS_DIR",
    "DETECTORS",
    "Availability",
    "Detector",
    "DetectorUnavailable",
    "Explanation",
    "Verdict",
    "load_detector",
]


def load_detector(
    name: str = "spectral", weights: str | Path | None = None, models_dir: Path = DEFAULT_MODELS_DIR
) -> Detector:
    """Build a detector by name. Raises UnknownName (with a suggestion) for a bad name and
    DetectorUnavailable (one line saying what to install where) when it cannot run."""
    cls = DETECTORS.get(name)
    return cls(weights=weights, models_dir=models_dir)
