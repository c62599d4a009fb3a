"""Is there a CUDA GPU? Answered without importing torch where the answer is plainly no.

Importing torch takes one to two seconds and holds Python's import lock; on a CPU
kiosk that cost bought nothing but a stutter in whatever was on screen while a scene
prepared. On Linux an NVIDIA GPU always has /dev/nvidia<N> device nodes, so their
absence settles it cheaply.
"""

from __future__ import annotations

import glob
import importlib.util
import os
import sys
from functools import lru_cache

# Where models run, for every torch model (fomm, the cnn detector, the live face
# generator): cpu, cuda or cuda:N. The variable wins over install.toml's [models] device.
DEVICE_ENV = "BAYARD_DEVICE"

# install.toml's [models] device, set by the engine when a show loads or reloads (and by
# `check`): "auto", "cpu" or "cuda". Read when a model is built, so a reload takes effect
# for the next model the show builds.
_show_device = "auto"


def use_show_device(value: str) -> None:
    global _show_device
    _show_device = value or "auto"


def requested_device() -> tuple[str, str] | None:
    """The device an operator asked for, and where they asked (for messages); None: automatic."""
    from_env = os.environ.get(DEVICE_ENV, "").strip()
    if from_env:
        return from_env, f"{DEVICE_ENV}={from_env}"
    if _show_device != "auto":
        return _show_device, f'[models] device = "{_show_device}" in install.toml'
    return None


def device_status() -> dict[str, str | None]:
    """For /bayard/status: the device asked for ("auto" when none) and where it was asked."""
    asked = requested_device()
    return {"asked": asked[0] if asked else "auto", "where": asked[1] if asked else None}


def gpu_refused() -> str | None:
    """Where the operator kept models off the GPU, or None when they may use it."""
    asked = requested_device()
    if asked is not None and not asked[0].startswith("cuda"):
        return asked[1]
    return None


def _cuda_hidden() -> bool:
    return os.environ.get("CUDA_VISIBLE_DEVICES", None) in ("", "-1")


def _nvidia_nodes() -> list[str] | None:
    """An NVIDIA GPU's device nodes on Linux (none: no GPU there); None elsewhere (unknown)."""
    return sorted(glob.glob("/dev/nvidia[0-9]*")) if sys.platform.startswith("linux") else None


@lru_cache(maxsize=1)
def cuda_present() -> bool:
    if _cuda_hidden() or _nvidia_nodes() == []:
        return False
    if importlib.util.find_spec("torch") is None:
        return False
    import torch

    return bool(torch.cuda.is_available())


def no_cuda_why() -> str:
    """Why CUDA is not used here, in a technician's words: plainly "no CUDA device", or, where an
    NVIDIA GPU's device nodes exist but CUDA cannot use it, what to look at. (A kiosk's
    sandbox that did not list the GPU, or nvidia-uvm not loaded, looked like no GPU at all.)"""
    if _cuda_hidden():
        return "no CUDA device (CUDA_VISIBLE_DEVICES hides them)"
    nodes = _nvidia_nodes()
    if nodes and importlib.util.find_spec("torch") is not None and not cuda_present():
        return (f"an NVIDIA GPU is here ({nodes[0]}) but CUDA cannot use it: check that the driver's "
                "nvidia-uvm module is loaded, that torch is a CUDA build, and that the show's service may "
                "use the GPU (DeviceAllow=char-nvidia* in bayard.service)")
    return "no CUDA device"


def cuda_name() -> str:
    """The first GPU's name (only call after cuda_present() is True)."""
    import torch

    return torch.cuda.get_device_name(0)


def pick_device(requested: str | None = None):
    """The torch device a model runs on: `requested`, else $BAYARD_DEVICE, else install.toml's
    [models] device, else the first CUDA device, else the CPU. Raises ValueError naming where
    a bad choice came from."""
    import torch

    asked = None if requested else requested_device()
    name = requested or (asked[0] if asked else ("cuda" if torch.cuda.is_available() else "cpu"))
    where = asked[1] if asked else f"device {name!r}"
    try:
        device = torch.device(name)
    except RuntimeError:
        raise ValueError(f"{where} is not a torch device (use cpu, cuda or cuda:N)") from None
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise ValueError(f"{where} was requested but this machine has no CUDA device; use cpu")
        if device.index is not None and device.index >= torch.cuda.device_count():
            raise ValueError(f"{where}: this machine has {torch.cuda.device_count()} CUDA device(s)")
    return device
