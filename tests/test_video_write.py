"""Writing films: a full disk or a dying encoder is one clear line naming the file and the
fix, and never leaves half a film where a player would find it."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from installation.video import VideoWriteError, h264_writer

# What imageio-ffmpeg raises when ffmpeg dies under it: its command and output.
_BROKEN_PIPE = ("[Errno 32] Broken pipe\n\nFFMPEG COMMAND:\nffmpeg -y -f rawvideo -i - out.mp4.part.mp4\n\n"
                "FFMPEG STDERR OUTPUT:\n[out#0/mp4 @ 0x5566] {said}\n")


def _failing_encoder(after: int, said: str):
    def write_frames(path, *args, **kwargs):
        with open(path, "wb") as half:  # what ffmpeg had written when it stopped
            half.write(b"\0" * 1000)
        sent = 0
        while True:
            frame = yield
            if frame is None:
                continue
            sent += 1
            if sent > after:
                raise OSError(_BROKEN_PIPE.format(said=said))

    return write_frames


@pytest.mark.parametrize("where", ["a file", "/proc"])
def test_a_folder_that_cannot_hold_the_film_is_named_as_such_not_a_full_disk(tmp_path, where):
    """`render -o /proc/x.mp4` said the disk was full (/proc has no free space to report),
    and a path through a file said "the video encoder stopped (OSError)"."""
    if where == "/proc" and not Path("/proc").is_dir():
        pytest.skip("no /proc here")
    if where == "a file":
        (tmp_path / "notes.txt").write_text("x")
        out, why = tmp_path / "notes.txt" / "film.mp4", "a file stands where its folder should be"
    else:
        out, why = Path("/proc/film.mp4"), "that folder cannot hold files"
    with pytest.raises(VideoWriteError) as caught, h264_writer(out, (64, 48), 10) as send:
        send(np.zeros((48, 64, 3), np.uint8))
    assert why in str(caught.value) and "disk is full" not in str(caught.value)
    assert list(tmp_path.iterdir()) in ([], [tmp_path / "notes.txt"])


@pytest.mark.parametrize("said, why", [
    ("Error closing file: No space left on device", "the disk is full; free some space or write to another folder"),
    ("Error opening output: Permission denied", "no permission to write there"),
    ("Unknown encoder 'libx264'", "the video encoder stopped (Unknown encoder 'libx264')"),
])
def test_an_encoder_that_stops_is_one_line_with_the_fix(tmp_path, monkeypatch, said, why):
    import imageio_ffmpeg

    monkeypatch.setattr(imageio_ffmpeg, "write_frames", _failing_encoder(3, said))
    out = tmp_path / "film.mp4"
    with pytest.raises(VideoWriteError) as caught, h264_writer(out, (64, 48), 10) as send:
        for _ in range(10):
            send(np.zeros((48, 64, 3), np.uint8))
    assert str(caught.value).startswith(f"cannot write {out}: {why}")
    assert "FFMPEG" not in str(caught.value) and "Errno" not in str(caught.value)
    assert list(tmp_path.iterdir()) == []  # no half film, no .part file


def test_a_folder_that_cannot_be_made_is_one_line(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(VideoWriteError, match=f"cannot write {blocker / 'film.mp4'}"), \
            h264_writer(blocker / "film.mp4", (64, 48), 10) as send:
        send(np.zeros((48, 64, 3), np.uint8))


def test_an_error_in_the_render_itself_is_not_hidden_by_the_writer(tmp_path):
    with pytest.raises(ZeroDivisionError), h264_writer(tmp_path / "film.mp4", (64, 48), 10) as send:
        send(np.zeros((48, 64, 3), np.uint8))
        raise ZeroDivisionError  # the caller's code fails mid-film
    assert list(tmp_path.iterdir()) == []


def test_animate_on_a_full_disk_says_so_and_stops_at_once(tmp_path, monkeypatch, sitter, capsys):
    """The render stops at the first failed frame (it used to finish rendering every frame
    in memory before the error surfaced as a traceback with ffmpeg's command line)."""
    import imageio_ffmpeg

    from installation.cli import main

    from .test_motion_cli import _two_shot_driver

    driver = tmp_path / "driver.avi"
    _two_shot_driver(driver, sitter, sitter, frames_each=30)
    cv2.imwrite(str(tmp_path / "p.png"), cv2.cvtColor(sitter, cv2.COLOR_RGB2BGR))
    rendered = []
    from installation.models.motion.mesh import MeshAnimator

    real_render = MeshAnimator.render
    monkeypatch.setattr(MeshAnimator, "render", lambda self, m: rendered.append(1) or real_render(self, m))
    monkeypatch.setattr(imageio_ffmpeg, "write_frames",
                        _failing_encoder(5, "Error closing file: No space left on device"))
    out = tmp_path / "films" / "out.mp4"
    rc = main(["animate", "--portrait", str(tmp_path / "p.png"), "--driver", str(driver), "-o", str(out)])
    err = capsys.readouterr().err
    assert rc == 2
    assert f"bayard: cannot write {out}: the disk is full; free some space or write to another folder" in err
    assert "Traceback" not in err and "FFMPEG" not in err
    assert not out.exists() and list(out.parent.iterdir()) == []
    assert len(rendered) < 20  # of 60 frames: it stopped, it did not render on into memory
