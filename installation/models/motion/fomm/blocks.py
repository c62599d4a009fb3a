"""The convolutional building blocks of the FOMM networks (conv/norm blocks, the
hourglass, the anti-aliased downsampler), and batch-norm folding for inference.

The top networks that assemble these blocks are in `networks.py`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

# --------------------------------------------------------------------------- blocks
# The class and attribute names below are the checkpoint's key names (conv, norm, pool,
# conv1/norm1, down_blocks, up_blocks, encoder/decoder); renaming any breaks loading.


class SameBlock2d(nn.Module):
    """conv -> batch norm -> ReLU at the same resolution."""

    def __init__(self, in_features: int, out_features: int, kernel_size: int = 3, padding: int = 1) -> None:
        super().__init__()
        self.conv = nn.Conv2d(in_features, out_features, kernel_size, padding=padding)
        self.norm: nn.Module = nn.BatchNorm2d(out_features, affine=True)

    def forward(self, x: Tensor) -> Tensor:
        return F.relu(self.norm(self.conv(x)))


class DownBlock2d(nn.Module):
    """conv -> batch norm -> ReLU -> 2x2 average pool."""

    def __init__(self, in_features: int, out_features: int, kernel_size: int = 3, padding: int = 1) -> None:
        super().__init__()
        self.conv = nn.Conv2d(in_features, out_features, kernel_size, padding=padding)
        self.norm: nn.Module = nn.BatchNorm2d(out_features, affine=True)
        self.pool = nn.AvgPool2d(kernel_size=(2, 2))

    def forward(self, x: Tensor) -> Tensor:
        return self.pool(F.relu(self.norm(self.conv(x))))


class UpBlock2d(nn.Module):
    """2x nearest upsample -> conv -> batch norm -> ReLU."""

    def __init__(self, in_features: int, out_features: int, kernel_size: int = 3, padding: int = 1) -> None:
        super().__init__()
        self.conv = nn.Conv2d(in_features, out_features, kernel_size, padding=padding)
        self.norm: nn.Module = nn.BatchNorm2d(out_features, affine=True)

    def forward(self, x: Tensor) -> Tensor:
        return F.relu(self.norm(self.conv(F.interpolate(x, scale_factor=2.0, mode="nearest"))))


class ResBlock2d(nn.Module):
    """Pre-activation residual block: x + conv(relu(norm(conv(relu(norm(x))))))."""

    def __init__(self, features: int, kernel_size: int = 3, padding: int = 1) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(features, features, kernel_size, padding=padding)
        self.conv2 = nn.Conv2d(features, features, kernel_size, padding=padding)
        self.norm1 = nn.BatchNorm2d(features, affine=True)
        self.norm2: nn.Module = nn.BatchNorm2d(features, affine=True)

    def forward(self, x: Tensor) -> Tensor:
        out = self.conv1(F.relu(self.norm1(x)))
        return x + self.conv2(F.relu(self.norm2(out)))


def _width(expansion: int, level: int, limit: int) -> int:
    """Channels at one hourglass level: doubling per level, capped."""
    return min(limit, expansion * 2**level)


class Encoder(nn.Module):
    def __init__(self, block_expansion: int, in_features: int, num_blocks: int, max_features: int) -> None:
        super().__init__()
        self.down_blocks = nn.ModuleList(
            DownBlock2d(
                in_features if i == 0 else _width(block_expansion, i, max_features),
                _width(block_expansion, i + 1, max_features),
            )
            for i in range(num_blocks)
        )

    def forward(self, x: Tensor) -> list[Tensor]:
        outs = [x]
        for block in self.down_blocks:
            outs.append(block(outs[-1]))
        return outs


class Decoder(nn.Module):
    def __init__(self, block_expansion: int, in_features: int, num_blocks: int, max_features: int) -> None:
        super().__init__()
        blocks = []
        for i in reversed(range(num_blocks)):
            # Every level but the deepest also receives the encoder's skip connection.
            skip = 1 if i == num_blocks - 1 else 2
            blocks.append(
                UpBlock2d(
                    skip * _width(block_expansion, i + 1, max_features),
                    _width(block_expansion, i, max_features),
                )
            )
        self.up_blocks = nn.ModuleList(blocks)
        self.out_filters = block_expansion + in_features

    def forward(self, skips: list[Tensor]) -> Tensor:
        out = skips[-1]
        for block, skip in zip(self.up_blocks, reversed(skips[:-1]), strict=True):
            out = torch.cat([block(out), skip], dim=1)
        return out


class Hourglass(nn.Module):
    """U-Net style encoder/decoder; its output keeps the input concatenated at the end."""

    def __init__(self, block_expansion: int, in_features: int, num_blocks: int, max_features: int) -> None:
        super().__init__()
        self.encoder = Encoder(block_expansion, in_features, num_blocks, max_features)
        self.decoder = Decoder(block_expansion, in_features, num_blocks, max_features)
        self.out_filters = self.decoder.out_filters

    def forward(self, x: Tensor) -> Tensor:
        return self.decoder(self.encoder(x))


class AntiAliasInterpolation2d(nn.Module):
    """Gaussian blur, then keep every (1/scale)-th pixel: downsampling without aliasing.

    The blur kernel is a buffer named `weight`, so it is part of the state dict (the
    checkpoint's `down.weight`); it is recomputed here and the file's copy must agree.
    """

    def __init__(self, channels: int, scale: float) -> None:
        super().__init__()
        sigma = (1.0 / scale - 1.0) / 2.0
        size = 2 * round(sigma * 4) + 1
        self.pad_before = size // 2
        self.pad_after = self.pad_before - 1 if size % 2 == 0 else self.pad_before
        self.step = int(1.0 / scale)
        self.scale = scale
        t = torch.arange(size, dtype=torch.float32) - (size - 1) / 2.0
        g = torch.exp(-(t**2) / (2.0 * sigma**2))
        kernel = g[:, None] * g[None, :]
        kernel = kernel / kernel.sum()
        self.register_buffer("weight", kernel.expand(channels, 1, size, size).clone())
        self.groups = channels

    def forward(self, x: Tensor) -> Tensor:
        if self.scale == 1.0:
            return x
        p, q = self.pad_before, self.pad_after
        # Blur then keep every step-th pixel (nearest-neighbour at an integer factor) is a
        # strided convolution: the same samples for 1/step^2 of the work. Crop to
        # floor(size * scale) as interpolate(scale_factor=...) does for other sizes.
        out = F.conv2d(F.pad(x, (p, q, p, q)), self.weight.to(x.dtype), stride=self.step, groups=self.groups)
        h, w = int(x.shape[2] * self.scale), int(x.shape[3] * self.scale)
        return out[:, :, :h, :w]


def _fold_into_conv(conv: nn.Conv2d, norm: nn.BatchNorm2d) -> None:
    """conv followed by eval-mode batch norm == one conv with rescaled weights and bias."""
    scale = norm.weight / torch.sqrt(norm.running_var + norm.eps)
    bias = conv.bias if conv.bias is not None else torch.zeros_like(norm.running_mean)
    conv.weight.copy_(conv.weight * scale.view(-1, 1, 1, 1))
    new_bias = (bias - norm.running_mean) * scale + norm.bias
    if conv.bias is None:
        conv.bias = nn.Parameter(new_bias)
    else:
        conv.bias.copy_(new_bias)


@torch.no_grad()
def fold_batch_norm_(module: nn.Module) -> nn.Module:
    """Fold every batch norm that directly follows a convolution into it, in place.

    For inference only (running statistics are frozen). It removes a memory-bound pass per
    block and, on a GPU at batch 1, a kernel launch per block, which is what limits speed
    there. The pre-activation norms of the residual blocks (`norm1`, applied before any
    conv) stay. The state dict changes, so fold after loading a checkpoint, never before.
    """
    for block in list(module.modules()):
        if isinstance(block, (SameBlock2d, DownBlock2d, UpBlock2d)) and isinstance(
            block.norm, nn.BatchNorm2d
        ):
            _fold_into_conv(block.conv, block.norm)
            block.norm = nn.Identity()
        elif isinstance(block, ResBlock2d) and isinstance(block.norm2, nn.BatchNorm2d):
            _fold_into_conv(block.conv1, block.norm2)
            block.norm2 = nn.Identity()
    return module
