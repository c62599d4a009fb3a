"""A reload and the watcher both hand the film cache the show's films to copy ahead, from two
threads (the render thread and the watcher's); the later call replaces the earlier one's
work. These tests race them by hand, with events, not timing."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from installation.media import drives, staging
from installation.media.staging import FilmCache
from installation.scenes.loop_config import LoopConfig

from .conftest import title_scene, write_show
from .test_stick_cache import _until


def test_a_reload_while_the_watcher_hands_on_new_films_keeps_the_reloaded_shows_films(tmp_path, monkeypatch,
                                                                                      no_cache):
    """The watcher globs a loop's folder on a slow stick to copy a new film ahead; meanwhile the
    artist's reload brings a new film scene, and the reload copies the new show's films ahead.
    The watcher's call, made with the show it had read before the reload, came after and
    replaced that work with the old show's films: the new scene's film was never copied ahead
    and played off the stick (it could not be pulled while it played)."""
    from installation.harness import run_test
    from installation.runtime.service import RuntimeConfig, attach

    stick = tmp_path / "stick"
    monkeypatch.setattr(drives, "device", lambda path: 2 if stick in (path, *path.parents) else 1)
    path = write_show(stick, {"a": title_scene("a", duration=30),
                              "wall": 'type = "loop"\nid = "wall"\nfolder = "films/*.mp4"\n'})
    (stick / "content" / "films").mkdir()
    (stick / "content" / "films" / "x.mp4").write_bytes(os.urandom(3000))
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
    env = {"XDG_CACHE_HOME": str(tmp_path / "home"), "STATE_DIRECTORY": str(tmp_path / "state"),
           "LOGS_DIRECTORY": str(tmp_path / "logs")}
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
            for thread in threads:
                thread.join(10)
            copies = sorted(p.stat().st_size for p in films.root.iterdir() if p.is_file())
            assert films.copied == 2 and copies == [3000, 3000], "the new scene's film was not copied ahead"
        finally:
            runtime.stop()
