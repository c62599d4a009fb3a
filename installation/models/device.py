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
