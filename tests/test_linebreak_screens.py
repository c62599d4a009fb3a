"""Where the show's own words break on the screens museums run: a centred title's sentences,
a person's name in a credit, and the quiz's account of the machine, each set as a typesetter
would set them."""

from __future__ import annotations

from pathlib import Path

import pytest

from installation.config.loader import load_show
from installation.harness import run_test

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def set_lines(monkeypatch):
    """Every paragraph the typography layer sets, with its width and the lines it was given."""
    from installation import typography

    seen: list[tuple[str, int, list[str]]] = []
    setting = typography.paragraph_lines

    def recording(font, paragraph, width, balanced=False):
        lines = setting(font, paragraph, width, balanced)
        seen.append((paragraph, width, [line.replace("\u00a0", " ") for line in lines]))
        return lines

    monkeypatch.setattr(typography, "paragraph_lines", recording)
    return seen


def test_an_upright_title_card_keeps_a_new_sentence_on_its_own_line(tmp_path, set_lines):
    """Turned upright (1080x1920) the opening card read "was announced. Today / a machine can
    invent a face": its centred lines, evened as one, kept the second sentence's first word at
    the end of the first sentence's line. Each sentence now begins a line of its own."""
    show = load_show(REPO / "install.toml", folders={"state": str(tmp_path)})
    with run_test(show, fps=2, size=(1080, 1920)) as pilot:
        pilot.command("start", scene="opening")
        pilot.advance(2.0)
    body = [lines for paragraph, _, lines in set_lines if "announced" in paragraph]
    assert body, "the title card's body was never set"
    for lines in body:
        assert any(line.startswith("Today") for line in lines), lines
        assert not [line for line in lines if line.endswith("Today")], lines


def test_a_persons_name_stays_on_one_line_where_it_fits():
    """At 1280x1024 Thoreau's portrait was credited "...daguerreotype by Benjamin / D. Maxham":
    the initial was tied to the surname, the given name not to the initial. A name now stays on
    one line wherever the line holds it; a sentence's last word before an initial does not."""
    from installation.typography import Fonts

    fonts = Fonts(1024)
    credit = ("Henry David Thoreau, daguerreotype by Benjamin D. Maxham, June 1856 \u00b7 "
              "Daguerreotype by Benjamin D. Maxham, 1856. Public domain")
    font = fonts.get("sans", 30, "small")
    name = font.size("Benjamin D. Maxham,")[0]
    for width in range(name, 1000, 7):
        lines = fonts.wrap(credit, "sans", 30, width, "small")
        assert not [line for line in lines if line.endswith("Benjamin")], (width, lines)
    lines = fonts.wrap("A print by Smith. J. Doe took it in 1850.", "sans", 30, font.size("A print by Smith.")[0],
                       "small")
    assert lines[0].replace("\u00a0", " ") == "A print by Smith.", lines
