"""The `fomm` motion backend: First Order Motion Model on a GPU, relative mode.

Importing this module does not import torch: backend selection asks every backend for
its availability at start-up, and the default show (no checkpoint, no GPU) must not pay
for torch or need it installed. The torch side lives in `wrapper.py`.
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ...device import gpu_refused  # torch-free, so availability stays torch-free
from ..base import MOTION_BACKENDS, Availability, MotionBackend
from .files import CHECKPOINT_DIR, CHECKPOINT_NAMES, CheckpointError, find_checkpoint, sniff

if TYPE_CHECKING:
    from .configs import FommConfig
    from .wrapper import FommWrapper


def missing_checkpoint_reason(models_dir: Path | str) -> str:
    folder = Path(models_dir) / CHECKPOINT_DIR
    return f"no checkpoint: put {' or '.join(CHECKPOINT_NAMES)} in {folder}/ (docs/fomm.md)"


@MOTION_BACKENDS.register("fomm")
class FommBackend(MotionBackend):
    """Relative-mode FOMM: the portrait moves by the visitor's motion since calibration."""

    name = "fomm"
    crop_size = 256

    @classmethod
    def availability(cls, models_dir: Path) -> Availability:
        """OK only with a plausible checkpoint file in models/fomm/ and a CUDA device.

        The file is checked first, so a show without one never imports torch here.
        """
        checkpoint = find_checkpoint(models_dir)
        if checkpoint is None:
            return Availability(False, missing_checkpoint_reason(models_dir))
        problem = sniff(checkpoint)
        if problem:
            return Availability(False, f"{checkpoint} {problem}")
        refused = gpu_refused()
        if refused:
            return Availability(False, f"{refused} keeps FOMM off the GPU (1-2 s per frame)")
        if importlib.util.find_spec("torch") is None:
            return Availability(False, "torch is not installed (pip install 'bayard[models]')")
        from ...device import cuda_name, cuda_present, no_cuda_why

        if not cuda_present():
            return Availability(False, f"{no_cuda_why()} (FOMM takes 1-2 s per frame on a CPU)")
        return Availability(True, f"{checkpoint.name} on {cuda_name()}")

    def __init__(
        self,
        models_dir: Path | str = "models",
        *,
        checkpoint: Path | str | None = None,
        device: str | None = None,
        precision: str = "auto",
        adapt_movement_scale: bool = True,
        trust: bool = False,
        config: FommConfig | None = None,
        wrapper: FommWrapper | None = None,
    ) -> None:
        """Load models_dir/fomm/<checkpoint> (or `checkpoint`) onto the device.

        `device` defaults to $BAYARD_DEVICE, else CUDA when present, else the CPU;
        `precision` "auto" is fp16 on CUDA and fp32 elsewhere; `config` defaults to
        vox-256, the layout of the official checkpoints. A missing, unsafe,
        truncated or wrong file raises CheckpointError with an operator-facing message.
        """
        if wrapper is None:
            from .checkpoint import load_networks
            from .configs import VOX_256
            from .wrapper import FommWrapper

            path = Path(checkpoint) if checkpoint else find_checkpoint(models_dir)
            if path is None:
                raise CheckpointError(missing_checkpoint_reason(models_dir))
            config = config or VOX_256
            kp_detector, generator = load_networks(path, config, trust=trust)
            wrapper = FommWrapper(
                kp_detector,
                generator,
                config=config,
                device=device,
                precision=precision,
                adapt_movement_scale=adapt_movement_scale,
            )
        self.wrapper = wrapper
        # The model runs in the portrait scene's worker while the scene may switch portraits
        # or recalibrate from the render thread: one stage at a time.
        self._lock = threading.Lock()

    @classmethod
    def from_networks(cls, kp_detector: Any, generator: Any, **options: Any) -> FommBackend:
        """A backend around networks already built (tests, benchmarks, other loaders);
        options are FommWrapper's (config, device, precision, adapt_movement_scale)."""
        from .wrapper import FommWrapper

        return cls(wrapper=FommWrapper(kp_detector, generator, **options))

    def set_source(self, source: np.ndarray) -> None:
        with self._lock:
            self.wrapper.set_source(source)

    def calibrate(self, driver: np.ndarray) -> None:
        with self._lock:
            self.wrapper.calibrate(driver)

    def animate(self, driver: np.ndarray) -> np.ndarray:
        with self._lock:
            return self.wrapper.animate(driver)

    @property
    def calibrated(self) -> bool:
        return self.wrapper.kp_initial is not None

    def status(self) -> dict[str, Any]:
        """For /bayard/status: where it runs and how the current calibration scales motion."""
        w = self.wrapper
        return {
            "device": str(w.device),
            "precision": w.precision,
            "calibrated": self.calibrated,
            "movement_scale": round(w.scale, 3),
        }
