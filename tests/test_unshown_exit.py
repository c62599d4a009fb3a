"""A scene that was never shown (readied ahead, then let go: its prepare ran past its deadline,
or the technician moved elsewhere while it prepared) is exited once its prepare returns, to
close what that prepare opened. Its exit failing is no new fault of the show: the fault boundary
let such a scene go quietly, but one whose prepare was still running was exited later through
the sequencer's own release, where the same error counted as a fresh "exit" fault: a second
count against the scene (a longer back-off, a second line on the overlay) for one hung drive.
One rule wherever it is released: quiet, and said once in the log."""

from __future__ import annotations

import logging
import threading

import pytest

from installation import readying
from installation.clock import FakeClock
from installation.config.loader import load_show
from installation.engine import Engine, init_pygame
from installation.scenes.title import TitleScene

from .conftest import title_scene, write_show


def _slow_scene_that_fails_to_exit(monkeypatch) -> threading.Event:
    """Scene 'slow' prepares until the returned event is set, and its exit() raises."""
    answer = threading.Event()
    prepare, exit_ = TitleScene.prepare, TitleScene.exit

    def slow_prepare(self):
        if self.id == "slow":
            answer.wait(30)  # (bounded only so a failing test ends)
        return prepare(self)

    def failing_exit(self):
        if self.id == "slow":
            raise RuntimeError("its file handle was already closed")
        return exit_(self)

    monkeypatch.setattr(TitleScene, "prepare", slow_prepare)
    monkeypatch.setattr(TitleScene, "exit", failing_exit)
    return answer


def _engine(tmp_path) -> tuple[Engine, FakeClock]:
    write_show(tmp_path, {"intro": title_scene("intro", duration=2), "slow": title_scene("slow", duration=2),
                          "after": title_scene("after", duration=60)}, ["intro", "slow", "after"])
    init_pygame(headless=True)
    clock = FakeClock()
    return Engine(load_show(tmp_path / "install.toml"), clock), clock


def _step_until(engine: Engine, clock: FakeClock, done, frames: int = 600) -> None:
    for _ in range(frames):
        clock.advance(1 / 30)
        engine.step()
        if done():
            return
    raise AssertionError("the show never got there")


def _preparing(engine: Engine, scene_id: str) -> bool:
    """Whether the scene is readied ahead or waited on, its prepare running."""
    slots = (engine.sequencer.upcoming, engine.sequencer.pending)
    return any(slot is not None and slot.scene_id == scene_id and slot.prepared is not None
               and slot.prepared.running() for slot in slots)


def _released(engine: Engine, clock: FakeClock) -> None:
    """Frames until no slot nobody will show waits on its prepare any more (released)."""
    _step_until(engine, clock, lambda: engine.sequencer.readying.busy == 0, frames=300)


@pytest.mark.injects_faults  # (the overdue prepare is the scene's one fault)
def test_an_overdue_prepare_that_fails_to_exit_is_one_fault_not_two(tmp_path, monkeypatch, caplog):
    answer = _slow_scene_that_fails_to_exit(monkeypatch)
    monkeypatch.setattr(readying, "PREPARE_DEADLINE_S", 3.0)
    engine, clock = _engine(tmp_path)
    try:
        _step_until(engine, clock, lambda: engine.sequencer.current.scene_id == "after")
        assert engine.sequencer.faults["slow"].count == 1  # (skipped past its deadline)
        with caplog.at_level(logging.WARNING, logger="bayard"):
            answer.set()  # the drive answers: the prepare returns, and the scene is let go
            _released(engine, clock)
            clock.advance(1 / 30)
            engine.step()
        status = engine.status()
        assert engine.sequencer.faults["slow"].count == 1, f"its exit counted as a second fault: {status['errors']}"
        assert not any(e["message"].startswith("exit:") for e in status["errors"]), status["errors"]
        said = [r.getMessage() for r in caplog.records if "its file handle was already closed" in r.getMessage()]
        assert len(said) == 1 and "slow" in said[0], said
    finally:
        answer.set()
        engine.shutdown()


def test_a_scene_left_while_it_prepared_is_let_go_without_a_fault(tmp_path, monkeypatch, caplog):
    """The technician moves past the next scene (goto) while it still prepares: it is never
    shown, and its exit failing once its prepare returns is not the show's fault."""
    answer = _slow_scene_that_fails_to_exit(monkeypatch)
    engine, clock = _engine(tmp_path)
    try:
        _step_until(engine, clock, lambda: _preparing(engine, "slow"))
        engine.sequencer.goto_index(2)  # past it, while its prepare runs
        with caplog.at_level(logging.WARNING, logger="bayard"):
            answer.set()  # its prepare returns (and 'after', queued behind it, prepares)
            _step_until(engine, clock, lambda: engine.sequencer.current.scene_id == "after")
            _released(engine, clock)
        status = engine.status()
        assert "slow" not in engine.sequencer.faults, f"a scene never shown faulted in its exit: {status['errors']}"
        said = [r.getMessage() for r in caplog.records if "its file handle was already closed" in r.getMessage()]
        assert len(said) == 1, said
    finally:
        answer.set()
        engine.shutdown()
