"""A film scene with sound copies its film off the USB stick in prepare(), on the prepare
worker; a stick that hangs in its reads held that worker until the kernel gave up on the drive,
and the show stood on the scene before the film. Now a prepare past its deadline (show time)
skips its scene with a message naming it, and the scenes after it prepare on a fresh worker.
The stick is the hung fake of test_stick_hung_screen.py; the show runs live on a FakeClock."""

from __future__ import annotations

import contextlib

import pytest

from installation.media import staging

from .test_stick_hung_screen import BOUND_S, film_with_sound_on_a_hung_stick

DEADLINE_S = 5.0


def _prepares_along(engine, stick) -> None:
    """Wait, before the next frame, on what the show waits on (conditions, not real time: the
    show's clock ran on while a busy machine's worker had yet to reach the stick): the film's
    copy reaching the stick, and any other scene's prepare finishing."""
    for slot in (engine.sequencer.upcoming, engine.sequencer.pending):
        if slot is None or slot.scene is None or slot.prepared is None:
            continue
        if slot.scene_id == "film":
            stick.reading.wait(BOUND_S)  # (then hung there until the test ends)
        else:
            with contextlib.suppress(Exception):  # (a failure is the fault boundary's, next frame)
                slot.prepared.result(timeout=BOUND_S)


@pytest.mark.injects_faults  # (the hung stick: the film's skip is reported as its scene's fault)
def test_a_film_whose_prepare_hangs_on_the_stick_is_skipped_and_the_show_goes_on(tmp_path, monkeypatch):
    stick, engine, clock = film_with_sound_on_a_hung_stick(tmp_path, monkeypatch, after_s=30)
    seen: list[str] = []
    hung_at: float | None = None  # show time the film's copy reached the stick
    try:
        for _ in range(int(BOUND_S * 30)):  # show time, stepped at 30 fps
            clock.advance(1 / 30)
            engine.step()
            current = engine.sequencer.current
            if current is not None and (not seen or seen[-1] != current.scene_id):
                seen.append(current.scene_id)
            if seen[-1:] == ["after"]:
                break
            if stick.reading.is_set() and hung_at is None:
                hung_at = clock.now()
            _prepares_along(engine, stick)
        assert stick.reading.is_set(), "the film's copy never reached the stick"
        assert seen[-1:] == ["after"], f"the show stood still on the hung film's prepare: scenes seen {seen}"
        assert hung_at is not None and clock.now() < hung_at + DEADLINE_S + 2, (
            f"the film was skipped {clock.now() - hung_at:.0f} s after its prepare hung on the stick")
        # Only the film is skipped: the scene after it was not overdue queued behind it.
        overdue = [e["where"] for e in engine.status()["errors"] if "did not finish within" in e["message"]]
        assert overdue == ["film"], engine.status()["errors"]
    finally:
        stick.answer.set()
        engine.shutdown()
        staging.use(None)
