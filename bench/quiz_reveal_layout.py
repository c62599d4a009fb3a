"""The quiz's reveal over a whole round of the default quiz, screen size by screen size: what
a visitor meets from one reveal to the next, and what an upright screen lacks for a better one.

For every reveal (both modes, the round fixed by its seed) it prints the eye tiles' side (px
and share of the width; "-" where the eyes are left out), a pair's smaller face's side, the map's, how
many characters a line of the machine's answer holds on average, and whether the round runs
that answer across the screen.
On an upright screen it also prints what the arrangement with the answer across (under the
picture and the verdict, at a comfortable measure) would leave the eyes: the tile, and how
many pixels of height each eye lacks to reach quiz_upright.FEATURE_LEAST of the width. At
1024x1280 the tiles jumped 127-220 px across a round, the answer held 13-19 characters a line,
and across it the eyes lacked about their whole tile; the picture now gives way for them
(quiz_upright.FACE_LEAST_FOR_EYES, docs/detector.md): 232 px on every reveal, 19-21 characters.

    python bench/quiz_reveal_layout.py [--sizes 1024x1280,1080x1350,1200x1600,1280x1024]
                                       [--modes single,pair] [--png FOLDER] [--words TABLE]

`--png` saves each reveal as FOLDER/WxH_mode_N.png, to look at. `--words` plays the round in a
show's own words table (docs/languages.md: the same keys, only those it changes), as a
translated show would: a longer language's sentences take lines from the eyes and the map.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _lines(box) -> int:
    """How many lines a text box of the typography log holds (a generous pitch of 1.75 caps)."""
    return 1 + round((box.baseline - box.cap_top - box.cap) / (1.75 * box.cap))


def _across(scene, side: int | None) -> tuple[int, int] | None:
    """The least tile over the round's reveals with the machine's answer across under a
    picture of `side`, and the most height an eye lacks there; None where nothing is measured."""
    from installation.scenes import quiz_draw, quiz_reveal_beside, quiz_reveal_plan, quiz_reveal_words, quiz_upright

    fonts, width = scene.context.fonts, scene.context.size[0]
    least = math.ceil(quiz_upright.FEATURE_LEAST * width)
    tiles, short = [], []
    for question in scene.round:
        for answer, record in quiz_reveal_words.answers(scene, question):
            measured = quiz_reveal_plan._measure(scene, question, answer, record, band=False)
            if not measured.eyes:
                continue
            fitted = quiz_reveal_beside.fit_beside(scene, measured, side or scene.largest_picture(), across=True)
            if fitted.moved is None:
                continue
            panel = fitted.moved["reveal_plot"]
            tiles.append(quiz_upright.tile_in(fonts, panel, measured.explanation))
            needed = least + quiz_draw.eyes_panel_least(fonts, panel.width, measured.explanation) + fonts.px(16)
            short.append(max(0, needed - panel.height))
    return (min(tiles), max(short)) if tiles else None


def run(size: tuple[int, int], mode: str, png: Path | None) -> None:
    import pygame

    from installation.scenes import quiz_draw, quiz_reveal_plan
    from installation.scenes.layout import portrait_screen
    from tests.conftest import quiz_reveals

    drawn: list = []
    pictures: list = []  # (the pictures drawn: a pair's two faces, then the map)
    original, picture = quiz_draw.eyes_panel, quiz_draw.picture

    def recording(*args, **kwargs):
        rect = original(*args, **kwargs)
        drawn.append(rect)
        return rect

    def recording_picture(surface, image, rect, *args, **kwargs):
        pictures.append(rect.copy())
        return picture(surface, image, rect, *args, **kwargs)

    def clear():
        drawn.clear()
        pictures.clear()

    quiz_draw.eyes_panel, quiz_draw.picture = recording, recording_picture
    try:
        with tempfile.TemporaryDirectory() as folder:
            for n, (pilot, shown) in enumerate(quiz_reveals(Path(folder), size, before_reveal=clear,
                                                            mode=mode)):
                scene = pilot.engine.sequencer.current.scene
                if n == 0:
                    side, across, tile, _sentence = quiz_reveal_plan._round_beside(scene)
                    print(f"{size[0]}x{size[1]} {mode}: picture side {side}, machine's answer across: {across}, "
                          f"the round's eye tile: {tile}")
                    if portrait_screen(size):
                        lacking = _across(scene, side)
                        if lacking is not None:
                            print(f"  with the answer across: least tile {lacking[0]} px, "
                                  f"an eye lacks up to {lacking[1]} px of height")
                boxes = [b for b in pilot.engine.fonts.log.boxes if b.tier != "operator" and b.alpha > 0.98]
                machine = [b for b in boxes if b.text.startswith("The machine")]
                per_line = f"{len(machine[0].text) / _lines(machine[0]):.0f}" if machine else "-"
                eyes = drawn[-1] if drawn else None
                tile = f"{eyes.height} px ({eyes.height / size[0]:.2f})" if eyes is not None else "-"
                seen = list(dict.fromkeys(tuple(r) for r in pictures))  # (each frame draws them again)
                face = f"{min(seen[0][2], seen[1][2])} px" if mode == "pair" and len(seen) >= 2 else "-"
                shown_map = f"{seen[-1][2]} px" if len(seen) >= (3 if mode == "pair" else 2) else "-"
                print(f"  {n}: {shown.item.key:28} eye tile {tile:14} face {face:7} map {shown_map:7} "
                      f"machine's answer {per_line} characters a line")
                if png is not None:
                    pygame.image.save(pilot.frame(), str(png / f"{size[0]}x{size[1]}_{mode}_{n}.png"))
    finally:
        quiz_draw.eyes_panel, quiz_draw.picture = original, picture


def _use_words(table_file: Path) -> None:
    """The built-in words with `table_file`'s over them, as the round's show would say them."""
    import tomllib

    from installation import words

    def merged(base: dict, over: dict) -> dict:
        return {key: merged(base.get(key, {}), value) if isinstance(value, dict) else value
                for key, value in {**base, **over}.items()} if isinstance(base, dict) else over

    table = merged(words._table(), tomllib.loads(table_file.read_text(encoding="utf-8")))
    words._table = lambda: table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1024x1280,1080x1350,1200x1600,1280x1024")
    parser.add_argument("--modes", default="single,pair")
    parser.add_argument("--png", type=Path, default=None)
    parser.add_argument("--words", type=Path, default=None, help="a show's words table (TOML), over the built-in")
    args = parser.parse_args()
    if args.words is not None:
        _use_words(args.words)
    if args.png is not None:
        args.png.mkdir(parents=True, exist_ok=True)
    for text in args.sizes.split(","):
        w, h = (int(v) for v in text.split("x"))
        for mode in args.modes.split(","):
            run((w, h), mode, args.png)


if __name__ == "__main__":
    main()
