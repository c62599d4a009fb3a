"""A pair's reveal names the pictures as it labels them, not by where they stand: an upright
screen asks with the faces stacked (upper, lower) and reveals them side by side, so a visitor
who touched the upper face read "You said the left picture was real" of a screen that had
never shown a left one when they chose."""

from __future__ import annotations

import pygame
import pytest

from installation.harness import run_test

from .test_quiz import SIZE, UPRIGHT, _scene, _show

PLACES = ("left picture", "right picture", "upper picture", "lower picture")


@pytest.mark.parametrize("size, first_place", [(UPRIGHT, "upper"), (SIZE, "left")])
def test_the_reveal_names_the_touched_face_by_its_label_not_its_place(tmp_path, size, first_place):
    set_in_type: list[str] = []
    with run_test(_show(tmp_path, mode="pair"), size=size) as pilot:
        fonts = pilot.engine.fonts
        block = fonts.block
        fonts.block = lambda text, *args, **kwargs: set_in_type.append(text) or block(text, *args, **kwargs)
        pilot.command("start", scene="q")
        scene = _scene(pilot)
        first = scene._geometry()["pair_left"]  # the upper face when stacked, the left one beside
        assert first_place == ("upper" if first.bottom <= scene._geometry()["pair_right"].top else "left")
        touched = scene.round[0][0]
        pilot.tap(*first.center)
        assert scene.answer == touched.key
        pilot.advance(0.5)
        said = " ".join(set_in_type)
        named = {"real": "photograph", "fake": "generated one", "altered": "altered one"}[touched.kind]
        assert f"You said the {named} was real." in said, said
        # The machine's answer is named the same way: by the label under the picture it picked.
        assert "The machine said the " in said or "The machine guessed the " in said, said
        assert not [place for place in PLACES if place in said], said
        assert pygame.Rect((0, 0), size).contains(first)
