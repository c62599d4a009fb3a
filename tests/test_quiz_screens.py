"""The default quiz's reveal as a visitor sees it, on screens of several shapes: where its
labels hang, what colour its credit is, and that nothing runs past its picture or over
the words."""

from __future__ import annotations

from functools import cache

import pytest

from installation.config.loader import load_show
from installation.harness import run_test
from installation.preview import single_scene_show
from installation.scenes import quiz_explain, quiz_screens
from installation.scenes.style import rgb
from installation.textlog import problems

from .conftest import REPO


@cache
def _reveal(size: tuple[int, int], tmp: str) -> tuple:
    """The first reveal of the default quiz (its own pictures and detector, a fixed order):
    the visitor text boxes, the screen's geometry and the item revealed."""
    from pathlib import Path

    scene_file = Path(tmp) / "quiz.toml"
    scene_file.write_text((REPO / "scenes" / "quiz.toml").read_text() + "\nseed = 3\n", encoding="utf-8")
    show = single_scene_show(load_show(REPO / "install.toml"), scene_file)
    with run_test(show, fps=10, size=size) as pilot:
        pilot.engine.fonts.log.recording = True
        pilot.command("start", scene="quiz")
        pilot.advance(0.5)
        pilot.command("answer", "real", scene="quiz", source="osc")
        pilot.advance(2.0)
        scene = pilot.engine.sequencer.current.scene
        assert scene.state == "reveal"
        boxes = tuple(b for b in pilot.engine.fonts.log.boxes if b.tier != "operator" and b.alpha > 0.98)
        shown = scene.items[scene.round[scene.index][0].key]
        return boxes, quiz_screens.geometry(scene), shown, rgb(scene.config.accent)


@pytest.fixture(scope="module")
def reveal(tmp_path_factory):
    folder = str(tmp_path_factory.mktemp("quiz"))
    return lambda size: _reveal(size, folder)


@pytest.mark.parametrize("size", [(1920, 1080), (1024, 1280)])
def test_the_reveal_credits_its_picture_in_the_accent_as_every_other_credit(reveal, size):
    """The picture's credit was set in grey under the reveal's words, where every other
    credit in the show (Bayard's print, the faces, the portrait) is in the accent."""
    boxes, _, shown, accent = reveal(size)
    assert shown.item.credit
    credit = [b for b in boxes if b.text == shown.item.credit]
    assert credit, [b.text for b in boxes]
    assert all(b.colour == accent for b in credit), [b.colour for b in credit]


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (1280, 1024), (1024, 1280), (3840, 2160)])
def test_the_label_under_the_machines_picture_stays_under_it(reveal, size):
    """Upright (1024x1280) "where the machine looked" ran past the right edge of the picture
    it labels, out over the empty screen. A label hangs under its picture, no wider."""
    boxes, g, shown, _ = reveal(size)
    caption = quiz_explain.picture_caption(shown.explanation, False, shown.item.kind)
    label = [b for b in boxes if b.text == caption]
    assert len(label) == 1, [b.text for b in boxes]
    picture = g["reveal_spectrum"]
    assert picture.left <= label[0].rect.left and label[0].rect.right <= picture.right, (label[0].rect, picture)
    assert not problems(list(boxes)), problems(list(boxes))
