"""The curator says her portrait is a painting (`picture = "painting"` on a [[portraits]] entry):
its closed lids are painted as shaded skin, as a photograph's, and the dark line between its
closed lips is the painter's stroke however small the face (mesh/cavity.py, DRAWN_LINE). On a
face under about 200 px a miniaturist's stroke is as wide as a photograph's crease, and nothing
in the pixels tells the two apart (docs/portrait.md): only the curator can say it.

Made miniatures of the shipped sitter: nothing from ../shared.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from installation.models.face import portrait_faces
from installation.models.motion.mesh import MeshAnimator
from installation.models.motion.mesh.named_points import LOWER_INNER_LIP, UPPER_INNER_LIP
from installation.scenes.portrait import HOUSE_SITTER

from .conftest import write_show
from .test_mesh_mouth import LUMA, _opened
from .test_mesh_mouth_key import _miniature, _with_drawn_lip_line, _yawn
from .test_mesh_picture_setting import SHUT, pencil_drawing


@pytest.fixture(scope="module")
def small_miniature(stack):
    """A watercolour miniature on ivory with a face about 145 px tall (the shipped sitter at 0.3
    of its size), near-black brows, pupils and nostrils, whose painter closed the lips with a dark
    stroke 1.5 px wide, a third of the face's middle tone."""
    sitter = cv2.cvtColor(cv2.imread(str(HOUSE_SITTER)), cv2.COLOR_BGR2RGB)
    small = cv2.resize(sitter, None, fx=0.3, fy=0.3, interpolation=cv2.INTER_AREA)
    return _with_drawn_lip_line(_miniature(small, stack), stack, share=0.35, width_px=1.5)


def _line_tone(picture: np.ndarray, stack) -> float:
    points = portrait_faces(picture, stack)[0].landmarks[:, :2]
    middle = (points[list(UPPER_INNER_LIP)] + points[list(LOWER_INNER_LIP)]) / 2
    line = np.zeros(picture.shape[:2], np.uint8)
    cv2.polylines(line, [np.round(middle).astype(np.int32)], False, 1, 1)
    return float(np.median((picture.astype(np.float32) @ LUMA)[line > 0]))


def _darkest_and_mean(out: np.ndarray, inside: np.ndarray) -> tuple[float, float]:
    opening = cv2.GaussianBlur(out.astype(np.float32) @ LUMA, (0, 0), 0.7)[inside]
    return float(np.percentile(opening, 1)), float(opening.mean())


def test_a_small_miniature_set_as_a_painting_yawns_in_its_lines_tone_not_a_black_hole(stack, small_miniature, sitter):
    """At this size the stroke is as wide as a photograph's crease, and read by itself the
    miniature yawned a near-black hole in its pastel face (its darkest about 0.6 of the stroke's
    own tone). Set as a painting, its opening's darkest is the stroke's tone (within a tenth, or
    half the lips' lightness if lighter), and it is still an opening, darker than the lips.
    The setting reads the stroke, it does not lighten every painting: the shipped daguerreotype,
    its shadows deep, set as a painting yawns as dark as by itself, pixel for pixel."""
    line_tone = _line_tone(small_miniature, stack)
    out, inside, lips_light, _ = _yawn(small_miniature, stack)
    read_darkest, _ = _darkest_and_mean(out, inside)
    assert read_darkest < 0.7 * line_tone, (read_darkest, line_tone)  # (the fault the setting is for)
    out, inside, lips_light, _ = _yawn(small_miniature, stack, kind="painting")
    darkest, mean = _darkest_and_mean(out, inside)
    assert darkest > 0.9 * min(line_tone, 0.5 * lips_light), (darkest, line_tone, lips_light)
    assert mean < 0.8 * lips_light, (mean, lips_light)
    low_key = [_opened(MeshAnimator(sitter, stack, picture=kind), (0.0,) * 4, share=0.12)[0]
               for kind in ("auto", "painting")]
    assert np.array_equal(*low_key)


def test_a_painting_closes_its_eyes_as_shaded_skin_and_says_so(stack):
    """A painting's closed lids are shaded skin, as a photograph's are, never paper: a pencil
    drawing on buff paper set as a painting closes its eyes exactly as set as a photograph, and
    what inspect and check say of it names it a painting, with what that does to its lip line."""
    from installation.imaging import read_rgb
    from installation.models.motion.mesh.picture_kind import what_it_is

    from .test_mesh_picture_setting import FACES

    drawing = pencil_drawing(read_rgb(FACES / "face_man_21.jpg", max_side=600))
    painting = MeshAnimator(drawing, stack, picture="painting")
    photograph = MeshAnimator(drawing, stack, picture="photograph")
    assert np.array_equal(painting.render(SHUT), photograph.render(SHUT))
    said = what_it_is(painting.warper)
    assert said.startswith('the scene sets picture = "painting", so it is painted as a painting'), said
    assert "the painter's stroke, however small the face" in said


def _painting_show(tmp_path: Path, picture: str, image: np.ndarray | None = None) -> Path:
    if image is not None:
        content = tmp_path / "content" / "portraits"
        content.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(content / "miniature.png"), cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
    return write_show(tmp_path, {"p": f"""
        type = "portrait"
        id = "p"
        [[portraits]]
        image = "portraits/miniature.png"
        picture = "{picture}"
        """}, size=(640, 360))


def test_a_scene_file_says_painting_and_a_typo_names_the_file_line_and_the_words_allowed(tmp_path):
    from installation.config.loader import load_show

    show = load_show(_painting_show(tmp_path, "painting"))
    assert show.scenes["p"].portraits[0].picture == "painting"
    show = load_show(_painting_show(tmp_path, "paintng"))
    said = [str(p) for p in show.problems if "picture" in str(p)]
    assert len(said) == 1, show.problems
    assert said[0].startswith("scenes/p.toml:5:")
    assert "did you mean 'painting'?" in said[0]
    for value in ("auto", "photograph", "painting", "drawing", "print", "halftone"):
        assert f"'{value}'" in said[0]


def test_check_and_inspect_say_a_painting_is_painted_as_one(tmp_path, capsys, small_miniature):
    from installation.cli import main

    path = _painting_show(tmp_path, "painting", small_miniature)
    main(["check", "--show", str(path)])
    said = capsys.readouterr().out
    assert ("scenes/p.toml:5: portraits #1, picture: 'portraits/miniature.png': the scene sets picture = "
            "\"painting\", so it is painted as a painting" in said), said
    assert "by itself it reads as a photograph or a painting" in said
    picture = tmp_path / "content" / "portraits" / "miniature.png"
    assert main(["portrait", "inspect", str(picture), "-o", str(tmp_path / "mesh.png"), "--picture", "painting"]) == 0
    said = capsys.readouterr().out
    assert "so it is painted as a painting (its closed lids painted as shaded skin, and the dark line" in said


def test_inspect_says_where_a_painting_has_no_lip_line_to_read(tmp_path, capsys):
    """Where the face mesh finds the lips parted at rest, no closed line is read, and "painting"
    changes nothing of the mouth: a curator who set it for a pale miniature's yawn saw it as dark
    as before, with no word why. Inspect says so (a hint; the setting is still obeyed)."""
    from installation.cli import main

    from .test_mesh_picture_setting import FACES

    picture = FACES / "face_man_120.jpg"  # (its closed line is not read: line_width.py)
    assert main(["portrait", "inspect", str(picture), "-o", str(tmp_path / "mesh.png"), "--picture", "painting"]) == 0
    assert '; picture = "painting", but no dark line between closed lips is read' in capsys.readouterr().out
