"""The contract every detector backend keeps, the verdict and explanation it returns,
and the registry the quiz and the CLI look backends up in."""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from ...registry import Registry

if TYPE_CHECKING:
    from .eyes import EyesView

DEFAULT_MODELS_DIR = Path(__file__).resolve().parents[3] / "models" / "detector"
"""Where shipped and operator-installed detector weights live (models/detector/ in a checkout)."""


@dataclass(frozen=True)
class Availability:
    ok: bool
    reason: str  # one line for `bayard check`, /bayard/status and the quiz's "not playing" card


class DetectorUnavailable(RuntimeError):
    """A backend cannot run here; the message says what to install or where."""


@dataclass(frozen=True)
class Verdict:
    probability: float  # calibrated probability that the image is generated
    threshold: float  # the calibrated cut: at or above it the verdict is "fake"
    # Calibrated log-odds: the same order as `probability` without its saturation at
    # 0 and 1 in floating point, so rankings (AP, ROC AUC) keep their ties honest.
    log_odds: float | None = None

    @property
    def fake(self) -> bool:
        return self.probability >= self.threshold

    @property
    def label(self) -> str:
        return "fake" if self.fake else "real"

    @property
    def confidence(self) -> float:
        """How sure the detector is of its own verdict, 0.5..1 (probability of the side it chose)."""
        return self.probability if self.fake else 1.0 - self.probability


@dataclass
class Explanation:
    """What the quiz shows of what the detector saw.

    spectrum_image: uint8 (N, N) log power spectrum of the noise residual, centred
        (zero frequency in the middle), ready to display as a grey or false-colour image.
    frequencies: radial frequency of each curve point, in cycles per pixel (0..0.5).
    curve: the image's azimuthally averaged log power spectrum, relative to its mean.
    reference_real / reference_fake: typical curves of real and generated images, stored
        with the model (means over its fitting data), on the same scale as `curve`.
    peaks: tell-tale peaks found, each (fx, fy) in cycles per pixel, centred coordinates.
    peak_frequencies: radial frequencies of those peaks, for marking on the curve.
    verdict: the detector's verdict for the same image.
    cue: what weighed most in this verdict: "spectrum" (grid peaks in the noise spectrum)
        or "pixels" (the face detector's map of the fine pixel pattern).
    picture: RGB uint8 picture of that cue for the reveal (None: draw the spectrum).
    cue_place: where in the picture the cue was strongest, in words ("around the eyes").
    face_found: whether a face was found (None: the backend does not look for one).
    unsure: the verdict sits so near the threshold that the machine should say it is unsure.
    eyes_view: both eyes at the picture's own pixels, with where their irises and corneal
        highlights sit (None: no face), for the reveal to enlarge.
    eyes_finding: what the eye highlights show (none, one, match, differ): a cue for the
        visitor, not in the verdict; the quiz says it in words.
    map_fake: which side the picture's own map (and its ring and place) speaks for, when
        the verdict came from elsewhere (a gallery's cross-fit); None: the verdict's side.
    coin: out of fold, the verdicts on this quiz's items rank them no better than a coin,
        so no verdict here is sure, however far its score sits from the line.
    """

    spectrum_image: np.ndarray
    frequencies: np.ndarray
    curve: np.ndarray
    reference_real: np.ndarray
    reference_fake: np.ndarray
    peaks: list[tuple[float, float]] = field(default_factory=list)
    peak_frequencies: list[float] = field(default_factory=list)
    verdict: Verdict | None = None
    cue: str = "spectrum"
    picture: np.ndarray | None = None
    cue_place: str = ""
    face_found: bool | None = None
    unsure: bool = False
    eyes_view: EyesView | None = None
    eyes_finding: str = ""
    map_fake: bool | None = None
    coin: bool = False


class Detector(ABC):
    """Scores RGB uint8 images of any size: probability of being generated."""

    name: ClassVar[str] = ""

    @classmethod
    def availability(cls, models_dir: Path = DEFAULT_MODELS_DIR) -> Availability:
        return Availability(True, "needs nothing")

    @abstractmethod
    def score(self, image: np.ndarray) -> Verdict:
        """Verdict for one decoded image (RGB uint8, H x W x 3)."""

    def explain(self, image: np.ndarray) -> Explanation:
        """A visual account of the verdict. Backends without one borrow the spectral view."""
        from .spectral import spectral_explanation

        explanation = spectral_explanation(image)
        explanation.verdict = self.score(image)
        return explanation

    def identity(self) -> dict | None:
        """What decides this detector's verdicts besides the picture: its backend and the
        checksum of its weights file (`self.path`), with any settings a backend adds. The
        quiz keeps verdicts on disk under it (scenes/quiz_verdicts.py), so re-made or
        replaced weights are judged with again. None: it cannot be told (weights given in
        memory, or unreadable), and nothing is kept."""
        path = getattr(self, "path", None)
        weights = file_checksum(Path(path)) if path is not None else None
        if weights is None:
            return None
        return {"backend": self.name, "class": f"{type(self).__module__}.{type(self).__qualname__}",
                "weights": weights}


# by path: (size, mtime, ctime, sha256); a weights file is read once per process unless it changes
_CHECKSUMS: dict[str, tuple[int, int, int, str]] = {}


def file_checksum(path: Path) -> str | None:
    """The sha256 of a model file, or None where it cannot be read."""
    try:
        stat = path.stat()
        known = _CHECKSUMS.get(str(path))
        if known is not None and known[:3] == (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns):
            return known[3]
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
    _CHECKSUMS[str(path)] = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, digest)
    return digest


DETECTORS: Registry[type[Detector]] = Registry("detector")
