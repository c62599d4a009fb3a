"""The safe card and the closed-hours clock set their words through the typography layer: each
word is logged where it lands and held to the kiosk rules (on the screen, over nothing else,
large and contrasted enough) at the four kiosk screen sizes,
wherever their slow drift takes them."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame  # noqa: E402
import pytest  # noqa: E402

from installation.clock import FakeClock  # noqa: E402
from installation.harness import run_test  # noqa: E402
from installation.runtime.screens import ClosedClock  # noqa: E402
from installation.textlog import problems  # noqa: E402
from installation.typography import Fonts  # noqa: E402
from installation.words import words  # noqa: E402

from .conftest import title_scene, write_show  # noqa: E402

SIZES = [(1920, 1080), (1280, 1024), (1024, 1280), (720, 1280)]
TITLE = "Bayard: Staged, Synthetic, Real"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_safe_cards_words_stay_on_the_screen_and_readable_all_along_their_drift(tmp_path, size):
    """The card drifts so that nothing burns in: on an upright screen the show's title ran off
    its edges at the ends of the drift, and neither line was logged for the kiosk checks."""
    path = write_show(tmp_path, {"a": title_scene("a", duration=5)}, size=size)
    path.write_text(path.read_text().replace('title = "Test show"', f'title = "{TITLE}"'))
    with run_test(path, fps=10, size=size) as pilot:
        pilot.engine.sequencer.hold_safe("test")
        pilot.advance(1.5)
        card = pilot.engine.sequencer.current.scene
        assert card.config.id == "safe-mode"
        fonts = pilot.engine.fonts
        fonts.log.recording = True
        surface = pygame.Surface(size)
        for second in range(0, 600, 5):  # (the drift's two periods are about 200 and 270 s)
            card.t = float(second)
            fonts.log.begin_frame()
            card.draw(surface)
            boxes = fonts.log.boxes
            assert sorted(box.text for box in boxes) == sorted([TITLE, words("safe.resume")]), second
            assert problems(boxes) == [], (second, problems(boxes))
            margin = fonts.px(24)
            for box in boxes:  # inside the screen, and not against its edge
                assert box.rect.left >= margin and box.rect.right <= size[0] - margin, (second, box)
                assert box.rect.top >= margin and box.rect.bottom <= size[1] - margin, (second, box)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_closed_clock_is_read_from_across_the_room(size):
    """The clock opened its own font and drew past the layer: it was not logged, so nothing
    held it on the screen. Then, set as staff text at the staff tier's floor, its capitals were
    8 px at 720x1280: a visitor in a closed gallery could not read the time from anywhere
    but up close. It is visitor text, held to the visitor rules, capitals a tenth of the
    shorter side (a label read from two metres has a forty-fifth)."""
    pygame.font.init()
    clock = FakeClock()
    fonts = Fonts(min(size))
    fonts.log.recording = True
    overlay = ClosedClock(clock.wall, "Europe/Paris", fonts=fonts)
    surface = pygame.Surface(size)
    places = set()
    for _ in range(40):  # forty minutes: forty places
        surface.fill((0, 0, 0))
        fonts.log.begin_frame()
        overlay.draw(surface)
        (box,) = fonts.log.boxes
        assert box.tier == "body" and len(box.text) == 5 and box.text[2] == ":"
        assert problems(fonts.log.boxes) == [], problems(fonts.log.boxes)
        assert box.cap >= min(size) / 11, (box.cap, size)
        places.add(box.rect.topleft)
        clock.advance(60)
    assert len(places) > 30  # it moves


def test_a_clock_drawn_over_other_text_or_too_bright_is_a_problem():
    """The staff tier's rules hold: the clock over a caption, or lit like a visitor's words."""
    pygame.font.init()
    size = (1280, 720)
    fonts = Fonts(min(size))
    fonts.log.recording = True
    clock = FakeClock()
    surface = pygame.Surface(size)
    overlay = ClosedClock(clock.wall, "UTC", fonts=fonts)
    overlay.draw(surface)
    (box,) = fonts.log.boxes
    under = fonts.line("A caption", "sans", 40, (240, 240, 240))
    fonts.place(surface, under, (box.rect.x - fonts.ink(under).x, box.rect.y - fonts.ink(under).y))
    assert any("overlaps" in p for p in problems(fonts.log.boxes))
    fonts.log.begin_frame()
    surface.fill((0, 0, 0))
    bright = fonts.line("12:00", "sans", 18, (200, 200, 200), tier="staff")
    fonts.place(surface, bright, (100, 100))
    assert any("staff text" in p and "contrast" in p for p in problems(fonts.log.boxes))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_resting_quiz_does_not_invite_visitors_to_play(tmp_path, size):
    """A pair quiz left without a fake rests: its start card asked "Which face is a
    photograph of a real person? ..." above "The quiz is resting. Please come back later.",
    an invitation to a game that was not there. It says only that it rests."""
    from .test_quiz_manifest import FOUR, _quiz

    path = _quiz(tmp_path, FOUR.replace('truth = "fake"', 'truth = "fakee"'), mode="pair")
    with run_test(path, size=size) as pilot:
        scene = pilot.engine.sequencer.current.scene
        assert not scene.can_play()
        pilot.engine.fonts.log.recording = True
        pilot.advance(2.0)
        boxes = pilot.engine.fonts.log.boxes
        said = [box.text for box in boxes if box.tier != "operator"]
        assert said == [scene.config.heading, words("quiz.no_pictures")], said
        assert problems(boxes) == [], problems(boxes)
        heading, note = (box for box in boxes if box.tier != "operator")
        assert 0 < note.rect.top - heading.rect.bottom < size[1] * 0.1  # the note where the invitation was
