"""The words visitors read, measured as a typographer measures them, on the screens a museum
has: how many characters the story's lines hold, how large the portrait's reading text is
beside the other scenes'.

The lines are the ones the typography layer set and placed on the frame (Fonts.block's
wrap, recorded as each settled block is placed), not a re-wrapping of our own.
"""

from __future__ import annotations

import pytest

from installation.harness import run_test
from installation.preview import single_scene_show
from installation.typography import Fonts

from .conftest import REPO, load_default_show


@pytest.fixture
def placed_lines(monkeypatch):
    """Each settled text placed on a frame, with the lines it was set in: [(text, lines)]."""
    lines_of: dict[int, tuple[str, list[str]]] = {}
    placed: list[tuple[str, list[str]]] = []
    block, place = Fonts.block, Fonts.place

    def recording_block(self, text, role, size, color, width, leading=None, align="left", tier="body",
                        paragraph_gap=1.0):
        surface = block(self, text, role, size, color, width, leading, align, tier, paragraph_gap)
        lines_of[id(surface)] = (text, self.wrap(text, role, size, width, tier, balanced=align == "center"))
        return surface

    def recording_place(self, target, text, pos, alpha=1.0):
        if alpha > 0.98 and id(text) in lines_of:
            placed.append(lines_of[id(text)])
        return place(self, target, text, pos, alpha)

    monkeypatch.setattr(Fonts, "block", recording_block)
    monkeypatch.setattr(Fonts, "place", recording_place)
    return placed


def _scene_show(name: str):
    return single_scene_show(load_default_show(), (REPO / f"scenes/{name}.toml").resolve())


def _full_lines(lines: list[str]) -> list[str]:
    """The lines a paragraph runs on past (its last line is as short as it happens to be)."""
    return [line for line, after in zip(lines, lines[1:], strict=False) if line and after]


@pytest.mark.parametrize("size", [(1024, 768), (1280, 1024), (1920, 1080), (1080, 1920)])
def test_the_photographs_story_is_set_in_lines_a_reader_can_follow(placed_lines, size):
    """On a 4:3 screen (1024x768) Bayard's story ran under the print and its label the full
    width of the screen, 75-77 characters a line (73 on 5:4), where every other screen sets
    it at 42-54: the eye lost its way back to the next line. Its lines now hold at most 66
    characters (Bringhurst's ideal measure) and, where the screen gives them room, at least
    45, on the front's story and the back's translation alike."""
    with run_test(_scene_show("bayard"), fps=10, size=size) as pilot:
        scene = pilot.engine.sequencer.current.scene
        c = scene.config
        story = {caption.text for caption in c.captions if caption.role in ("body", "quote")} | {c.verso.translation}
        longest = {}
        t = 0.0
        for moment in (12.0, 25.0, 45.0):  # the two paragraphs of the front, the back's translation
            pilot.advance(moment - t)
            placed_lines.clear()
            pilot.advance(0.1)
            t = moment + 0.1
            full = [line for text, lines in placed_lines if text in story for line in _full_lines(lines)]
            assert full, (moment, [text[:30] for text, _ in placed_lines])
            longest[moment] = max(len(line) for line in full)
    assert max(longest.values()) <= 66, longest
    assert min(longest.values()) >= 42, longest


def _portrait_column(size, monkeypatch, camera: bool):
    """The portrait scene's column as a visitor finds it in attract (the camera live or
    resting): its words' boxes, its credit's, and where the column's first capitals hang."""
    from installation.scenes.portrait import PortraitScene

    if camera:  # (the tests' machine has none: the scene told a camera is live)
        monkeypatch.setattr(PortraitScene, "camera_ok", property(lambda scene: True))
    with run_test(_scene_show("portrait"), fps=10, size=size) as pilot:
        pilot.engine.fonts.log.recording = True
        pilot.advance(4.0)
        scene = pilot.engine.sequencer.current.scene
        assert scene.state == "attract"
        _, column = scene._layout(*size)
        boxes = [b for b in pilot.engine.fonts.log.boxes if b.tier != "operator" and b.alpha > 0.98
                 and abs(b.rect.left - column.x) <= 0.01 * size[0] and b.rect.top >= column.top - size[1] // 20]
        credit_cap = pilot.engine.fonts.get("sans", 30, "small").metrics("H")[0][3]  # a credit's size at scale 1
    credit = max(boxes, key=lambda b: b.baseline)
    assert credit.tier == "small", credit
    return [b for b in boxes if b is not credit], credit, column, credit_cap


def _story_cap(size) -> int:
    """The cap height of the photograph scene's story, as a visitor reads it at `size`."""
    with run_test(_scene_show("bayard"), fps=10, size=size) as pilot:
        pilot.engine.fonts.log.recording = True
        pilot.advance(14.0)
        boxes = [b for b in pilot.engine.fonts.log.boxes if b.tier == "body" and b.alpha > 0.98]
    return max(boxes, key=lambda b: len(b.text)).cap


@pytest.mark.parametrize("camera", [False, True])
@pytest.mark.parametrize("size", [(1080, 1920), (2160, 3840)])
def test_upright_the_portraits_words_are_set_as_large_as_the_shows_other_body_text(monkeypatch, size, camera):
    """Walking the show at 1080x1920, the portrait's "about" text stood out: grown into the
    room under the picture (up to 1.2 times), its capitals were 39 px where the photograph's
    story, the composite faces' and the quiz's card were 29-32. Its reading text is now at
    most a tenth larger than the photograph's story on the same screen (the portrait's is set
    at 40 design px, the story's at 42 shrunk to fit its longer column); the first capitals
    still hang on the column's top line every scene shares, and the credit keeps its size."""
    words, credit, column, credit_cap = _portrait_column(size, monkeypatch, camera)
    reading = max(words, key=lambda b: len(b.text))
    assert reading.cap <= round(1.1 * _story_cap(size)), (reading.cap, reading.text)
    assert abs(min(b.cap_top for b in words) - column.top) <= 1
    assert credit.cap == credit_cap  # (test_screens_grid holds its baseline on the foot line)
