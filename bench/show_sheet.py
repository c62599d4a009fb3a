"""A contact sheet of the default show as a visitor sees it (docs/images/default-show.png).

    .venv/bin/python bench/show_sheet.py [--size 1280x720] [--at 10 25 ...] [--out FILE] [--state FOLDER]

Renders the show as `bayard render` does (the dummy video driver, no camera: the portrait
stirs by itself, as it does in a gallery before anyone stands in front of it) one frame a
second, and tiles the frames at the given show seconds, three to a row. The default
seconds fall inside each scene of the default playlist; for another show, pass --at.

The show's state (the quiz's kept pictures and verdicts) goes to --state, by default a
temporary folder, never the show's own [show] state: rendered through `bayard render`, the
sheet wrote the default show's var/ in the checkout, which a kiosk reads as its gallery's
own, and the tests run beside it failed at teardown (tests/conftest.py,
checkout_state_untouched).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import cv2
import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
# title card; the photograph (its stand-in) as its story is told, and its verso; two
# composite faces; the portrait without a camera, twice; the quiz's start card
DEFAULT_AT = (10, 25, 40, 55, 80, 95, 150, 185, 235)


def render(show_file: Path, video: Path, seconds: int, size: str, state: Path) -> None:
    """The show's first `seconds` at one frame a second into `video`, its state in `state`.
    Exits 1 with the faults listed where the fault boundary caught any: the show goes on past a
    failing scene, so its sheet looked fine (a stand-in or the next scene in the tile) and went
    into the docs. Rendered in-process, the faults were only log lines among the render's."""
    from installation.config.loader import load_show
    from installation.faults import FaultRecorder
    from installation.render import render_video

    w, h = (int(v) for v in size.split("x"))
    show = load_show(show_file, folders={"state": str(state)})
    with FaultRecorder() as recorder:
        render_video(show, video, seconds, 1.0, (w, h), progress=False)
    if recorder.faults:
        sys.exit(f"show_sheet: {len(recorder.faults)} fault(s) caught while rendering {show_file}; no sheet "
                 f"written (its tiles would show what the show does then):\n{recorder.summary()}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", type=Path, default=REPO / "install.toml")
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--at", type=int, nargs="+", default=list(DEFAULT_AT), help="show seconds to tile")
    parser.add_argument("--out", type=Path, default=REPO / "docs/images/default-show.png")
    parser.add_argument("--state", type=Path, default=None,
                        help="the show's state folder for the render (default: a temporary one)")
    args = parser.parse_args(argv)
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    with tempfile.TemporaryDirectory() as tmp:
        video = Path(tmp) / "show.mp4"
        render(args.show, video, max(args.at) + 1, args.size, args.state or Path(tmp) / "state")
        capture = cv2.VideoCapture(str(video))
        frames = []
        while True:
            ok, frame = capture.read()
            if not ok:
                break
            frames.append(frame)
    missing = [t for t in args.at if t >= len(frames)]
    if missing:
        sys.exit(f"show_sheet: the render has {len(frames)} s; no frame at {missing}")
    width = 576  # three tiles to a row fit the docs' page at a readable size
    tiles = [cv2.resize(frames[t], (width, width * frames[t].shape[0] // frames[t].shape[1]),
                        interpolation=cv2.INTER_AREA) for t in args.at]
    gap = 8
    h, w = tiles[0].shape[:2]
    rows = -(-len(tiles) // 3)
    sheet = np.full((rows * (h + gap) + gap, 3 * (w + gap) + gap, 3), 40, np.uint8)
    for i, tile in enumerate(tiles):
        y, x = gap + (i // 3) * (h + gap), gap + (i % 3) * (w + gap)
        sheet[y:y + h, x:x + w] = tile
    args.out.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(args.out), sheet)
    print(f"wrote {args.out}: {len(tiles)} frames at {', '.join(f'{t} s' for t in args.at)}")


if __name__ == "__main__":
    main()
