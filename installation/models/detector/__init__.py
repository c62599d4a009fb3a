"""Detecting generated images, and explaining the verdict to a visitor.

Backends register in `DETECTORS` by name: `faces` (the default: a small network on
aligned faces with calibrated features, weights shipped in models/detector/faces.npz),
`spectral` (numpy/OpenCV features of up-sampling traces and a calibrated linear model,
models/detector/spectral.npz) and `cnn` (a CNNDetection ResNet-50, used when an operator
installs its checkpoint; torch is imported only then).
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
    "detector_folder",
    "load_detector",
]

DEFAULT_DETECTOR = "faces"


def detector_folder(name: str, models_dir: Path | None) -> Path:
    """Where backend `name` finds its weights: the show's own `<models>/detector` when they
    are there, else the copy shipped with the software (a gallery's show in a folder of its
    own played its quiz without a machine, while `check` said all was well). The face
    models fall back the same way (models/face/runtime.py)."""
    if models_dir is not None:
        own = Path(models_dir) / "detector"
        cls = DETECTORS.get(name) if name in DETECTORS else None
        if cls is None or cls.availability(own).ok or not cls.availability(DEFAULT_MODELS_DIR).ok:
            return own
    return DEFAULT_MODELS_DIR


def load_detector(
    name: str = DEFAULT_DETECTOR, weights: str | Path | None = None, models_dir: Path = DEFAULT_MODELS_DIR
) -> Detector:
    """Build a detector by name. Raises UnknownName (with a suggestion) for a bad name and
    DetectorUnavailable (one line saying what to install where) when it cannot run."""
    cls = DETECTORS.get(name)
    return cls(weights=weights, models_dir=models_dir)
