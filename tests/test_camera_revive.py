"""The camera's life across stops and starts: what a visitor could see of the one before,
a film that ends, and a camera that opens but never gives a picture."""

import threading
import time

import cv2
import numpy as np

import installation.inputs.camera as camera_mod
from installation.clock import FakeClock
from installation.inputs.camera import Camera

from .test_camera import _SettledCapture, _wait

VISITOR_BEFORE = 200  # the grey of every frame captured while the first visitor stood there
VISITOR_AFTER = 40


class _HangingThenNextVisitor(_SettledCapture):
    """A camera whose second read hangs (its driver stops answering) holding a frame of the
    first visitor; once the test lets it go, that frame comes back, and every later read is
    the next visitor, once the test has looked at what the camera hands out meanwhile."""

    def __init__(self, gate, next_visitor):
        self.gate, self.next_visitor = gate, next_visitor
        self.reads = 0

    def read(self):
        self.reads += 1
        if self.reads == 1:
            return True, np.full((48, 64, 3), VISITOR_BEFORE, np.uint8)
        if self.reads == 2:
            self.gate.wait()
            return True, np.full((48, 64, 3), VISITOR_BEFORE, np.uint8)  # captured before the stop
        self.next_visitor.wait()
        time.sleep(0.01)
        return True, np.full((48, 64, 3), VISITOR_AFTER, np.uint8)

    def release(self):
        pass


def test_a_restart_never_shows_a_frame_read_before_the_stop():
    """stop() drops the visitor's last image, and a read that returns while stopped is thrown
    away; but a start() right after the stop revives the same thread, and the read that was
    under way at the stop (the first visitor, in front of the lens then) was published to the
    next visit as its first picture."""
    gate, next_visitor = threading.Event(), threading.Event()
    captures = []
    cam = Camera(0, opener=lambda source, size: captures.append(_HangingThenNextVisitor(gate, next_visitor))
                 or captures[-1])
    cam.start()
    try:
        assert _wait(lambda: captures and captures[0].reads >= 2)  # the first visitor seen, a read under way
        cam.stop()
        cam.start()  # the next visit, at once
        gate.set()  # the read under way at the stop comes back
        assert _wait(lambda: captures[0].reads >= 3)  # (its frame handed out or thrown away by now)
        first = cam.latest()
        assert first is None or int(first.image[0, 0, 0]) != VISITOR_BEFORE, \
            "a frame of the visitor before the stop came back after the start"
        next_visitor.set()
        assert _wait(lambda: cam.latest() is not None)
        assert int(cam.latest().image[0, 0, 0]) == VISITOR_AFTER
    finally:
        gate.set()
        next_visitor.set()
        cam.stop()


def _video(path, frames=6, fps=24.0, size=(32, 24)):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, size)
    for i in range(frames):
        writer.write(np.full((size[1], size[0], 3), 30 * i, np.uint8))
    writer.release()
    return path


def test_a_film_that_does_not_loop_ends_and_stays_ended(tmp_path):
    """loop=False: the film plays once and the camera says "ended" with its last frame. It
    said so for 0.2 s, then opened the film again and played it from the start, over and over
    (a loop with a pause), so a bench or a demo meant to run through a film once never ended."""
    cam = Camera(_video(tmp_path / "once.avi"), loop=False).start()
    try:
        assert _wait(lambda: cam.state == "ended")
        last = cam.latest()
        time.sleep(0.8)  # (six frames at 24 fps last a quarter of a second: time for three replays)
        assert cam.state == "ended"
        assert cam.latest() is not None and cam.latest().index == last.index, "the film was played again"
    finally:
        cam.stop()
    assert cam.state == "stopped"


class _OpensButNeverGivesAPicture:
    """A camera that opens and then hangs in its very first read (a driver that starts the
    stream and never delivers, a USB hub without the bandwidth for it)."""

    def __init__(self, gate):
        self.gate = gate

    def get(self, prop):
        return 0.0

    def set(self, prop, value):
        return True

    def read(self):
        self.gate.wait()
        return False, None

    def release(self):
        pass


def test_a_camera_hung_before_its_first_frame_is_unavailable():
    """A camera hung in a read after some frames reads unavailable once STALL_S passes; one
    hung in its first read stayed "starting" for good: the technician was never told, and a
    portrait whose curator chose without_camera = "skip" waited on it for ever. On a stepped
    clock: the real FIRST_FRAME_S, not waited out."""
    clock = FakeClock()
    gate = threading.Event()
    cam = Camera(0, opener=lambda source, size: _OpensButNeverGivesAPicture(gate), clock=clock.now).start()
    try:
        assert cam.state == "starting"  # a moment to open, as any camera needs
        clock.advance(camera_mod.FIRST_FRAME_S - 0.1)
        assert cam.state == "starting"
        clock.advance(0.2)
        assert cam.state == "unavailable"
        assert "no picture" in cam.reason
        assert cam.latest() is None
    finally:
        gate.set()
        cam.stop()
    assert cam.state == "stopped"


def test_a_camera_restarted_while_its_read_still_hangs_waits_for_its_device_and_says_so():
    """The show stops a camera whose read hangs (a scene change) and starts it again: the
    stuck read still holds the device, so it is not opened a second time (a second open of
    /dev/video0 fails or steals it). The wait read "starting", then "no picture since it was
    started": status now says the camera waits for a device its last read still holds, and
    the reason tells the technician that read is what hangs."""
    from .test_camera import _stuck_device, _StuckCapture

    clock = FakeClock()
    gate, opened, opener = _stuck_device()
    cam = Camera(0, opener=opener, clock=clock.now).start()
    try:
        assert _wait(lambda: opened and opened[0].reads >= 2)  # live once, now hung in a read
        cam.stop()
        cam.start()  # revived while that read still hangs
        assert cam.status()["waiting_for_device"], "status did not say the device is still held"
        clock.advance(camera_mod.FIRST_FRAME_S + 0.1)
        assert cam.state == "unavailable"
        assert cam.reason == camera_mod.STILL_HELD
        assert len(opened) == 1 and _StuckCapture.most_open == 1, "the device was opened a second time"
        gate.set()  # the read comes back: the same thread serves on, on the one open device
        assert _wait(lambda: cam.state == "live" and cam.latest() is not None)
        assert not cam.status()["waiting_for_device"] and cam.reason == ""
        assert len(opened) == 1
    finally:
        gate.set()
        cam.stop()
    assert _wait(lambda: _StuckCapture.open_now == 0), "the device was never released after the stop"


class _Steady:
    """A working camera: a frame every 10 ms."""

    def get(self, prop):
        return 0.0

    def set(self, prop, value):
        return True

    def read(self):
        time.sleep(0.01)
        return True, np.full((48, 64, 3), VISITOR_AFTER, np.uint8)

    def release(self):
        pass


def test_a_crossfade_between_two_camera_scenes_is_not_taken_for_a_hung_camera(monkeypatch):
    """Between two portrait scenes the outgoing one plays on through the crossfade (up to
    10 s), its camera live on the device, while the incoming scene's camera waits for it. Past
    STALL_S that wait read as a camera hung since the last scene, and the technician was told
    to unplug a camera that worked. It waits quietly while the other camera is in use, and
    takes the device once that scene stops."""
    monkeypatch.setattr(camera_mod, "STALL_S", 0.1)
    monkeypatch.setattr(camera_mod, "FIRST_FRAME_S", 0.5, raising=False)
    outgoing = Camera(0, opener=lambda source, size: _Steady()).start()
    incoming = None
    try:
        assert _wait(lambda: outgoing.state == "live")
        incoming = Camera(0, opener=lambda source, size: _Steady()).start()
        end = time.monotonic() + 1.0  # a crossfade well past STALL_S and FIRST_FRAME_S
        while time.monotonic() < end:
            assert incoming.state == "starting", f"{incoming.state}: {incoming.reason}"
            time.sleep(0.01)
        outgoing.stop()  # the crossfade ends: the outgoing scene exits
        assert _wait(lambda: incoming.state == "live" and incoming.latest() is not None)
    finally:
        outgoing.stop()
        if incoming is not None:
            incoming.stop()
