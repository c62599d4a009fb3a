"""A USB stick that hangs in its reads (the kernel's error handling of a failing drive holds a
read for tens of seconds) never freezes the screen: the render loop goes on drawing frames
while the film's decoder waits on the stick. The stick here is a fake file system: its film's
reads, and the looks at its files, block on an Event until the test lets them answer; the show
runs live (prepare on its worker, no waiting decoder) on an injected clock."""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

from installation.clock import FakeClock
from installation.config.loader import load_show
from installation.engine import Engine, init_pygame
from installation.media import staging
from installation.media.staging import FilmCache

from .conftest import title_scene, write_show

FRAMES = 30  # a second of show at 30 fps
# Bounded far past what FRAMES frames need, only so a failing test ends: the render loop that
# waited on the stick took 2 s a frame, a minute for these.
BOUND_S = 15.0


class HungStick:
    """A stick's film whose reads block until `answer` is set, then fail with EIO."""

    def __init__(self) -> None:
        self.answer = threading.Event()
        self.reading = threading.Event()  # a read has reached the stick

    def open(self, film: Path):
        stick = self

        class Reader:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            def read(self, size=-1):
                stick.reading.set()
                stick.answer.wait(60)  # (bounded only so a failing test ends)
                raise OSError(errno.EIO, "Input/output error")

        return Reader()


def film_with_sound_on_a_hung_stick(tmp_path: Path, monkeypatch, *, after_s: float = 5.0,
                                    open_film=None) -> tuple[HungStick, Engine, FakeClock]:
    """A show of a title, a film with sound (copied off the stick in its prepare) and a title
    after it, live on a FakeClock, the film's stick hung (`open_film` wraps `stick.open`)."""
    from installation import readying

    write_show(tmp_path, {
        "opening": title_scene("opening", duration=1),
        "film": 'type = "video"\nid = "film"\nfile = "film.mp4"\naudio = true\nduration = 10\n',
        "after": title_scene("after", duration=after_s)})
    (tmp_path / "content" / "film.mp4").write_bytes(os.urandom(64 * 1024))
    stick = HungStick()
    monkeypatch.setattr(staging, "_cache", None)
    staging.use(FilmCache(tmp_path / "cache", limit_bytes=2**30, keep_free_bytes=0,
                          elsewhere=lambda path: True, open_film=open_film or stick.open))
    monkeypatch.setattr(readying, "PREPARE_DEADLINE_S", 5.0)
    init_pygame(headless=True)
    clock = FakeClock()
    return stick, Engine(load_show(tmp_path / "install.toml"), clock), clock


def _live_engine(tmp_path: Path, cache: FilmCache, monkeypatch) -> tuple[Engine, FakeClock]:
    write_show(tmp_path, {
        # No `duration`: the film's own length decides, which the sequencer asks each frame.
        "film": 'type = "video"\nid = "film"\nfile = "film.mp4"\non_end = "advance"\n',
        "after": title_scene("after", duration=30)})
    (tmp_path / "content" / "film.mp4").write_bytes(os.urandom(64 * 1024))
    monkeypatch.setattr(staging, "_cache", None)
    staging.use(cache)
    init_pygame(headless=True)
    clock = FakeClock()
    return Engine(load_show(tmp_path / "install.toml"), clock), clock


def _render(engine: Engine, clock: FakeClock, frames: int) -> list[int]:
    """Step the engine `frames` times on a thread of its own; the frames it got through."""
    done: list[int] = []

    def loop() -> None:
        for n in range(frames):
            clock.advance(1 / 30)
            engine.step()
            done.append(n)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    thread.join(BOUND_S)
    return done


def _film_entered(engine: Engine, clock: FakeClock):
    """Step the show until its film's scene plays (prepared on the worker); the scene."""
    for _ in range(300):
        _render(engine, clock, 1)
        current = engine.sequencer.current
        if current is not None and current.scene is not None and current.scene.source is not None:
            return current.scene
    raise AssertionError("the film's scene never came")


def test_a_film_copying_off_a_hung_stick_never_holds_the_screen(tmp_path, monkeypatch):
    stick = HungStick()
    cache = FilmCache(tmp_path / "cache", limit_bytes=2**30, keep_free_bytes=0,
                      elsewhere=lambda path: True, open_film=stick.open)
    engine, clock = _live_engine(tmp_path, cache, monkeypatch)
    try:
        _film_entered(engine, clock)
        assert stick.reading.wait(BOUND_S), "the film's copy never reached the stick"
        drawn = _render(engine, clock, FRAMES)
        assert len(drawn) == FRAMES, f"the screen froze while the stick hung: {len(drawn)} of {FRAMES} frames drawn"
        assert engine.sequencer.current.scene_id == "film"
    finally:
        stick.answer.set()
        engine.shutdown()
        staging.use(None)


def test_a_film_that_failed_on_a_stick_now_hung_never_holds_the_screen(tmp_path, monkeypatch):
    # The film's copy failed (EIO) and its decoder gave up; the scene then asked the stick on
    # the render thread whether the film was still there, to tell a missing film from a broken
    # one, and a stick that hangs held the screen until the kernel gave up on it.
    stick = HungStick()
    stick.answer.set()  # its reads fail at once
    cache = FilmCache(tmp_path / "cache", limit_bytes=2**30, keep_free_bytes=0,
                      elsewhere=lambda path: True, open_film=stick.open)
    engine, clock = _live_engine(tmp_path, cache, monkeypatch)
    film = tmp_path / "content" / "film.mp4"
    hung = threading.Event()
    free = threading.Event()
    real_stat = os.stat

    def stat(path, *args, **kwargs):
        if hung.is_set() and os.fspath(path) == str(film):
            free.wait(60)  # (bounded only so a failing test ends)
        return real_stat(path, *args, **kwargs)

    try:
        scene = _film_entered(engine, clock)
        assert scene.source.wait_ready(BOUND_S) and scene.source.failed, scene.source.error
        hung.set()
        monkeypatch.setattr(os, "stat", stat)
        drawn = _render(engine, clock, FRAMES)
        assert len(drawn) == FRAMES, f"the screen froze on the hung stick: {len(drawn)} of {FRAMES} frames drawn"
        assert engine.sequencer.current.scene_id == "film"  # its card shows for BROKEN_CARD_S
    finally:
        free.set()
        engine.shutdown()
        staging.use(None)

