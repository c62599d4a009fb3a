"""Frame times of a live show while a curator saves edits and the show folder lies on a USB stick
that is slow to answer: the first look at the folder after each edit waits `--slow-s` (a stick
waking, or the kernel retrying a failing read) before it answers. Each frame's step() is timed
in real time, paced at `--fps`; the frames around the edits are what a visitor would see.

    python bench/stick_reload_frames.py [--edits 5] [--slow-s 2] [--fps 30] [--every-s 3]

Prints the median, 99th percentile and longest frame after the first, and the frames over 100 ms (a hitch a
visitor sees), with how many of the edits had landed by the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from installation.clock import FakeClock  # noqa: E402
from installation.commands import Command  # noqa: E402
from installation.config.loader import load_show  # noqa: E402
from installation.engine import Engine, init_pygame  # noqa: E402

HITCH_S = 0.1

SHOW = """[show]
title = "Edit 0"
playlist = ["opening", "closing"]

[display]
size = [640, 360]
fullscreen = false
"""
TITLE = 'type = "title"\nid = "{id}"\nduration = 30\nheading = "Hello"\n'


def make_show(root: Path) -> Path:
    (root / "scenes").mkdir(parents=True)
    (root / "content").mkdir()
    for scene in ("opening", "closing"):
        (root / "scenes" / f"{scene}.toml").write_text(TITLE.format(id=scene), encoding="utf-8")
    path = root / "install.toml"
    path.write_text(SHOW, encoding="utf-8")
    return path


def slow_stick(folder: Path, slow_s: float) -> threading.Event:
    """os.stat under `folder`: the first look after the returned event is set waits `slow_s`."""
    armed, real_stat, prefix = threading.Event(), os.stat, str(folder)

    def stat(path, *args, **kwargs):
        if armed.is_set() and os.fspath(path).startswith(prefix):
            armed.clear()
            time.sleep(slow_s)
        return real_stat(path, *args, **kwargs)

    os.stat = stat
    return armed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--slow-s", type=float, default=2.0)
    parser.add_argument("--fps", type=float, default=30.0)
    parser.add_argument("--every-s", type=float, default=3.0, help="seconds between edits")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        show_file = make_show(Path(folder))
        init_pygame(headless=True)
        clock = FakeClock()
        engine = Engine(load_show(show_file), clock)
        armed = slow_stick(Path(folder), args.slow_s)
        frame_s, steps = 1 / args.fps, []
        total = round((args.edits * args.every_s + args.slow_s + 1) * args.fps)
        every = round(args.every_s * args.fps)
        try:
            next_at = time.perf_counter()
            for n in range(total):
                if n % every == every // 2 and n // every < args.edits:
                    text = show_file.read_text(encoding="utf-8").replace(
                        f'"Edit {n // every}"', f'"Edit {n // every + 1}"')
                    show_file.write_text(text, encoding="utf-8")
                    armed.set()
                    engine.post(Command("reload", source="watch"))
                clock.advance(frame_s)
                began = time.perf_counter()
                engine.step()
                steps.append(time.perf_counter() - began)
                next_at += frame_s
                time.sleep(max(0.0, next_at - time.perf_counter()))
            title = engine.show.config.show.title
        finally:
            engine.shutdown()
    # (the first frame builds the opening scene and its type: not the edits' doing)
    hitches = [(n, round(s * 1000)) for n, s in enumerate(steps) if s > HITCH_S and n > 0]
    ms = sorted(s * 1000 for s in steps[1:])
    print(f"{len(ms)} frames, {args.edits} edits, stick slow {args.slow_s:g} s per edit")
    print(f"frame step: median {statistics.median(ms):.1f} ms, p99 {ms[int(len(ms) * 0.99)]:.1f} ms, "
          f"longest {ms[-1]:.1f} ms")
    print(f"frames after the first over {HITCH_S * 1000:.0f} ms (frame, ms): {len(hitches)} {hitches}")
    print(f"show title at the end: {title!r} (the last edit: 'Edit {args.edits}')")


if __name__ == "__main__":
    main()
