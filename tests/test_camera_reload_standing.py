"""A reload that changes [camera] replaces what status says of the camera at once: switched
from an unplugged device to a film that is missing, the device's standing entry stayed (and
was counted in the pong and the systemd line) until a camera went live, beside the film
listed missing in `problems`: two conditions, one of them no longer true."""

from __future__ import annotations

import installation.scenes.portrait  # noqa: F401  (registers the kind)
from installation.harness import run_test

from .conftest import drawn_overlay, write_show

PORTRAIT = 'type = "portrait"\nid = "p"\nduration = 600\ncard_seconds = 1.0\n'
DEVICE = '\n[camera]\ndevice = "/dev/v4l/by-id/usb-Gone_Camera-video-index0"\n'
FILM = '\n[camera]\nfile = "stand-in/visitor.mp4"\n'


def test_a_reload_from_a_device_to_a_missing_film_says_the_film_alone_at_once(tmp_path):
    path = write_show(tmp_path, {"p": PORTRAIT}, extra=DEVICE, size=(640, 360))
    with run_test(path, fps=10, services={"synchronous_models": True}) as pilot:
        pilot.advance(2.0)
        assert [s["where"] for s in pilot.engine.status()["standing"]] == ["p"]  # the device, unplugged
        path.write_text(path.read_text().replace(DEVICE, FILM))
        assert pilot.engine.reload() is True
        pilot.advance(0.1)
        status = pilot.engine.status()
        assert status["standing"] == [], status["standing"]
        assert [p for p in status["problems"] if "camera.file" in p and "visitor.mp4" in p], status["problems"]
        assert pilot.engine.problems_now() == 1  # (the film: the device no longer counts)
        drawn, _ = drawn_overlay((1280, 720), status)
        panel = " ".join(text for text, _ in drawn)
        assert "Until it is mended:" not in panel, panel  # (the device stays in the history of recent warnings)
        pilot.advance(3.0)  # the portrait's next showings keep it so
        assert pilot.engine.status()["standing"] == []
    # A reload that leaves [camera] as it was keeps the camera's entry: it still holds.
    alone = write_show(tmp_path / "other", {"p": PORTRAIT}, extra=DEVICE, size=(640, 360))
    with run_test(alone, fps=10, services={"synchronous_models": True}) as pilot:
        pilot.advance(2.0)
        alone.write_text(alone.read_text().replace('title = "Test show"', 'title = "Renamed show"'))
        assert pilot.engine.reload() is True
        pilot.advance(0.1)
        assert [s["where"] for s in pilot.engine.status()["standing"]] == ["p"]



def test_a_reload_from_one_unplugged_device_to_another_keeps_the_camera_said(tmp_path):
    # Let go at once, status said nothing wrong (count 0, no "Until it is mended:") for the rest of
    # the portrait's showing, while the portrait on screen stirred by itself without a camera.
    other = DEVICE.replace("Gone_Camera", "Other_Gone_Camera")
    path = write_show(tmp_path, {"p": PORTRAIT}, extra=DEVICE, size=(640, 360))
    with run_test(path, fps=10, services={"synchronous_models": True}) as pilot:
        pilot.advance(2.0)
        path.write_text(path.read_text().replace(DEVICE, other))
        assert pilot.engine.reload() is True
        pilot.advance(30.0)  # (the portrait built under the old settings still showing)
        assert [s["where"] for s in pilot.engine.status()["standing"]] == ["p"]
        assert pilot.engine.problems_now() == 1


def test_a_reload_to_another_device_names_the_new_camera_at_once(tmp_path):
    # The entry stood with the old device's name for the rest of the portrait's showing (up to its
    # whole duration): a technician who had just typed the new device read the old one as unmended.
    other = DEVICE.replace("Gone_Camera", "Other_Gone_Camera")
    path = write_show(tmp_path, {"p": PORTRAIT}, extra=DEVICE, size=(640, 360))
    with run_test(path, fps=10, services={"synchronous_models": True}) as pilot:
        pilot.advance(2.0)
        assert "usb-Gone_Camera" in pilot.engine.status()["standing"][0]["message"]
        path.write_text(path.read_text().replace(DEVICE, other))
        assert pilot.engine.reload() is True
        pilot.advance(0.1)
        standing = pilot.engine.status()["standing"]
        assert len(standing) == 1 and pilot.engine.problems_now() == 1, standing
        said = standing[0]["message"]
        assert "usb-Other_Gone_Camera" in said and "usb-Gone_Camera" not in said, said
        assert "[camera] changed" in said and "last_seen" not in standing[0], standing  # (not looked at yet)
        drawn, _ = drawn_overlay((1280, 720), pilot.engine.status())
        panel = " ".join(text for text, _ in drawn)
        mended = panel.split("Until it is mended:")[1].split("Recent warnings")[0]  # (the old one: history)
        assert "Other_Gone_Camera" in mended and "usb-Gone_Camera" not in mended, panel
