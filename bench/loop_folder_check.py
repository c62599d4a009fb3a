"""What `bayard check` costs on a loop folder of thousands of pictures (scenes/loop_check.py):
the time of the loop kind's check on a folder of N camera-sized JPEGs, decoding the first
FOLDER_DECODED and judging the rest by their headers and endings, and what decoding every
one would cost (FOLDER_DECODED raised past N), for comparison.

    python bench/loop_folder_check.py [--files 2000] [--side 1600]

The pictures are made in a temporary folder: photograph-like (blurred noise) JPEGs, quality
90, 4:3, `side` px on the long side; one in a hundred cut short.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def made_jpeg(side: int) -> bytes:
    """A smooth made picture `side` px wide, 4:3, as a JPEG's bytes (quiz_folder_check.py uses it too)."""
    import cv2

    rng = np.random.default_rng(1)
    small = rng.integers(0, 255, (side * 3 // 4 // 8, side // 8, 3), dtype=np.uint8)
    picture = cv2.resize(small, (side, side * 3 // 4), interpolation=cv2.INTER_CUBIC)
    return cv2.imencode(".jpg", picture, [cv2.IMWRITE_JPEG_QUALITY, 90])[1].tobytes()


def _make(folder: Path, files: int, side: int) -> None:
    data = made_jpeg(side)
    for index in range(files):
        cut = index % 100 == 99
        (folder / f"face-{index:05d}.jpg").write_bytes(data[: len(data) // 2] if cut else data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--side", type=int, default=1600)
    args = parser.parse_args()
    from installation.config.loader import load_show
    from installation.scenes import loop_check

    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        (root / "scenes").mkdir()
        (root / "content" / "img").mkdir(parents=True)
        (root / "install.toml").write_text('[show]\ntitle = "bench"\nplaylist = ["loopy"]\n', encoding="utf-8")
        (root / "scenes" / "loopy.toml").write_text(textwrap.dedent("""
            type = "loop"
            id = "loopy"
            folder = "img/*"
            """), encoding="utf-8")
        _make(root / "content" / "img", args.files, args.side)
        show = load_show(root / "install.toml")
        config = show.scenes["loopy"]
        for label, decoded in (("bounded", loop_check.FOLDER_DECODED), ("every file decoded", args.files)):
            loop_check.FOLDER_DECODED = decoded
            start = time.perf_counter()
            problems = loop_check.check_loop_folder(config, show)
            took = time.perf_counter() - start
            found = sum("cannot be decoded" in p.message for p in problems)
            print(f"{label:>20}: {took:6.2f} s for {args.files} files ({found} cut short named one by one, "
                  f"{len(problems)} lines)")


if __name__ == "__main__":
    main()
