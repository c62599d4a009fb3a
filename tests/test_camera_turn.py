"""A camera mounted turned: `[camera] rotation` turns its frames back upright, and the
portrait scene tells the technician which rotation to set when visitors' faces keep
appearing turned."""

from __future__ import annotations

import time

import cv2
import numpy as np
import pytest

import installation.scenes.portrait as portrait_mod  # noqa: F401  (registers the kind)
from installation.harness import run_test
from installation.inputs.camera import Camera
from installation.models.face.orientation import TURN_SAMPLES, TurnWatch

from .conftest import write_show
from .test_portrait_scene import SCENE, VideoCamera, _face_frames


def _marked_video(path, size=(64, 48), frames=6):
    """A video whose top-left corner is bright: where it ends up says how a frame turned."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 24.0, size)
    for _ in range(frames):
        image = np.zeros((size[1], size[0], 3), np.uint8)
        image[:12, :16] = 255
        writer.write(image)
    writer.release()
    return path


def _first_frame(camera: Camera):
    end = time.monotonic() + 5.0
    while time.monotonic() < end:
        frame = camera.latest()
        if frame is not None:
            return frame.image
        time.sleep(0.01)
    raise AssertionError(f"no frame: {camera.status()}")


def _bright_corner(image: np.ndarray) -> tuple[str, str]:
    h, w = image.shape[:2]
    ys, xs = np.nonzero(image[..., 0] > 128)
    return ("top" if ys.mean() < h / 2 else "bottom"), ("left" if xs.mean() < w / 2 else "right")


@pytest.mark.parametrize("rotation, shape, corner", [
    (0, (48, 64), ("top", "left")),
    # The picture is turned 90 degrees clockwise (the world's top is on its right): turned
    # back, the picture's top-left corner is the bottom-left.
    (90, (64, 48), ("bottom", "left")),
    (180, (48, 64), ("bottom", "right")),
    (270, (64, 48), ("top", "right")),
])
def test_frames_are_turned_back_upright(tmp_path, rotation, shape, corner):
    path = _marked_video(tmp_path / "v.avi")
    with Camera(path, rotation=rotation) as camera:
        image = _first_frame(camera)
    assert image.shape[:2] == shape
    assert _bright_corner(image) == corner


def test_a_rotation_that_is_not_a_quarter_turn_is_refused_by_check(tmp_path, capsys):
    from installation.cli import main

    path = write_show(tmp_path, {"p": SCENE}, extra="\n[camera]\nrotation = 45\n")
    assert main(["check", "--show", str(path)]) == 2
    said = capsys.readouterr()
    out = said.out + said.err
    assert "install.toml:" in out and "camera.rotation: input should be 0, 90, 180 or 270; found 45" in out


@pytest.mark.parametrize("rolls, turned", [
    ([178.0, -179.0, 176.0, -175.0], 180),
    ([88.0, 95.0, 91.0], 90),
    ([-92.0, -85.0], 270),
    ([-25.0, 30.0, 5.0, -12.0], 0),  # tilted heads are not a turned camera
    ([180.0, 0.0], 0),  # half and half: no agreement
])
def test_the_turn_watch_needs_seconds_of_agreeing_faces(rolls, turned):
    watch = TurnWatch()
    for i in range(TURN_SAMPLES - 1):
        watch.see(rolls[i % len(rolls)])
    assert watch.turned == 0  # not on a moment's evidence
    watch.see(rolls[(TURN_SAMPLES - 1) % len(rolls)])
    assert watch.turned == turned


def test_a_broken_reading_is_ignored_by_the_turn_watch():
    watch = TurnWatch()
    for _ in range(TURN_SAMPLES):
        watch.see(180.0)
        watch.see(float("nan"))  # a collapsed mesh: no exception in the worker, no vote
    assert watch.turned == 180


@pytest.mark.shared_data
def test_visitors_seen_upside_down_get_the_portrait_and_the_technician_is_told(tmp_path, shared_data):
    frames = [np.ascontiguousarray(f[::-1, ::-1]) for f in _face_frames(shared_data)]
    camera = VideoCamera(frames)
    path = write_show(tmp_path, {"p": SCENE}, size=(640, 360))
    with run_test(path, fps=10, services={"synchronous_models": True, "camera": camera}) as pilot:
        scene = pilot.engine.sequencer.current.scene
        states = []
        for _ in range(60):
            pilot.step()
            states.append(scene.state)
        assert "live" in states, " ".join(states)  # the visit works upside down
        for _ in range(TURN_SAMPLES):
            pilot.step()
        told = [e["message"] for e in pilot.engine.errors if "camera" in e["message"]]
        assert len(told) == 1 and "upside down" in told[0] and "rotation = 180" in told[0], told
        # Advice, not a failure: the show plays as meant.
        assert [e["severity"] for e in pilot.engine.errors if "camera" in e["message"]] == ["warning"]
        assert scene.status()["faces_turned"] == 180  # for /bayard/status too


@pytest.mark.shared_data
def test_visitors_seen_upright_raise_no_turn_advice(tmp_path, shared_data):
    camera = VideoCamera(_face_frames(shared_data))
    path = write_show(tmp_path, {"p": SCENE}, size=(640, 360))
    with run_test(path, fps=10, services={"synchronous_models": True, "camera": camera}) as pilot:
        scene = pilot.engine.sequencer.current.scene
        for _ in range(60 + TURN_SAMPLES):
            pilot.step()
        assert scene.status()["faces_turned"] == 0
        assert not [e for e in pilot.engine.errors if "rotation" in e["message"]]


@pytest.mark.parametrize("mirrored, bright_side", [(False, "right"), (True, "left")])
def test_a_camera_that_already_mirrors_is_not_flipped_back(tmp_path, mirrored, bright_side):
    """Visitors expect a looking-glass. Some webcams' drivers mirror their picture already;
    flipped again by the show, a visitor's raised right hand moved on the screen's left and
    the portrait answered like someone facing them. `[camera] mirrored = true` says so."""
    image = np.zeros((48, 64, 3), np.uint8)
    image[:, :16] = 255  # something on the left of the camera's picture
    camera = VideoCamera([image])
    extra = f"\n[camera]\nmirrored = {'true' if mirrored else 'false'}\n"
    path = write_show(tmp_path, {"p": SCENE}, extra=extra)
    with run_test(path, fps=10, services={"synchronous_models": True, "camera": camera}) as pilot:
        scene = pilot.engine.sequencer.current.scene
        for _ in range(5):
            pilot.step()
        seen = scene.worker.last_frame.image
        assert _bright_corner(seen)[1] == bright_side
        assert image[:, :16].min() == 255  # the camera's own frame is not modified
