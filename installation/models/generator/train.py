"""Training the small GAN: `bayard generator train --images DIR -o FILE`.

Non-saturating GAN loss, Adam (lr 2e-4, beta1 0.5) as in DCGAN, horizontal flips,
and an exponential moving average of the generator's weights (`g_ema`): with few
steps the averaged generator gives far steadier faces than the raw one.

Resumable: every `save_every` steps (and at the end, and on Ctrl-C) the whole state
goes to the output file through runtime.files.atomic_writer (a temporary file, flushed to
disk, renamed), so an interrupted save never leaves a broken checkpoint. Running the same
command again continues from it.
"""

from __future__ import annotations

import copy
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from ...runtime.files import atomic_writer, remove_leftover_temps
from .base import CheckpointError, read_checkpoint
from .dcgan import DCGANConfig, build_networks, config_dict

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".bmp"}


class DataError(Exception):
    pass


def load_images(folder: Path, size: int) -> np.ndarray:
    """All images in a folder as uint8 (n, size, size, 3) RGB, centre-cropped to square."""
    if not folder.is_dir():
        raise DataError(f"{folder}: not a folder; give --images a folder of face photographs (png/jpg)")
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES)
    out, skipped = [], 0
    for path in files:
        bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)
        if bgr is None:
            skipped += 1
            continue
        h, w = bgr.shape[:2]
        side = min(h, w)
        y0, x0 = (h - side) // 2, (w - side) // 2
        crop = cv2.resize(bgr[y0 : y0 + side, x0 : x0 + side], (size, size), interpolation=cv2.INTER_AREA)
        out.append(cv2.cvtColor(crop, cv2.COLOR_BGR2RGB))
    if skipped:
        print(f"skipped {skipped} unreadable image(s) in {folder}")
    if len(out) < 16:
        raise DataError(
            f"{folder}: found {len(out)} readable image(s); a GAN needs at least hundreds (16 minimum)"
        )
    return np.stack(out)


@dataclass
class TrainOptions:
    images: Path
    output: Path
    size: int = 64
    width: int = 128
    steps: int = 2000
    batch: int = 32
    lr: float = 2e-4
    seed: int = 0
    save_every: int = 200
    ema: float = 0.995
    threads: int = 0  # 0: torch's default
    max_minutes: float = 0.0  # stop (and save) after this long; 0: no limit
    progress: bool = True
    device: str = "auto"  # auto: CUDA when present, else the CPU


def train(opts: TrainOptions) -> dict:
    """Train (or resume) and return the final checkpoint dict."""
    import torch
    import torch.nn.functional as F
    from tqdm import tqdm

    from .base import pick_device

    if opts.threads:
        torch.set_num_threads(opts.threads)
    device = torch.device(pick_device(opts.device))
    config = DCGANConfig(size=opts.size, width=opts.width)
    config.validate()
    # The whole set lives on the device as uint8 (256 px: 0.2 MB a face): no loader
    # threads, and the GPU never waits for the CPU.
    data = torch.from_numpy(load_images(opts.images, config.size)).permute(0, 3, 1, 2).contiguous().to(device)

    with torch.random.fork_rng(devices=[]):  # seeded initial weights: a run is reproducible
        torch.manual_seed(opts.seed)
        g, d = build_networks(config)
    g, d = g.to(device), d.to(device)
    g_opt = torch.optim.Adam(g.parameters(), lr=opts.lr, betas=(0.5, 0.999))
    d_opt = torch.optim.Adam(d.parameters(), lr=opts.lr, betas=(0.5, 0.999))
    gen = torch.Generator().manual_seed(opts.seed)
    step = 0
    # A save killed half way (the OOM killer, a power cut: nothing left to clean up) left its
    # temporary file, named for its own process: never reused, each such run left one more,
    # hundreds of MB, beside the checkpoint. (A live run's, writing the same file, is left.)
    remove_leftover_temps(opts.output)
    if opts.output.exists():
        ckpt = read_checkpoint(opts.output)
        if ckpt.get("kind") != "dcgan" or "d_optim" not in ckpt:
            raise CheckpointError(
                f"{opts.output}: exists but is not a resumable dcgan training checkpoint; choose another -o"
            )
        if ckpt["config"] != config_dict(config):
            raise CheckpointError(
                f"{opts.output}: was trained with {ckpt['config']}, not {config_dict(config)}; "
                "use the same --size/--width or another -o"
            )
        g.load_state_dict(ckpt["g"])  # checkpoints hold CPU tensors; load_state_dict copies to the device
        d.load_state_dict(ckpt["d"])
        g_opt.load_state_dict(ckpt["g_optim"])
        d_opt.load_state_dict(ckpt["d_optim"])
        gen.set_state(ckpt["rng"])
        step = int(ckpt["step"])
        g_ema = copy.deepcopy(g)
        g_ema.load_state_dict(ckpt["g_ema"])
        print(f"resuming {opts.output} at step {step}")
    else:
        g_ema = copy.deepcopy(g)
    g_ema.eval()
    for p in g_ema.parameters():
        p.requires_grad_(False)

    def checkpoint() -> dict:
        # Saved on the CPU, so a checkpoint trained on a GPU resumes or plays on any machine.
        return _to_cpu({
            "kind": "dcgan",
            "config": config_dict(config),
            "step": step,
            "g": g.state_dict(),
            "d": d.state_dict(),
            "g_ema": g_ema.state_dict(),
            "g_optim": g_opt.state_dict(),
            "d_optim": d_opt.state_dict(),
            "rng": gen.get_state(),
        })

    def save() -> None:
        # Streamed to a temporary file, flushed to disk, then renamed: a power cut leaves the
        # last whole checkpoint, and a full disk leaves no half one of hundreds of MB beside it.
        with atomic_writer(opts.output) as handle:
            torch.save(checkpoint(), handle)

    def stop_on_term(signum, frame):  # a scheduler's SIGTERM saves like Ctrl-C does
        raise KeyboardInterrupt

    previous = (
        signal.signal(signal.SIGTERM, stop_on_term)
        if threading.current_thread() is threading.main_thread()
        else None
    )
    started = time.monotonic()
    bar = tqdm(total=opts.steps, initial=step, desc="training dcgan", unit="step", disable=not opts.progress)
    g.train()
    d.train()
    try:
        while step < opts.steps:
            # Every random draw comes from one CPU generator, saved in the checkpoint: a resumed
            # run, on a CPU or a GPU, continues the same sequence.
            idx = torch.randint(len(data), (opts.batch,), generator=gen).to(device)
            real = data[idx].float().div_(127.5).sub_(1.0)
            flip = (torch.rand(opts.batch, generator=gen) < 0.5).to(device)
            real[flip] = real[flip].flip(3)
            z = torch.randn(opts.batch, config.latent_dim, generator=gen).to(device)

            fake = g(z)
            d_loss = F.softplus(-d(real)).mean() + F.softplus(d(fake.detach())).mean()
            d_opt.zero_grad(set_to_none=True)
            d_loss.backward()
            d_opt.step()

            g_loss = F.softplus(-d(fake)).mean()
            g_opt.zero_grad(set_to_none=True)
            g_loss.backward()
            g_opt.step()

            with torch.no_grad():
                # Early on, follow the live weights closely; average more as they settle.
                decay = min(opts.ema, (1 + step) / (10 + step))
                for pe, p in zip(g_ema.parameters(), g.parameters(), strict=False):
                    pe.lerp_(p, 1 - decay)
                for be, b in zip(g_ema.buffers(), g.buffers(), strict=False):
                    be.copy_(b)
            step += 1
            bar.update(1)
            bar.set_postfix(d=f"{d_loss.item():.3f}", g=f"{g_loss.item():.3f}")
            if step % opts.save_every == 0:
                save()
            if opts.max_minutes and time.monotonic() - started > opts.max_minutes * 60:
                bar.write(f"time limit of {opts.max_minutes} min reached at step {step}")
                break
    except KeyboardInterrupt:
        bar.write(f"interrupted at step {step}; saving so the same command resumes")
    finally:
        bar.close()
        save()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return checkpoint()


def _to_cpu(obj):
    import torch

    if isinstance(obj, torch.Tensor):
        return obj.detach().cpu()
    if isinstance(obj, dict):
        return {k: _to_cpu(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_to_cpu(v) for v in obj]
    return obj


def export(checkpoint: dict, output: Path) -> None:
    """Keep only what playing needs (the averaged generator, half precision): small to ship."""
    import torch

    slim = {
        "kind": "dcgan",
        "config": checkpoint["config"],
        "step": checkpoint["step"],
        "g_ema": {k: v.half() if v.is_floating_point() else v for k, v in checkpoint["g_ema"].items()},
    }
    remove_leftover_temps(output)  # (an export killed half way: see train)
    with atomic_writer(output) as handle:  # (a half-written file in models/ would be loaded as one)
        torch.save(slim, handle)
