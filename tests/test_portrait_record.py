"""Recording visits (`[camera] recording = true`): one playable clip per visit of the
animated portrait, a background encoder that never holds up the screen, a length cap, a
total-size cap, and a write error that stops the clip but not the show."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import time
from pathlib import Path

import numpy as np
import pytest

import installation.scenes.portrait as portrait_mod  # noqa: F401  (registers the kind)
import installation.scenes.portrait_record as rec_mod
from installation.harness import run_test
from installation.scenes.portrait_record import VisitRecorder

from .conftest import write_show
from .test_portrait_scene import SCENE, VideoCamera, _face_frames, _scene

LOG = logging.getLogger("bayard.test.record")
WALL = 1_795_000_000.0  # 2026-11-18 11:06:40 UTC: a fixed wall clock for file names


def _frame(i: int, size=(400, 300)) -> np.ndarray:
    """A picture that changes every frame (a bar moving across a gradient)."""
    w, h = size
    img = np.zeros((h, w, 3), np.uint8)
    img[..., 0] = np.linspace(0, 255, w, dtype=np.uint8)[None, :]
    x = (i * 13) % (w - 20)
    img[:, x : x + 20] = 255
    return img


def _count_frames(path: Path) -> tuple[int, tuple[int, int]]:
    import imageio_ffmpeg

    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    n = sum(1 for _ in reader)
    return n, tuple(meta["size"])


def _clips(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.mp4") if not p.name.endswith(".part.mp4"))


def test_a_clip_is_a_playable_mp4_as_long_as_the_visit(tmp_path):
    folder = tmp_path / "recordings"
    recorder = VisitRecorder(folder, LOG, wall=lambda: WALL, fps=10, block=True)
    recorder.start()
    assert recorder.writing
    for i in range(21):  # 2.0 s at 10 offers a second
        recorder.offer(_frame(i), None, i / 10)
    recorder.offer(_frame(21), (100, 50, 300, 250), 2.05)  # no new slot: nothing added
    recorder.stop()
    assert recorder.wait(30)
    assert not recorder.writing
    clips = _clips(folder)
    assert [p.name for p in clips] == ["visit-20261118T110640Z.mp4"]
    assert list(folder.glob("*.part.mp4")) == []
    n, size = _count_frames(clips[0])
    assert n == 21 and size == (400, 300)
    assert recorder.status()["frames"] == 21 and recorder.status()["dropped"] == 0


def test_a_slow_screen_repeats_frames_so_the_clip_keeps_real_time(tmp_path):
    recorder = VisitRecorder(tmp_path, LOG, wall=lambda: WALL, fps=15, block=True)
    recorder.start()
    for i in range(5):  # the screen managed 5 frames a second for 2 s
        recorder.offer(_frame(i, (900, 700)), None, i * 0.2)
    recorder.offer(_frame(6, (900, 700)), None, 1.0)
    recorder.stop()
    assert recorder.wait(30)
    n, size = _count_frames(_clips(tmp_path)[0])
    assert n == 16  # 1.0 s at 15 fps, first frame at 0
    assert max(size) <= rec_mod.MAX_SIDE and size[0] % 2 == 0 and size[1] % 2 == 0


def test_length_cap_ends_the_clip_while_the_visit_goes_on(tmp_path):
    recorder = VisitRecorder(tmp_path, LOG, wall=lambda: WALL, fps=10, max_seconds=1.0, block=True)
    clip = recorder.start()
    for i in range(30):  # a 3 s visit
        recorder.offer(_frame(i), None, i / 10)
    assert clip.wait(30), "the clip should finish by itself at the cap"
    assert not recorder.writing
    n, _ = _count_frames(clip.path)
    assert n == 10


class _SlowWriter:
    """An encoder that takes 30 ms a frame."""

    def __init__(self):
        self.sent = 0

    @contextlib.contextmanager
    def __call__(self, path, size, fps, **kw):
        def send(frame):
            time.sleep(0.03)
            self.sent += 1

        yield send


def test_a_slow_encoder_drops_frames_and_the_caller_never_waits(tmp_path, monkeypatch):
    slow = _SlowWriter()
    monkeypatch.setattr(rec_mod, "h264_writer", slow)
    recorder = VisitRecorder(tmp_path, LOG, fps=30, queue_frames=2)  # live: block=False
    clip = recorder.start()
    t0 = time.perf_counter()
    for i in range(60):
        recorder.offer(_frame(i), None, i / 30)
    offering = time.perf_counter() - t0
    recorder.stop()
    assert clip.wait(30)
    # 60 frames through a 30 ms encoder would take 1.8 s if the caller waited.
    assert offering < 0.5, offering
    assert clip.dropped > 20 and clip.written == slow.sent
    assert clip.written + clip.dropped == 60


@contextlib.contextmanager
def _disk_full(path, size, fps, **kw):
    raise OSError(errno.ENOSPC, "No space left on device", str(path))
    yield  # pragma: no cover


class _FullAfter:
    """The disk fills up after a few frames."""

    def __init__(self, n):
        self.n = n

    @contextlib.contextmanager
    def __call__(self, path, size, fps, **kw):
        count = {"n": 0}

        def send(frame):
            count["n"] += 1
            if count["n"] > self.n:
                raise OSError(errno.ENOSPC, "No space left on device")

        yield send


@pytest.mark.parametrize("writer", [_disk_full, _FullAfter(3)], ids=["at-open", "mid-clip"])
def test_a_write_error_stops_the_clip_with_one_log_line(tmp_path, monkeypatch, caplog, writer):
    monkeypatch.setattr(rec_mod, "h264_writer", writer)
    recorder = VisitRecorder(tmp_path, LOG, wall=lambda: WALL, fps=10, block=True)
    clip = recorder.start()
    with caplog.at_level(logging.WARNING, logger=LOG.name):
        for i in range(40):
            recorder.offer(_frame(i), None, i / 10)  # never raises
            if clip.done.is_set():
                break
        for i in range(40, 60):
            recorder.offer(_frame(i), None, i / 10)
        recorder.stop()
        assert clip.wait(10)
    lines = [r for r in caplog.records if "recording stopped" in r.getMessage()]
    assert len(lines) == 1 and "No space left" in lines[0].getMessage()
    assert clip.failed and not recorder.writing
    assert _clips(tmp_path) == []


def test_total_size_cap_deletes_the_oldest_clips(tmp_path):
    folder = tmp_path / "recordings"
    folder.mkdir()
    old = []
    for k, name in enumerate(["visit-20261101T100000Z", "visit-20261102T100000Z", "visit-20261103T100000Z"]):
        p = folder / f"{name}.mp4"
        p.write_bytes(b"\0" * 400_000)
        os.utime(p, (WALL - 1000 + k, WALL - 1000 + k))
        old.append(p)
    stale = folder / "visit-20261101T110000Z.mp4.part.mp4"  # a clip cut short by a power cut
    stale.write_bytes(b"\0" * 1000)
    recorder = VisitRecorder(folder, LOG, wall=lambda: WALL, fps=10, max_total_mb=1.0, block=True)
    recorder.start()
    for i in range(10):
        recorder.offer(_frame(i), None, i / 10)
    recorder.stop()
    assert recorder.wait(30)
    left = [p.name for p in _clips(folder)]
    assert left == [old[1].name, old[2].name, "visit-20261118T110640Z.mp4"], left
    assert not stale.exists()
    assert rec_mod.recordings_size(folder) <= 1_000_000


# -- through the scene --------------------------------------------------------------

RECORDING = "\n[camera]\nrecording = true\n"


def _visit(pilot, camera, live_s: float) -> None:
    scene = _scene(pilot)
    camera.present = True
    for _ in range(80):
        pilot.step()
        if scene.state == "live":
            break
    assert scene.state == "live", scene.status()
    pilot.advance(live_s)
    camera.present = False  # the visitor walks away
    pilot.advance(4.0)
    assert scene.state == "attract"


@pytest.mark.shared_data
def test_recording_on_writes_one_clip_per_visit(tmp_path, shared_data):
    camera = VideoCamera(_face_frames(shared_data))
    path = write_show(tmp_path, {"p": SCENE}, extra=RECORDING, size=(640, 360))
    with run_test(path, fps=10, services={"synchronous_models": True, "camera": camera}) as pilot:
        scene = _scene(pilot)
        folder = Path(pilot.engine.show.state_dir) / "recordings"
        assert scene.recorder is not None and not folder.exists()  # nothing before a visit
        _visit(pilot, camera, 2.0)
        assert scene.recorder.wait(60)
        first = _clips(folder)
        assert len(first) == 1 and first[0].name.startswith("visit-")
        n, size = _count_frames(first[0])
        # 2 s live plus the seconds before the departure is noticed, at 15 fps.
        assert 30 <= n <= 15 * 7, n
        assert max(size) == 540 and min(size) > 300  # the bust view of the sitter, at most 540 px
        _visit(pilot, camera, 1.0)
        assert scene.recorder.wait(60)
        assert len(_clips(folder)) == 2
        assert list(folder.glob("*.part.mp4")) == []


@pytest.mark.shared_data
def test_notice_says_recording_now_while_a_clip_is_written(tmp_path, shared_data):
    camera = VideoCamera(_face_frames(shared_data))
    path = write_show(tmp_path, {"p": SCENE}, extra=RECORDING, size=(640, 360))
    with run_test(path, fps=10, services={"synchronous_models": True, "camera": camera}) as pilot:
        scene = _scene(pilot)
        texts = []
        fonts = scene.context.fonts
        real_block = fonts.block

        def spy(text, *a, **kw):
            texts.append(text)
            return real_block(text, *a, **kw)

        fonts.block = spy
        try:
            pilot.advance(0.3)
            assert rec_mod.NOTICE_IDLE in texts
            for _ in range(80):
                pilot.step()
                if scene.state == "live":
                    break
            texts.clear()
            pilot.advance(0.5)
            assert scene.recorder.writing and rec_mod.NOTICE_ACTIVE in texts
        finally:
            fonts.block = real_block


@pytest.mark.shared_data
def test_a_full_disk_stops_recording_but_not_the_visit(tmp_path, shared_data, monkeypatch, caplog):
    monkeypatch.setattr(rec_mod, "h264_writer", _disk_full)
    camera = VideoCamera(_face_frames(shared_data))
    path = write_show(tmp_path, {"p": SCENE}, extra=RECORDING, size=(640, 360))
    services = {"synchronous_models": True, "camera": camera}
    with caplog.at_level(logging.WARNING), run_test(path, fps=10, services=services) as pilot:
        scene = _scene(pilot)
        for _ in range(80):
            pilot.step()
            if scene.state == "live":
                break
        assert scene.state == "live"
        pilot.advance(1.0)
        assert scene.recorder.clip.wait(10) and scene.recorder.clip.failed
        pilot.advance(2.0)
        assert scene.state == "live" and scene.holding  # the visit goes on
        assert scene.worker.latest().mode == "live"
        folder = Path(pilot.engine.show.state_dir) / "recordings"
    lines = [r for r in caplog.records if "recording stopped" in r.getMessage()]
    assert len(lines) == 1, [r.getMessage() for r in lines]
    assert not folder.exists() or _clips(folder) == []
