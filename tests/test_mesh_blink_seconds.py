"""A visitor's blinks, which set how closed their closed eye reads, are told in seconds of
the camera's clock, not in frames.

A blink is over within 0.3 s: a dip in the eye's opening is a blink only when the eye is
seen open again within that on both sides (visitor_eyes.BLINK_REACH_S). Counted as 9
frames, a 15 fps camera (a dim room) gave the eye 0.6 s: a look down and back held half a
second became the visitor's closed level, and from there every ordinary look a little
below rest drew the portrait's lids a third of the way down (a sleepy sitter). At 30 fps
nothing changes. Synthetic landmarks from the shipped sitter's own face.
"""

from __future__ import annotations

import numpy as np
import pytest

from installation.models.face import portrait_faces
from installation.models.motion.mesh import MeshAnimator
from installation.models.motion.mesh.motion import DriverReference
from installation.models.motion.mesh.visitor_eyes import deepest_blink
from tests import test_mesh_first_blink as live_visit
from tests.test_driver_neutral import _with_eyes

# A glance down and back: its lowest reading 0.72 of the rest opening, 0.4 s from the
# nearest frame opened again; 11 frames, 0.73 s at 15 fps.
GLANCE = (0.85, 0.8, 0.75, 0.72, 0.72, 0.72, 0.72, 0.72, 0.75, 0.8, 0.85)


@pytest.fixture(scope="module")
def neutral(stack, sitter) -> np.ndarray:
    return portrait_faces(sitter, stack)[0].landmarks.astype(np.float64)


def _visit(neutral: np.ndarray, shares) -> list[np.ndarray]:
    """Two seconds at rest (at 15 fps), the eyes at `shares` of their rest opening, two more."""
    return [neutral] * 30 + [_with_eyes(neutral, s) for s in shares] + [neutral] * 30


def test_a_half_second_look_down_at_15_fps_is_no_blink(neutral):
    visit = _visit(neutral, GLANCE)
    times = [k / 15.0 for k in range(len(visit))]
    ordinary = _with_eyes(neutral, 0.92)  # a look a little below rest
    live = DriverReference(neutral)
    for face, at in zip(visit, times, strict=True):
        live.settle_eyes(face, at)
    film = DriverReference(neutral)
    film.settle_eyes_over(visit, times)
    before = DriverReference(neutral)  # seen before calibration, as the countdown shows
    before.learn_blinks([before.openness] * 30 + [tuple(s * o for o in before.openness) for s in GLANCE], times[:41])
    before.settle_eyes(neutral, times[41])
    for frame in range(42, 60):
        before.settle_eyes(neutral, times[frame])
    for reference in (live, film, before):
        assert reference.closed == DriverReference(neutral).closed
        assert min(reference.motion(ordinary).eye_open) > 0.75, reference.closed


def test_a_blink_at_15_fps_still_sets_the_closed_level(neutral):
    """A quick blink at 15 fps is read closed in one frame, half way on one either side."""
    visit = _visit(neutral, (0.8, 0.55, 0.8))
    times = [k / 15.0 for k in range(len(visit))]
    live = DriverReference(neutral)
    for face, at in zip(visit, times, strict=True):
        live.settle_eyes(face, at)
    film = DriverReference(neutral)
    film.settle_eyes_over(visit, times)
    for reference in (live, film):
        assert max(reference.motion(visit[31]).eye_open) < 0.05, reference.closed  # the blink closes


def test_at_30_fps_dated_or_not_the_blinks_read_as_before():
    """The frame-counted rule's results at 30 fps, dated or not (a clock that jitters a
    millisecond included): the same dips found, the same none."""
    rng = np.random.default_rng(7)
    for _ in range(200):
        n = int(rng.integers(19, 80))
        openings = np.round(rng.uniform(0.15, 0.45, (n, 2)), 1)
        rest = rng.uniform(0.25, 0.45, 2)
        times = np.arange(n) / 30.0 + rng.uniform(-5e-4, 5e-4, n)
        assert np.array_equal(deepest_blink(openings, rest), deepest_blink(openings, rest, times))
        assert np.array_equal(deepest_blink(openings, rest), _frame_counted(openings, rest))


def _frame_counted(openings: np.ndarray, rest: np.ndarray, reach: int = 9) -> np.ndarray:
    """The rule as frames counted it: a one-frame dip, the eye opened again by half the way
    back to rest within `reach` frames on both sides."""
    found = np.full(2, np.inf)
    for j in range(reach, len(openings) - reach):
        low = openings[j]
        needed = low + 0.5 * np.maximum(rest - low, 0.0)
        dip = (openings[j - reach:j].max(0) >= needed) & (openings[j + 1:j + 1 + reach].max(0) >= needed) & (low < rest)
        found = np.where(dip, np.minimum(found, low), found)
    return found


def test_the_live_show_at_15_fps_keeps_a_look_down_and_back_from_its_closed_level(stack, sitter, neutral,
                                                                                  monkeypatch):
    """As the live scene feeds it (the animator worker, the camera's frame times at 15 fps):
    a glance down through the countdown and another live leave the lids open at a look a
    little below rest."""
    monkeypatch.setattr(live_visit, "FPS", 15.0)
    visit = live_visit.Visit(MeshAnimator(sitter, stack))
    visit.show(_visit(neutral, GLANCE))
    visit.calibrate(neutral)
    visit.show(_visit(neutral, GLANCE))
    ordinary = visit.show([_with_eyes(neutral, 0.92)] * 3)
    assert min(min(e) for e in ordinary) > 0.75, ordinary
    assert visit.animator.reference.closed == DriverReference(neutral).closed
