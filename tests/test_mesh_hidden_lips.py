"""A sitter whose moustache hides both lips (`lips_hidden`): the mouth opens below the
moustache's fringe, not through the middle of it."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from installation.models.motion.mesh import MeshAnimator
from installation.models.motion.mesh.hidden_lips import fringe_depth, lips_at_fringe
from installation.models.motion.mesh.motion import Motion
from installation.models.motion.mesh.named_points import LOWER_INNER_LIP, UPPER_INNER_LIP

from .conftest import REPO

# A walrus moustache over both lips: a CC0 studio portrait the quiz ships (face_man_112).
WALRUS = REPO / "content" / "quiz" / "real" / "real-02.jpg"


@pytest.fixture(scope="module")
def walrus() -> np.ndarray:
    return cv2.cvtColor(cv2.imread(str(WALRUS)), cv2.COLOR_BGR2RGB)


def _open_mouth() -> Motion:
    offsets = np.zeros((468, 3), np.float32)
    offsets[list(LOWER_INNER_LIP)[1:-1], 1] = 0.08
    return Motion(offsets=offsets, teeth=(0.0, 0.0))


def test_the_lip_line_moves_down_to_the_fringe_and_rest_is_the_picture(stack, walrus):
    found = MeshAnimator(walrus, stack)
    hidden = MeshAnimator(walrus, stack, lips_hidden=True)
    depth = fringe_depth(walrus, found.rig.mesh)
    assert depth > 0.04 * found.rig.face_height  # the fringe hangs well below the guessed line
    assert hidden.rig.mesh[13, 1] - found.rig.mesh[13, 1] == pytest.approx(depth, rel=0.1)
    # The corners stay where the mesh found them, and so does the upper lip's outline.
    for point in (61, 291, 78, 308, 0):
        assert np.allclose(hidden.rig.mesh[point], found.rig.mesh[point])
    # The moved line is still a mesh of the same patches, and at rest nothing moves.
    assert np.array_equal(hidden.rig.triangles, found.rig.triangles)
    assert np.array_equal(hidden.render(Motion()), walrus)


def test_an_opening_mouth_leaves_the_moustache_whole(stack, walrus):
    """Between the guessed lip line and the fringe lies hair. With the lips found, the
    opening was painted through it; with `lips_hidden` that hair stays, moving with the
    upper lip, and the opening starts below it."""
    found = MeshAnimator(walrus, stack)
    hidden = MeshAnimator(walrus, stack, lips_hidden=True)
    line = found.rig.mesh[list(UPPER_INNER_LIP)[3:-3], :2]
    fringe = hidden.rig.mesh[list(UPPER_INNER_LIP)[3:-3], :2]
    x0, x1 = int(line[:, 0].min()), int(line[:, 0].max())
    y0, y1 = int(line[:, 1].max()) + 2, int(fringe[:, 1].min()) - 4
    assert y1 - y0 >= 8 and x1 - x0 >= 20
    hair = walrus[y0:y1, x0:x1].astype(np.float32)

    def change(animator: MeshAnimator) -> float:
        return float(np.abs(animator.render(_open_mouth())[y0:y1, x0:x1].astype(np.float32) - hair).mean())

    assert change(found) > 25.0  # torn open: a dark patch where the hair was
    assert change(hidden) < 0.4 * change(found)
    # And the mouth does open, below the fringe.
    below = hidden.render(_open_mouth()).astype(np.float32)
    cy = int(fringe[:, 1].max()) + 6
    assert below[cy:cy + 6, x0:x1].mean() < walrus[cy:cy + 6, x0:x1].astype(np.float32).mean() - 30


def test_a_picture_with_no_fringe_keeps_its_lip_line(stack, walrus):
    found = MeshAnimator(walrus, stack).rig.mesh
    plain = np.full_like(walrus, 128)
    assert fringe_depth(plain, found) == 0.0
    assert np.array_equal(lips_at_fringe(plain, found), found)


def test_the_setting_reaches_the_portrait_from_the_scene_file(tmp_path, monkeypatch):
    """`lips_hidden = true` on a [[portraits]] entry is passed to the animator."""
    from installation.config.loader import load_show
    from installation.harness import run_test
    from installation.models.motion import pipeline

    from .conftest import write_show

    seen = {}
    real_build = pipeline.build_animator

    def spy(*args, **kwargs):
        seen.update(kwargs)
        return real_build(*args, **kwargs)

    monkeypatch.setattr(pipeline, "build_animator", spy)
    content = tmp_path / "content" / "portraits"
    content.mkdir(parents=True)
    cv2.imwrite(str(content / "walrus.jpg"), cv2.imread(str(WALRUS)))
    scene = """
        type = "portrait"
        id = "p"
        [[portraits]]
        image = "portraits/walrus.jpg"
        lips_hidden = true
        """
    path = write_show(tmp_path, {"p": scene}, size=(640, 360))
    with run_test(load_show(path), size=(640, 360)) as pilot:
        pilot.advance(2.0)
    assert seen.get("lips_hidden") is True


def test_inspect_shows_a_curator_where_lips_hidden_puts_the_lip_line(tmp_path, capsys):
    from installation.cli import main

    out = tmp_path / "overlay.png"
    assert main(["portrait", "inspect", str(WALRUS), "--lips-hidden", "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert "with lips_hidden the lip line moves" in said and "px down" in said
    overlay = cv2.imread(str(out))
    magenta = (overlay[..., 2] > 180) & (overlay[..., 1] < 90) & (overlay[..., 0] > 180)
    assert magenta.sum() > 50  # the moved line is drawn
