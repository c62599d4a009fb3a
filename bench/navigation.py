"""Navigation bursts on the real show: how long frames are held, how fast status answers.

    .venv/bin/python bench/navigation.py             # the default show at 1920x1080
    .venv/bin/python bench/navigation.py --size 960x540

Plays install.toml headless as a kiosk does (scenes readied on the worker, the real
clock) and sends, the way OSC delivers them:
  - 100 x next in one frame, then 100 alternating gotos in one frame;
  - 100 x next and 100 alternating gotos arriving one per frame.
A status request goes in with every frame of the burst. Prints, per burst: the longest
frame, frames held beyond two frame budgets, status latency (post to reply: median and
worst), and how long until the burst's target scene is on screen.

Before the fix, 100 x next froze the show for 36 s and 100 alternating gotos for 87 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from installation.clock import SystemClock  # noqa: E402
from installation.commands import Command  # noqa: E402
from installation.config.loader import load_show  # noqa: E402
from installation.engine import Engine, init_pygame  # noqa: E402
from installation.faults import FaultRecorder  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def burst(engine: Engine, fps: float, commands: list[Command], per_frame: bool, target: str) -> dict:
    budget = 1.0 / fps
    frame_s: list[float] = []
    latency: list[float] = []
    asked: list[float] = []

    def answered(address, args) -> None:
        latency.append(time.perf_counter() - asked.pop(0))

    started = time.perf_counter()
    queue = list(commands)
    shown_at = None
    for _ in range(int(60 * fps)):  # at most a minute
        tick = time.perf_counter()
        if queue:
            for command in (queue[:1] if per_frame else queue):
                engine.post(command)
            queue = queue[1:] if per_frame else []
        asked.append(time.perf_counter())
        engine.post(Command("status", source="osc", reply=answered))
        engine.step()
        frame_s.append(time.perf_counter() - tick)
        current = engine.sequencer.current
        if not queue and current is not None and current.scene_id == target and engine.sequencer.pending is None:
            shown_at = time.perf_counter() - started
            break
        spare = budget - (time.perf_counter() - tick)
        if spare > 0:
            time.sleep(spare)
    return {
        "frames": len(frame_s),
        "longest_frame_ms": 1000 * max(frame_s),
        "held": sum(1 for s in frame_s if s > 2 * budget),
        "status_median_ms": 1000 * statistics.median(latency) if latency else float("nan"),
        "status_worst_ms": 1000 * max(latency) if latency else float("nan"),
        "target_after_s": shown_at,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", default=str(REPO / "install.toml"))
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--fps", type=float, default=30.0)
    args = parser.parse_args()
    init_pygame(headless=True)
    show = load_show(args.show)
    show.set_display(size=tuple(int(v) for v in args.size.split("x")))
    playlist = show.playlist
    with FaultRecorder() as recorder:
        engine = Engine(show, SystemClock())
        for _ in range(int(2 * args.fps)):  # settle on the first scene
            engine.step()
            time.sleep(1 / args.fps)
        print(f"{len(playlist)} scenes at {args.size}, {args.fps:g} fps (frame budget {1000 / args.fps:.0f} ms)")
        print(f"{'burst':<34} {'frames':>6} {'longest':>9} {'held':>5} {'status med':>11} "
              f"{'worst':>8} {'on screen':>10}")
        for per_frame in (False, True):
            for kind in ("next", "goto"):
                start = playlist.index(engine.sequencer.current.scene_id)
                if kind == "next":
                    commands = [Command("next", source="osc") for _ in range(100)]
                    target = playlist[(start + 100) % len(playlist)]
                else:
                    a, b = playlist[1], playlist[-1]
                    commands = [Command("goto", (a if i % 2 == 0 else b,), source="osc") for i in range(100)]
                    target = b
                r = burst(engine, args.fps, commands, per_frame, target)
                label = f"100 x {kind}{' alternating' if kind == 'goto' else ''}, " + (
                    "one a frame" if per_frame else "in one frame")
                after = f"{r['target_after_s']:.2f} s" if r["target_after_s"] is not None else "never"
                print(f"{label:<34} {r['frames']:>6} {r['longest_frame_ms']:>7.0f}ms {r['held']:>5} "
                      f"{r['status_median_ms']:>9.0f}ms {r['status_worst_ms']:>6.0f}ms {after:>10}")
        engine.shutdown()
    print(f"faults recorded: {len(recorder.faults)} (must be 0)")
    if recorder.faults:
        print(recorder.summary())
    return 1 if recorder.faults else 0


if __name__ == "__main__":
    sys.exit(main())
