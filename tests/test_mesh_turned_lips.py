"""A turned sitter's open mouth: rounded and foreshortened towards the far side, never cut
by a straight edge at the far corner or torn where the far half of the lips crosses itself.

A CC0 face turned about 30 degrees (tests/data/faces-cc0) and the shipped sitter; the
visitor's expressions are made here, as offsets seen from the front.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from installation.models.motion.mesh import MeshAnimator
from installation.models.motion.mesh.motion import Motion
from installation.models.motion.mesh.named_points import LIP_ROWS, LOWER_INNER_LIP, UPPER_INNER_LIP

TURNED = Path(__file__).parent / "data" / "faces-cc0" / "face_man_120.jpg"  # turned about 30 degrees


@pytest.fixture(scope="module")
def aside():
    from installation.models.face import FaceStack

    return MeshAnimator(cv2.cvtColor(cv2.imread(str(TURNED)), cv2.COLOR_BGR2RGB), FaceStack.open())


def _front_shares(animator: MeshAnimator) -> dict[int, float]:
    """Each lip point's distance from its row's middle as seen from the front, as a share of
    the corner's: how far along the visitor's (frontal) mouth it lies."""
    rest = animator._rest[0]
    front = rest[:468] @ animator._sitter_turn
    shares = {}
    for row in LIP_ROWS:
        for half in (row[5::-1], row[5:]):
            x = front[list(half), 0]
            for point, share in zip(half, np.abs(x - x[0]) / abs(x[-1] - x[0]), strict=True):
                shares[point] = float(share)
    return shares


def _oh(animator: MeshAnimator, depth: float = 0.12, sideways: float = 0.0) -> np.ndarray:
    """A visitor's rounded 'oh' seen from the front: the lower lip drops by `depth` face
    heights at its middle and along an ellipse towards the corners; the whole mouth moves
    `sideways` (eye distances) at its middle, less towards the corners (a lopsided mouth)."""
    shares = _front_shares(animator)
    offsets = np.zeros((468, 3), np.float32)
    lower = {p for row in LIP_ROWS[4:] for p in row}
    for point, u in shares.items():
        if point in lower:
            offsets[point, 1] = depth * np.sqrt(max(1.0 - u * u, 0.0))
        offsets[point, 0] = sideways * (1.0 - u * u)
    return offsets


def _far_half(animator: MeshAnimator, dst: np.ndarray) -> tuple[list[int], list[int]]:
    """The inner lips' far halves (middle first, corner last), upper and lower."""
    mesh = animator.rig.mesh
    looks = np.sign(mesh[1, 0] - mesh[[234, 454], 0].mean())  # the nose tip points to the far side
    left_is_far = looks < 0
    pick = (lambda row: list(row[5::-1])) if left_is_far else (lambda row: list(row[5:]))
    return pick(UPPER_INNER_LIP), pick(LOWER_INNER_LIP)


def test_a_turned_sitters_oh_is_rounded_at_the_far_corner_not_cut_straight(aside):
    """The face mesh wraps the lips round the face: on a turned sitter the far half of the
    mouth lies nearly edge-on, its points bunched within a pixel or two of the corner. Each
    dropped by its own share of the visitor's rounded 'oh', they made a straight vertical
    edge: every open mouth was D-shaped. The far half now keeps the rounded outline,
    foreshortened: the opening there fills no more of its box than a quarter ellipse does
    (pi / 4 of it; the D filled 0.81 on this sitter, 0.93 on a sitter turned 35 degrees)."""
    dst, _, _ = aside.place(Motion(offsets=_oh(aside)))
    upper, lower = _far_half(aside, dst)
    outline = np.concatenate([dst[upper], dst[lower[::-1]]])
    x, y = outline[:, 0], outline[:, 1]
    area = 0.5 * abs(float(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1))))
    box = abs(dst[upper[-1], 0] - dst[upper[0], 0]) * (dst[lower[0], 1] - dst[upper[0], 1])
    assert box > 0
    assert area / box < np.pi / 4
    # The opening still opens as wide in the middle as the visitor's.
    rest, _, _ = aside.place(Motion())
    assert dst[14, 1] - rest[14, 1] > 0.9 * 0.12 * aside._rest[3][1]


def test_a_lopsided_mouth_on_a_turned_sitter_does_not_cross_itself(aside):
    """A visitor's mouth that moves sideways more at its middle than at its corners moved the
    bunched far half of the portrait's lips past its own corner: the opening's outline crossed
    itself and tore in a jagged spike. Foreshortened, each lip keeps its order to the corner."""
    dst, _, _ = aside.place(Motion(offsets=_oh(aside, sideways=0.1)))
    middle = dst[13, 0]
    for row in _far_half(aside, dst):
        reach = np.abs(dst[row, 0] - middle)
        assert np.all(np.diff(reach) > -0.2), reach  # (it crossed by 0.7-1.1 px here)


def _jaw_drop(animator: MeshAnimator, lip: float, chin: float, wider: float) -> np.ndarray:
    """A visitor's wide-open 'aah' seen from the front: the lower lip drops by `lip` face
    heights at its middle (an ellipse towards the corners) and widens, each point moving out
    by up to `wider` eye distances at the corners; the skin below drops as the chin does
    (`chin`), less towards the ears; all of it moves back by half its drop (the jaw turns
    about the ears)."""
    front = animator._rest[0][:468] @ animator._sitter_turn
    x, y = front[:, 0], front[:, 1]
    middle = front[[61, 291], 0].mean()
    across = np.abs(x - middle) / (abs(front[291, 0] - front[61, 0]) / 2)
    drop = np.where(y > front[[61, 291], 1].mean(), chin * np.clip(1.2 - 0.6 * across, 0.0, 1.0), 0.0)
    lower = np.array(sorted({p for row in LIP_ROWS[4:] for p in row}))
    drop[lower] = np.maximum(lip * np.sqrt(np.clip(1.0 - across[lower] ** 2, 0.0, 1.0)), 0.5 * drop[lower])
    offsets = np.zeros((468, 3), np.float32)
    offsets[:, 1], offsets[:, 2] = drop, 0.5 * drop
    offsets[lower, 0] = wider * np.sign(x[lower] - middle) * np.minimum(across[lower], 1.0)
    return offsets


@pytest.mark.parametrize("lip, chin", [(0.16, 0.085), (0.2, 0.1)])
def test_a_turned_sitters_chin_drops_as_the_visitors_when_the_mouth_opens_wide(aside, lip, chin):
    """Folds were looked for, and eased, with the lips where the plain turn put them; the
    far half of the lower lip is drawn foreshortened (TurnedLips) only afterwards. Widening,
    it overtook the skin beside the far corner, and easing that copied the lip's whole drop
    from point to point down to the jaw line, which followed it: the chin dropped by the
    lip's 0.16-0.19 face heights instead of the visitor's 0.085-0.1 (half of the development
    sitters turned 25-35 degrees), the beard and collar drawn into streaks. The chin drops as
    the visitor's, the lip as the visitor's lip, and nothing drawn is left folded."""
    rest, _, _ = aside.place(Motion())
    dst, _, _ = aside.place(Motion(offsets=_jaw_drop(aside, lip, chin, wider=0.06)))
    face_height = aside._rest[3][1]
    assert (dst[152, 1] - rest[152, 1]) / face_height == pytest.approx(chin, abs=0.01)
    assert (dst[17, 1] - rest[17, 1]) / face_height > 0.9 * lip
    assert not aside.warper.easing.folded(dst).any()


def test_a_sitter_nearly_facing_the_viewer_moves_its_lips_nearly_as_before(stack, sitter):
    """On a sitter facing the viewer the lips seen are the lips seen from the front; the
    shipped sitter, turned about 11 degrees, moves them within a tenth of the opening."""
    animator = MeshAnimator(sitter, stack)
    offsets = _oh(animator, sideways=0.05)
    moved, _, _ = animator.place(Motion(offsets=offsets))
    animator._turned_lips.move = lambda *args: None  # as before the lips were foreshortened
    plain, _, _ = animator.place(Motion(offsets=offsets))
    assert np.abs(moved - plain).max() < 0.1 * 0.12 * animator._rest[3][1]


def _outline_gap(points: np.ndarray, point: int, kept: np.ndarray) -> float:
    """How far `point` lies inside the hull of the face's other points (negative: beyond it)."""
    hull = cv2.convexHull(points[kept, :2].astype(np.float32))
    return cv2.pointPolygonTest(hull, (float(points[point, 0]), float(points[point, 1])), True)


def test_the_far_mouth_is_held_inside_the_cheeks_outline_but_not_the_heads_own_turn(aside):
    """The expression carried a turned sitter's far mouth corner out past the cheek's outline
    (0.015-0.025 face heights on five sitters turned 25-36 degrees, in most of a talking
    driver's frames): the opening spilled over the far cheek and the outline tore. Now no
    lip point comes nearer the outline than OUTLINE_MARGIN of the face height (or than it
    lay before the expression); a head turned further away, hiding its far corner behind
    the cheek, is left to the depth order."""
    from installation.models.motion.mesh.turned_lips import LIP_POINTS, OUTLINE_MARGIN, LipsInsideTheFace

    rest = aside._rest[0]
    height = aside.rig.face_height
    held = LipsInsideTheFace(rest, aside._sitter_turn, height)
    kept = held.outline_points
    far = 291 if aside.rig.mesh[1, 0] > aside.rig.mesh[[234, 454], 0].mean() else 61
    before = _outline_gap(rest, far, kept)
    assert before > OUTLINE_MARGIN * height  # this sitter's far corner lies well inside at rest
    # A smile pulling the far half of the mouth straight out towards the cheek's outline.
    centre = rest[kept, :2].mean(0)
    out = rest[far, :2] - centre
    out /= np.linalg.norm(out)
    front = rest[:468] @ aside._sitter_turn
    share = np.clip((front[LIP_POINTS, 0] - front[13, 0]) / (front[far, 0] - front[13, 0]), 0.0, 1.0)
    moved = rest.copy()
    moved[LIP_POINTS, :2] += (0.1 * height * share ** 2)[:, None] * out
    assert _outline_gap(moved, far, kept) < 0.0  # carried past the outline
    assert held.hold(moved, rest) > 0
    assert _outline_gap(moved, far, kept) >= OUTLINE_MARGIN * height - 0.01
    # The near half, far from the outline, moves as the expression says.
    near = LIP_POINTS[share == 0.0]
    assert np.allclose(moved[near, :2], rest[near, :2])
    # The head turned on its own (no expression beyond it): nothing is held.
    turned = rest.copy()
    turned[:468, 0] += 0.3 * (rest[:468, 2] - rest[:468, 2].mean())  # a turn's sideways shift by depth
    assert held.hold(turned.copy(), turned) == 0


def _far_corner_resting_at(aside, share_of_margin: float) -> tuple[np.ndarray, int, np.ndarray, float]:
    """The sitter's rest points with its mouth slid sideways so that its far corner rests
    `share_of_margin` margins inside the cheek's outline (a sitter turned a little further);
    the far corner, the direction out from it and the margin in pixels."""
    from installation.models.motion.mesh.turned_lips import LIP_POINTS, OUTLINE_MARGIN, _gaps

    rest = aside._rest[0].copy()
    height = aside.rig.face_height
    held_outline = _held(aside).outline_points
    far = 291 if aside.rig.mesh[1, 0] > aside.rig.mesh[[234, 454], 0].mean() else 61
    hull = cv2.convexHull(rest[held_outline, :2].astype(np.float32)).reshape(-1, 2).astype(np.float64)
    gap, inwards = _gaps(hull, rest[[far], :2])
    margin = OUTLINE_MARGIN * height
    rest[LIP_POINTS, :2] += (gap[0] - share_of_margin * margin) * -inwards[0]
    return rest, far, -inwards[0], margin


def _held(aside):
    from installation.models.motion.mesh.turned_lips import LipsInsideTheFace

    return LipsInsideTheFace(aside._rest[0], aside._sitter_turn, aside.rig.face_height)


def test_a_far_corner_resting_near_the_margin_still_smiles_outwards(aside):
    """A far mouth corner resting just beyond the margin (Parker's: 6 px from the cheek's
    outline against a 5 px margin) was held at the margin: the visitor's smile could carry it
    out by a pixel, and the held smile followed the visitor's at r 0.97 instead of 0.99. Now
    it may come half a margin nearer than it rests, and a wider smile is still stopped short
    of the outline, never past it."""
    rest, far, out, margin = _far_corner_resting_at(aside, 1.2)
    kept = _held(aside).outline_points
    smiled = rest.copy()
    smiled[far, :2] += 0.4 * margin * out  # the corner pulled out by a smile
    assert _held(aside).hold(smiled, rest) == 0
    assert np.allclose(smiled[far, :2], rest[far, :2] + 0.4 * margin * out)
    wide = rest.copy()
    wide[far, :2] += 3.0 * margin * out  # a broad smile carrying it well past the outline
    assert _held(aside).hold(wide, rest) > 0
    assert _outline_gap(wide, far, kept) >= 0.7 * margin - 0.01


def test_a_cheek_the_expression_draws_in_does_not_push_the_lips_in(aside):
    """Where the expression moved the cheek's outline itself inwards (3 px on a turned sitter)
    with the lips where they rest, the hold pushed the far corner in with it though nothing
    crossed anything: the outline the lips are held inside is the cheek's as it rests and as
    it is moved, whichever lies further out."""
    rest, far, out, margin = _far_corner_resting_at(aside, 0.8)
    kept = _held(aside).outline_points
    drawn_in = rest.copy()
    beside = kept[np.linalg.norm(rest[kept, :2] - rest[far, :2], axis=1) < 5.0 * margin]
    drawn_in[beside, :2] -= 0.5 * margin * out  # the cheek beside the corner drawn in
    assert _outline_gap(drawn_in, far, kept) < 0.6 * margin
    before = drawn_in.copy()
    assert _held(aside).hold(drawn_in, rest) == 0
    assert np.array_equal(drawn_in, before)


def test_a_lip_is_never_let_past_the_cheek_as_drawn(aside):
    """Held off the cheek's outline as it rests, a lip must still not cross the cheek where the
    expression draws it in further than the corner rests from it (the outline would tear)."""
    rest, far, out, margin = _far_corner_resting_at(aside, 0.8)
    kept = _held(aside).outline_points
    drawn_in = rest.copy()
    beside = kept[np.linalg.norm(rest[kept, :2] - rest[far, :2], axis=1) < 12.0 * margin]
    drawn_in[beside, :2] -= 2.0 * margin * out  # the cheek drawn in past where the corner rests
    assert _outline_gap(drawn_in, far, kept) < 0.0
    assert _held(aside).hold(drawn_in, rest) > 0
    assert _outline_gap(drawn_in, far, kept) >= -0.01


def test_lips_well_inside_the_outline_are_measured_once_a_frame(aside, monkeypatch):
    """Where every lip point lies farther inside the cheek's outline than OUTLINE_MARGIN, none
    is held, whatever the head's own turn allows: that outline is not measured as well (it was,
    every frame: a hull and its gaps, a tenth of a millisecond of each frame of a frontal sitter)."""
    from installation.models.motion.mesh import turned_lips
    from installation.models.motion.mesh.turned_lips import LipsInsideTheFace

    rest = aside._rest[0]
    held = LipsInsideTheFace(rest, aside._sitter_turn, aside.rig.face_height)
    measured = []
    gaps = turned_lips._gaps
    monkeypatch.setattr(turned_lips, "_gaps", lambda outline, points: (measured.append(1), gaps(outline, points))[1])
    moved = rest.copy()
    assert held.hold(moved, rest) == 0
    assert np.array_equal(moved, rest)
    assert len(measured) == 1


def test_a_mouth_on_the_cheeks_outline_is_told_to_the_curator(aside):
    """Where the mesh puts the far mouth corner on the cheek's outline (a sitter turned 36-41
    degrees), that side of the mouth moves less: `check` and `portrait inspect` say so."""
    from installation.models.motion.mesh.turned_lips import LipsInsideTheFace, _gaps, mouth_at_the_outline

    mesh = aside.rig.mesh.astype(np.float64)
    assert not mouth_at_the_outline(mesh)  # turned 30 degrees: its far corner 0.07 inside
    far = 291 if mesh[1, 0] > mesh[[234, 454], 0].mean() else 61
    height = float(np.linalg.norm(mesh[152, :2] - mesh[10, :2]))
    kept = LipsInsideTheFace(aside._rest[0], aside._sitter_turn, height).outline_points
    hull = cv2.convexHull(mesh[kept, :2].astype(np.float32)).reshape(-1, 2).astype(np.float64)
    gap, inwards = _gaps(hull, mesh[[far], :2])
    onto = mesh.copy()
    onto[far, :2] -= inwards[0] * gap[0]  # the far corner moved onto the cheek's outline
    assert abs(_outline_gap(onto, far, kept)) < 0.01 * height
    assert mouth_at_the_outline(onto)


def test_check_and_inspect_say_the_far_side_of_the_mouth_moves_less(tmp_path, capsys, stack, monkeypatch):
    import dataclasses

    from installation.cli import main
    from installation.models.motion import mesh as mesh_package
    from installation.models.motion.mesh.turned_lips import LipsInsideTheFace, _gaps
    from tests.conftest import write_show

    write_show(tmp_path, {"p": """
        type = "portrait"
        id = "p"
        [[portraits]]
        image = "aside.jpg"
        """})
    picture = tmp_path / "content" / "aside.jpg"
    picture.write_bytes(TURNED.read_bytes())
    animator = MeshAnimator(cv2.cvtColor(cv2.imread(str(TURNED)), cv2.COLOR_BGR2RGB), stack)
    mesh = animator.rig.mesh.astype(np.float64)
    far = 291 if mesh[1, 0] > mesh[[234, 454], 0].mean() else 61
    kept = LipsInsideTheFace(animator._rest[0], animator._sitter_turn, animator.rig.face_height).outline_points
    hull = cv2.convexHull(mesh[kept, :2].astype(np.float32)).reshape(-1, 2).astype(np.float64)
    gap, inwards = _gaps(hull, mesh[[far], :2])
    mesh[far, :2] -= inwards[0] * gap[0]  # the mesh puts its far corner on the cheek's outline
    found = mesh_package.find_portrait_face
    monkeypatch.setattr(mesh_package, "find_portrait_face",
                        lambda image, stack: dataclasses.replace(found(image, stack), landmarks=mesh))
    said = "the mouth's far corner lies on the cheek's outline"
    main(["check", "--show", str(tmp_path / "install.toml")])
    assert f"'aside.jpg': {said}" in capsys.readouterr().out
    assert main(["portrait", "inspect", str(picture), "-o", str(tmp_path / "mesh.png")]) == 0
    assert said in capsys.readouterr().out
