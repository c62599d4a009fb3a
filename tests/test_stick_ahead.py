"""Films copied ahead off a USB stick: a film ending, or starting from its copy, never waits
for another film's copy (the cache's lock was held for the whole of a copy, so a film's
last frame stayed frozen on screen until the copy ahead ended), and a loop scene's films
named by a folder pattern are copied ahead like the others (they were copied only when they
first played, and on a slow stick the first showing of each stuttered). (A slow stick is a
reader handed to the cache that waits on an event before it gives a byte.)"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from installation.media import drives, staging
from installation.media.staging import FilmCache
from installation.media.testvideo import write_test_video

from .conftest import title_scene, write_show
from .test_stick_cache import _until


class _SlowStick:
    """Opens films as the cache would, except those named in `slow`: reading one stops at its
    first byte until `go` is set (`reading` says it got there)."""

    def __init__(self, *slow: str) -> None:
        self.slow = set(slow)
        self.reading = threading.Event()
        self.go = threading.Event()

    def __call__(self, film: Path):
        handle = open(film, "rb")  # noqa: SIM115 (the cache's with-block closes it)
        if film.name not in self.slow:
            return handle
        stick = self

        class Held:
            def __enter__(self):
                return self

            def __exit__(self, *exc) -> None:
                handle.close()

            def read(self, size: int = -1) -> bytes:
                stick.reading.set()
                stick.go.wait(30)  # (bounded only so a failing test ends)
                return handle.read(size)

        return Held()


def _stick(tmp_path: Path, *names: str, size: int = 400) -> Path:
    stick = tmp_path / "stick"
    stick.mkdir(exist_ok=True)
    for name in names:
        (stick / name).write_bytes(os.urandom(size))
    return stick


def test_a_film_ending_or_starting_from_its_copy_never_waits_for_a_copy_ahead(tmp_path):
    stick = _stick(tmp_path, "a.mp4", "b.mp4")
    slow = _SlowStick("b.mp4")
    films = FilmCache(tmp_path / "cache", limit_bytes=900, keep_free_bytes=0, elsewhere=lambda path: True,
                      open_film=slow)
    playing, ended, again = threading.Event(), threading.Event(), threading.Event()

    def film_a() -> None:  # the decoder thread of a film that plays from its copy
        with films.staged(stick / "a.mp4") as play:
            assert play.parent == tmp_path / "cache"
            playing.set()
            slow.reading.wait(10)  # b's copy ahead begins while a plays
        ended.set()  # a's end of stream goes to its scene from here
        with films.staged(stick / "a.mp4") as play:  # a's next showing, from the copy it has
            assert play.parent == tmp_path / "cache"
        again.set()

    decoder = threading.Thread(target=film_a)
    decoder.start()
    assert playing.wait(10)
    ahead = films.stage_ahead([stick / "a.mp4", stick / "b.mp4"])
    assert slow.reading.wait(10)
    try:
        assert ended.wait(10), "a's end waited for b's copy"
        assert again.wait(10), "a's next showing waited for b's copy"
        assert not slow.go.is_set() and films.copied == 1  # b's copy still under way all the while
    finally:
        slow.go.set()
        decoder.join(10)
        ahead.join(10)
    assert films.copied == 2  # b's copy, written outside the lock, is published whole
    with films.staged(stick / "b.mp4") as b:
        assert b.parent == tmp_path / "cache" and b.read_bytes() == (stick / "b.mp4").read_bytes()
    assert [p.name for p in (tmp_path / "cache").iterdir() if p.name.endswith(".part")] == []


def test_a_film_played_from_the_stick_reaches_its_end_while_another_is_copied_ahead(tmp_path, no_cache):
    """What the visitor saw: the film's last frame held on screen (counted as held frames)
    until the copy ahead of the next film was done."""
    from installation.media.sources import VideoSource

    stick = _stick(tmp_path, "b.mp4", size=4000)
    write_test_video(stick / "a.mp4", seconds=0.5, fps=10, size=(64, 48))
    slow = _SlowStick("b.mp4")
    films = FilmCache(tmp_path / "cache", limit_bytes=10**7, keep_free_bytes=0, elsewhere=lambda path: True,
                      open_film=slow)
    staging.use(films)
    source = VideoSource(stick / "a.mp4", (64, 48), loop=False).start()
    assert source.wait_ready()
    ahead = films.stage_ahead([stick / "a.mp4", stick / "b.mp4"])
    assert slow.reading.wait(10)
    try:
        t = 0.0
        while t < 0.5:
            source.frame_at(t, block=True)
            t += 0.1
        source.frame_at(0.55, block=True)  # past its last frame: its end of stream is due
        assert source.ended and source.error is None
        assert not slow.go.is_set()  # the copy ahead still under way
    finally:
        slow.go.set()
        ahead.join(10)
        source.close()


def test_a_loop_scenes_folder_pattern_films_are_copied_ahead(tmp_path, monkeypatch, no_cache):
    """A loop scene whose films are `folder = "films/*.mp4"`: only films named one by one
    (a video's `file`, a loop's `items`) were copied ahead; these were copied when each
    first played, the loop waiting on the stick."""
    from installation.harness import run_test
    from installation.runtime.attach import attach
    from installation.runtime.service import RuntimeConfig

    stick = tmp_path / "stick"
    monkeypatch.setattr(drives, "device", lambda path: 2 if stick in (path, *path.parents) else 1)
    path = write_show(stick, {
        "a": title_scene("a", duration=30),
        "wall": 'type = "loop"\nid = "wall"\nfolder = "films/*.mp4"\n',
        "film": 'type = "video"\nid = "film"\nfile = "one.mp4"\n'})
    (stick / "content" / "films").mkdir()
    for name in ("films/x.mp4", "films/y.mp4", "one.mp4"):
        (stick / "content" / name).write_bytes(os.urandom(3000))
    (stick / "content" / "films" / "notes.txt").write_text("not a film")
    cache = tmp_path / "home" / "bayard" / "films"
    with run_test(path, fps=10) as pilot:
        attach(pilot.engine, env={"XDG_CACHE_HOME": str(tmp_path / "home")}, config=RuntimeConfig(watch=False))
        films = staging.current()
        assert films is not None
        _until(lambda: films.copied == 3)  # (the films-ahead thread; the show stands in its first scene)
        assert films.copied == 3 and len(list(cache.iterdir())) == 3
        assert films.playlist_bytes == 9000  # (the folder's films counted in what the show needs, status and check)


def loop_show_on_a_stick(tmp_path: Path, monkeypatch) -> tuple[Path, Path, dict]:
    """A show on a USB stick (its own drive): a title and a loop of `films/*.mp4` holding x.mp4;
    (the stick, the show file, the runtime's folders as the service's environment gives them)."""
    stick = tmp_path / "stick"
    monkeypatch.setattr(drives, "device", lambda path: 2 if stick in (path, *path.parents) else 1)
    path = write_show(stick, {"a": title_scene("a", duration=30),
                              "wall": 'type = "loop"\nid = "wall"\nfolder = "films/*.mp4"\n'})
    (stick / "content" / "films").mkdir()
    (stick / "content" / "films" / "x.mp4").write_bytes(os.urandom(3000))
    env = {"XDG_CACHE_HOME": str(tmp_path / "home"), "STATE_DIRECTORY": str(tmp_path / "state"),
           "LOGS_DIRECTORY": str(tmp_path / "logs")}
    return stick, path, env


def test_a_film_put_in_a_loops_folder_while_the_show_runs_is_copied_ahead(tmp_path, monkeypatch, no_cache):
    """An artist drops a new film into the loop's `films/` on the stick while the show runs: it
    was copied only when it first played (the loop waiting on the stick) or at the next reload.
    The watcher sees it within a look or two, and it is copied before the loop comes round."""
    from installation.harness import run_test
    from installation.runtime.attach import attach
    from installation.runtime.service import RuntimeConfig

    stick, path, env = loop_show_on_a_stick(tmp_path, monkeypatch)
    with run_test(path, fps=10) as pilot:
        runtime = attach(pilot.engine, env=env, config=RuntimeConfig(watch=True))
        try:
            films = staging.current()
            _until(lambda: films.copied == 1)
            # (the watcher's first look notes what the folder holds: the show's start copied it)
            _until(lambda: getattr(runtime.watcher, "_matched_seen", None) is not None, limit_s=3)
            (stick / "content" / "films" / "y.mp4").write_bytes(os.urandom(3000))
            _until(lambda: films.copied == 2)
            assert films.copied == 2, "the new film waits to be copied until it plays"
            assert films.playlist_bytes == 6000 and pilot.scene_id == "a"  # (no frame played: the loop never ran)
            assert runtime.watcher.reloads == 0  # (copied ahead, not by a reload)
        finally:
            runtime.stop()




def test_a_film_ends_while_a_reload_looks_at_a_slow_stick(tmp_path, monkeypatch):
    """A reload (a scene file edited, a stick put in) plans the films to copy ahead by their
    sizes on the stick. A USB disk spun down answers its first look after seconds: that look
    was taken holding the cache's books, and a film ending meanwhile, from its copy, held its
    last frame on screen until the disk woke."""
    stick = _stick(tmp_path, "a.mp4", "b.mp4")
    films = FilmCache(tmp_path / "cache", limit_bytes=900, keep_free_bytes=0, elsewhere=lambda path: True)
    waking, awake = threading.Event(), threading.Event()
    seen = Path.stat

    def spun_down(path: Path, *args, **kwargs):
        if path.name == "b.mp4" and not awake.is_set():
            waking.set()
            awake.wait(30)  # (bounded only so a failing test ends)
        return seen(path, *args, **kwargs)

    playing, ended = threading.Event(), threading.Event()

    def film_a() -> None:  # the decoder thread of a film that plays from its copy
        with films.staged(stick / "a.mp4") as play:
            assert play.parent == tmp_path / "cache"
            playing.set()
            waking.wait(10)  # the reload looks at the stick while a plays
        ended.set()  # a's end of stream goes to its scene from here

    decoder = threading.Thread(target=film_a)
    decoder.start()
    assert playing.wait(10)
    monkeypatch.setattr(Path, "stat", spun_down)
    ahead = films.stage_ahead([stick / "a.mp4", stick / "b.mp4"])  # (a reload's)
    try:
        assert waking.wait(10)
        assert ended.wait(5), "a's end waited for the stick to wake"
    finally:
        awake.set()
        decoder.join(10)
        ahead.join(10)
    assert films.copied == 2  # b copied once the stick answered


def test_a_stick_that_ends_a_film_short_never_leaves_a_half_copy_to_play(tmp_path):
    """A failing stick (a broken cluster chain, a loose connector on a FUSE-mounted exFAT)
    can end a read early with no error, the film's size and time unchanged: the part read
    was published as the film's copy, and the film stopped half-way, at every showing until
    the cache evicted it."""
    stick = _stick(tmp_path, "a.mp4", size=3000)

    def short(film: Path):
        handle = open(film, "rb")  # noqa: SIM115 (the cache's with-block closes it)

        class Short:
            def __enter__(self):
                return self

            def __exit__(self, *exc) -> None:
                handle.close()

            def read(self, size: int = -1) -> bytes:
                return handle.read(size)[:1000] if handle.tell() == 0 else b""

        return Short()

    films = FilmCache(tmp_path / "cache", limit_bytes=10**6, keep_free_bytes=0, elsewhere=lambda path: True,
                      open_film=short)
    with films.staged(stick / "a.mp4") as play:
        assert play == stick / "a.mp4" or play.read_bytes() == (stick / "a.mp4").read_bytes()
    assert films.copied == 0 and [p.name for p in (tmp_path / "cache").iterdir()] == []
    films._open = staging._read_film  # the stick read whole again: copied whole
    with films.staged(stick / "a.mp4") as play:
        assert play.parent == tmp_path / "cache" and play.read_bytes() == (stick / "a.mp4").read_bytes()
