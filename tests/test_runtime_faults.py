"""Fault isolation: a scene that raises is skipped, retried with backoff, logged once."""

from __future__ import annotations

import logging

from installation.runtime.faults import FaultTracker


class Tick:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def broken_draw(surface):
    return 1 / 0


def test_a_raising_scene_is_caught_skipped_and_retried_with_backoff(caplog):
    tick = Tick()
    seen = []
    faults = FaultTracker(tick, base_backoff_s=30, max_backoff_s=120, on_fault=seen.append)
    with caplog.at_level(logging.WARNING):
        ok, result = faults.call("quiz", "draw", broken_draw, None)
    assert ok is False and result is None
    assert not faults.available("quiz") and faults.available("intro")
    assert "Traceback" in caplog.text and "ZeroDivisionError" in caplog.text and "quiz" in caplog.text
    waits = []
    for _ in range(4):
        tick.t = faults.faults["quiz"].retry_at
        assert faults.available("quiz")
        before = tick.t
        faults.call("quiz", "draw", broken_draw, None)
        waits.append(faults.faults["quiz"].retry_at - before)
    assert waits == [60, 120, 120, 120]  # doubling, capped
    assert caplog.text.count("Traceback") == 1  # the same error again is one line, not a traceback
    assert seen[-1].count == 5
    faults.recovered("quiz")
    assert faults.available("quiz") and faults.status() == {}


def test_success_passes_through_and_all_faulted():
    tick = Tick()
    faults = FaultTracker(tick)
    assert faults.call("intro", "update", lambda dt: dt * 2, 0.5) == (True, 1.0)
    faults.call("a", "enter", broken_draw, None)
    assert not faults.all_faulted(["a", "b"])
    faults.call("b", "load", broken_draw, None)
    assert faults.all_faulted(["a", "b"])
    assert faults.all_faulted([])
    faults.forget(keep=["a"])
    assert set(faults.status()) == {"a"}


def test_a_broken_listener_does_not_escape():
    faults = FaultTracker(Tick(), on_fault=lambda fault: 1 / 0)
    assert faults.call("x", "draw", broken_draw, None) == (False, None)
