"""Loop playback and generator speed, as a kiosk would see them.

1. A 1080p30 test film (written to a temporary folder; every frame carries its own
   number) plays in a loop scene for --seconds through the engine at a real display
   rate (--hz, default 60), on a real clock: the render loop never waits for the
   decoder. Printed: frames dropped (due at a display instant but not decoded in
   time) and display instants that held a frame past its time (target 0 of each),
   whether each displayed number is the one due, frame-time percentiles, and CPU use
   of the whole process (decoder threads and ffmpeg included).
2. The small GAN at 64x64: training step time (batch 16 and 32) and render speed.
3. With CUDA: live StyleGAN2 256x256 generation fps with random weights.

    python bench/loop.py [--seconds 60] [--hz 60] [--skip-playback] [--skip-gan]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # ffmpeg decoders (counted when they exit)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def child_cpu_now() -> float:
    """CPU seconds of live ffmpeg children, read from /proc (RUSAGE_CHILDREN misses running ones)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():  # ppid
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def playback(seconds: float, hz: float, size: tuple[int, int]) -> None:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import installation.scenes.loop  # noqa: F401
    from installation.clock import SystemClock
    from installation.config.loader import load_show
    from installation.engine import Engine, init_pygame
    from installation.media.testvideo import read_index, write_test_video

    tmp = Path(tempfile.mkdtemp(prefix="bayard-bench-"))
    (tmp / "content").mkdir()
    (tmp / "scenes").mkdir()
    film = tmp / "content" / "film.mp4"
    t0 = time.perf_counter()
    frames = write_test_video(film, seconds=20.0, fps=30, size=(1920, 1080))
    print(
        f"test film: {frames} frames 1920x1080 at 30 fps ({film.stat().st_size / 1e6:.1f} MB, "
        f"written in {time.perf_counter() - t0:.1f} s)"
    )
    (tmp / "scenes" / "film.toml").write_text(
        'type = "loop"\nid = "film"\nduration = 3600\nlayout = "full"\nfit = "cover"\n'
        'caption = ""\n[[items]]\nfile = "film.mp4"\n',
        encoding="utf-8",
    )
    (tmp / "install.toml").write_text(
        f'[show]\ntitle = "bench"\nplaylist = ["film"]\n[display]\nsize = [{size[0]}, {size[1]}]\n'
        "fullscreen = false\n",
        encoding="utf-8",
    )
    init_pygame(headless=True)
    show = load_show(tmp / "install.toml")
    clock = SystemClock()
    engine = Engine(show, clock, synchronous_prepare=True)
    engine.step()
    scene = engine.sequencer.current.scene
    scene.block = False  # a real clock: never wait for the decoder (the kiosk's rule)
    while scene.current is None or scene.current.source._current is None:
        engine.step()
        time.sleep(0.01)
    period = 1.0 / hz
    step_times, wrong, samples = [], 0, 0
    cpu0, kids0, wall0 = cpu_seconds(), child_cpu_now(), time.perf_counter()
    deadline = time.perf_counter()
    n = 0
    while time.perf_counter() - wall0 < seconds:
        deadline += period
        a = time.perf_counter()
        engine.step()
        step_times.append(time.perf_counter() - a)
        n += 1
        if n % 15 == 0:  # check the number on screen is the one due at this instant
            slot = scene.current
            local = scene.t - slot.start
            frame = slot.source._current
            if frame is not None and frame.image.shape[1] >= 320:
                due = int(local * 30 + 1e-6) % frames
                samples += 1
                wrong += read_index(frame.image) != due
        sleep = deadline - time.perf_counter()
        if sleep > 0:
            time.sleep(sleep)
        else:
            deadline = time.perf_counter()  # missed a vsync: re-align, as a display would
    wall = time.perf_counter() - wall0
    cpu = cpu_seconds() - cpu0 + child_cpu_now() - kids0
    stats = scene.current.source.stats
    engine.shutdown()
    shutil.rmtree(tmp, ignore_errors=True)
    step_ms = sorted(t * 1000 for t in step_times)
    print(f"played {wall:.1f} s at {hz:g} Hz: {n} display frames ({n / wall:.1f} per s achieved)")
    print(
        f"  film frames shown {stats.shown}, dropped {stats.dropped}, held past their time {stats.held}, "
        f"loop passes {stats.loops}"
    )
    print(f"  on-screen frame number checked {samples} times: {wrong} wrong")
    print(
        f"  engine step p50 {step_ms[len(step_ms) // 2]:.1f} ms, "
        f"p99 {step_ms[int(len(step_ms) * 0.99)]:.1f} ms, "
        f"max {step_ms[-1]:.1f} ms"
    )
    print(f"  CPU use {100 * cpu / wall:.0f}% of one core (process + ffmpeg), {os.cpu_count()} cores here")


def gan(threads: int) -> None:
    import numpy as np
    import torch

    from installation.models.generator.dcgan import DCGAN, DCGANConfig, build_networks

    torch.set_num_threads(threads)
    config = DCGANConfig(size=64, width=128)
    g, d = build_networks(config)
    opt_g = torch.optim.Adam(g.parameters(), 2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), 2e-4, betas=(0.5, 0.999))
    import torch.nn.functional as F

    for batch in (16, 32):
        real = torch.rand(batch, 3, 64, 64) * 2 - 1
        times = []
        for i in range(8):
            a = time.perf_counter()
            fake = g(torch.randn(batch, config.latent_dim))
            loss_d = F.softplus(-d(real)).mean() + F.softplus(d(fake.detach())).mean()
            opt_d.zero_grad()
            loss_d.backward()
            opt_d.step()
            loss_g = F.softplus(-d(fake)).mean()
            opt_g.zero_grad()
            loss_g.backward()
            opt_g.step()
            if i >= 2:
                times.append(time.perf_counter() - a)
        step = sorted(times)[len(times) // 2]
        print(
            f"dcgan 64x64 training, {threads} thread(s), batch {batch}: {step * 1000:.0f} ms/step "
            f"({step / batch * 1000:.1f} ms per image)"
        )
    gen = DCGAN(config, g)
    z = np.random.default_rng(0).standard_normal((64, config.latent_dim))
    gen.generate(z[:16])
    a = time.perf_counter()
    gen.generate(z, batch=16)
    per = (time.perf_counter() - a) / 64
    from installation.models.generator.render import upscale

    imgs = gen.generate(z[:16])
    a = time.perf_counter()
    upscale(imgs, 512)
    up = (time.perf_counter() - a) / 16
    print(
        f"dcgan 64x64 render: {1 / per:.0f} faces/s ({per * 1000:.1f} ms each); "
        f"upscale to 512: {up * 1000:.1f} ms"
    )


def stylegan_live() -> None:
    import torch

    if not torch.cuda.is_available():
        print("stylegan2 256x256 live fps: no CUDA device here (run on a GPU machine)")
        return
    from installation.models.generator.stylegan2 import StyleGAN2Config, build_generator

    net = build_generator(StyleGAN2Config(size=256, channel_multiplier=2)).cuda().eval()
    for batch in (1, 8):
        z = torch.randn(batch, 512, device="cuda")
        with torch.inference_mode():
            for _ in range(5):
                net(z, noise_mode="const")
            torch.cuda.synchronize()
            a = time.perf_counter()
            n = 0
            while time.perf_counter() - a < 5:
                img = net(z, noise_mode="const")
                img.clamp(-1, 1).add(1).mul(127.5).byte().cpu()
                n += batch
            torch.cuda.synchronize()
        print(
            f"stylegan2 256x256 (random weights) on {torch.cuda.get_device_name(0)}, batch {batch}: "
            f"{n / (time.perf_counter() - a):.0f} faces/s (to host memory, uint8)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--hz", type=float, default=60)
    parser.add_argument("--size", default="1920x1080", help="display size WxH")
    parser.add_argument("--threads", type=int, default=1, help="torch threads for the GAN figures")
    parser.add_argument("--skip-playback", action="store_true")
    parser.add_argument("--skip-gan", action="store_true")
    args = parser.parse_args()
    if not args.skip_playback:
        w, h = (int(v) for v in args.size.lower().split("x"))
        playback(args.seconds, args.hz, (w, h))
    if not args.skip_gan:
        gan(args.threads)
        stylegan_live()


if __name__ == "__main__":
    main()
