"""An adversarially trained fake family: a StyleGAN2-like decoder that *invents* fine
detail from its per-pixel noise inputs, as StyleGAN2's does (build time; torch; never run
by the show).

Why: our other families are trained with an L1 loss against the photograph, so their
decoders only redraw the photograph's own fine detail, and their noise inputs stay weak
until `families.noise_gain` scales them up afterwards. The shipped network learned "the
texture of noise pushed through our small decoders" from them, and our `sg2` decoder with
little noise fools it 7 times in 8 (docs/detector.md). StyleGAN2 instead learns, through
its adversarial loss, convolutions that turn per-pixel noise into photographic grain.

So the generator here is `autogan.build`'s StyleGAN2-like decoder (transposed 3x3 conv +
[1,3,3,1] FIR, toRGB skips, modulated convolutions), and it is trained with
* an L1 loss on the *blurred* picture only (Gaussian, BLUR_SIGMA frame pixels): coarse
  fidelity, so it cannot win by copying the photograph's fine detail through the encoder
  (a 2**depth bottleneck in any case), and
* a non-saturating GAN loss from a small spectrally normalised patch discriminator that
  sees only the *high-pass* part (the picture minus that blur) of real training-frame
  patches and of rebuilt ones: it judges fine texture, nothing else.
Its noise is used at gain 1 when examples are made: the fine detail is what training gave.
The saved file has `autogan.train`'s layout, so `autogan.load` and `autogan.rebuild` read it.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

BLUR_SIGMA = 2.0  # frame pixels: the L1 loss sees what this Gaussian keeps, the critic what it removes
HIGHPASS_SCALE = 8.0  # high-pass values are a few hundredths; bring them near unit scale for the critic


def _gaussian(sigma: float):
    import torch

    radius = int(np.ceil(3 * sigma))
    t = torch.arange(-radius, radius + 1, dtype=torch.float32)
    k = torch.exp(-(t**2) / (2 * sigma**2))
    return k / k.sum(), radius


def blur(x, sigma: float = BLUR_SIGMA):
    """Separable Gaussian, channels folded into the batch, reflected edges."""
    import torch.nn.functional as F

    k, r = _gaussian(sigma)
    n, c, h, w = x.shape
    y = F.pad(x.reshape(n * c, 1, h, w), (r, r, r, r), mode="reflect")
    y = F.conv2d(y, k.to(x)[None, None, None, :])
    y = F.conv2d(y, k.to(x)[None, None, :, None])
    return y.reshape(n, c, h, w)


def critic(width: int = 32):
    """A small patch discriminator over the high-pass picture: receptive field about 22
    frame pixels (the scale of skin pores, hair strands and grain, not of the face), one
    logit per patch. Spectral norm keeps it Lipschitz, which was enough for stability."""
    from torch import nn
    from torch.nn.utils import spectral_norm as sn

    return nn.Sequential(
        sn(nn.Conv2d(3, width, 3, padding=1)), nn.LeakyReLU(0.2),
        sn(nn.Conv2d(width, 2 * width, 4, stride=2, padding=1)), nn.LeakyReLU(0.2),
        sn(nn.Conv2d(2 * width, 2 * width, 4, stride=2, padding=1)), nn.LeakyReLU(0.2),
        sn(nn.Conv2d(2 * width, 1, 3, padding=1)),
    )


def highpass(x):
    return (x - blur(x)) * HIGHPASS_SCALE


def train(
    frames: list[np.ndarray],
    output: Path,
    steps: int = 600,
    batch: int = 8,
    patch: int = 64,
    seed: int = 0,
    width: int = 16,
    l1_weight: float = 50.0,
    lr: float = 1e-3,
    log=print,
    **config,
) -> None:
    """Fit generator and critic alternately (one step each, Adam with StyleGAN2's betas
    0, 0.99) on random patches of training frames; `config` is passed to `autogan.build`."""
    import torch
    import torch.nn.functional as F

    from . import autogan

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    gen = autogan.build(width, **config)
    for module in gen.modules():  # start the noise stronger than autogan's 0.05: it is the texture source
        if hasattr(module, "strength"):
            module.strength.data.fill_(0.1)
    disc = critic()
    # lr 1e-3, blurred L1 x50: a 300-step pilot at 2e-3 and x20 let the blurred L1 drift
    # up to 0.14 and drew one repeated stroke texture
    opt_g = torch.optim.Adam(gen.parameters(), lr=lr, betas=(0.0, 0.99))
    opt_d = torch.optim.Adam(disc.parameters(), lr=lr, betas=(0.0, 0.99))
    grid = 2 ** config.get("depth", 2)
    start = time.perf_counter()
    for step in range(steps):
        target = torch.from_numpy(autogan.random_patches(frames, rng, batch, patch, grid)).permute(0, 3, 1, 2)
        fake = gen(target)
        # critic: real high-pass against rebuilt high-pass (non-saturating logistic loss)
        d_loss = F.softplus(-disc(highpass(target))).mean() + F.softplus(disc(highpass(fake.detach()))).mean()
        opt_d.zero_grad()
        d_loss.backward()
        opt_d.step()
        # generator: fool the critic on texture, keep the blurred picture
        g_adv = F.softplus(-disc(highpass(fake))).mean()
        g_l1 = (blur(fake) - blur(target)).abs().mean()
        g_loss = g_adv + l1_weight * g_l1
        opt_g.zero_grad()
        g_loss.backward()
        opt_g.step()
        if step % 50 == 0 or step == steps - 1:
            log(f"step {step}: critic {d_loss.item():.3f}  adversarial {g_adv.item():.3f}  "
                f"blurred L1 {g_l1.item():.4f}  ({time.perf_counter() - start:.0f} s)")
    output.parent.mkdir(parents=True, exist_ok=True)
    adversarial = {"blur_sigma": BLUR_SIGMA, "l1_weight": l1_weight, "lr": lr, "patch": patch}
    torch.save({"width": width, "config": config, "state": gen.state_dict(), "steps": steps, "seed": seed,
                "adversarial": adversarial}, output)
