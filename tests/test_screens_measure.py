"""The words visitors read, measured as a typographer measures them, on the screens a museum
has: how many characters the story's lines hold, how much of the portrait's column stands
empty between its words and its credit.

The lines are the ones the typography layer set and placed on the frame (Fonts.block's
wrap, recorded as each settled block is placed), not a re-wrapping of our own.
"""

from __future__ import annotations

import pytest

from installation.config.loader import load_show
from installation.harness import run_test
from installation.preview import single_scene_show
from installation.typography import Fonts

from .conftest import REPO


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
    return single_scene_show(load_show(REPO / "install.toml"), (REPO / f"scenes/{name}.toml").resolve())


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

