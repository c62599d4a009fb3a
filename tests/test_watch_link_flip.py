"""A technician stages the next show beside the running one and flips `current -> show-v2`.

The watcher watched the folder the link led to when the show last loaded (show-v1), so:
a flip with no edit after it was never seen; a flip whose new install.toml had an error was
refused (rightly) but left the watcher on show-v1, and the technician's fix of show-v2's file
was never seen either. The watcher watches the folder as it was named (`current`), notices
where the link leads now, and reloads. While the link is missing (`rm current` then
`ln -s show-v2 current`) the show plays on as it was and says why."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from installation.clock import FakeClock
from installation.config.loader import load_show
from installation.engine import Engine, init_pygame
from installation.runtime.attach import attach
from installation.runtime.service import RuntimeConfig

from .conftest import title_scene, write_show


def _shows(tmp_path: Path) -> tuple[Engine, FakeClock]:
    write_show(tmp_path / "show-v1", {"one": title_scene("one", duration=5)})
    write_show(tmp_path / "show-v2", {"two": title_scene("two", duration=5)})
    (tmp_path / "current").symlink_to("show-v1")
    env = {"STATE_DIRECTORY": str(tmp_path / "runtime-state"), "LOGS_DIRECTORY": str(tmp_path / "logs"),
           "XDG_CACHE_HOME": str(tmp_path / "cache")}
    init_pygame(headless=True)
    clock = FakeClock()
    engine = Engine(load_show(tmp_path / "current" / "install.toml"), clock)
    attach(engine, env=env, config=RuntimeConfig(watch=True))
    engine.step()
    time.sleep(0.5)  # (the watcher arms)
    return engine, clock


def _flip(tmp_path: Path, to: str) -> None:
    """`ln -sfn to current`: a new link made beside it and renamed over it (atomic)."""
    (tmp_path / "current.new").symlink_to(to)
    os.replace(tmp_path / "current.new", tmp_path / "current")


def _watch_reloads(engine: Engine, seconds: float) -> list:
    """The reloads the watcher asks for within `seconds` (real time: the watcher is a thread)."""
    deadline, got = time.monotonic() + seconds, []
    while time.monotonic() < deadline and not got:
        got += [c for c in engine.queue.drain() if c.name == "reload" and c.source == "watch"]
        time.sleep(0.05)
    return got


def _play(engine: Engine, clock: FakeClock, seconds: float) -> None:
    for _ in range(round(seconds * 30)):
        clock.advance(1 / 30)
        engine.step()
        engine.sequencer.wait_prepared()


@pytest.mark.slow
def test_a_flip_with_no_edit_after_it_is_seen_and_reloads_the_show_the_link_names(tmp_path):
    engine, clock = _shows(tmp_path)
    try:
        _flip(tmp_path, "show-v2")
        asked = _watch_reloads(engine, 6.0)
        assert asked, "the flip of current -> show-v2 was not seen: show-v1 plays on until someone reloads"
        assert engine.reload(at_once=True) is True
        _play(engine, clock, 2.0)
        assert engine.sequencer.current.scene_id == "two"
        # (status says which version plays: the link's name alone does not)
        assert engine.status()["services"]["runtime"]["show_folder"] == str((tmp_path / "show-v2").resolve())
    finally:
        engine.shutdown()


@pytest.mark.slow
def test_after_a_refused_flip_the_fix_of_the_new_show_file_is_seen(tmp_path):
    engine, clock = _shows(tmp_path)
    show_file = tmp_path / "show-v2" / "install.toml"
    good = show_file.read_text()
    show_file.write_text(good.replace("[display]", "[display\n", 1))  # (a bracket left open)
    try:
        _flip(tmp_path, "show-v2")
        assert engine.reload(at_once=True) is False  # refused: the last good show (show-v1) plays on
        _play(engine, clock, 1.0)
        assert engine.sequencer.current.scene_id == "one"
        for command in _watch_reloads(engine, 3.0):  # (the watcher may say the flip too: refused the same)
            assert engine.reload(at_once=True) is False, command
        show_file.write_text(good)  # the technician's fix, in the show the link names
        asked = _watch_reloads(engine, 6.0)
        assert asked, "the fix of show-v2/install.toml was not seen: the watcher stayed on show-v1"
        assert engine.reload(at_once=True) is True
        _play(engine, clock, 2.0)
        assert engine.sequencer.current.scene_id == "two"
    finally:
        engine.shutdown()


@pytest.mark.slow
def test_a_link_removed_then_made_again_keeps_the_show_playing_and_says_why(tmp_path):
    engine, clock = _shows(tmp_path)
    runtime = engine.services["runtime"]
    try:
        (tmp_path / "current").unlink()  # `rm current` ...
        _play(engine, clock, 1.0)
        assert engine.reload(at_once=True) is False  # (a reload landing in the gap is refused)
        _play(engine, clock, 1.0)
        current = engine.sequencer.current
        assert current.scene_id == "one" and current.scene is not None, "the show stopped while the link was gone"
        frame = engine.step()
        assert frame.get_at((frame.get_width() // 2, frame.get_height() // 2))[:3] == (0x10, 0x20, 0x30)
        said = [e["message"] for e in engine.status()["errors"] if e["where"] == "reload"]
        assert any("current" in m and "plays on" in m for m in said), said
        deadline = time.monotonic() + 4.0
        while time.monotonic() < deadline and not (runtime.watcher.problem or "").count("link"):
            time.sleep(0.05)
        assert "link" in (runtime.watcher.problem or ""), runtime.watcher.problem
        (tmp_path / "current").symlink_to("show-v2")  # ... `ln -s show-v2 current`
        asked = _watch_reloads(engine, 6.0)
        assert asked, "the link made again was not seen"
        assert engine.reload(at_once=True) is True
        _play(engine, clock, 2.0)
        assert engine.sequencer.current.scene_id == "two"
        deadline = time.monotonic() + 3.0
        while time.monotonic() < deadline and runtime.watcher.problem is not None:
            time.sleep(0.05)
        assert runtime.watcher.problem is None, "status still says the show folder is missing"
    finally:
        engine.shutdown()
