"""TOML quoted as an artist quotes it, walked through `bayard check`.

An apostrophe inside single quotes ('Bayard's print') and quotes inside double quotes
("He said "no" to it") were both "Expected newline or end of document after a statement";
a text begun with three quotes and never closed was "Unterminated string" at the file's last
line, far from where it began; a key given twice in one [[captions]] block (a second caption
written without its own header) was "Cannot overwrite a value". None said what to write.
"""

from __future__ import annotations

import pytest

from installation.cli import main

from .conftest import title_scene, write_show

CARD = 'type = "title"\nid = "x"\nheading = "A card"\n'


def _said(tmp_path, capsys, text: str) -> list[str]:
    path = write_show(tmp_path, {"a": title_scene("a")})
    (tmp_path / "scenes" / "x.toml").write_text(text, encoding="utf-8")
    assert main(["check", "--show", str(path)]) == 1
    return [line.strip() for line in capsys.readouterr().out.splitlines() if "scenes/x.toml:" in line]


@pytest.mark.parametrize(("line", "write"), [
    ("body = 'Bayard's print'", "the apostrophe ends text begun with ': put the text in double quotes: "
                                "write `body = \"Bayard's print\"`"),
    ('body = "He said "no" to it"', "a quote inside the text ends it: make the inner quotes curly: "
                                    "write `body = \"He said \u201cno\u201d to it\"`"),
])
def test_a_quote_inside_a_text_says_the_line_to_write(tmp_path, capsys, line, write):
    said = _said(tmp_path, capsys, CARD + line + "\n")
    assert len(said) == 1 and said[0].startswith("scenes/x.toml:4: TOML syntax: "), said
    assert write in said[0], said


def test_a_text_never_closed_is_named_at_the_line_it_begins(tmp_path, capsys):
    said = _said(tmp_path, capsys, CARD + 'body = """The first line\n\nfooter = "a credit"\nstagger = 1\n')
    assert len(said) == 1, said
    assert said[0].startswith('scenes/x.toml:4: TOML syntax: Unterminated string; the text begun with """ on '
                              'this line is not closed: end it with """'), said


def test_a_key_given_twice_in_one_block_names_both_lines(tmp_path, capsys):
    text = ('type = "photograph"\nid = "x"\nimage = "p.jpg"\n\n[[captions]]\nat = 1\ntext = """One,\n'
            'text = two"""\nat = 4\n')
    said = _said(tmp_path, capsys, text)
    assert len(said) == 1, said
    assert said[0].startswith("scenes/x.toml:9: TOML syntax: Cannot overwrite a value; at is given twice in one "
                              "block, here and on line 6: keep one (another [[captions]] block starts with its own "
                              "[[captions]] line)"), said


def test_a_key_given_twice_below_a_list_of_tables_names_that_key(tmp_path, capsys):
    """A list of inline tables, one a line, has `{ file =` on each: the hint named those lines
    ("{ file is given twice ... on line 4: keep one") for a duration typed twice below it, and
    an artist who kept one item lost a picture while the duplicate stayed."""
    text = ('type = "loop"\nid = "x"\nitems = [\n  { file = "a.jpg" },\n  { file = "b.jpg" },\n]\n'
            'duration = 20\nduration = 30\n')
    said = _said(tmp_path, capsys, text)
    assert said == ["scenes/x.toml:8: TOML syntax: Cannot overwrite a value; duration is given twice in one block, "
                    "here and on line 7: keep one"], said


def test_a_folder_ending_in_a_backslash_says_the_line_to_write(tmp_path, capsys):
    """`folder = "photos\\"`, a Windows folder: the backslash escapes the closing quote, and TOML
    said only "Illegal character '\\n'"."""
    said = _said(tmp_path, capsys, 'type = "loop"\nid = "x"\nduration = 20\nfolder = "photos\\"\n')
    assert len(said) == 1 and said[0].startswith("scenes/x.toml:4: TOML syntax: "), said
    assert 'separate folders with /, write `folder = "photos/"`' in said[0], said
