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

# Where models run, for every torch model (fomm, the cnn detector): cpu, cuda or cuda:N.
DEVICE_ENV = "BAYARD_DEVICE"


@lru_cache(maxsize=1)
def cuda_present() -> bool:
    if os.environ.get("CUDA_VISIBLE_DEVICES", None) in ("", "-1"):
        return False
    if sys.platform.startswith("linux") and not glob.glob("/dev/nvidia[0-9]*"):
        return False
    if importlib.util.find_spec("torch") is None:
        return False
    import torch

    return bool(torch.cuda.is_available())


def cuda_name() -> str:
    """The first GPU's name (only call after cuda_present() is True)."""
    import torch

    return torch.cuda.get_device_name(0)


def pick_device(requested: str | None = None):
    """The torch device a model runs on: `requested`, else $BAYARD_DEVICE, else the first
    CUDA device, else the CPU. Raises ValueError naming where a bad choice came from."""
    import torch

    from_env = os.environ.get(DEVICE_ENV, "").strip()
    name = requested or from_env or ("cuda" if torch.cuda.is_available() else "cpu")
    where = f"{DEVICE_ENV}={name}" if not requested and from_env else f"device {name!r}"
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
