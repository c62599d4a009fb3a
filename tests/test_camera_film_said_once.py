"""A film standing in for the camera (`[camera] file`) that is missing is listed with the show's
missing media, in check's words with install.toml's line and the fix. The portrait, unable to
open it, said it again under "Until it is mended:" in its camera's words (the film's absolute
path, twice, and no line): one missing file, told twice on the technician's panel."""

from __future__ import annotations

import logging

import installation.scenes.portrait  # noqa: F401  (registers the kind)
from installation.harness import run_test

from .conftest import drawn_overlay, write_show

SCENE = 'type = "portrait"\nid = "p"\nduration = 600\ncard_seconds = 1.0\ncountdown = 1\n'
CAMERA = '\n[camera]\nfile = "stand-in/visitor.mp4"\n'


def test_a_missing_camera_film_is_said_once_on_the_panel_with_its_line(tmp_path, caplog):
    path = write_show(tmp_path, {"p": SCENE}, extra=CAMERA, size=(640, 360))
    line = path.read_text().splitlines().index('file = "stand-in/visitor.mp4"') + 1
    with caplog.at_level(logging.WARNING, logger="bayard"), \
            run_test(path, fps=10, services={"synchronous_models": True}) as pilot:
        pilot.advance(1.5)
        status = pilot.engine.status()
        assert pilot.scene_id == "p" and pilot.engine.sequencer.current.scene.status()["state"] == "attract"
    drawn, _ = drawn_overlay((1280, 720), status)
    panel = " ".join(text for text, _ in drawn)
    assert panel.count("visitor.mp4") == 1, panel
    assert f"install.toml:{line}: camera.file" in panel and "copy the file there" in panel, panel
    assert "Until it is mended:" not in panel, panel
    assert status["standing"] == [], status["standing"]
    assert not any("visitor.mp4" in e["message"] for e in status["errors"]), status["errors"]
    absolute = str(tmp_path / "content" / "stand-in" / "visitor.mp4")
    twice = [r.getMessage() for r in caplog.records if r.getMessage().count(absolute) > 1]
    assert not twice, twice


def test_a_camera_film_gone_after_the_show_read_its_files_is_still_said(tmp_path):
    """Deleted once the show's files were read (not in their list), the film is said by the
    portrait, once: its words name the setting and where the film goes."""
    (tmp_path / "content" / "stand-in").mkdir(parents=True)
    film = tmp_path / "content" / "stand-in" / "visitor.mp4"
    film.write_bytes(b"")
    path = write_show(tmp_path, {"p": SCENE}, extra=CAMERA, size=(640, 360))
    with run_test(path, fps=10, services={"synchronous_models": True}) as pilot:
        film.unlink()
        pilot.advance(1.5)
        status = pilot.engine.status()
    said = [s["message"] for s in status["standing"] if "visitor.mp4" in s["message"]]
    assert len(said) == 1 and "[camera] file in install.toml" in said[0], status["standing"]
    assert said[0].count("visitor.mp4") == 1, said
