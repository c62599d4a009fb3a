"""The portrait scene's render loop only wraps each new result: the animator's worker cuts
and resizes it to the portrait's box (at 4K, doing that on the render loop cost it up to
tens of milliseconds per result, a stall a visitor sees as a jerk)."""

from __future__ import annotations

import threading
import time

import cv2
import numpy as np
import pygame
import pytest

import installation.scenes.portrait as portrait_mod  # noqa: F401  (registers the kind)
from installation.harness import run_test
from installation.imaging import fit_rgb
from installation.models.motion.animator_worker import AnimatorWorker, Showing

from .conftest import write_show

SCENE = """
    type = "portrait"
    id = "p"
    duration = 600
    """
NO_CAMERA = '\n[camera]\nfile = "no-such-camera.mp4"\n'


def _resizes(monkeypatch) -> list[tuple[str, bool]]:
    """Each cv2.resize from now on, as (thread name, whether the scene was drawing)."""
    calls: list[tuple[str, bool]] = []
    drawing = threading.local()
    resize = cv2.resize

    def counted(*args, **kwargs):
        calls.append((threading.current_thread().name, getattr(drawing, "on", False)))
        return resize(*args, **kwargs)

    monkeypatch.setattr(cv2, "resize", counted)
    return calls, drawing


def test_each_new_portrait_reaches_the_screen_resized_by_the_worker_and_looks_as_before(tmp_path, monkeypatch):
    for size in ((1920, 1080), (1080, 1920)):
        path = write_show(tmp_path / f"{size[0]}x{size[1]}", {"p": SCENE}, extra=NO_CAMERA, size=size)
        with run_test(path, fps=10, services={"synchronous_models": True}) as pilot:
            pilot.advance(0.5)
            scene = pilot.engine.sequencer.current.scene
            calls = _resizes_while_drawing(monkeypatch, pilot)
            shown = []
            for _ in range(5):
                pilot.step()
                shown.append(scene.worker.latest())
            # A new result every frame (the sitter breathes), none resized while drawing.
            assert len({id(r) for r in shown}) == 5
            assert [c for c in calls if c[1]] == [], f"{size}: the render loop resized a result"
            assert calls, "nobody resized the results"
            # What is drawn is the worker's array itself, at the box's size, without a copy...
            r = shown[-1]
            assert r.shown is not None and scene._surface_pixels is r.shown.portrait
            assert scene._surface.get_size() == r.shown.showing.size
            area, _ = scene._layout(*size)
            assert max(r.shown.showing.size[0] - area.width, r.shown.showing.size[1] - area.height) < 0
            # ...and it is the portrait's shown part at that size, as the render loop made it.
            x0, y0, x1, y1 = scene._view_box(r.image.shape, pygame.Rect((0, 0), r.shown.showing.size))
            assert r.shown.showing.crop == (x0, y0, x1, y1) or r.shown.showing.crop is None
            view = scene._view(r.image, pygame.Rect((0, 0), r.shown.showing.size))
            expected = fit_rgb(view, r.shown.showing.size)
            on_screen = pygame.surfarray.array3d(scene._surface).swapaxes(0, 1)
            assert np.array_equal(on_screen, expected)
        monkeypatch.undo()


def _resizes_while_drawing(monkeypatch, pilot) -> list[tuple[str, bool]]:
    """As _resizes, with the show's draw marked: (thread name, whether the scene was drawing)."""
    calls, drawing = _resizes(monkeypatch)
    draw = pilot.engine.sequencer.draw

    def watched(surface):
        drawing.on = True
        try:
            draw(surface)
        finally:
            drawing.on = False

    monkeypatch.setattr(pilot.engine.sequencer, "draw", watched)
    return calls


class _StillAnimator:
    """Stands in for a portrait animator: an idle portrait that changes every frame."""

    def __init__(self) -> None:
        self.portrait = np.zeros((90, 60, 3), np.uint8)
        self.n = 0

    def idle(self, t: float) -> np.ndarray:
        self.n += 1
        return np.full((90, 60, 3), self.n % 256, np.uint8)

    def end_visit(self) -> None:
        pass


def test_the_worker_thread_hands_over_results_at_the_size_the_scene_shows_them(monkeypatch):
    calls, _ = _resizes(monkeypatch)
    worker = AnimatorWorker(_StillAnimator(), None, idle_fps=100.0).start()
    try:
        worker.showing = Showing((90, 60, 3), (10, 20, 50, 80), (80, 120))
        deadline = time.monotonic() + 5.0
        while time.monotonic() < deadline:
            r = worker.latest()
            if r is not None and r.shown is not None:
                break
            time.sleep(0.01)
        assert r.shown is not None and r.shown.portrait.shape == (120, 80, 3)
        assert r.shown.portrait.flags.c_contiguous and np.all(r.shown.portrait == r.image[0, 0, 0])
        assert {name for name, _ in calls} == {"bayard-animator"}
        # A result of another shape (another backend's) is left for the scene to fit.
        worker.showing = Showing((100, 60, 3), None, (80, 120))
        first = worker.latest()
        while time.monotonic() < deadline and worker.latest() is first:
            time.sleep(0.01)
        time.sleep(0.05)
        assert worker.latest().shown is None
    finally:
        worker.stop()


@pytest.mark.injects_faults
def test_a_failure_fitting_a_result_for_the_screen_leaves_the_still_portrait_showing(monkeypatch):
    # Were the fitting itself to fail, the still portrait published after the failure must not
    # go through it again: that second failure escaped the boundary and ended the worker.
    import installation.models.motion.animator_worker as worker_mod

    def broken_fit(image, size):
        raise ValueError("fitting broke")

    monkeypatch.setattr(worker_mod, "fit_rgb", broken_fit)
    worker = AnimatorWorker(_StillAnimator(), None, idle_fps=100.0)
    worker.showing = Showing((90, 60, 3), None, (80, 120))
    worker.poll(block=False)
    worker.poll(block=False)
    r = worker.latest()
    assert r is not None and r.shown is None and r.image is worker.animator.portrait
    assert worker.error is not None and "fitting broke" in worker.error


@pytest.mark.shared_data
def test_the_visitors_mirror_comes_resized_by_the_worker_too(tmp_path, monkeypatch, shared_data):
    from .test_portrait_scene import SCENE as QUICK_VISIT
    from .test_portrait_scene import VideoCamera, _face_frames

    path = write_show(tmp_path, {"p": QUICK_VISIT}, size=(1920, 1080))
    camera = VideoCamera(_face_frames(shared_data, 40))
    with run_test(path, fps=10, services={"synchronous_models": True, "camera": camera}) as pilot:
        scene = pilot.engine.sequencer.current.scene
        for _ in range(80):
            pilot.step()
            if scene.state in ("framing", "countdown", "live") and scene._thumb is not None:
                break
        calls = _resizes_while_drawing(monkeypatch, pilot)
        for _ in range(3):
            pilot.step()
        r = scene.worker.latest()
        assert scene.state in ("framing", "countdown", "live")
        assert [c for c in calls if c[1]] == []
        # The mirror drawn is the worker's, made from the camera picture that drove this result.
        assert r.shown.mirror is not None and scene._thumb_pixels is r.shown.mirror
        assert scene._thumb.get_size() == r.shown.showing.mirror_size
