"""Keypoint geometry shared by the FOMM networks and relative-motion transfer: the
coordinate convention (-1..1 on the border pixels' centres), the 2x2 Jacobian inverse and
the Gaussian heatmaps around keypoints."""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import Tensor


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
