"""Conditions that hold until a technician mends them (a last good copy that cannot be made, a
camera the portrait cannot use) were told once, as one of the recent errors: ten newer ones (a
burst of reloads of a scene file being edited, each with its own mistake) pushed them out of
status's last ten and off the overlay while they still held, and the show looked protected, or
its camera merely resting. They stay listed, apart from the history, until they clear."""

from __future__ import annotations

import errno
import json
import shutil

import installation.scenes.portrait  # noqa: F401  (registers the kind)
from installation.config import lastgood
from installation.config.loader import load_show
from installation.harness import run_test
from installation.overlay_words import status_blocks

from .conftest import title_scene, write_show

EDITS = 12  # more than status's last ten errors


def _until_mended(status: dict) -> list[str]:
    """The overlay's lines under its heading for what holds until it is mended."""
    blocks = status_blocks(status, idle_close_s=30, max_errors=6)
    at = next((i for i, b in enumerate(blocks) if b.words == ["Until it is mended:"]), None)
    if at is None:
        return []
    lines = []
    for block in blocks[at + 1:]:
        if block.style != "text":
            break
        lines.append(" ".join(block.words))
    return lines


def _edit_badly(pilot, scene_file) -> None:
    """A burst of saves of a scene file being edited, each refused for a mistake of its own."""
    good = scene_file.read_text()
    for n in range(EDITS):
        scene_file.write_text(good + f"\nheadin{n} = \"a typo\"\n")
        assert pilot.engine.reload() is True
        pilot.advance(0.2)
    told = [e for e in pilot.engine.errors if e["where"] == "reload"]
    assert len(told) >= 10, told  # (the last ten of the history are theirs)


def test_a_last_good_copy_failing_stays_listed_behind_a_burst_of_newer_errors(tmp_path, monkeypatch):
    path = write_show(tmp_path, {"a": title_scene("a", duration=600)})

    def copy2(source, target, **kwargs):  # (a full disk)
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(shutil, "copy2", copy2)
    assert lastgood.remember(load_show(path)) is None  # (as `bayard run` does before the show starts)
    with run_test(path, fps=10) as pilot:
        pilot.advance(0.5)
        _edit_badly(pilot, tmp_path / "scenes" / "a.toml")
        status = pilot.engine.status()
        assert "No space left on device" in json.dumps(status), "status no longer says the copies fail"
        standing = [s for s in status["standing"] if s["where"] == "state-folder"]  # (a full drive: the folder's)
        assert len(standing) == 1 and "No space left on device" in standing[0]["message"], status["standing"]
        assert standing[0]["severity"] == "warning"
        assert any("No space left on device" in line for line in _until_mended(status)), _until_mended(status)
        # Said once: not again in the history beside it.
        assert not any("No space left" in e["message"] for e in status["errors"]), status["errors"]
        monkeypatch.undo()  # the disk has room again: the next copy is made
        (tmp_path / "scenes" / "a.toml").write_text(title_scene("a", duration=600))
        assert pilot.engine.reload() is True
        pilot.advance(0.5)
        assert pilot.engine.status()["standing"] == [], "still listed once a copy was made"


def test_a_camera_the_portrait_cannot_use_stays_listed_until_it_is_back(tmp_path):
    portrait = 'type = "portrait"\nid = "p"\nduration = 600\ncard_seconds = 1.0\n'
    camera = '\n[camera]\ndevice = "/dev/v4l/by-id/usb-Gone_Camera-video-index0"\n'
    path = write_show(tmp_path, {"p": portrait, "b": title_scene("b", duration=5)}, ["p", "b"], extra=camera)
    with run_test(path, fps=10, services={"synchronous_models": True}) as pilot:
        pilot.advance(2.0)
        _edit_badly(pilot, tmp_path / "scenes" / "b.toml")
        status = pilot.engine.status()
        assert pilot.scene_id == "p"
        panel = [" ".join(b.words) for b in status_blocks(status, idle_close_s=30, max_errors=6)]
        assert any("usb-Gone_Camera" in line for line in panel), f"the overlay no longer says it: {panel}"
        standing = [s for s in status["standing"] if "usb-Gone_Camera" in s["message"]]
        assert len(standing) == 1 and standing[0]["where"] == "p", status["standing"]
        assert "check the camera's cable" in standing[0]["message"]
        assert any("usb-Gone_Camera" in line for line in _until_mended(status)), _until_mended(status)


def _gone_camera_show(tmp_path):
    """A portrait whose camera is unplugged, then a title, round and round the playlist."""
    portrait = 'type = "portrait"\nid = "p"\nduration = 3\ncard_seconds = 1.0\n'
    camera = '\n[camera]\ndevice = "/dev/v4l/by-id/usb-Gone_Camera-video-index0"\n'
    return write_show(tmp_path, {"p": portrait, "b": title_scene("b", duration=3)}, ["p", "b"], extra=camera)


def test_a_camera_the_show_cannot_use_stays_counted_while_other_scenes_show(tmp_path):
    """It counted only while the portrait showed: the pong's count and systemd's line went
    1 -> 0 -> 1 each time round the playlist, which a monitoring tool reads as flapping."""
    with run_test(_gone_camera_show(tmp_path), fps=10, services={"synchronous_models": True}) as pilot:
        pilot.advance(2.0)
        assert pilot.scene_id == "p"
        assert pilot.engine.problems_now() == 1, pilot.engine.status()["standing"]
        seen = []
        for _ in range(120):  # two rounds of the playlist, a look at every frame
            pilot.advance(0.1)
            seen.append((pilot.scene_id, pilot.engine.problems_now(), pilot.engine.standing_names()))
        assert {scene for scene, _, _ in seen} == {"p", "b"}, seen
        dipped = [look for look in seen if look[1:] != (1, ["scene p's camera"])]
        assert not dipped, dipped
        while pilot.scene_id != "b":
            pilot.advance(0.5)
        status = pilot.engine.status()
        standing = [s for s in status["standing"] if "usb-Gone_Camera" in s["message"]]
        assert len(standing) == 1 and standing[0]["where"] == "p", status["standing"]
        lines = _until_mended(status)
        assert any("usb-Gone_Camera" in line and "last seen failing" in line for line in lines), lines


def test_a_camera_counted_while_other_scenes_show_clears_once_it_works_again(tmp_path, monkeypatch):
    from installation.scenes.portrait import PortraitScene

    with run_test(_gone_camera_show(tmp_path), fps=10, services={"synchronous_models": True}) as pilot:
        pilot.advance(2.0)
        while pilot.scene_id != "b":
            pilot.advance(0.5)
        assert pilot.engine.problems_now() == 1
        # The camera is plugged back in: the portrait, next on screen, finds it working.
        monkeypatch.setattr(PortraitScene, "camera_ok", property(lambda self: True))
        monkeypatch.setattr(PortraitScene, "camera_said", property(lambda self: ""))
        while pilot.scene_id != "p":
            pilot.advance(0.5)
        pilot.advance(0.5)
        assert pilot.engine.problems_now() == 0, pilot.engine.status()["standing"]
        while pilot.scene_id != "b":
            pilot.advance(0.5)
        assert pilot.engine.status()["standing"] == [] and pilot.engine.standing_names() == []
