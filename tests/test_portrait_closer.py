"""A small face in a large picture is fitted as the face it is (issue 10: bad fits).

An audit found the mesh fitted to the wrong shape on a child's face in a full-length
portrait (its lips on the lace collar, its chin in the coat): the detector, seeing the
whole picture at 128 px, gave a box twice the face. Every visitor's open mouth then
painted a hole in the collar. A closer look (closer.py) fits the face again; a fit no
closer look can confirm is refused with the reason and the fix.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from installation.imaging import read_rgb
from installation.models.face import Face, Region, portrait_faces
from installation.models.face.closer import FITS_DETECTION, unconfirmed
from installation.models.face.detect import Detection
from installation.models.motion.mesh import PortraitProblem, find_portrait_face

FACES = Path(__file__).parent / "data" / "faces-cc0"
# CC0 faces whose fit, in a canvas three times their size, was 1.22-1.39 times too tall
# before the closer look (the mouth on the chin, the chin below it).
MISFITTED_WHEN_FRAMED = ("face_woman_122.jpg", "face_woman_15.jpg", "face_woman_17.jpg", "face_woman_39.jpg",
                         "face_woman_4.jpg")
NOT_FITTED = "the face mesh does not fit the face"


def _framed(image: np.ndarray, times: int = 3) -> tuple[np.ndarray, tuple[int, int], float]:
    """The picture in the middle of a canvas `times` its size, of its own median colour,
    scaled to 900 px as the show reads it: a full-length portrait's small face. Returns the
    picture, where the original's corner lies and the scale."""
    h, w = image.shape[:2]
    canvas = np.empty((h * times, w * times, 3), np.uint8)
    canvas[:] = np.median(image.reshape(-1, 3), axis=0).astype(np.uint8)
    x0, y0 = (w * times - w) // 2, (h * times - h) // 2
    canvas[y0:y0 + h, x0:x0 + w] = image
    scale = 900 / max(canvas.shape[:2])
    return cv2.resize(canvas, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA), (x0, y0), scale


@pytest.mark.parametrize("name", MISFITTED_WHEN_FRAMED)
def test_a_small_face_in_a_large_canvas_is_fitted_as_the_face_alone(stack, name):
    image = read_rgb(FACES / name, max_side=900)
    own = find_portrait_face(image, stack)  # the face fitted where it fills the picture
    framed, corner, scale = _framed(image)
    truth = (own.landmarks[:, :2] + corner) * scale
    truth_height = float(np.linalg.norm(truth[10] - truth[152]))
    assert truth_height >= 64  # large enough to animate: the show accepts it either way

    face = find_portrait_face(framed, stack)
    found = face.landmarks[:, :2]
    assert face.height / truth_height == pytest.approx(1.0, abs=0.12)
    mouth = np.linalg.norm((found[13] + found[14]) / 2 - (truth[13] + truth[14]) / 2) / truth_height
    chin = np.linalg.norm(found[152] - truth[152]) / truth_height
    eyes = np.linalg.norm(found[[33, 263]] - truth[[33, 263]], axis=1).max() / truth_height
    assert mouth < 0.1 and chin < 0.12 and eyes < 0.1, (mouth, chin, eyes)


def test_a_face_that_fills_its_picture_keeps_the_fit_it_had(stack, sitter):
    """The closer look changes nothing where the first look was sound: the same mesh, point
    for point (a portrait's motion is measured on it)."""
    first = stack.faces(sitter)[0]
    assert np.array_equal(portrait_faces(sitter, stack)[0].landmarks, first.landmarks)


def _face(height: float, centre=(200.0, 200.0)) -> Face:
    """A mesh `height` tall (forehead to chin) about `centre`, its points on an oval."""
    angle = np.linspace(0, 2 * np.pi, 468, endpoint=False)
    points = np.stack([centre[0] + 0.4 * height * np.sin(angle), centre[1] - 0.5 * height * np.cos(angle),
                       np.zeros(468)], axis=1).astype(np.float32)
    points[10, :2] = centre[0], centre[1] - height / 2
    points[152, :2] = centre[0], centre[1] + height / 2
    return Face(points, 0.9, Region(centre[0], centre[1], 1.5 * height, 1.5 * height))


def _detection(side: float, centre=(200.0, 200.0)) -> Detection:
    x, y = centre
    eyes = np.array([[x - side / 4, y - side / 8], [x + side / 4, y - side / 8], [x, y], [x, y + side / 4],
                     [x - side / 2, y], [x + side / 2, y]], np.float32)
    return Detection((x - side / 2, y - side / 2, x + side / 2, y + side / 2), eyes, 0.9)


def test_a_fit_the_closer_look_finds_at_another_size_is_unconfirmed():
    """Goya's child: a mesh 136 px tall where the closer look's detector finds a face 78 px
    across (1.74 times); Bonnat's woman, 188 over 69-86 (2.2-2.7). Sound fits: 0.81-1.54."""
    assert NOT_FITTED in (unconfirmed(_face(136), _detection(78), None) or "")
    assert NOT_FITTED in (unconfirmed(_face(188), _detection(75), None) or "")
    assert "crop the picture closer to the face" in unconfirmed(_face(136), _detection(78), None)
    assert unconfirmed(_face(60), _detection(100), None) is not None  # a mesh far too small
    for share in (0.81, 1.0, 1.54):  # what sound fits showed
        assert unconfirmed(_face(100 * share), _detection(100), None) is None
    assert FITS_DETECTION[0] < 0.81 and FITS_DETECTION[1] > 1.54
    # A closer look that fits the face itself is taken instead (portrait_faces): nothing to refuse.
    assert unconfirmed(_face(136), _detection(78), _face(78)) is None
    assert unconfirmed(_face(136), None, None) is None  # no closer look: the fit stands


def test_an_unconfirmed_fit_is_refused_by_inspect_and_check(tmp_path, capsys, monkeypatch, stack):
    """What the curator reads when no closer look can fit the face: the reason and the fix.
    (The closer look is made to find the face at half the mesh's size and fail to fit it,
    as the Goya misfit would without a mesh for its closer look.)"""
    from installation.models.face import closer
    from installation.models.motion.mesh import portrait_face
    from tests.conftest import refused_by_inspect_and_check

    def finds_a_smaller_face(image, face, stack):
        x, y = face.centre
        return _detection(face.height / 1.9, (x, y)), None

    monkeypatch.setattr(closer, "closer_look", finds_a_smaller_face)
    # Portraits found before, elsewhere, with their closer look; and what is found here,
    # without one, is not kept for others.
    monkeypatch.setattr(portrait_face, "_FOUND", type(portrait_face._FOUND)())
    framed, _, _ = _framed(read_rgb(FACES / "face_woman_15.jpg", max_side=900))
    with pytest.raises(PortraitProblem, match=NOT_FITTED):
        find_portrait_face(framed, stack)

    said, checked = refused_by_inspect_and_check(tmp_path, capsys, "small-face.jpg", framed)
    assert f"small-face.jpg: cannot be animated: {NOT_FITTED}" in said
    assert "crop the picture closer to the face" in said
    assert f"'small-face.jpg' cannot be animated: {NOT_FITTED}" in checked


def test_a_portrait_is_looked_at_closer_once_when_it_loads(monkeypatch, stack):
    """The closer look (a detection and a mesh on a crop: tens of ms) is made once per face
    as the picture is read; the refusal and a later load of the same picture use it."""
    from installation.models.face import closer
    from installation.models.motion.mesh import portrait_face

    looks = []

    def counted(image, face, stack):
        looks.append(face.centre)
        return closer_look(image, face, stack)

    closer_look = closer.closer_look
    monkeypatch.setattr(closer, "closer_look", counted)
    monkeypatch.setattr(portrait_face, "_FOUND", type(portrait_face._FOUND)())
    framed, _, _ = _framed(read_rgb(FACES / "face_woman_15.jpg", max_side=900))
    find_portrait_face(framed, stack)
    assert len(looks) == 1
    find_portrait_face(framed, stack)  # the scene's check, then its animator: the same picture
    assert len(looks) == 1
