"""The curator says what her portrait is (`picture` on a [[portraits]] entry): the closed lids
are painted by that kind's rule (mesh/picture_kind.py), where the reading from the pixels
cannot tell a pencil drawing on strongly tinted paper from a sepia photograph (docs/portrait.md)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from installation.imaging import read_rgb
from installation.models.motion.mesh import MeshAnimator
from installation.models.motion.mesh.motion import Motion
from installation.models.motion.mesh.named_points import LEFT_EYE_OPENING, RIGHT_EYE_OPENING

from .conftest import write_show

FACES = Path(__file__).parent / "data" / "faces-cc0"
# RGB papers: buff, which the reading takes for a drawing's toned paper, and a tan tinted past
# what it takes for paper (drawing_paper.TONED_PAPER_TINT), as a sepia photograph's light or warm skin.
BUFF = np.array([226, 205, 168], np.float32)
TAN = np.array([214, 170, 120], np.float32)
SHUT = Motion(eye_open=(0.0, 0.0))


def pencil_drawing(rgb: np.ndarray, paper: np.ndarray = TAN) -> np.ndarray:
    """A pencil drawing of `rgb` on `paper` (RGB; tan by default, a tint the reading takes for
    a sepia photograph's): the grey dodged by its own blurred negative (marks where the tone
    changes, bare paper where it is even), multiplied into the paper."""
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)
    negative = cv2.GaussianBlur(255.0 - grey, (0, 0), 6)
    drawn = np.clip(grey / np.maximum(255.0 - negative, 1.0), 0.0, 1.0)
    return np.clip(drawn[..., None] * paper, 0, 255).astype(np.uint8)


@pytest.fixture(scope="module")
def pencil_on_tan():
    return pencil_drawing(read_rgb(FACES / "face_man_21.jpg", max_side=900))


def _paper_share_of_closed_eyes(animator: MeshAnimator, paper: np.ndarray = TAN) -> list[float]:
    """Per eye, the share of the closed eye (its opening at rest) painted in the paper's tone."""
    shut = animator.render(SHUT).astype(np.float32)
    shares = []
    for ids in (LEFT_EYE_OPENING, RIGHT_EYE_OPENING):
        mask = np.zeros(shut.shape[:2], np.uint8)
        cv2.fillPoly(mask, [np.round(animator.rig.points[list(ids), :2]).astype(np.int32)], 1)
        lid = shut[cv2.erode(mask, np.ones((3, 3), np.uint8)) > 0]
        shares.append(float(np.mean(np.linalg.norm(lid - paper, axis=1) < 25.0)))
    return shares


def test_a_pencil_drawing_on_tan_set_as_a_drawing_closes_its_eyes_as_paper(stack, pencil_on_tan):
    """Read by itself it is a photograph: its closed eyes were smooth shaded lenses, less than
    four fifths of them the paper's tone. Set as a drawing, each closed eye is its paper."""
    read = _paper_share_of_closed_eyes(MeshAnimator(pencil_on_tan, stack))
    drawing = _paper_share_of_closed_eyes(MeshAnimator(pencil_on_tan, stack, picture="drawing"))
    assert max(read) < 0.8, read  # (the reading this setting exists for: if it changes, so may the test)
    assert min(drawing) > 0.9, drawing


def test_a_pencil_drawing_on_buff_reads_by_itself_as_a_drawing_and_a_sepia_print_as_a_photograph(stack):
    """Its buff paper's tint (0.26 of its brightest channel) is a sepia photograph's too, so the
    reading took the drawing for one: its closed eyes were shaded lenses (at most 0.8 of them the
    paper's tone) unless the curator set it. What a photograph never shows round both eyes is a
    drawing's bare paper: left to itself, each closed eye is now its paper, and the same sitter
    printed in sepia still reads as a photograph."""
    from installation.models.motion.mesh.picture_kind import DRAWING, PHOTOGRAPH, picture_kind

    sitter = read_rgb(FACES / "face_man_21.jpg", max_side=900)
    drawing = MeshAnimator(pencil_drawing(sitter, BUFF), stack)
    assert picture_kind(drawing.warper) == DRAWING  # old: a photograph or a painting
    assert min(_paper_share_of_closed_eyes(drawing, BUFF)) > 0.9  # old: under 0.8
    grey = cv2.cvtColor(sitter, cv2.COLOR_RGB2GRAY).astype(np.float32)[..., None] / 255.0
    sepia = np.clip(np.array([40, 22, 10]) + grey * np.array([215, 213, 190]), 0, 255).astype(np.uint8)
    assert picture_kind(MeshAnimator(sepia, stack).warper) == PHOTOGRAPH


def sepia_print(rgb: np.ndarray, gain: float = 1.0, lift: float = 0.0) -> np.ndarray:
    """`rgb` printed in sepia, scanned `gain` times brighter plus `lift` (clipped, as a scan is)."""
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)[..., None] / 255.0
    sepia = np.array([40, 22, 10]) + grey * np.array([215, 213, 190])
    return np.clip(sepia * gain + lift, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("sitter_file", ["face_woman_112.jpg", "face_woman_34.jpg", "face_woman_39.jpg"])
def test_a_sepia_print_scanned_bright_still_reads_as_a_photograph(stack, sitter_file):
    """Scanned bright (x1.35 + 20), a sepia print's lit skin round the eyes is clipped in its
    red, its lightest tones tinted as a toned paper is, and flat: it was read as a drawing's
    bare paper, and the sitter's closed eyes were painted as paper with a drawn lash line.
    A toned paper (buff, tan) is never blown to the ceiling; a photograph's highlights are."""
    from installation.models.motion.mesh.picture_kind import picture_kind

    bright = sepia_print(read_rgb(FACES / sitter_file, max_side=900), gain=1.35, lift=20)
    warper = MeshAnimator(bright, stack).warper
    assert warper.read.drawn == 0.0, picture_kind(warper, as_read=True)  # (nothing of a drawing's paper)


def test_a_photograph_set_as_auto_or_photograph_renders_as_it_always_did(stack, sitter):
    auto = MeshAnimator(sitter, stack)
    said = MeshAnimator(sitter, stack, picture="photograph")
    for motion in (SHUT, Motion(eye_open=(0.4, 0.7))):
        assert np.array_equal(auto.render(motion), said.render(motion))


def test_animates_copies_of_a_portrait_keep_its_setting(stack, pencil_on_tan):
    """`animate` renders with one animator per thread, each made from the first one's rig: a
    setting held outside the rig would have closed every other frame's eyes by the reading."""
    drawing = MeshAnimator(pencil_on_tan, stack, picture="drawing")
    copy = MeshAnimator(drawing.portrait, stack, rig=drawing.rig)
    auto = MeshAnimator(pencil_on_tan, stack)
    assert np.array_equal(copy.render(SHUT), drawing.render(SHUT))
    assert not np.array_equal(auto.render(SHUT), drawing.render(SHUT))


def test_the_setting_is_read_from_the_scene_file_and_a_typo_names_its_fix(tmp_path):
    from installation.config.loader import load_show

    scene = """
        type = "portrait"
        id = "p"
        [[portraits]]
        image = "portraits/a.jpg"
        picture = "{}"
        """
    show = load_show(write_show(tmp_path, {"p": scene.format("drawing")}))
    assert show.scenes["p"].portraits[0].picture == "drawing"
    show = load_show(write_show(tmp_path, {"p": scene.format("drawng")}))
    said = [str(p) for p in show.problems if "picture" in str(p)]
    assert len(said) == 1, show.problems
    assert said[0].startswith("scenes/p.toml:5:")
    assert "did you mean 'drawing'?" in said[0]
    for value in ("auto", "photograph", "drawing", "print", "halftone"):
        assert f"'{value}'" in said[0]


def _portrait_show(tmp_path: Path, picture: str) -> Path:
    return write_show(tmp_path, {"p": f"""
        type = "portrait"
        id = "p"
        [[portraits]]
        image = "portraits/drawing.png"
        picture = "{picture}"
        """}, size=(640, 360))


def test_editing_the_setting_while_the_show_plays_changes_the_portrait(tmp_path, pencil_on_tan):
    """A curator trying the setting on the wall: the reload brings it to the portrait shown,
    without a restart."""
    from installation.config.loader import load_show
    from installation.harness import run_test

    content = tmp_path / "content" / "portraits"
    content.mkdir(parents=True)
    cv2.imwrite(str(content / "drawing.png"), cv2.cvtColor(pencil_on_tan, cv2.COLOR_RGB2BGR))
    path = _portrait_show(tmp_path, "auto")
    with run_test(load_show(path), size=(640, 360)) as pilot:
        pilot.advance(2.0)
        before = pilot.engine.sequencer.current.scene.worker.animator
        _portrait_show(tmp_path, "drawing")
        assert pilot.engine.reload(at_once=True) is True
        pilot.advance(2.0)
        after = pilot.engine.sequencer.current.scene.worker.animator
        assert after is not before
        assert max(_paper_share_of_closed_eyes(before)) < 0.8
        assert min(_paper_share_of_closed_eyes(after)) > 0.9


def test_inspect_says_what_the_setting_makes_of_the_picture(tmp_path, capsys, pencil_on_tan):
    from installation.cli import main

    picture = tmp_path / "drawing.png"
    cv2.imwrite(str(picture), cv2.cvtColor(pencil_on_tan, cv2.COLOR_RGB2BGR))
    assert main(["portrait", "inspect", str(picture), "-o", str(tmp_path / "mesh.png"), "--picture", "drawing"]) == 0
    said = capsys.readouterr().out
    assert 'the scene sets picture = "drawing", so it is painted as a drawing' in said
    assert "by itself it reads as a photograph or a painting" in said
    # Set against what the picture clearly is, it is obeyed, with a hint.
    assert main(["portrait", "inspect", str(picture), "-o", str(tmp_path / "mesh.png"), "--picture", "halftone"]) == 0
    assert 'picture = "halftone", but no printed screen is read in it' in capsys.readouterr().out


def test_check_says_what_each_portrait_is_read_as_and_what_the_scene_sets(tmp_path, capsys, pencil_on_tan):
    from installation.cli import main

    content = tmp_path / "content" / "portraits"
    content.mkdir(parents=True)
    cv2.imwrite(str(content / "drawing.png"), cv2.cvtColor(pencil_on_tan, cv2.COLOR_RGB2BGR))
    path = _portrait_show(tmp_path, "drawing")
    main(["check", "--show", str(path)])
    said = capsys.readouterr().out
    assert "Notes (1)" in said
    assert ("scenes/p.toml:5: portraits #1, picture: 'portraits/drawing.png': the scene sets picture = \"drawing\", "
            "so it is painted as a drawing" in said)
    assert "by itself it reads as a photograph or a painting" in said
    _portrait_show(tmp_path, "auto")
    main(["check", "--show", str(path)])
    said = capsys.readouterr().out
    assert "scenes/p.toml:4: portraits #1, image: 'portraits/drawing.png': read as a photograph" in said
