"""Measure the live portrait path: each available motion backend driven by the shared
face videos played as a 640x480 camera, with a 60 fps render loop beside it.

Prints per backend and video: results per second, motion-to-photon latency (camera
capture timestamp -> result ready, and -> the render tick that shows it) p50/p99, and the
render loop's frame interval p50/p99 (it must stay at ~16.7 ms whatever the model does).

    .venv/bin/python bench/portrait.py [--seconds 10] [--backend flow] [--portrait FILE]

Needs ../shared/data (or BAYARD_SHARED_DATA); nothing is written anywhere.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from installation.inputs.camera import Camera  # noqa: E402
from installation.models.motion.base import MOTION_BACKENDS  # noqa: E402
from installation.models.motion.choose import choose_backend  # noqa: E402
from installation.models.motion.pipeline import AnimatorWorker, PortraitAnimator  # noqa: E402

SHARED = Path(os.environ.get("BAYARD_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
VIDEOS = ["driver-expressions-12s.mp4", "driver-faces-34s.mp4", "driver-smile-3s.mp4"]


def pct(values, q):
    return float(np.percentile(values, q)) * 1000 if values else float("nan")


def run_one(backend_name: str, portrait: np.ndarray, video: Path, seconds: float, display) -> dict:
    backend = MOTION_BACKENDS.get(backend_name)()
    animator = PortraitAnimator(backend, portrait)
    camera = Camera(video, size=(640, 480)).start()
    worker = AnimatorWorker(animator, camera).start()
    worker.mode = "live"
    worker.request_calibration()
    worker.calibrated.wait(5.0)
    period = 1 / 60
    ready_lat, shown_lat, intervals = [], [], []
    results, last_seen = 0, None
    start = time.monotonic()
    next_tick = start
    prev_tick = None
    while time.monotonic() - start < seconds:
        now = time.monotonic()
        if prev_tick is not None:
            intervals.append(now - prev_tick)
        prev_tick = now
        r = worker.latest()
        if r is not None and r is not last_seen and r.camera_t is not None and r.mode == "live":
            last_seen = r
            results += 1
            ready_lat.append(r.ready_t - r.camera_t)
            display(r.image)  # what the scene's draw does with a new result
            shown_lat.append(time.monotonic() - r.camera_t)
        next_tick += period
        sleep = next_tick - time.monotonic()
        if sleep > 0:
            time.sleep(sleep)
        else:
            next_tick = time.monotonic()
    elapsed = time.monotonic() - start
    worker.stop()
    camera.stop()
    return {
        "fps": results / elapsed,
        "ready_p50": pct(ready_lat, 50),
        "ready_p99": pct(ready_lat, 99),
        "shown_p50": pct(shown_lat, 50),
        "shown_p99": pct(shown_lat, 99),
        "tick_p50": pct(intervals, 50),
        "tick_p99": pct(intervals, 99),
        "dropped": camera.dropped,
    }


def make_display():
    """A pygame surface conversion and scale like the scene's draw, on a dummy display."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    try:
        import pygame
    except ImportError:
        return lambda image: None
    pygame.display.init()
    screen = pygame.display.set_mode((1280, 720))

    def display(image):
        surf = pygame.image.frombuffer(np.ascontiguousarray(image).tobytes(), image.shape[1::-1], "RGB")
        h = 720
        w = int(image.shape[1] * h / image.shape[0])
        screen.blit(pygame.transform.scale(surf, (w, h)), (0, 0))
        pygame.display.flip()

    return display


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--backend", action="append", help="backends to run (default: every available one)")
    ap.add_argument("--portrait", type=Path, default=SHARED / "portrait-painting.jpg")
    ap.add_argument("--models", type=Path, default=Path("models"))
    args = ap.parse_args()
    if not SHARED.exists():
        print(f"shared data not found at {SHARED}; set BAYARD_SHARED_DATA", file=sys.stderr)
        return 2
    import cv2

    portrait = cv2.cvtColor(cv2.imread(str(args.portrait)), cv2.COLOR_BGR2RGB)
    choice = choose_backend(args.models)
    names = args.backend or [n for n, a in choice.reasons.items() if a.ok]
    print(choice.summary())
    display = make_display()
    print(
        f"{'backend':10} {'video':28} {'fps':>6} {'ready p50/p99 ms':>18} {'shown p50/p99 ms':>18} "
        f"{'render tick p50/p99 ms':>23} {'dropped':>8}"
    )
    for name in names:
        for v in VIDEOS:
            r = run_one(name, portrait, SHARED / v, args.seconds, display)
            print(
                f"{name:10} {v:28} {r['fps']:6.1f} {r['ready_p50']:8.1f} / {r['ready_p99']:6.1f} "
                f"{r['shown_p50']:8.1f} / {r['shown_p99']:6.1f} {r['tick_p50']:11.1f} / {r['tick_p99']:6.1f} "
                f"{r['dropped']:8d}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
