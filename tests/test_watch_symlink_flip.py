"""After a technician's `current -> show-v2` flip and a reload, the show plays show-v2, but the
file watcher stayed on the folder it was started on (show-v1): edits to show-v2 reloaded only
when someone asked for a reload by hand, until the show restarted, and edits to show-v1 (which
no longer played) still reloaded. The watcher follows the folder the reload read."""

from __future__ import annotations

import logging
import os
import time

import pytest

from installation.clock import FakeClock
from installation.config.loader import load_show
from installation.engine import Engine, init_pygame
from installation.runtime.attach import attach
from installation.runtime.service import RuntimeConfig

from .conftest import title_scene, write_show


def _reloads_asked(engine: Engine, seconds: float, flipped: str = "") -> list:
    """The reloads the watcher posts within `seconds` (real time: the watcher is a real thread),
    less the one it asks for when it sees the link `flipped` (it always does: see watch.py)."""
    deadline, got = time.monotonic() + seconds, []
    while time.monotonic() < deadline and not got:
        got += [c for c in engine.queue.drain() if c.name == "reload" and c.source == "watch"
                and c.extra["changed"] != [flipped]]
        time.sleep(0.05)
    return got


@pytest.mark.slow
def test_after_a_symlink_flip_and_a_reload_edits_to_the_new_show_reload_it(tmp_path, caplog):
    write_show(tmp_path / "show-v1", {"one": title_scene("one", duration=5)})
    write_show(tmp_path / "show-v2", {"two": title_scene("two", duration=5)})
    (tmp_path / "current").symlink_to("show-v1")
    env = {"STATE_DIRECTORY": str(tmp_path / "state"), "LOGS_DIRECTORY": str(tmp_path / "logs"),
           "XDG_CACHE_HOME": str(tmp_path / "cache")}
    init_pygame(headless=True)
    engine = Engine(load_show(tmp_path / "current" / "install.toml"), FakeClock())
    runtime = attach(engine, env=env, config=RuntimeConfig(watch=True))
    try:
        engine.step()
        (tmp_path / "next").symlink_to("show-v2")
        os.replace(tmp_path / "next", tmp_path / "current")  # (atomic, as a technician's ln -sfn)
        with caplog.at_level(logging.INFO, logger="bayard.runtime"):
            assert engine.reload(at_once=True) is True
        assert engine.show.playlist == ["two"]
        deadline = time.monotonic() + 5.0  # (the watcher sees the flip within its second's look)
        while time.monotonic() < deadline and runtime.watcher.link.leads_to != (tmp_path / "show-v2").resolve():
            time.sleep(0.05)
        time.sleep(0.5)  # (and watches show-v2)
        (tmp_path / "show-v2" / "scenes" / "two.toml").write_text(title_scene("two", duration=7))
        asked = _reloads_asked(engine, 8.0, flipped=str(tmp_path / "current"))
        assert asked, "an edit to the show that plays (show-v2) did not reload it"
        assert asked[0].extra["changed"] == ["scenes/two.toml"]
        time.sleep(1.0)
        engine.queue.drain()
        (tmp_path / "show-v1" / "scenes" / "one.toml").write_text(title_scene("one", duration=9))
        assert _reloads_asked(engine, 2.5) == [], "an edit to the old show (show-v1, no longer played) reloaded"
        assert runtime.watcher.alive and runtime.watcher.problem is None
        assert f"watching {(tmp_path / 'show-v2').resolve()} now" in caplog.text, "the log did not say it"
    finally:
        engine.shutdown()
