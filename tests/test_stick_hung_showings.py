"""Each showing of a film on a USB stick that hangs in its reads starts a decoder whose first
look at the film (a stat) waits on the stick, and nothing can interrupt a stat: one stuck
thread per showing gathered until the kernel gave up on the drive. Now a film has one look
under way at a time, a showing that ends stops waiting for it, and one that waits too long
fails to the film's card saying the drive does not answer. The stick is a fake: stats of its
film block on an Event until the test lets them answer."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from installation.media import looks, staging
from installation.media.sources import VideoSource
from installation.media.staging import FilmCache

SHOWINGS = 5
BOUND_S = 15.0  # (only so a failing test ends)


class HungFilm:
    """os.stat of `film` blocks until `answer` is set; `in_stat`: threads waiting there now."""

    def __init__(self, film: Path, monkeypatch) -> None:
        self.film, self.answer = str(film), threading.Event()
        self.in_stat, self._count = 0, threading.Lock()
        real_stat = os.stat

        def stat(path, *args, **kwargs):
            if os.fspath(path) == self.film:
                with self._count:
                    self.in_stat += 1
                try:
                    self.answer.wait(60)
                finally:
                    with self._count:
                        self.in_stat -= 1
            return real_stat(path, *args, **kwargs)

        monkeypatch.setattr(os, "stat", stat)


def _stick_film(tmp_path: Path, monkeypatch) -> tuple[Path, HungFilm]:
    film = tmp_path / "stick" / "film.mp4"
    film.parent.mkdir()
    film.write_bytes(os.urandom(4096))
    monkeypatch.setattr(staging, "_cache", None)
    staging.use(FilmCache(tmp_path / "cache", limit_bytes=2**30, keep_free_bytes=0, elsewhere=lambda path: True))
    return film, HungFilm(film, monkeypatch)


def _until(condition, bound_s: float = BOUND_S) -> bool:
    for _ in range(int(bound_s * 20)):
        if condition():
            return True
        threading.Event().wait(0.05)
    return condition()


def test_showings_of_a_film_on_a_hung_stick_leave_one_thread_waiting_not_one_each(tmp_path, monkeypatch):
    film, stick = _stick_film(tmp_path, monkeypatch)
    sources = []
    try:
        for _ in range(SHOWINGS):  # the film comes round again and again; each showing ends
            source = VideoSource(film, (64, 36), loop=False).start()
            sources.append(source)
            assert _until(lambda: stick.in_stat >= 1), "the showing never looked at its film"
            source.close()
        assert stick.in_stat == 1, f"{stick.in_stat} threads wait on the hung stick after {SHOWINGS} showings"
        decoding = lambda: [s for s in sources if s._thread.is_alive()]  # noqa: E731
        assert _until(lambda: not decoding(), 3.0), f"{len(decoding())} ended showings' decoders still wait"
    finally:
        stick.answer.set()
        for source in sources:
            source.close()
        staging.use(None)
    assert _until(lambda: looks.outstanding() == 0), "the look was kept after the stick answered"


def test_a_showing_whose_stick_does_not_answer_fails_to_its_card_saying_why(tmp_path, monkeypatch):
    film, stick = _stick_film(tmp_path, monkeypatch)
    monkeypatch.setattr(looks, "LOOK_DEADLINE_S", 0.5)
    source = VideoSource(film, (64, 36), loop=False).start()
    try:
        assert source.wait_ready(BOUND_S), "the showing waited on the hung stick past any deadline"
        assert source.failed
        assert "did not answer" in source.error and str(film) in source.error, source.error
        assert not source.missing  # (a silent drive is not a film taken away)
    finally:
        stick.answer.set()
        source.close()
        staging.use(None)


def test_a_film_scene_on_a_hung_stick_shows_its_card_and_does_not_hold_the_show(tmp_path, monkeypatch):
    # The scene's prepare asked whether its film was there (a stat) on the one prepare worker,
    # and the show never got its first scene while the stick hung: a black screen.
    from installation.clock import FakeClock
    from installation.config.loader import load_show
    from installation.engine import Engine, init_pygame

    from .conftest import title_scene, write_show

    write_show(tmp_path, {"film": 'type = "video"\nid = "film"\nfile = "film.mp4"\non_end = "advance"\n',
                          "after": title_scene("after", duration=30)})
    film = tmp_path / "content" / "film.mp4"
    film.write_bytes(os.urandom(4096))
    monkeypatch.setattr(staging, "_cache", None)
    staging.use(FilmCache(tmp_path / "cache", limit_bytes=2**30, keep_free_bytes=0, elsewhere=lambda path: True))
    monkeypatch.setattr(looks, "LOOK_DEADLINE_S", 0.5)
    init_pygame(headless=True)
    clock = FakeClock()
    engine = Engine(load_show(tmp_path / "install.toml"), clock)
    stick = HungFilm(film, monkeypatch)

    def film_failed() -> bool:
        clock.advance(1 / 30)
        engine.step()
        current = engine.sequencer.current
        scene = current.scene if current is not None else None
        return scene is not None and getattr(scene, "source", None) is not None and scene.source.failed

    try:
        assert _until(film_failed), "the film's scene never came while its stick hung"
        film_failed()  # (the scene tells the technician at its next update)
        said = [e["message"] for e in engine.status()["errors"]]
        assert any("did not answer" in m and "showing a card" in m for m in said), said
    finally:
        stick.answer.set()
        engine.shutdown()
        staging.use(None)
