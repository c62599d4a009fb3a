"""First Order Motion Model networks (Siarohin et al., NeurIPS 2019), written for Bayard.

Module and parameter names follow the layout of the official `vox-256` checkpoint, so its
state dicts load into these modules unchanged (75 keys in the keypoint detector, 196 in
the generator). The arithmetic follows the paper; where the original code leaves a choice
to the framework version, the choice is written down below.

Differences from the original that do not change the weights:
- the generator splits into `encode_source` (depends only on the portrait, computed once
  per portrait) and `decode` (per driver frame), because a live kiosk animates one
  portrait for minutes;
- keypoint geometry (heatmap softmax, Jacobians, sparse motions) always runs in float32,
  even when the convolutions run in half precision, so fp16 does not blur the keypoints;
- the 2x2 Jacobian inverse is written out, which is faster than `torch.inverse` at this
  size and works for half tensors and ONNX export alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

# --------------------------------------------------------------------------- configs


@dataclass(frozen=True)
class KPDetectorConfig:
    block_expansion: int = 32
    max_features: int = 1024
    num_blocks: int = 5
    temperature: float = 0.1
    scale_factor: float = 0.25
    pad: int = 0  # the 7x7 heads are unpadded in vox-256: 64x64 features give 58x58 heatmaps


@dataclass(frozen=True)
class DenseMotionConfig:
    block_expansion: int = 64
    max_features: int = 1024
    num_blocks: int = 5
    scale_factor: float = 0.25
    kp_variance: float = 0.01


@dataclass(frozen=True)
class GeneratorConfig:
    block_expansion: int = 64
    max_features: int = 512
    num_down_blocks: int = 2
    num_bottleneck_blocks: int = 6
    estimate_occlusion_map: bool = True
    dense_motion: DenseMotionConfig = field(default_factory=DenseMotionConfig)


@dataclass(frozen=True)
class FommConfig:
    """One FOMM variant: what the networks look like and the image size they expect."""

    name: str
    image_size: int = 256
    num_kp: int = 10
    num_channels: int = 3
    estimate_jacobian: bool = True
    kp_detector: KPDetectorConfig = field(default_factory=KPDetectorConfig)
    generator: GeneratorConfig = field(default_factory=GeneratorConfig)


# The official VoxCeleb model at 256x256 (config/vox-256.yaml upstream); vox-adv-256 only
# differs in training, so both checkpoints load into this.
VOX_256 = FommConfig(name="vox-256")

# Same topology, a few thousand parameters: for CPU tests of layout-independent behaviour.
TINY = FommConfig(
    name="tiny",
    image_size=64,
    kp_detector=KPDetectorConfig(block_expansion=4, max_features=16, num_blocks=3),
    generator=GeneratorConfig(
        block_expansion=4,
        max_features=16,
        num_down_blocks=2,
        num_bottleneck_blocks=2,
        dense_motion=DenseMotionConfig(block_expansion=4, max_features=16, num_blocks=3),
    ),
)


# --------------------------------------------------------------------------- geometry


class Keypoints(NamedTuple):
    """Keypoints in normalised (x, y) coordinates, [-1, 1] across the image."""

    value: Tensor  # (B, K, 2)
    jacobian: Tensor | None  # (B, K, 2, 2): the local affine motion around each keypoint


def coordinate_grid(height: int, width: int, *, device=None, dtype=torch.float32) -> Tensor:
    """(H, W, 2) grid of (x, y) with -1 and 1 on the centres of the border pixels.

    This is the convention of `grid_sample(..., align_corners=True)`, which is what the
    original code got from PyTorch 1.0 when it was trained, so warps use that too: an
    identity motion then reproduces its input exactly.
    """
    x = torch.linspace(-1.0, 1.0, width, device=device, dtype=dtype)
    y = torch.linspace(-1.0, 1.0, height, device=device, dtype=dtype)
    return torch.stack([x.view(1, -1).expand(height, width), y.view(-1, 1).expand(height, width)], dim=-1)


def inverse_2x2(m: Tensor) -> Tensor:
    """Inverse of a batch of 2x2 matrices (..., 2, 2), written out."""
    a, b, c, d = m[..., 0, 0], m[..., 0, 1], m[..., 1, 0], m[..., 1, 1]
    det = a * d - b * c
    # A collapsed Jacobian (det ~ 0) must give a wild warp, not NaNs in an unattended show.
    det = torch.where(det.abs() < 1e-6, torch.full_like(det, 1e-6).copysign(det), det)
    return torch.stack([torch.stack([d, -b], -1), torch.stack([-c, a], -1)], -2) / det[..., None, None]


def keypoint_gaussians(value: Tensor, height: int, width: int, variance: float) -> Tensor:
    """(B, K, H, W) unnormalised Gaussians centred on the keypoints."""
    grid = coordinate_grid(height, width, device=value.device, dtype=value.dtype)
    diff = grid[None, None] - value[:, :, None, None, :]
    return torch.exp(-0.5 * diff.pow(2).sum(-1) / variance)


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


# --------------------------------------------------------------------------- networks


class KPDetector(nn.Module):
    """Image -> K keypoints with a 2x2 Jacobian each (soft-argmax over heatmaps)."""

    def __init__(self, config: FommConfig = VOX_256) -> None:
        super().__init__()
        c = config.kp_detector
        self.num_kp = config.num_kp
        self.temperature = c.temperature
        self.scale_factor = c.scale_factor
        self.predictor = Hourglass(c.block_expansion, config.num_channels, c.num_blocks, c.max_features)
        self.kp = nn.Conv2d(self.predictor.out_filters, config.num_kp, kernel_size=(7, 7), padding=c.pad)
        self.jacobian: nn.Conv2d | None = None
        if config.estimate_jacobian:
            self.jacobian = nn.Conv2d(
                self.predictor.out_filters, 4 * config.num_kp, kernel_size=(7, 7), padding=c.pad
            )
            # Start from "no local deformation": weights zero, bias the identity matrix.
            with torch.no_grad():
                self.jacobian.weight.zero_()
                self.jacobian.bias.copy_(torch.tensor([1.0, 0.0, 0.0, 1.0] * config.num_kp))
        if c.scale_factor != 1:
            self.down = AntiAliasInterpolation2d(config.num_channels, c.scale_factor)

    def forward(self, image: Tensor) -> Keypoints:
        # reshape, not view, below: with channels_last weights conv outputs are NHWC in memory.
        x = self.down(image) if self.scale_factor != 1 else image
        features = self.predictor(x)
        logits = self.kp(features).float()
        b, k, h, w = logits.shape
        heatmap = F.softmax(logits.reshape(b, k, -1) / self.temperature, dim=2).reshape(b, k, h, w)
        grid = coordinate_grid(h, w, device=heatmap.device)
        value = (heatmap[..., None] * grid).sum(dim=(2, 3))
        jacobian = None
        if self.jacobian is not None:
            maps = self.jacobian(features).float().reshape(b, k, 4, h, w)
            jacobian = (heatmap[:, :, None] * maps).sum(dim=(3, 4)).reshape(b, k, 2, 2)
        return Keypoints(value, jacobian)


class DenseMotionNetwork(nn.Module):
    """Keypoint motions -> a dense backward warp (driving -> source) and an occlusion map.

    Each keypoint proposes an affine warp around itself (slot 0 is the identity, for the
    background); an hourglass looks at the source warped by every proposal plus the
    heatmap differences and predicts per-pixel weights to blend the proposals.
    """

    def __init__(self, config: FommConfig = VOX_256) -> None:
        super().__init__()
        g = config.generator
        c = g.dense_motion
        self.num_kp = config.num_kp
        self.kp_variance = c.kp_variance
        self.scale_factor = c.scale_factor
        in_features = (config.num_kp + 1) * (config.num_channels + 1)
        self.hourglass = Hourglass(c.block_expansion, in_features, c.num_blocks, c.max_features)
        self.mask = nn.Conv2d(
            self.hourglass.out_filters, config.num_kp + 1, kernel_size=(7, 7), padding=(3, 3)
        )
        self.occlusion: nn.Conv2d | None = None
        if g.estimate_occlusion_map:
            self.occlusion = nn.Conv2d(self.hourglass.out_filters, 1, kernel_size=(7, 7), padding=(3, 3))
        if c.scale_factor != 1:
            self.down = AntiAliasInterpolation2d(config.num_channels, c.scale_factor)

    def downsample(self, source: Tensor) -> Tensor:
        """The source at this network's working resolution (depends only on the portrait)."""
        return self.down(source) if self.scale_factor != 1 else source

    def sparse_motions(self, h: int, w: int, kp_driving: Keypoints, kp_source: Keypoints) -> Tensor:
        """(B, K+1, H, W, 2): for each pixel of the driving frame, where to sample the source."""
        b = kp_driving.value.shape[0]
        identity = coordinate_grid(h, w, device=kp_driving.value.device)[None, None]
        rel = identity - kp_driving.value[:, :, None, None, :]
        if kp_driving.jacobian is not None and kp_source.jacobian is not None:
            affine = kp_source.jacobian @ inverse_2x2(kp_driving.jacobian)  # (B, K, 2, 2)
            rel = torch.einsum("bkij,bkhwj->bkhwi", affine, rel)
        to_source = rel + kp_source.value[:, :, None, None, :]
        return torch.cat([identity.expand(b, 1, h, w, 2), to_source], dim=1)

    def forward(self, source_small: Tensor, kp_driving: Keypoints, kp_source: Keypoints) -> dict[str, Tensor]:
        """`source_small` is `downsample(source)`; pass it cached for a fixed portrait."""
        b, ch, h, w = source_small.shape
        k1 = self.num_kp + 1
        kp_driving = Keypoints(kp_driving.value.float(), _float(kp_driving.jacobian))
        kp_source = Keypoints(kp_source.value.float(), _float(kp_source.jacobian))
        heat = keypoint_gaussians(kp_driving.value, h, w, self.kp_variance) - keypoint_gaussians(
            kp_source.value, h, w, self.kp_variance
        )
        heat = torch.cat([heat.new_zeros(b, 1, h, w), heat], dim=1)  # slot 0: background
        motions = self.sparse_motions(h, w, kp_driving, kp_source)
        repeated = source_small[:, None].expand(b, k1, ch, h, w).reshape(b * k1, ch, h, w)
        warped = F.grid_sample(
            repeated, motions.reshape(b * k1, h, w, 2).to(repeated.dtype), align_corners=True
        ).reshape(b, k1, ch, h, w)
        # Per slot: [heatmap difference, warped R, G, B], as the checkpoint was trained.
        features = torch.cat([heat[:, :, None].to(warped.dtype), warped], dim=2).reshape(
            b, k1 * (ch + 1), h, w
        )
        prediction = self.hourglass(features)
        mask = F.softmax(self.mask(prediction).float(), dim=1)
        deformation = torch.einsum("bkhw,bkhwi->bhwi", mask, motions)
        out = {"mask": mask, "deformation": deformation}
        if self.occlusion is not None:
            out["occlusion_map"] = torch.sigmoid(self.occlusion(prediction).float())
        return out


def _float(t: Tensor | None) -> Tensor | None:
    return None if t is None else t.float()


class SourceEncoding(NamedTuple):
    """Everything the generator needs from the portrait that does not depend on the driver."""

    features: Tensor  # after `first` and the down blocks
    small: Tensor  # the source at the dense motion network's resolution


class OcclusionAwareGenerator(nn.Module):
    """Source image + keypoints of source and driver -> the source moved like the driver."""

    def __init__(self, config: FommConfig = VOX_256) -> None:
        super().__init__()
        g = config.generator
        e, m = g.block_expansion, g.max_features
        self.dense_motion_network = DenseMotionNetwork(config)
        self.first = SameBlock2d(config.num_channels, e, kernel_size=7, padding=3)
        self.down_blocks = nn.ModuleList(
            DownBlock2d(_width(e, i, m), _width(e, i + 1, m)) for i in range(g.num_down_blocks)
        )
        n = g.num_down_blocks
        self.up_blocks = nn.ModuleList(
            UpBlock2d(_width(e, n - i, m), _width(e, n - i - 1, m)) for i in range(n)
        )
        self.bottleneck = nn.Sequential()
        for i in range(g.num_bottleneck_blocks):
            self.bottleneck.add_module(f"r{i}", ResBlock2d(_width(e, n, m)))
        self.final = nn.Conv2d(e, config.num_channels, kernel_size=(7, 7), padding=(3, 3))

    def encode_source(self, source: Tensor) -> SourceEncoding:
        out = self.first(source)
        for block in self.down_blocks:
            out = block(out)
        return SourceEncoding(out, self.dense_motion_network.downsample(source))

    def decode(
        self, encoding: SourceEncoding, kp_driving: Keypoints, kp_source: Keypoints
    ) -> dict[str, Tensor]:
        motion = self.dense_motion_network(encoding.small, kp_driving, kp_source)
        features = encoding.features
        deformation = motion["deformation"]
        h, w = features.shape[2:]
        if deformation.shape[1:3] != (h, w):
            deformation = F.interpolate(
                deformation.permute(0, 3, 1, 2), size=(h, w), mode="bilinear", align_corners=False
            ).permute(0, 2, 3, 1)
        out = F.grid_sample(features, deformation.to(features.dtype), align_corners=True)
        occlusion = motion.get("occlusion_map")
        if occlusion is not None:
            if occlusion.shape[2:] != out.shape[2:]:
                occlusion = F.interpolate(occlusion, size=(h, w), mode="bilinear", align_corners=False)
            out = out * occlusion.to(out.dtype)
        out = self.bottleneck(out)
        for block in self.up_blocks:
            out = block(out)
        motion["prediction"] = torch.sigmoid(self.final(out).float())
        return motion

    def forward(self, source: Tensor, kp_driving: Keypoints, kp_source: Keypoints) -> dict[str, Tensor]:
        return self.decode(self.encode_source(source), kp_driving, kp_source)


def build(config: FommConfig = VOX_256) -> tuple[KPDetector, OcclusionAwareGenerator]:
    """Both networks with fresh (random) weights, in eval mode."""
    return KPDetector(config).eval(), OcclusionAwareGenerator(config).eval()


def perturb_(module: nn.Module, seed: int = 0, scale: float = 0.05) -> nn.Module:
    """Give every parameter and batch-norm statistic random values, in place.

    For tests and benchmarks without the real checkpoint: the default initialisation
    leaves running means at 0, variances at 1 and the Jacobian head at the identity,
    which would let a loader or a relative-motion bug pass unnoticed. Anti-alias kernels
    are left alone: they are fixed, not learned.
    """
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, tensor in module.state_dict().items():
            if not tensor.is_floating_point() or name.endswith("down.weight"):
                continue
            noise = torch.randn(tensor.shape, generator=gen) * scale
            if name.endswith("running_var"):
                tensor.copy_(1.0 + noise.abs())
            elif name.endswith("norm.weight") or name.endswith(("norm1.weight", "norm2.weight")):
                tensor.copy_(1.0 + noise)
            elif name.startswith("jacobian."):
                tensor.add_(noise * 0.1)  # stay near the identity so inverses are well conditioned
            else:
                tensor.copy_(noise)
    return module


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
