"""Counts as the technician reads them in `bayard check` and `bayard render`: "1 scene",
"1 error", "2 errors", never "1 scenes" or "1 error(s)"."""

from __future__ import annotations

from installation.cli import main

from .conftest import title_scene, write_show


def _check(tmp_path, capsys, playlist: list[str]) -> str:
    path = write_show(tmp_path, {"a": title_scene("a")}, playlist=playlist)
    assert main(["check", "--show", str(path)]) == 1
    return capsys.readouterr().out


def test_check_counts_one_scene_and_one_error_in_the_singular(tmp_path, capsys):
    out = _check(tmp_path, capsys, ["a", "missing"])  # (a playlist naming a scene there is no file for)
    assert "Playlist (1 scene):" in out, out
    assert "\n1 error:\n" in out, out
    assert "(s)" not in out, out


def test_check_counts_two_errors_in_the_plural(tmp_path, capsys):
    out = _check(tmp_path, capsys, ["a", "missing", "gone", "a"])
    assert "Playlist (2 scenes):" in out, out
    assert "\n2 errors:\n" in out, out
    assert "(s)" not in out, out


def test_render_counts_errors_as_check_does(tmp_path, capsys):
    path = write_show(tmp_path, {"a": title_scene("a", duration=2)}, playlist=["a", "missing"])
    still = ["render", "--show", str(path), "--seconds", "0.5", "--size", "320x180", "-o", str(tmp_path / "still.png")]
    assert main(still) == 0
    assert "The show has 1 error; the video plays it" in capsys.readouterr().err
    path = write_show(tmp_path, {"a": title_scene("a", duration=2)}, playlist=["a", "missing", "gone"])
    assert main(still) == 0
    assert "The show has 2 errors; the video plays it" in capsys.readouterr().err
