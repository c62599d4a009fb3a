"""What each new portrait result costs the render loop, on a 1080p and a 4K screen.

    OMP_NUM_THREADS=1 .venv/bin/python bench/portrait_draw.py [--frames 90] [--pairs 3]

The portrait scene plays the house sitter (no camera: attract mode, a new result every
frame) with the animator stepped in lock-step. For each screen size it alternates, in one
process, the draw as it was before (each result cropped, resized and copied into a surface
on the render loop) with the draw as it is (the worker hands over the result at the box's
size; the render loop wraps it without a copy), and prints per new result: the render
loop's time in the portrait's surface, and the worker's time per result and the part of it
spent fitting the result to the box (where the resize went). bench/portrait.py --only live
prints camera-to-screen latency.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import textwrap
import time
import types
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import installation.scenes.portrait  # noqa: E402,F401  (registers the kind)
from installation.harness import run_test  # noqa: E402
from installation.imaging import surface_from_rgb  # noqa: E402
from installation.scenes.layout import hung_in  # noqa: E402

SIZES = ((1920, 1080), (3840, 2160))


def before(self, box, column, screen):
    """portrait_draw._portrait_surface as it was (commit before portrait-scene-cost)."""
    entry = self.entries[self.index]
    r = self.worker.latest() if self.worker is not None else None
    image = self._view(r.image if r is not None else entry.image, box)
    h, w = image.shape[:2]
    scale = min(box.width / w, box.height / h)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    key = (id(r), size, screen)
    if key != self._surface_key:
        import cv2

        interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
        self._surface = surface_from_rgb(cv2.resize(image, size, interpolation=interp))
        self._surface_key = key
    return self._surface, hung_in(box, self._surface.get_size())


def show_file(folder: Path, size: tuple[int, int]) -> Path:
    (folder / "scenes").mkdir(parents=True, exist_ok=True)
    (folder / "scenes" / "p.toml").write_text('type = "portrait"\nid = "p"\nduration = 600\n', encoding="utf-8")
    path = folder / "install.toml"
    path.write_text(textwrap.dedent(f"""
        [show]
        title = "Bench"
        playlist = ["p"]
        [display]
        size = [{size[0]}, {size[1]}]
        fullscreen = false
        [camera]
        file = "no-such-camera.mp4"
        """), encoding="utf-8")
    return path


def timed(spent: list[float], method):
    def run(*args, **kwargs):
        t = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - t)
    return run


def measure(size: tuple[int, int], frames: int, pairs: int) -> None:
    with tempfile.TemporaryDirectory() as folder, \
            run_test(show_file(Path(folder), size), fps=30, services={"synchronous_models": True}) as pilot:
        pilot.advance(1.0)
        scene = pilot.engine.sequencer.current.scene
        new_surface, poll, fit = scene._portrait_surface, scene.worker.poll, scene.worker._shown
        figures: dict[str, tuple[list[float], ...]] = {"before": ([], [], []), "now": ([], [], [])}
        for pair in range(pairs):
            for name in (("before", "now") if pair % 2 == 0 else ("now", "before")):
                drawing, working, fitting = figures[name]
                surface = types.MethodType(before, scene) if name == "before" else new_surface
                scene._portrait_surface = timed(drawing, surface)
                scene.worker.poll = timed(working, poll)
                scene.worker._shown = timed(fitting, fit)
                scene.worker.showing = None  # before: the worker was never told how results are shown
                pilot.step()  # (now: the first draw tells it; its result is left out below)
                del drawing[-1:], working[-1:], fitting[-1:]
                for _ in range(frames):
                    pilot.step()
        box = scene._surface.get_size()
        print(f"\n{size[0]}x{size[1]}: portrait {box[0]}x{box[1]} px from "
              f"{scene.worker.latest().image.shape[1]}x{scene.worker.latest().image.shape[0]}, "
              f"{frames} results x {pairs} per variant")
        for name, (drawing, working, fitting) in figures.items():
            d, w, f = (np.array(x) * 1e3 for x in (drawing, working, fitting))
            print(f"  {name:<7} render loop per result: mean {d.mean():6.2f} ms  p50 {statistics.median(d):6.2f}"
                  f"  max {d.max():6.2f}   worker per result: mean {w.mean():6.2f} ms, of it fitting to the box"
                  f" {f.mean():5.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--frames", type=int, default=90, help="results per variant and pair (default 90)")
    parser.add_argument("--pairs", type=int, default=3, help="before/now pairs, alternated (default 3)")
    args = parser.parse_args()
    for size in SIZES:
        measure(size, args.frames, args.pairs)


if __name__ == "__main__":
    main()
