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

The configs are in `configs.py`, the keypoint geometry in `geometry.py` and the
convolutional building blocks (with batch-norm folding) in `blocks.py`; this module
assembles them into the two networks a checkpoint holds. Their names are re-exported
here, where tests, benches and docs import them.
"""

from __future__ import annotations

from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .blocks import (
    AntiAliasInterpolation2d,
    DownBlock2d,
    Hourglass,
    ResBlock2d,
    SameBlock2d,
    UpBlock2d,
    _width,
    fold_batch_norm_,
)
from .configs import TINY, VOX_256, DenseMotionConfig, FommConfig, GeneratorConfig, KPDetectorConfig
from .geometry import Keypoints, coordinate_grid, inverse_2x2, keypoint_gaussians

__all__ = [
    "TINY",
    "VOX_256",
    "AntiAliasInterpolation2d",
    "DenseMotionConfig",
    "DenseMotionNetwork",
    "FommConfig",
    "GeneratorConfig",
    "KPDetector",
    "KPDetectorConfig",
    "Keypoints",
    "OcclusionAwareGenerator",
    "SourceEncoding",
    "build",
    "coordinate_grid",
    "fold_batch_norm_",
    "inverse_2x2",
    "keypoint_gaussians",
    "perturb_",
]

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
