"""A film whose prepare hangs on a stick that does not answer is skipped past its deadline
(test_stick_hung_prepare.py) and tried again as its fault's back-off ends. Each retry started
another prepare on the same hung drive, and each one stayed stuck there with its thread and its
scene until the kernel gave up on the drive: over a day with a dead stick, a thread and a scene
more every ten minutes. Now a scene whose last prepare has not returned is not prepared again
until it does; the show goes on with the others."""

from __future__ import annotations

import threading

import pytest

from installation import fault_boundary
from installation.media import staging

from .conftest import title_scene
from .test_stick_hung_screen import film_with_sound_on_a_hung_stick


def _prepare_threads() -> int:
    return sum(1 for thread in threading.enumerate() if thread.name == "prepare")


@pytest.mark.injects_faults  # (the hung stick: the film's skip is reported as its scene's fault)
def test_a_film_stuck_on_a_dead_stick_is_not_prepared_again_while_its_last_prepare_hangs(tmp_path, monkeypatch):
    opened: list[str] = []

    def open_film(film):
        opened.append(str(film))
        return stick.open(film)

    monkeypatch.setattr(fault_boundary, "FAULT_BACKOFF_S", (20.0,))  # many retries in a short run
    stick, engine, clock = film_with_sound_on_a_hung_stick(tmp_path, monkeypatch, open_film=open_film)
    threads_before = _prepare_threads()
    seen: set[str] = set()
    most_threads = 0
    try:
        for _ in range(10 * 60 * 4):  # ten minutes of show time at 4 frames a second
            clock.advance(0.25)
            engine.step()
            if engine.sequencer.current is not None:
                seen.add(engine.sequencer.current.scene_id)
            most_threads = max(most_threads, _prepare_threads() - threads_before)
            threading.Event().wait(0.001)  # (the worker's real time to reach the stick)
        assert stick.reading.is_set(), "the film's copy never reached the stick"
        assert {"opening", "after"} <= seen, f"the show stood still: scenes seen {sorted(seen)}"
        # One stuck on the stick and one for the scenes after it; never one more per retry.
        assert most_threads <= 2, f"{most_threads} prepare threads at once while the stick hung"
        assert len(opened) == 1, f"the hung film was opened {len(opened)} times on the dead stick"
    finally:
        stick.answer.set()
        engine.shutdown()
        staging.use(None)


@pytest.mark.injects_faults  # (the hung stick: the film's skip is reported as its scene's fault)
def test_a_scene_changed_by_a_reload_plays_while_its_old_prepare_still_hangs(tmp_path, monkeypatch):
    """The technician's fix for a dead stick (the scene pointed at something on the show's own
    disk, then a reload) must not wait for the kernel to give up on the old prepare."""
    stick, engine, clock = film_with_sound_on_a_hung_stick(tmp_path, monkeypatch)

    def play(seconds: float) -> list[str]:
        seen: list[str] = []
        for _ in range(int(seconds * 4)):
            clock.advance(0.25)
            engine.step()
            current = engine.sequencer.current
            if current is not None and current.scene_id not in seen:
                seen.append(current.scene_id)
            threading.Event().wait(0.001)
        return seen

    try:
        assert "after" in play(20), "the hung film was never skipped"
        assert stick.reading.is_set() and not stick.answer.is_set()
        (tmp_path / "scenes" / "film.toml").write_text(title_scene("film", duration=5), encoding="utf-8")
        assert engine.reload() is True
        seen = play(60)
        assert "film" in seen, f"the fixed scene did not play while the old film's prepare hung: {seen}"
    finally:
        stick.answer.set()
        engine.shutdown()
        staging.use(None)
