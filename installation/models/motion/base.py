"""The contract every motion-transfer backend keeps, and their registry.

Layers (see ../shared/style.md): networks -> a backend wrapper (this contract: owns
device, precision, per-portrait caches) -> the per-frame pipeline (face tracking,
cropping, paste-back) -> the portrait scene and the `animate` tool. Backends work on
square face crops; they never see the whole camera frame or the whole painting.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np

from ...registry import Registry


@dataclass(frozen=True)
class Availability:
    ok: bool
    reason: str  # one line for `bayard check` and /bayard/status, e.g. "no CUDA device"


class MotionBackend(ABC):
    """Animate one portrait crop from a stream of driver crops.

    All images are RGB uint8 arrays of shape (size, size, 3), size = `crop_size`.
    """

    name: ClassVar[str] = ""
    crop_size: ClassVar[int] = 256

    @classmethod
    def availability(cls, models_dir: Path) -> Availability:
        """Whether this backend can run here (weights present, device present)."""
        return Availability(True, "needs nothing")

    @abstractmethod
    def set_source(self, source: np.ndarray) -> None:
        """A new portrait crop: compute once whatever depends only on it."""

    @abstractmethod
    def calibrate(self, driver: np.ndarray) -> None:
        """The driver's neutral frame: later motion is relative to it."""

    @abstractmethod
    def animate(self, driver: np.ndarray) -> np.ndarray:
        """The source crop moved as the driver moved since calibration."""


MOTION_BACKENDS: Registry[type[MotionBackend]] = Registry("motion backend")
