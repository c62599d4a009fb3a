"""What the portrait backend concludes about a picture as it loads (issue 10).

A plain photograph of a woman in a checked dress was taken for a book's halftone: the
dress's regular pattern made the few sharp peaks a screen makes, and rebuilt from them it
ran on over her cheeks as waves her skin did not carry, so her whole face rippled as it
moved under "dots" held on the page. A screen counts only where it is in step with the
cheeks' own detail.

And `check` and `portrait inspect` said "OK" of a mesh on the back of a man's head and of a
face whose mouth was hidden by the head in front: the face models' own doubts are told.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from installation.imaging import read_rgb
from installation.models.motion.mesh.plate import DOTS, LINES, picture_grain

FACES = Path(__file__).parent / "data" / "faces-cc0"


def _cheeks(shape: tuple[int, int]) -> np.ndarray:
    cheeks = np.zeros(shape, bool)
    cheeks[40:100, 30:90] = True
    cheeks[40:100, 110:170] = True
    return cheeks


def _lattice(shape: tuple[int, int], period: float) -> np.ndarray:
    """A regular pattern of squares turned 45 degrees, `period` px apart (0-1): a checked
    cloth, or, printed as dots, a book's screen."""
    yy, xx = np.mgrid[0:shape[0], 0:shape[1]].astype(np.float32)
    u, v = (xx + yy) / np.sqrt(2), (xx - yy) / np.sqrt(2)
    return 0.5 + 0.5 * np.cos(2 * np.pi * u / period) * np.cos(2 * np.pi * v / period)


def _photograph_in_a_checked_dress(grain: float, period: float) -> np.ndarray:
    rng = np.random.default_rng(3)
    yy, xx = np.mgrid[0:240, 0:200].astype(np.float32)
    grey = 120 + 30 * np.sin(xx / 50) * np.cos(yy / 70) + rng.normal(0, grain, (240, 200))  # smooth skin, film
    grey[150:] = 40 + 180 * _lattice((240, 200), period)[150:]  # the dress below the chin
    return np.clip(grey, 0, 255).astype(np.uint8)[..., None].repeat(3, 2)


def test_a_checked_dress_does_not_make_a_photograph_a_halftone():
    for grain, period in ((1.5, 8.0), (1.0, 10.0)):
        picture = _photograph_in_a_checked_dress(grain, period)
        texture, is_screen = picture_grain(picture, _cheeks(picture.shape[:2]))
        assert not is_screen, (grain, period)
        assert texture is not None  # the cheeks' grain instead


def test_a_halftone_printed_over_the_face_is_still_a_screen():
    """The same picture printed in a book: the screen is over the skin too, and counts."""
    from .test_mesh_expression import _halftone

    picture = _photograph_in_a_checked_dress(1.5, 8.0)
    printed = _halftone(picture[..., 0].astype(np.float32) / 255.0 * 0.8 + 0.1, period=5.0)
    assert picture_grain(printed, _cheeks(printed.shape[:2]))[1] == DOTS


def _hatched(seed: int, angle: float, spacing: float, wander: float) -> np.ndarray:
    """A drawing hatched in one direction (`angle`, radians) over a softly lit face: lines about
    `spacing` px apart, each gap `wander` of it wider or narrower at random (laid by hand), each
    line as thick as the tone there is dark."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:240, 0:200].astype(np.float32)
    darkness = 0.45 + 0.2 * np.sin(xx / 45) * np.cos(yy / 60)
    across = xx * np.cos(angle) + yy * np.sin(angle)
    across -= across.min()
    lines = np.cumsum(spacing * rng.uniform(1 - wander, 1 + wander, int(across.max() / spacing * 2) + 4))
    nearest = np.interp(across, lines, np.arange(len(lines)))
    off_line = np.abs(nearest - np.round(nearest)) * spacing
    ink = np.clip(darkness * spacing * 0.6 - off_line + 0.5, 0, 1)
    return np.clip(240 - 210 * ink, 0, 255).astype(np.uint8)[..., None].repeat(3, 2)


def test_hatching_is_a_drawing_not_a_halftone_screen():
    """A hatched drawing's lines are a few sharp peaks in its spectrum too: taken for a book's
    screen, its strokes were smeared as dots held on the page while the face moved, and its
    closed lids were printed as a halftone's and missed the drawing's path (lid_drawn.py). A
    book's screen is a grid of dots: peaks in two directions, at its period; lines are LINES."""
    from installation.models.motion.mesh.warp import skin_grain

    from .test_mesh_expression import _halftone

    class Rig:  # what skin_grain reads of a portrait's rig: its picture, and the cheeks' middles
        region, face_height = (0, 0, 200, 240), 300.0
        points = np.zeros((468, 2))
        points[50], points[280] = (60, 70), (140, 70)

    for seed, angle, spacing, wander in ((0, 0.5, 4.0, 0.1), (1, 0.9, 5.0, 0.15), (2, 1.2, 6.0, 0.25)):
        Rig.image = _hatched(seed, angle, spacing, wander)
        texture, screen = skin_grain(Rig)
        assert screen == LINES, (seed, angle, spacing, wander)  # not held on the page, nor a halftone's lids
        # ... yet paint on it (an open mouth) is still printed in the drawing's own lines, in step with them.
        grey = Rig.image[..., 0].astype(np.float32)
        detail = grey - cv2.GaussianBlur(grey, (0, 0), 1.5)
        assert np.corrcoef(texture.ravel(), detail.ravel())[0, 1] > 0.5
    # A print screened twice (a book's halftone copied from another's): its peaks split, still a screen.
    yy, xx = np.mgrid[0:240, 0:200].astype(np.float32)
    tone = 0.55 + 0.15 * np.sin(xx / 40) * np.cos(yy / 55)
    for period in (5.3, 6.0):
        twice = _halftone(tone, 5.0).astype(np.float32) * _halftone(tone, period).astype(np.float32) / 235.0
        Rig.image = np.clip(twice, 0, 255).astype(np.uint8)
        assert skin_grain(Rig)[1] == DOTS, period


def test_the_book_halftones_among_the_cc0_faces_are_still_screens(stack):
    from installation.models.motion.mesh import MeshAnimator

    for name in ("face_man_89.jpg", "face_woman_109.jpg", "face_woman_140.jpg"):  # the weakest in step
        animator = MeshAnimator(read_rgb(FACES / name, max_side=900), stack)
        assert animator.warper.page_screen is not None, name


# A face mesh that is not on a face: `check` and `portrait inspect` said "OK" of a mesh on the
# back of a man's head and of a face whose mouth was hidden by the head in front (unsure.py).

def _doubted(face, presence: float | None = None, lowered: float = 0.0):
    """`face` as the models would report a misfit: the mesh less sure of it, or the detector's
    nose and mouth `lowered` face heights below the mesh's (it took what hides the mouth for
    the face's lower half)."""
    from dataclasses import replace

    detection = face.detection
    points = detection.keypoints.copy()
    points[2:4, 1] += lowered * face.height
    return replace(face, presence=face.presence if presence is None else presence,
                   detection=replace(detection, keypoints=points))


def test_the_models_doubts_are_told_and_a_sound_fit_has_none(stack, sitter):
    from installation.models.face.unsure import models_apart, models_unsure
    from installation.models.motion.mesh import find_portrait_face

    face = find_portrait_face(sitter, stack)
    assert models_unsure(face) is None and models_apart(face) < 0.1
    assert "may lie on hair or the back of a head" in models_unsure(_doubted(face, presence=0.55))
    assert "part of the face may be hidden" in models_unsure(_doubted(face, lowered=0.5))
    assert models_unsure(_doubted(face, presence=0.8, lowered=0.2)) is None  # as sound fits go


def test_no_cc0_face_is_doubted_by_its_models(stack):
    from installation.models.face.unsure import models_unsure
    from installation.models.motion.mesh import find_portrait_face

    doubted, fitted = {}, 0
    for path in sorted(FACES.glob("*.jpg")):
        try:
            face = find_portrait_face(read_rgb(path, max_side=900), stack)
        except ValueError:
            continue  # refused already
        fitted += 1
        if (doubt := models_unsure(face)) is not None:
            doubted[path.name] = doubt
    assert fitted >= 40 and not doubted, doubted


def test_inspect_and_check_name_the_picture_and_the_fix_for_a_mesh_off_the_face(tmp_path, capsys, monkeypatch,
                                                                                 stack, sitter):
    import installation.models.motion.mesh as mesh
    from tests.conftest import inspect_and_check

    found = mesh.find_portrait_face
    monkeypatch.setattr(mesh, "find_portrait_face", lambda image, stack: _doubted(found(image, stack), presence=0.55))
    inspected, checked = inspect_and_check(tmp_path, capsys, "back.png", cv2.cvtColor(sitter, cv2.COLOR_RGB2BGR))
    assert "but the face mesh is unsure a face lies where it sits (55% sure" in inspected
    assert "choose a picture where the face is unobscured" in inspected
    assert "'back.png': the face mesh is unsure a face lies where it sits" in checked
    assert "choose a picture where the face is unobscured" in checked


def test_the_show_logs_a_mesh_the_models_doubt_as_it_loads(tmp_path, caplog, monkeypatch, stack, sitter):
    import installation.models.motion.mesh as mesh
    import installation.scenes.portrait  # noqa: F401  (registers the kind)
    from installation.harness import run_test
    from tests.conftest import write_show

    found = mesh.find_portrait_face
    monkeypatch.setattr(mesh, "find_portrait_face", lambda image, stack: _doubted(found(image, stack), lowered=0.5))
    path = write_show(tmp_path, {"p": """
        type = "portrait"
        id = "p"
        [[portraits]]
        image = "hidden.png"
        title = "Hidden"
        """}, extra='\n[camera]\nfile = "none.mp4"\n', size=(640, 360))
    cv2.imwrite(str(tmp_path / "content" / "hidden.png"), cv2.cvtColor(sitter, cv2.COLOR_RGB2BGR))
    with caplog.at_level("WARNING"), run_test(path, fps=10, services={"synchronous_models": True}) as pilot:
        pilot.advance(0.3)
        assert [entry.title for entry in pilot.engine.sequencer.current.scene.entries] == ["Hidden"]
    said = [r.getMessage() for r in caplog.records if "part of the face may be hidden" in r.getMessage()]
    assert said and "choose a picture where the face is unobscured" in said[0]


# Which of the lids' rules a picture gets (a halftone's dots, a two-tone print's ink and paper,
# a drawing's paper and marks, a photograph's shaded skin) was seen only at a blink: a pencil
# drawing on buff paper closed its eyes as a photograph's smooth pale lenses, and nothing
# before the show said so. `portrait inspect` says it (mesh/picture_kind.py).

def _pencil_copy(rgb: np.ndarray) -> np.ndarray:
    """A pencil drawing of `rgb` on white paper, BGR: the grey dodged by its own blurred negative
    (the marks where the tone changes, bare paper where it is even)."""
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)
    negative = cv2.GaussianBlur(255.0 - grey, (0, 0), 6)
    drawn = np.clip(grey * 255.0 / np.maximum(255.0 - negative, 1.0), 0, 255).astype(np.uint8)
    return cv2.cvtColor(drawn, cv2.COLOR_GRAY2BGR)


def _inspected(tmp_path: Path, capsys, name: str, picture_bgr: np.ndarray) -> str:
    from installation.cli import main

    cv2.imwrite(str(tmp_path / name), picture_bgr)
    assert main(["portrait", "inspect", str(tmp_path / name), "-o", str(tmp_path / "mesh.png")]) == 0
    return capsys.readouterr().out


def test_inspect_says_which_kind_of_picture_its_closed_lids_are_painted_for(tmp_path, capsys, sitter):
    photograph = _inspected(tmp_path, capsys, "sitter.png", cv2.cvtColor(sitter, cv2.COLOR_RGB2BGR))
    assert "read as a photograph or a painting (its closed lids painted as shaded skin)" in photograph
    face = read_rgb(FACES / "face_man_21.jpg", max_side=900)
    drawing = _inspected(tmp_path, capsys, "pencil.png", _pencil_copy(face))
    assert "read as a drawing (its closed lids painted as its paper and marks" in drawing
    assert "read as a photograph" in _inspected(tmp_path, capsys, "face.png", cv2.cvtColor(face, cv2.COLOR_RGB2BGR))
    grey = cv2.cvtColor(cv2.imread(str(FACES / "face_woman_4.jpg")), cv2.COLOR_BGR2GRAY)
    print_ = cv2.GaussianBlur(np.where(grey < np.percentile(grey, 45), 20, 240).astype(np.uint8), (0, 0), 0.5)
    two_tone = _inspected(tmp_path, capsys, "print.png", cv2.cvtColor(print_, cv2.COLOR_GRAY2BGR))
    assert "read as a two-tone print, ink on paper (its closed lids painted in its ink and paper)" in two_tone
    halftone = _inspected(tmp_path, capsys, "book.png", cv2.imread(str(FACES / "face_man_89.jpg")))
    assert "read as a book's halftone (its closed lids printed in its dots)" in halftone
