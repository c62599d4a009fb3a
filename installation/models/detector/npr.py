"""Neighbouring-pixel relationships (NPR, Tan et al., CVPR 2024) and the small network
that reads them.

A generator's up-sampling makes each 2x2 block of output pixels out of one input pixel
through fixed filters, so the differences *inside* a block follow rules that photographs
do not. NPR is the image minus its own nearest-neighbour down-and-up copy: the
differences of every pixel to the top-left pixel of its 2x2 block. Content at scales above
two pixels mostly cancels; what is left is where up-sampling traces live.

The network is deliberately tiny (four 3x3 convolutions, 21k weights, global average
pooling, one logistic output), trained in torch at build time (`train`) and run in numpy
at show time (`NprNet`): the show needs no torch to use the shipped weights.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

# (in, out, stride): a stride-1 first layer, so the 2x2 structure is read before any shrink
LAYERS = ((3, 16, 1), (16, 32, 2), (32, 32, 2), (32, 48, 2))


def npr(image: np.ndarray) -> np.ndarray:
    """NPR of an RGB uint8 image (sides cut to even) as float32 (H, W, 3), divided by its
    own root-mean-square: the network must read the *pattern* of neighbouring differences,
    not how much fine detail there is. A generator's output is often smoother than a
    photograph, and our own rebuilt faces are; "smooth = generated" is a rule that would
    fail on sharp StyleGAN2 faces and soft real ones, so it is taken away up front."""
    x = image.astype(np.float32) * (1.0 / 255.0)
    h, w = x.shape[0] // 2 * 2, x.shape[1] // 2 * 2
    x = x[:h, :w]
    anchor = np.repeat(np.repeat(x[::2, ::2], 2, axis=0), 2, axis=1)
    residual = x - anchor
    return residual / (float(np.sqrt(np.mean(residual * residual))) + 1e-4)


def _im2col(x: np.ndarray, stride: int) -> np.ndarray:
    """(H, W, C) -> (H', W', 9C) of 3x3 neighbourhoods, zero padding 1 (torch's Conv2d)."""
    h, w, c = x.shape
    padded = np.pad(x, ((1, 1), (1, 1), (0, 0)))
    ho, wo = (h - 1) // stride + 1, (w - 1) // stride + 1
    cols = np.empty((ho, wo, 9, c), dtype=np.float32)
    for dy in range(3):
        for dx in range(3):
            cols[:, :, dy * 3 + dx] = padded[dy : dy + stride * ho : stride, dx : dx + stride * wo : stride]
    return cols.reshape(ho, wo, 9 * c)


class NprNet:
    """Numpy inference of the trained network: logit of "generated" for an RGB crop."""

    def __init__(self, weights: dict[str, np.ndarray]) -> None:
        self.weights = weights
        self.kernels = []
        for i, (cin, cout, stride) in enumerate(LAYERS):
            w = weights[f"conv{i}.weight"]  # torch layout (out, in, 3, 3)
            if w.shape != (cout, cin, 3, 3):
                raise ValueError(f"conv{i}: shape {w.shape}, expected {(cout, cin, 3, 3)}")
            # im2col order is (dy, dx, c): rearrange to (3, 3, in, out) then flatten
            matrix = w.transpose(2, 3, 1, 0).reshape(9 * cin, cout).astype(np.float32)
            self.kernels.append((matrix, weights[f"conv{i}.bias"].astype(np.float32), stride))
        self.fc_w = weights["fc.weight"].reshape(-1).astype(np.float32)
        self.fc_b = float(weights["fc.bias"].reshape(-1)[0])

    def features(self, crop: np.ndarray) -> np.ndarray:
        x = npr(crop)
        for matrix, bias, stride in self.kernels:
            cols = _im2col(x, stride)
            x = np.maximum(cols @ matrix + bias, 0.0)
        return x.mean(axis=(0, 1))

    def logit(self, crop: np.ndarray) -> float:
        return float(self.features(crop) @ self.fc_w + self.fc_b)

    def activation_map(self, crop: np.ndarray) -> np.ndarray:
        """Where in the crop the evidence for "generated" sits: the last layer's map
        weighted by the output layer (class activation map), (h, w) float32."""
        x = npr(crop)
        for matrix, bias, stride in self.kernels:
            x = np.maximum(_im2col(x, stride) @ matrix + bias, 0.0)
        return (x @ self.fc_w).astype(np.float32)


def build_torch():
    from torch import nn

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            for i, (cin, cout, stride) in enumerate(LAYERS):
                setattr(self, f"conv{i}", nn.Conv2d(cin, cout, 3, stride=stride, padding=1))
            self.fc = nn.Linear(LAYERS[-1][1], 1)

        def forward(self, x):
            for i in range(len(LAYERS)):
                x = getattr(self, f"conv{i}")(x).relu()
            return self.fc(x.mean(dim=(2, 3)))[:, 0]

    return Net()


def _batch(images: list[np.ndarray], rng: np.random.Generator, size: int):
    """Random crops at any pixel offset (so the network cannot rely on one 2x2 phase,
    which differs between generators) and random flips."""
    out = []
    for image in images:
        h, w = image.shape[:2]
        y, x = int(rng.integers(0, h - size + 1)), int(rng.integers(0, w - size + 1))
        crop = image[y : y + size, x : x + size]
        if rng.random() < 0.5:
            crop = crop[:, ::-1]
        out.append(npr(np.ascontiguousarray(crop)).transpose(2, 0, 1))
    return np.stack(out)


def train(
    real: list[np.ndarray],
    fake: list[np.ndarray],
    epochs: int = 6,
    batch: int = 16,
    size: int = 160,
    seed: int = 0,
    log=print,
    steps: int | None = None,
) -> dict[str, np.ndarray]:
    """Fit the network (AdamW, logistic loss) on real and generated images; numpy weights.
    Every batch is half real, half generated, whatever the two lists' lengths: the
    classes weigh alike however many kinds of each the recipe makes. An epoch is as many
    examples as both lists hold; `steps`, when given, fixes the number of batches instead
    (the cost on a shared CPU), logged in `epochs` parts."""
    import torch

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    net = build_torch()
    half = batch // 2
    per_epoch = max(1, (len(real) + len(fake)) // batch)
    if steps is not None:
        per_epoch = max(1, steps // epochs)
    steps = epochs * per_epoch
    optimiser = torch.optim.AdamW(net.parameters(), lr=2e-3, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=3e-3, total_steps=steps)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    y = torch.from_numpy(np.r_[np.zeros(half), np.ones(half)].astype(np.float32))
    for epoch in range(epochs):
        running = []
        for _ in range(per_epoch):
            picks = [real[i] for i in rng.integers(len(real), size=half)]
            picks += [fake[i] for i in rng.integers(len(fake), size=half)]
            x = torch.from_numpy(_batch(picks, rng, size))
            loss = loss_fn(net(x), y)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            running.append(loss.item())
        log(f"epoch {epoch}: loss {np.mean(running):.4f}")
    return {k: v.detach().numpy().copy() for k, v in net.state_dict().items()}


def save(path: Path, weights: dict[str, np.ndarray], **extra: np.ndarray) -> None:
    np.savez(path, **weights, **extra)
