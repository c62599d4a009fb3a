"""A loop's folder on a USB stick that hangs while the loop plays: the loop looks at its folder
again every RESCAN_S for files copied in or taken out, and that look (a listing of the folder)
ran in the scene's update, on the render thread: the kernel holding the listing froze the
screen until it gave up on the stick. The stick here is a fake: listings of its folder block on
an Event until the test lets it answer; the scene runs live (no waiting decoder) on a FakeClock."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import cv2
import numpy as np

from installation.clock import FakeClock
from installation.scenes import loop
from installation.scenes.base import SceneContext
from installation.scenes.loop import LoopConfig, LoopScene

FPS = 30
# Real time, far past what the frames need, only so a failing test ends: the update that listed
# the hung folder itself never returned.
BOUND_S = 15.0
SCENE = 'type = "loop"\nid = "faces"\nduration = 600\nfolder = "faces/*"\nitem_duration = 3\n'


class HungFolder:
    """A stick's folder whose listings block, once `hang()` is called, until `answer` is set."""

    def __init__(self, folder: Path, monkeypatch) -> None:
        self.folder = os.fspath(folder)
        self.answer = threading.Event()
        self.hanging = False
        self.listings = 0  # listings that reached the stick while it hung
        real_scandir = os.scandir

        def scandir(path="."):
            if self.hanging and os.fspath(path).startswith(self.folder):
                self.listings += 1
                self.answer.wait(BOUND_S)  # (bounded only so a failing test ends)
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", scandir)

    def hang(self) -> None:
        self.hanging = True


def _face(path: Path, colour: tuple[int, int, int]) -> None:
    picture = np.zeros((120, 120, 3), np.uint8)
    picture[:] = colour
    cv2.imwrite(str(path), picture)


def _loop(tmp_path: Path, said: list[str]) -> LoopScene:
    (tmp_path / "scenes").mkdir(exist_ok=True)
    scene_file = tmp_path / "scenes" / "faces.toml"
    scene_file.write_text(SCENE, encoding="utf-8")
    context = SceneContext(clock=FakeClock(), size=(320, 180), content_root=tmp_path / "content",
                           state_dir=tmp_path, fonts=None, deterministic=False, show_root=tmp_path,
                           scene_file=scene_file, report=lambda message, severity="error": said.append(message))
    return LoopScene(LoopConfig(type="loop", id="faces", folder="faces/*", item_duration=3), context)


def _play(scene: LoopScene, seconds: float) -> int:
    """Update the scene for `seconds` of show time on a render thread of its own; the frames it got through."""
    done: list[int] = []

    def render() -> None:
        for n in range(int(seconds * FPS)):
            scene.update(1 / FPS)
            done.append(n)

    thread = threading.Thread(target=render, daemon=True)
    thread.start()
    thread.join(BOUND_S)
    return len(done)


def _until_playing(scene: LoopScene, file: str) -> bool:
    """Update the scene until `file` is among its items (the stick has answered; its look's thread
    hands the listing back), within BOUND_S of real time."""
    end = time.monotonic() + BOUND_S
    while time.monotonic() < end:
        scene.update(1 / FPS)
        if file in [item.file for item in scene.items]:
            return True
        time.sleep(0.01)
    return False


def test_a_loop_whose_folder_hangs_keeps_playing_what_it_has_and_plays_new_files_once_it_answers(tmp_path,
                                                                                                  monkeypatch):
    faces = tmp_path / "content" / "faces"
    faces.mkdir(parents=True)
    _face(faces / "a.png", (200, 40, 40))
    _face(faces / "b.png", (40, 40, 200))
    stick = HungFolder(faces, monkeypatch)
    said: list[str] = []
    scene = _loop(tmp_path, said)
    scene.prepare()
    scene.enter()
    assert [item.file for item in scene.items] == ["faces/a.png", "faces/b.png"]
    stick.hang()
    try:
        # A minute of show: six rescans due, and the look's deadline passed.
        seconds = 6 * loop.RESCAN_S
        assert _play(scene, seconds) == seconds * FPS, "the render thread waited on the hung stick's folder"
        assert scene.mode == "files" and scene.current is not None
        assert [item.file for item in scene.items] == ["faces/a.png", "faces/b.png"]
        assert stick.listings == 1, f"{stick.listings} listings (each a thread) stuck on the hung stick"
        from installation.media import folder_looks  # (here: the code before it had none)

        hung = [line for line in said if "has not answered" in line]
        assert hung == [
            "scenes/faces.toml:4: folder: the drive holding 'content/faces/*' has not answered a look at its files "
            f"for {folder_looks.LOOK_DEADLINE_S:g} s (a USB stick failing or asleep?); the loop plays the 2 file(s) "
            "it has meanwhile, and files copied in join when the drive answers: check the drive, or copy the "
            "folder to the show's disk"]
        _face(faces / "c.png", (40, 200, 40))  # copied in while the stick hung
    finally:
        stick.answer.set()  # the stick answers again
    assert _until_playing(scene, "faces/c.png"), "the file copied in never joined the loop"
    assert len([line for line in said if "has not answered" in line]) == 1
    scene.exit()


def test_a_loop_built_again_while_its_folder_hangs_waits_on_the_same_look(tmp_path, monkeypatch):
    """A reload builds the loop again while the stick still holds its folder's listing: the new
    scene's look joins the one under way, no second thread is left on the stick, and both loops
    get the files when it answers."""
    faces = tmp_path / "content" / "faces"
    faces.mkdir(parents=True)
    _face(faces / "a.png", (200, 40, 40))
    stick = HungFolder(faces, monkeypatch)
    monkeypatch.setattr(loop, "LOOK_DEADLINE_S", 0.3, raising=False)  # (how long a prepare waits, in real time)
    said: list[str] = []
    first = _loop(tmp_path, said)
    first.prepare()
    first.enter()
    stick.hang()
    try:
        assert _play(first, loop.RESCAN_S + 1) == (loop.RESCAN_S + 1) * FPS
        again = _loop(tmp_path, said)
        again.prepare()  # (on the loading thread: waits its while for the drive, then goes on)
        again.enter()
        assert again.mode == "placeholder"  # nothing it could list yet
        assert _play(again, 3 * loop.RESCAN_S) == 3 * loop.RESCAN_S * FPS
        assert stick.listings == 1, f"{stick.listings} listings (each a thread) stuck on the hung stick"
        from installation.media.folder_looks import under_way

        assert under_way() == 1
    finally:
        stick.answer.set()
    assert _until_playing(again, "faces/a.png")
    assert _until_playing(first, "faces/a.png")
    end = time.monotonic() + BOUND_S
    while again.current is None and time.monotonic() < end:  # its first picture, opened when the files came
        again.update(1 / FPS)
        time.sleep(0.01)
    assert again.mode == "files" and again.current is not None
    first.exit()
    again.exit()
