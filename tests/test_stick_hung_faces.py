"""A show whose own faces (its fonts/ folder) lie on a USB stick that hangs in its reads never
freezes the screen at a scene change: each scene built looked at fonts/ and at each face in it
(a face replaced on the stick is used from the next scene), on the render thread, and a stick
that hangs held that look, and the screen, until the kernel gave up on the drive. The stick is
faked: looks under fonts/ block until the test lets them answer; the show runs live on an
injected clock."""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from pathlib import Path

from installation.clock import FakeClock
from installation.config.loader import load_show
from installation.engine import Engine, init_pygame
from installation.typefaces import font_file

from .conftest import title_scene, write_show

# Three scene changes at 30 fps (scenes of 1 s, crossfades of 1 s).
FRAMES = 5 * 30
# Bounded far past what FRAMES frames need, only so a failing test ends.
BOUND_S = 20.0


def _hang_looks_under(folder: Path, monkeypatch) -> threading.Event:
    """Looks (stat, listdir) at `folder` and below block until the returned Event is set."""
    answer = threading.Event()
    real_stat, real_listdir = os.stat, os.listdir

    def hung(path) -> None:
        if os.fspath(path).startswith(os.fspath(folder)):
            answer.wait(60)  # (bounded only so a failing test ends)

    def stat(path, *args, **kwargs):
        hung(path)
        return real_stat(path, *args, **kwargs)

    def listdir(path=".", *args, **kwargs):
        hung(path)
        return real_listdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    monkeypatch.setattr(os, "listdir", listdir)
    return answer


def _prepares_along(engine: Engine) -> None:
    """Wait, before the next frame, for a scene being readied to be ready (a condition, not real
    time: on a busy machine the show's clock ran through all its frames before the worker had
    built the next title, and the playlist seemed stuck on its first scene)."""
    for slot in (engine.sequencer.upcoming, engine.sequencer.pending):
        if slot is None or slot.scene is None or slot.prepared is None:
            continue
        with contextlib.suppress(Exception):  # (a failure is the fault boundary's, next frame)
            slot.prepared.result(timeout=BOUND_S)


def _render(engine: Engine, clock: FakeClock, frames: int) -> tuple[list[int], set[str]]:
    """Step the engine on a thread of its own; the frames it got through and the scenes shown."""
    done: list[int] = []
    shown: set[str] = set()

    def loop() -> None:
        for n in range(frames):
            clock.advance(1 / 30)
            engine.step()
            _prepares_along(engine)
            if engine.sequencer.current is not None:
                shown.add(engine.sequencer.current.scene_id)
            done.append(n)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    thread.join(BOUND_S)
    return done, shown


def test_scene_changes_go_on_while_the_stick_holding_the_shows_faces_hangs(tmp_path, monkeypatch):
    root = tmp_path / "stick"
    path = write_show(root, {"a": title_scene("a", duration=1), "b": title_scene("b", duration=1, heading="Fin")})
    (root / "fonts").mkdir()
    shutil.copy(font_file("serif"), root / "fonts" / "extra.ttf")  # copied at run time, never committed
    init_pygame(headless=True)
    clock = FakeClock()
    engine = Engine(load_show(path), clock)
    try:
        warm, _ = _render(engine, clock, 10)  # the first scene built with the stick answering
        assert len(warm) == 10
        answer = _hang_looks_under(root / "fonts", monkeypatch)
        try:
            drawn, shown = _render(engine, clock, FRAMES)
            assert len(drawn) == FRAMES, (
                f"the screen froze at a scene change while the stick hung: {len(drawn)} of {FRAMES} frames drawn")
            assert shown == {"a", "b"}  # the playlist went on, not stuck on its card
            assert not any(e["severity"] == "error" for e in engine.errors), list(engine.errors)
            looking = [t for t in threading.enumerate() if t.name == "bayard-face-look" and t.is_alive()]
            assert len(looking) <= 1, f"{len(looking)} looks wait on the stick: one per scene change"
        finally:
            answer.set()
    finally:
        engine.shutdown()


def test_a_face_replaced_on_the_stick_is_used_by_a_live_show_from_a_scene_soon_after(tmp_path):
    """The look moved off the render thread still sees a face replaced under the same name."""
    import pygame

    root = tmp_path / "stick"
    path = write_show(root, {"a": title_scene("a", duration=1), "b": title_scene("b", duration=1, heading="Fin")})
    (root / "fonts").mkdir()
    face = root / "fonts" / "extra.ttf"
    shutil.copy(Path(pygame.__file__).parent / "freesansbold.ttf", face)  # without the click letter
    init_pygame(headless=True)
    clock = FakeClock()
    engine = Engine(load_show(path), clock)
    try:
        _render(engine, clock, 10)
        assert engine.fonts._face("serif", "\u01c2") != str(face)
        shutil.copy(font_file("sans"), face)  # replaced on the stick while the show plays
        for _ in range(8):  # (scene changes: the look answers by the next one at worst)
            _render(engine, clock, 30)
            if engine.fonts._face("serif", "\u01c2") == str(face):
                break
        assert engine.fonts._face("serif", "\u01c2") == str(face), "the replaced face was never used"
    finally:
        engine.shutdown()
        from installation import typefaces

        typefaces._face_bytes.cache_clear()
