"""Bayard's print and its words on screens of every shape: the print is the point of the
room, and the words are read from a metre or two; neither is given up for the other."""

from __future__ import annotations

import pytest

from installation.config.loader import load_show
from installation.harness import run_test
from installation.preview import single_scene_show
from installation.textlog import problems

from .conftest import REPO

LABEL = ("Self Portrait as a Drowned Man", "HIPPOLYTE BAYARD", "A drawing of the photograph", "Written by Bayard")


def _bayard(size, moments=(12.0, 45.0)):
    """The print's rect and the settled visitor text boxes at each moment."""
    show = single_scene_show(load_show(REPO / "install.toml"), (REPO / "scenes/bayard.toml").resolve())
    shots = []
    with run_test(show, fps=10, size=size) as pilot:
        pilot.engine.fonts.log.recording = True
        t = 0.0
        for moment in moments:
            pilot.advance(moment - t)
            t = moment
            boxes = [b for b in pilot.engine.fonts.log.boxes if b.tier != "operator" and b.alpha > 0.98]
            shots.append(boxes)
        scene = pilot.engine.sequencer.current.scene
        return scene._photo_rect(), scene.words_overrun, shots, pilot.engine.fonts.size("serif", 0)


@pytest.mark.parametrize(("size", "least_width"), [((1280, 1024), 430), ((1024, 768), 330)])
def test_on_a_squarer_screen_the_label_stands_beside_a_larger_print_and_the_story_runs_below(size, least_width):
    """On a 5:4 screen the print gave way to a column of words beside it until it was 333
    px wide (a twentieth of the screen). The label (title, date, credit) now stands beside
    the print as on a gallery wall, the story runs under both the full width of the
    screen, and the print is a third larger again, the words still at the kiosk's type."""
    print_rect, overrun, shots, _ = _bayard(size)
    assert overrun == 0
    assert print_rect.width >= least_width, print_rect
    for boxes in shots:
        assert not problems(boxes), problems(boxes)
        label = [b for b in boxes if b.text.startswith(LABEL)]
        story = [b for b in boxes if not b.text.startswith(LABEL)]
        assert label and story, [b.text[:30] for b in boxes]
        # Beside the print: its first capitals on the print's top, its last baseline on its foot.
        assert all(b.rect.left > print_rect.right for b in label)
        assert abs(min(b.cap_top for b in label) - print_rect.top) <= 1
        assert abs(max(b.baseline for b in label) - print_rect.bottom) <= 1
        # Below it, from the print's left edge (a glyph's side bearing aside), never over it.
        assert all(b.rect.top > print_rect.bottom for b in story)
        assert all(abs(b.rect.left - print_rect.left) <= 3 for b in story), [b.rect for b in story]


def test_on_a_wide_screen_the_print_keeps_the_grids_column_beside_it():
    """16:9 screens keep one column of words beside the print, on the show's grid."""
    print_rect, _, shots, _ = _bayard((1920, 1080), moments=(12.0,))
    assert all(b.rect.left > print_rect.right for b in shots[0])
