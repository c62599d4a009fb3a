"""Which motion backend runs here, and why: mesh (MediaPipe's face models, on any CPU)
by default; fomm on a GPU with its checkpoint when asked for; landmarks when its weights
are installed; flow (always available) only when the face stack cannot load. The reasons
are what `bayard check` and /bayard/status print."""

from __future__ import annotations

import contextlib
import importlib
from dataclasses import dataclass
from pathlib import Path

from .base import MOTION_BACKENDS, Availability

PREFERENCE = ("mesh", "fomm", "landmarks", "flow")

# Backends that failed on every frame while the show ran (a GPU lost mid-show: its CUDA
# context stays broken until the process restarts), with why. Passed over until then.
_FAILED: dict[str, str] = {}


def mark_failed(name: str, why: str) -> None:
    _FAILED[name] = why


def forget_failures() -> None:
    _FAILED.clear()


def failed_backends() -> dict[str, str]:
    """For /bayard/status: each backend passed over since it failed, and why."""
    return dict(_FAILED)


def _load_backends() -> None:
    """Import the backend modules so they register; a missing optional one is skipped."""
    for module in ("flow", "landmarks", "fomm", "mesh.backend"):
        with contextlib.suppress(ImportError):
            importlib.import_module(f"{__package__}.{module}")


@dataclass(frozen=True)
class Choice:
    name: str
    reasons: dict[str, Availability]  # every candidate's verdict, in preference order

    def summary(self) -> str:
        parts = [f"{n}: {'ok' if a.ok else 'no'} ({a.reason})" for n, a in self.reasons.items()]
        return f"motion backend '{self.name}'; " + "; ".join(parts)


def choose_backend(models_dir: Path, requested: str | None = None) -> Choice:
    """`requested` ("auto" or None for automatic) names a backend; an unavailable request
    falls back down the preference list with the reason kept."""
    _load_backends()
    reasons: dict[str, Availability] = {}
    for name in PREFERENCE:
        if name not in MOTION_BACKENDS:
            reasons[name] = Availability(False, "not installed in this build")
            continue
        try:
            reasons[name] = MOTION_BACKENDS.get(name).availability(models_dir)
        except Exception as exc:  # boundary: a broken optional backend must not stop the show
            reasons[name] = Availability(False, f"availability check failed: {exc}")
    for name, why in _FAILED.items():
        reasons[name] = Availability(False, f"failed while the show ran ({why}); a restart tries it again")
    if requested and requested != "auto":
        MOTION_BACKENDS.get(requested)  # raises UnknownName with a suggestion
        if reasons.get(requested, Availability(True, "")).ok:
            return Choice(requested, reasons)
    for name in PREFERENCE:
        if reasons[name].ok:
            return Choice(name, reasons)
    return Choice("flow", reasons)
