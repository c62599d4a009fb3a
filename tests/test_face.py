"""Face tracking: smoothing that holds still faces still and follows real moves."""

import os
from pathlib import Path

import cv2
import numpy as np
import pytest

from installation.models.face import OneEuro
from installation.models.face.haar import HaarTracker as FaceTracker

SHARED = Path(os.environ.get("BAYARD_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))


def test_one_euro_removes_jitter_when_still_and_follows_a_move():
    rng = np.random.default_rng(0)
    f = OneEuro(min_cutoff=0.4, beta=0.015)
    still = [f(100 + rng.normal(0, 3), i / 30) for i in range(90)]
    assert np.std(still[30:]) < 1.0  # raw jitter is 3 px
    # A real move of 150 px within half a second: the filter must get there quickly.
    out = [f(100 + min(150, 10 * i) + rng.normal(0, 3), (90 + i) / 30) for i in range(30)]
    assert out[-1] > 230


def _shared(name):
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"shared data {path} absent")
    return path


def _camera_frame(bgr):
    f = cv2.resize(bgr, (480, 480))
    return cv2.cvtColor(
        cv2.copyMakeBorder(f, 0, 0, 80, 80, cv2.BORDER_CONSTANT, value=(40, 40, 40)), cv2.COLOR_BGR2RGB
    )


@pytest.mark.shared_data
def test_still_face_gives_a_steady_box_and_moving_it_moves_the_box():
    cap = cv2.VideoCapture(str(_shared("driver-expressions-12s.mp4")))
    ok, bgr = cap.read()
    assert ok
    frame = _camera_frame(bgr)
    rng = np.random.default_rng(1)
    tracker = FaceTracker(detect_every=3)
    boxes = []
    for i in range(60):  # a still visitor with sensor noise
        noisy = np.clip(frame + rng.normal(0, 4, frame.shape), 0, 255).astype(np.uint8)
        obs = tracker.update(noisy, i / 30)
        boxes.append((obs.box.cx, obs.box.cy, obs.box.size))
    assert obs.state == "ok"
    b = np.array(boxes[15:])
    assert b[:, :2].std(0).max() < 1.0, f"box jitters on a still face: {b.std(0)}"
    assert b[:, 2].std() < 0.01 * b[:, 2].mean(), f"box size jitters on a still face: {b.std(0)}"
    # The visitor steps 60 px to the right: the box follows within a quarter second.
    moved = np.roll(frame, 60, axis=1)
    for i in range(8):
        obs = tracker.update(moved, 2 + i / 30)
    assert obs.box.cx - boxes[-1][0] > 45


@pytest.mark.shared_data
def test_states_for_prompts():
    cap = cv2.VideoCapture(str(_shared("driver-expressions-12s.mp4")))
    ok, bgr = cap.read()
    frame = _camera_frame(bgr)
    # Two visitors side by side.
    small = cv2.resize(frame[:, 80:560], (320, 320))
    pair = np.full((480, 640, 3), 40, np.uint8)
    pair[80:400, 0:320] = small
    pair[80:400, 320:640] = small
    assert FaceTracker().update(pair, 0).state == "several"
    # A visitor far away: a small face.
    far = np.full((480, 640, 3), 40, np.uint8)
    far[200:280, 280:360] = cv2.resize(frame[:, 80:560], (80, 80))
    obs = FaceTracker().update(far, 0)
    assert obs.state == "too_far" and obs.prompt == "Step closer"
    # Nobody.
    assert FaceTracker().update(np.full((480, 640, 3), 90, np.uint8), 0).state == "none"


@pytest.mark.shared_data
def test_a_second_visitor_joining_is_noticed_while_following_the_first():
    import time

    cap = cv2.VideoCapture(str(_shared("driver-expressions-12s.mp4")))
    ok, bgr = cap.read()
    small = cv2.resize(_camera_frame(bgr)[:, 80:560], (300, 300))
    one = np.full((480, 640, 3), 40, np.uint8)
    one[90:390, 170:470] = small
    two = np.full((480, 640, 3), 40, np.uint8)
    two[90:390, 10:310] = small
    two[90:390, 330:630] = small
    tracker = FaceTracker()
    for i in range(10):
        assert tracker.update(one, i / 30).state in ("ok", "too_far")
    # The first visitor steps aside and a second one arrives: within two seconds of frames
    # (whole-frame scans run in the background) the prompt says "one at a time".
    states = []
    for i in range(10, 70):
        states.append(tracker.update(two, i / 30).state)
        time.sleep(0.005)  # let the background scan finish as a camera's pace would
    assert "several" in states[-20:]
