"""A turned sitter's mouth opening wider frame by frame: the chin and the whole jaw line move
as smoothly as the lip does, and no further than the visitor's own, however the skin under
the lip and beside the mouth's far corner folds.

CC0 faces turned 20-30 degrees (tests/data/faces-cc0), as drawn and mirrored; the visitor's
mouth opening is made here: the lower lip drops, the skin below it and the jaw about half as far.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from installation.models.motion.mesh import MeshAnimator
from installation.models.motion.mesh.chin_skin import _crossing
from installation.models.motion.mesh.folds import triangle_areas
from installation.models.motion.mesh.named_points import (
    FACE_OVAL,
    JAW_LINE,
    LOWER_INNER_LIP,
    LOWER_OUTER_LIP,
    OUTER_LIPS,
)

FACES = Path(__file__).parent / "data" / "faces-cc0"
CHIN = 152
DROPS = np.linspace(0.0, 0.2, 81)  # the lower lip's drop, in face heights: 0.0025 a frame
JAW_SHARE = 0.55  # how far the skin under the lip and the jaw drop, as a share of the lip's


@pytest.fixture(scope="module")
def stack():
    from installation.models.face import FaceStack

    return FaceStack.open()


def _turned(stack, name: str, mirrored: bool) -> MeshAnimator:
    picture = cv2.cvtColor(cv2.imread(str(FACES / name)), cv2.COLOR_BGR2RGB)
    return MeshAnimator(picture[:, ::-1].copy() if mirrored else picture, stack)


def _lower_lip_and_below(src: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lip = np.array(sorted(set(LOWER_INNER_LIP[1:-1]) | set(LOWER_OUTER_LIP[1:-1])))
    below = np.union1d(np.flatnonzero(src[:468, 1] > src[list(OUTER_LIPS), 1].max()), JAW_LINE)
    return lip, below


@pytest.mark.parametrize(("name", "mirrored"), [("face_man_120.jpg", False), ("face_man_125.jpg", False),
                                                ("face_man_169.jpg", False), ("face_man_169.jpg", True),
                                                ("face_man_120.jpg", True), ("face_man_125.jpg", True),
                                                ("face_man_132.jpg", True)])
def test_the_chin_and_jaw_follow_an_opening_mouth_without_jumping(stack, name, mirrored):
    animator = _turned(stack, name, mirrored)
    warper, height = animator.warper, animator.rig.face_height
    src = warper.src
    lip, below = _lower_lip_and_below(src)
    jaw = []
    for drop in DROPS:
        dst = src.copy()
        dst[below, 1] += JAW_SHARE * drop * height
        dst[lip, 1] += drop * height
        eased = warper.unfold(dst)
        assert not warper.easing.folded(eased).any()  # (eased, not left folded)
        jaw.append((eased[list(JAW_LINE), 1] - src[list(JAW_LINE), 1]) / height)
    jaw = np.array(jaw)  # frames x jaw line points, from the ear to the chin to the ear
    visitor = JAW_SHARE * DROPS[:, None]
    # (Before: in one frame the chin took the lip's whole drop, 0.05-0.09 face heights, and kept
    # it; mirrored, the jaw line was dragged down beside the chin 0.05-0.08 further than the
    # visitor's, jumping 0.04-0.07 face heights in a frame.)
    assert np.abs(np.diff(jaw, axis=0)).max() < 4 * JAW_SHARE * (DROPS[1] - DROPS[0])
    assert np.abs(jaw - visitor).max() < 0.02
    assert np.abs(jaw[:, JAW_LINE.index(CHIN)] - visitor[:, 0]).max() < 0.02


def _far_cheek_held(src: np.ndarray, lip_drop: float):
    """The lower lip dropped by `lip_drop` (pixels), the skin below it by half that, and the cheek
    beside and below the far mouth corner (the one nearer the face's edge) held where it was:
    the skin there folds outside the strip between the corners. (moved points, lip, cheek)"""
    lip, below = _lower_lip_and_below(src)
    far_left = src[61, 0] - src[234, 0] < src[454, 0] - src[291, 0]
    corner = 61 if far_left else 291
    beyond = src[:468, 0] < src[corner, 0] if far_left else src[:468, 0] > src[corner, 0]
    cheek = np.setdiff1d(np.flatnonzero(beyond & (src[:468, 1] > src[corner, 1])), np.union1d(lip, JAW_LINE))
    dst = src.copy()
    dst[below, 1] += lip_drop / 2
    dst[lip, 1] += lip_drop
    dst[cheek] = src[cheek]
    return dst, lip, cheek


@pytest.mark.parametrize(("name", "mirrored"), [("face_man_125.jpg", True), ("face_man_132.jpg", True),
                                                ("face_man_169.jpg", False), ("face_man_169.jpg", True)])
def test_a_fold_beside_the_far_mouth_corner_leaves_the_jaw_where_the_visitor_put_it(stack, name, mirrored):
    """The lower lip drops 0.16 face heights, the chin and jaw half that, and the cheek beside
    and below the far mouth corner (seen nearly edge-on) stays: the skin there folds, outside
    the mouth corners. The jaw line keeps the visitor's drop."""
    animator = _turned(stack, name, mirrored)
    warper, height = animator.warper, animator.rig.face_height
    src = warper.src
    dst, lip, cheek = _far_cheek_held(src, 0.16 * height)
    folded = warper.easing.triangles[warper.easing.folded(dst)]
    assert np.isin(folded, cheek).any()  # (a fold beside the far corner, outside the strip between the corners)
    eased = warper.unfold(dst)
    assert not warper.easing.folded(eased).any()
    # (Before: eased as their farthest-moved neighbours, the skin above the jaw took the lip's
    # drop and the jaw line followed it, 0.02-0.08 face heights further than the visitor's.)
    assert np.abs(eased[list(JAW_LINE)] - dst[list(JAW_LINE)]).max() / height < 0.005


def test_the_widest_made_mouth_is_eased_within_a_bounded_frame(stack, monkeypatch):
    """The widest made frame of a turned sitter (the lip dropped 0.24 face heights, the chin
    and jaw half that, the cheek beside the far corner held: some 40 easing steps) is eased
    in at most MOST_STEPS steps, and each step measures again only the triangles it moved:
    the whole face's checked triangles are measured a few times a frame, not once a step."""
    from installation.models.motion.mesh import easing

    animator = _turned(stack, "face_man_132.jpg", False)
    warper, height = animator.warper, animator.rig.face_height
    src = warper.src
    dst, lip, cheek = _far_cheek_held(src, 0.24 * height)
    measured = []
    areas = easing._signed_areas
    monkeypatch.setattr(easing, "_signed_areas", lambda points, triangles: (measured.append(len(triangles)),
                                                                           areas(points, triangles))[1])
    eased = warper.unfold(dst)
    assert not warper.easing.folded(eased).any()
    checked = int(warper.easing.checked.sum())
    # (Before: every step measured all the checked triangles again: 45 times the face's in this
    # frame, 7.5 now.)
    assert sum(measured) < 10 * checked
    assert 30 <= warper.easing.steps <= easing.MOST_STEPS  # (a frame of many steps: else this tests nothing)


def test_the_first_wide_open_mouth_builds_nothing_in_its_frame(stack, monkeypatch):
    """The chin's skin spread (a solve over the lower face's points) is made with the portrait,
    not in the first frame whose mouth opens wide enough to fold: there it took 12-30 ms more,
    a hitch just as the visitor first opens their mouth."""
    animator = _turned(stack, "face_man_169.jpg", False)
    warper, height = animator.warper, animator.rig.face_height
    src = warper.src
    lip, below = _lower_lip_and_below(src)
    dst = src.copy()
    dst[below, 1] += 0.08 * height
    dst[lip, 1] += 0.16 * height
    assert warper.easing.folded(dst).any()  # (the skin under the lip folds: the chin's skin is spread)
    solves = []
    solve = np.linalg.solve
    monkeypatch.setattr(np.linalg, "solve", lambda *args: (solves.append(1), solve(*args))[1])
    eased = warper.unfold(dst)
    assert not warper.easing.folded(eased).any()
    assert not solves


def _below_the_jaw(points: np.ndarray, jaw: np.ndarray) -> np.ndarray:
    """How far below the jaw line (pixels; its lowest crossing down the picture) each point lies,
    where the jaw line spans it across (-inf elsewhere)."""
    _, jaw_down = _crossing(points[:, 0], jaw)
    spanned = (points[:, 0] > jaw[:, 0].min()) & (points[:, 0] < jaw[:, 0].max())
    return np.where(spanned, points[:, 1] - jaw_down, -np.inf)


def _largest_stretch(before: np.ndarray, after: np.ndarray) -> float:
    """The most any of the triangles (corners x (x, y), before and after) is stretched, in any direction."""
    def edges(corners):
        return np.stack([corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0]], axis=2)

    return float(np.linalg.svd(edges(after) @ np.linalg.inv(edges(before)), compute_uv=False)[:, 0].max())


@pytest.mark.parametrize(("name", "mirrored", "lip_drop"), [("face_man_132.jpg", False, 0.2),
                                                            ("face_man_132.jpg", True, 0.24),
                                                            ("face_man_116.jpg", True, 0.24),
                                                            ("face_man_120.jpg", True, 0.24)])
def test_the_widest_mouth_keeps_the_skin_inside_the_jaw_and_the_jaw_unstretched(stack, name, mirrored, lip_drop):
    """The widest-open mouths of a turned sitter (the lip dropped 0.2-0.24 face heights, the chin
    and jaw half that, the cheek beside the far corner held: what easing's spreading and averaging
    leaves folded is pushed): no point of the face inside the jaw line ends below it, and the
    face's triangles along the jaw are stretched no more than the visitor's own motion stretched
    them."""
    animator = _turned(stack, name, mirrored)
    warper, height = animator.warper, animator.rig.face_height
    src, jaw = warper.src, list(JAW_LINE)
    dst, _, _ = _far_cheek_held(src, lip_drop * height)
    eased = warper.unfold(dst)
    assert not warper.easing.folded(eased).any()
    inner = np.setdiff1d(np.arange(468), np.union1d(JAW_LINE, FACE_OVAL))
    inner = inner[_below_the_jaw(src[inner], src[jaw]) < 0]  # (inside the jaw line at rest)
    # (Before: pushed past the jaw line, the far cheek took the lip's whole drop and ended
    # 0.08-0.11 face heights below the jaw, stretching the triangles along it 1.1-1.4 times more
    # than the visitor's motion did, and the jaw followed: the chin dropped 0.08-0.12 too far.)
    assert _below_the_jaw(eased[inner], eased[jaw]).max() < 0.02 * height
    triangles = warper.easing.triangles
    along = triangles[np.isin(triangles, jaw).any(axis=1) & (triangles < 468).all(axis=1)
                      & (np.abs(triangle_areas(src, triangles)) > (0.03 * height) ** 2)]  # (not the slivers)
    assert _largest_stretch(src[along], eased[along]) <= 1.05 * _largest_stretch(src[along], dst[along])
    assert np.abs(eased[jaw] - dst[jaw]).max() < 0.04 * height


def test_the_jaw_line_stops_following_the_chin_once_a_step_moves_nothing(stack, monkeypatch):
    """Where no share of its way unfolds the jaw line's triangles, the step after is the same
    step again: it is not taken. (Before: all eight were taken, each moving nothing, on three
    frames in four of the shared painting: 0.3 ms a frame.) The eased points are the same."""
    from installation.models.motion.mesh import easing

    animator = _turned(stack, "face_man_125.jpg", False)
    warper, height = animator.warper, animator.rig.face_height
    src = warper.src
    lip, below = _lower_lip_and_below(src)
    dst = src.copy()
    dst[below, 1] += JAW_SHARE * 0.115 * height
    dst[lip, 1] += 0.115 * height
    least_step, still = easing.least_step, []

    def recorded(points, moved, corners, *args, **kwargs):
        before = moved[corners].copy()
        done = least_step(points, moved, corners, *args, **kwargs)
        if args[1] is warper.easing._jaw_triangles:
            still.append(np.array_equal(done[0][corners], before))
        return done

    monkeypatch.setattr(easing, "least_step", recorded)
    eased = warper.unfold(dst)
    assert still and still[-1]  # (a jaw line that no step can move: else this tests nothing)
    assert still.count(True) == 1
    monkeypatch.setattr(easing, "least_step", least_step)
    # Every step taken, as before: the same points.
    monkeypatch.setattr(easing, "UNFOLD_STEPS", 1)
    again = warper.easing._unfold(dst)
    for _ in range(8):
        again = warper.easing._jaw_around_the_chin(again)
    assert np.array_equal(eased, again)
