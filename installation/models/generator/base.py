"""The contract every face generator keeps, its registry, and safe checkpoint loading.

Layers: networks (`dcgan.py`, `stylegan2.py`) -> a generator wrapper (this contract:
owns the device and turns latent vectors into RGB images) -> the render tool and the
loop scene's live walk. Torch is imported only inside these modules, so the show runs
without it.

A checkpoint is recognised by its keys, never by its file name: each registered
generator says whether a loaded checkpoint is its own (`recognises`), and loading
tries them in turn. Files are read with `weights_only=True`: unpickling runs code,
and a museum machine loads files it was handed on a USB stick.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from ...registry import Registry


class CheckpointError(Exception):
    """A checkpoint that cannot be used; the message names the file and what to do."""


@dataclass(frozen=True)
class Availability:
    ok: bool
    reason: str  # one line for `bayard check`, e.g. "no CUDA device: live walk needs a GPU"


class FaceGenerator(ABC):
    """Latent vectors in, RGB uint8 faces out."""

    name: ClassVar[str] = ""

    latent_dim: int
    size: int
    device: str

    @classmethod
    @abstractmethod
    def recognises(cls, checkpoint: dict[str, Any]) -> bool:
        """Whether a loaded checkpoint dictionary is in this generator's layout."""

    @classmethod
    @abstractmethod
    def from_checkpoint(cls, checkpoint: dict[str, Any], source: Path, device: str = "cpu") -> FaceGenerator:
        """Build the network from a recognised checkpoint (`source` is only for messages)."""

    @abstractmethod
    def synthesize(self, z):  # torch.Tensor (n, latent_dim) -> torch.Tensor (n, 3, size, size) in [-1, 1]
        """The raw network output for a batch of latent vectors."""

    def generate(self, z: np.ndarray, batch: int = 16) -> np.ndarray:
        """Faces for latent vectors `z` (n, latent_dim): RGB uint8 (n, size, size, 3)."""
        import torch

        out = []
        with torch.inference_mode():
            for start in range(0, len(z), batch):
                zz = torch.as_tensor(
                    np.asarray(z[start : start + batch]), dtype=torch.float32, device=self.device
                )
                img = self.synthesize(zz)
                img = ((img.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)
                out.append(img.permute(0, 2, 3, 1).cpu().numpy())
        return np.concatenate(out) if out else np.zeros((0, self.size, self.size, 3), np.uint8)


GENERATORS: Registry[type[FaceGenerator]] = Registry("generator")


def read_checkpoint(path: Path) -> dict[str, Any]:
    """torch.load with weights_only=True and one-line errors for the ways files go wrong."""
    import argparse

    import torch

    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"{path}: no such file; give the path to a generator checkpoint (.pt)")
    if path.suffix.lower() == ".pkl":
        raise CheckpointError(
            f"{path}: NVIDIA .pkl checkpoints need NVIDIA's code to unpickle "
            "(which runs code from the file); "
            "convert it to the stylegan2-pytorch .pt layout on a trusted machine "
            "(that repository's convert_weight.py)"
        )
    try:
        # rosinality's training checkpoints also hold its argparse.Namespace of options:
        # a plain attribute bag, safe to allow; everything else stays forbidden.
        with torch.serialization.safe_globals([argparse.Namespace]):
            obj = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # boundary: any unreadable file becomes one clear line
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CheckpointError(
            f"{path}: not a loadable PyTorch checkpoint ({first[:160]}); "
            "expected a .pt saved by `bayard generator train` or a stylegan2-pytorch .pt"
        ) from None
    if not isinstance(obj, dict):
        raise CheckpointError(f"{path}: holds a {type(obj).__name__}, not a checkpoint dictionary")
    return obj


def load_generator(path: Path, device: str = "cpu") -> FaceGenerator:
    """Recognise the checkpoint's layout and build the matching generator."""
    # Importing registers the built-in generators.
    from . import dcgan, stylegan2  # noqa: F401

    checkpoint = read_checkpoint(path)
    for name in GENERATORS.names():
        cls = GENERATORS.get(name)
        if cls.recognises(checkpoint):
            return cls.from_checkpoint(checkpoint, Path(path), device)
    keys = ", ".join(sorted(map(str, checkpoint))[:6])
    raise CheckpointError(
        f"{path}: not a generator checkpoint this installation knows (top-level keys: {keys}); "
        f"known layouts: {', '.join(GENERATORS.names())}"
    )


def pick_device(requested: str = "auto") -> str:
    """auto: as every torch model chooses ($BAYARD_DEVICE, install.toml's [models] device,
    else CUDA where there is one, else the CPU)."""
    from ..device import pick_device as pick_torch_device

    return str(pick_torch_device(None if requested == "auto" else requested))
