"""What the render thread pays while a loop looks at its folder again (every RESCAN_S): a loop
of `--files` pictures on a fake slow stick (each entry's look at whether it is a file or a folder
takes `--stat-ms`), and on a fake hung stick (its folder's listing held `--hang-s`, bounded here
only so the code before the fix ends). The loop is live (no waiting decoder) on a FakeClock
stepped 1/30 s a frame; each frame's update is timed with perf_counter.

    python bench/loop_rescan.py [--files 5000] [--stat-ms 2] [--hang-s 8] [--seconds 30]

To compare with the code before the fix, run this file from a checkout of it with
PYTHONPATH pointing there.
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

if "PYTHONPATH" not in os.environ:  # (set: the checkout it names is measured, e.g. the code before a fix)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
FPS = 30


class _SlowEntry:
    """A directory entry whose type takes `delay` seconds to learn (a stat on a slow stick)."""

    def __init__(self, entry: os.DirEntry, delay: float) -> None:
        self._entry, self._delay, self.name = entry, delay, entry.name

    def is_file(self) -> bool:
        time.sleep(self._delay)
        return self._entry.is_file()

    def is_dir(self) -> bool:
        time.sleep(self._delay)
        return self._entry.is_dir()


class FakeStick:
    """os.scandir under `folder` made slow (`stat_s` an entry) or held (`hang` set, up to `hang_s`)."""

    def __init__(self, folder: Path, stat_s: float = 0.0, hang_s: float = 0.0) -> None:
        self.folder, self.stat_s, self.hang_s = os.fspath(folder), stat_s, hang_s
        self.on = False
        self._real = os.scandir

    def scandir(self, path="."):
        listing = self._real(path)
        if not (self.on and os.fspath(path).startswith(self.folder)):
            return listing
        if self.hang_s:
            time.sleep(self.hang_s)  # (the kernel holding the listing; bounded only so the run ends)
        with listing as entries:
            return _Listing([_SlowEntry(e, self.stat_s) for e in entries])


class _Listing(list):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _content(root: Path, files: int) -> Path:
    import cv2
    import numpy as np

    faces = root / "content" / "faces"
    faces.mkdir(parents=True)
    first = faces / "f00000.png"
    cv2.imwrite(str(first), np.full((120, 120, 3), 128, np.uint8))
    for number in range(1, files):
        os.link(first, faces / f"f{number:05d}.png")  # (the same tiny picture: only the listing matters)
    return faces


def run(label: str, files: int, seconds: float, stat_s: float, hang_s: float) -> None:
    import pygame

    from installation.clock import FakeClock
    from installation.scenes.base import SceneContext
    from installation.scenes.loop import LoopConfig, LoopScene

    pygame.init()
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        faces = _content(root, files)
        stick = FakeStick(faces, stat_s, hang_s)
        os.scandir = stick.scandir
        try:
            context = SceneContext(clock=FakeClock(), size=(640, 360), content_root=root / "content",
                                   state_dir=root, fonts=None, deterministic=False)
            scene = LoopScene(LoopConfig(type="loop", id="faces", folder="faces/*", item_duration=3), context)
            scene.prepare()  # (the first look, on a quick stick: the slow or hung one comes after)
            scene.enter()
            stick.on = True
            os.link(faces / "f00000.png", faces / "new.png")  # copied in as the loop plays
            times, joined = [], None
            for frame in range(int(seconds * FPS)):
                start = time.perf_counter()
                scene.update(1 / FPS)
                took = time.perf_counter() - start
                times.append(took)
                if joined is None and len(scene.items) > files:
                    joined = (frame + 1) / FPS
                time.sleep(max(0.0, 1 / FPS - took))  # (paced as a show is by its vsync)
            scene.exit()
        finally:
            os.scandir = stick._real
    ms = sorted(t * 1000 for t in times)
    late = sum(t > 1 / FPS for t in times)
    p99 = ms[int(len(ms) * 0.99)]
    print(f"{label:<28} frames {len(ms):5d}  median {statistics.median(ms):6.2f} ms  p99 {p99:8.2f} ms"
          f"  worst {ms[-1]:9.1f} ms  over 33 ms: {late}  new file joined at: "
          f"{'never' if joined is None else f'{joined:.1f} s'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--stat-ms", type=float, default=2.0)
    parser.add_argument("--hang-s", type=float, default=8.0)
    parser.add_argument("--seconds", type=float, default=30.0, help="show time played (RESCAN_S is 10 s)")
    args = parser.parse_args()
    print(f"{threading.active_count()} threads at start; {args.files} files; {args.seconds:g} s of show at {FPS} fps")
    run(f"slow stick ({args.stat_ms:g} ms a stat)", args.files, args.seconds, args.stat_ms / 1000, 0.0)
    run(f"hung stick (held {args.hang_s:g} s)", args.files, args.seconds, 0.0, args.hang_s)


if __name__ == "__main__":
    main()
