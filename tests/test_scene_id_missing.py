"""A scene file written without its `id`: check names the file's own name to write."""

from __future__ import annotations

from installation.cli import main

from .conftest import title_scene, write_show


def test_a_scene_file_without_its_id_is_given_the_files_own_name_to_write(tmp_path, capsys):
    """A title card written without `id` was "required key 'id' is missing" and no more."""
    path = write_show(tmp_path, {"a": title_scene("a")})
    (tmp_path / "scenes" / "welcome.toml").write_text('type = "title"\nheading = "Welcome"\n', encoding="utf-8")
    assert main(["check", "--show", str(path)]) != 0
    out = capsys.readouterr().out
    assert ("scenes/welcome.toml: id: required key 'id' is missing (unique name used by the playlist and OSC); "
            'write id = "welcome" under type') in out, out
