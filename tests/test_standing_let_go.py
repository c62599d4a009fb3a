"""A camera's standing entry let go by a reload is not mended: the scene left the show, or its
[camera] became a film said missing in `problems`. The log said "mended after 2 s" and status
marked the camera's report `mended`, while nothing had been fixed: a technician reading the log
took the camera for working, and one looking at the history saw no trouble left."""

from __future__ import annotations

import logging

import installation.scenes.portrait  # noqa: F401  (registers the kind)
from installation.commands import Command
from installation.harness import run_test
from installation.standing_said import SETTLE_S

from .conftest import title_scene, write_show

PORTRAIT = 'type = "portrait"\nid = "p"\nduration = 600\ncard_seconds = 1.0\n'
DEVICE = '\n[camera]\ndevice = "/dev/v4l/by-id/usb-Gone_Camera-video-index0"\n'
FILM = '\n[camera]\nfile = "stand-in/visitor.mp4"\n'


def _said(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name.startswith("bayard")]


def _camera_history(engine) -> list[dict]:
    return [e for e in engine.errors if e["where"] == "p" and "Gone_Camera" in e["message"]]


def test_a_reload_that_takes_the_portrait_out_does_not_say_its_camera_mended(tmp_path, caplog):
    path = write_show(tmp_path, {"p": PORTRAIT, "t": title_scene("t")}, extra=DEVICE, size=(640, 360))
    with caplog.at_level(logging.INFO, logger="bayard"), \
            run_test(path, fps=10, services={"synchronous_models": True}) as pilot:
        pilot.advance(2.0)
        assert [s["where"] for s in pilot.engine.status()["standing"]] == ["p"]
        assert _camera_history(pilot.engine)
        caplog.clear()
        path.write_text(path.read_text().replace('playlist = ["p", "t"]', 'playlist = ["t"]'))
        (tmp_path / "scenes" / "p.toml").unlink()
        assert pilot.engine.reload() is True
        pilot.advance(1.0)
        assert pilot.engine.status()["standing"] == []
        log = _said(caplog)
        assert not [line for line in log if "mended after" in line], log
        gone = [line for line in log if line.startswith("scene 'p': ")]
        assert len(gone) == 1 and "no longer looked at" in gone[0] and "left the show" in gone[0], log
        assert "Gone_Camera" in gone[0], gone  # (what it was, for the log's reader)
        assert all("mended" not in e for e in _camera_history(pilot.engine)), _camera_history(pilot.engine)
        # Put back under the same unplugged camera, it is said again (its report, let go, no
        # longer stands for it).
        caplog.clear()
        (tmp_path / "scenes" / "p.toml").write_text(PORTRAIT)
        path.write_text(path.read_text().replace('playlist = ["t"]', 'playlist = ["p", "t"]'))
        assert pilot.engine.reload() is True
        pilot.engine.post(Command("goto", ("p",), source="osc"))
        pilot.advance(3.0)
        again = [line for line in _said(caplog) if "no camera at" in line and "no longer" not in line]
        assert len(again) == 1 and "still failing" not in again[0], _said(caplog)


def test_a_reload_to_a_missing_film_does_not_say_the_device_mended(tmp_path, caplog):
    path = write_show(tmp_path, {"p": PORTRAIT}, extra=DEVICE, size=(640, 360))
    with caplog.at_level(logging.INFO, logger="bayard"), \
            run_test(path, fps=10, services={"synchronous_models": True}) as pilot:
        pilot.advance(2.0)
        caplog.clear()
        path.write_text(path.read_text().replace(DEVICE, FILM))
        assert pilot.engine.reload() is True
        pilot.advance(1.0)
        log = _said(caplog)
        assert not [line for line in log if "mended after" in line], log
        gone = [line for line in log if line.startswith("scene 'p': ")]
        assert len(gone) == 1 and "no longer looked at" in gone[0] and "[camera] changed" in gone[0], log
        assert all("mended" not in e for e in _camera_history(pilot.engine))


def test_a_camera_found_working_after_a_reload_to_another_device_is_still_mended(tmp_path, caplog):
    """(The other side: a portrait built under the new [camera] that finds it live mends it.)"""
    from .test_standing_reminders import FailingCamera

    camera = FailingCamera()
    path = write_show(tmp_path, {"p": PORTRAIT}, size=(640, 360))
    with caplog.at_level(logging.INFO, logger="bayard"), \
            run_test(path, fps=10, services={"synchronous_models": True, "camera": camera}) as pilot:
        pilot.advance(2.0)
        assert pilot.engine.status()["standing"]
        caplog.clear()
        camera.state, camera.reason = "live", ""
        pilot.advance(SETTLE_S + 1.0)
        assert [line for line in _said(caplog) if line.startswith("scene 'p': mended after")], _said(caplog)
