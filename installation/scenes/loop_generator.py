"""How a loop scene with a generator runs on this machine: live on a GPU (or on a CPU when
asked), else its pre-rendered fallback loop, else the placeholder, with one line why.
The scene decides with it in prepare(); `bayard check` prints describe()."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from .loop_config import GeneratorSpec, LoopConfig


def decide_generator_mode(spec: GeneratorSpec, checkpoint: Path) -> tuple[str, str]:
    """('live' | 'fallback' | 'placeholder', one line why): used by the scene and by `bayard check`."""
    if spec.live == "never":
        return (
            ("fallback", 'live generation is off (live = "never")')
            if spec.fallback
            else ("placeholder", "live generation is off and no fallback is set")
        )
    if not checkpoint.is_file():
        why = f"checkpoint {checkpoint} not found"
        return ("fallback", why) if spec.fallback else ("placeholder", why)
    if importlib.util.find_spec("torch") is None:
        why = "torch is not installed (install the 'models' extra for live generation)"
        return ("fallback", why) if spec.fallback else ("placeholder", why)
    from ..models.device import cuda_name, cuda_present, gpu_refused, no_cuda_why

    refused = gpu_refused()
    if cuda_present() and not refused:
        return "live", f"CUDA device {cuda_name()}"
    if spec.live == "always":
        return "live", 'on the CPU (live = "always")'
    if refused:
        why = f"{refused} keeps live generation off the GPU: playing the pre-rendered loop"
        return ("fallback", why) if spec.fallback else ("placeholder", why)
    why = f"{no_cuda_why()}: playing the pre-rendered loop (live generation needs a GPU)"
    return ("fallback", why) if spec.fallback else ("placeholder", f"{no_cuda_why()}, and no fallback loop")


def describe(show: Any) -> list[str]:
    """Lines for `bayard check`: how each loop scene with a generator will run on this machine."""
    lines = []
    for scene_id, config in getattr(show, "scenes", {}).items():
        if isinstance(config, LoopConfig) and config.generator is not None:
            root = Path(getattr(show, "root", Path(show.content_root).parent))
            mode, why = decide_generator_mode(config.generator, root / config.generator.checkpoint)
            label = {
                "live": "live latent walk",
                "fallback": f"pre-rendered {config.generator.fallback}",
                "placeholder": "placeholder",
            }[mode]
            lines.append(f"  loop '{scene_id}': {label} ({why})")
    return lines
