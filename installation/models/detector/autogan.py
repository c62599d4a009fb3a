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


UPS = ("transpose_fir", "fir", "nearest", "bilinear", "shuffle")


def build(width: int = 16, up: str = "transpose_fir", depth: int = 2, modulated: bool = False, skips: bool = True):
    """The autoencoder. The defaults are the StyleGAN2-like decoder described above; the
    other settings make the other fake families of `families.py` (how the decoder
    up-samples, how many times, whether its convolutions are modulated by a per-image
    style and demodulated as StyleGAN2's are, whether the picture is assembled by toRGB
    skips or by one toRGB at the end)."""
    import torch
    import torch.nn.functional as F
    from torch import nn

    if up not in UPS:
        raise ValueError(f"up={up!r}: one of {UPS}")
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
        z = x.new_zeros(n, c, 2 * h, 2 * w)
        z[:, :, ::2, ::2] = x
        return blur(z, gain=4.0)

    def upsample(x: torch.Tensor) -> torch.Tensor:
        """The skip path's (and the non-learned families') fixed 2x up-sampling."""
        if up in ("transpose_fir", "fir"):
            return upfirdn(x)
        if up == "nearest":
            return F.interpolate(x, scale_factor=2, mode="nearest")
        return F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)

    class Noise(nn.Module):
        def __init__(self, channels: int) -> None:
            super().__init__()
            self.strength = nn.Parameter(torch.full((1, channels, 1, 1), 0.05))
            self.gain = 1.0  # `rebuild`'s noise_gain: more of the generator's own fine detail

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            noise = torch.randn(x.shape[0], 1, x.shape[2], x.shape[3], device=x.device)
            return x + self.strength * self.gain * noise

    class Layer(nn.Module):
        def __init__(self, cin: int, cout: int, up_here: bool = False) -> None:
            super().__init__()
            self.up = up_here
            self.cout = cout
            if up_here and up == "transpose_fir":
                self.conv = nn.ConvTranspose2d(cin, cout, 3, stride=2, bias=False)
            elif up_here and up == "shuffle":
                self.conv = nn.Conv2d(cin, 4 * cout, 3, padding=1, padding_mode="reflect", bias=False)
            else:
                self.conv = nn.Conv2d(cin, cout, 3, padding=1, padding_mode="reflect", bias=False)
            # StyleGAN2's modulation: a per-image style scales the input channels of the
            # weights, which are then demodulated (each output channel's norm back to 1)
            self.style = nn.Linear(4 * width, cin) if modulated else None
            self.noise = Noise(cout)
            self.bias = nn.Parameter(torch.zeros(1, cout, 1, 1))

        def _conv(self, x: torch.Tensor, style: torch.Tensor | None) -> torch.Tensor:
            if self.style is None or style is None:
                return self.conv(x)
            n, c, h, w = x.shape
            s = self.style(style) + 1.0  # (n, cin)
            weight = self.conv.weight  # (out, in, 3, 3) or, transposed, (in, out, 3, 3)
            if self.up and up == "transpose_fir":
                wm = weight[None] * s[:, :, None, None, None]  # (n, in, out, 3, 3)
                wm = wm * torch.rsqrt(wm.pow(2).sum(dim=(1, 3, 4), keepdim=True) + 1e-8)
                y = F.conv_transpose2d(x.reshape(1, n * c, h, w), wm.reshape(n * c, -1, 3, 3), stride=2, groups=n)
            else:
                wm = weight[None] * s[:, None, :, None, None]  # (n, out, in, 3, 3)
                wm = wm * torch.rsqrt(wm.pow(2).sum(dim=(2, 3, 4), keepdim=True) + 1e-8)
                xp = F.pad(x.reshape(1, n * c, h, w), (1, 1, 1, 1), mode="reflect")
                y = F.conv2d(xp, wm.reshape(-1, c, 3, 3), groups=n)
            return y.reshape(n, -1, y.shape[2], y.shape[3])

        def forward(self, x: torch.Tensor, style: torch.Tensor | None = None) -> torch.Tensor:
            if self.up and up == "transpose_fir":
                # transposed conv gives 2h+1; StyleGAN2 then blurs with [1,3,3,1] and crops
                x = self._conv(x, style)
                x = blur(x, gain=4.0)[:, :, : 2 * (x.shape[2] // 2), : 2 * (x.shape[3] // 2)]
            elif self.up and up == "shuffle":
                x = F.pixel_shuffle(self._conv(x, style), 2)
            elif self.up:
                x = self._conv(upsample(x), style)
            else:
                x = self._conv(x, style)
            return F.leaky_relu(self.noise(x) + self.bias, 0.2)

    class Block(nn.Module):
        def __init__(self, cin: int, cout: int) -> None:
            super().__init__()
            self.conv0 = Layer(cin, cout, up_here=True)
            self.conv1 = Layer(cout, cout)
            self.to_rgb = nn.Conv2d(cout, 3, 1)

        def forward(self, x, rgb, style):
            x = self.conv1(self.conv0(x, style), style)
            if rgb is None:
                return x, None
            return x, upsample(rgb) + self.to_rgb(x)

    class AutoEncoder(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            w = width
            layers = [nn.Conv2d(3, w, 3, padding=1, padding_mode="reflect"), nn.LeakyReLU(0.2)]
            c = w
            for _ in range(depth):  # each shrinks 2x; the decoder has one up block per shrink
                out = min(4 * w, 2 * c)
                layers += [nn.Conv2d(c, out, 4, stride=2, padding=1, padding_mode="reflect"), nn.LeakyReLU(0.2)]
                c = out
            layers += [nn.Conv2d(c, 4 * w, 3, padding=1, padding_mode="reflect"), nn.LeakyReLU(0.2)]
            self.encode = nn.Sequential(*layers)
            self.base = Layer(4 * w, 4 * w)
            self.base_rgb = nn.Conv2d(4 * w, 3, 1)
            widths = [4 * w] + [max(w, (4 * w) >> (i + 1)) for i in range(depth)]
            for i in range(depth):
                setattr(self, f"block{i + 1}", Block(widths[i], widths[i + 1]))
            self.last_rgb = None if skips else nn.Conv2d(widths[-1], 3, 1)

        def forward(self, image: torch.Tensor) -> torch.Tensor:
            x = self.encode(image * 2.0 - 1.0)
            style = x.mean(dim=(2, 3)) if modulated else None
            x = self.base(x, style)
            rgb = self.base_rgb(x) if skips else None
            for i in range(depth):
                x, rgb = getattr(self, f"block{i + 1}")(x, rgb, style)
            if not skips:
                rgb = self.last_rgb(x)
            return (rgb + 1.0) * 0.5

    return AutoEncoder()


def random_patches(frames: list[np.ndarray], rng: np.random.Generator, batch: int, patch: int,
                   grid: int) -> np.ndarray:
    """`batch` square patches (0-1 floats) from random frames, on the decoder's `grid` (so
    its up-sampling phase is the same in every patch), half of them mirrored."""
    picks = []
    for _ in range(batch):
        frame = frames[int(rng.integers(len(frames)))]
        h, w = frame.shape[:2]
        y = int(rng.integers(0, h - patch + 1)) // grid * grid
        x = int(rng.integers(0, w - patch + 1)) // grid * grid
        p = frame[y : y + patch, x : x + patch]
        picks.append(p[:, ::-1] if rng.random() < 0.5 else p)
    return np.stack(picks).astype(np.float32) / 255.0


def train(
    frames: list[np.ndarray],
    output: Path,
    steps: int = 600,
    batch: int = 8,
    patch: int = 96,
    seed: int = 0,
    width: int = 16,
    log=print,
    **config,
) -> None:
    """Fit the autoencoder on random patches of training frames (L1 loss, Adam); `config`
    is passed to `build` (the family's decoder)."""
    import torch

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = build(width, **config)
    optimiser = torch.optim.Adam(model.parameters(), lr=2e-3, betas=(0.9, 0.99))
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, steps)
    grid = 2 ** config.get("depth", 2)
    for step in range(steps):
        target = torch.from_numpy(random_patches(frames, rng, batch, patch, grid)).permute(0, 3, 1, 2)
        loss = (model(target) - target).abs().mean()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()
        if step % 50 == 0 or step == steps - 1:
            log(f"step {step}: L1 {loss.item():.4f}")
    output.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"width": width, "config": config, "state": model.state_dict(), "steps": steps, "seed": seed}, output)


def load(path: Path):
    import torch

    saved = torch.load(path, map_location="cpu", weights_only=True)
    model = build(int(saved["width"]), **saved.get("config", {}))
    model.load_state_dict(saved["state"])
    return model.eval()


def rebuild(model, frame: np.ndarray, seed: int = 0, noise_gain: float = 1.0) -> np.ndarray:
    """An RGB uint8 frame (sides a multiple of 2**depth) passed through the autoencoder.
    `noise_gain` scales every per-pixel noise input: trained with an L1 loss, our small
    decoders learn weak noise and come out smoother than photographs, while StyleGAN2's
    noise inputs draw its fine stochastic detail; a gain puts that detail back *through
    the decoder's own layers*, so it carries the decoder's up-sampling traces."""
    import torch

    for module in model.modules():
        if hasattr(module, "gain"):
            module.gain = noise_gain
    torch.manual_seed(seed)
    with torch.inference_mode():
        x = torch.from_numpy(frame.astype(np.float32) / 255.0).permute(2, 0, 1)[None]
        out = model(x)[0].permute(1, 2, 0).numpy()
    return np.clip(np.round(out * 255.0), 0, 255).astype(np.uint8)
