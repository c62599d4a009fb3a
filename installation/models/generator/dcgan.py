"""A small convolutional GAN the project trains itself (DCGAN family).

Sized so that 64x64 faces train on a laptop CPU in minutes, larger sizes on a GPU.
The generator up-samples with nearest-neighbour then convolves, instead of the
original DCGAN's transposed convolutions: transposed convolutions overlap unevenly
and leave checkerboard patterns (and spectral peaks a detector keys on).

Checkpoint layout (a plain dict, loadable with weights_only=True):
    kind="dcgan", config={...}, g_ema=state_dict, and while training also
    g, d, g_optim, d_optim, step, rng (torch CPU generator state).
A shipped checkpoint keeps only kind, config, g_ema (half precision) and step.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .base import GENERATORS, CheckpointError, FaceGenerator


@dataclass(frozen=True)
class DCGANConfig:
    size: int = 64
    latent_dim: int = 128
    width: int = 128  # generator channels at 4x4; halved at each doubling of resolution

    def channels(self) -> list[int]:
        """Generator widths from 4x4 up to full size. The full-size layers dominate the
        cost, so they are the narrowest (never below 16)."""
        levels = int(math.log2(self.size)) - 2  # 4x4 -> size
        return [max(16, self.width >> i) for i in range(levels + 1)]

    def disc_channels(self) -> list[int]:
        """Discriminator widths after each stride-2 convolution, from size/2 down to 4x4."""
        levels = int(math.log2(self.size)) - 2
        return [min(self.width, 32 << i) for i in range(levels)]

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: Path) -> DCGANConfig:
        try:
            config = cls(**{k: int(v) for k, v in data.items()})
        except (TypeError, ValueError) as exc:
            raise CheckpointError(f"{source}: dcgan config is malformed ({exc})") from None
        config.validate()
        return config

    def validate(self) -> None:
        if self.size < 8 or self.size & (self.size - 1):
            raise ValueError(f"size {self.size} must be a power of two, at least 8 (e.g. 64)")


def build_networks(config: DCGANConfig):
    """(generator, discriminator) torch modules for a config."""
    import torch
    from torch import nn

    chans = config.channels()

    class Generator(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.latent_dim = config.latent_dim
            self.project = nn.Linear(config.latent_dim, chans[0] * 16)
            self.norm0 = nn.BatchNorm2d(chans[0])
            blocks = []
            for cin, cout in zip(chans[:-1], chans[1:], strict=False):
                blocks += [
                    nn.Upsample(scale_factor=2, mode="nearest"),
                    nn.Conv2d(cin, cout, 3, padding=1, bias=False),
                    nn.BatchNorm2d(cout),
                    nn.ReLU(inplace=True),
                ]
            self.blocks = nn.Sequential(*blocks)
            self.to_rgb = nn.Conv2d(chans[-1], 3, 3, padding=1)

        def forward(self, z):
            x = self.project(z).view(len(z), chans[0], 4, 4)
            x = torch.relu(self.norm0(x))
            return torch.tanh(self.to_rgb(self.blocks(x)))

    class Discriminator(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            dch = config.disc_channels()
            layers = [nn.Conv2d(3, dch[0], 4, 2, 1), nn.LeakyReLU(0.2, inplace=True)]
            for cin, cout in zip(dch[:-1], dch[1:], strict=False):
                layers += [
                    nn.Conv2d(cin, cout, 4, 2, 1, bias=False),
                    nn.BatchNorm2d(cout),
                    nn.LeakyReLU(0.2, True),
                ]
            # The last stage lands on 4x4; one linear read-out.
            self.features = nn.Sequential(*layers)
            self.head = nn.Linear(dch[-1] * 16, 1)

        def forward(self, x):
            return self.head(self.features(x).flatten(1))

    return Generator(), Discriminator()


@GENERATORS.register("dcgan")
class DCGAN(FaceGenerator):
    name = "dcgan"

    def __init__(self, config: DCGANConfig, net, device: str = "cpu") -> None:
        self.config = config
        self.latent_dim = config.latent_dim
        self.size = config.size
        self.device = device
        self.net = net.to(device).eval()
        # Scaling latents towards the origin trades variety for fewer malformed faces,
        # the same trade as StyleGAN's truncation (1: none).
        self.truncation = 1.0

    @classmethod
    def recognises(cls, checkpoint: dict[str, Any]) -> bool:
        return checkpoint.get("kind") == "dcgan"

    @classmethod
    def from_checkpoint(cls, checkpoint: dict[str, Any], source: Path, device: str = "cpu") -> DCGAN:
        if not isinstance(checkpoint.get("config"), dict) or not isinstance(checkpoint.get("g_ema"), dict):
            raise CheckpointError(f"{source}: dcgan checkpoint lacks 'config' or 'g_ema'; re-export it")
        config = DCGANConfig.from_dict(checkpoint["config"], source)
        net, _ = build_networks(config)
        state = {k: v.float() if v.is_floating_point() else v for k, v in checkpoint["g_ema"].items()}
        try:
            net.load_state_dict(state)
        except RuntimeError as exc:
            raise CheckpointError(
                f"{source}: weights do not fit the dcgan config {asdict(config)} ({str(exc)[:200]})"
            ) from None
        return cls(config, net, device)

    def synthesize(self, z):
        return self.net(z * self.truncation)


def config_dict(config: DCGANConfig) -> dict[str, int]:
    return asdict(config)
