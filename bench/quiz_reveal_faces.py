"""How large the quiz's reveal shows the face it talks about, and how much it says, screen by
screen and language by language.

The reveal's account points at the face ("least of all around the eyes (cool colours,
ringed)"); a visitor can only check it where the face is large enough to see. For every reveal
of the default round (both modes, the round fixed by its seed) it prints the face's eye distance
and height as drawn on the screen (the face mesh of the picture's screen copy, scaled to the
picture's box: in pair mode the smaller of the two faces), the picture's side, the eye tiles',
and the machine's account: its words and its lines. Then, per screen, mode and language, the
least eye distance of the round and its least picture against quiz_reveal_share.FACE_LEAST of the type side, and the
account's words (mean and most).

    python bench/quiz_reveal_faces.py [--sizes 1920x1080,1080x1920,1024x768,1280x1024]
                                      [--modes single,pair] [--languages en,de] [--png FOLDER]

`de` plays the round in bench/data/words-de.toml (a show's own words table, docs/languages.md).
`--png` saves each reveal as FOLDER/LANG_WxH_mode_N.png, to look at.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

TABLES = {"en": None, "de": REPO / "bench" / "data" / "words-de.toml"}
_MESH: dict[str, np.ndarray | None] = {}  # the face mesh of each item's screen copy, by file


def _mesh(prepared) -> np.ndarray | None:
    """The main face's 468 landmarks in the item's screen copy (the square the quiz draws)."""
    key = str(prepared.item.path)
    if key not in _MESH:
        from installation.models.face import portrait_faces, try_open

        stack, _ = try_open()
        faces = portrait_faces(np.ascontiguousarray(prepared.image), stack) if stack is not None else []
        _MESH[key] = faces[0].landmarks[:, :2] if faces else None
    return _MESH[key]


def face_on_screen(prepared, rect) -> tuple[float, float] | None:
    """(eye distance, face height: forehead top to chin) in screen px of `prepared`'s face drawn in `rect`."""
    from installation.models.face.landmarks import CHIN, FOREHEAD
    from installation.models.face.settle import LEFT_EYE, RIGHT_EYE

    mesh = _mesh(prepared)
    if mesh is None:
        return None
    scale = rect.width / prepared.image.shape[1]
    eyes = np.linalg.norm(mesh[list(LEFT_EYE)].mean(0) - mesh[list(RIGHT_EYE)].mean(0))
    return float(eyes * scale), float(np.linalg.norm(mesh[CHIN] - mesh[FOREHEAD]) * scale)


def _lines(box, fonts) -> int:
    """How many lines the account's text box of the typography log holds (set at the account's
    size and leading, quiz_draw.ACCOUNT_SIZE)."""
    from installation.scenes.quiz_draw import ACCOUNT_SIZE
    from installation.typography import leading_for

    pitch = fonts.px(ACCOUNT_SIZE) * leading_for(ACCOUNT_SIZE)
    return 1 + round((box.baseline - box.cap_top - box.cap) / pitch)


def run(size: tuple[int, int], mode: str, language: str, png: Path | None) -> dict:
    """Print each reveal's figures; return the round's least eye distance and its account words."""
    import pygame

    from installation.scenes import quiz_draw, quiz_explain
    from installation.textlog import type_side
    from tests.conftest import quiz_reveals

    pictures: list = []
    panels: list = []
    picture, eyes_panel = quiz_draw.picture, quiz_draw.eyes_panel

    def recording_picture(surface, image, rect, *args, **kwargs):
        pictures.append(rect.copy())
        return picture(surface, image, rect, *args, **kwargs)

    def recording_panel(*args, **kwargs):
        eyes = eyes_panel(*args, **kwargs)
        panels.append(eyes)
        return eyes

    def clear():
        pictures.clear()
        panels.clear()

    try:  # (the floor where this checkout has one)
        from installation.scenes.quiz_reveal_share import FACE_LEAST
    except ImportError:
        FACE_LEAST = 0.25  # noqa: N806

    least, words_told, heights, sides_least = [], [], [], []
    quiz_draw.picture, quiz_draw.eyes_panel = recording_picture, recording_panel
    try:
        with tempfile.TemporaryDirectory() as folder:
            for n, (pilot, shown) in enumerate(quiz_reveals(Path(folder), size, before_reveal=clear, mode=mode)):
                scene = pilot.engine.sequencer.current.scene
                seen = [pygame.Rect(r) for r in dict.fromkeys(tuple(r) for r in pictures)]
                faces = seen[:2] if mode == "pair" else seen[:1]
                question = scene.round[scene.index]
                items = [scene.items[item.key] for item in question]
                if mode == "pair":  # (drawn in the question's order)
                    measured = [face_on_screen(item, rect) for item, rect in zip(items, faces, strict=False)]
                else:
                    measured = [face_on_screen(items[0], faces[0])] if faces else []
                measured = [m for m in measured if m is not None]
                eyes = min((m[0] for m in measured), default=0.0)
                face = min((m[1] for m in measured), default=0.0)
                least.append(eyes)
                heights.append(face)
                boxes = [b for b in pilot.engine.fonts.log.boxes if b.tier != "operator" and b.alpha > 0.98]
                told = set(quiz_explain.accounts(shown.explanation, shown.item.kind))
                account = next((b for b in boxes if b.text in told), None)
                count = len(account.text.split()) if account is not None else 0
                words_told.append(count)
                lines = _lines(account, pilot.engine.fonts) if account is not None else 0
                tile = panels[-1].height if panels and panels[-1] is not None else 0
                sides = "+".join(str(r.width) for r in faces)
                sides_least.append(min((r.width for r in faces), default=0))
                print(f"  {n}: {shown.item.key:22} picture {sides:>7} px  eyes apart {eyes:5.0f} px  face "
                      f"{face:4.0f} px high  eye tiles {tile:3} px  account {count:2} words in {lines:2} lines")
                if png is not None:
                    pygame.image.save(pilot.frame(), str(png / f"{language}_{size[0]}x{size[1]}_{mode}_{n}.png"))
    finally:
        quiz_draw.picture, quiz_draw.eyes_panel = picture, eyes_panel
    floor = FACE_LEAST * type_side(size)
    print(f"  least picture {min(sides_least)} px (floor {floor:.0f}: {FACE_LEAST} of the type side), least eyes apart "
          f"{min(least):.0f} px, face {min(heights):.0f}-{max(heights):.0f} px high, account words mean "
          f"{sum(words_told) / len(words_told):.1f}, most {max(words_told)}")
    return {"eyes": min(least), "words": words_told}


def _use_words(table_file: Path | None) -> None:
    """The built-in words with `table_file`'s over them, as the round's show would say them."""
    import tomllib

    from installation import words

    if not hasattr(words, "_built_in_table"):
        words._built_in_table = words._table
    if table_file is None:
        words._table = words._built_in_table
        return

    def merged(base: dict, over: dict) -> dict:
        return {key: merged(base.get(key, {}), value) if isinstance(value, dict) else value
                for key, value in {**base, **over}.items()} if isinstance(base, dict) else over

    table = merged(words._built_in_table(), tomllib.loads(table_file.read_text(encoding="utf-8")))
    words._table = lambda: table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1920x1080,1080x1920,1024x768,1280x1024")
    parser.add_argument("--modes", default="single,pair")
    parser.add_argument("--languages", default="en,de")
    parser.add_argument("--png", type=Path, default=None)
    args = parser.parse_args()
    if args.png is not None:
        args.png.mkdir(parents=True, exist_ok=True)
    for language in args.languages.split(","):
        _use_words(TABLES[language])
        for text in args.sizes.split(","):
            w, h = (int(v) for v in text.split("x"))
            for mode in args.modes.split(","):
                print(f"{language} {w}x{h} {mode}:")
                run((w, h), mode, language, args.png)


if __name__ == "__main__":
    main()
