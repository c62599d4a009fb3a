"""A curator's edit reloads the show while its content lies on a USB stick that hangs in its
reads: the screen goes on drawing, the show plays its last good state and says which files the
reload waits on, and the reload lands once the files answer. The stick here is a fake: looks
(os.stat) at the files under its content folder block on an Event until the test lets them
answer; the show runs live on an injected clock (see test_stick_hung_screen.py)."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from types import SimpleNamespace

from PIL import Image

from installation.clock import FakeClock
from installation.commands import Command
from installation.config.loader import load_show
from installation.engine import Engine, init_pygame
from installation.media import staging
from installation.media.staging import FilmCache
from installation.runtime.films_ahead import FilmsAhead

from .conftest import title_scene, write_show
from .test_stick_hung_screen import BOUND_S, FRAMES, _render


class HungLooks:
    """os.stat of paths under `folder` blocks, once `hang` is set, until `answer` is set."""

    def __init__(self, folder: Path, monkeypatch) -> None:
        self.folder = str(folder)
        self.hang, self.answer, self.looking = threading.Event(), threading.Event(), threading.Event()
        real_stat = os.stat

        def stat(path, *args, **kwargs):
            if self.hang.is_set() and os.fspath(path).startswith(self.folder):
                self.looking.set()
                self.answer.wait(60)  # (bounded only so a failing test ends)
            return real_stat(path, *args, **kwargs)

        monkeypatch.setattr(os, "stat", stat)


def _show_with_media(tmp_path: Path) -> Path:
    scenes = {"opening": title_scene("opening", duration=30),
              "picture": 'type = "photograph"\nid = "picture"\nimage = "picture.png"\nduration = 30\n'}
    path = write_show(tmp_path, scenes)
    Image.new("RGB", (8, 8), (200, 100, 50)).save(tmp_path / "content" / "picture.png")
    return path


def _edit_title(show_file: Path, title: str) -> None:
    """The curator saves install.toml with a new title (the show's folder is on the show's disk)."""
    text = show_file.read_text(encoding="utf-8")
    start = text.index('title = "')
    end = text.index('"', start + len('title = "'))
    show_file.write_text(f'{text[:start]}title = "{title}{text[end:]}', encoding="utf-8")


def test_a_reload_with_its_content_on_a_hung_stick_never_holds_the_screen(tmp_path, monkeypatch):
    show_file = _show_with_media(tmp_path)
    init_pygame(headless=True)
    clock = FakeClock()
    engine = Engine(load_show(show_file), clock)
    stick = HungLooks(tmp_path / "content", monkeypatch)
    try:
        assert len(_render(engine, clock, 3)) == 3
        _edit_title(show_file, "Edited show")  # the curator saves an edit
        stick.hang.set()
        engine.post(Command("reload", source="watch"))
        drawn = _render(engine, clock, FRAMES)
        # (the render thread no longer waits for the reading: under load it may reach the stick after these frames)
        assert stick.looking.wait(BOUND_S), "the reload never looked at the stick's content"
        assert len(drawn) == FRAMES, f"the screen froze on the reload: {len(drawn)} of {FRAMES} frames drawn"
        # The show plays its last good state and says what the reload waits on, and where.
        assert engine.show.config.show.title == "Test show"
        status = engine.status()
        assert status["last_reload"]["result"] == "waiting"
        said = [e["message"] for e in status["errors"] if e["where"] == "reload"]
        assert said and "slow drive" in said[-1] and str(tmp_path / "content") in said[-1], said

        stick.answer.set()  # the drive answers: the reload lands at a frame
        for _ in range(int(BOUND_S * 10)):
            _render(engine, clock, 1)
            if engine.status()["last_reload"]["result"] != "waiting":
                break
            threading.Event().wait(0.1)
        assert engine.status()["last_reload"]["result"] == "ok", engine.status()["last_reload"]
        assert engine.show.config.show.title == "Edited show"
    finally:
        stick.answer.set()
        engine.shutdown()


def test_a_second_edit_while_a_reload_waits_on_the_stick_adds_no_reader_and_is_the_one_that_lands(
        tmp_path, monkeypatch):
    show_file = _show_with_media(tmp_path)
    init_pygame(headless=True)
    clock = FakeClock()
    engine = Engine(load_show(show_file), clock)
    stick = HungLooks(tmp_path / "content", monkeypatch)
    readers = lambda: sum(t.name == "bayard-reload-read" and t.is_alive() for t in threading.enumerate())  # noqa: E731
    try:
        stick.hang.set()
        for edit in range(5):  # a curator saving again and again while the stick hangs
            _edit_title(show_file, f"Edit {edit}")
            engine.post(Command("reload", source="watch"))
            assert len(_render(engine, clock, 3)) == 3
        assert readers() == 1, f"{readers()} threads read the show files on the hung stick"
        stick.answer.set()
        for _ in range(int(BOUND_S * 10)):
            _render(engine, clock, 1)
            if engine.show.config.show.title == "Edit 4" and engine.status()["last_reload"]["result"] != "waiting":
                break
            threading.Event().wait(0.1)
        assert engine.show.config.show.title == "Edit 4"
    finally:
        stick.answer.set()
        engine.shutdown()


def test_copying_a_reloaded_shows_films_ahead_never_waits_on_a_hung_stick(tmp_path, monkeypatch):
    # The reload hook lists the show's films and asks each one's drive (a stat) on the render
    # thread; a stick hung in its reads held it until the kernel gave up on the drive.
    answer, asked = threading.Event(), threading.Event()

    def elsewhere(path: Path) -> bool:
        asked.set()
        answer.wait(60)  # (bounded only so a failing test ends)
        return True

    monkeypatch.setattr(staging, "_cache", None)
    cache = FilmCache(tmp_path / "cache", limit_bytes=2**30, keep_free_bytes=0, elsewhere=elsewhere)
    staged: list[list[Path]] = []
    monkeypatch.setattr(cache, "stage_ahead", lambda films, limit_bytes=None: staged.append(list(films)))
    staging.use(cache)
    film = tmp_path / "content" / "film.mp4"
    show = SimpleNamespace(playlist=["film"], content_root=tmp_path / "content",
                           scenes={"film": SimpleNamespace(type="video", file="film.mp4")})
    monkeypatch.setattr("installation.runtime.films_ahead.show_films", lambda show: [film])
    try:
        ahead = FilmsAhead(SimpleNamespace(scenes={}), tmp_path / "cache")
        hook = threading.Thread(target=ahead.reloaded, args=(show, None), daemon=True)
        hook.start()
        hook.join(BOUND_S)
        assert not hook.is_alive(), "the reload hook waited on the hung stick"
        assert asked.wait(BOUND_S), "the reloaded show's films were never asked about"
        answer.set()
        for _ in range(int(BOUND_S * 10)):
            if staged:
                break
            threading.Event().wait(0.1)
        assert staged == [[film]], "the reloaded show's film was not copied ahead once the stick answered"
    finally:
        answer.set()
        staging.use(None)
