"""Reloads asked over OSC in a burst while the show's files lie on a USB stick that hangs: each
sender is told at once that its reload waits on the drive (a reload asked while another was
under way heard nothing until the stick answered, minutes at worst), each reply goes to its own
sender, and neither threads nor the answers held for the result grow with the burst. The stick
is the fake of test_stick_hung_reload.py; the show runs live on an injected clock."""

from __future__ import annotations

import json
import threading
from collections import defaultdict

from installation.clock import FakeClock
from installation.commands import Command
from installation.config.loader import load_show
from installation.engine import Engine, init_pygame

from .test_stick_hung_reload import HungLooks, _edit_title, _show_with_media
from .test_stick_hung_screen import BOUND_S, _render

SENDERS = 100
BURST = 2000  # twenty seconds of a hundred reloads a second


def test_a_reload_burst_on_a_hung_stick_answers_each_sender_and_holds_nothing_per_request(tmp_path, monkeypatch):
    show_file = _show_with_media(tmp_path)
    init_pygame(headless=True)
    clock = FakeClock()
    engine = Engine(load_show(show_file), clock)
    stick = HungLooks(tmp_path / "content", monkeypatch)
    heard: dict[str, list[dict]] = defaultdict(list)

    def reload_from(sender: str) -> Command:
        def reply(address, args):
            heard[sender].append(json.loads(args[0]))
        return Command("reload", source="osc", reply=reply, extra={"peer": sender})

    try:
        assert len(_render(engine, clock, 3)) == 3
        _edit_title(show_file, "Edited show")
        stick.hang.set()
        engine.post(reload_from("first"))
        _render(engine, clock, 1)
        assert stick.looking.wait(BOUND_S)
        _render(engine, clock, 30)  # past RELOAD_WAIT_S: the reading is said to wait on the drive
        assert [r["status"] for r in heard["first"]] == ["waiting"]
        threads = threading.active_count()
        for n in range(BURST):
            engine.post(reload_from(f"sender-{n % SENDERS}"))
            if n % 100 == 99:
                _render(engine, clock, 1)
        _render(engine, clock, 3)
        unanswered = [s for s in (f"sender-{n}" for n in range(SENDERS)) if not heard[s]]
        assert not unanswered, f"{len(unanswered)} of {SENDERS} senders heard nothing while the stick hung"
        assert all(r["status"] == "waiting" and r["address"] == "reload" for s in heard for r in heard[s])
        assert threading.active_count() <= threads + 1, "a thread per reload asked"
        stick.answer.set()
        for _ in range(int(BOUND_S * 10)):
            _render(engine, clock, 3)
            if engine.show.config.show.title == "Edited show" and engine._reading is None:
                break
        assert engine.show.config.show.title == "Edited show"
        results = [r for s in heard for r in heard[s] if r["status"] != "waiting"]
        assert results and all(r["status"] == "ok" for r in results)
        # The answers held for the result are bounded: a hang of hours under a burst grew them
        # by one per request; those let go were told where the result is.
        assert len(results) <= 100, f"{len(results)} answers held for one reload's result"
        assert heard["first"][-1]["status"] == "ok"
    finally:
        stick.answer.set()
        engine.shutdown()
