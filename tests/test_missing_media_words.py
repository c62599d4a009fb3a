"""What a technician is told of a scene's missing media: the overlay's "Wrong in the show's
files now" list says what `bayard check` says, in the same words, with the path as the scene
file writes it. A portrait whose picture was deleted was an error in check, missing from that
list, and shown once the scene played as "Portrait's last fault" though nothing had failed."""

from __future__ import annotations

import argparse
import os

import installation.scenes.photograph  # noqa: F401  (registers the kinds)
import installation.scenes.portrait  # noqa: F401
from installation.cli_check import cmd_check
from installation.harness import run_test
from installation.overlay_words import status_blocks

from .conftest import overlay_text, title_scene, write_show

PORTRAIT = """
    type = "portrait"
    id = "p"
    duration = 600
    [[portraits]]
    image = "portraits/gone-1856.jpg"
    title = "A sitter"
    """

PHOTOGRAPH = """
    type = "photograph"
    id = "ph"
    duration = 30
    image = "prints/drowned-1840.jpg"
    title = "Self Portrait as a Drowned Man"
    """


def _panel(status: dict) -> list[tuple[str, str]]:
    return [(block.style, " ".join(block.words)) for block in status_blocks(status, 60, 5)]


def _checked(path, capsys) -> str:
    cwd = os.getcwd()
    try:
        os.chdir(path.parent)
        cmd_check(argparse.Namespace(show=str(path), fast=True))
    finally:
        os.chdir(cwd)
    return capsys.readouterr().out


def test_a_missing_portrait_is_listed_as_wrong_in_the_files_in_checks_words(tmp_path, capsys):
    path = write_show(tmp_path, {"p": PORTRAIT}, extra='\n[camera]\nfile = "none.mp4"\n', size=(800, 480))
    told = [line.strip() for line in _checked(path, capsys).splitlines() if "gone-1856.jpg" in line]
    assert len(told) == 1, told
    with run_test(path, fps=10, services={"synchronous_models": True}) as pilot:
        pilot.advance(2.0)
        status = pilot.engine.status()
    panel = _panel(status)
    texts = [text for _, text in panel]
    heading = next(i for i, (_, text) in enumerate(panel) if text.startswith("Wrong in the show's files now"))
    # Under that heading, word for word as check says it.
    assert told[0] in texts[heading + 1:heading + 6], (told, texts)
    # Not again as a fault, nor as a recent error: the scene handled the missing file.
    assert not any(text.startswith("Portrait's last fault") for text in texts), texts
    assert not any("gone-1856.jpg" in str(e.get("message")) for e in status["errors"]), status["errors"]


def test_missing_media_is_said_by_the_path_in_the_scene_file_not_the_content_folders_full_path(tmp_path, capsys):
    path = write_show(tmp_path, {"ph": PHOTOGRAPH})
    told = _checked(path, capsys)
    line = next(line for line in told.splitlines() if "drowned-1840.jpg" in line)
    assert "media file 'prints/drowned-1840.jpg' not found in content/" in line, line
    assert str(tmp_path) not in line, line
    with run_test(path, fps=10) as pilot:
        pilot.advance(2.0)
        status = pilot.engine.status()
    said = [text for _, text in _panel(status) if "drowned-1840.jpg" in text]
    assert said and all(str(tmp_path) not in text for text in said), said


def test_on_a_small_screen_the_overlay_shows_the_missing_portrait_and_its_fix_under_the_files_heading(tmp_path):
    """At 800x480, drawn: the heading, the file as the scene names it, and the fix all on screen
    (the absolute content path took a panel line of its own before the fix was reached)."""
    path = write_show(tmp_path, {"p": PORTRAIT}, extra='\n[camera]\nfile = "none.mp4"\n', size=(800, 480))
    with run_test(path, fps=10, services={"synchronous_models": True}) as pilot:
        pilot.advance(2.0)
        written = overlay_text(pilot)
    heading = next(i for i, line in enumerate(written) if line.startswith("Wrong in the show's files now"))
    told = " ".join(written[heading + 1:heading + 3])
    assert told.startswith("scenes/p.toml:"), written
    assert "media file 'portraits/gone-1856.jpg' not found in content/" in told, written
    assert "copy the file there" in told and "\u2026" not in told, written


def test_an_optional_print_not_installed_yet_stays_off_the_red_list(tmp_path):
    """check's warning, and a designed stand-in on the wall: not "wrong in the show's files"."""
    path = write_show(tmp_path, {"ph": PHOTOGRAPH})
    (tmp_path / "content" / "manifest.toml").write_text(
        '[[asset]]\nid = "drowned"\npath = "prints/drowned-1840.jpg"\ntitle = "The 1840 print"\nrequired = false\n')
    with run_test(path, fps=10) as pilot:
        pilot.advance(2.0)
        status = pilot.engine.status()
    assert status["problems"] == [] and pilot.engine.problems_now() == 0, status["problems"]
    assert ("ok", "No recent errors.") in _panel(status)


def test_a_missing_print_copied_in_leaves_the_list_when_its_scene_finds_it(tmp_path):
    """The technician copies the missing print into content/ as the overlay says: the watcher
    reloads for the show's own files, not content, so the overlay listed the print as missing,
    in red, while the scene showed it, until someone edited a scene file. Once the scene
    built again finds it, it leaves the files list, the count and the recent errors."""
    import cv2
    import numpy as np

    path = write_show(tmp_path, {"ph": PHOTOGRAPH})
    with run_test(path, fps=10) as pilot:
        pilot.advance(2.0)
        assert any("drowned-1840.jpg" in p for p in pilot.engine.status()["problems"])
        print_file = tmp_path / "content" / "prints" / "drowned-1840.jpg"
        print_file.parent.mkdir(parents=True)
        assert cv2.imwrite(str(print_file), np.full((240, 180, 3), 128, np.uint8))
        pilot.command("goto", "ph")  # (its scene built again, as the next loop of the playlist does)
        pilot.advance(2.0)
        status = pilot.engine.status()
    assert status["problems"] == [] and status["problem_count"] == 0, status["problems"]
    assert pilot.engine.problems_now() == 0
    assert not any("drowned-1840.jpg" in str(e.get("message")) for e in status["errors"]), status["errors"]
    assert ("ok", "No recent errors.") in _panel(status), _panel(status)


def test_missing_media_is_said_in_the_log_as_check_says_it_with_its_file_and_line(tmp_path, caplog):
    """A technician reading the journal got a deleted portrait only as its scene was readied,
    without the scene file and line `check` names ("scene 'p': media file ... not found"):
    missing media is found as the show is read and kept apart from its own problems, which alone
    were logged with their place."""
    import logging

    from installation.cli import main

    path = write_show(tmp_path, {"a": title_scene("a", duration=600), "p": PORTRAIT})
    (tmp_path / "content").mkdir(exist_ok=True)
    with caplog.at_level(logging.ERROR):
        assert main(["run", "--show", str(path), "--headless", "--seconds", "0.5"]) == 0
    said = [r.getMessage() for r in caplog.records if "gone-1856.jpg" in r.getMessage()]
    assert any("p.toml:" in line and "not found" in line for line in said), said
