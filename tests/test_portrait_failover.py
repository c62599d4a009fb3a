"""A motion backend that fails on every frame mid-show (a GPU lost: its CUDA context stays
broken until the process restarts) gives way to the next one, and the technician is told."""

from __future__ import annotations

import numpy as np
import pygame
import pytest

import installation.scenes.portrait as portrait_mod  # noqa: F401  (registers the kind)
from installation.harness import run_test
from installation.models.motion.base import MOTION_BACKENDS, Availability, MotionBackend
from installation.models.motion.choose import choose_backend, forget_failures

from .conftest import overlay_text, write_show

SCENE = """
    type = "portrait"
    id = "p"
    duration = 600
    backend = "lost-gpu"
    """
NO_CAMERA = '\n[camera]\nfile = "no-such-camera.mp4"\n'  # attract mode: the idle motion runs the backend


class LostGpu(MotionBackend):
    """Loads, then fails on every frame, as FOMM does once its GPU is lost."""

    name = "lost-gpu"

    @classmethod
    def availability(cls, models_dir):
        return Availability(True, "a test GPU")

    def set_source(self, source):
        pass

    def calibrate(self, driver):
        pass

    def animate(self, driver):
        raise RuntimeError("CUDA error: an illegal memory access was encountered")

    def status(self):
        return {"device": "cuda:0"}


class Flaky(LostGpu):
    """Fails on every third frame only (an odd input the model trips on now and then)."""

    name = "flaky"
    calls = 0

    def animate(self, driver):
        Flaky.calls += 1
        if Flaky.calls % 3 == 0:
            raise FloatingPointError("an odd frame")
        return driver


class OutOfMemory(LostGpu):
    """Cannot even start: another program holds the GPU's memory."""

    name = "oom"

    def set_source(self, source):
        raise RuntimeError("CUDA out of memory. Tried to allocate 20.00 MiB")


class NoSuchGpu(LostGpu):
    """Asked for a GPU this machine does not have (the device chooser's ValueError)."""

    name = "no-such-gpu"

    def set_source(self, source):
        raise ValueError("BAYARD_DEVICE=cuda:3: this machine has 1 CUDA device(s)")


@pytest.fixture
def lost_gpu():
    kinds = (("lost-gpu", LostGpu), ("flaky", Flaky), ("oom", OutOfMemory), ("no-such-gpu", NoSuchGpu))
    for name, kind in kinds:
        if name not in MOTION_BACKENDS:
            MOTION_BACKENDS.register(name)(kind)
    forget_failures()
    yield
    forget_failures()


def _array(surface: pygame.Surface) -> np.ndarray:
    return pygame.surfarray.array3d(surface).astype(int)


@pytest.mark.injects_faults
def test_a_backend_failing_on_every_frame_gives_way_and_the_portrait_moves_again(tmp_path, lost_gpu):
    path = write_show(tmp_path, {"p": SCENE}, extra=NO_CAMERA, size=(640, 360))
    with run_test(path, fps=10, services={"synchronous_models": True}) as pilot:
        pilot.advance(1.0)
        scene = pilot.engine.sequencer.current.scene
        assert scene.backend_name == "lost-gpu" and "illegal memory access" in scene.worker.error
        assert scene.status()["backend_status"] == {"device": "cuda:0"}  # the backend's own report
        still = [_array(pilot.advance(0.5)) for _ in range(2)]
        assert np.abs(still[0] - still[1]).max() == 0  # the still portrait, while it fails
        pilot.advance(3.0)
        assert scene.backend_name == "mesh", scene.status()
        assert scene.status()["backend_status"] is None  # the mesh's report is its choice reason
        a, b = _array(pilot.advance(1.0)), _array(pilot.advance(1.3))
        assert np.abs(a - b).max() > 10  # it moves again
        told = [e["message"] for e in pilot.engine.errors if "lost-gpu motion backend failed" in e["message"]]
        assert told and "illegal memory access" in told[0] and "moves with mesh" in told[0]
        models = pilot.engine.status()["models"]  # what a technician's monitoring reads
        assert "illegal memory access" in models["failed_backends"]["lost-gpu"]
        drawn = overlay_text(pilot)  # and the operator overlay, while it lasts
        assert any("Motion backend lost-gpu LOST mid-show" in line for line in drawn), drawn
    # Passed over until the show restarts, with the reason, wherever the choice is made.
    again = choose_backend(tmp_path / "models", "lost-gpu")
    assert again.name == "mesh" and "failed while the show ran" in again.reasons["lost-gpu"].reason


@pytest.mark.injects_faults
def test_with_no_other_backend_the_portrait_stays_still_without_rebuilding(tmp_path, lost_gpu, monkeypatch):
    from installation.models.motion import choose

    monkeypatch.setattr(choose, "PREFERENCE", ("lost-gpu",))
    monkeypatch.setattr(choose, "choose_backend",
                        lambda models_dir, requested=None: choose.Choice("lost-gpu", {}))
    path = write_show(tmp_path, {"p": SCENE}, extra=NO_CAMERA, size=(640, 360))
    with run_test(path, fps=10, services={"synchronous_models": True}) as pilot:
        pilot.advance(1.0)
        scene = pilot.engine.sequencer.current.scene
        worker = scene.worker
        pilot.advance(8.0)
        assert scene.worker is worker and scene.backend_name == "lost-gpu"  # no rebuild every 3 s


@pytest.mark.injects_faults
def test_an_odd_frame_leaves_the_last_good_one_on_screen_not_the_still_portrait(tmp_path, lost_gpu):
    path = write_show(tmp_path, {"p": SCENE.replace("lost-gpu", "flaky")}, extra=NO_CAMERA, size=(640, 360))
    with run_test(path, fps=10, services={"synchronous_models": True}) as pilot:
        pilot.advance(0.5)
        scene = pilot.engine.sequencer.current.scene
        still = scene.worker.animator.portrait
        shown = []
        for _ in range(30):
            pilot.step()
            shown.append(scene.worker.latest().image)
        assert Flaky.calls >= 30 and scene.worker.error  # it did fail, a third of the time
        assert not any(np.array_equal(image, still) for image in shown)  # never snapped back to rest
        assert scene.backend_name == "flaky"  # and an intermittent fault is no reason to give it up


@pytest.mark.parametrize("backend, why", [("oom", "CUDA out of memory"),
                                          ("no-such-gpu", "this machine has 1 CUDA device")])
def test_a_backend_that_cannot_start_gives_way_at_once(tmp_path, lost_gpu, backend, why):
    path = write_show(tmp_path, {"p": SCENE.replace("lost-gpu", backend)}, extra=NO_CAMERA, size=(640, 360))
    with run_test(path, fps=10, services={"synchronous_models": True}) as pilot:
        a = _array(pilot.advance(1.0))
        scene = pilot.engine.sequencer.current.scene
        assert scene.backend_name == "mesh" and scene.worker is not None and not scene.problem
        assert np.abs(a - _array(pilot.advance(1.3))).max() > 10  # the portrait moves
        said = [e["message"] for e in pilot.engine.errors]
        told = [m for m in said if f"{backend} motion backend could not start" in m]
        assert told and why in told[0] and "moves with mesh" in told[0]


def test_on_a_live_show_the_next_backend_is_built_off_the_render_thread(lost_gpu):
    """Building the mesh takes up to a second: a live show builds it on a helper thread and
    swaps it in on the main thread, drawing the still portrait meanwhile."""
    import threading
    import time

    from installation.scenes.portrait_backend import BackendChoice

    built_on, switched = [], []

    class Scene(BackendChoice):
        synchronous = False
        backend_name, index = "lost-gpu", 0
        _backend_choice, _ready, _no_other_backend, _replacing = None, None, False, None

        def __init__(self):
            self.worker = type("Worker", (), {"error": "RuntimeError: CUDA error", "failing_since": 0.0})()
            self.log = type("Log", (), {"error": lambda *a: None})()
            self.context = type("Context", (), {"report": lambda *a, **k: None})()

        def _choice(self):  # the next backend that can run
            return type("Choice", (), {"name": "mesh"})()

        def _make_animator(self, index):
            built_on.append(threading.current_thread())
            time.sleep(0.2)  # as the mesh takes its time
            return "mesh choice", "mesh animator"

        def _switch_to(self, index):
            switched.append(self._ready)

    scene = Scene()
    scene._fail_over()
    assert not scene._replaced() and not switched  # still building: the still portrait stays
    deadline = time.monotonic() + 5
    while not scene._replaced() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert built_on and built_on[0] is not threading.main_thread()
    assert switched == [(0, ("mesh choice", "mesh animator"))]
