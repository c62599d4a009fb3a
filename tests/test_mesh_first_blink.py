"""A visitor's first blinks close the portrait's lids as their later ones do.

The face mesh reads a closed eye as a thin opening whose thickness varies with the visitor
(motion.CLOSED_OPENNESS); each visitor's own blinks set it. Learnt from live blinks alone,
the portrait's lids stayed a third to a half open on a narrow-eyed visitor's first blinks.
The card, framing guide and countdown already see the visitor for several seconds, in
which people blink once or twice: those frames teach it now, in memory, for the visit only.

Fed as the live scene feeds it: the animator worker, the scene's calibration request and
an injected clock. Synthetic landmarks from the shipped sitter's own face: nothing from
../shared.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from installation.models.face import portrait_faces
from installation.models.motion.animator_worker import AnimatorWorker
from installation.models.motion.mesh import MeshAnimator
from installation.models.motion.mesh.motion import DriverReference
from tests.test_driver_neutral import _blinking, _with_eyes

FPS = 30.0
BLINK_READS = 0.62  # of the rest opening: a narrow-eyed visitor's closed eye (0.19 against 0.30)


class Camera:
    """A camera whose frames stand for the landmarks the stub tracker returns for them."""

    state = "live"

    def __init__(self) -> None:
        self.frame = None

    def show(self, index: int) -> None:
        self.frame = SimpleNamespace(image=np.zeros((8, 8, 3), np.uint8), t=index / FPS, index=index)

    def latest(self):
        return self.frame


class Visit:
    """The scene's side of a visit: frames go through the worker; the countdown ends with a
    calibration request, as PortraitScene.update makes it."""

    def __init__(self, animator: MeshAnimator) -> None:
        self.animator, self.camera, self.index, self.now = animator, Camera(), 0, 0.0
        self.faces: list[np.ndarray] = []
        self.drawn: list = []
        animator._eyes = lambda frame, landmarks: None  # no camera picture behind these faces
        animator.tracker = SimpleNamespace(update=self._track, reset=lambda: None)
        animator.render = self._render  # what the lids are drawn by: the motion's eye_open
        self.worker = AnimatorWorker(animator, self.camera, clock=lambda: self.now)

    def _track(self, frame, t):
        face = SimpleNamespace(landmarks=self.faces[self.index - 1])
        return SimpleNamespace(face=face, state="ok", box=object())

    def _render(self, motion):
        self.animator.last_motion = motion
        self.drawn.append(motion)
        return self.animator.portrait

    def show(self, faces) -> list:
        """Each face a camera frame; the lids' openings drawn for them."""
        start = len(self.drawn)
        for face in faces:
            self.faces.append(face)
            self.index += 1
            self.now += 1.0 / FPS
            self.camera.show(self.index)
            self.worker.poll()
        return [m.eye_open for m in self.drawn[start:]]

    def calibrate(self, neutral: np.ndarray) -> None:
        self.worker.request_calibration()
        self.show([neutral])
        assert self.worker.calibrated.is_set() and self.worker.mode == "live"

    def end(self) -> None:
        self.worker.go_idle()  # as the scene does when the visitor has gone


@pytest.fixture(scope="module")
def neutral(stack, sitter) -> np.ndarray:
    return portrait_faces(sitter, stack)[0].landmarks.astype(np.float64)


@pytest.fixture()
def visit(stack, sitter) -> Visit:
    return Visit(MeshAnimator(sitter, stack))


def test_the_visitors_first_blink_closes_the_portraits_lids(visit, neutral):
    rest = DriverReference(neutral).openness
    assert min(rest) * BLINK_READS > 0.15  # a closed eye the fixed closed level takes for half open
    # The card and countdown: two blinks, and a look down held (at the floor marks, say).
    visit.show(_blinking(neutral, BLINK_READS, frames=70) + [_with_eyes(neutral, 0.5)] * 40 + [neutral] * 20)
    visit.calibrate(neutral)
    # Live: the very first blink, before any live blink could teach anything.
    first = visit.show(_blinking(neutral, BLINK_READS, frames=12))
    assert max(max(e) for e in first[2:5]) < 0.05, first  # the lids down (_blinking's frames 2-4)
    assert min(min(e) for e in first[:1] + first[6:]) > 0.97, first  # open eyes stay open
    # A glance down (0.7-0.8 of the rest opening) is no blink: the lids stay well open.
    glance = visit.show([_with_eyes(neutral, 0.8)] * 30)
    assert min(min(e) for e in glance) > 0.3, glance


def test_a_look_down_held_through_the_countdown_is_no_blink(visit, neutral):
    """Looking down narrows the eyes as much as a blink does, but for long: held through
    the countdown it does not become the closed level, and a later look down keeps the
    portrait's lids more than a third open."""
    looking_down = [_with_eyes(neutral, BLINK_READS)] * 40
    visit.show([neutral] * 30 + looking_down + [neutral] * 30)
    visit.calibrate(neutral)
    held = visit.show(looking_down)
    assert min(min(e) for e in held) > 0.3, held


def test_a_visit_learns_nothing_from_the_visit_before(visit, neutral):
    """What the countdown saw is forgotten when the visit ends: a visitor who blinked
    through the card and left before the countdown ended (the scene back in attract mode)
    leaves nothing to the next, who steps straight in and has not blinked yet."""
    visit.show(_blinking(neutral, BLINK_READS, frames=100))
    visit.end()
    visit.show([neutral] * 60)
    visit.calibrate(neutral)
    assert visit.animator.reference.closed == DriverReference(neutral).closed


def test_a_blink_just_before_the_countdown_ends_is_learnt(visit, neutral):
    """A blink in the last 0.3 s before calibration could not yet be told from a look down
    (the eyes must be seen open again after it), and was lost: a visitor who blinked once,
    as the countdown ended, had the portrait's lids close only two thirds of the way at their
    first live blinks. The live frames after calibration tell it."""
    blink = _blinking(neutral, BLINK_READS, frames=6)[1:]  # the lids down and up again, 5 frames
    visit.show([neutral] * 60 + blink + [neutral] * 2)
    visit.calibrate(neutral)
    visit.show([neutral] * 15)  # half a second of looking, eyes open
    first = visit.show(_blinking(neutral, BLINK_READS, frames=12))
    assert max(max(e) for e in first[2:5]) < 0.05, first  # old: 0.36 open
