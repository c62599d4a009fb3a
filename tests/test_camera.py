"""The camera thread: a video file played as if live, newest frame wins, failures
become a state instead of an exception, and a lost camera comes back."""

import time

import cv2
import numpy as np

from installation.clock import FakeClock
from installation.inputs.camera import Camera


def _video(path, frames=12, fps=24.0, size=(64, 48)):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, size)
    for i in range(frames):
        img = np.full((size[1], size[0], 3), 20 * i % 250, np.uint8)
        writer.write(img)
    writer.release()
    return path


def _wait(pred, timeout=5.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.01)
    return False


def test_video_file_plays_at_its_rate_and_loops(tmp_path):
    path = _video(tmp_path / "v.avi", frames=12, fps=24.0)
    with Camera(path) as cam:
        assert _wait(lambda: cam.state == "live")
        time.sleep(0.8)  # 12 frames last 0.5 s at 24 fps: we must have looped
        first = cam.latest()
        assert first is not None and first.image.shape == (48, 64, 3)
        assert 14 <= first.index <= 24, "frames should come at the file's rate, not as fast as possible"
        time.sleep(0.3)
        assert cam.latest().index > first.index  # still going after the end of the file
        assert cam.latest().t > first.t


def test_newest_frame_wins_and_stale_frames_are_dropped(tmp_path):
    path = _video(tmp_path / "v.avi", frames=12, fps=60.0)
    with Camera(path) as cam:
        assert _wait(lambda: cam.latest() is not None)
        a = cam.latest()
        time.sleep(0.25)  # a slow consumer
        b = cam.latest()
        assert b.index - a.index > 3
        assert cam.dropped > 0
        assert time.monotonic() - b.t < 0.1, "the frame handed out must be fresh"
        newer = cam.wait_new(b.index, timeout=1.0)
        assert newer is not None and newer.index > b.index


def test_resizes_to_the_requested_size(tmp_path):
    with Camera(_video(tmp_path / "v.avi"), size=(32, 24)) as cam:
        assert _wait(lambda: cam.latest() is not None)
        assert cam.latest().image.shape == (24, 32, 3)


def test_missing_file_is_unavailable_without_raising(tmp_path):
    cam = Camera(tmp_path / "nope.mp4").start()
    try:
        assert _wait(lambda: cam.state == "unavailable")
        assert "no such video file" in cam.reason
        assert cam.latest() is None
    finally:
        cam.stop()


class _FlakyCapture:
    """A camera that delivers a few frames, then dies (unplugged)."""

    def __init__(self, frames):
        self.left = frames

    def isOpened(self):
        return True

    def set(self, *a):
        return True

    def get(self, prop):
        return 0.0

    def read(self):
        if self.left <= 0:
            return False, None
        self.left -= 1
        time.sleep(0.005)
        return True, np.zeros((8, 8, 3), np.uint8)

    def release(self):
        pass


def test_unplugged_camera_reports_unavailable_then_reconnects(monkeypatch):
    import installation.inputs.camera as camera_mod

    monkeypatch.setattr(camera_mod, "BACKOFF_START_S", 0.05)
    monkeypatch.setattr(camera_mod, "STALL_S", 0.05)
    opens = []

    def opener(source, size):
        opens.append(1)
        if len(opens) == 1:
            return _FlakyCapture(5)  # works, then unplugged
        if len(opens) < 4:
            return None  # still unplugged
        return _FlakyCapture(10_000)  # plugged back in

    cam = Camera(0, opener=opener).start()
    try:
        assert _wait(lambda: cam.state == "unavailable", 3)
        assert _wait(lambda: cam.state == "live" and len(opens) >= 4, 5)
        assert cam.reconnects >= 2
        assert cam.latest() is not None
    finally:
        cam.stop()


def test_an_opener_that_raises_never_reaches_the_caller():
    def opener(source, size):
        raise OSError("device busy")

    cam = Camera(3, opener=opener).start()
    try:
        assert _wait(lambda: cam.state == "unavailable")
        assert "device busy" in cam.reason
    finally:
        cam.stop()
    assert cam.state == "stopped"


def test_stop_forgets_the_last_image(tmp_path):
    cam = Camera(_video(tmp_path / "v.avi")).start()
    assert _wait(lambda: cam.latest() is not None)
    cam.stop()
    assert cam.latest() is None


def test_a_camera_named_by_its_device_path_is_a_camera_and_is_waited_for(monkeypatch):
    """Camera indices follow the order USB devices woke up in, so after a reboot the
    portrait could open the wrong camera (or none); /dev/v4l/by-id/... names one camera for
    good. A path under /dev is opened and judged as a camera, not a video file, and one
    that is not there (unplugged) is waited for."""
    import installation.inputs.camera as camera_mod

    monkeypatch.setattr(camera_mod, "BACKOFF_START_S", 0.05)
    monkeypatch.setattr(camera_mod, "STALL_S", 0.05)
    opened = []

    def opener(source, size):
        opened.append(source)
        return _FlakyCapture(0)  # opens, delivers nothing

    missing = Camera("/dev/v4l/by-id/usb-Test_Camera-video-index0", opener=opener).start()
    try:
        assert _wait(lambda: missing.reconnects >= 2)
        assert missing.state == "unavailable" and "no camera at /dev/v4l/by-id/" in missing.reason
        assert opened == []  # nothing to open until it is plugged in
    finally:
        missing.stop()
    present = Camera("/dev/null", opener=opener).start()  # a path that exists, as a plugged camera's does
    try:
        assert _wait(lambda: present.state == "unavailable")
        assert present.reason == "the camera stopped delivering frames"  # not "the video file ..."
        assert opened and opened[0] == "/dev/null"
    finally:
        present.stop()


class _SettledCapture:
    """A capture whose properties read 0 and take any setting: what a fake device needs
    before its reads."""

    def get(self, prop):
        return 0.0

    def set(self, prop, value):
        return True


class _StuckCapture(_SettledCapture):
    """A camera that gives one frame, then hangs in its next read (a USB camera whose
    driver stopped answering) until the test lets it go. Counts how many are open at once."""

    open_now = 0
    most_open = 0

    def __init__(self, gate):
        self.gate = gate
        self.reads = 0
        type(self).open_now += 1
        type(self).most_open = max(type(self).most_open, type(self).open_now)

    def read(self):
        self.reads += 1
        if self.reads > 1:
            self.gate.wait()
        return True, np.zeros((48, 64, 3), np.uint8)

    def release(self):
        type(self).open_now -= 1


def _stuck_device():
    """A device whose reads hang after the first until the returned gate is set: the gate,
    the captures opened on it so far, and the opener a Camera takes."""
    import threading

    gate = threading.Event()
    opened = []

    def opener(source, size):
        capture = _StuckCapture(gate)
        opened.append(capture)
        return capture

    _StuckCapture.open_now = _StuckCapture.most_open = 0
    return gate, opened, opener


def test_stop_never_waits_on_a_camera_stuck_in_a_read_and_a_restart_opens_it_once():
    """A scene's exit stops the camera on the render thread: a camera hung in its read froze
    the screen there (the stop joined its thread for up to 2 s) at every scene change. The
    stop now returns while the read still hangs; a start before the hung thread ends must
    not open the device a second time, and once the read comes back the camera is live on
    the one device, released when stopped for good."""
    import threading

    gate, opened, opener = _stuck_device()
    cam = Camera(0, opener=opener).start()
    try:
        assert _wait(lambda: opened and opened[0].reads >= 2)  # live once, now hung in a read
        stopper = threading.Thread(target=cam.stop, daemon=True)
        stopper.start()
        stopper.join(timeout=1.0)  # (a stop that returns at once: far inside this bound)
        assert not stopper.is_alive(), "stop() waited on a camera stuck in its read"
        assert cam.state == "stopped" and cam.latest() is None
        cam.start()  # the next scene with a camera, while the old read still hangs
        assert cam.state == "starting"
        gate.set()  # the driver answers again
        assert _wait(lambda: cam.state == "live" and cam.latest() is not None)
        assert _StuckCapture.most_open == 1, "the device was opened again while it was still held"
    finally:
        gate.set()
        cam.stop()
    assert _wait(lambda: _StuckCapture.open_now == 0), "the device was never released after the stop"


def test_the_next_scenes_camera_on_the_same_device_waits_for_the_hung_one_to_let_it_go():
    """The portrait scene makes a new Camera at each entry. With the stop no longer waiting,
    the next entry's camera opened the device while the last one's thread still held it
    (hung in a read): it is opened once that thread lets it go, nobody waits meanwhile, and
    status says the camera waits for its device (it said only "starting", then "unavailable").
    On a stepped clock: the STALL_S a technician waits before being told is the real one."""
    import installation.inputs.camera as camera_mod

    clock = FakeClock()
    gate, opened, opener = _stuck_device()
    first = Camera(0, opener=opener, clock=clock.now).start()
    second = None
    try:
        assert _wait(lambda: opened and opened[0].reads >= 2)  # hung in its second read
        first.stop()
        second = Camera(0, opener=opener, clock=clock.now).start()  # the next entry's camera on the same device
        assert _wait(lambda: second.status()["waiting_for_device"]), "status never said the device is held"
        clock.advance(camera_mod.STALL_S - 0.5)
        assert second.state == "starting"  # (not yet a hang: cameras take a moment)
        clock.advance(1.0)
        assert _wait(lambda: second.state == "unavailable")  # the technician is told
        assert "hung in a read" in second.reason
        assert len(opened) == 1, "the device was opened while the hung thread held it"
        gate.set()  # the old read comes back; its thread releases the device
        assert _wait(lambda: second.state == "live" and second.latest() is not None)
        assert not second.status()["waiting_for_device"]
        assert _StuckCapture.most_open == 1
    finally:
        gate.set()
        first.stop()
        if second is not None:
            second.stop()
    assert _wait(lambda: _StuckCapture.open_now == 0)


def test_a_camera_hung_in_a_read_is_unavailable_and_its_last_image_goes():
    """A camera whose driver stops answering hangs in its read: the thread never learns it,
    and the camera stayed "live" with the visitor's last image for as long as it hung (the
    portrait invited visitors to a mirror that no longer moved). Judged on the camera's
    clock, stepped here: live up to STALL_S after its last frame, unavailable past it."""
    import threading

    import installation.inputs.camera as camera_mod

    clock = FakeClock(start=100.0)
    gate = threading.Event()
    opened = []
    cam = Camera(0, opener=lambda source, size: opened.append(_StuckCapture(gate)) or opened[-1],
                 clock=clock.now).start()
    try:
        assert _wait(lambda: opened and opened[0].reads >= 2)  # one frame, then hung
        assert cam.latest() is not None and cam.latest().t == 100.0  # stamped by the camera's clock
        clock.advance(camera_mod.STALL_S - 0.1)
        assert cam.state == "live" and cam.latest() is not None
        clock.advance(0.2)
        assert cam.state == "unavailable"
        assert "hangs in a read" in cam.reason and cam.status()["state"] == "unavailable"
        assert cam.latest() is None
        gate.set()  # the driver answers again: live, with a new frame
        assert _wait(lambda: cam.state == "live" and cam.latest() is not None)
        assert cam.latest().t == clock.now()
    finally:
        gate.set()
        cam.stop()
