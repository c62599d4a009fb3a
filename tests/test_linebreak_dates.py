"""A date is read whole: at 1920x1080 the back of Bayard's print was credited "...on the back
of the print, 18 October / 1840 (excerpts; ...)", its year alone at the start of the next line,
which a museum's typesetter never lets through. Day, month and year stay on one line wherever
they fit one, in the orders English, French and German write them."""

from __future__ import annotations

from installation.typography import Fonts

DATED = (
    # (as scenes/bayard.toml writes it: its day and month tied by a no-break space, not its year)
    ("Written by Bayard on the back of the print, 18\u00a0October 1840 (excerpts; translation for this exhibition).",
     "18\u00a0October 1840"),
    ("Written by Bayard on the back of the print, 18 October 1840 (excerpts; translation for this exhibition).",
     "18 October 1840"),
    ("Écrit par Bayard au dos de l'épreuve, le 18 octobre 1840, et montré ici en extraits.", "18 octobre 1840"),
    ("Photographed by Mathew Brady on October 18, 1863, in his Washington studio.", "October 18, 1863"),
    ("Aufgenommen am 4. Juli 1856 in einem Atelier in Concord, Massachusetts, von unbekannter Hand.",
     "4. Juli 1856"),
)


def test_a_date_stays_on_one_line_wherever_it_fits_one():
    fonts = Fonts(1080)
    font = fonts.get("sans", 24, "small")
    for text, date in DATED:
        start = text.index(date)
        as_set = text[start:text.find(" ", start + len(date))]  # (with its stop or comma)
        widest = max(font.size(word)[0] for word in text.split(" "))  # (narrower, words are broken)
        for column in range(widest, font.size(text)[0], 9):
            lines = [line.replace("\u00a0", " ") for line in fonts.wrap(text, "sans", 24, column, tier="small")]
            assert " ".join(lines) == text.replace("\u00a0", " "), (column, lines)  # nothing lost or cut
            if font.size(as_set)[0] <= column:
                assert any(date.replace("\u00a0", " ") in line for line in lines), (column, lines)


def test_figures_that_are_no_date_break_as_any_two_words():
    """(A guard on the rule's reach: it passes on the code before it too.) A year after an
    ordinary word ("In 1839") and a count ("5 questions") are no date: a column as wide as
    their first words breaks after them."""
    fonts = Fonts(1080)
    font = fonts.get("serif", 40)
    for text, first in (("In 1839 Louis Daguerre was celebrated", "In"),
                        ("Answer 5 questions about 12 faces", "Answer 5")):
        lines = fonts.wrap(text, "serif", 40, font.size(first)[0] + 2)
        assert lines[0].replace("\u00a0", " ") == first, lines
