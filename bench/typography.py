"""Kiosk type over the whole default loop at four screen sizes: every frame, every box.

For each size it renders one full loop of the show (10 frames per second of show time)
with the typography layer's text log on (installation/textlog.py), and prints the
frames and text boxes checked, the smallest cap height per tier as a fraction of the
minimum, the lowest contrast, and counts of overlaps, text off the screen and errors.
`--longer 1.35` first lengthens every visitor text in the scene files by 35% (room for
a translation) and runs the same checks.

    python bench/typography.py [--show install.toml] [--sizes 1280x720,1920x1080,1080x1920,3840x2160]
                               [--longer 1.35] [--seconds N]
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

# Keys of scene files that hold words visitors read (lengthened by --longer).
VISITOR_KEYS = {"heading", "subheading", "body", "footer", "text", "translation", "attribution", "caption",
                "credit", "about", "about_no_camera", "standin", "card", "reveal"}
FILLER = ["and", "more", "words", "of", "a", "longer", "language"]


def lengthen(model, factor: float) -> None:
    """Make every visitor string in a scene config `factor` times as long, in place."""
    from pydantic import BaseModel

    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, str) and name in VISITOR_KEYS and value.strip():
            extra, words = round(len(value) * (factor - 1)), []
            while len(" ".join(words)) < extra:
                words.append(FILLER[len(words) % len(FILLER)])
            object.__setattr__(model, name, value.rstrip() + " " + " ".join(words))
        elif isinstance(value, BaseModel):
            lengthen(value, factor)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, BaseModel):
                    lengthen(item, factor)


def run(show_path: str, size: tuple[int, int], seconds: float | None, longer: float) -> dict:
    from installation.config.loader import load_show
    from installation.harness import run_test
    from installation.textlog import MIN_CAP, problems, type_side

    show = load_show(show_path)
    if longer > 1:
        for config in show.scenes.values():
            lengthen(config, longer)
    total = seconds or sum(show.scenes[s].duration or 30 for s in show.playlist) + 2 * len(show.playlist)
    errors: list[str] = []

    class Catch(logging.Handler):
        def emit(self, record):
            if record.levelno >= logging.ERROR:
                errors.append(record.getMessage())

    handler = Catch()
    logging.getLogger().addHandler(handler)
    out = {"frames": 0, "boxes": 0, "cap": {t: 9.0 for t in MIN_CAP}, "contrast": 99.0, "problems": {}}
    try:
        with run_test(show, size=size, fps=10) as pilot:
            pilot.engine.fonts.log.recording = True
            for _ in range(round(total * 10)):
                pilot.step()
                boxes = [b for b in pilot.engine.fonts.log.boxes if b.tier != "operator" and b.alpha > 0.02]
                out["frames"] += 1
                out["boxes"] += len(boxes)
                for box in boxes:
                    ratio = box.cap / (MIN_CAP[box.tier] * type_side(box.bounds))
                    out["cap"][box.tier] = min(out["cap"][box.tier], ratio)
                    if box.contrast is not None and box.tier != "staff":  # (staff text is dim on purpose)
                        out["contrast"] = min(out["contrast"], box.contrast)
                for problem in problems(boxes):
                    kind = problem.split(":")[0] if "overlaps" not in problem else "overlap"
                    kind = "off screen" if "off the screen" in problem else kind
                    out["problems"].setdefault(kind, set()).add(problem)
    finally:
        logging.getLogger().removeHandler(handler)
    out["errors"] = errors
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show", default=str(REPO / "install.toml"), help="show file (default: the default show)")
    parser.add_argument("--sizes", default="1280x720,1920x1080,1080x1920,3840x2160",
                        help="screen sizes WxH, comma-separated (default: the four kiosk sizes)")
    parser.add_argument("--longer", type=float, default=1.0, help="lengthen visitor texts by this factor (default 1)")
    parser.add_argument("--seconds", type=float, default=None, help="show seconds per size (default: one loop)")
    args = parser.parse_args()
    failed = False
    print(f"{'size':>10} {'frames':>6} {'boxes':>7} {'body cap/min':>12} {'small cap/min':>13} "
          f"{'min contrast':>12} {'problems':>8} {'errors':>6}")
    for spec in args.sizes.split(","):
        size = tuple(int(v) for v in spec.lower().split("x"))
        r = run(args.show, size, args.seconds, args.longer)
        count = sum(len(v) for v in r["problems"].values())
        failed |= bool(count or r["errors"])
        print(f"{spec:>10} {r['frames']:>6} {r['boxes']:>7} {r['cap']['body']:>12.2f} {r['cap']['small']:>13.2f} "
              f"{r['contrast']:>12.2f} {count:>8} {len(r['errors']):>6}")
        for found in r["problems"].values():
            for problem in sorted(found)[:4]:
                print(f"{'':>12}{problem}")
        for error in r["errors"][:4]:
            print(f"{'':>12}error: {error}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
