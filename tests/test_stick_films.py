"""Films and pictures on a USB stick: a film plays from its copy on the show's disk, so the
stick can be unmounted mid-film; a picture read from it stays on screen while it is out; a
stick swapped for an updated one is read anew; a full disk plays the film from the stick,
with one log line; nothing is written to the stick. (The stick and the show's cache disk are
tmpfs mounts in a private mount namespace, as in test_removable.py: no root needed.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from installation.media.staging import FilmCache

from .test_runtime_watch import _can_mount_unprivileged

_SCRIPT = r"""
import json, logging, os, subprocess, sys
from pathlib import Path
sys.path.insert(0, sys.argv[4])
import numpy as np
from PIL import Image
from installation.harness import run_test
from installation.media.testvideo import write_test_video
from installation.runtime.attach import attach
from installation.runtime.service import RuntimeConfig
from tests.conftest import title_scene, write_show

stick, cache, state, cache_size = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[5]
said = []
class Keep(logging.Handler):
    def emit(self, record):
        said.append(record.getMessage())
logging.getLogger("bayard").addHandler(Keep())

def plug(film_s, grey):
    subprocess.run(["mount", "-t", "tmpfs", "stick", str(stick)], check=True)
    show = stick / "show"
    path = write_show(show, {
        "intro": title_scene("intro", duration=3, heading="Salle 3"),
        "wall": 'type = "photograph"\nid = "wall"\nimage = "wall.png"\nduration = 2\n',
        "film": 'type = "video"\nid = "film"\nfile = "film.mp4"\non_end = "advance"\n'})
    path.write_text(path.read_text().replace("[show]\n", f'[show]\nstate = "{state}"\n', 1))
    Image.new("RGB", (64, 48), (grey, grey, grey)).save(show / "content/wall.png")
    write_test_video(show / "content/film.mp4", seconds=film_s, fps=10, size=(160, 96))
    return path

def tree():
    return sorted((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in stick.rglob("*"))

def until(pilot, scene_id, frames=0, limit=40.0):
    waited = 0.0
    while waited < limit:
        current = pilot.engine.sequencer.current.scene
        if current.config.id == scene_id and (not frames or current.source.stats.shown >= frames):
            return current
        pilot.advance(0.1)
        waited += 0.1
    raise SystemExit(f"{scene_id} never came")

subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={cache_size}", "cache", str(cache)], check=True)
report = {}
path = plug(3.0, 80)
with run_test(path, fps=10) as pilot:
    runtime = attach(pilot.engine, env={"XDG_CACHE_HOME": str(cache)}, config=RuntimeConfig(watch=False))
    before = tree()
    film = until(pilot, "film", frames=5)
    out = subprocess.run(["umount", str(stick)], capture_output=True, text=True)
    report["umount"], report["umount_says"] = out.returncode, out.stderr.strip()
    shown = film.source.stats.shown
    pilot.advance(1.0)
    report["film_went_on"] = film.source.stats.shown - shown
    report["film_error"] = film.source.error
    if out.returncode != 0:  # (a full cache disk: the film holds the stick, as it should say)
        report["stick_untouched"] = tree() == before
        report["cache"] = sorted(p.name for p in cache.rglob("*") if p.is_file())
        report["said"] = [m for m in said if "plays from its drive" in m]
        runtime.close()
        print(json.dumps(report))
        raise SystemExit(0)
    report["stick_untouched"] = True
    wall = until(pilot, "wall")
    report["wall_while_out"] = [wall.installed, float(np.asarray(wall.image).mean())]
    plug(5.0, 200)  # another stick: the film and the picture changed
    before = tree()
    pilot.command("reload")
    until(pilot, "intro")  # the next round, its scenes read from the new stick
    wall = until(pilot, "wall")
    report["wall_back"] = [wall.installed, float(np.asarray(wall.image).mean())]
    film = until(pilot, "film", frames=3)
    report["film_back_s"] = film.source.period_hint
    report["stick_untouched"] = tree() == before
    report["copies"] = runtime.status()["film_cache"]["copied"]
    runtime.close()
subprocess.run(["umount", str(stick)], capture_output=True)
print(json.dumps(report))
"""


def _play(tmp_path: Path, cache_size: str) -> dict:
    for name in ("stick", "cache", "state"):
        (tmp_path / name).mkdir()
    run = subprocess.run(["unshare", "-rm", sys.executable, "-c", _SCRIPT, str(tmp_path / "stick"),
                          str(tmp_path / "cache"), str(tmp_path / "state"), str(Path(__file__).resolve().parents[1]),
                          cache_size],
                         capture_output=True, text=True, timeout=180,
                         env={**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"})
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.skipif(not _can_mount_unprivileged(), reason="needs unprivileged user and mount namespaces")
def test_the_stick_unmounts_mid_film_its_pictures_stay_and_a_swapped_stick_is_read_anew(tmp_path):
    """A technician pulling the stick mid-film met "target is busy" (the decoder read the film
    from it), and the picture of the next scene from it was a stand-in card until it came back."""
    report = _play(tmp_path, "2g")
    assert report["umount"] == 0, report["umount_says"]
    assert report["film_went_on"] >= 8 and report["film_error"] is None, report  # 1 s at 10 fps
    assert report["wall_while_out"] == [True, pytest.approx(80, abs=1)], report  # the last picture, not a card
    assert report["wall_back"] == [True, pytest.approx(200, abs=1)], report  # the new stick's picture
    assert report["film_back_s"] == pytest.approx(5.0, abs=0.2), report  # the new stick's film, not the copy
    assert report["copies"] == 2 and report["stick_untouched"], report


@pytest.mark.slow
@pytest.mark.skipif(not _can_mount_unprivileged(), reason="needs unprivileged user and mount namespaces")
def test_a_full_cache_disk_plays_the_film_from_the_stick_and_says_so_once(tmp_path):
    report = _play(tmp_path, "64k")
    assert report["umount"] != 0 and "busy" in report["umount_says"], report
    assert report["film_went_on"] >= 8 and report["film_error"] is None, report
    assert report["cache"] == [] and report["stick_untouched"], report  # no half copy left anywhere
    assert len(report["said"]) == 1 and "film.mp4 plays from its drive" in report["said"][0], report


def _films(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_the_cache_keeps_to_its_limit_evicting_the_film_used_least_recently_but_never_one_playing(tmp_path):
    stick, cache = tmp_path / "stick", tmp_path / "cache"
    stick.mkdir()
    for name, size in (("a.mp4", 400), ("b.mp4", 400), ("c.mp4", 400)):
        (stick / name).write_bytes(os.urandom(size))
    films = FilmCache(cache, limit_bytes=900, keep_free_bytes=0, elsewhere=lambda path: True)
    with films.staged(stick / "a.mp4") as a:
        assert a.parent == cache and a.read_bytes() == (stick / "a.mp4").read_bytes()
        with films.staged(stick / "b.mp4"):
            pass
        with films.staged(stick / "c.mp4") as c:  # 1200 bytes > 900: b goes, a plays on
            assert a.is_file() and c.is_file() and len(_films(cache)) == 2
    with films.staged(stick / "a.mp4") as again:
        assert again == a and films.copied == 3  # found again, not copied again
    (stick / "a.mp4").write_bytes(os.urandom(500))  # the film changed on the stick
    with films.staged(stick / "a.mp4") as changed:
        assert changed != a and changed.read_bytes() == (stick / "a.mp4").read_bytes()
    (stick / "a.mp4").unlink()  # the stick pulled: the last copy plays
    with films.staged(stick / "a.mp4") as out:
        assert out == changed
    assert not any(p.name.endswith(".part") for p in cache.iterdir())
    assert _films(stick) == ["b.mp4", "c.mp4"]


def test_a_copy_stopped_half_way_leaves_nothing_behind(tmp_path):
    (tmp_path / "film.mp4").write_bytes(os.urandom(3 * 2**20 + 7))
    films = FilmCache(tmp_path / "cache", limit_bytes=2**30, keep_free_bytes=0, elsewhere=lambda path: True)
    stop = threading.Event()
    stop.set()  # the scene left before its film was copied
    with films.staged(tmp_path / "film.mp4", stop) as play:
        assert play is None
    assert _films(tmp_path / "cache") == []


def test_a_shows_films_are_copied_ahead_as_many_as_fit_and_a_reload_replaces_the_work(tmp_path):
    """The first time a film on the stick came round, its scene waited while it was copied."""
    stick = tmp_path / "stick"
    stick.mkdir()
    for name in ("a.mp4", "b.mp4", "c.mp4"):
        (stick / name).write_bytes(os.urandom(400))
    films = FilmCache(tmp_path / "cache", limit_bytes=900, keep_free_bytes=0, elsewhere=lambda path: True)
    films.stage_ahead([stick / "a.mp4", stick / "b.mp4", stick / "c.mp4"]).join(10)
    assert films.copied == 2 and len(_films(tmp_path / "cache")) == 2  # c would push a out: not copied
    with films.staged(stick / "a.mp4") as a, films.staged(stick / "b.mp4") as b:
        assert a.parent == b.parent == tmp_path / "cache" and films.copied == 2  # there when their scenes come
    films.close()


_READ_ONLY = r"""
import json, logging, os, subprocess, sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from installation.media.staging import FilmCache

here = Path(sys.argv[1])
said = []
class Keep(logging.Handler):
    def emit(self, record):
        said.append(record.getMessage())
logging.getLogger("bayard").addHandler(Keep())
subprocess.run(["mount", "-t", "tmpfs", "cache", str(here / "cache")], check=True)
films = FilmCache(here / "cache" / "films", limit_bytes=1000, keep_free_bytes=0, elsewhere=lambda path: True)
report = {}
for name in ("a.mp4", "b.mp4"):
    with films.staged(here / "stick" / name):
        pass
# The disk goes read-only (ext4 remounts itself so after an error), its copies still there.
subprocess.run(["mount", "-o", "remount,ro", str(here / "cache")], check=True)
for name in ("a.mp4", "c.mp4", "e.mp4"):  # a copied; c needs b's room; e fits beside them
    try:
        with films.staged(here / "stick" / name) as play:
            where = {here / "cache" / "films": "copy", here / "stick": "stick"}
            report[name] = where.get(play.parent, str(play))
    except Exception as error:
        report[name] = f"{type(error).__name__}: {error}"
report["said"] = said
print(json.dumps(report))
"""


@pytest.mark.skipif(not _can_mount_unprivileged(), reason="needs unprivileged user and mount namespaces")
def test_a_cache_disk_gone_read_only_plays_its_copies_and_the_other_films_from_the_stick(tmp_path):
    """The show's disk remounted read-only (after a disk error) failed every film on the
    stick with an error card, those already copied as well: touching or evicting a copy, or
    clearing a part file never written, raised "Read-only file system"."""
    stick = tmp_path / "stick"
    stick.mkdir()
    (tmp_path / "cache").mkdir()
    for name, size in (("a.mp4", 400), ("b.mp4", 400), ("c.mp4", 400), ("e.mp4", 100)):
        (stick / name).write_bytes(os.urandom(size))
    run = subprocess.run(["unshare", "-rm", sys.executable, "-c", _READ_ONLY, str(tmp_path),
                          str(Path(__file__).resolve().parents[1])], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert (report["a.mp4"], report["c.mp4"], report["e.mp4"]) == ("copy", "stick", "stick"), report
    said = [m for m in report["said"] if "plays from its drive" in m]
    assert len(said) == 2 and all("Read-only file system" in m for m in said), report["said"]


def test_a_films_sound_plays_on_from_its_copy_with_the_stick_out(tmp_path, monkeypatch):
    """The film's picture came from its copy on the show's disk, but its sound was decoded
    from the stick at each showing: with the stick pulled the film played on in silence
    ("silent: file not found"), and while it was in, the stick was read whole each time."""
    import pygame

    from installation.harness import run_test
    from installation.media import audio as film_audio
    from installation.media import staging

    from .test_video_audio import film_show

    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    monkeypatch.setattr(film_audio, "_mixer_failure", None)
    stick = tmp_path / "stick"
    path = film_show(stick)
    film = stick / "content" / "clip.mp4"
    cache = FilmCache(tmp_path / "cache", limit_bytes=2**30, keep_free_bytes=0,
                      elsewhere=lambda path: stick in Path(path).parents)
    staging.use(cache)
    pygame.mixer.quit()
    try:
        with run_test(path, fps=10) as pilot:
            while pilot.scene_id != "film":
                pilot.advance(0.1)
            pilot.advance(0.3)
            first = pilot.engine.sequencer.current.scene.audio_note
            film.rename(tmp_path / "pulled.mp4")  # the stick taken out while the film plays
            pilot.command("next")
            while pilot.scene_id != "film":
                pilot.advance(0.1)
            pilot.advance(0.3)
            scene = pilot.engine.sequencer.current.scene
            assert first == "playing" and scene.audio_note == "playing", (first, scene.audio_note)
            assert scene.source.error is None and scene.source.stats.shown > 0
        assert cache.copied == 1
    finally:
        staging.use(None)
        pygame.mixer.quit()


def test_a_film_too_large_to_copy_ahead_does_not_keep_the_films_after_it_on_the_stick(tmp_path):
    """A show opening with a long film larger than the cache (or than the room the films
    before it leave) had none of the films after it copied ahead: each made its scene wait
    on its copy the first time it came round."""
    stick = tmp_path / "stick"
    stick.mkdir()
    for name, size in (("opening.mp4", 1000), ("a.mp4", 400), ("b.mp4", 400), ("c.mp4", 400), ("d.mp4", 50)):
        (stick / name).write_bytes(os.urandom(size))
    films = FilmCache(tmp_path / "cache", limit_bytes=900, keep_free_bytes=0, elsewhere=lambda path: True)
    films.stage_ahead([stick / n for n in ("opening.mp4", "a.mp4", "b.mp4", "c.mp4", "d.mp4")]).join(10)
    assert films.copied == 3 and len(_films(tmp_path / "cache")) == 3  # a, b and d: c would push a out
    with films.staged(stick / "d.mp4") as d:
        assert d.parent == tmp_path / "cache" and films.copied == 3
    films.close()


def test_a_copy_handed_to_its_film_is_never_evicted_before_the_film_opens_it(tmp_path, monkeypatch):
    """A copy found for a film was kept from eviction only once its decoder came back for it,
    a moment after the cache let go: the films-ahead thread, waiting on the cache, could
    evict it in that moment to make room, and the film met "file not found" on its card."""
    stick = tmp_path / "stick"
    stick.mkdir()
    for name in ("a.mp4", "b.mp4"):
        (stick / name).write_bytes(os.urandom(400))
    films = FilmCache(tmp_path / "cache", limit_bytes=500, keep_free_bytes=0, elsewhere=lambda path: True)
    with films.staged(stick / "a.mp4"):
        pass
    handed, go = threading.Event(), threading.Event()
    stage = FilmCache._stage

    def slow_hand(self, film, stop, *showing):  # the decoder thread descheduled as the cache lets go
        play = stage(self, film, stop, *showing)
        if film.name == "a.mp4":
            handed.set()
            go.wait(10)
        return play

    monkeypatch.setattr(FilmCache, "_stage", slow_hand)
    found = {}

    def decoder() -> None:
        with films.staged(stick / "a.mp4") as play:
            found["a"] = play.is_file() and play.read_bytes() == (stick / "a.mp4").read_bytes()

    thread = threading.Thread(target=decoder)
    thread.start()
    assert handed.wait(10)
    with films.staged(stick / "b.mp4") as b:  # the films-ahead thread's turn: b needs a's room
        found["b"] = b
    go.set()
    thread.join(10)
    assert found["a"], found  # a plays from its copy
    assert found["b"] == stick / "b.mp4" and films.fallbacks == 1  # b waits for room, from the stick


def test_a_half_copy_a_power_cut_left_goes_at_the_next_start_though_every_film_is_copied(tmp_path):
    """A power cut mid-copy left a part file as large as the film had come, cleared only when
    another film needed copying: where every film was already on the show's disk it stayed
    for good, filling the disk, and the cache's status did not count it."""
    stick = tmp_path / "stick"
    stick.mkdir()
    (stick / "a.mp4").write_bytes(os.urandom(400))
    films = FilmCache(tmp_path / "cache", limit_bytes=2**20, keep_free_bytes=0, elsewhere=lambda path: True)
    with films.staged(stick / "a.mp4") as a:
        pass
    (tmp_path / "cache" / "0123456789abcdef0123.mp4.4242.part").write_bytes(os.urandom(3000))  # the cut
    again = FilmCache(tmp_path / "cache", limit_bytes=2**20, keep_free_bytes=0, elsewhere=lambda path: True)
    again.stage_ahead([stick / "a.mp4"]).join(10)  # the next start
    assert _films(tmp_path / "cache") == [a.name] and again.copied == 0
    again.close()


def test_a_film_played_from_the_stick_for_a_new_reason_is_said_again(tmp_path, caplog):
    """Said once a film, a film that could not be copied for want of room said nothing when
    later it could not be copied because the cache could no longer be written: the technician
    met "target is busy" with no line saying why."""
    stick = tmp_path / "stick"
    stick.mkdir()
    (stick / "a.mp4").write_bytes(os.urandom(4000))
    films = FilmCache(tmp_path / "cache", limit_bytes=3000, keep_free_bytes=0, elsewhere=lambda path: True)
    caplog.set_level("WARNING")
    for _ in range(2):
        with films.staged(stick / "a.mp4"):
            pass
    films.limit_bytes = 2**20  # room made (the limit raised)
    (stick / "a.mp4").write_bytes(os.urandom(5000))  # another film: the figures in the line change
    (tmp_path / "cache").rmdir()
    (tmp_path / "cache").write_text("")  # the cache's folder made a file by a slip
    for _ in range(2):
        with films.staged(stick / "a.mp4"):
            pass
    said = [r.getMessage() for r in caplog.records if "plays from its drive" in r.getMessage()]
    assert len(said) == 2 and "larger" in said[0] and "cannot be written" in said[1], said


def test_a_clock_set_back_does_not_make_the_film_just_played_the_first_to_go(tmp_path):
    """The cache keeps the films used last by their copies' times. A film copied while the
    clock stood a day ahead (set back since by the network) looked used after every film
    played since, so room was made by evicting the film just played, again and again, while
    the old copy stayed."""
    stick = tmp_path / "stick"
    stick.mkdir()
    for name in ("a.mp4", "b.mp4", "c.mp4"):
        (stick / name).write_bytes(os.urandom(400))
    films = FilmCache(tmp_path / "cache", limit_bytes=900, keep_free_bytes=0, elsewhere=lambda path: True)
    with films.staged(stick / "a.mp4") as a:
        pass
    ahead = a.stat().st_mtime_ns + 86400 * 10**9
    os.utime(a, ns=(ahead, ahead))  # copied while the clock stood a day ahead
    with films.staged(stick / "b.mp4") as b:
        pass
    with films.staged(stick / "b.mp4"):  # b plays again: used last
        pass
    with films.staged(stick / "c.mp4"):  # c needs the room of one: a's, used longest ago
        pass
    assert b.is_file() and not a.is_file(), _films(tmp_path / "cache")


@pytest.mark.parametrize("size", [600, 3 * 2**20 + 7])
def test_a_film_replaced_by_another_of_its_size_with_its_time_kept_is_copied_anew(tmp_path, size):
    # cp -p or rsync -t onto a FAT stick (which keeps no change time): the new cut of a film,
    # as long as the old, comes with the old file's modification time.
    stick, cache = tmp_path / "stick", tmp_path / "cache"
    stick.mkdir()
    film = stick / "loop.mp4"
    film.write_bytes(os.urandom(size))
    films = FilmCache(cache, limit_bytes=2**30, keep_free_bytes=0, elsewhere=lambda path: True)
    with films.staged(film) as first:
        assert first.read_bytes() == film.read_bytes()
    before = film.stat()
    film.write_bytes(os.urandom(size))
    os.utime(film, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (film.stat().st_size, film.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    films.stage_ahead([film]).join(10)  # (the copy ahead may take it for the film it copied: its showing not)
    with films.staged(film) as second:
        assert second.read_bytes() == film.read_bytes(), "the old film played on from its copy"
    with films.staged(film) as third:
        assert third == second and films.copied == 2  # the same film again is not copied again


def test_a_new_film_in_a_loops_folder_does_not_read_the_films_copied_before_it_again(tmp_path, monkeypatch):
    # The watcher hands the copy ahead the whole folder at each new film: with the edges of
    # every film read again each time, a folder of hundreds of films on a slow stick was read
    # for minutes at every film added. A showing still reads its film's edges afresh (above).
    from installation.media import film_room

    stick = tmp_path / "stick"
    stick.mkdir()
    for name in ("a.mp4", "b.mp4", "c.mp4"):
        (stick / name).write_bytes(os.urandom(700))
    read: list[str] = []
    real = film_room.edges_digest
    monkeypatch.setattr(film_room, "edges_digest", lambda film, size: read.append(film.name) or real(film, size))
    films = FilmCache(tmp_path / "cache", limit_bytes=2**30, keep_free_bytes=0, elsewhere=lambda path: True)
    films.stage_ahead([stick / "a.mp4", stick / "b.mp4"]).join(10)
    assert films.copied == 2
    read.clear()
    films.stage_ahead([stick / "a.mp4", stick / "b.mp4", stick / "c.mp4"]).join(10)
    assert films.copied == 3 and read == ["c.mp4"], read


def _replace_keeping_size_and_time(film: Path) -> None:
    before = film.stat()
    film.write_bytes(os.urandom(before.st_size))
    os.utime(film, ns=(before.st_atime_ns, before.st_mtime_ns))


def _a_copied_stick_film(tmp_path):
    """A 3 MiB film on a stick, its cache, and the copy it played from once."""
    stick = tmp_path / "stick"
    stick.mkdir()
    film = stick / "film.mp4"
    film.write_bytes(os.urandom(3 * 2**20 + 7))
    films = FilmCache(tmp_path / "cache", limit_bytes=2**30, keep_free_bytes=0, elsewhere=lambda path: True)
    with films.staged(film) as first:
        pass
    return film, films, first


def test_the_sound_of_a_film_replaced_with_its_size_and_time_kept_is_the_new_films(tmp_path):
    # A video scene starts its picture's decoder thread, then decodes the film's sound (a look
    # that is not a showing of its own): the sound's look, often the first to reach the cache,
    # took the edges the last showing had read, and the old cut's sound played over the new
    # cut's picture.
    film, films, _ = _a_copied_stick_film(tmp_path)  # (its first showing)
    _replace_keeping_size_and_time(film)
    with films.staged(film, showing=False) as sound:  # the next showing's sound, looking first
        assert sound.read_bytes() == film.read_bytes(), "the old film's sound played over the new film"
    with films.staged(film) as picture:
        assert picture == sound and films.copied == 2


def test_a_stick_failing_under_a_copied_film_plays_the_film_from_its_copy(tmp_path, monkeypatch, caplog):
    # A stick whose reads fail (EIO) while its film stands as it was (size, time, inode): the
    # film has a whole copy on the show's disk, which it played from before its edges were
    # read at each showing; reading them failed, and the film played from the failing stick.
    import errno
    import logging

    from installation.media import film_room

    film, films, first = _a_copied_stick_film(tmp_path)

    def failing(*args, **kwargs):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(film_room, "edges_digest", failing)
    with caplog.at_level(logging.WARNING, logger="bayard.media.staging"):
        for _ in range(2):
            with films.staged(film) as play:
                assert play == first and play.read_bytes() == film.read_bytes(), "it played from the failing stick"
    said = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(said) == 1 and str(film) in said[0] and "Input/output error" in said[0], said
    assert films.copied == 1


def test_a_film_replaced_with_its_size_and_time_kept_is_copied_anew_in_a_cache_its_size(tmp_path, caplog):
    # A cache set as `check` advises ([runtime] film_cache_mb the show's films need) holds the
    # copy the copy ahead planned for the film. The new cut, known by its edges at its
    # showing, is another copy: outside the plan, it could not push the old cut's copy out,
    # and played from the stick at every showing, the log asking for the film_cache_mb set.
    import logging

    stick = tmp_path / "stick"
    stick.mkdir()
    film = stick / "film.mp4"
    film.write_bytes(os.urandom(3 * 2**20 + 7))
    films = FilmCache(tmp_path / "cache", limit_bytes=film.stat().st_size, keep_free_bytes=0,
                      elsewhere=lambda path: True)
    films.stage_ahead([film]).join(10)
    assert films.copied == 1
    _replace_keeping_size_and_time(film)
    with caplog.at_level(logging.WARNING, logger="bayard.media.staging"):
        for _ in range(2):
            with films.staged(film) as play:
                assert play != film, "the new cut played from the stick"
                assert play.read_bytes() == film.read_bytes()
    assert films.copied == 2 and films.fallbacks == 0 and _films(tmp_path / "cache") == [play.name]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_stick_hung_in_a_read_delays_a_copied_films_showing_no_longer_than_the_deadline(tmp_path, monkeypatch,
                                                                                          caplog):
    # A stick going bad blocks a read for the kernel's error handling (tens of seconds) before
    # it fails: each showing of a film copied off it waited all that time on the read of its
    # edges, its picture black, before the EIO fallback played the copy.
    import logging

    from installation.media import film_edges, film_room

    film, films, first = _a_copied_stick_film(tmp_path)
    answer = threading.Event()  # the stick answers only when the test ends

    def hung(film, size):
        answer.wait(60)  # (bounded only so a failing test ends)
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(film_room, "edges_digest", hung)
    played: list[Path] = []

    def showings():
        for _ in range(3):
            with films.staged(film) as play:
                played.append(play)

    try:
        with caplog.at_level(logging.WARNING, logger="bayard.media.staging"):
            shown = threading.Thread(target=showings, daemon=True)
            shown.start()
            # The first showing waits out the deadline; the next find the read still hung and
            # wait no more (bounded far past the deadline, not timed).
            shown.join(timeout=film_edges.EDGES_DEADLINE_S + 10)
            assert not shown.is_alive(), "a showing waited on the hung stick"
    finally:
        answer.set()
    assert played == [first] * 3, "the film did not play from its copy"
    said = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(said) == 1 and str(film) in said[0] and "another drive" in said[0], said  # once, the drive named


def test_the_edges_kept_of_films_seen_are_bounded(tmp_path, monkeypatch):
    # One entry per film ever seen stayed for the show's life: a loop's folder fed new films
    # every day grew it without end. The least recently looked at go; the films of the show
    # now are kept (a copy ahead does not read them off the stick again).
    from installation.media import film_edges, film_room

    monkeypatch.setattr(film_edges, "EDGES_KEPT", 3)
    stick = tmp_path / "stick"
    stick.mkdir()
    names = [f"{n}.mp4" for n in "abcde"]
    for name in names:
        (stick / name).write_bytes(os.urandom(700))
    films = FilmCache(tmp_path / "cache", limit_bytes=2**30, keep_free_bytes=0, elsewhere=lambda path: True)
    for name in names:
        with films.staged(stick / name):
            pass
    assert len(films._edges) == 3
    read: list[str] = []
    real = film_room.edges_digest
    monkeypatch.setattr(film_room, "edges_digest", lambda film, size: read.append(film.name) or real(film, size))
    films.stage_ahead([stick / name for name in names[2:]]).join(10)
    assert read == [], read  # the three seen last were kept
