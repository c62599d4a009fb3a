"""A reload and the watcher both hand the film cache the show's films to copy ahead, from two
threads (the render thread and the watcher's); the later call replaces the earlier one's
work. These tests race them by hand, with events, not timing."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from installation.media import staging
from installation.media.staging import FilmCache
from installation.scenes.loop_config import LoopConfig

from .test_stick_ahead import loop_show_on_a_stick
from .test_stick_cache import _until


def test_a_reload_while_the_watcher_hands_on_new_films_keeps_the_reloaded_shows_films(tmp_path, monkeypatch,
                                                                                      no_cache):
    """The watcher globs a loop's folder on a slow stick to copy a new film ahead; meanwhile the
    artist's reload brings a new film scene, and the reload copies the new show's films ahead.
    The watcher's call, made with the show it had read before the reload, came after and
    replaced that work with the old show's films: the new scene's film was never copied ahead
    and played off the stick (it could not be pulled while it played)."""
    from installation.harness import run_test
    from installation.runtime.attach import attach
    from installation.runtime.service import RuntimeConfig

    stick, path, env = loop_show_on_a_stick(tmp_path, monkeypatch)
    (stick / "content" / "new.mp4").write_bytes(os.urandom(3000))
    # The stick gives new.mp4 only once the race is run (its copy ahead is under way meanwhile).
    race_run = threading.Event()
    real_open = staging._read_film

    def slow_stick(film: Path):
        if film.name == "new.mp4":
            race_run.wait(10)
        return real_open(film)

    monkeypatch.setattr(staging, "_read_film", slow_stick)
    # The watcher's glob of the loop's folder waits, once it has looked, until the reload is done.
    globbed, reloaded = threading.Event(), threading.Event()
    real_glob = LoopConfig.folder_files

    def watcher_glob(self, content_root):
        found = real_glob(self, content_root)
        if threading.current_thread().name == "watcher's call":
            globbed.set()
            reloaded.wait(10)
        return found

    monkeypatch.setattr(LoopConfig, "folder_files", watcher_glob)
    threads: list[threading.Thread] = []
    real_ahead = FilmCache.stage_ahead
    monkeypatch.setattr(FilmCache, "stage_ahead",
                        lambda self, *args, **kwargs: threads.append(real_ahead(self, *args, **kwargs)) or threads[-1])
    with run_test(path, fps=10) as pilot:
        runtime = attach(pilot.engine, env=env, config=RuntimeConfig(watch=True))
        try:
            runtime.watcher.stop()  # (its hooks stay; the test makes its call by hand)
            films = staging.current()
            _until(lambda: films.copied == 1)  # x.mp4, copied at the start
            call = threading.Thread(target=runtime.watcher.films_added, args=([stick / "content/films/x.mp4"],),
                                    name="watcher's call")
            call.start()
            assert globbed.wait(10)
            (stick / "scenes" / "film.toml").write_text('type = "video"\nid = "film"\nfile = "new.mp4"\n')
            assert pilot.engine.reload(at_once=True) and "film" in pilot.engine.show.scenes
            reloaded.set()
            call.join(10)
            race_run.set()
            # (A reload's list of films is made on a thread of its own, films_ahead.py: its
            # copy may start after the threads seen so far have ended.)
            _until(lambda: films.copied == 2)
            for thread in threads:
                thread.join(10)
            copies = sorted(p.stat().st_size for p in films.root.iterdir() if p.is_file())
            assert films.copied == 2 and copies == [3000, 3000], "the new scene's film was not copied ahead"
        finally:
            runtime.stop()


class _CountingStick:
    """Opens films as the cache would, counting the bytes each gives; the first read of
    `slow` waits until `go` is set (`reading` says it got there)."""

    def __init__(self, slow: str) -> None:
        self.slow, self.given = slow, {}
        self.reading, self.go = threading.Event(), threading.Event()

    def __call__(self, film: Path):
        handle = open(film, "rb")  # noqa: SIM115 (the cache's with-block closes it)
        stick = self

        class Counted:
            def __enter__(self):
                return self

            def __exit__(self, *exc) -> None:
                handle.close()

            def read(self, size: int = -1) -> bytes:
                if film.name == stick.slow and not stick.go.is_set():
                    stick.reading.set()
                    stick.go.wait(10)
                data = handle.read(size)
                stick.given[film.name] = stick.given.get(film.name, 0) + len(data)
                return data

        return Counted()


def test_a_film_new_in_a_loops_folder_does_not_restart_the_copy_under_way(tmp_path, monkeypatch):
    """A technician puts films on the stick one after another while a long film is being copied
    ahead: each new film the watcher handed on threw that copy away and began it again from its
    first byte, so a long film on a slow stick was copied ahead only once the films stopped
    coming. A copy under way of a film still wanted runs on; one no longer wanted (a reload
    that dropped it) is still abandoned."""
    monkeypatch.setattr(staging, "CHUNK_BYTES", 100)
    stick = tmp_path / "stick"
    stick.mkdir()
    for name in ("long.mp4", "new.mp4", "other.mp4"):
        (stick / name).write_bytes(os.urandom(1000))
    reader = _CountingStick("long.mp4")
    films = FilmCache(tmp_path / "cache", 10**6, elsewhere=lambda path: True, open_film=reader)
    first = films.stage_ahead([stick / "long.mp4"])
    assert reader.reading.wait(10)
    again = films.stage_ahead([stick / "long.mp4", stick / "new.mp4"])  # the watcher's call
    reader.go.set()
    first.join(10)
    again.join(10)
    assert reader.given == {"long.mp4": 1000, "new.mp4": 1000}, "the long film was read off the stick twice"
    assert films.copied == 2

    reader = _CountingStick("other.mp4")
    films = FilmCache(tmp_path / "cache2", 10**6, elsewhere=lambda path: True, open_film=reader)
    first = films.stage_ahead([stick / "other.mp4"])
    assert reader.reading.wait(10)
    again = films.stage_ahead([stick / "new.mp4"])  # a reload whose show has no other.mp4
    reader.go.set()
    first.join(10)
    again.join(10)
    assert reader.given.get("other.mp4", 0) < 1000 and films.copied == 1
