"""The quiz's summary on upright screens: every tip at once where the card can hold them,
and, where the tips take turns, no screen left empty above "Play again"; on small screens,
the tips' bullets clear of their words."""

from __future__ import annotations

import numpy as np
import pygame
import pytest

from installation.scenes.style import rgb
from installation.words import words

from .test_quiz_screens import _played_to_the_summary


def _turns(pilot) -> list[tuple[list, object]]:
    """Each frame of the summary, a second apart, until it gives way: the settled tips shown
    and the "Play again" button's words."""
    scene = pilot.engine.sequencer.current.scene
    tips = set(scene.config.tips)
    frames = []
    while scene.state == "summary":
        boxes = [b for b in pilot.engine.fonts.log.boxes if b.alpha > 0.98]
        (again,) = [b for b in boxes if b.text == words("quiz.again")]
        frames.append(([b for b in boxes if b.text in tips], again))
        pilot.advance(1.0)
    return frames


def test_a_first_visitors_summary_shows_every_tip_at_once_upright(tmp_path):
    """At 1080x1920 the card was 39 px short of the six tips under a first visitor's answers:
    they took two turns of three, a visitor who left after the first never saw the rest, and
    the card, shrunk to three, left 450 px empty above "Play again". The tips close up a
    little and all six are read at once."""
    with _played_to_the_summary(tmp_path, (1080, 1920)) as pilot:
        tips = list(pilot.engine.sequencer.current.scene.config.tips)
        frames = _turns(pilot)
    assert frames
    assert all(sorted(b.text for b in shown) == sorted(tips) for shown, _ in frames), \
        [len(shown) for shown, _ in frames]


@pytest.mark.parametrize("size", [(1024, 1280), (720, 1280)])
@pytest.mark.parametrize("fresh", [True, False])
def test_where_the_tips_take_turns_the_card_stands_on_play_again(tmp_path, size, fresh):
    """At 1024x1280 the tips take turns of three, and the card, sized for all six under the
    answers' least rows and then shrunk to its turn, left about 150-200 px empty above "Play
    again" while the answers' thumbnails were kept at their least. Now the answers take the
    room the turn leaves, and the fullest turn's last tip ends close above the button."""
    if not fresh:
        with _played_to_the_summary(tmp_path, size):
            pass  # (a visitor before: the rows say what others did)
    with _played_to_the_summary(tmp_path, size, fresh=fresh) as pilot:
        fonts = pilot.engine.fonts
        frames = _turns(pilot)
    turns = [(shown, again) for shown, again in frames if shown]
    assert len({tuple(b.text for b in shown) for shown, _ in turns}) >= 2  # (the tips do take turns here)
    empty = min(again.rect.top - max(b.rect.bottom for b in shown) for shown, again in turns)
    # (the card's padding under its last tip, its gap above the button and the half of the button
    # over its label: 24 + 30 + about 30 design px; it was 140-200)
    assert empty <= fonts.px(130), (empty, fonts.px(130))


def test_the_summarys_heading_breaks_after_the_visitors_score(tmp_path):
    """Upright the heading took two lines as "You: 1 of 5. The / machine: 3 of 5.": the
    machine's "The" left at the end of the visitor's line. Each line ends a sentence."""
    w = 1080
    with _played_to_the_summary(tmp_path, (w, 1920)) as pilot:
        fonts = pilot.engine.fonts
        heading = [b for b in fonts.log.boxes if b.text.startswith("You:")]
    assert len(heading) == 1
    # (set as the summary sets it: between margins of 0.06 of the width)
    lines = fonts.wrap(heading[0].text, "serif-semibold", 60, w - 2 * round(w * 0.06))
    assert len(lines) == 2, lines
    assert all(line.rstrip().endswith(".") for line in lines), lines


@pytest.mark.parametrize("size", [(800, 480), (1024, 600), (1920, 1080)])
def test_the_summarys_tip_bullets_stand_clear_of_their_words(tmp_path, size):
    """At 800x480 each tip's bullet was a disc 12 px across touching its first letter: it was
    sized and placed in screen pixels (with a 6 px floor) while the tips' type is raised to the
    kiosk minimum, so on a small screen the bullet grew and the words came to meet it. A bullet
    is smaller than the line's lower-case letters are tall, with clear room before the words."""
    with _played_to_the_summary(tmp_path, size) as pilot:
        scene = pilot.engine.sequencer.current.scene
        frame = pygame.surfarray.array3d(pilot.frame()).transpose(1, 0, 2).astype(int)
        boxes = [b for b in pilot.engine.fonts.log.boxes if b.alpha > 0.98]
        accent, ink = np.array(rgb(scene.config.accent)), np.array(rgb(scene.config.foreground))
    tips = [b for b in boxes if b.text in scene.config.tips]
    assert tips
    for tip in tips:
        band = frame[tip.cap_top : tip.baseline, max(0, tip.rect.left - 4 * tip.cap) : tip.rect.right]
        left = max(0, tip.rect.left - 4 * tip.cap)
        bullet = np.nonzero((np.abs(band - accent).sum(axis=2) < 60).any(axis=0))[0]
        words_ink = np.nonzero((np.abs(band - ink).sum(axis=2) < 120).any(axis=0))[0]
        assert bullet.size and words_ink.size, tip.text[:20]
        first_letter = left + words_ink[words_ink > bullet.max()].min()
        width = bullet.max() - bullet.min() + 1
        clear = first_letter - (left + bullet.max()) - 1
        assert width <= 0.75 * tip.cap, (tip.text[:20], width, tip.cap)
        assert clear >= 0.45 * tip.cap, (tip.text[:20], clear, tip.cap)


def test_a_summary_in_two_columns_numbers_its_rows_in_the_order_they_were_asked(tmp_path):
    """At 1080x1920 a first visitor's answers stand in two columns (so that every tip fits at
    once), filled down the first and then the second: side by side in pairs, they could be
    read across as well as down. Each row now begins with its question's number, and the
    numbers read 1 to 5 down the first column and on down the second, each on the row of
    the question asked at that turn."""
    with _played_to_the_summary(tmp_path, (1080, 1920)) as pilot:
        scene = pilot.engine.sequencer.current.scene
        kinds = [record["question"][0].kind for record in scene.history]
        boxes = [b for b in pilot.engine.fonts.log.boxes if b.alpha > 0.98]
    said = [b for b in boxes if b.text in {words(f"quiz.was_{kind}") for kind in kinds}]
    lefts = [b.rect.left for b in said]
    assert max(lefts) - min(lefts) > 1080 // 4  # (two columns: else this test tests nothing)
    numbers = {b.text: b for b in boxes if b.text.isdigit()}
    assert sorted(numbers) == [str(n) for n in range(1, len(kinds) + 1)], sorted(numbers)
    # Down each column, the columns left to right: 1, 2, 3, 4, 5.
    first_column = min(b.rect.left for b in numbers.values())
    order = sorted(numbers.values(), key=lambda b: (b.rect.left > first_column + 1080 // 4, b.rect.top))
    assert [b.text for b in order] == sorted(numbers), [b.text for b in order]
    for number, kind in enumerate(kinds, 1):
        box = numbers[str(number)]
        (row,) = [b for b in said if abs(b.rect.centery - box.rect.centery) <= box.cap
                  and 0 < b.rect.left - box.rect.right < 1080 // 2]
        assert row.text == words(f"quiz.was_{kind}"), (number, row.text, kind)
