"""The drawn look's cost on large pictures: how long `hatching_smoothed` (drawn.py) and the
whole `portrait_faces` take on made faceless drawings, hatched noise 900-10000 px on the long
side. The scene, `check` and `portrait inspect` see at most 900 px; `check`'s quiz items and
the detector's corpus tools see pictures whole.

    python bench/drawn_look_speed.py [--sides 900 4000 10000]

Asserts nothing; prints seconds per picture (the best of --repeat runs).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("OMP_NUM_THREADS", "1")

from installation.models.face import FaceStack, portrait_faces  # noqa: E402
from installation.models.face.drawn import drawn_in_strokes, hatching_smoothed  # noqa: E402


def hatched_noise(width: int, height: int, seed: int = 0) -> np.ndarray:
    """Soft blotches drawn in diagonal strokes (18 px apart at 900 px, 80 at 4000:
    4 px apart at 256 px, where drawn.py measures strokes): a drawing in strokes with no face."""
    noise = np.random.default_rng(seed).random((height, width)).astype(np.float32)
    tone = cv2.GaussianBlur(noise, (0, 0), max(width, height) / 30)
    tone = (tone - tone.min()) / max(float(np.ptp(tone)), 1e-6)
    ys, xs = np.mgrid[:height, :width]
    step = max(5, max(width, height) // 50)
    strokes = (tone < 0.6) & ((xs + ys) % step < 0.3 * step) | (tone < 0.3) & ((xs - ys) % step < 0.3 * step)
    return cv2.cvtColor(np.where(strokes, 40, 250).astype(np.uint8), cv2.COLOR_GRAY2RGB)


def best_of(repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sides", type=int, nargs="+", default=[900, 2000, 4000, 10000])
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    stack = FaceStack.open()
    print(f"{'picture':<14}{'drawn':>7}{'blur s':>9}{'faces s':>9}")
    for side in args.sides:
        picture = hatched_noise(side, max(64, side * 3 // 4) if side <= 4000 else side // 10)
        blur = best_of(args.repeat, lambda p=picture: hatching_smoothed(p))
        whole = best_of(args.repeat, lambda p=picture: portrait_faces(p, stack))
        print(f"{picture.shape[1]}x{picture.shape[0]:<8}{drawn_in_strokes(picture)!s:>7}{blur:9.2f}{whole:9.2f}")


if __name__ == "__main__":
    main()
