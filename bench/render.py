"""Frame times of the default show at 1920x1080, as a kiosk would play it.

Prints p50/p99/max frame time and the count of frames over 33 ms, for the engine
alone (step) and with presentation (step + blit + flip) under SDL's dummy driver,
and under Xvfb when `Xvfb` is installed. Also cold start to first frame.

    python bench/render.py [--seconds 90] [--show install.toml]

Show time advances 1/60 s per frame and frames are paced at 60 per second of wall
time, as vsync paces a kiosk (so background preparation of the next scene gets the
real time it would have); the figures are the cost of each frame alone. Crossfades
are included because the default show has them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def measure(show_path: str, seconds: float, driver: str) -> dict:
    os.environ["SDL_VIDEODRIVER"] = driver
    t0 = time.perf_counter()
    from installation.app import Presenter, pump_events
    from installation.clock import FakeClock
    from installation.config.loader import load_show
    from installation.engine import Engine, init_pygame

    show = load_show(show_path)
    init_pygame(headless=driver == "dummy")
    # Under Xvfb the kiosk configuration: fullscreen at the show's own size, no scaling.
    presenter = Presenter(show, fullscreen=driver != "dummy", headless=driver == "dummy")
    clock = FakeClock()  # stepped by the real elapsed time of each frame, at 60 fps pacing
    engine = Engine(show, clock, synchronous_prepare=False)
    presenter.adopt(engine)
    engine.step()
    presenter.present(engine.frame)
    cold = time.perf_counter() - t0
    step_times, frame_times = [], []
    frames = round(seconds * 60)
    next_due = time.perf_counter()
    for _ in range(frames):
        clock.advance(1 / 60)  # show time advances at the display rate, as with vsync
        next_due += 1 / 60
        start = time.perf_counter()
        pump_events(engine, presenter)
        engine.step()
        mid = time.perf_counter()
        presenter.present(engine.frame)
        end = time.perf_counter()
        step_times.append(mid - start)
        frame_times.append(end - start)
        spare = next_due - time.perf_counter()
        if spare > 0:
            time.sleep(spare)
        else:
            next_due = time.perf_counter()  # a late frame does not make the next ones rush
    engine.shutdown()
    return {"cold": cold, "step": step_times, "frame": frame_times, "frames": frames}


def report(label: str, result: dict) -> None:
    for kind in ("step", "frame"):
        values = [v * 1000 for v in result[kind]]
        print(f"{label:<10} {kind:<6} p50 {percentile(values, 50):6.2f} ms   p99 {percentile(values, 99):6.2f} ms   "
              f"max {max(values):6.2f} ms   over 33 ms: {sum(v > 33.0 for v in values)} of {len(values)}")
    print(f"{label:<10} cold start to first frame: {result['cold']:.2f} s")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=90.0, help="show time to play (default covers a loop)")
    parser.add_argument("--show", default=str(REPO / "install.toml"))
    parser.add_argument("--driver", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.driver:  # a child run for one driver, so each starts cold in its own process
        result = measure(args.show, args.seconds, args.driver)
        report(args.driver if args.driver == "dummy" else "xvfb", result)
        return 0
    print(f"default show at 1920x1080, {args.seconds:g} s of show time at 60 fps pacing")
    subprocess.run([sys.executable, __file__, "--seconds", str(args.seconds), "--show", args.show,
                    "--driver", "dummy"], check=True)
    if shutil.which("Xvfb"):
        display = ":97"
        xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(1.0)
            env = dict(os.environ, DISPLAY=display)
            subprocess.run([sys.executable, __file__, "--seconds", str(args.seconds), "--show", args.show,
                            "--driver", "x11"], check=True, env=env)
        finally:
            xvfb.terminate()
    else:
        print("xvfb       not installed (apt-get install xvfb) - skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
