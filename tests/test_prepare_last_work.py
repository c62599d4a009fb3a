"""A prepare past its deadline is skipped, counted from its last sign of work (CPU time spent by
its thread): a film copied off a stick works a moment, then hangs in a read on the stick. The
CPU time was compared only at the deadline, from the show time the prepare was first seen
running: work done before the read hung counted as a sign of work at the deadline, and the
scene was given a whole new span, skipped up to twice the deadline after it hung (a busy
machine, on which the worker is seen running before it reaches the stick, did this each time)."""

from __future__ import annotations

import threading
import time

from installation import readying
from installation.clock import FakeClock
from installation.readying import Readying
from installation.slot import Slot

DEADLINE_S = 5.0
FRAME_S = 1 / 30


class WorksThenHangs:
    """A scene whose prepare waits for `go`, spends CPU time (a copy's first reads, checks),
    then hangs (a read on a stick that does not answer) until `answer`."""

    def __init__(self) -> None:
        self.go, self.hung, self.answer = threading.Event(), threading.Event(), threading.Event()

    def prepare(self) -> None:
        self.go.wait(30)
        start = time.thread_time()
        while time.thread_time() - start < 0.02:  # (20 ms of CPU time: far more than WORKING_CPU_S)
            pass
        self.hung.set()
        self.answer.wait(30)  # (bounded only so a failing test ends)

    def exit(self) -> None:
        pass


def test_a_prepare_that_hangs_after_working_is_skipped_a_deadline_after_its_last_work(monkeypatch):
    monkeypatch.setattr(readying, "PREPARE_DEADLINE_S", DEADLINE_S)
    clock = FakeClock()
    overdue: list[tuple[str, str, BaseException]] = []
    ready = Readying(lambda scene_id, phase, exc, slot: overdue.append((scene_id, phase, exc)),
                     synchronous=False, now=clock.now)
    scene = WorksThenHangs()
    slot = Slot("film", scene, 0)
    try:
        assert ready.begin(slot)
        while not slot.prepared.running():  # (the worker has taken it: a condition, not a wait)
            threading.Event().wait(0.001)
        assert ready.ready(slot, None) is False  # seen running: its span begins
        clock.advance(FRAME_S)
        assert ready.ready(slot, None) is False
        scene.go.set()  # it works a moment...
        assert scene.hung.wait(10), "the prepare never reached its hang"
        clock.advance(FRAME_S)
        assert ready.ready(slot, None) is False  # ...and this frame sees it has
        hung_at = clock.now()
        while not overdue and clock.now() < hung_at + 3 * DEADLINE_S:
            clock.advance(FRAME_S)
            ready.ready(slot, None)
        assert overdue and overdue[0][:2] == ("film", "prepare"), "never skipped"
        assert isinstance(overdue[0][2], readying.PrepareOverdue)
        assert clock.now() - hung_at <= DEADLINE_S + 2 * FRAME_S, (
            f"skipped {clock.now() - hung_at:.1f} s after its last work, for a deadline of {DEADLINE_S:g} s")
    finally:
        scene.go.set()
        scene.answer.set()
        ready.shutdown(lambda released: None)
