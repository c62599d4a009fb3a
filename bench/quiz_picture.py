"""What a large quiz picture costs to make ready, showing after showing: time and peak
memory of its screen copy, the way the quiz made it before (decoded whole, then shrunk) and
now (quiz_pictures.screen_copy: decoded reduced where the format allows, kept for later
showings). Each way runs in a process of its own (peak memory is the process's), the two
alternating, so a busy machine slows both alike.

    python bench/quiz_picture.py [--picture scan.jpg] [--side 640] [--rounds 2] [--showings 3]

Without --picture, a 12000x9000 JPEG (quality 90) is made in a temporary folder: a
photograph-like picture (1/f noise, enlarged, with sensor noise), not a flat colour, so
the decoder does a photograph's work.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _status_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (the peak) of this process, in MB. (Not getrusage's ru_maxrss:
    it carries over the peak of the process that started this one.)"""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def one(way: str, picture: Path, side: int, showings: int) -> dict:
    """Make the screen copy `showings` times, as a scene built anew at each showing does."""
    from installation.imaging import read_rgb
    from installation.scenes import quiz_draw
    from installation.scenes.quiz_pictures import screen_copy

    before = _status_mb("VmRSS")
    times = []
    for _ in range(showings):
        started = time.perf_counter()
        if way == "before":
            image = read_rgb(picture)
            copy = quiz_draw.square_crop(image, min(side, *image.shape[:2]))
            del image
        else:
            copy = screen_copy(picture, side).image
        times.append(time.perf_counter() - started)
    peak = _status_mb("VmHWM")
    return {"way": way, "first_s": times[0], "later_s": times[1:], "peak_mb": peak - before, "side": copy.shape[0]}


def make_picture(path: Path) -> None:
    import cv2

    from tests.detector_fixtures import natural

    base = natural(np.random.default_rng(5), 1024)
    big = cv2.resize(base, (12000, 9000), interpolation=cv2.INTER_CUBIC)
    big += np.random.default_rng(6).integers(0, 6, big.shape, dtype=np.uint8)  # sensor noise
    cv2.imwrite(str(path), big[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, 90])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--picture", type=Path)
    parser.add_argument("--side", type=int, default=640, help="the screen copy's side (the quiz's least)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--showings", type=int, default=3)
    parser.add_argument("--one", choices=("before", "now"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.picture, args.side, args.showings)))
        return
    with tempfile.TemporaryDirectory() as folder:
        picture = args.picture
        if picture is None:
            picture = Path(folder) / "scan.jpg"
            make_picture(picture)
        print(f"{picture} ({picture.stat().st_size / 1e6:.1f} MB), copy {args.side} px, {args.showings} showings")
        for _ in range(args.rounds):
            for way in ("before", "now"):
                out = subprocess.run([sys.executable, __file__, "--one", way, "--picture", str(picture), "--side",
                                      str(args.side), "--showings", str(args.showings)],
                                     capture_output=True, text=True, check=True).stdout
                r = json.loads(out.strip().splitlines()[-1])
                later = ", ".join(f"{t:.3f}" for t in r["later_s"])
                print(f"  {way:<6} first showing {r['first_s']:.2f} s, later [{later}] s, "
                      f"peak +{r['peak_mb']:.0f} MB, copy {r['side']} px")


if __name__ == "__main__":
    main()
