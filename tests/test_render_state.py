"""`bayard render` is a preview: what its scenes keep goes to a folder of its own (or --state),
never into the show's state. Rendering the quiz wrote its verdicts and its kept pictures into
the show's own var/, which the kiosk playing that show reads back."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from installation.cli import main

from .conftest import REPO


def _the_shows_copy(tmp_path):
    show = tmp_path / "show"
    show.mkdir()
    shutil.copy(REPO / "install.toml", show)
    for folder in ("scenes", "content", "models"):
        shutil.copytree(REPO / folder, show / folder)
    return show


def test_a_render_of_the_quiz_leaves_the_shows_state_alone(tmp_path):
    show = _the_shows_copy(tmp_path)
    args = ["render", "--show", str(show / "install.toml"), "--scene", str(show / "scenes" / "quiz.toml"),
            "--seconds", "3", "--fps", "2", "--size", "320x180"]
    assert main([*args, "-o", str(tmp_path / "quiz.mp4")]) == 0
    assert (tmp_path / "quiz.mp4").stat().st_size > 0
    assert not (show / "var").exists(), sorted(str(p) for p in (show / "var").rglob("*"))
    # A folder given is where it keeps them (read back by the next render given it). (In a
    # process of its own: this one remembers the verdicts it judged above, and keeps nothing.)
    run = subprocess.run([sys.executable, "-m", "installation", *args, "--state", str(tmp_path / "kept"),
                          "-o", str(tmp_path / "quiz.png")], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "PYTHONPATH": str(REPO), "SDL_VIDEODRIVER": "dummy"})
    assert run.returncode == 0, run.stderr
    assert list((tmp_path / "kept" / "quiz").iterdir()), "nothing kept in --state"
    assert not (show / "var").exists()


def test_a_render_given_a_file_for_its_state_says_so_once_and_renders_nothing(tmp_path, capsys):
    # A file where --state wants a folder rendered on with a warning for each quiz picture, each
    # saying a kept verdict was "half-written or damaged; nothing to mend", and exited 0.
    show = _the_shows_copy(tmp_path)
    named = tmp_path / "notes.txt"
    named.write_text("a technician's notes\n")
    args = ["render", "--show", str(show / "install.toml"), "--scene", str(show / "scenes" / "quiz.toml"),
            "--seconds", "1", "--fps", "2", "--size", "320x180", "--state", str(named), "-o", str(tmp_path / "q.png")]
    assert main(args) == 2
    said = capsys.readouterr().err
    assert str(named) in said and "is a file, not a folder" in said and "leave --state out" in said, said
    assert not (tmp_path / "q.png").exists()
    assert named.read_text() == "a technician's notes\n"


def test_a_preview_of_the_quiz_leaves_the_shows_state_alone(tmp_path):
    """`bayard preview` plays the scene as render does: the quiz it played wrote its verdicts
    into the show's own var/ (the kiosk's), not a folder of its own."""
    show = _the_shows_copy(tmp_path)
    args = [sys.executable, "-m", "installation", "preview", "quiz", "--show", str(show / "install.toml"),
            "--headless", "--seconds", "10"]  # (time for the quiz to judge its pictures on a busy machine)
    env = {**os.environ, "PYTHONPATH": str(REPO), "SDL_VIDEODRIVER": "dummy"}
    run = subprocess.run(args, capture_output=True, text=True, timeout=300, env=env)
    assert run.returncode == 0, run.stderr
    assert "verdicts" in run.stderr  # it did play the quiz (it says where it read its verdicts)
    assert not (show / "var").exists(), sorted(str(p) for p in (show / "var").rglob("*"))
    run = subprocess.run([*args, "--state", str(tmp_path / "kept")], capture_output=True, text=True,
                         timeout=300, env=env)
    assert run.returncode == 0, run.stderr
    assert list((tmp_path / "kept" / "quiz").iterdir()), "nothing kept in --state"
    assert not (show / "var").exists()


def test_a_previews_screenshot_is_kept_where_it_always_went(tmp_path):
    """With the scenes' state in a temporary folder, the S key's screenshot went there too, and
    was deleted with it when the preview ended: the artist's picture, lost without a word."""
    import contextlib

    from installation.cli_show import keep_preview_state
    from installation.config.loader import load_show
    from installation.harness import run_test

    from .conftest import title_scene, write_show

    path = write_show(tmp_path / "show", {"one": title_scene("one", duration=5)})
    show = load_show(path)
    with contextlib.ExitStack() as held:
        kept = keep_preview_state(show, None, held, "preview")
        with run_test(show, fps=10) as pilot:
            pilot.advance(0.5)
            taken = pilot.engine.screenshot()
    assert not kept.exists()  # (the scenes' state went with the preview)
    assert taken.is_file() and taken.parent == tmp_path / "show" / "var" / "screenshots", taken


def test_a_preview_given_a_file_for_its_state_says_so_once_and_plays_nothing(tmp_path, capsys):
    # `preview --state` (new with the preview's own state) took a file where render refuses one:
    # it played on, and what its scenes keep (the quiz's verdicts) failed a picture at a time.
    from .conftest import title_scene, write_show

    path = write_show(tmp_path / "show", {"one": title_scene("one", duration=5)})
    named = tmp_path / "notes.txt"
    named.write_text("a technician's notes\n")
    args = ["preview", "one", "--show", str(path), "--headless", "--seconds", "1", "--state", str(named)]
    assert main(args) == 2
    said = capsys.readouterr().err
    assert str(named) in said and "is a file, not a folder" in said and "leave --state out" in said, said
    assert said.count("is a file, not a folder") == 1, said
    assert named.read_text() == "a technician's notes\n"
