"""Where a line breaks among sentences: a new sentence's first word kept with its sentence, not
left at the end of the line before, where the text allows it without a more ragged edge."""

from __future__ import annotations

import pytest

from installation.linebreak import greedy_lines
from installation.typography import Fonts
from installation.words import words

# The photograph's stand-in caption and the quiz's start card, as the show sets them.
STANDIN = words("photograph.standin")
INVITE = words("quiz.invite_single_unsure")


def _ends_on_opening(lines: list[str], opening: str) -> list[str]:
    """The lines but the last that end on the sentence's opening word(s) `opening`."""
    return [line for line in lines[:-1] if line.replace("\u00a0", " ").endswith(" " + opening)]


def _room(font, lines: list[str], width: int) -> int:
    return max((width - font.size(line)[0] for line in lines[:-1]), default=0)


@pytest.mark.parametrize("width", [330, 360, 450, 880, 940])
def test_a_sentences_first_word_goes_down_with_it(width):
    """The photograph's caption read "...made for this exhibition. The / print itself is kept in
    Paris.": "The" at the line's end read as the end of the first sentence. It now begins the
    line of its sentence, in no more lines, with every word in its order, no line wider than
    the column and the edge no more ragged than as many words as fit a line would leave it
    (or a fifth of the column)."""
    fonts = Fonts(1080)
    font = fonts.get("sans", 32)
    lines = fonts.wrap(STANDIN, "sans", 32, width)
    assert not _ends_on_opening(lines, "The"), (width, lines)
    greedy = greedy_lines(font, STANDIN.split(" "), width)
    assert len(lines) <= len(greedy), (width, lines, greedy)
    assert " ".join(lines).replace("\u00a0", " ").split() == STANDIN.split(), lines
    assert all(font.size(line)[0] <= width for line in lines), lines
    assert _room(font, lines, width) <= max(width // 5, _room(font, greedy, width)), (lines, greedy)


@pytest.mark.parametrize(("short_side", "width"), [(1080, 1536), (720, 1024), (768, 1093)])
def test_a_centred_invitation_keeps_its_second_sentences_opening(short_side, width):
    """The quiz's start card on landscape screens (1920x1080, 1280x720, 1366x768; its line
    0.8 of the width, centred) read "Photograph or invented by a computer? A machine / answers
    too, and these pictures fool it as often as people.". "A machine" now goes down with its
    sentence's verb, and the two lines stay even: they differ by no more than a fifth of the
    column."""
    fonts = Fonts(short_side)
    font = fonts.get("serif-light", 40)
    lines = fonts.wrap(INVITE, "serif-light", 40, width, balanced=True)
    assert len(lines) == 2, lines
    assert not _ends_on_opening(lines, "A machine"), lines
    widths = [font.size(line)[0] for line in lines]
    assert max(widths) <= width and max(widths) - min(widths) <= width // 5, (lines, widths)


def test_keeping_an_opening_down_never_ends_a_line_on_a_one_letter_word():
    """The title card's text, centred at widths from a narrow upright column's to a wide
    screen's: keeping "Today" with its sentence once ended a line on "Today a" (the "a" was
    no longer tied to its word); no line but the last ends on a one-letter word, and every
    word stays in its order."""
    fonts = Fonts(1286)
    # (scenes/opening.toml's text)
    text = ("The first faked photograph was made the year after photography was announced. "
            "Today a machine can invent a face, or move an old portrait with yours.")
    for width in range(500, 1300, 20):
        lines = fonts.wrap(text, "serif-light", 34, width, balanced=True)
        assert not [line for line in lines[:-1] if len(line.replace("\u00a0", " ").split(" ")[-1]) == 1], lines
        assert " ".join(lines).replace("\u00a0", " ").split() == text.split(), lines


def test_the_stand_in_note_at_1024x768_keeps_the_with_its_sentence():
    """As the photograph sets its stand-in note at 1024x768 (credit type, 346 px column), it read
    "made for this exhibition. The / print itself is kept in Paris.": kept down, "exhibition."
    left 3 px more room than a fifth of the column. A line that ends its sentence may leave up
    to a third: its room is the full stop's pause."""
    fonts = Fonts(768)
    lines = fonts.wrap(STANDIN, "sans", 30, 346, tier="small")
    assert not _ends_on_opening(lines, "The"), lines
    assert [line.replace("\u00a0", " ") for line in lines] == [
        "A drawing of the photograph,", "made for this exhibition.", "The print itself is kept in Paris."]


def test_the_portraits_words_at_1024x768_keep_the_with_its_sentence():
    """The portrait's words with the camera resting, as the scene sets them at 1024x768 (450 px),
    read "seem to move or speak. The / camera is resting today": kept down, a line left a few px
    more room than the setting it replaced. A rag no more than an em wider is not seen; the
    words now read in as many lines, "The camera" beginning its line, every line but the last
    within a fifth of the column or an em more than before (a third where its sentence ends)."""
    text = words("portrait.about_no_camera")
    fonts = Fonts(768)
    font = fonts.get("serif", 40)
    lines = fonts.wrap(text, "serif", 40, 450)
    greedy = greedy_lines(font, text.split(" "), 450)
    assert not _ends_on_opening(lines, "The"), lines
    assert any(line.startswith("The camera") for line in lines), lines
    assert len(lines) <= len(greedy) and all(font.size(line)[0] <= 450 for line in lines), lines
    assert " ".join(lines).replace("\u00a0", " ").split() == text.split(), lines
    assert _room(font, lines, 450) <= max(450 // 3, _room(font, greedy, 450) + font.size("M")[0]), lines
