"""A media file copied in while the show runs leaves the list of missing media without a
reload: the watcher reloads for the show's own files, not content, so a print copied in for a
scene not built again, or the film standing in for the camera, stayed listed in red on the
overlay until someone edited a scene file. The show looks again for them off the render thread;
a stick that hangs in those looks freezes nothing and piles up no threads."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import cv2
import numpy as np

from installation.harness import run_test
from installation.media.testvideo import write_test_video

from .conftest import title_scene, write_show

PHOTOGRAPH = 'type = "photograph"\nid = "ph"\nduration = 30\nimage = "prints/drowned-1840.jpg"\n'
CAMERA = '\n[camera]\nfile = "stand-in/visitor.mp4"\n'
BOUND_S = 30.0  # real time, far past what the looks need, only so a failing test ends


def _missing(pilot) -> list[str]:
    return [p for p in pilot.engine.status()["problems"] if "drowned-1840.jpg" in p or "visitor.mp4" in p]


def _until_listed_none(pilot) -> list[str]:
    """Play on (the looks run on their own thread) until nothing is listed missing, or BOUND_S."""
    end = time.monotonic() + BOUND_S
    while _missing(pilot) and time.monotonic() < end:
        pilot.advance(0.5)
        time.sleep(0.02)
    return _missing(pilot)


def _copy_in(content: Path) -> None:
    (content / "prints").mkdir(parents=True, exist_ok=True)
    assert cv2.imwrite(str(content / "prints" / "drowned-1840.jpg"), np.full((240, 180, 3), 128, np.uint8))
    (content / "stand-in").mkdir(exist_ok=True)
    write_test_video(content / "stand-in" / "visitor.mp4", seconds=1.0, fps=10, size=(160, 120))


def test_a_print_and_a_camera_film_copied_in_leave_the_missing_list_without_a_reload(tmp_path):
    # The intro plays for ten minutes: the photograph, readied ahead, is not built again meanwhile.
    path = write_show(tmp_path, {"intro": title_scene("intro", duration=600), "ph": PHOTOGRAPH},
                      ["intro", "ph"], extra=CAMERA)
    with run_test(path, fps=10) as pilot:
        pilot.advance(2.0)
        assert len(_missing(pilot)) == 2, pilot.engine.status()["problems"]
        _copy_in(tmp_path / "content")
        left = _until_listed_none(pilot)
        assert left == [], f"still listed missing after they were copied in: {left}"
        assert pilot.engine.problems_now() == 0 and pilot.scene_id == "intro"


def test_looks_at_a_hung_stick_freeze_no_frame_and_pile_up_no_threads(tmp_path, monkeypatch):
    path = write_show(tmp_path, {"intro": title_scene("intro", duration=600), "ph": PHOTOGRAPH},
                      ["intro", "ph"], extra=CAMERA)
    content = tmp_path / "content"
    answer = threading.Event()
    real_stat = os.stat

    on_screen_thread: list[str] = []

    def stat(target, *args, **kwargs):
        if os.fspath(target).startswith(os.fspath(content)):
            if threading.current_thread() is threading.main_thread():
                on_screen_thread.append(os.fspath(target))  # (it would have frozen the screen)
            else:
                answer.wait(60)  # (a drive that does not answer; bounded only so a failing test ends)
        return real_stat(target, *args, **kwargs)

    with run_test(path, fps=10) as pilot:
        pilot.advance(1.0)
        _copy_in(content)
        monkeypatch.setattr(os, "stat", stat)
        before = threading.active_count()
        try:
            for _ in range(12):  # a minute of show time: a dozen rounds of looks were due
                pilot.advance(5.0)
            assert on_screen_thread == [], "the render thread looked at the hung stick"
            # (one round of looks, and one look per missing file, each waiting on the drive)
            assert threading.active_count() - before <= 3, "threads pile up on the hung stick"
            assert len(_missing(pilot)) == 2  # not found: its drive did not answer
        finally:
            answer.set()  # the stick answers again
        monkeypatch.setattr(os, "stat", real_stat)
        assert _until_listed_none(pilot) == [], "the files were not found once the stick answered"
