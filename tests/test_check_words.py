"""What `bayard check --help` and the README's command table say check takes (issue 47's walk:
the help called --show "the show file" though it takes the show's folder as well, and the
README's row left out --fast)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from installation.cli import build_parser, main

REPO = Path(__file__).resolve().parents[1]


def _check_help(capsys) -> str:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["check", "--help"])
    return " ".join(capsys.readouterr().out.split())


def test_check_help_says_show_takes_a_folder_as_it_does(tmp_path, capsys):
    from .conftest import title_scene, write_show

    write_show(tmp_path, {"t": title_scene("t")})
    assert main(["check", "--fast", "--show", str(tmp_path)]) == 0  # a folder is taken...
    capsys.readouterr()
    said = _check_help(capsys)
    show_help = said.split("--show SHOW", 2)[-1].split("--fast")[0]
    assert "folder" in show_help, show_help  # ...and the help says so
    # --fast says what it leaves out: the decoding, and the checks of faces, words and models.
    fast_help = said.split("--fast", 2)[-1]
    assert "decod" in fast_help and "face" in fast_help, fast_help


def test_the_readme_row_for_check_names_every_option_check_takes(capsys):
    row = next(line for line in (REPO / "README.md").read_text(encoding="utf-8").splitlines()
               if line.startswith("| `bayard check"))
    options = set(re.findall(r"(--[a-z][a-z-]*)", _check_help(capsys))) - {"--help"}
    assert options == {"--show", "--fast", "--full"}, options
    missing = [option for option in sorted(options) if option not in row]
    assert not missing, (missing, row)
