"""The project's own generated faces for training the detector: real public-domain faces
rebuilt by a small autoencoder whose decoder up-samples the way StyleGAN2's does (the
"AutoGAN" idea, Zhang, Karaman and Chang 2019: a detector can learn a generator's
up-sampling fingerprint from images that went through the same kind of up-sampling, with
no GAN output at all).

The decoder copies StyleGAN2's synthesis mechanics, not its style machinery:
* each up block is a stride-2 transposed 3x3 convolution followed by the [1,3,3,1]
  FIR blur (StyleGAN2's `conv2d_resample` with `up=2`), then a 3x3 convolution;
* per-pixel noise with a learned strength per channel is added after every convolution,
  then a bias and leaky ReLU (slope 0.2), as in StyleGAN2's synthesis layers;
* the picture is assembled by skip connections: every resolution has a 1x1 "toRGB" whose
  output is added to the up-sampled (zero insertion + [1,3,3,1]) picture from below.
The encoder shrinks 4x, as AutoGAN's CycleGAN-style generator does: enough to force the
decoder to rebuild every fine detail through its up-sampling, little enough that the face
comes back recognisable, so the two classes differ by the fingerprint, not by content.

torch is needed only to make training data (build time); the show never imports this.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

FIR = (1.0, 3.0, 3.0, 1.0)


def build(width: int = 16):
    import torch
    import torch.nn.functional as F
    from torch import nn

    fir = torch.tensor(FIR)
    fir2 = torch.outer(fir, fir)
    fir2 = fir2 / fir2.sum()

    def blur(x: torch.Tensor, gain: float = 1.0) -> torch.Tensor:
        # channels folded into the batch: one single-channel convolution, much faster on
        # a CPU than the equivalent grouped (depthwise) convolution
        n, c, h, w = x.shape
        k = (fir2 * gain).to(x)[None, None]
        y = F.conv2d(F.pad(x.reshape(n * c, 1, h, w), (2, 1, 2, 1), mode="reflect"), k)
        return y.reshape(n, c, h, w)

    def upfirdn(x: torch.Tensor) -> torch.Tensor:
        n, c, h, w = x.shape
        up = x.new_zeros(n, c, 2 * h, 2 * w)
        up[:, :, ::2, ::2] = x
        return blur(up, gain=4.0)

    class Noise(nn.Module):
        def __init__(self, channels: int) -> None:
            super().__init__()
            self.strength = nn.Parameter(torch.full((1, channels, 1, 1), 0.05))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return x + self.strength * torch.randn(x.shape[0], 1, x.shape[2], x.shape[3], device=x.device)

    class Layer(nn.Module):
        def __init__(self, cin: int, cout: int, up: bool = False) -> None:
            super().__init__()
            self.up = up
            self.conv = (
                nn.ConvTranspose2d(cin, cout, 3, stride=2, bias=False)
                if up
                else nn.Conv2d(cin, cout, 3, padding=1, padding_mode="reflect", bias=False)
            )
            self.noise = Noise(cout)
            self.bias = nn.Parameter(torch.zeros(1, cout, 1, 1))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            if self.up:
                # transposed conv gives 2h+1; StyleGAN2 then blurs with [1,3,3,1] and crops
                x = self.conv(x)
                x = blur(x, gain=4.0)[:, :, : 2 * (x.shape[2] // 2), : 2 * (x.shape[3] // 2)]
            else:
                x = self.conv(x)
            return F.leaky_relu(self.noise(x) + self.bias, 0.2)

    class Block(nn.Module):
        def __init__(self, cin: int, cout: int) -> None:
            super().__init__()
            self.conv0 = Layer(cin, cout, up=True)
            self.conv1 = Layer(cout, cout)
            self.to_rgb = nn.Conv2d(cout, 3, 1)

        def forward(self, x, rgb):
            x = self.conv1(self.conv0(x))
            return x, upfirdn(rgb) + self.to_rgb(x)

    class AutoEncoder(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            w = width
            self.encode = nn.Sequential(
                nn.Conv2d(3, w, 3, padding=1, padding_mode="reflect"),
                nn.LeakyReLU(0.2),
                nn.Conv2d(w, 2 * w, 4, stride=2, padding=1, padding_mode="reflect"),
                nn.LeakyReLU(0.2),
                nn.Conv2d(2 * w, 4 * w, 4, stride=2, padding=1, padding_mode="reflect"),
                nn.LeakyReLU(0.2),
                nn.Conv2d(4 * w, 4 * w, 3, padding=1, padding_mode="reflect"),
                nn.LeakyReLU(0.2),
            )
            self.base = Layer(4 * w, 4 * w)
            self.base_rgb = nn.Conv2d(4 * w, 3, 1)
            self.block1 = Block(4 * w, 2 * w)
            self.block2 = Block(2 * w, w)

        def forward(self, image: torch.Tensor) -> torch.Tensor:
            x = self.base(self.encode(image * 2.0 - 1.0))
            rgb = self.base_rgb(x)
            x, rgb = self.block1(x, rgb)
            _, rgb = self.block2(x, rgb)
            return (rgb + 1.0) * 0.5

    return AutoEncoder()


def train(
    frames: list[np.ndarray],
    output: Path,
    steps: int = 600,
    batch: int = 8,
    patch: int = 96,
    seed: int = 0,
    width: int = 16,
    log=print,
) -> None:
    """Fit the autoencoder on random patches of training frames (L1 loss, Adam)."""
    import torch

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = build(width)
    optimiser = torch.optim.Adam(model.parameters(), lr=2e-3, betas=(0.9, 0.99))
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, steps)
    for step in range(steps):
        picks = []
        for _ in range(batch):
            frame = frames[int(rng.integers(len(frames)))]
            h, w = frame.shape[:2]
            y, x = int(rng.integers(0, h - patch + 1)) // 4 * 4, int(rng.integers(0, w - patch + 1)) // 4 * 4
            p = frame[y : y + patch, x : x + patch]
            picks.append(p[:, ::-1] if rng.random() < 0.5 else p)
        target = torch.from_numpy(np.stack(picks).astype(np.float32) / 255.0).permute(0, 3, 1, 2)
        loss = (model(target) - target).abs().mean()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()
        if step % 50 == 0 or step == steps - 1:
            log(f"step {step}: L1 {loss.item():.4f}")
    output.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"width": width, "state": model.state_dict(), "steps": steps, "seed": seed}, output)


def load(path: Path):
    import torch

    saved = torch.load(path, map_location="cpu", weights_only=True)
    model = build(int(saved["width"]))
    model.load_state_dict(saved["state"])
    return model.eval()


def rebuild(model, frame: np.ndarray, seed: int = 0) -> np.ndarray:
    """An RGB uint8 frame (sides a multiple of 4) passed through the autoencoder."""
    import torch

    torch.manual_seed(seed)
    with torch.inference_mode():
        x = torch.from_numpy(frame.astype(np.float32) / 255.0).permute(2, 0, 1)[None]
        out = model(x)[0].permute(1, 2, 0).numpy()
    return np.clip(np.round(out * 255.0), 0, 255).astype(np.uint8)
