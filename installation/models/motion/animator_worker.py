"""The worker that runs a portrait animator beside the render loop.

`AnimatorWorker` runs it in a thread: it takes the newest camera frame (stale frames are
dropped by the camera), and publishes the newest result stamped with the camera frame's
capture time, so the render loop only ever picks up a finished image and never waits.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from ... import faults
from ...imaging import fit_rgb
from ..face import Expression, FaceObservation
from ..face.orientation import TurnWatch
from .pipeline import PortraitAnimator

log = logging.getLogger("bayard.motion")

# How long (seconds of the injected clock) the last look at the visitor stands for them
# while no newer camera frame has come: a few frames of a slow camera. A camera that stops
# for longer is no longer "live" and the scene says so.
STALE_OBSERVATION_S = 0.5
# A frame the animator fails on leaves the last good result on screen this long before the
# still portrait replaces it: one odd frame froze the face for a moment instead of snapping
# it back to rest and forward again (and the visitor counted as gone for that frame).
HOLD_ON_FAILURE_S = 0.5


@dataclass(frozen=True)
class Showing:
    """How the scene shows results on the screen it has now: for results of `image_shape`,
    the part shown (x0, y0, x1, y1; None: all of it) and its (width, height) on screen; for
    camera pictures of `camera_shape`, the visitor's mirror's (width, height) (None: no
    mirror). A result or picture of another shape is left to the scene."""

    image_shape: tuple[int, ...]
    crop: tuple[int, int, int, int] | None
    size: tuple[int, int]
    camera_shape: tuple[int, ...] | None = None
    mirror_size: tuple[int, int] | None = None


@dataclass(frozen=True)
class Shown:
    """A result made ready for the screen on the worker's thread, so the render loop only
    wraps it in a surface: at 4K, resizing each new portrait there cost it tens of ms.
    Never written to once published (the scene's surfaces share its memory)."""

    showing: Showing
    portrait: np.ndarray  # the shown part at showing.size, C-contiguous RGB uint8
    mirror: np.ndarray | None  # the newest camera picture at showing.mirror_size, or None


@dataclass(frozen=True)
class AnimatedFrame:
    image: np.ndarray  # the whole portrait, RGB uint8
    camera_t: float | None  # capture time of the camera frame that drove it (None: idle)
    ready_t: float  # when it was finished (the worker's clock: the show's)
    face: FaceObservation | None
    mode: str  # "idle" or "live"
    shown: Shown | None = None  # made for the scene's last `showing`, if it had told one


class AnimatorWorker:
    """Runs a PortraitAnimator in a thread on the newest camera frame.

    The scene sets `mode` ("idle" or "live") and `showing` (each result then comes cut and
    resized for the screen, `AnimatedFrame.shown`), asks for `request_calibration()`, and
    reads `latest()` each frame; nothing here blocks the render loop. Errors inside the model
    are logged once and the worker keeps publishing the still portrait.
    """

    def __init__(
        self,
        animator: PortraitAnimator,
        camera: Any | None,
        idle_fps: float = 30.0,
        clock=time.monotonic,
        mirror: bool = False,
        fault_scope: str = "portrait",
    ) -> None:
        self.animator = animator
        # Whose fault a failure here is, in the process-wide fault record (faults.py).
        self.fault_scope = fault_scope
        # mirror: flip camera frames before anything else, so the portrait answers like a
        # looking-glass (the visitor tilts to their right, the portrait tilts to the
        # screen's right) and `last_frame` is already the mirrored view to show.
        self.mirror = mirror
        self.camera = camera
        self.idle_period = 1.0 / idle_fps
        self.clock = clock
        self.mode = "idle"
        # When the animator began failing on every frame (None while it works): the scene
        # moves to another backend when one keeps failing (a GPU lost mid-show).
        self.failing_since: float | None = None
        self._lock = threading.Lock()
        self._result: AnimatedFrame | None = None
        self._stop = threading.Event()
        self._calibrate = threading.Event()
        self.calibrated = threading.Event()
        self._end_visit = threading.Event()
        self._thread: threading.Thread | None = None
        self._t0 = clock()
        self.frames = 0
        self.error: str | None = None
        self._last_index = -1
        self.last_frame = None
        # How the scene shows results (set from the render loop: one reference, swapped whole).
        self.showing: Showing | None = None
        # The newest observation of the visitor and when (the injected clock) it was made.
        self._seen: tuple[FaceObservation | None, float] = (None, -math.inf)
        # Whether the camera's picture seems turned (read by the scene, which tells the
        # technician which [camera] rotation to set).
        self.turn_watch = TurnWatch()

    def start(self) -> AnimatorWorker:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="bayard-animator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2.0)
        self._thread = None
        with self._lock:
            self._result = None
        self.last_frame = None
        self._seen = (None, -math.inf)

    def latest(self) -> AnimatedFrame | None:
        with self._lock:
            return self._result

    def request_calibration(self) -> None:
        self.calibrated.clear()
        self._calibrate.set()

    def go_idle(self) -> None:
        """Back to attract mode. The visit's state is reset on the worker's own thread (the
        tracker may be mid-frame there)."""
        self.mode = "idle"
        self._calibrate.clear()
        # The visit's calibration ends with it: left set, the next visitor's countdown
        # saw it at once and went "live" on an uncalibrated, idling portrait.
        self.calibrated.clear()
        self._end_visit.set()

    def _publish(
        self, image: np.ndarray, camera_t: float | None, obs: FaceObservation | None, mode: str, camera=None,
        for_screen: bool = True,
    ) -> None:
        # The still portrait published after a failure is left for the scene to fit: were the
        # failure in the fitting itself, it would escape the boundary and end this thread.
        shown = self._shown(image, camera if camera is not None else self.last_frame) if for_screen else None
        r = AnimatedFrame(image, camera_t, self.clock(), obs, mode, shown)
        with self._lock:
            self._result = r
        self.frames += 1

    def _shown(self, image: np.ndarray, camera) -> Shown | None:
        """The result cut and resized as the scene last said it shows it (None: it has not)."""
        showing = self.showing
        if showing is None or image.shape != showing.image_shape:
            return None
        if showing.crop is not None:
            x0, y0, x1, y1 = showing.crop
            image = image[y0:y1, x0:x1]
        mirror = None
        if showing.mirror_size is not None and camera is not None and camera.image.shape == showing.camera_shape:
            # Area averaging whatever the size, as the mirror has always been drawn.
            mirror = cv2.resize(camera.image, showing.mirror_size, interpolation=cv2.INTER_AREA)
        return Shown(showing, fit_rgb(image, showing.size), mirror)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.poll(block=True)

    def poll(self, block: bool = False) -> None:
        """One iteration: take the newest camera frame (waiting for one when `block`),
        run the pipeline, publish. The thread calls it in a loop; a caller that wants
        lock-step determinism (tests, offline renders) calls it itself without start()."""
        try:
            if self._end_visit.is_set():
                self._end_visit.clear()
                self.animator.end_visit()
                # (A calibration this thread finished as the visit ended is void too.)
                self.mode = "idle"
                self.calibrated.clear()
            frame = None
            live_camera = self.camera is not None and getattr(self.camera, "state", "live") == "live"
            if live_camera and block:
                frame = self.camera.wait_new(self._last_index, timeout=self.idle_period)
            elif live_camera:
                newest = self.camera.latest()
                frame = newest if newest is not None and newest.index > self._last_index else None
            elif block:
                self._stop.wait(self.idle_period if self.mode == "idle" else 0.05)
            obs = None
            if frame is not None and self.mirror:
                frame = type(frame)(np.ascontiguousarray(frame.image[:, ::-1]), frame.t, frame.index)
            if frame is not None:
                self._last_index = frame.index
                obs = self.animator.observe(frame.image, frame.t)
                self._seen = (obs, self.clock())
                face = getattr(obs, "face", None)
                if face is not None:
                    # (In a mirrored frame a picture turned clockwise shows faces turned the
                    # other way.)
                    roll = Expression.of(face.landmarks).roll
                    self.turn_watch.see(-roll if self.mirror else roll)
                if self._calibrate.is_set() and self.animator.calibrate(frame.image, frame.t, obs):
                    self._calibrate.clear()
                    self.calibrated.set()
                    self.mode = "live"
            elif self.clock() - self._seen[1] <= STALE_OBSERVATION_S:
                # No new camera frame since the last look (a camera slower than the idle
                # animation, 15 fps in a dim room): the visitor is still where they were.
                # Published as "nobody", their arrival restarted on every other frame and
                # the invitation never came.
                obs = self._seen[0]
            if self.mode == "live" and frame is not None:
                self._publish(self.animator.step(frame.image, frame.t, obs), frame.t, obs, "live", frame)
            elif self.mode == "idle":
                self._publish(self.animator.idle(self.clock() - self._t0), None, obs, "idle", frame)
            if frame is not None:
                self.last_frame = frame  # for the small mirrored view (memory only)
            self.failing_since = None
        except Exception as exc:  # boundary: the worker must keep the show going
            if self.failing_since is None:
                self.failing_since = self.clock()
            holding = self.clock() - self.failing_since < HOLD_ON_FAILURE_S and self._result is not None
            msg = f"{type(exc).__name__}: {exc}"
            if msg != self.error:
                log.exception("portrait animator failed; showing the still portrait")
                self.error = msg
                # The still portrait keeps the show going; a test, soak or bench must
                # still fail on it (it once hid behind an idle-looking portrait).
                faults.report(self.fault_scope, "animate", exc)
            if not holding:
                self._publish(self.animator.portrait, None, None, self.mode, for_screen=False)
            if block:
                self._stop.wait(0.2)
