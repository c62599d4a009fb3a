"""The portrait pipeline on real faces (shared data) and the worker that runs it beside
the render loop."""

from __future__ import annotations

import time

import cv2
import numpy as np
import pytest

from installation.inputs.camera import Camera
from installation.inputs.capture import fitted
from installation.models.face import FaceBox
from installation.models.motion.animator_worker import AnimatorWorker
from installation.models.motion.flow import FlowBackend
from installation.models.motion.pipeline import PortraitAnimator
from installation.scenes.portrait import draw_house_portrait


def _rgb(path):
    return cv2.cvtColor(cv2.imread(str(path)), cv2.COLOR_BGR2RGB)


def _frames(path, n, start=0):
    cap = cv2.VideoCapture(str(path))
    out = []
    i = 0
    while len(out) < n:
        ok, bgr = cap.read()
        if not ok:
            break
        if i >= start:
            out.append(cv2.cvtColor(fitted(bgr, (640, 480)), cv2.COLOR_BGR2RGB))
        i += 1
    return out


def test_worker_publishes_idle_frames_without_a_camera_and_never_blocks():
    image, face = draw_house_portrait()
    animator = PortraitAnimator(FlowBackend(), image, face=FaceBox(*face))
    worker = AnimatorWorker(animator, camera=None).start()
    try:
        deadline = time.monotonic() + 5
        while worker.latest() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        first = worker.latest()
        assert first is not None and first.mode == "idle" and first.camera_t is None
        # It keeps publishing on its own thread (no timing asserted: the machine may be busy).
        deadline = time.monotonic() + 10
        while worker.frames <= 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert worker.frames > 3 and worker.latest() is not first
    finally:
        worker.stop()


@pytest.mark.injects_faults
def test_a_failing_animator_shows_the_still_portrait_and_is_recorded_as_a_fault():
    """The worker's boundary keeps the show going with the still portrait, which looks
    like a portrait at rest: a test, soak or bench must still see the failure."""
    from installation.faults import FaultRecorder

    image, face = draw_house_portrait()
    animator = PortraitAnimator(FlowBackend(), image, face=FaceBox(*face))

    def broken(t):
        raise IndexError("a bug in the warp")

    animator.idle = broken
    worker = AnimatorWorker(animator, camera=None, fault_scope="hall-portrait")
    with FaultRecorder() as recorder:
        worker.poll()
        worker.poll()
    assert np.array_equal(worker.latest().image, animator.portrait)
    # Once, not once per frame.
    assert [(f.scene_id, f.phase) for f in recorder.faults] == [("hall-portrait", "animate")]
    assert "a bug in the warp" in worker.error


@pytest.mark.shared_data
@pytest.mark.slow
def test_worker_stamps_live_results_with_the_camera_time(shared_data):
    animator = PortraitAnimator(FlowBackend(), _rgb(shared_data / "portrait-painting.jpg"))
    with Camera(shared_data / "driver-expressions-12s.mp4", size=(640, 480)) as camera:
        worker = AnimatorWorker(animator, camera).start()
        try:
            worker.request_calibration()
            assert worker.calibrated.wait(5.0)
            time.sleep(1.0)
            r = worker.latest()
            assert r.mode == "live" and r.camera_t is not None
            assert 0 <= r.ready_t - r.camera_t < 1.0
            assert r.image.shape == animator.portrait.shape
        finally:
            worker.stop()


@pytest.fixture(scope="module")
def expressions_run():
    """Drive the shared painting with the shared expressions video once; the tests below
    check different things about the same run."""
    from .conftest import shared_data_dir

    shared = shared_data_dir()
    if not shared.is_dir():
        pytest.skip("../shared/data is not present")
    portrait = _rgb(shared / "portrait-painting.jpg")
    clock = [0.0]
    animator = PortraitAnimator(FlowBackend(clock=lambda: clock[0]), portrait)
    frames = _frames(shared / "driver-expressions-12s.mp4", 340)
    assert animator.calibrate(frames[0], 0.0)
    changed = np.zeros(portrait.shape[:2], bool)
    run = {"portrait": portrait, "animator": animator, "peak": 0.0, "open": {}}
    for i, frame in enumerate(frames[1:], 1):
        clock[0] = i / 30
        out = animator.step(frame, i / 30)
        d = np.abs(out.astype(int) - portrait.astype(int)).max(-1)
        changed |= d > 0
        run["peak"] = max(run["peak"], float(d.mean()))
        run["open"][i] = float(animator.backend._open.max())
        run.setdefault("eyes", {})[i] = list(animator.backend.eye_closure)
    run["changed"] = changed
    run["last"] = out
    return run


@pytest.mark.shared_data
def test_real_driver_moves_only_the_painted_head(expressions_run):
    changed, animator = expressions_run["changed"], expressions_run["animator"]
    x0, y0, x1, y1 = animator._region
    outside = np.ones_like(changed)
    outside[y0:y1, x0:x1] = False
    assert not changed[outside].any(), "pixels outside the head's region moved"
    assert expressions_run["peak"] > 0.5, "the portrait hardly moved for a whole video of expressions"
    # The corners of the head region (background, shoulders) stay put as well.
    assert not changed[y0 : y0 + 8, x0 : x0 + 8].any() and not changed[y1 - 8 : y1, x1 - 8 : x1].any()
    assert expressions_run["last"].shape == expressions_run["portrait"].shape


@pytest.mark.shared_data
def test_open_mouth_paints_an_interior_and_a_frown_does_not(expressions_run):
    opened = expressions_run["open"]
    # Frames ~300-335 of this video are a wide "oh" (surprise); ~150 is a frown with
    # pressed lips; the first frames are a neutral face.
    assert max(opened[i] for i in range(300, 336)) > 0.3
    assert max(opened[i] for i in range(140, 160)) < 0.15
    assert max(opened[i] for i in range(1, 7)) < 0.05  # (frames 8-15: a wink with bared teeth)


@pytest.mark.shared_data
def test_closed_eyes_and_a_wink_lower_the_painted_lids(expressions_run):
    eyes = expressions_run["eyes"]
    # In this video: a wink at frames ~7-19, both eyes open at ~22-31, a wink of the
    # other eye at ~35-43, both closed at ~57-61.
    assert min(eyes[i][1] for i in range(8, 14)) > 0.6 and max(eyes[i][0] for i in range(8, 14)) < 0.2
    assert max(max(eyes[i]) for i in range(22, 32)) < 0.2
    assert min(eyes[i][0] for i in range(36, 43)) > 0.6 and max(eyes[i][1] for i in range(36, 43)) < 0.2
    assert min(eyes[60]) > 0.6


@pytest.mark.shared_data
def test_still_visitor_leaves_the_portrait_still(shared_data):
    portrait = _rgb(shared_data / "portrait-painting.jpg")
    clock = [0.0]
    animator = PortraitAnimator(FlowBackend(clock=lambda: clock[0]), portrait)
    frame = _frames(shared_data / "driver-expressions-12s.mp4", 1)[0]
    rng = np.random.default_rng(0)
    assert animator.calibrate(frame, 0.0)
    outs = []
    for i in range(1, 40):
        clock[0] = i / 30
        noisy = np.clip(frame + rng.normal(0, 3, frame.shape), 0, 255).astype(np.uint8)
        outs.append(animator.step(noisy, i / 30).astype(int))
    # Sensor noise must not make the painting shimmer.
    jitter = np.abs(np.diff(np.stack(outs[10:]), axis=0)).mean()
    assert jitter < 0.3


def test_mirrored_worker_sees_the_visitor_as_in_a_looking_glass():
    from installation.inputs.camera import Frame

    class OneFrameCamera:
        state = "live"

        def __init__(self, image):
            self.image = image

        def latest(self):
            return Frame(self.image, 0.0, 1)

    image, face = draw_house_portrait()
    cam_image = np.zeros((48, 64, 3), np.uint8)
    cam_image[:, :16] = 255  # something on the camera's left
    worker = AnimatorWorker(
        PortraitAnimator(FlowBackend(), image, face=FaceBox(*face)), OneFrameCamera(cam_image), mirror=True
    )
    worker.poll()
    seen = worker.last_frame.image
    assert seen[:, -16:].min() == 255 and seen[:, :16].max() == 0
    assert cam_image[:, :16].min() == 255  # the camera's own frame is not modified


def test_a_camera_slower_than_the_idle_animation_keeps_the_visitor_in_view():
    """A webcam in a dim gallery drops to 15 fps; the idle portrait animates at 30. Each
    frame without a new picture was published as "nobody there", so the visitor's arrival
    started again every other frame and the invitation never came. The last look stands
    until a newer frame comes, for a moment only."""
    from installation.inputs.camera import Frame

    now = [0.0]

    class SlowCamera:
        """A new picture on every other poll, and none after `stop_at` polls."""

        state = "live"

        def __init__(self, stop_at: int) -> None:
            self.polls, self.stop_at = 0, stop_at

        def latest(self):
            self.polls += 1
            index = min(self.polls, self.stop_at) // 2
            return Frame(np.zeros((48, 64, 3), np.uint8), index / 15.0, index)

    class Seen:
        def observe(self, image, t):
            return "a visitor"

        def idle(self, t):
            return np.zeros((8, 8, 3), np.uint8)

    worker = AnimatorWorker(Seen(), SlowCamera(stop_at=20), clock=lambda: now[0])
    seen = []
    for _ in range(40):
        worker.poll()
        seen.append(worker.latest().face)
        now[0] += 1 / 30
    assert seen[:20] == ["a visitor"] * 20  # every poll while the camera runs, new frame or not
    assert seen[-1] is None  # half a second after the last frame: nobody is assumed there


def test_the_workers_portraits_are_stamped_by_the_shows_clock():
    """A portrait's `ready_t` (when it was finished) came from the machine's clock while
    everything else the worker times (a failure's start, the last look at the visitor) came
    from the show's: in a render or test at a set time it was another day's figure."""

    class Still:
        portrait = np.zeros((8, 8, 3), np.uint8)

        def idle(self, t):
            return self.portrait

    now = [5000.0]
    worker = AnimatorWorker(Still(), camera=None, clock=lambda: now[0])
    worker.poll()
    now[0] += 0.25
    worker.poll()
    assert worker.latest().ready_t == 5000.25
