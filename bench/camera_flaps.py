"""How many log lines a camera that comes and goes writes in an hour (a loose cable, a hub
that drops the camera every few seconds).

    OMP_NUM_THREADS=1 SDL_VIDEODRIVER=dummy .venv/bin/python bench/camera_flaps.py [minutes] [down_s] [up_s]

A one-portrait show on the harness's injected clock (one frame a second, so an hour takes a
few minutes here, not an hour), its camera failing for `down_s` and live for `up_s` in turn,
then left live for two minutes: prints the lines the show's loggers wrote, by kind (the
camera said failing, still failing, mended, other), and the first few of each. Figures, not a
test: run it before and after a change to what the log says of a standing condition.
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from pathlib import Path
from tempfile import TemporaryDirectory

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # (this clone's installation, not the venv's)

import installation.scenes.portrait  # noqa: E402,F401  (registers the kind)
from installation.harness import run_test  # noqa: E402

REASON = "no camera at /dev/v4l/by-id/usb-Loose_Camera-video-index0 (unplugged?)"
SCENE = 'type = "portrait"\nid = "p"\nduration = 6000\ncard_seconds = 1.0\ncountdown = 1\n'
SHOW = ('[show]\ntitle = "Flaps"\nplaylist = ["p"]\n\n[display]\nsize = [320, 180]\nfullscreen = false\n\n'
        '[transitions]\ndefault = { kind = "crossfade", duration = 1.0 }\n')


class LooseCamera:
    """A camera service that the bench fails and brings back; `reconnects` counts its failed opens."""

    source = "/dev/v4l/by-id/usb-Loose_Camera-video-index0"
    rotation = 0

    def __init__(self) -> None:
        self.state, self.reason, self.reconnects = "unavailable", REASON, 0

    def latest(self):
        return None

    def wait_new(self, after_index, timeout):
        return None


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.said: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.said.append(record.getMessage())


def kind(line: str) -> str:
    if "still failing" in line:
        return "still failing"
    if "mended after" in line:
        return "mended"
    if REASON in line:
        return "failing"
    return "other"


def main() -> None:
    minutes = float(sys.argv[1]) if len(sys.argv) > 1 else 60.0
    down_s = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    up_s = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    camera, lines = LooseCamera(), Lines()
    logger = logging.getLogger("bayard")
    level = logger.level
    logger.addHandler(lines)
    logger.setLevel(logging.INFO)
    try:
        with TemporaryDirectory() as folder:
            root = Path(folder)
            (root / "scenes").mkdir()
            (root / "content").mkdir()
            (root / "scenes" / "p.toml").write_text(SCENE)
            (root / "install.toml").write_text(SHOW)
            with run_test(root / "install.toml", fps=1,
                          services={"synchronous_models": True, "camera": camera}) as pilot:
                for second in range(int(minutes * 60)):
                    down = second % (down_s + up_s) < down_s
                    camera.state, camera.reason = ("unavailable", REASON) if down else ("live", "")
                    camera.reconnects += down
                    pilot.advance(1.0)
                flapping = len(lines.said)
                camera.state, camera.reason = "live", ""
                pilot.advance(120.0)
    finally:
        logger.removeHandler(lines)
        logger.setLevel(level)
    counts = Counter(kind(line) for line in lines.said)
    print(f"camera down {down_s} s, up {up_s} s, for {minutes:g} min; then live 2 min")
    print(f"lines while it came and went: {flapping}; in all: {len(lines.said)}")
    for name in ("failing", "still failing", "mended", "other"):
        print(f"  {name:14} {counts[name]}")
    import installation
    print(f"(installation from {Path(installation.__file__).parent})")
    for name in ("failing", "still failing", "mended"):
        for line in [line for line in lines.said if kind(line) == name][:3]:
            print(f"    {line[:200]}")


if __name__ == "__main__":
    main()
