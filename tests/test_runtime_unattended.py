"""Unattended operation on a live headless show: hours, clock jumps, bad saves, safe mode, full disk.

Each test ends with the show still playing (or dark only because it is closed) and the
problem said once in the log.
"""

from __future__ import annotations

import errno
import logging
import time

import pygame
import pytest

from installation.commands import Command
from installation.harness import run_test
from installation.runtime import crashguard
from installation.runtime.attach import attach
from installation.runtime.service import RuntimeConfig
from installation.scenes.base import SCENE_KINDS, Scene, register_scene

from .conftest import title_scene, write_show

HOURS = """
[hours]
enabled = true
timezone = "Europe/Paris"
mon = ["10:00-18:00"]
tue = ["10:00-18:00"]
wed = ["10:00-18:00"]
thu = ["10:00-18:00"]
fri = ["10:00-18:00"]
sat = ["10:00-18:00"]
sun = ["10:00-18:00"]
"""


def black(surface: pygame.Surface) -> bool:
    return int(pygame.surfarray.pixels3d(surface).max()) < 8


def lit_pixels(surface: pygame.Surface) -> int:
    return int((pygame.surfarray.array3d(surface).max(axis=2) > 8).sum())


@pytest.fixture(autouse=True)
def clean_root():
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in before:
            root.removeHandler(handler)
        for f in list(handler.filters):
            if type(f).__name__ == "RepeatFilter":
                handler.removeFilter(f)
    root.setLevel(level)


def env_for(tmp_path):
    return {"STATE_DIRECTORY": str(tmp_path / "state"), "LOGS_DIRECTORY": str(tmp_path / "logs")}


def two_scenes(tmp_path, extra=""):
    return write_show(tmp_path, {"a": title_scene("a", background="#403020"),
                                 "b": title_scene("b", background="#203040")}, extra=extra)


def test_closed_hours_dark_with_clock_override_and_clock_jumps(tmp_path):
    # The harness clock starts 2026-01-01 00:00 UTC = 01:00 in Paris: closed.
    show = two_scenes(tmp_path, HOURS)
    with run_test(show) as pilot:
        runtime = attach(pilot.engine, env=env_for(tmp_path))
        runtime.display = None  # no DPMS in a test: the dark screen with a clock
        pilot.advance(1.5)
        frame = pilot.frame()
        assert pilot.engine.dark_reason == "closed"
        assert 0 < lit_pixels(frame) < 0.01 * frame.get_width() * frame.get_height()  # just the tiny clock
        # Move to 17:00 (open), then NTP jumps +2 h (19:00, closed) and -1 h (18:00, closing time).
        pilot.clock.jump_wall(16 * 3600)
        pilot.advance(1.5)
        assert pilot.engine.dark_reason is None and not black(pilot.frame())
        pilot.clock.jump_wall(2 * 3600)
        pilot.advance(1.5)
        assert pilot.engine.dark_reason == "closed"
        pilot.clock.jump_wall(-3600)
        pilot.advance(1.5)
        assert pilot.engine.dark_reason == "closed"
        pilot.clock.jump_wall(-3600)
        pilot.advance(1.5)
        assert pilot.engine.dark_reason is None and not black(pilot.frame())
        pilot.clock.jump_wall(3 * 3600)  # 20:00: closed again for the override below
        pilot.advance(1.5)
        assert pilot.engine.dark_reason == "closed"
        # The technician opens it by command (OSC /bayard/hours open, once mapped).
        pilot.command("hours", "open", source="osc")
        pilot.advance(1.5)
        assert pilot.engine.dark_reason is None and not black(pilot.frame())
        assert pilot.replies and '"status": "ok"' in pilot.replies[-1][1][0]
        status = pilot.engine.status()["services"]["runtime"]
        assert status["hours"]["override"] == "open" and pilot.engine.status()["frames"] > 100
        # A technician's blackout stays fully black, clock included.
        pilot.command("hours", "closed", source="osc")
        pilot.command("blackout", 1)
        pilot.advance(1.5)
        assert black(pilot.frame())
        runtime.stop()


def test_bad_save_keeps_the_last_good_show_and_says_so(tmp_path, caplog):
    show = two_scenes(tmp_path)  # watching is on by default
    with run_test(show) as pilot:
        runtime = attach(pilot.engine, env=env_for(tmp_path))
        time.sleep(0.5)
        (tmp_path / "scenes/a.toml").write_text('type = "title"\nid = "a"\nheading = "half a fi')  # half-saved
        deadline = time.monotonic() + 10
        with caplog.at_level(logging.ERROR):
            while time.monotonic() < deadline and not any(e["where"] == "reload" for e in pilot.engine.errors):
                pilot.step()
                time.sleep(0.02)
        assert any("a.toml" in e["message"] for e in pilot.engine.errors if e["where"] == "reload")
        pilot.advance(12)  # through a scene change
        assert not black(pilot.frame()) and pilot.scene_id in ("a", "b")
        runtime.stop()


def test_crash_loop_starts_the_safe_card_then_retries_the_full_show(tmp_path):
    show = two_scenes(tmp_path)
    env = env_for(tmp_path)
    guard = crashguard.CrashGuard(tmp_path / "state", max_starts=3)
    for _ in range(3):
        guard.record_start()
    with run_test(show) as pilot:
        runtime = attach(pilot.engine, env=env)
        pilot.advance(2)
        assert runtime.safe_mode and pilot.scene_id == "safe-mode"
        assert not black(pilot.frame())  # the safe card, never a black screen
        assert any("safe mode" in e["message"] for e in pilot.engine.errors)
        pilot.advance(30)
        assert pilot.scene_id == "safe-mode"  # held: the sequencer has nothing else to play
        runtime.guard.state.safe_since -= 2 * 3600  # the hour in safe mode has passed
        pilot.advance(2)
        assert not runtime.safe_mode and pilot.scene_id in ("a", "b")
        runtime.stop()


@register_scene("test-boom")
class Boom(Scene):
    Config = SCENE_KINDS.get("title").Config.__base__

    def draw(self, surface):
        raise RuntimeError("boom in draw")


@pytest.mark.injects_faults
def test_scene_raising_in_draw_with_a_full_disk(tmp_path, monkeypatch):
    show = write_show(tmp_path, {"a": title_scene("a", duration=3), "boom": 'type = "test-boom"\nid = "boom"\n'},
                      playlist=["a", "boom"])
    with run_test(show, raise_faults=False) as pilot:
        runtime = attach(pilot.engine, env=env_for(tmp_path))
        handler = runtime.logs.file_handler
        monkeypatch.setattr(handler, "shouldRollover",
                            lambda record: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left on device")))
        for _ in range(20):
            pilot.advance(1)
            assert not black(pilot.frame())
        assert runtime.logs.write_errors > 0  # counted, not raised
        assert "boom" in pilot.engine.status()["faulted"]
        monkeypatch.undo()
        pilot.advance(1)
        runtime.stop()


def write_png(path, colour=(180, 150, 120)):
    path.parent.mkdir(parents=True, exist_ok=True)
    surface = pygame.Surface((120, 90))
    surface.fill(colour)
    pygame.image.save(surface, str(path))


@pytest.mark.parametrize("damage", ["delete", "corrupt", "truncate"])
def test_media_damaged_mid_show_shows_the_stand_in(tmp_path, caplog, damage):
    image = tmp_path / "content/photos/print.png"
    write_png(image)
    photo = 'type = "photograph"\nid = "photo"\nduration = 4\nimage = "photos/print.png"\n'
    show = write_show(tmp_path, {"a": title_scene("a", duration=4), "photo": photo}, playlist=["a", "photo"])
    with run_test(show, raise_faults=False) as pilot:
        runtime = attach(pilot.engine, env=env_for(tmp_path), config=RuntimeConfig(watch=False))
        pilot.advance(10)  # a full cycle with the real print
        if damage == "delete":
            image.unlink()
        elif damage == "corrupt":
            image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
        else:
            image.write_bytes(image.read_bytes()[:40])
        with caplog.at_level(logging.WARNING):
            for _ in range(30):
                pilot.advance(0.5)
                assert not black(pilot.frame())
        assert pilot.scene_id in ("a", "photo")
        said = [r for r in caplog.records if "print.png" in r.getMessage()]
        assert 1 <= len(said) <= 3  # said, once per showing at most, not once per frame
        runtime.stop()


def test_a_reload_that_brings_the_show_back_ends_safe_mode_in_status(tmp_path):
    show = two_scenes(tmp_path)
    guard = crashguard.CrashGuard(tmp_path / "state", max_starts=3)
    for _ in range(3):
        guard.record_start()
    with run_test(show) as pilot:
        runtime = attach(pilot.engine, env=env_for(tmp_path))
        pilot.advance(1)
        assert pilot.engine.status()["services"]["runtime"]["safe_mode"] is True
        assert runtime.health.errors == {"runtime": 1}  # counted, so the metrics' alerts see it
        pilot.command("reload", 1)
        pilot.advance(1)
        assert pilot.scene_id in ("a", "b")
        status = pilot.engine.status()["services"]["runtime"]
        assert status["safe_mode"] is False and status["restarts"]["safe_mode"] is False
        assert "SAFE MODE" not in runtime.status_line()
        runtime.stop()


@pytest.mark.injects_faults
def test_a_broken_overlay_is_removed_and_recorded_as_a_fault(tmp_path):
    """An overlay (the operator's status panel, a kiosk note) is a helper: when it raises
    the show draws on without it. A test must still see it fail."""
    from installation.faults import FaultRecorder

    class BrokenOverlay:
        def draw(self, surface):
            raise KeyError("status field gone")

        def handle(self, command):
            return False

    show = write_show(tmp_path, {"a": title_scene("a", duration=30)}, playlist=["a"])
    with FaultRecorder() as recorder, run_test(show, raise_faults=False) as pilot:
        overlay = BrokenOverlay()
        pilot.engine.overlays.append(overlay)
        pilot.advance(0.5)
        assert overlay not in pilot.engine.overlays and not black(pilot.frame())
    assert [(f.scene_id, f.phase) for f in recorder.faults] == [("overlay", "draw")]


def test_a_morning_opening_starts_from_the_first_scene_and_commands_while_closed_are_answered(tmp_path):
    """At opening time the show resumed at whatever scene was showing at closing time, and
    goto or next sent while closed were dropped in silence."""
    show = write_show(tmp_path, {k: title_scene(k, duration=5) for k in ("a", "b", "c")}, playlist=["a", "b", "c"])
    with run_test(show, fps=2) as pilot:
        while pilot.scene_id != "b" and pilot.clock.now() < 30:
            pilot.advance(0.5)
        assert pilot.scene_id == "b"
        pilot.engine.dark_reason = "closed"  # closing time, as the schedule sets it
        pilot.advance(2)
        pilot.command("next", source="osc")
        pilot.step()
        assert pilot.replies and '"status": "error"' in pilot.replies[-1][1][0]
        assert "closed" in pilot.replies[-1][1][0] and "/bayard/hours open" in pilot.replies[-1][1][0]
        pilot.advance(60)  # a short closure (an override for a minute) resumes where it was
        pilot.engine.dark_reason = None
        pilot.advance(1)
        assert pilot.scene_id == "b"
        pilot.engine.dark_reason = "closed"
        pilot.advance(900)  # overnight, in short
        pilot.engine.dark_reason = None
        pilot.advance(1)
        assert pilot.scene_id == "a"


def test_hours_open_and_a_goto_in_the_same_moment_both_work(tmp_path):
    """A goto sent just after `hours open` was refused as "closed": the engine read its own
    closed state before the frame had taken the opening in."""
    show = write_show(tmp_path, {k: title_scene(k, duration=5) for k in ("a", "b", "c")},
                      playlist=["a", "b", "c"], extra=HOURS)
    with run_test(show, fps=10) as pilot:
        runtime = attach(pilot.engine, env=env_for(tmp_path))
        runtime.display = None
        pilot.advance(1.5)
        assert pilot.engine.dark_reason == "closed"  # 01:00 in Paris
        pilot.engine.post(Command("hours", ("open",), source="osc"))
        pilot.engine.post(Command("goto", ("c",), source="osc"))
        pilot.advance(1.0)
        assert pilot.engine.dark_reason is None and pilot.scene_id == "c"
        runtime.stop()


def test_status_gives_each_figure_of_the_render_loop_once(tmp_path):
    """fps, uptime, frames, the version and the scene were in the status twice, at the top
    and again under services.runtime (301 frames in one place, 300 in the other)."""
    show = two_scenes(tmp_path)
    with run_test(show) as pilot:
        attach(pilot.engine, env=env_for(tmp_path))
        pilot.advance(3.0)
        status = pilot.engine.status()
        runtime = status["services"]["runtime"]
        assert status["fps"] > 0 and status["uptime"] == 3.0 and status["frames"] > 80
        assert status["version"] and status["scene"] == "a"
        for figure in ("fps", "uptime", "uptime_s", "frames", "version", "scene"):
            assert figure not in runtime, figure
        # What only the runtime knows stays there.
        assert runtime["seconds_since_frame"] < 0.1 and runtime["rss_mb"] > 10 and "worst_frame_ms" in runtime
