"""A live show's last good copy is made on a thread of its own (LastGoodKeeper), a daemon the
process does not wait for: the service stopped (or restarted by a technician) just after an
edit landed ended the copy half made, and the next start played the copy before the edit.
Shutting down waits for a copy under way, a bounded time (a stick that hangs must not hold the
stop: the copy moved aside then stands in, test_last_good_cut.py)."""

from __future__ import annotations

import json
import threading

from installation.clock import FakeClock
from installation.config import lastgood
from installation.config.loader import load_show
from installation.engine import Engine, init_pygame

from .conftest import title_scene, write_show


def test_a_show_stopped_just_after_an_edit_landed_keeps_that_edit_as_its_last_good_copy(tmp_path, monkeypatch):
    path = write_show(tmp_path, {"a": title_scene("a", duration=3, heading="Before")})
    show = load_show(path)
    lastgood.remember(show)  # (as `bayard run` does at the start)
    init_pygame(headless=True)
    engine = Engine(show, FakeClock())  # live: the copy is made on the keeper's thread
    stopping = threading.Event()
    real_remember = lastgood.remember

    def slow_remember(kept):  # a stick slow to take the copy: still at it when the stop comes
        stopping.wait(30)  # (bounded only so a failing test ends)
        threading.Event().wait(0.2)
        return real_remember(kept)

    monkeypatch.setattr(lastgood, "remember", slow_remember)
    real_shutdown = engine.sequencer.shutdown

    def sequencer_shutdown():
        stopping.set()
        real_shutdown()

    engine.sequencer.shutdown = sequencer_shutdown
    try:
        engine.step()
        scene = tmp_path / "scenes" / "a.toml"
        scene.write_text(scene.read_text().replace("Before", "After"))
        assert engine.reload() is True
    finally:
        engine.shutdown()
    kept = tmp_path / "var" / lastgood.FOLDER
    assert "After" in (kept / "scenes" / "a.toml").read_text(), "the stop left the copy made before the edit"
    assert json.loads((kept / "origin.json").read_text())["source"] == str(path.resolve())
