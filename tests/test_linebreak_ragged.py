"""A column's right edge as a visitor reads it: a one-letter word kept from a line's end
without leaving a hole in the edge, and a score that breaks between its parts."""

from __future__ import annotations

import pytest

from installation.typography import Fonts

# The reveal's fullest account of the machine, as the show sets it (quiz_explain).
ACCOUNT = ("On the pictures in this quiz it guesses about as well as a coin, so it is never sure here. "
           "The machine looks for the regular pattern a generator's enlarging steps leave between "
           "neighbouring pixels. Here they looked like a photograph's, most clearly around the eyes "
           "(cool colours, ringed).")
OTHERS = ("Its map looked more like a photograph's, but weighed against the other pictures in this quiz, "
          "the finest detail tipped the machine to generated.",
          "Look for yourself. The two highlights sit in different places; in a photograph they usually "
          "match. At this size that alone proves little.")


def _room(fonts: Fonts, lines: list[str], width: int) -> list[float]:
    """The share of the column each line but the last leaves empty at its right."""
    font = fonts.get("serif-light", 30, "small")
    return [(width - font.size(line)[0]) / width for line in lines[:-1]]


@pytest.mark.parametrize(("short_side", "column"), [(1286, 907)])
def test_a_one_letter_word_sent_down_leaves_no_hole_in_the_edge(short_side, column):
    """At 1080x1920 (type side 1286, the reveal's column 907 px) the account read "...Here they
    looked like / a photograph's, most clearly...": the "a" went down with its word, and the
    line it left stood a quarter of the column short (0.76 filled) between lines of 0.86-0.94.
    The lines are now set as evenly as keeping "a" from a line's end allows: each line but the
    last fills at least four fifths of the column, and none ends on a one-letter word."""
    fonts = Fonts(short_side)
    lines = fonts.wrap(ACCOUNT, "serif-light", 30, column, "small")
    assert max(_room(fonts, lines, column)) <= 0.2, (lines, _room(fonts, lines, column))
    assert not [line for line in lines[:-1] if len(line.split(" ")[-1]) == 1], lines


def test_no_line_ends_on_a_one_letter_word_at_any_width():
    """Over column widths from a narrow caption's to a wide screen's, the account and the
    reveal's other sentences never end a line but the last on "a", and never take more lines
    than filling each line as full as it goes, the "a" sent down with its word, would."""
    fonts = Fonts(1080)
    font = fonts.get("serif-light", 30, "small")
    for text in (ACCOUNT, *OTHERS):
        for width in range(300, 900, 20):
            lines = fonts.wrap(text, "serif-light", 30, width, "small")
            assert not [line for line in lines[:-1] if line.split(" ")[-1] in ("a", "I")], (width, lines)
            assert all(font.size(line)[0] <= width for line in lines), (width, lines)
            assert " ".join(lines).replace("\u00a0", " ").split() == text.split(), (width, lines)


def test_a_two_line_score_breaks_between_its_parts_without_a_dangling_dot():
    """The reveal's score in two lines read "Question 5 of 5 · you 1 · / the machine 2": the
    visitor's score ended a line on a dot, apart from the machine's it is set against. It now
    breaks after the question, the two scores together, and no line ends on a separator."""
    fonts = Fonts(1286)
    # (as QuizScene.score_line sets it: each part's words bound, a no-break space before each dot)
    score = "Question\u00a05\u00a0of\u00a05\u00a0·  you\u00a01\u00a0·  the\u00a0machine\u00a02"
    font = fonts.get("sans-semibold", 30, "small")
    width = font.size(score.replace("\u00a0", " ").replace("  ", " "))[0] - 10
    lines = fonts.wrap(score, "sans-semibold", 30, width, "small", balanced=True)
    assert [line.replace("\u00a0", " ") for line in lines] == ["Question 5 of 5", "you 1 · the machine 2"], lines
