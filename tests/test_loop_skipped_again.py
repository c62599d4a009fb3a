"""A file a loop skipped (a copy cut short, a file taken away) stayed skipped for good, and a loop
given as a list of items was never looked at again: a technician who copied a good file over the
broken one, or copied back the one taken away, saw the loop go on without it until the show
restarted. Skipped files are looked at again on a worker, and one that changed is played again."""

from __future__ import annotations

import logging
import os
import threading
import time

import installation.scenes.loop  # noqa: F401  (registers the scene kind)
from installation.clock import FakeClock
from installation.harness import run_test
from installation.scenes import loop_rescan
from installation.scenes.base import SceneContext
from installation.scenes.loop import LoopConfig, LoopItem, LoopScene

from .conftest import write_show
from .test_loop_scene import centre_of_picture, face_png

LISTED = """
    type = "loop"
    id = "faces"
    duration = 600
    item_duration = 3
    change = "cut"
    [[items]]
    file = "faces/a.png"
    [[items]]
    file = "faces/b.png"
    [[items]]
    file = "faces/c.png"
    """
RED, GREEN, BLUE = (220, 40, 40), (40, 200, 60), (40, 60, 220)


def _colours_seen(pilot, seconds: float) -> set[str]:
    seen = set()
    for _ in range(int(seconds * pilot.fps)):
        pilot.advance(1 / pilot.fps)
        r, g, b = centre_of_picture(pilot)
        seen |= {name for name, (cr, cg, cb) in (("red", RED), ("green", GREEN), ("blue", BLUE))
                 if abs(r - cr) + abs(g - cg) + abs(b - cb) < 60}
    return seen


def test_a_listed_file_replaced_or_copied_back_is_played_again_at_the_next_look(tmp_path, caplog):
    faces = tmp_path / "content" / "faces"
    faces.mkdir(parents=True)
    face_png(faces / "a.png", RED)
    (faces / "b.png").write_bytes(b"\x89PNG\r\n\x1a\n cut short")  # a copy that stopped
    show = write_show(tmp_path, {"faces": LISTED})  # (c.png not there: taken away)
    with caplog.at_level(logging.INFO, logger="bayard"), run_test(show, fps=10) as pilot:
        assert _colours_seen(pilot, 12) == {"red"}
        scene = pilot.engine.sequencer.current.scene
        assert sorted(scene.skipped) == ["faces/b.png", "faces/c.png"], scene.skipped
        face_png(faces / "b.png", GREEN)  # a good copy over the broken one
        face_png(faces / "c.png", BLUE)  # ... and the one taken away, copied back
        assert _colours_seen(pilot, 12 + 3 * 3) == {"red", "green", "blue"}, scene.status()
        assert scene.skipped == [] and len(scene.items) == 3
    said = [r.getMessage() for r in caplog.records if "played again" in r.getMessage()]
    assert sorted(said) == ["'faces/b.png' changed since the loop skipped it: it is played again",
                            "'faces/c.png' changed since the loop skipped it: it is played again"], said


def test_skipped_files_are_looked_at_off_the_render_thread(tmp_path, monkeypatch):
    """On a stick that hangs, the look at the skipped files waits on its worker; the frames go on."""
    faces = tmp_path / "content" / "faces"
    faces.mkdir(parents=True)
    face_png(faces / "a.png", RED)
    answer = threading.Event()
    looked = []
    real = loop_rescan.stamps_of

    def hung_stick(root, asked):
        looked.append(asked.files)
        answer.wait(15.0)  # (bounded only so a failing test ends)
        return real(root, asked)

    monkeypatch.setattr(loop_rescan, "stamps_of", hung_stick)
    (tmp_path / "scenes").mkdir()
    clock = FakeClock()
    context = SceneContext(clock=clock, size=(320, 180), content_root=tmp_path / "content", state_dir=tmp_path,
                           fonts=None, deterministic=False, show_root=tmp_path)
    config = LoopConfig(type="loop", id="faces", item_duration=3, change="cut",
                        items=[LoopItem(file="faces/a.png"), LoopItem(file="faces/b.png")])
    scene = LoopScene(config, context)
    scene.prepare()
    scene.enter()
    done = []

    def render(seconds: float) -> None:
        for _ in range(int(seconds * 30)):
            scene.update(1 / 30)
            time.sleep(0.002)  # (a live show's frame: the media workers get to answer)
            done.append(1)

    try:
        thread = threading.Thread(target=render, args=(25.0,), daemon=True)
        thread.start()
        thread.join(10.0)
        assert len(done) == 750, f"the render thread stopped after {len(done)} frames"
        assert scene.skipped == ["faces/b.png"] and looked, (scene.skipped, looked)
        face_png(faces / "b.png", GREEN)  # copied in while the stick still hangs
    finally:
        answer.set()
    render(25.0)
    assert scene.skipped == [] and [i.file for i in scene.items] == ["faces/a.png", "faces/b.png"], scene.status()
    scene.exit()


def test_a_folders_broken_file_copied_over_is_played_again_with_the_folders_others(tmp_path):
    faces = tmp_path / "content" / "faces"
    faces.mkdir(parents=True)
    face_png(faces / "a.png", RED)
    face_png(faces / "c.png", BLUE)
    (faces / "b.png").write_bytes(b"\x89PNG\r\n\x1a\n cut short")
    folder = 'type = "loop"\nid = "faces"\nduration = 600\nfolder = "faces/*"\nitem_duration = 3\nchange = "cut"\n'
    show = write_show(tmp_path, {"faces": folder})
    with run_test(show, fps=10) as pilot:
        assert _colours_seen(pilot, 12) == {"red", "blue"}
        scene = pilot.engine.sequencer.current.scene
        assert scene.skipped == ["faces/b.png"], scene.skipped
        face_png(faces / "b.png", GREEN)
        assert _colours_seen(pilot, 12 + 3 * 3) == {"red", "green", "blue"}, scene.status()
        assert scene.skipped == [] and [i.file for i in scene.items] == ["faces/a.png", "faces/b.png", "faces/c.png"]


class _FatStat:
    """A stat as a FAT or exFAT stick gives it under Linux: its ctime is its modified time."""

    def __init__(self, real) -> None:
        self._real = real

    def __getattr__(self, name):
        fat = {"st_ctime_ns": "st_mtime_ns", "st_ctime": "st_mtime"}.get(name, name)
        return getattr(self._real, fat)


def test_a_good_copy_keeping_its_old_time_on_a_fat_stick_is_played_again(tmp_path, monkeypatch):
    """On a FAT or exFAT stick a file's ctime is its modified time: a good copy that keeps the
    original's time (a file manager's copy, cp -p) looked older than the skip, and stayed
    skipped until the show reloaded."""
    import pathlib

    faces = tmp_path / "content" / "faces"
    faces.mkdir(parents=True)
    real_stat = pathlib.Path.stat

    def fat_stat(self, *args, **kwargs):
        found = real_stat(self, *args, **kwargs)
        return _FatStat(found) if str(self).startswith(str(faces)) else found

    monkeypatch.setattr(pathlib.Path, "stat", fat_stat)
    face_png(faces / "a.png", RED)
    face_png(faces / "c.png", BLUE)
    (faces / "b.png").write_bytes(b"\x89PNG\r\n\x1a\n cut short")
    show = write_show(tmp_path, {"faces": LISTED})
    with run_test(show, fps=10) as pilot:
        assert _colours_seen(pilot, 12) == {"red", "blue"}
        scene = pilot.engine.sequencer.current.scene
        assert scene.skipped == ["faces/b.png"], scene.skipped
        face_png(faces / "b.png", GREEN)  # a good copy over the broken one ...
        an_hour_ago = time.time() - 3600
        os.utime(faces / "b.png", (an_hour_ago, an_hour_ago))  # ... keeping the original's time
        assert _colours_seen(pilot, 12 + 3 * 3) == {"red", "green", "blue"}, scene.status()
        assert scene.skipped == []
