"""A film readied ahead (prepared: its decoder thread and ffmpeg process running) whose scene
fails before it is shown was only dropped from its slot: nothing closed its decoder, so the
thread and the ffmpeg process of a looping film went on decoding into a full queue for the rest
of the show, one more for each retry. The fault boundary lets it go as a dropped slot is let go."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

import installation.scenes.video  # noqa: F401  (registers the scene kind)
from installation.harness import run_test
from installation.media.testvideo import write_test_video
from installation.scenes.video import VideoScene

from .conftest import title_scene, write_show


def _decoders() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("decode clip") and t.is_alive()]


def _ffmpeg_children() -> list[int]:
    """Ids of this process's children that are ffmpeg (the film decoders' processes)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # (ended while looked at)
        name, rest = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:].split()
        if int(rest[1]) == os.getpid() and "ffmpeg" in name:
            found.append(int(entry.name))
    return found


def _gone(look, seconds: float = 10.0) -> bool:
    """Whether `look()` comes back empty within `seconds` (a closed decoder ends after its frame)."""
    end = time.monotonic() + seconds
    while look():
        if time.monotonic() > end:
            return False
        time.sleep(0.05)
    return True


@pytest.mark.injects_faults
def test_a_film_failing_before_its_showing_leaves_no_decoder_running(tmp_path, monkeypatch):
    (tmp_path / "content").mkdir()
    write_test_video(tmp_path / "content" / "clip.mp4", seconds=2.0, fps=30, size=(160, 90))
    path = write_show(tmp_path, {
        "intro": title_scene("intro", duration=6),
        "film": 'type = "video"\nid = "film"\nfile = "clip.mp4"\non_end = "loop"\nduration = 5\n',
    }, ["intro", "film"])

    def failing_warm(self):  # (its code failing once its film is open)
        raise RuntimeError("the film's first frame could not be made")
        yield

    monkeypatch.setattr(VideoScene, "warm", failing_warm)
    _the_failed_film_lets_go(path)


@pytest.mark.injects_faults
def test_a_film_whose_prepare_fails_once_it_is_open_leaves_no_decoder_running(tmp_path, monkeypatch):
    """Readied at once (renders, `bayard render --strict`, tests), a prepare that fails after its
    film is open was reported on a slot no playlist place held yet, so nothing let it go: its
    decoder thread and ffmpeg process (a looping film's never ending) ran on for the whole render."""
    import installation.scenes.video as video

    (tmp_path / "content").mkdir()
    write_test_video(tmp_path / "content" / "clip.mp4", seconds=2.0, fps=30, size=(160, 90))
    (tmp_path / "content" / "clip.srt").write_text("1\n00:00:00,000 --> 00:00:01,000\nHello\n", encoding="utf-8")
    path = write_show(tmp_path, {
        "intro": title_scene("intro", duration=6),
        "film": 'type = "video"\nid = "film"\nfile = "clip.mp4"\nsubtitles = "clip.srt"\non_end = "loop"\n'
                'duration = 5\n',
    }, ["intro", "film"])

    def failing_subtitles(text, name):  # (its code failing once its film is open)
        raise ValueError("the subtitles could not be read")

    monkeypatch.setattr(video, "parse_srt", failing_subtitles)
    _the_failed_film_lets_go(path)


def _the_failed_film_lets_go(path) -> None:
    """Plays the intro while the film is readied ahead and fails: nothing of the film may run on."""
    assert not _ffmpeg_children(), "an earlier test left a decoder running"
    with run_test(path, fps=20, raise_faults=False) as pilot:
        pilot.advance(1.0)  # the film is readied ahead while the intro plays, and fails
        assert pilot.engine.status()["faulted"]["film"]["count"] == 1, "the readied film did not fail"
        assert pilot.scene_id == "intro"
        pilot.advance(0.5)
        assert _gone(_decoders), "the failed film's decoder thread runs on"
        assert _gone(_ffmpeg_children), "the failed film's ffmpeg process runs on"
