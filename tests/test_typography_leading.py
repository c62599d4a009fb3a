"""Lines are set at the leading of their size, as a museum sets its wall text: reading text
at 1.3-1.5 times its size, display type closer, captions no looser than the body."""

from __future__ import annotations

import pygame
import pytest

from installation.typography import Fonts

WORDS = ("Bayard staged his own drowning in 1840 and wrote on the back of the print that the body "
         "had been at the morgue for days, the first fake photograph with a caption to match.")


def _pitch(fonts: Fonts, role: str, size: float, tier: str = "body") -> float:
    """Baseline to baseline of a block of WORDS in `role` at `size`, as a multiple of its type size."""
    width = fonts.px(700)
    block = fonts.block(WORDS, role, size, (255, 255, 255), width, tier=tier)
    lines = fonts.wrap(WORDS, role, size, width, tier)
    assert len(lines) >= 3, lines
    first_baseline = fonts.get(role, size, tier).get_ascent()
    return (fonts.baseline(block) - first_baseline) / (len(lines) - 1) / fonts.size(role, size, tier)


@pytest.fixture
def fonts():
    pygame.font.init()
    return Fonts(1080)


@pytest.mark.parametrize("role", ["serif-light", "serif", "sans"])
def test_reading_text_is_set_at_a_wall_texts_leading(fonts, role):
    """The show's body text stood 1.7 to 1.9 times its size apart (the face's own line
    height, 1.375 of its size in Source Serif, times a further 1.3-1.35)."""
    assert 1.3 <= _pitch(fonts, role, 40) <= 1.5


def test_display_type_is_set_closer_than_reading_text(fonts):
    """A heading's lines read as one thing (the title card's stood 1.5 times its size apart)."""
    display = _pitch(fonts, "serif", 96)
    assert 1.0 <= display <= 1.2
    assert display < _pitch(fonts, "serif", 40)


def test_captions_are_no_looser_than_the_body(fonts):
    caption = _pitch(fonts, "sans", 24, tier="small")
    assert 1.2 <= caption <= _pitch(fonts, "sans", 40)
