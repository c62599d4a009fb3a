"""A show folder on a USB stick that is slow in its reads: each curator's edit is read while the
show goes on drawing, never with the render thread waiting for the stick. (It waited up to
RELOAD_WAIT_S for the reading: one visible hitch per edit.) The stick is a fake whose first look
at the show's files after an edit answers only once the show has drawn SLOW_FRAMES more frames,
as a drive busy for a quarter second of show does: a render thread that waits on the reading
holds those frames back, and the stick with them. The show runs live on a FakeClock."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from installation.clock import FakeClock
from installation.commands import Command
from installation.config.loader import load_show
from installation.engine import Engine, init_pygame

from .test_stick_hung_reload import _edit_title, _show_with_media
from .test_stick_hung_screen import BOUND_S

FPS = 30
SLOW_FRAMES = 8  # the stick's delay, in frames of show: a quarter second, within RELOAD_WAIT_S (0.5 s)
EDITS = 5


class SlowStick:
    """os.stat of the show's files (install.toml, scenes/), once `slow` is set, answers when the
    engine has drawn SLOW_FRAMES frames since that look (then `slow` is cleared: one slow look
    per edit)."""

    def __init__(self, folder: Path, engine: Engine, monkeypatch) -> None:
        self.files, self.engine = (str(folder / "install.toml"), str(folder / "scenes")), engine
        self.slow = threading.Event()
        self.frames_waited: list[int] = []  # frames the show drew while each slow look waited
        self.asked_at: list[int] = []  # the engine's frame count at each slow look
        real_stat = os.stat

        def stat(path, *args, **kwargs):
            if self.slow.is_set() and os.fspath(path).startswith(self.files):
                self.slow.clear()
                asked = engine.frames
                self.asked_at.append(asked)
                for _ in range(int(BOUND_S * 100)):  # (bounded only so a failing test ends)
                    if engine.frames >= asked + SLOW_FRAMES:
                        break
                    threading.Event().wait(0.01)
                self.frames_waited.append(engine.frames - asked)
            return real_stat(path, *args, **kwargs)

        monkeypatch.setattr(os, "stat", stat)


def _alive(name: str) -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == name and t.is_alive()]


def _until(condition) -> bool:
    for _ in range(int(BOUND_S * 100)):  # (bounded only so a failing test ends)
        if condition():
            return True
        threading.Event().wait(0.01)
    return condition()


def test_edits_with_the_show_folder_on_a_slow_stick_land_without_holding_a_frame(tmp_path, monkeypatch):
    show_file = _show_with_media(tmp_path)
    init_pygame(headless=True)
    clock = FakeClock()
    engine = Engine(load_show(show_file), clock)
    stick = SlowStick(tmp_path, engine, monkeypatch)

    def frame() -> None:
        clock.advance(1 / FPS)
        engine.step()

    try:
        for _ in range(3):
            frame()
        for edit in range(EDITS):
            # (the last edit's last-good copy made first: its looks would take this edit's slow one)
            assert _until(lambda: not _alive("bayard-last-good"))
            _edit_title(show_file, f"Edit {edit}")
            stick.slow.set()
            engine.post(Command("reload", source="watch"))
            frame()  # the command's frame: the reading starts
            assert _until(lambda: len(stick.asked_at) > edit), "the reading never looked at the stick"  # noqa: B023
            for _ in range(SLOW_FRAMES):  # the stick answers once the show has drawn these
                frame()
            assert _until(lambda: not _alive("bayard-reload-read")), "the reading never ended"
            frame()  # it lands here
            assert engine.show.config.show.title == f"Edit {edit}", f"edit {edit} did not land at the next frame"
        slow_drive = [e["message"] for e in engine.errors if "slow drive" in e["message"]]
        assert not slow_drive, (f"the show held a frame for the reading and said it waited on the stick, which "
                                f"answered {SLOW_FRAMES} frames into each edit: {slow_drive[0]}")
        # (one frame more where the reading looked while its command's frame was being drawn)
        assert all(SLOW_FRAMES <= n <= SLOW_FRAMES + 1 for n in stick.frames_waited), stick.frames_waited
        assert engine.status()["last_reload"]["result"] == "ok"
    finally:
        stick.slow.clear()
        engine.shutdown()


def test_a_reload_landing_with_the_state_folder_on_a_hung_stick_never_holds_the_screen(tmp_path, monkeypatch):
    # The last-good copy of a reloaded show (its files into <show>/var/last-good) was made on the
    # render thread at the frame the reload landed: with the show folder on a stick that hangs,
    # its looks and writes there held the screen until the kernel gave up on the drive.
    from .test_stick_hung_reload import HungLooks
    from .test_stick_hung_screen import FRAMES, _render

    show_file = _show_with_media(tmp_path)
    init_pygame(headless=True)
    clock = FakeClock()
    engine = Engine(load_show(show_file), clock)
    stick = HungLooks(tmp_path / "scenes", monkeypatch)  # the show's files: slow for the reading
    state = HungLooks(tmp_path / "var", monkeypatch)  # its state folder: hung once the reading is done
    try:
        assert len(_render(engine, clock, 3)) == 3
        _edit_title(show_file, "Edited show")
        stick.hang.set()
        engine.post(Command("reload", source="watch"))
        assert len(_render(engine, clock, FRAMES)) == FRAMES
        stick.hang.clear()
        stick.answer.set()  # the files answer; the reading ends between two frames
        assert _until(lambda: not _alive("bayard-reload-read")), "the reading never ended"
        state.hang.set()
        drawn = _render(engine, clock, FRAMES)
        assert len(drawn) == FRAMES, f"the screen froze as the reload landed: {len(drawn)} of {FRAMES} frames drawn"
        assert engine.show.config.show.title == "Edited show"
        assert state.looking.wait(BOUND_S), "the last-good copy never looked at the state folder"
        assert len(_alive("bayard-last-good")) == 1
    finally:
        stick.answer.set()
        state.answer.set()
        engine.shutdown()
    assert _until(lambda: not _alive("bayard-last-good")), "the last-good copy never ended once the stick answered"
    assert "Edited show" in (tmp_path / "var" / "last-good" / "install.toml").read_text(encoding="utf-8")


def test_a_reload_asked_over_osc_while_the_stick_hangs_is_answered_waiting_then_with_its_result(
        tmp_path, monkeypatch):
    import json

    from .test_stick_hung_reload import HungLooks
    from .test_stick_hung_screen import FRAMES, _render

    show_file = _show_with_media(tmp_path)
    init_pygame(headless=True)
    clock = FakeClock()
    engine = Engine(load_show(show_file), clock)
    stick = HungLooks(tmp_path / "scenes", monkeypatch)
    replies: list[dict] = []
    try:
        _edit_title(show_file, "Edited show")
        stick.hang.set()
        engine.post(Command("reload", source="osc", reply=lambda address, args: replies.append(json.loads(args[0]))))
        assert len(_render(engine, clock, FRAMES)) == FRAMES
        assert [r["status"] for r in replies] == ["waiting"] and "slow drive" in replies[0]["data"], replies
        stick.answer.set()
        assert _until(lambda: not _alive("bayard-reload-read"))
        _render(engine, clock, 1)
        assert [r["status"] for r in replies] == ["waiting", "ok"], replies
        assert replies[-1]["data"] == {"show": "Edited show"}
    finally:
        stick.answer.set()
        engine.shutdown()
