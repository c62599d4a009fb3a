"""A media path typed as Windows writes it, with backslashes between folders.

Walked as an artist: `image = "photos\\letter.jpg"` was "TOML syntax: Unescaped '\\' in a
string" and no more; `"photos\\new.jpg"` read as photos, a new line, ew.jpg, and check's
message broke across two lines with no fix; `'photos\\letter.jpg'` (single quotes, where a
backslash is kept) was "not found ... copy the file there" beside photos/letter.jpg.
"""

from __future__ import annotations

import argparse
import os

import cv2
import numpy as np

from installation.cli_check import cmd_check

from .conftest import write_show

PHOTOGRAPH = """
    type = "photograph"
    id = "ph"
    duration = 30
    image = {image}
    """


def _checked(root, image: str, capsys) -> list[str]:
    """`bayard check --fast` of a show whose photograph's line 4 is `image = <image>`; the lines
    that name that line."""
    path = write_show(root, {"ph": PHOTOGRAPH.format(image=image)})
    picture = root / "content" / "photos" / "letter.jpg"
    picture.parent.mkdir(parents=True)
    assert cv2.imwrite(str(picture), np.full((900, 1200, 3), 200, np.uint8))
    cwd = os.getcwd()
    try:
        os.chdir(root)
        assert cmd_check(argparse.Namespace(show=str(path), fast=True)) != 0
    finally:
        os.chdir(cwd)
    out = capsys.readouterr().out
    return [line.strip() for line in out.splitlines() if "scenes/ph.toml:4" in line]


def test_a_backslash_in_double_quotes_is_named_with_the_line_to_write(tmp_path, capsys):
    said = _checked(tmp_path, r'"photos\letter.jpg"', capsys)
    assert len(said) == 1, said
    assert said[0].startswith("scenes/ph.toml:4: TOML syntax: Unescaped '\\' in a string; "), said
    assert 'separate folders with /, write `image = "photos/letter.jpg"`' in said[0], said


def test_a_backslash_kept_in_single_quotes_offers_the_file_with_a_slash(tmp_path, capsys):
    said = _checked(tmp_path, r"'photos\letter.jpg'", capsys)
    assert said == ["scenes/ph.toml:4: image: media file 'photos\\letter.jpg' not found in content/; did you mean "
                    "'photos/letter.jpg'? (folders are separated with /, not \\)"], said


def test_a_backslash_read_as_a_new_line_is_said_on_one_line_as_it_was_typed(tmp_path, capsys):
    said = _checked(tmp_path, r'"photos\new.jpg"', capsys)
    assert len(said) == 1, said
    assert "media file 'photos\\new.jpg' not found" in said[0], said
    assert "separate folders with /, not \\ ('photos/new.jpg')" in said[0], said


def _checked_loop(root, folder: str, capsys) -> list[str]:
    """`bayard check --fast` of a show whose loop's line 4 is `folder = <folder>`; the lines
    that name that line."""
    path = write_show(root, {"ph": 'type = "loop"\nid = "ph"\nduration = 30\nfolder = ' + folder + "\n"})
    picture = root / "content" / "photos" / "letter.jpg"
    picture.parent.mkdir(parents=True)
    assert cv2.imwrite(str(picture), np.full((900, 1200, 3), 200, np.uint8))
    cwd = os.getcwd()
    try:
        os.chdir(root)
        cmd_check(argparse.Namespace(show=str(path), fast=True))
    finally:
        os.chdir(cwd)
    out = capsys.readouterr().out
    return [line.strip() for line in out.splitlines() if "scenes/ph.toml:4" in line]


def test_a_loop_folder_with_backslashes_is_named_with_the_line_to_write(tmp_path, capsys):
    """`folder = 'photos\\'` (or "photos\\\\*.jpg") matched nothing, and check said only that, beside
    the photos it meant: the media line's hint, not the folder's."""
    said = _checked_loop(tmp_path, r"'photos\*.jpg'", capsys)
    assert len(said) == 1 and "matches no file" in said[0], said
    assert 'folders are separated with /, not \\: write `folder = "photos/*.jpg"`' in said[0], said
    said = _checked_loop(tmp_path / "other", r'"photos\\"', capsys)
    assert len(said) == 1 and 'write `folder = "photos/"`' in said[0], said
