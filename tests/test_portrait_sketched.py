"""A line drawing's face, its lines softened into tone for the mesh (issue 10: pencil sketches
and pen outlines were refused or fitted with the eyes on a line beside them; sketched.py).

The truth is the sound fit of the sitter's photograph, scaled as the drawing is.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from installation.imaging import read_rgb
from installation.models.face import portrait_faces
from installation.models.face.settle import LEFT_EYE, RIGHT_EYE
from installation.models.motion.mesh import find_portrait_face

FACES = Path(__file__).parent / "data" / "faces-cc0"


def _eyes(landmarks: np.ndarray) -> np.ndarray:
    points = np.asarray(landmarks)[:, :2]
    return np.array([points[list(LEFT_EYE)].mean(0), points[list(RIGHT_EYE)].mean(0)])


def _line_drawing(rgb: np.ndarray) -> np.ndarray:
    """A pencil drawing with little shading: the photograph's edges as grey lines on white
    paper (a colour dodge of the grey by its blurred negative), its faint tones pushed to paper."""
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)
    negative = cv2.GaussianBlur(255 - grey, (0, 0), 3)
    dodged = np.clip(grey / np.maximum(255 - negative, 1), 0, 1)
    paper = np.array([250, 250, 247], np.float32)
    return np.clip(dodged[..., None] ** 3 * paper, 0, 255).astype(np.uint8)


def test_a_line_drawing_is_fitted_on_its_own_eyes(stack):
    photograph = read_rgb(FACES / "face_man_139.jpg", max_side=900)
    sound = portrait_faces(photograph, stack)[0]
    scale = 120 / sound.height  # a face 120 px tall
    drawing = _line_drawing(cv2.resize(photograph, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA))
    truth = _eyes(sound.landmarks) * scale
    face = find_portrait_face(drawing, stack)
    # (before: the worse eye 0.14 eye spacings off, on the lid's line above it)
    off = np.linalg.norm(_eyes(face.landmarks) - truth, axis=1).max()
    assert off < 0.1 * np.linalg.norm(truth[1] - truth[0])


def test_a_pencil_sketch_on_toned_paper_that_showed_no_face_is_found_on_its_eyes(stack, shared_data):
    # OpenCV's pencil sketch of the 1904 photograph, face 260 px tall, on blue-grey paper: the
    # detector saw the face and the mesh refused it (log-odds -4); softened it is sure of it.
    photograph = read_rgb(shared_data / "portrait-photo-1904.jpg", max_side=900)
    sound = portrait_faces(photograph, stack)[0]
    scale = 260 / sound.height
    sized = cv2.resize(photograph, None, fx=scale, fy=scale,
                       interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
    grey, _ = cv2.pencilSketch(cv2.cvtColor(sized, cv2.COLOR_RGB2BGR), sigma_s=60, sigma_r=0.07, shade_factor=0.03)
    sketch = (grey[..., None].astype(np.float32) / 255 * np.array([196, 204, 208], np.float32)).astype(np.uint8)
    truth = _eyes(sound.landmarks) * scale
    face = find_portrait_face(sketch, stack)  # (before: "no face found")
    off = np.linalg.norm(_eyes(face.landmarks) - truth, axis=1).max()
    assert off < 0.1 * np.linalg.norm(truth[1] - truth[0])


def _drawn_face_and_detection(stack):
    """The sitter's line drawing 120 px tall, and the face the picture itself gives the mesh
    (which doubts it; softened, the mesh is sure of it and moves its eyes off the lids' line)."""
    from installation.models.face import _faces_in, as_rgb

    photograph = read_rgb(FACES / "face_man_139.jpg", max_side=900)
    scale = 120 / portrait_faces(photograph, stack)[0].height
    drawing = as_rgb(_line_drawing(cv2.resize(photograph, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)))
    return drawing, _faces_in(drawing, stack)[0]


# The softened look's presence is its own (about 1.0), so where a drawing's fit came from it
# `check` and `portrait inspect` said nothing of the mesh's doubt of the drawing itself, nor that
# its two looks put the eyes 0.14 of their spacing apart: the curator is told.
def test_inspect_and_check_say_a_drawings_face_was_found_only_softened(tmp_path, capsys, stack):
    from tests.conftest import inspect_and_check

    drawing, plain = _drawn_face_and_detection(stack)
    inspected, checked = inspect_and_check(tmp_path, capsys, "sketch.png", cv2.cvtColor(drawing, cv2.COLOR_RGB2BGR))
    doubt = f"{plain.presence:.0%} sure"
    assert "strokes softened" in inspected and doubt in inspected
    assert "'sketch.png': the face was found" in checked and doubt in checked


def test_a_softened_fit_whose_eyes_a_lighter_softening_moves_is_a_warning(stack):
    from dataclasses import replace

    from installation.models.face.faces import SoftenedLook
    from installation.models.face.unsure import softened_doubt, softened_note

    drawing, _ = _drawn_face_and_detection(stack)
    face = find_portrait_face(drawing, stack)
    steady = replace(face, softened=SoftenedLook(plain_presence=0.55, eyes_apart=0.3, lighter_apart=0.03))
    unsteady = replace(face, softened=SoftenedLook(plain_presence=0.55, eyes_apart=0.03, lighter_apart=0.3))
    assert softened_doubt(steady) is None and "55% sure" in softened_note(steady)
    assert "0.30 of their spacing" in softened_doubt(unsteady) and softened_note(unsteady) is None


def test_a_softened_fit_on_the_drawings_eyes_is_not_warned_of(tmp_path, capsys, stack):
    """The softened fit of the sitter's line drawing lies on its eyes (0.02 eye spacings from
    the photograph's fit); the drawing's own look put them on the lids' line (0.15 off), and
    as the two looks lay 0.14 apart the curator was warned, as on 11 of 39 right softened fits
    of made drawings: warned for nothing, she learns to ignore the warning. A look softened half
    as much keeps the eyes where the softened fit has them: a note, no warning."""
    from tests.conftest import inspect_and_check

    drawing, _ = _drawn_face_and_detection(stack)
    photograph = read_rgb(FACES / "face_man_139.jpg", max_side=900)
    sitter = portrait_faces(photograph, stack)[0]
    truth = _eyes(sitter.landmarks) * 120 / sitter.height
    face = find_portrait_face(drawing, stack)
    assert np.linalg.norm(_eyes(face.landmarks) - truth, axis=1).max() < 0.1 * np.linalg.norm(truth[1] - truth[0])
    inspected, checked = inspect_and_check(tmp_path, capsys, "sketch.png", cv2.cvtColor(drawing, cv2.COLOR_RGB2BGR))
    for said in (inspected, checked):
        assert "strokes softened" in said
        assert "beside the eyes, where the eyelids would close" not in said  # old: warned


class _WalkingOff:
    """The mesh, whose softened looks after the first land one face width to the side (as a
    settle on a drawing can walk onto a neighbouring face or a fold in the paper)."""

    def __init__(self, mesh, first_region):
        self.mesh, self.first_region = mesh, first_region

    def run_logit(self, image, region, even=None):
        landmarks, logit = self.mesh.run_logit(image, region, even=even)
        if even is not None and region != self.first_region:
            landmarks = landmarks + np.array([region.width / 1.5, 0.0, 0.0], np.float32)
        return landmarks, logit


def test_a_softened_refit_that_walks_off_its_detection_is_not_taken(monkeypatch, stack):
    from installation.models.face.sketched import refitted_softened
    from installation.models.face.stack import fits_detection

    drawing, plain = _drawn_face_and_detection(stack)
    assert refitted_softened(drawing, plain, stack).presence > plain.presence  # the softened look is taken here
    monkeypatch.setattr(stack, "_mesh", _WalkingOff(stack.mesh_model, plain.region))
    face = refitted_softened(drawing, plain, stack)
    assert fits_detection(face, plain.detection)
    assert face is plain  # kept as found, as found_softened keeps only its detection's face


def test_two_faces_refitted_onto_one_are_one_face(monkeypatch, stack):
    import installation.models.face as face_room

    drawing, _ = _drawn_face_and_detection(stack)
    pair = np.concatenate([drawing, drawing], axis=1)  # the drawing twice, side by side
    found = face_room._faces_in(pair, stack)
    assert len(found) == 2
    left = min(found, key=lambda f: f.centre[0])
    refit = face_room.refitted_softened
    # Each face's refit settling onto the left drawing (as two detections of one drawn face can).
    monkeypatch.setattr(face_room, "refitted_softened", lambda rgb, face, stack: refit(rgb, left, stack))
    assert len(portrait_faces(pair, stack)) == 1  # not two faces of one size, which refuses the picture


def test_the_show_logs_a_softened_fit_a_lighter_softening_moves_as_it_loads(tmp_path, caplog, stack, monkeypatch):
    import installation.scenes.portrait  # noqa: F401  (registers the kind)
    from installation.harness import run_test
    from installation.models.face import sketched
    from tests.conftest import write_show

    drawing, _ = _drawn_face_and_detection(stack)
    # The lighter look sees the drawing a tenth of the crop to the side, so puts the eyes there
    # (as on a drawing whose softened fit the blur smeared onto a lid's line).
    # (and the drawing not taken from the fits found once per picture, as earlier tests found it)
    from collections import OrderedDict

    from installation.models.motion.mesh import portrait_face

    lighter = sketched._lighter
    monkeypatch.setattr(sketched, "_lighter", lambda crop: np.roll(lighter(crop), crop.shape[1] // 10, axis=1))
    monkeypatch.setattr(portrait_face, "_FOUND", OrderedDict())
    path = write_show(tmp_path, {"p": """
        type = "portrait"
        id = "p"
        [[portraits]]
        image = "sketch.png"
        title = "Sketch"
        """}, extra='\n[camera]\nfile = "none.mp4"\n', size=(640, 360))
    cv2.imwrite(str(tmp_path / "content" / "sketch.png"), cv2.cvtColor(drawing, cv2.COLOR_RGB2BGR))
    with caplog.at_level("WARNING"), run_test(path, fps=10, services={"synchronous_models": True}) as pilot:
        pilot.advance(0.3)
        assert [entry.title for entry in pilot.engine.sequencer.current.scene.entries] == ["Sketch"]
    said = [r.getMessage() for r in caplog.records if "strokes softened" in r.getMessage()]
    assert said and said[0].startswith("sketch.png: ") and "of their spacing" in said[0]
