"""`bayard render` of a whole show whose playlist names a scene file with a mistake: the
show plays on without that scene, so the film looks fine with the scene simply missing.
The render says which scene it left out and why, and `--strict` (for CI) fails on it."""

from __future__ import annotations

from installation.cli import main

from .conftest import title_scene, write_show


def test_render_names_a_scene_it_skips_and_strict_fails_on_it(tmp_path, capsys):
    """An artist's new card with a typo ('durration') was left out of the film without a
    word, and `render --strict` exited 0: CI passed a show with a scene missing."""
    welcome = title_scene("welcome").replace("duration", "durration")
    path = write_show(tmp_path, {"opening": title_scene("opening", duration=2), "welcome": welcome},
                      playlist=["opening", "welcome"])
    args = ["render", "--show", str(path), "--seconds", "1", "--fps", "5", "--size", "320x180",
            "-o", str(tmp_path / "out.mp4")]
    assert main(args) == 0  # without --strict the film is still made
    err = capsys.readouterr().err
    assert "scenes/welcome.toml" in err and "durration" in err and "did you mean 'duration'" in err, err
    assert "welcome" in err and "skips it" in err, err
    assert main(args + ["--strict"]) == 1
    capsys.readouterr()
    # A show without mistakes renders strictly as before, and says nothing of skipping.
    calm = write_show(tmp_path / "calm", {"opening": title_scene("opening", duration=2)})
    assert main(["render", "--show", str(calm), "--seconds", "1", "--fps", "5", "--size", "320x180",
                 "-o", str(tmp_path / "calm.mp4"), "--strict"]) == 0
    assert "skips" not in capsys.readouterr().err
