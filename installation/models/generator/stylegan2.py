"""The StyleGAN2 generator (Karras et al. 2020), in plain PyTorch, laid out so that
the state dicts of the widely used PyTorch port (rosinality/stylegan2-pytorch,
`.pt` files holding `{"g_ema": state_dict, "latent_avg": tensor}`) load unchanged.

Our own implementation: no custom CUDA ops. The port's fused bias + leaky ReLU is a
bias add, leaky ReLU (slope 0.2) and a gain of sqrt(2); its `upfirdn2d` (up-sample by
zero insertion, pad, FIR filter, down-sample) is written here with `F.pad` and a
depthwise `conv2d`, which runs on CPU and GPU alike.

Module names are part of the file format, so they follow the port exactly:
    style.{1..n_mlp}.weight/bias        mapping MLP (style.0 is PixelNorm, no weights)
    input.input                         learned 4x4 constant
    conv1.*, to_rgb1.*                  the 4x4 layer
    convs.{2k}.conv.blur.kernel         up-sampling convolution of each resolution
    convs.{i}.conv.weight/modulation.*  modulated 3x3 convolutions
    convs.{i}.noise.weight, .activate.bias
    to_rgbs.{k}.upsample.kernel, .conv.*, .bias
    noises.noise_{i}                    fixed noise images (used when noise is not random)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .base import GENERATORS, CheckpointError, FaceGenerator

BLUR = (1, 3, 3, 1)


@dataclass(frozen=True)
class StyleGAN2Config:
    size: int = 256
    style_dim: int = 512
    n_mlp: int = 8
    channel_multiplier: int = 2
    # Not in the port (its widths top out at 512): lets tests build a tiny network.
    max_channels: int = 512

    def channels(self) -> dict[int, int]:
        cm = self.channel_multiplier
        full = {
            4: 512,
            8: 512,
            16: 512,
            32: 512,
            64: 256 * cm,
            128: 128 * cm,
            256: 64 * cm,
            512: 32 * cm,
            1024: 16 * cm,
        }
        return {res: min(self.max_channels, c) for res, c in full.items()}

    @property
    def log_size(self) -> int:
        return int(math.log2(self.size))

    @property
    def num_layers(self) -> int:  # styled convolutions, one noise image each
        return (self.log_size - 2) * 2 + 1

    @property
    def n_latent(self) -> int:  # w vectors consumed (convs and to_rgbs share)
        return self.log_size * 2 - 2

    def validate(self) -> None:
        if self.size not in (8, 16, 32, 64, 128, 256, 512, 1024):
            raise ValueError(f"StyleGAN2 size {self.size} must be a power of two from 8 to 1024")


def _torch():
    import torch
    import torch.nn.functional as F
    from torch import nn

    return torch, F, nn


def blur_kernel_2d(k=BLUR, gain: float = 1.0):
    torch, _, _ = _torch()
    k1 = torch.tensor(k, dtype=torch.float32)
    k2 = k1[None, :] * k1[:, None]
    return k2 / k2.sum() * gain


def upfirdn2d(x, kernel, up: int = 1, down: int = 1, pad: tuple[int, int] = (0, 0)):
    """Up-sample by inserting zeros, pad (negative pads crop), filter, then decimate.

    The filter is applied as a true convolution (kernel flipped), channel by channel.
    """
    torch, F, _ = _torch()
    n, c, h, w = x.shape
    if up > 1:
        z = x.new_zeros(n, c, h, up, w, up)
        z[:, :, :, 0, :, 0] = x
        x = z.reshape(n, c, h * up, w * up)
    p0, p1 = pad
    x = F.pad(x, (max(p0, 0), max(p1, 0), max(p0, 0), max(p1, 0)))
    if p0 < 0 or p1 < 0:
        x = x[:, :, max(-p0, 0) : x.shape[2] - max(-p1, 0), max(-p0, 0) : x.shape[3] - max(-p1, 0)]
    kh, kw = kernel.shape
    weight = torch.flip(kernel, (0, 1)).to(x.dtype).expand(c, 1, kh, kw)
    x = F.conv2d(x, weight, groups=c)
    if down > 1:
        x = x[:, :, ::down, ::down]
    return x


def build_generator(config: StyleGAN2Config):
    """The generator as a torch module whose state dict follows the port's names."""
    torch, F, nn = _torch()
    config.validate()

    def lrelu(x, bias):
        shape = [1, -1] + [1] * (x.ndim - 2)
        return F.leaky_relu(x + bias.view(shape), 0.2) * math.sqrt(2)

    class PixelNorm(nn.Module):
        def forward(self, x):
            return x * torch.rsqrt(x.pow(2).mean(dim=1, keepdim=True) + 1e-8)

    class EqualLinear(nn.Module):
        """Linear layer with equalised learning rate: weights stored at unit scale."""

        def __init__(self, din, dout, bias_init=0.0, lr_mul=1.0, activate=False):
            super().__init__()
            self.weight = nn.Parameter(torch.randn(dout, din) / lr_mul)
            self.bias = nn.Parameter(torch.full((dout,), float(bias_init)))
            self.scale = lr_mul / math.sqrt(din)
            self.lr_mul = lr_mul
            self.activate = activate

        def forward(self, x):
            out = F.linear(x, self.weight * self.scale)
            if self.activate:
                return lrelu(out, self.bias * self.lr_mul)
            return out + self.bias * self.lr_mul

    class Blur(nn.Module):
        def __init__(self, pad, gain=1.0):
            super().__init__()
            self.register_buffer("kernel", blur_kernel_2d(gain=gain))
            self.pad = pad

        def forward(self, x):
            return upfirdn2d(x, self.kernel, pad=self.pad)

    class Upsample(nn.Module):
        def __init__(self, factor=2):
            super().__init__()
            self.register_buffer("kernel", blur_kernel_2d(gain=factor**2))
            p = len(BLUR) - factor
            self.pad = ((p + 1) // 2 + factor - 1, p // 2)
            self.factor = factor

        def forward(self, x):
            return upfirdn2d(x, self.kernel, up=self.factor, pad=self.pad)

    class ModulatedConv2d(nn.Module):
        def __init__(self, cin, cout, k, style_dim, demodulate=True, upsample=False):
            super().__init__()
            self.cin, self.cout, self.k = cin, cout, k
            self.upsample = upsample
            if upsample:
                factor = 2
                p = (len(BLUR) - factor) - (k - 1)
                self.blur = Blur(((p + 1) // 2 + factor - 1, p // 2 + 1), gain=factor**2)
            self.scale = 1 / math.sqrt(cin * k * k)
            self.padding = k // 2
            self.weight = nn.Parameter(torch.randn(1, cout, cin, k, k))
            self.modulation = EqualLinear(style_dim, cin, bias_init=1.0)
            self.demodulate = demodulate

        def forward(self, x, style):
            # Per-sample weights, run as one grouped convolution over the batch.
            n, _, h, w = x.shape
            s = self.modulation(style).view(n, 1, self.cin, 1, 1)
            weight = self.scale * self.weight * s
            if self.demodulate:
                weight = weight * torch.rsqrt(weight.pow(2).sum((2, 3, 4)) + 1e-8).view(n, self.cout, 1, 1, 1)
            x = x.reshape(1, n * self.cin, h, w)
            if self.upsample:
                # Transposed convolution wants (in, out) per group.
                weight = weight.transpose(1, 2).reshape(n * self.cin, self.cout, self.k, self.k)
                out = F.conv_transpose2d(x, weight, stride=2, padding=0, groups=n)
                out = out.view(n, self.cout, out.shape[2], out.shape[3])
                return self.blur(out)
            weight = weight.reshape(n * self.cout, self.cin, self.k, self.k)
            out = F.conv2d(x, weight, padding=self.padding, groups=n)
            return out.view(n, self.cout, out.shape[2], out.shape[3])

    class NoiseInjection(nn.Module):
        def __init__(self):
            super().__init__()
            self.weight = nn.Parameter(torch.zeros(1))

        def forward(self, x, noise=None):
            if noise is None:
                noise = x.new_empty(x.shape[0], 1, x.shape[2], x.shape[3]).normal_()
            return x + self.weight * noise

    class FusedLeakyReLU(nn.Module):
        def __init__(self, channels):
            super().__init__()
            self.bias = nn.Parameter(torch.zeros(channels))

        def forward(self, x):
            return lrelu(x, self.bias)

    class ConstantInput(nn.Module):
        def __init__(self, channels, size=4):
            super().__init__()
            self.input = nn.Parameter(torch.randn(1, channels, size, size))

        def forward(self, batch):
            return self.input.expand(batch, -1, -1, -1)

    class StyledConv(nn.Module):
        def __init__(self, cin, cout, k, style_dim, upsample=False):
            super().__init__()
            self.conv = ModulatedConv2d(cin, cout, k, style_dim, upsample=upsample)
            self.noise = NoiseInjection()
            self.activate = FusedLeakyReLU(cout)

        def forward(self, x, style, noise=None):
            return self.activate(self.noise(self.conv(x, style), noise))

    class ToRGB(nn.Module):
        def __init__(self, cin, style_dim, upsample=True):
            super().__init__()
            if upsample:
                self.upsample = Upsample()
            self.conv = ModulatedConv2d(cin, 3, 1, style_dim, demodulate=False)
            self.bias = nn.Parameter(torch.zeros(1, 3, 1, 1))

        def forward(self, x, style, skip=None):
            out = self.conv(x, style) + self.bias
            if skip is not None:
                out = out + self.upsample(skip)
            return out

    class Generator(nn.Module):
        def __init__(self):
            super().__init__()
            c = config.channels()
            self.config = config
            self.style = nn.Sequential(
                PixelNorm(),
                *[
                    EqualLinear(config.style_dim, config.style_dim, lr_mul=0.01, activate=True)
                    for _ in range(config.n_mlp)
                ],
            )
            self.input = ConstantInput(c[4])
            self.conv1 = StyledConv(c[4], c[4], 3, config.style_dim)
            self.to_rgb1 = ToRGB(c[4], config.style_dim, upsample=False)
            self.convs = nn.ModuleList()
            self.to_rgbs = nn.ModuleList()
            self.noises = nn.Module()
            for i in range(config.num_layers):
                res = 2 ** ((i + 5) // 2)  # 4, 8, 8, 16, 16, ...
                self.noises.register_buffer(f"noise_{i}", torch.randn(1, 1, res, res))
            cin = c[4]
            for log_res in range(3, config.log_size + 1):
                cout = c[2**log_res]
                self.convs.append(StyledConv(cin, cout, 3, config.style_dim, upsample=True))
                self.convs.append(StyledConv(cout, cout, 3, config.style_dim))
                self.to_rgbs.append(ToRGB(cout, config.style_dim))
                cin = cout

        def mapping(self, z):
            return self.style(z)

        def synthesis(self, w, noise_mode: str = "random"):
            """w: (n, style_dim) or (n, n_latent, style_dim). noise_mode: random | const | none."""
            if w.ndim == 2:
                w = w.unsqueeze(1).expand(-1, config.n_latent, -1)
            if noise_mode == "const":
                noises = [getattr(self.noises, f"noise_{i}") for i in range(config.num_layers)]
            elif noise_mode == "none":
                noises = [0.0] * config.num_layers
            else:
                noises = [None] * config.num_layers
            x = self.input(w.shape[0])
            x = self.conv1(x, w[:, 0], noises[0])
            skip = self.to_rgb1(x, w[:, 1])
            i = 1
            for k, to_rgb in enumerate(self.to_rgbs):
                x = self.convs[2 * k](x, w[:, i], noises[2 * k + 1])
                x = self.convs[2 * k + 1](x, w[:, i + 1], noises[2 * k + 2])
                skip = to_rgb(x, w[:, i + 2], skip)
                i += 2
            return skip

        def forward(self, z, truncation: float = 1.0, latent_avg=None, noise_mode: str = "random"):
            w = self.mapping(z)
            if truncation < 1.0 and latent_avg is not None:
                w = latent_avg.to(w) + truncation * (w - latent_avg.to(w))
            return self.synthesis(w, noise_mode)

    return Generator()


def infer_config(state: dict[str, Any], source: Path) -> StyleGAN2Config:
    """Read size, widths and mapping depth back from a state dict's shapes."""
    try:
        style_dim = int(state["style.1.weight"].shape[0])
        n_mlp = sum(1 for k in state if k.startswith("style.") and k.endswith(".weight"))
        n_rgbs = sum(1 for k in state if k.startswith("to_rgbs.") and k.endswith(".conv.weight"))
        size = 2 ** (n_rgbs + 2)
        top = int(state["input.input"].shape[1])
        widths = {4: top}
        for k in range(n_rgbs):
            widths[2 ** (k + 3)] = int(state[f"to_rgbs.{k}.conv.weight"].shape[2])
    except (KeyError, IndexError, AttributeError) as exc:
        raise CheckpointError(
            f"{source}: g_ema is not a StyleGAN2 generator state dict (missing {exc})"
        ) from None
    cm = widths[64] // 256 if 64 in widths and widths[64] >= 256 else 2
    config = StyleGAN2Config(
        size=size,
        style_dim=style_dim,
        n_mlp=n_mlp,
        channel_multiplier=max(1, cm),
        max_channels=max(widths.values()),
    )
    if config.channels() != {r: c for r, c in config.channels().items() if r not in widths} | widths:
        raise CheckpointError(f"{source}: channel widths {widths} match no StyleGAN2 configuration")
    return config


@GENERATORS.register("stylegan2")
class StyleGAN2(FaceGenerator):
    name = "stylegan2"

    def __init__(
        self, config: StyleGAN2Config, net, latent_avg=None, device: str = "cpu", truncation: float = 0.7
    ) -> None:
        self.config = config
        self.latent_dim = config.style_dim
        self.size = config.size
        self.device = device
        self.net = net.to(device).eval()
        self.latent_avg = None if latent_avg is None else latent_avg.to(device).float().view(1, -1)
        self.truncation = truncation

    @classmethod
    def recognises(cls, checkpoint: dict[str, Any]) -> bool:
        g = checkpoint.get("g_ema")
        return isinstance(g, dict) and "input.input" in g

    @classmethod
    def from_checkpoint(cls, checkpoint: dict[str, Any], source: Path, device: str = "cpu") -> StyleGAN2:
        state = checkpoint["g_ema"]
        config = infer_config(state, source)
        net = build_generator(config)
        expected = net.state_dict()
        missing = sorted(set(expected) - set(state))
        extra = sorted(set(state) - set(expected))
        if missing or extra:
            raise CheckpointError(
                f"{source}: StyleGAN2 keys do not match (missing {missing[:3]}, unexpected {extra[:3]}); "
                "is it a stylegan2-pytorch .pt (not StyleGAN3, not a discriminator)?"
            )
        for key, value in state.items():
            if tuple(value.shape) != tuple(expected[key].shape):
                raise CheckpointError(
                    f"{source}: '{key}' has shape {tuple(value.shape)}, expected {tuple(expected[key].shape)}"
                )
        net.load_state_dict({k: v.float() for k, v in state.items()})
        return cls(config, net, checkpoint.get("latent_avg"), device)

    def synthesize(self, z):
        return self.net(z, truncation=self.truncation, latent_avg=self.latent_avg, noise_mode="const")


def save_checkpoint(net, path: Path, latent_avg=None) -> None:
    """Write in the port's `.pt` layout (what the port's converter produces)."""
    import torch

    torch.save({"g_ema": net.state_dict(), "latent_avg": latent_avg}, path)
