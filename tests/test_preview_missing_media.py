"""`bayard preview` and `bayard render --scene` said nothing at their start of a picture the
scene names that is not there (the run logs it, with the scene file's line and the fix): the
artist saw the scene without its picture and no word why, or only the scene's own words
without the line. Said once at the start, in check's words; a save that names another missing
file says that one; and only the previewed scene's: not every other scene's in the show."""

from __future__ import annotations

import logging

from installation.cli import main

from .conftest import write_show

PRINT = 'type = "photograph"\nid = "p"\nduration = 10\nimage = "prints/drowned-mann.jpg"\n'
OTHER = 'type = "photograph"\nid = "q"\nduration = 10\nimage = "prints/elsewhere.jpg"\n'
SAID = "scenes/p.toml:4: image: media file 'prints/drowned-mann.jpg' not found in content/; copy the file there"


def _show(tmp_path):
    return write_show(tmp_path, {"p": PRINT, "q": OTHER}, ["p", "q"], size=(320, 180))


def test_a_preview_says_the_scenes_missing_picture_once_at_its_start_with_its_line(tmp_path, caplog):
    path = _show(tmp_path)
    with caplog.at_level(logging.INFO, logger="bayard"):
        assert main(["preview", "p", "--show", str(path), "--headless", "--seconds", "0.5"]) == 0
    said = [r.getMessage() for r in caplog.records]
    assert sum(SAID in line for line in said) == 1, said
    assert not any("elsewhere.jpg" in line for line in said), said  # (another scene's, not this preview's)


def test_a_preview_reloaded_says_a_picture_its_save_names_that_is_missing(tmp_path, caplog):
    import installation.scenes.photograph  # noqa: F401  (registers the kind)
    from installation.config.loader import load_show
    from installation.harness import run_test
    from installation.preview import ScenePreview, single_scene_show

    path = _show(tmp_path)
    scene_file = tmp_path / "scenes" / "p.toml"
    show = single_scene_show(load_show(path), scene_file)
    with caplog.at_level(logging.INFO, logger="bayard"), run_test(show, fps=10) as pilot:
        watcher = ScenePreview(pilot.engine, scene_file)
        scene_file.write_text(PRINT.replace("drowned-mann", "the-raft"))
        caplog.clear()
        watcher.reload()
        again = [r.getMessage() for r in caplog.records if "not found in content/" in r.getMessage()]
        assert again == ["scenes/p.toml:4: image: media file 'prints/the-raft.jpg' not found in content/; copy "
                         "the file there, or correct the path (it starts inside the content folder)"], again
        caplog.clear()
        watcher.reload()  # saved again, the same picture still missing: not said again
        assert not [r for r in caplog.records if "not found in content/" in r.getMessage()]
        assert [p.missing for p in pilot.engine.show.missing_media] == ["prints/the-raft.jpg"]


def test_a_render_of_one_scene_says_its_missing_picture_with_its_line(tmp_path, capsys):
    path = _show(tmp_path)
    args = ["render", "--show", str(path), "--scene", str(tmp_path / "scenes" / "p.toml"), "--seconds", "0.5",
            "--fps", "4", "-o", str(tmp_path / "p.png")]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert SAID in err and "elsewhere.jpg" not in err, err
    assert main([*args, "--strict"]) == 1  # (a check in CI fails on it, as a whole show's render does)
