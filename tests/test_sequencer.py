"""The sequencer through the headless harness: order, transitions, holding, faults."""

from __future__ import annotations

import logging
from pathlib import Path

import pygame
import pytest

from installation.commands import Command
from installation.harness import run_test

from .conftest import write_show
from .probe import probe

RED, GREEN, BLUE = "#ff0000", "#00ff00", "#0000ff"


def colour_at_centre(pilot) -> tuple[int, int, int]:
    frame = pilot.frame()
    return tuple(frame.get_at((frame.get_width() // 2, frame.get_height() // 2)))[:3]


def three(tmp_path, **overrides):
    scenes = {
        "a": probe("a", RED, 3),
        "b": probe("b", GREEN, 3),
        "c": probe("c", BLUE, 3),
    }
    scenes.update(overrides)
    return write_show(tmp_path, scenes, ["a", "b", "c"])


def test_playlist_plays_in_order_and_loops_forever(tmp_path):
    with run_test(three(tmp_path), fps=20) as pilot:
        seen = []
        for _ in range(3 * 3 * 20 * 2 + 20):
            pilot.step()
            if not seen or seen[-1] != pilot.scene_id:
                seen.append(pilot.scene_id)
        assert seen[:7] == ["a", "b", "c", "a", "b", "c", "a"]


def test_crossfade_blends_then_settles(tmp_path):
    with run_test(three(tmp_path), fps=20) as pilot:
        pilot.advance(3.0 + 0.5)  # half-way through the 1 s crossfade from red to green
        r, g, _ = colour_at_centre(pilot)
        assert 40 < r < 215 and 40 < g < 215, (r, g)
        pilot.advance(1.0)
        assert colour_at_centre(pilot) == (0, 255, 0)


def test_cut_transition_is_instant(tmp_path):
    path = three(tmp_path, b=probe("b", GREEN, 3, transition='{ kind = "cut" }'))
    with run_test(path, fps=20) as pilot:
        pilot.advance(3.05)
        assert colour_at_centre(pilot) == (0, 255, 0)


def test_goto_next_prev_by_command(tmp_path):
    with run_test(three(tmp_path), fps=20) as pilot:
        pilot.command("goto", "c")
        assert pilot.scene_id == "c"
        pilot.command("next")
        assert pilot.scene_id == "a"
        pilot.command("prev")
        assert pilot.scene_id == "c"
        pilot.command("goto", 1)
        assert pilot.scene_id == "b"
        pilot.command("goto", "nope")
        assert pilot.scene_id == "b"
        assert "error" in pilot.replies[-1][1][0]


def test_keys_drive_the_show(tmp_path):
    with run_test(three(tmp_path), fps=20) as pilot:
        pilot.key(pygame.K_RIGHT)
        assert pilot.scene_id == "b"
        pilot.key(pygame.K_3)
        assert pilot.scene_id == "c"
        pilot.key(pygame.K_SPACE)
        assert pilot.engine.paused
        pilot.advance(10)
        assert pilot.scene_id == "c"  # paused: the sequencer does not move on
        pilot.key(pygame.K_SPACE)
        assert not pilot.engine.paused
        pilot.key(pygame.K_b)
        assert colour_at_centre(pilot) == (0, 0, 0)
        pilot.key(pygame.K_b)
        pilot.advance(1.1)
        assert colour_at_centre(pilot) == (0, 0, 255)


def test_interactive_scene_holds_until_idle_timeout(tmp_path):
    path = write_show(tmp_path, {"a": probe("a", RED, 3, hold=True), "b": probe("b", GREEN, 3)}, ["a", "b"],
                      extra="\n[attract]\nidle_timeout = 5\n")
    with run_test(path, fps=20) as pilot:
        pilot.tap(10, 10)
        pilot.advance(4)
        pilot.tap(10, 10)  # the visitor is still playing
        pilot.advance(4)
        assert pilot.scene_id == "a"
        pilot.advance(1.5)  # 5 s since the last touch: the show goes on
        assert pilot.scene_id == "b"


def test_finished_scene_advances_before_its_duration(tmp_path):
    path = write_show(tmp_path, {"a": probe("a", RED, 30, finish_after=1.0), "b": probe("b", GREEN, 3)})
    with run_test(path, fps=20) as pilot:
        pilot.advance(1.2)
        assert pilot.scene_id == "b"


@pytest.mark.injects_faults
@pytest.mark.parametrize("phase", ["build", "prepare", "enter", "update", "draw"])
def test_a_failing_scene_is_skipped_and_the_show_goes_on(tmp_path, caplog, phase):
    path = three(tmp_path, b=probe("b", GREEN, 3, fail_in=phase))
    caplog.set_level(logging.ERROR)
    with run_test(path, fps=20, raise_faults=False) as pilot:
        pilot.advance(3.0 + 1.2)
        assert pilot.scene_id == "c"
        pilot.advance(1.0)
        assert colour_at_centre(pilot) == (0, 0, 255)
        status = pilot.engine.status()
        assert status["faulted"]["b"]["count"] == 1
        assert any(e["where"] == "b" for e in status["errors"])
        # Next time round the faulted scene is skipped (it is in back-off).
        pilot.advance(3.0)
        assert pilot.scene_id == "a"
        pilot.advance(3.2)
        assert pilot.scene_id == "c"
    tracebacks = [r for r in caplog.records if "failed in" in r.getMessage() and "Traceback" in r.getMessage()]
    assert len(tracebacks) == 1  # logged once with its traceback, not every frame


@pytest.mark.injects_faults
def test_harness_reraises_scene_errors_by_default(tmp_path):
    path = three(tmp_path, a=probe("a", RED, 3, fail_in="draw"))
    with pytest.raises(RuntimeError, match="probe fails in draw"), run_test(path, fps=20) as pilot:
        pilot.advance(0.5)


@pytest.mark.injects_faults
def test_every_scene_faulted_plays_the_safe_card_never_black(tmp_path):
    path = write_show(tmp_path, {"a": probe("a", RED, 3, fail_in="draw"), "b": probe("b", GREEN, 3, fail_in="enter")})
    with run_test(path, fps=10, raise_faults=False) as pilot:
        pilot.advance(2.0)
        assert pilot.scene_id == "safe-mode"
        frame = pilot.frame()
        lit = sum(1 for x in range(0, frame.get_width(), 4) for y in range(0, frame.get_height(), 4)
                  if sum(tuple(frame.get_at((x, y)))[:3]) > 100)
        assert lit > 5  # text is visible: not a black screen
        assert pilot.engine.status()["scene"] == "safe-mode"


@pytest.mark.injects_faults
def test_faulted_scene_is_retried_after_backoff(tmp_path):
    path = three(tmp_path)
    with run_test(path, fps=10, raise_faults=False) as pilot:
        seq = pilot.engine.sequencer
        seq._fault("b", "draw", RuntimeError("once"))
        assert not seq._playable(1)
        pilot.advance(31)
        assert seq._playable(1)


def test_status_reports_what_a_technician_needs(tmp_path):
    with run_test(three(tmp_path), fps=20) as pilot:
        pilot.advance(1.0)
        pilot.command("status")
        address, (payload,) = pilot.replies[-1]
        import json

        status = json.loads(payload)
        assert address == "/bayard/status"
        assert status["scene"] == "a" and status["playlist"] == ["a", "b", "c"]
        assert status["fps"] > 0 and status["paused"] is False and status["blackout"] is False
        assert 0.9 <= status["elapsed"] <= 1.2


def test_scene_events_are_emitted_on_change(tmp_path):
    with run_test(three(tmp_path), fps=20) as pilot:
        pilot.advance(3.2)
        assert ("scene", ("b",)) in pilot.events


def test_scene_addressed_commands_reach_only_that_scene(tmp_path):
    with run_test(three(tmp_path), fps=20) as pilot:
        pilot.command("answer", 1, scene="b")
        scene = pilot.engine.sequencer.current.scene
        assert scene.handled == []
        pilot.command("answer", 1, scene="a")
        assert scene.handled == ["answer"]


def test_hitch_is_clamped(tmp_path):
    with run_test(three(tmp_path), fps=20) as pilot:
        pilot.clock.advance(2.5)  # a 2.5 s stall (a model loading)
        pilot.engine.step()
        assert pilot.engine.sequencer.current.elapsed < 0.3


def test_screenshot_writes_png(tmp_path):
    with run_test(three(tmp_path), fps=20) as pilot:
        pilot.command("screenshot")
        address, (path,) = pilot.replies[-1]
        assert address == "/bayard/screenshot"
        image = pygame.image.load(path)
        assert image.get_size() == (320, 180)


def test_a_burst_of_screenshot_requests_shares_one_picture_and_the_folder_is_capped(tmp_path, monkeypatch):
    """One OSC bundle of 100 /bayard/screenshot froze the show for 47 s (past the kiosk's
    30 s watchdog) and wrote 100 MB; a monitoring script left running filled the disk."""
    from installation import screenshots

    with run_test(three(tmp_path), fps=20) as pilot:
        for _ in range(100):
            pilot.engine.post(Command("screenshot", reply=pilot._reply))
        pilot.step()
        paths = {args[0] for address, args in pilot.replies if address == "/bayard/screenshot"}
        assert len(paths) == 1  # every requester is answered, with the one picture
        folder = tmp_path / "var" / "screenshots"
        assert len(list(folder.glob("*.png"))) == 1
        pilot.advance(1.1)
        pilot.command("screenshot")
        assert len(list(folder.glob("*.png"))) == 2  # a second later, a new one
        monkeypatch.setattr(screenshots, "KEPT", 3)
        (folder / "notes.txt").write_text("the technician's own file")
        for _ in range(4):
            pilot.advance(1.1)
            pilot.command("screenshot")
        assert len(list(folder.glob("bayard-*.png"))) == 3 and (folder / "notes.txt").exists()
        newest = pilot.replies[-1][1][0]
        assert Path(newest).exists()


def test_closed_hours_release_scenes_and_resume_where_they_were(tmp_path):
    from .probe import ProbeScene

    with run_test(three(tmp_path), fps=20) as pilot:
        pilot.command("goto", "b")
        ProbeScene.log_of_calls.clear()
        pilot.engine.dark_reason = "closed"
        pilot.advance(1.0)
        assert pilot.engine.sequencer.current is None  # b was exited: nothing runs unseen
        assert colour_at_centre(pilot) == (0, 0, 0)
        assert not any(phase == "update" for _, phase in ProbeScene.log_of_calls[-5:])
        pilot.engine.dark_reason = None
        pilot.advance(0.2)
        assert pilot.scene_id == "b"


def test_hold_safe_then_reload_brings_the_show_back(tmp_path):
    with run_test(three(tmp_path), fps=10) as pilot:
        pilot.engine.sequencer.hold_safe("test")
        pilot.advance(6)
        assert pilot.scene_id == "safe-mode"  # held: no scenes to go back to
        pilot.command("reload")
        pilot.advance(6)
        assert pilot.scene_id in ("a", "b", "c")


def test_screenshot_on_a_full_disk_replies_with_an_error_and_leaves_no_file(tmp_path, monkeypatch):
    import errno
    import json
    import os

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    with run_test(three(tmp_path), fps=20) as pilot:
        monkeypatch.setattr(os, "fsync", full)
        pilot.command("screenshot")
        monkeypatch.undo()
        address, (payload,) = pilot.replies[-1]
        assert address == "/bayard/reply/screenshot"
        reply = json.loads(payload)
        assert reply["status"] == "error" and "No space left on device" in reply["data"]
        folder = tmp_path / "var" / "screenshots"
        assert not list(folder.iterdir())  # no 0-byte PNG, no temporary file


def test_a_scene_warning_reaches_status_as_a_warning_and_an_error_as_an_error(tmp_path, caplog):
    """A camera mounted turned is advice (the show plays as meant); a missing file is an
    error. Logged, listed and pushed as such, a technician filtering on errors sees only
    what is broken."""
    import logging

    with run_test(three(tmp_path), fps=20) as pilot:
        context = pilot.engine.sequencer.current.scene.context
        with caplog.at_level(logging.WARNING, logger="bayard"):
            context.report("set rotation = 180 under [camera]", severity="warning")
            context.report("media file x.jpg not found")
            pilot.step()
        kinds = {e["message"]: e["severity"] for e in pilot.engine.errors}
        assert kinds == {"set rotation = 180 under [camera]": "warning", "media file x.jpg not found": "error"}
        assert ("warning", ("a", "set rotation = 180 under [camera]")) in pilot.events
        assert ("error", ("a", "media file x.jpg not found")) in pilot.events
        levels = {r.getMessage().split(": ", 1)[1]: r.levelno for r in caplog.records if "scene 'a'" in r.getMessage()}
        assert levels == {"set rotation = 180 under [camera]": logging.WARNING,
                          "media file x.jpg not found": logging.ERROR}


def test_a_screenshot_folder_that_is_a_file_or_a_deleted_picture_is_handled(tmp_path):
    from installation import screenshots

    with run_test(three(tmp_path), fps=20) as pilot:
        pilot.command("screenshot")
        first = Path(pilot.replies[-1][1][0])
        first.unlink()  # someone tidied the folder within the second
        pilot.command("screenshot")
        assert Path(pilot.replies[-1][1][0]).exists()  # never a path to nothing
        shot = screenshots.Screenshots()
        (tmp_path / "blocker").write_text("a file where the folder should be")
        with pytest.raises(OSError, match="no screenshot saved in"):
            shot.take(pilot.engine.frame, tmp_path / "blocker", 0.0, 0.0, 1)
