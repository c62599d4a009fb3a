"""What `bayard check` says visitors meet when no listed portrait can be animated is what the
scene shows them. With the show's own sitter (content/portraits/thoreau-1856.jpg) gone too, as
when a curator deletes the default show's one portrait, check said "visitors meet the show's own
sitter (Thoreau, 1856) with his title and credit" while the scene drew its stand-in sitter,
captioned "A sitter, drawn by the computer for this exhibition"."""

from __future__ import annotations

import cv2
import numpy as np

from installation.cli import main
from installation.harness import run_test
from installation.words import words

from .conftest import write_show

BLANK_WALL = np.full((480, 400, 3), 128, np.uint8)  # (no face to animate in it)


def _show(tmp_path):
    path = write_show(tmp_path, {"p": """
        type = "portrait"
        id = "p"
        duration = 30
        [[portraits]]
        image = "wall.png"
        title = "A wall"
        credit = "Nobody's"
        """})
    cv2.imwrite(str(tmp_path / "content" / "wall.png"), BLANK_WALL)
    return path


def _what_check_says(path, capsys) -> str:
    main(["check", "--show", str(path)])
    said = capsys.readouterr().out
    return next(line for line in said.splitlines() if "none of the listed portraits" in line)


def _what_the_scene_shows(path) -> str:
    with run_test(path, fps=5) as pilot:
        pilot.advance(1.0)
        entry = pilot.engine.sequencer.current.scene.entries[0]
        return entry.title or entry.credit


def test_check_names_the_drawn_sitter_the_scene_shows_when_the_shows_own_is_gone(tmp_path, capsys, monkeypatch):
    from installation.scenes import portrait_loading

    monkeypatch.setattr(portrait_loading, "HOUSE_SITTER", tmp_path / "gone" / "thoreau-1856.jpg")
    path = _show(tmp_path)
    said = _what_check_says(path, capsys)
    shown = _what_the_scene_shows(path)
    assert shown == words("portrait.sitter")
    assert shown in said and "Thoreau" not in said.split("so visitors meet")[1], said


def test_check_names_the_shows_own_sitter_while_it_is_there(tmp_path, capsys):
    path = _show(tmp_path)
    said = _what_check_says(path, capsys)
    assert _what_the_scene_shows(path) == "Henry David Thoreau, 1856"
    assert "visitors meet the show's own sitter (Thoreau, 1856)" in said, said
