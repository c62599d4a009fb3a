"""A prepare past PREPARE_DEADLINE_S skips its scene (test_stick_hung_prepare.py: a read hung on
a stick). A healthy prepare can take that long too on a Pi-class machine: a quiz judging its
pictures took 7 s on a development machine at its first showing, a portrait's first mesh 4 s.
Such a scene was skipped as a fault, its card said its drive did not answer, and each retry
started it over. A prepare whose thread works (spends CPU time) is slow, not stuck: it runs on."""

from __future__ import annotations

import threading
import time

from installation import readying
from installation.clock import FakeClock
from installation.readying import Readying
from installation.slot import Slot


class _Scene:
    """A scene whose prepare() works for `seconds` of real time (a slow machine's judging)."""

    def __init__(self, seconds: float | None, answer: threading.Event | None = None) -> None:
        self.seconds, self.answer = seconds, answer
        self.prepared = False

    def prepare(self) -> None:
        if self.answer is not None:
            self.answer.wait(30)  # a read hung on a drive: no work at all
        else:
            end = time.thread_time() + self.seconds
            while time.thread_time() < end:
                sum(range(1000))
        self.prepared = True

    def warm(self):
        return iter(())


def _ready_on_a_fast_clock(scene: _Scene, monkeypatch) -> tuple[Slot, list[str]]:
    """Ready `scene` while its prepare runs, the show's clock 2 s a look past a 5 s deadline."""
    monkeypatch.setattr(readying, "PREPARE_DEADLINE_S", 5.0)
    faults: list[str] = []
    clock = FakeClock()
    ready = Readying(lambda scene_id, phase, exc, slot=None: faults.append(f"{scene_id} {phase}: {exc}"),
                     synchronous=False, now=clock.now)
    slot = Slot("quiz", scene, 0)
    ready.begin(slot)
    for _ in range(2000):
        if ready.ready(slot, None):
            break
        clock.advance(2.0)
        threading.Event().wait(0.01)
    ready.shutdown(lambda slot: None)
    return slot, faults


def test_a_prepare_that_works_past_the_deadline_is_not_skipped(monkeypatch):
    scene = _Scene(seconds=1.0)  # ~100 looks: 200 s of show time, forty deadlines
    slot, faults = _ready_on_a_fast_clock(scene, monkeypatch)
    assert faults == [], f"a slow but working prepare was skipped: {faults}"
    assert scene.prepared and slot.scene is scene and slot.warmed


def test_a_prepare_that_does_no_work_past_the_deadline_is_still_skipped(monkeypatch):
    answer = threading.Event()
    try:
        slot, faults = _ready_on_a_fast_clock(_Scene(None, answer), monkeypatch)
    finally:
        answer.set()
    assert len(faults) == 1 and "did not finish within 5 s" in faults[0], faults
