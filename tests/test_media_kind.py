"""A scene key that names a folder where one file goes, or one file where a folder goes.

Walked as an artist: `image = "photos"` (the folder, not the picture in it) and a quiz's
`fake = "guess/fake/fake-000.jpg"` (a picture, not its folder) both passed `bayard check`
("OK: the show is valid"), and the show then hung an empty mat, or rested the whole quiz.
A misspelt quiz folder was a "media file" to "copy there", with no nearer name offered.
"""

from __future__ import annotations

import argparse
import os

import cv2
import numpy as np

from installation.cli_check import cmd_check
from installation.config.loader import load_show
from installation.harness import run_test

from .conftest import write_show

PHOTOGRAPH = """
    type = "photograph"
    id = "ph"
    duration = 30
    image = "photos"
    """

QUIZ = """
    type = "quiz"
    id = "q"
    real = "guess/real"
    fake = "{fake}"
    questions = 2
    detector = "none"
    """


def _checked(path, capsys) -> tuple[int, str]:
    cwd = os.getcwd()
    try:
        os.chdir(path.parent)
        code = cmd_check(argparse.Namespace(show=str(path), fast=True))
    finally:
        os.chdir(cwd)
    return code, capsys.readouterr().out


def _picture(path, seed: int = 0) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    assert cv2.imwrite(str(path), np.random.default_rng(seed).integers(0, 255, (300, 240, 3), np.uint8))


def _quiz_show(root, fake: str):
    _picture(root / "content" / "guess" / "real" / "real-000.jpg", 1)
    _picture(root / "content" / "guess" / "fake" / "fake-000.jpg", 2)
    return write_show(root, {"q": QUIZ.format(fake=fake)})


def test_a_folder_named_as_the_photograph_is_an_error_that_names_the_picture_in_it(tmp_path, capsys):
    path = write_show(tmp_path, {"ph": PHOTOGRAPH})
    _picture(tmp_path / "content" / "photos" / "letter.jpg")
    code, out = _checked(path, capsys)
    assert code != 0, out
    assert ("scenes/ph.toml:4: image: 'photos' is a folder, and image names one file in it; "
            'write image = "photos/letter.jpg"') in out, out
    # The running show lists it with the files that are wrong, in check's words (overlay, status).
    with run_test(path, fps=10, raise_faults=False) as pilot:
        pilot.advance(1.0)
        problems = pilot.engine.status()["problems"]
    assert any("'photos' is a folder" in problem for problem in problems), problems


def test_a_picture_named_as_a_quiz_folder_is_an_error_that_names_its_folder(tmp_path, capsys):
    path = _quiz_show(tmp_path, "guess/fake/fake-000.jpg")
    code, out = _checked(path, capsys)
    assert code != 0, out
    assert ("scenes/q.toml:4: fake: 'guess/fake/fake-000.jpg' is a file, and fake names a folder: every "
            'picture in it is asked about; write fake = "guess/fake"') in out, out


def test_a_misspelt_quiz_folder_is_said_as_a_folder_with_the_one_meant(tmp_path, capsys):
    path = _quiz_show(tmp_path, "guess/fakes")
    code, out = _checked(path, capsys)
    assert code != 0, out
    assert "scenes/q.toml:4: fake: folder 'guess/fakes' not found in content/; did you mean 'guess/fake'?" in out, out
    assert "copy the file there" not in out, out


def test_folders_and_files_of_the_right_kind_pass(tmp_path):
    path = _quiz_show(tmp_path, "guess/fake")
    show = load_show(path)
    assert show.missing_media == [], show.missing_media
