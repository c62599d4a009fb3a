"""The film cache's sense: a cache too small for the show's films keeps what it holds and plays
the rest from the stick (it copied every film again at every showing), says so with the size
to set, takes a new limit from a reload, and counts showings; pictures on a stick are kept
with film copying off; `check` reads the service's relative --show where the service runs.
(A USB stick is a folder whose files this test says lie on another drive.)"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from installation.media import drives, kept, staging
from installation.media.staging import FilmCache

from .conftest import title_scene, write_show


def _on_a_stick(monkeypatch, stick: Path) -> None:
    """Files under `stick` lie on drive 2, everything else on drive 1 (the show's disk)."""
    monkeypatch.setattr(drives, "device", lambda path: 2 if stick in (path, *path.parents) else 1)


def _until(done, limit_s: float = 10.0) -> None:
    end = time.monotonic() + limit_s
    while not done() and time.monotonic() < end:
        time.sleep(0.02)


def test_a_cache_smaller_than_the_shows_films_keeps_what_it_holds_and_plays_the_rest_from_the_stick(tmp_path):
    """Three 400-byte films and room for two: each showing evicted the copy the next showing
    needed (the least recently used), so every film was copied again at every showing."""
    stick = tmp_path / "stick"
    stick.mkdir()
    for name in ("a.mp4", "b.mp4", "c.mp4"):
        (stick / name).write_bytes(os.urandom(400))
    films = FilmCache(tmp_path / "cache", limit_bytes=900, keep_free_bytes=0, elsewhere=lambda path: True)
    playlist = [stick / "a.mp4", stick / "b.mp4", stick / "c.mp4"]
    films.stage_ahead(playlist).join(10)
    played = []
    for _ in range(3):  # three rounds of the show
        for film in playlist:
            with films.staged(film) as play:
                played.append(play.parent.name)
    assert films.copied == 2, films.copied  # a and b, once
    assert played == ["cache", "cache", "stick"] * 3
    status = films.status()
    assert status["from_drive"] == 3 and status["show_films_mb"] == 0.0
    assert "film_cache_mb = 1 to copy them all" in status["too_small"]  # 1200 bytes: 1 MB
    films.close()


def test_a_cache_that_holds_the_shows_films_says_nothing_of_its_size(tmp_path):
    stick = tmp_path / "stick"
    stick.mkdir()
    (stick / "a.mp4").write_bytes(os.urandom(400))
    films = FilmCache(tmp_path / "cache", limit_bytes=900, keep_free_bytes=0, elsewhere=lambda path: True)
    films.stage_ahead([stick / "a.mp4"]).join(10)
    assert films.copied == 1 and "too_small" not in films.status()
    films.close()


def test_a_reload_applies_a_new_film_cache_limit_without_a_restart(tmp_path, monkeypatch, no_cache):
    """A change to [runtime] film_cache_mb waited for a restart (said as waiting, too)."""
    from installation.harness import run_test
    from installation.runtime.attach import attach
    from installation.runtime.service import RuntimeConfig

    stick = tmp_path / "stick"
    _on_a_stick(monkeypatch, stick)
    path = write_show(stick, {"a": title_scene("a", duration=30)})
    for name in ("x.mp4", "y.mp4"):
        (stick / "content" / name).write_bytes(os.urandom(3000))
    (stick / "scenes" / "films.toml").write_text(
        'type = "video"\nid = "films"\nfile = "x.mp4"\n', encoding="utf-8")
    (stick / "scenes" / "more.toml").write_text(
        'type = "video"\nid = "more"\nfile = "y.mp4"\n', encoding="utf-8")
    show = path.read_text()
    cache = tmp_path / "home"
    with run_test(path, fps=10) as pilot:
        attach(pilot.engine, env={"XDG_CACHE_HOME": str(cache)}, config=RuntimeConfig(watch=False, film_cache_mb=0))
        assert staging.current() is None  # copying off
        path.write_text(show + "\n[runtime]\nfilm_cache_mb = 0.004\n")  # room for one film
        pilot.command("reload", 1)
        pilot.advance(0.2)
        films = staging.current()
        assert films is not None and films.limit_bytes == 4000
        _until(lambda: films.copied)  # (the films-ahead thread the reload started)
        assert films.copied == 1 and len(list((cache / "bayard" / "films").iterdir())) == 1
        path.write_text(show + "\n[runtime]\nfilm_cache_mb = 0\n")  # copying off again: the copy goes
        pilot.command("reload", 1)
        _until(lambda: not any((cache / "bayard" / "films").iterdir()))
        assert films.limit_bytes == 0 and list((cache / "bayard" / "films").iterdir()) == []
        waiting = [e for e in pilot.engine.errors if "effect only when the show starts again" in str(e)]
        assert waiting == [], waiting


def test_pictures_on_the_stick_are_kept_with_film_copying_off(tmp_path, monkeypatch, no_cache):
    """[runtime] film_cache_mb = 0 turned off keeping pictures too (kept.py asked the film
    cache which drive a picture is on): a pulled stick's picture became its stand-in card."""
    from installation.harness import run_test
    from installation.imaging import MediaError
    from installation.runtime.attach import attach
    from installation.runtime.service import RuntimeConfig

    stick = tmp_path / "stick"
    _on_a_stick(monkeypatch, stick)
    path = write_show(tmp_path / "show", {"a": title_scene("a", duration=30)})
    picture = stick / "wall.png"
    stick.mkdir()
    Image.new("RGB", (32, 24), (90, 90, 90)).save(picture)
    with run_test(path, fps=10) as pilot:
        attach(pilot.engine, env={"XDG_CACHE_HOME": str(tmp_path / "home")},
               config=RuntimeConfig(watch=False, film_cache_mb=0))
        assert staging.current() is None
        first = kept.read_picture(picture)
        picture.unlink()  # the stick pulled
        assert float(np.asarray(kept.read_picture(picture)).mean()) == pytest.approx(90, abs=1) and first.size
        staging.use_home(None)
        kept.forget()
        with pytest.raises(MediaError):  # (on the show's own disk nothing is kept: a missing file says so)
            kept.read_picture(picture)


def test_from_drive_counts_a_films_showings_not_its_sound_too(tmp_path, monkeypatch, no_cache):
    """A film played from the stick for want of room counted twice a showing in status
    (`from_drive`): its picture and its sound were each staged."""
    import pygame

    from installation.harness import run_test
    from installation.media import audio as film_audio

    from .test_video_audio import film_show

    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    monkeypatch.setattr(film_audio, "_mixer_failure", None)
    stick = tmp_path / "stick"
    path = film_show(stick)
    films = FilmCache(tmp_path / "cache", limit_bytes=10, keep_free_bytes=0,  # smaller than the film
                      elsewhere=lambda path: stick in Path(path).parents)
    staging.use(films)
    pygame.mixer.quit()
    try:
        with run_test(path, fps=10) as pilot:
            for showing in range(2):
                while pilot.scene_id != "film":
                    pilot.advance(0.1)
                pilot.advance(0.3)
                assert pilot.engine.sequencer.current.scene.audio_note == "playing"
                if not showing:
                    pilot.command("next")
        assert films.status()["from_drive"] == 2 and films.copied == 0
    finally:
        pygame.mixer.quit()


def _unit(tmp_path: Path, show: str, working: str) -> Path:
    unit = tmp_path / "bayard.service"
    unit.write_text(f"[Service]\nWorkingDirectory={working}\n"
                    f"ExecStart=/opt/bayard/venv/bin/bayard run --show {show} --fullscreen\n"
                    f"ReadWritePaths={tmp_path / 'elsewhere'}\n")
    return unit


def test_check_reads_a_relative_show_of_the_service_where_the_service_runs(tmp_path, monkeypatch):
    """`--show install.toml` with WorkingDirectory= the show's folder: check read it in its own
    folder, so from elsewhere it took the service for another show's (and said nothing of a
    state folder the service may not write), and from a show's folder took any such service
    for this show's."""
    from installation.config.loader import load_show
    from installation.runtime.host_check import state_folder

    path = write_show(tmp_path / "show", {"a": title_scene("a")})
    show = load_show(path)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    (problem,) = state_folder(show, _unit(tmp_path, "install.toml", f"-{path.parent}"))[1]
    assert "lets the show write only" in problem.message
    monkeypatch.chdir(path.parent)  # check run in the show's folder, the service elsewhere
    assert state_folder(show, _unit(tmp_path, "install.toml", str(tmp_path / "elsewhere")))[1] == []
    assert state_folder(show, _unit(tmp_path, ".", str(path.parent)))[1] != []  # (a folder: its install.toml)


def test_check_says_when_the_film_cache_cannot_hold_the_films_on_the_stick(tmp_path, monkeypatch):
    from installation.config.loader import load_show
    from installation.runtime.host_check import film_room

    stick = tmp_path / "stick"
    _on_a_stick(monkeypatch, stick)
    path = write_show(stick, {"films": 'type = "video"\nid = "films"\nfile = "x.mp4"\n',
                              "more": 'type = "video"\nid = "more"\nfile = "y.mp4"\n'},
                      extra="[runtime]\nfilm_cache_mb = 1\n")
    for name in ("x.mp4", "y.mp4"):
        (stick / "content" / name).write_bytes(b"\0" * 700_000)
    env, unit = {"XDG_CACHE_HOME": str(tmp_path / "home")}, tmp_path / "none.service"  # (no kiosk service)
    line, (problem,) = film_room(load_show(path), env, unit)
    assert line.startswith(f"Film cache: {tmp_path / 'home' / 'bayard' / 'films'}, from this shell's environment")
    assert problem.severity == "warning" and problem.line == path.read_text().splitlines().index(
        "film_cache_mb = 1") + 1
    assert "come to 1.4 MB, more than the film cache's 1.0 MB" in problem.message
    assert "set [runtime] film_cache_mb = 2 to copy them all" in problem.message
    path.write_text(path.read_text().replace("film_cache_mb = 1", "film_cache_mb = 2"))
    assert film_room(load_show(path), env, unit)[1] == []


class _GatedLock:
    """The cache's lock, where the first caller's wait is held at a gate: the films-ahead thread
    of an earlier reload, still waiting inside acquire while a film copies, when a later reload
    starts its own thread (which runs first) and the copy then ends."""

    def __init__(self) -> None:
        import threading

        self._lock = threading.Lock()
        self.gate = threading.Event()
        self.waiting = threading.Event()
        self._first = None

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        import threading

        if self._first is None:
            self._first = threading.get_ident()
        if threading.get_ident() == self._first and not self.gate.is_set():
            self.waiting.set()
            self.gate.wait(10)
        return self._lock.acquire(blocking, timeout)

    def release(self) -> None:
        self._lock.release()

    __enter__ = acquire

    def __exit__(self, *exc) -> None:
        self.release()


def test_reloads_in_a_burst_leave_the_last_reloads_film_cache_limit(tmp_path):
    """Two reloads while a film copies: the first reload's films-ahead thread, handed the lock
    after the second's had run, set the first reload's limit and playlist back in force (the
    technician's last film_cache_mb undone until the next reload)."""
    stick = tmp_path / "stick"
    stick.mkdir()
    for name in ("a.mp4", "b.mp4"):
        (stick / name).write_bytes(os.urandom(400))
    films = FilmCache(tmp_path / "cache", limit_bytes=900, keep_free_bytes=0, elsewhere=lambda path: True)
    films._lock = gated = _GatedLock()
    first = films.stage_ahead([stick / "a.mp4"], limit_bytes=500)
    assert gated.waiting.wait(10)
    films.stage_ahead([stick / "b.mp4"], limit_bytes=2000).join(10)
    gated.gate.set()
    first.join(10)
    assert films.limit_bytes == 2000


def _two_films_copied(tmp_path):
    """Two 400-byte films on a stick, both copied into a cache with room for both. (cache, playlist)"""
    stick = tmp_path / "stick"
    stick.mkdir()
    playlist = [stick / "a.mp4", stick / "b.mp4"]
    for film in playlist:
        film.write_bytes(os.urandom(400))
    films = FilmCache(tmp_path / "cache", limit_bytes=900, keep_free_bytes=0, elsewhere=lambda path: True)
    films.stage_ahead(playlist).join(10)
    return films, playlist


def test_a_smaller_limit_keeps_the_copies_of_the_first_films_that_fit_not_the_last_used(tmp_path):
    """A reload lowering the limit removed the copies used longest ago (the playlist's first
    film, copied first), then found that first film in the plan and copied it from the stick
    again in place of the later one: minutes of reading a stick for a film already on disk,
    and its scene, coming round meanwhile, waited for the copy."""
    films, playlist = _two_films_copied(tmp_path)
    assert films.copied == 2
    films.stage_ahead(playlist, limit_bytes=500).join(10)  # a reload: room for one film
    assert films.copied == 2  # nothing copied again
    with films.staged(playlist[0]) as play:
        assert play.parent.name == "cache"  # the first film's copy, kept
    assert films.status()["films"] == 1


def test_a_film_waiting_for_a_copy_when_copying_is_turned_off_plays_from_the_stick_unblamed(tmp_path, caplog):
    """A scene's film waiting on another film's copy when a reload set film_cache_mb = 0 went on
    to "make room": it was said to be larger than the film cache's 0 MB limit and counted as
    played from its drive for want of room, as if the cache were too small."""
    import threading

    stick = tmp_path / "stick"
    stick.mkdir()
    film = stick / "a.mp4"
    film.write_bytes(os.urandom(400))
    films = FilmCache(tmp_path / "cache", limit_bytes=900, keep_free_bytes=0, elsewhere=lambda path: True)
    played = []

    def scene() -> None:
        with films.staged(film) as play:
            played.append(play)

    films._lock.acquire()  # another film copying
    waiting = threading.Thread(target=scene)
    waiting.start()
    time.sleep(0.2)
    films._resize(0)  # (the reload's films-ahead thread, with the lock)
    films._lock.release()
    waiting.join(10)
    assert played == [film]
    assert films.status()["from_drive"] == 0
    assert "than the film cache's limit" not in caplog.text  # (the reload's own line may say the new limit)


def test_copying_turned_off_removes_the_copy_a_film_played_from_once_it_ends(tmp_path, caplog):
    """A reload setting film_cache_mb = 0 while a film played from its copy removed the others
    but left that one: it stayed on the show's disk until the next reload (a setting meant to
    use no disk kept a whole film there)."""
    films, playlist = _two_films_copied(tmp_path)
    caplog.set_level("INFO")
    with films.staged(playlist[0]) as play:
        films.stage_ahead(playlist, limit_bytes=0).join(10)  # the reload, a's film playing
        assert [path.name for path in (tmp_path / "cache").iterdir()] == [play.name]  # never the one playing
        assert play.read_bytes() == playlist[0].read_bytes()
    assert list((tmp_path / "cache").iterdir()) == []
    with films.staged(playlist[0]) as again:
        assert again == playlist[0]  # copying off: from the stick, nothing copied
    assert list((tmp_path / "cache").iterdir()) == [] and films.copied == 2
    said = [r.getMessage() for r in caplog.records if "removed" in r.getMessage()]
    assert len(said) == 1 and "removed 1 copy" in said[0] and "film_cache_mb = 0" in said[0], said
    assert "the copy a film plays from goes when it ends" in said[0]


def test_a_start_with_copying_off_clears_the_copies_an_earlier_run_left(tmp_path, monkeypatch, caplog, no_cache):
    """Started with film_cache_mb = 0 the show made no film cache, so the copies an earlier run
    left in its folder stayed there for good, however large."""
    from installation.harness import run_test
    from installation.runtime.attach import attach
    from installation.runtime.service import RuntimeConfig

    folder = tmp_path / "home" / "bayard" / "films"
    folder.mkdir(parents=True)
    left = [folder / "0123456789abcdef0123.mp4", folder / "fedcba9876543210fedc.mov",
            folder / "00112233445566778899.mp4.4242.part"]
    for copy in left:
        copy.write_bytes(os.urandom(3000))
    (folder / "notes.txt").write_text("not a copy of ours: kept")
    path = write_show(tmp_path / "show", {"a": title_scene("a", duration=30)})
    caplog.set_level("INFO")
    for _ in range(2):  # a start, and the next one with nothing left to clear
        with run_test(path, fps=10) as pilot:
            attach(pilot.engine, env={"XDG_CACHE_HOME": str(tmp_path / "home")},
                   config=RuntimeConfig(watch=False, film_cache_mb=0))
            assert staging.current() is None
            assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    said = [r.getMessage() for r in caplog.records if "removed" in r.getMessage()]
    assert len(said) == 1 and "3 copies" in said[0] and "film_cache_mb = 0" in said[0], said
