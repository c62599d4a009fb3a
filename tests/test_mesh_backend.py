"""The mesh backend: a visitor's face mesh moves the portrait's own mesh, at full resolution.

These run on the sitter the show ships (content/portraits/thoreau-1856.jpg), so they need
nothing from ../shared.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import cv2
import numpy as np
import pytest

from installation.models.face import Expression, portrait_faces
from installation.models.motion.mesh import MeshAnimator, PortraitProblem, find_portrait_face
from installation.models.motion.mesh.motion import DriverReference, Motion, idle_motion
from installation.models.motion.mesh.named_points import JAW_LINE, LOWER_INNER_LIP, UPPER_INNER_LIP


@pytest.fixture(scope="module")
def animator(sitter, stack) -> MeshAnimator:
    return MeshAnimator(sitter, stack)


def _measure(stack, image) -> Expression:
    return portrait_faces(image, stack)[0].expression


def test_at_rest_the_portrait_is_untouched_pixel_for_pixel(animator, sitter):
    out = animator.render(Motion())
    assert np.abs(out.astype(int) - sitter.astype(int)).max() <= 1  # no blur at rest


def _mouth_motion(animator: MeshAnimator, opening: float) -> Motion:
    """A jaw drop like a visitor's: everything below the lips moves down by `opening` face
    heights, fading out sideways and towards the mouth line; the upper lip stays."""
    mesh = animator.rig.mesh[:, :2]
    height = animator.rig.face_height
    centre = (mesh[13] + mesh[14]) / 2
    width = np.linalg.norm(mesh[61] - mesh[291])
    below = mesh[:, 1] - centre[1]
    pull = np.clip(below / (0.02 * height) + 0.5, 0, 1) * np.exp(-((mesh[:, 0] - centre[0]) / (1.6 * width)) ** 2)
    pull[list(UPPER_INNER_LIP)] = 0.0
    pull[list(LOWER_INNER_LIP)] = 1.0
    pull[[78, 308]] = 0.5
    offsets = np.zeros((468, 3), np.float32)
    offsets[:, 1] = opening * pull
    return Motion(offsets=offsets)


def test_an_opening_mouth_opens_and_shows_an_interior_that_is_not_a_black_hole(animator, stack, sitter):
    rest = _measure(stack, sitter).mouth
    out = animator.render(_mouth_motion(animator, 0.09))
    moved = _measure(stack, out).mouth
    assert moved > rest + 0.04
    lm = portrait_faces(out, stack)[0].landmarks
    inner = np.round(lm[[13, 14], :2].mean(0)).astype(int)
    patch = out[inner[1] - 2:inner[1] + 3, inner[0] - 2:inner[0] + 3].astype(float)
    assert patch.mean() > 12  # a dark cavity graded to the picture, never pure black
    assert patch.mean() < np.percentile(sitter, 60)  # and darker than the face around it


def test_the_painted_mouth_is_as_soft_as_a_soft_print_and_as_sharp_as_a_sharp_one(stack, sitter):
    """A soft print (a halftone book portrait) got a mouth drawn half a pixel soft, like
    every other: crisp teeth and a hard-edged opening in a blurred face, pasted on."""
    from installation.models.motion.mesh.focus import face_blur, picture_blur

    def painted_blur(picture: np.ndarray) -> tuple[float, float]:
        animator = MeshAnimator(picture, stack)
        rest = animator.render(Motion())
        motion = _mouth_motion(animator, 0.09)
        out = animator.render(motion)
        changed = np.abs(out.astype(int) - rest.astype(int)).sum(-1) > 12
        ys, xs = np.nonzero(changed)
        # The opened mouth and the lower face around it, down past the dropped chin's edge
        # over the neck (which stays: under_jaw.py).
        dst = animator.place(motion)[0]
        jaw = dst[list(JAW_LINE)]
        bottom = int(dst[152, 1] + 0.1 * animator.rig.face_height)
        box = np.zeros(changed.shape, bool)
        box[ys.min():max(ys.max(), bottom) + 1, int(jaw[:, 0].min()):int(jaw[:, 0].max()) + 1] = True
        return picture_blur(out, box), face_blur(animator.rig)

    soft_mouth, soft_face = painted_blur(cv2.GaussianBlur(sitter, (0, 0), 2.5))
    sharp_mouth, sharp_face = painted_blur(sitter)
    assert soft_face > 2.0 > sharp_face + 0.5
    assert soft_mouth >= 0.85 * soft_face  # as soft as the face it is painted into
    assert sharp_mouth <= sharp_face + 0.3  # and no softer than a sharp one


def test_a_closed_lid_is_as_soft_as_a_soft_print(stack, sitter):
    """Its lash line and closed margin drawn a pixel sharp in a soft print, a closed eye read
    as a shell laid on the face."""
    from installation.models.motion.mesh.focus import face_blur, picture_blur

    def lid_blur(picture: np.ndarray) -> tuple[float, float]:
        animator = MeshAnimator(picture, stack)
        rest, shut = animator.render(Motion()), animator.render(Motion(eye_open=(0.0, 0.0)))
        changed = np.abs(shut.astype(int) - rest.astype(int)).sum(-1) > 12
        ys, xs = np.nonzero(changed)
        box = np.zeros(changed.shape, bool)
        box[ys.min():ys.max() + 1, xs.min():xs.max() + 1] = True  # both eyes
        return picture_blur(shut, box), face_blur(animator.rig)

    soft_lids, soft_face = lid_blur(cv2.GaussianBlur(sitter, (0, 0), 2.5))
    sharp_lids, sharp_face = lid_blur(sitter)
    assert soft_lids >= 0.85 * soft_face
    assert sharp_lids <= sharp_face + 0.3


def test_a_halftones_dots_stay_on_the_page_as_the_face_moves(stack, sitter):
    """A book's halftone is a screen of dots on the page. Warped with the face, the dots
    stretched and crowded around an opening mouth and a turning jaw: a ripple no print
    shows. Where the face moves, the result's dots are the page's own, as strong as the
    print's, and at rest the picture is the page itself."""
    from .test_mesh_expression import _halftone

    tone = cv2.cvtColor(sitter, cv2.COLOR_RGB2GRAY).astype(np.float32) / 255
    printed = _halftone(tone, period=5.0)
    animator = MeshAnimator(printed, stack)
    assert np.array_equal(animator.render(Motion()), printed)  # at rest, the page itself
    motion = _mouth_motion(animator, 0.09)
    motion.yaw = 12.0
    dst, gaze, depth = animator.place(motion)
    map_x, map_y = animator.warper.maps(dst, gaze, depth, motion.eye_open)
    out = animator.render(motion)
    x0, y0, x1, y1 = animator.rig.region
    yy, xx = np.mgrid[y0:y1, x0:x1]
    moved = np.hypot(map_x - xx, map_y - yy) > 1.5

    def dots(image: np.ndarray) -> np.ndarray:
        grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).astype(np.float32)
        return (grey - cv2.GaussianBlur(grey, (0, 0), 1.5))[y0:y1, x0:x1][moved]

    assert moved.sum() > 20_000
    assert np.corrcoef(dots(out), dots(printed))[0, 1] > 0.6  # carried along: 0.2
    assert dots(out).std() > 0.8 * dots(printed).std()  # and as strong as the print's


def test_how_soft_a_picture_is_is_measured_at_its_edges_whatever_its_grain():
    from installation.models.motion.mesh.focus import picture_blur

    rng = np.random.default_rng(4)
    shapes = np.full((400, 400), 128, np.float32)
    for _ in range(40):
        centre = tuple(int(v) for v in rng.integers(0, 400, 2))
        cv2.circle(shapes, centre, int(rng.integers(8, 60)), float(rng.integers(30, 230)), -1)
    everywhere = np.ones(shapes.shape, bool)
    measured = []
    for sigma in (0.0, 1.0, 2.0, 3.0):
        soft = cv2.GaussianBlur(shapes, (0, 0), sigma) if sigma else shapes
        grainy = np.clip(soft + rng.normal(0, 5, soft.shape), 0, 255).astype(np.uint8)
        measured.append(picture_blur(grainy, everywhere))
    assert measured[0] < 1.0  # a pixel-sharp edge
    assert all(abs(m - s) < 0.4 for m, s in zip(measured[1:], (1.0, 2.0, 3.0), strict=True))
    assert picture_blur(np.full((50, 50), 90, np.uint8), np.ones((50, 50), bool)) == 0.0  # nothing to read


def test_a_blink_draws_the_lids_down_over_the_irises(animator, sitter):
    closed = animator.render(Motion(eye_open=(0.05, 0.05)))
    for eye in animator.rig.eyes:
        x, y = np.round(eye.iris_centre).astype(int)
        r = max(2, int(eye.iris_radius * 0.5))
        before = sitter[y - r:y + r, x - r:x + r].astype(float).mean()
        after = closed[y - r:y + r, x - r:x + r].astype(float).mean()
        assert after > before + 15  # the dark iris is covered by (lighter) lid skin
    # The lower half of the picture is untouched by a blink.
    h = sitter.shape[0]
    assert np.array_equal(closed[int(0.75 * h):], sitter[int(0.75 * h):])


def _face_of(animator: MeshAnimator, image: np.ndarray) -> np.ndarray:
    """The middle of the face (inside the mesh's box, clear of its edge), as a picture."""
    (x0, y0), (x1, y1) = animator.rig.mesh[:, :2].min(0), animator.rig.mesh[:, :2].max(0)
    mx, my = 0.15 * (x1 - x0), 0.15 * (y1 - y0)
    return image[int(y0 + my):int(y1 - my), int(x0 + mx):int(x1 - mx)]


def _sharpness(image: np.ndarray) -> float:
    return float(cv2.Laplacian(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).astype(np.float64), cv2.CV_64F).var())


TURN = Motion(yaw=4.0, roll=2.5, shift=np.array([0.013, 0.007], np.float32))


def test_a_colour_portrait_keeps_the_sharpness_of_cubic_sampling_when_the_head_moves(stack, sitter):
    # The face is sampled finely in its lightness (what the eye reads as detail; this small
    # sitter's grain in whole pixels) and bilinear in its colour: within a few grey levels of
    # a full cubic sampling, and at least as sharp.
    colour = np.clip(sitter.astype(np.float32) * [1.1, 0.96, 0.8] + [8, 0, -6], 0, 255).astype(np.uint8)
    animator = MeshAnimator(colour, stack)
    warper = animator.warper
    assert not warper.sampler.monochrome
    dst, gaze, depth = animator.place(TURN)
    map_x, map_y = warper.maps(dst, gaze, depth)
    out = warper.paint(map_x, map_y, dst)
    cubic, bilinear = colour.copy(), colour.copy()
    x0, y0, x1, y1 = animator.rig.region
    for picture, how in ((cubic, cv2.INTER_CUBIC), (bilinear, cv2.INTER_LINEAR)):
        picture[y0:y1, x0:x1] = cv2.remap(colour, map_x, map_y, how, borderMode=cv2.BORDER_REFLECT)
    face, face_cubic, face_bilinear = (_face_of(animator, p) for p in (out, cubic, bilinear))
    assert np.abs(face.astype(int) - face_cubic.astype(int)).mean() < 2.5
    assert np.abs(face.astype(int) - _face_of(animator, colour).astype(int)).mean() > 4.0  # it did move
    assert _sharpness(face) >= 0.97 * _sharpness(face_cubic) > _sharpness(face_bilinear)


def test_a_grainy_print_keeps_its_grain_when_the_head_moves_by_part_of_a_pixel(stack, sitter):
    """Any interpolation at half a pixel loses a print's pixel-sized grain: a 1904
    photograph's face kept 0.63 of its Laplacian variance, and as the head moved its texture
    swam, sharp and soft by turns. The grain keeps its strength at every fraction of a
    pixel: as much fine detail as a true shift by that much keeps (Lanczos, of the whole
    picture through the same maps), more than cubic sampling alone."""
    grain = np.random.default_rng(7).normal(0.0, 7.0, sitter.shape[:2])[..., None]
    grainy = np.clip(sitter.astype(np.float64) + grain, 0, 255).astype(np.uint8)
    animator = MeshAnimator(grainy, stack)
    warper = animator.warper
    assert warper.sampler.grainy
    assert np.array_equal(animator.render(Motion()), grainy)  # at rest, still exact
    x0, y0, x1, y1 = animator.rig.region
    still = _sharpness(_face_of(animator, grainy))
    for offset in (0.25, 0.5):
        shift = np.full(2, offset / animator.rig.face_height, np.float32)
        dst, gaze, depth = animator.place(Motion(shift=shift))
        map_x, map_y = warper.maps(dst, gaze, depth)
        moved = warper.paint(map_x, map_y, dst)
        face = _face_of(animator, moved)
        assert np.abs(face.astype(int) - _face_of(animator, grainy).astype(int)).mean() > 2.0  # it did move
        kept = {}
        for how in (cv2.INTER_LANCZOS4, cv2.INTER_CUBIC):
            picture = grainy.copy()
            picture[y0:y1, x0:x1] = cv2.remap(grainy, map_x, map_y, how, borderMode=cv2.BORDER_REFLECT)
            kept[how] = _sharpness(_face_of(animator, picture)) / still
        ours = _sharpness(face) / still
        assert ours >= 0.95 * kept[cv2.INTER_LANCZOS4] and ours > 1.1 * kept[cv2.INTER_CUBIC], (offset, ours, kept)
    # A face with no grain at its scale (here the sitter enlarged) is sampled as before,
    # without the grain's cost.
    smooth = cv2.resize(sitter, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    assert not MeshAnimator(smooth, stack).warper.sampler.grainy


def test_a_slow_jaw_moves_the_grain_with_it_smoothly(animator):
    """The grain of a grainy print (the shipped sitter at half size) moves with the skin by
    fractions of a pixel. Moved in whole pixels, the whole moving jaw's grain jumped by a
    pixel at once every few frames of a slow jaw: those frames changed the chin two to
    three times as much as the frames between, and a visitor saw the grain tick."""
    assert animator.warper.sampler.grainy
    rig = animator.rig
    mesh, h = rig.mesh, rig.face_height
    lower = mesh[:, 1] > mesh[[61, 291], 1].max()  # the face below the mouth's corners
    cx, cy = rig.points[152, :2]
    box = (slice(int(cy - 0.3 * h), int(cy + 0.05 * h)), slice(int(cx - 0.3 * h), int(cx + 0.3 * h)))
    changes, before = [], None
    for k in range(16):  # a thousandth of the face's height a frame: a fifth of a pixel here
        offsets = np.zeros((468, 3), np.float32)
        offsets[lower, 1] = 0.001 * k
        frame = animator.render(Motion(offsets=offsets))[box].astype(np.float32)
        if before is not None:
            changes.append(float(np.abs(frame - before).mean()))
        before = frame
    assert max(changes) < 1.5 * np.median(changes), changes


def test_a_monochrome_portrait_renders_as_its_colour_self_would(animator, stack, sitter):
    # An old photograph is sampled in one channel and spread to three. One grey level of
    # red in a corner of the region sends the same picture down the three-channel path:
    # the two must agree.
    from dataclasses import replace

    assert animator.warper.sampler.monochrome
    tinted = sitter.copy()
    x0, y0 = animator.rig.region[:2]
    tinted[y0, x0, 0] = min(int(tinted[y0, x0, 0]) + 1, 255) if tinted[y0, x0, 0] < 255 else 254
    colour = MeshAnimator(tinted, stack, rig=replace(animator.rig, image=tinted))
    assert not colour.warper.sampler.monochrome
    diff = np.abs(animator.render(TURN).astype(int) - colour.render(TURN).astype(int))
    assert diff.max() <= 1 and diff.mean() < 0.01


def test_head_roll_tilts_the_head(animator, stack, sitter):
    rest = _measure(stack, sitter).roll
    tilted = _measure(stack, animator.render(Motion(roll=10.0))).roll
    assert 6.0 < tilted - rest < 14.0


def test_wild_motion_never_folds_the_face_or_raises(animator):
    rng = np.random.default_rng(3)
    before = animator.warper.folds_eased
    motion = Motion(offsets=rng.normal(0, 0.2, (468, 3)).astype(np.float32), yaw=20, pitch=-20)
    out = animator.render(motion)
    assert out.shape == animator.portrait.shape and out.dtype == np.uint8
    assert animator.warper.folds_eased > before


def test_the_driver_reference_separates_head_motion_from_expression(stack, sitter):
    face = portrait_faces(sitter, stack)[0]
    reference = DriverReference(face.landmarks)
    still = reference.motion(face.landmarks)
    assert np.abs(still.offsets).max() < 1e-4 and abs(still.roll) < 1e-3 and still.eye_open == (1.0, 1.0)
    centre = face.landmarks[:, :2].mean(0)
    turn = math.radians(12)
    rot = np.array([[math.cos(turn), -math.sin(turn)], [math.sin(turn), math.cos(turn)]])
    tilted = face.landmarks.copy()
    tilted[:, :2] = (face.landmarks[:, :2] - centre) @ rot.T + centre
    motion = reference.motion(tilted)
    assert abs(motion.roll - 12) < 0.5
    assert np.abs(motion.offsets).max() < 0.01  # a tilt is not an expression


def test_idle_motion_blinks_every_few_seconds():
    openings = [min(idle_motion(t / 30).eye_open) for t in range(30 * 9)]
    assert min(openings) < 0.2 and np.mean(np.array(openings) > 0.95) > 0.8


def test_pictures_that_cannot_be_animated_say_why(stack, sitter):
    noise = np.random.default_rng(0).integers(0, 255, (400, 300, 3), dtype=np.uint8)
    with pytest.raises(PortraitProblem, match="no face"):
        find_portrait_face(noise, stack)
    with pytest.raises(PortraitProblem, match="2 faces"):
        find_portrait_face(np.hstack([sitter, sitter]), stack)
    tiny = cv2.resize(sitter, None, fx=0.16, fy=0.16, interpolation=cv2.INTER_AREA)
    canvas = np.full((400, 400, 3), 128, np.uint8)
    canvas[100:100 + tiny.shape[0], 100:100 + tiny.shape[1]] = tiny
    with pytest.raises(PortraitProblem, match="px|no face"):  # too small to animate, or to find
        find_portrait_face(canvas, stack)


def test_portrait_inspect_draws_the_mesh_and_says_whether_it_can_animate(tmp_path, sitter, capsys):
    from installation.cli import main

    good = tmp_path / "sitter.png"
    cv2.imwrite(str(good), cv2.cvtColor(sitter, cv2.COLOR_RGB2BGR))
    assert main(["portrait", "inspect", str(good), "-o", str(tmp_path / "overlay.png")]) == 0
    overlay = cv2.imread(str(tmp_path / "overlay.png"))
    assert overlay is not None and overlay.shape[0] >= sitter.shape[0]
    # A three-quarter sitter: the curator is told how much of a visitor's turn it takes.
    from pathlib import Path

    aside = Path(__file__).parent / "data" / "faces-cc0" / "face_man_120.jpg"
    assert main(["portrait", "inspect", str(aside), "-o", str(tmp_path / "aside.png")]) == 0
    said = capsys.readouterr().out
    assert re.search(r"turned 3\d degrees, so it takes [3-6]\d% of a visitor's head turn", said)
    wall = tmp_path / "wall.png"
    cv2.imwrite(str(wall), np.full((300, 300, 3), 90, np.uint8))
    assert main(["portrait", "inspect", str(wall), "-o", str(tmp_path / "wall-mesh.png")]) == 1


def test_check_names_a_portrait_that_cannot_be_animated(tmp_path, capsys):
    from installation.cli import main
    from tests.conftest import write_show

    write_show(tmp_path, {"p": """
        type = "portrait"
        id = "p"
        [[portraits]]
        image = "wall.png"
        """})
    cv2.imwrite(str(tmp_path / "content" / "wall.png"), np.full((300, 300, 3), 90, np.uint8))
    main(["check", "--show", str(tmp_path / "install.toml")])
    out = capsys.readouterr().out
    assert "scenes/p.toml" in out and "wall.png' cannot be animated: no face found" in out
    # With none left, visitors meet the show's own sitter, and the curator is told so.
    assert "none of the listed portraits can be animated, so visitors meet the show's own sitter" in out


def test_a_sitter_nearly_in_profile_is_refused_with_the_reason(stack):
    """Past 45 degrees the mesh cannot see the far half of the face: an opening mouth was
    painted past the lips' outline. `check` names such a portrait instead."""
    from pathlib import Path

    path = Path(__file__).parent / "data" / "faces-cc0" / "face_woman_112.jpg"  # turned about 53 degrees
    image = cv2.cvtColor(cv2.imread(str(path)), cv2.COLOR_BGR2RGB)
    with pytest.raises(PortraitProblem, match="turned 5[0-9] degrees"):
        find_portrait_face(image, stack)


def test_a_profile_is_refused_though_the_mesh_reads_it_as_a_three_quarter_face(stack):
    """The mesh always fits a whole face: a CC0 profile was read as turned 35 degrees and
    accepted, and the visitor's open mouth was painted as a black blob in front of the
    sitter's lips, a blink as a line across the cheek. The detector's nose tip lies beyond
    the far eye in a profile; such a portrait is refused, facing either way."""
    from pathlib import Path

    path = Path(__file__).parent / "data" / "faces-cc0-doubted" / "face_woman_165.jpg"
    profile = cv2.cvtColor(cv2.imread(str(path)), cv2.COLOR_BGR2RGB)
    for image in (profile, np.ascontiguousarray(profile[:, ::-1])):
        assert portrait_faces(image, stack)  # found as a face: the refusal is about the pose
        with pytest.raises(PortraitProblem, match="in profile"):
            find_portrait_face(image, stack)
    # Three-quarter faces (about 30, 35 and 45 degrees) are not taken for profiles.
    data = path.parent.parent
    for aside in ("faces-cc0/face_man_120.jpg", "faces-cc0/face_man_68.jpg", "faces-cc0-doubted/face_woman_74.jpg"):
        image = cv2.cvtColor(cv2.imread(str(data / aside)), cv2.COLOR_BGR2RGB)
        assert portrait_faces(image, stack)[0].detection.nose_past_eyes < 0.35
    find_portrait_face(cv2.cvtColor(cv2.imread(str(data / "faces-cc0/face_man_120.jpg")), cv2.COLOR_BGR2RGB), stack)


def test_a_smile_made_by_the_engine_curls_the_mouth_corners_up_and_keeps_the_eyes_open(stack, sitter):
    """The quiz's altered photographs: the face mesh run on the result reads a wider mouth
    whose corners rose above its middle, and the eyes open (the lifted cheeks narrow them
    a little, as a real smile does)."""
    from installation.models.motion.mesh.made import smile, with_smile

    def corners_above_middle(lm: np.ndarray) -> float:
        height = float(np.linalg.norm(lm[10, :2] - lm[152, :2]))
        return float(lm[[13, 14], 1].mean() - lm[[61, 291], 1].mean()) / height

    before = portrait_faces(sitter, stack)[0].landmarks
    after = portrait_faces(with_smile(sitter, 1.5, stack), stack)[0].landmarks
    assert Expression.of(after).smile > Expression.of(before).smile * 1.04
    assert corners_above_middle(after) > corners_above_middle(before) + 0.01
    assert 0.8 * Expression.of(before).eyes < Expression.of(after).eyes <= Expression.of(before).eyes + 0.01
    assert not smile(before, 0.0).any()


def test_the_nose_past_the_eyes_measures_the_turn():
    from installation.models.face.detect import Detection

    def nose_at(x: float) -> float:
        points = np.array([[40, 50], [60, 50], [x, 62], [50, 75], [20, 55], [80, 55]], np.float32)
        return Detection((10, 20, 90, 100), points, 0.9).nose_past_eyes

    assert nose_at(50) == pytest.approx(-0.5)  # facing the viewer
    assert nose_at(58) == pytest.approx(-0.1)  # turned: nearer the far eye
    assert nose_at(60) == pytest.approx(0.0) == nose_at(40)  # at the far eye, either way
    assert nose_at(75) == pytest.approx(0.75)  # a profile
    both_eyes_on_one_point = Detection((0, 0, 10, 10), np.zeros((6, 2), np.float32), 0.9)
    assert both_eyes_on_one_point.nose_past_eyes == float("inf")


def test_the_pictures_own_edge_stays_still(stack):
    """A bust whose shoulders are cut by the picture's frame: the frame does not move when
    the head does. Moved, it sampled beyond the picture, and what was mirrored in from
    there slid along the edge as the head nodded."""
    from pathlib import Path

    path = Path(__file__).parent / "data" / "faces-cc0" / "face_man_120.jpg"
    bust = cv2.cvtColor(cv2.imread(str(path)), cv2.COLOR_BGR2RGB)[:200]  # the coat cut by the frame
    animator = MeshAnimator(bust, stack)
    assert animator.rig.region[3] == bust.shape[0]  # the moving region reaches the bottom edge
    for motion in (Motion(pitch=-20.0), Motion(pitch=20.0), Motion(yaw=20.0, roll=10.0)):
        out = animator.render(motion)
        assert np.array_equal(out[-1], bust[-1])
        assert np.abs(out[-40:-20].astype(int) - bust[-40:-20]).max() > 20  # the shoulders did move


def test_the_overlays_verdict_is_shown_whole_within_the_picture():
    """A refusal's last sentence says what to do; cut to a fixed length it was lost, and
    a long verdict ran off a narrow picture's edge."""
    from installation.models.motion.inspect import _wrapped

    verdict = ("cannot be animated: the face is in profile (its nose is drawn beyond its far eye); "
               "choose a portrait facing the viewer more, at most a three-quarter view")
    for width in (300, 500, 900):
        lines = _wrapped(verdict, width)
        assert " ".join(lines) == verdict
        assert all(cv2.getTextSize(line, cv2.FONT_HERSHEY_SIMPLEX, 0.5, 1)[0][0] <= width
                   for line in lines if " " in line)
    assert len(_wrapped(verdict, 300)) > len(_wrapped(verdict, 900))


def test_check_and_inspect_say_when_a_portrait_is_stored_upside_down_or_on_its_side(tmp_path, capsys):
    """The face stack finds a sitter turned half or a quarter round (and the portrait
    animates as it stands), but a scan stored turned is almost always a mistake."""
    from installation.cli import main
    from tests.conftest import write_show

    write_show(tmp_path, {"p": """
        type = "portrait"
        id = "p"
        [[portraits]]
        image = "upside.jpg"
        [[portraits]]
        image = "side.jpg"
        [[portraits]]
        image = "upright.jpg"
        """})
    sitter = cv2.imread(str(Path(__file__).resolve().parents[1] / "content/portraits/thoreau-1856.jpg"))
    cv2.imwrite(str(tmp_path / "content" / "upside.jpg"), cv2.rotate(sitter, cv2.ROTATE_180))
    cv2.imwrite(str(tmp_path / "content" / "side.jpg"), cv2.rotate(sitter, cv2.ROTATE_90_CLOCKWISE))
    cv2.imwrite(str(tmp_path / "content" / "upright.jpg"), sitter)
    main(["check", "--show", str(tmp_path / "install.toml")])
    out = capsys.readouterr().out
    assert "'upside.jpg': the sitter's face is upside down in the picture" in out
    assert re.search(r"'side.jpg': the sitter's face is on its side \(turned [7-9]\d degrees clockwise", out)
    # (check's notes name every portrait, with what it is read as: the upright one has no warning)
    assert "'upright.jpg'" not in out.split("\nWarnings (", 1)[1]
    # The curator's own look says it too.
    upside = str(tmp_path / "content" / "upside.jpg")
    assert main(["portrait", "inspect", upside, "-o", str(tmp_path / "o.png")]) == 0
    said = capsys.readouterr().out
    assert "OK: one face" in said and "but the face is upside down in the picture" in said


@pytest.mark.parametrize("drop", [0.05, 0.1])
def test_a_jaw_that_squeezes_the_chin_keeps_the_lower_lip_the_right_way_up(animator, drop):
    """On sitters turned 20-30 degrees, a wide-open mouth squeezed the band under the lower
    lip until its triangles folded; easing their corners back towards rest pulled the lip's
    outer edge up while its inner edge kept the jaw's move, so the lip turned inside out
    and the mouth read as a black hole with no lower lip. Here the lower lip drops while
    the chin under it stays: the lip must stay a lip, and the mouth open."""
    from installation.models.motion.mesh.named_points import LOWER_OUTER_LIP

    warper = animator.warper
    src = warper.src
    inner, outer = np.array(LOWER_INNER_LIP[1:-1]), np.array(LOWER_OUTER_LIP[1:-1])
    height = animator.rig.face_height
    dst = src.copy()
    dst[np.concatenate([inner, outer]), 1] += drop * height  # the whole lip drops with the jaw
    assert warper._folded(dst).any()  # the chin below it does not: folds, as on those sitters
    eased = warper.unfold(dst)
    assert not warper._folded(eased).any()
    thickness = eased[outer, 1] - eased[inner, 1]  # the outer edge lies below the inner one
    rest = src[outer, 1] - src[inner, 1]
    assert np.all(thickness > 0.3 * rest), (thickness, rest)  # a lip, the right way up
    opening = eased[inner, 1].mean() - src[inner, 1].mean()
    assert opening > 0.4 * drop * height  # the mouth still opens


@pytest.mark.parametrize("drop", [0.05, 0.1])
def test_easing_a_fold_under_a_dropped_lip_moves_the_chin_not_the_lip(animator, drop):
    """The lips are the expression: where a dropped lower lip squeezes the skin under it
    (on sitters turned about 30 degrees, the far side of the chin is seen nearly edge-on),
    the skin gives way. Averaged with the chin first, the lip was pulled up into a V, the
    opening's middle was held up with it, and the lip's red was stretched down the chin:
    the unseen turned sitters' yawns lost up to a fifth of their opening before anything
    was painted."""
    from installation.models.motion.mesh.named_points import LOWER_OUTER_LIP

    warper = animator.warper
    src = warper.src
    lip = np.array(sorted(set(LOWER_INNER_LIP[1:-1]) | set(LOWER_OUTER_LIP[1:-1])))
    move = drop * animator.rig.face_height
    dst = src.copy()
    dst[lip, 1] += move
    assert warper._folded(dst).any()
    eased = warper.unfold(dst)
    assert not warper._folded(eased).any()
    kept = (eased[lip, 1] - src[lip, 1]) / move
    assert kept.min() > 0.95, kept  # every point of the lip keeps its drop: no V, no lip left behind


def test_check_names_the_no_camera_words_left_in_the_default_beside_a_translated_heading(tmp_path, capsys):
    """A French heading, and with the camera resting the wall said "A portrait that moves"."""
    from installation.cli import main
    from tests.conftest import write_show

    write_show(tmp_path, {"p": """
        type = "portrait"
        id = "p"
        heading = "Bougez, le portrait vous suit"
        """})
    main(["check", "--show", str(tmp_path / "install.toml")])
    out = capsys.readouterr().out
    assert "heading_no_camera: 'heading' is your own but 'heading_no_camera'" in out
    assert "about_no_camera" not in out  # 'about' was left as it was: nothing to match


@pytest.mark.parametrize("drop", [0.12, 0.16])
def test_a_wide_open_mouth_drops_the_chin_as_far_as_the_visitors_own_chin(animator, drop):
    """A jaw opens by turning about its hinges: at the drivers' widest mouths the chin drops
    about half as far as the lower lip (0.085 face heights to the lip's 0.164), and the skin
    just under the lip is squeezed to almost nothing. On a sitter whose band under the lip is
    a little thinner that folded, and easing it moved the skin as the lip moves, down to the
    chin: the chin dropped as far as the lip (twice the visitor's), the lower cheeks and a
    beard were drawn into vertical streaks, and the chin's outline sank into the collar.
    Here the lip drops `drop` face heights and everything below it 0.55 of that."""
    from installation.models.motion.mesh.named_points import LOWER_OUTER_LIP, OUTER_LIPS

    warper = animator.warper
    src = warper.src
    height = animator.rig.face_height
    lip = np.array(sorted(set(LOWER_INNER_LIP[1:-1]) | set(LOWER_OUTER_LIP[1:-1])))  # corners stay
    below = np.union1d(np.flatnonzero(src[:468, 1] > src[list(OUTER_LIPS), 1].max()), JAW_LINE)  # the jaw drops
    dst = src.copy()
    dst[below, 1] += 0.55 * drop * height
    dst[lip, 1] += drop * height
    assert warper._folded(dst).any()  # the band under the lip is squeezed past folding
    eased = warper.unfold(dst)
    assert not warper._folded(eased).any()
    jaw = np.array(JAW_LINE)
    chin = (eased[jaw, 1] - src[jaw, 1]) / height
    assert np.abs(chin - 0.55 * drop).max() < 0.03 * drop, chin  # as the visitor's chin, no further
    kept = (eased[lip, 1] - src[lip, 1]) / (drop * height)
    assert kept.min() > 0.95, kept  # ... and the lip keeps its own
    # The skin between them is spread, not left squeezed to a line: no triangle under the lip
    # keeps less than a tenth of its area (the fold's threshold) and none turns over.
    from installation.models.motion.mesh.folds import triangle_areas

    under = np.all(np.isin(animator.rig.triangles, below), axis=1)
    ratio = triangle_areas(eased, animator.rig.triangles[under]) / warper.rest_area[under]
    assert ratio.min() > 0.1, ratio.min()


def test_the_chin_never_jumps_as_the_mouth_opens_wider(animator):
    """Frame after frame a mouth opens a little wider; where the skin under the lip begins
    to fold, easing it must not jump (the chin dropped at once from the visitor's drop to
    the lip's: a jerk of 0.13 face heights between two frames)."""
    from installation.models.motion.mesh.named_points import LOWER_OUTER_LIP, OUTER_LIPS

    warper = animator.warper
    src = warper.src
    height = animator.rig.face_height
    lip = np.array(sorted(set(LOWER_INNER_LIP[1:-1]) | set(LOWER_OUTER_LIP[1:-1])))
    below = np.union1d(np.flatnonzero(src[:468, 1] > src[list(OUTER_LIPS), 1].max()), JAW_LINE)  # the jaw drops
    eased, folded = [], []
    for drop in np.linspace(0.0, 0.16, 65):  # 0.0025 face heights more each frame
        dst = src.copy()
        dst[below, 1] += 0.55 * drop * height
        dst[lip, 1] += drop * height
        folded.append(warper._folded(dst).any())
        eased.append(warper.unfold(dst)[:468])
    assert not folded[0] and folded[-1]  # the skin under the lip begins to fold on the way
    steps = np.abs(np.diff(np.array(eased), axis=0)).max(axis=(1, 2)) / height
    assert steps.max() < 0.01, steps.max()  # the lip itself moves 0.0025 a frame


def test_a_driver_point_that_was_not_placed_never_faults_a_frame(animator, stack, sitter):
    """A NaN or inf in the visitor's mesh made NaN offsets and eyes: the lids' box could not be
    cut ("cannot convert float NaN to integer") and the frame faulted. The last whole motion
    is drawn again instead."""
    face = portrait_faces(sitter, stack)[0]
    animator.calibrate_on(face.landmarks)
    opened = face.landmarks.copy()
    opened[list(LOWER_INNER_LIP) + [152], 1] += 0.05 * animator.rig.face_height
    try:
        whole = animator.render(animator.reference.motion(opened))
        for bad in (np.nan, np.inf):
            broken = opened.copy()
            broken[13, 1] = bad
            with np.errstate(invalid="ignore"):  # (reading the motion itself makes the NaN)
                motion = animator.reference.motion(broken)
            assert np.array_equal(animator.render(motion), whole)
    finally:
        animator.end_visit()


def test_an_eye_reading_not_placed_keeps_the_eyes_and_moves_the_rest(animator, stack, sitter):
    """The iris model gave NaN while the mesh was whole: the whole last motion was drawn again,
    so the mouth stood still for that frame. Now the eyes keep their last good gaze and the
    rest (here an opening mouth) moves as read."""
    from installation.models.face.landmarks import Eye

    face = portrait_faces(sitter, stack)[0]
    eyes = stack.eyes(sitter, face.landmarks)
    animator.calibrate_on(face.landmarks, eyes)
    opened = face.landmarks.copy()
    opened[list(LOWER_INNER_LIP) + [152], 1] += 0.05 * animator.rig.face_height
    unread = tuple(Eye(e.lids, np.full_like(e.iris, np.nan)) for e in eyes)
    try:
        rest = animator.render(animator.reference.motion(face.landmarks, eyes))  # the last good frame
        with np.errstate(invalid="ignore"):  # (reading the motion itself makes the NaN)
            motion = animator.reference.motion(opened, unread)
        assert not np.isfinite(motion.gaze).all() and np.isfinite(motion.offsets).all()
        moved = animator.render(motion)
        assert np.array_equal(animator.last_motion.gaze, np.zeros((2, 2), np.float32))  # the eyes as they were
        animator.end_visit()
        animator.calibrate_on(face.landmarks, eyes)
        expected = animator.render(animator.reference.motion(opened, eyes))  # the same frame, eyes read
        assert np.array_equal(moved, expected) and not np.array_equal(moved, rest)  # the mouth opened
    finally:
        animator.end_visit()


def _looking_aside(eyes, share: float):
    """The same eyes with each iris moved sideways by `share` of its eye's width."""
    from installation.models.face.landmarks import Eye

    moved = []
    for eye in eyes:
        iris = eye.iris.copy()
        iris[:, 0] += share * np.linalg.norm(eye.lids[8, :2] - eye.lids[0, :2])
        moved.append(Eye(eye.lids, iris))
    return tuple(moved)


def test_a_neutral_frame_whose_eyes_were_not_read_is_refused_and_the_next_one_taken(
        animator, stack, sitter, monkeypatch):
    """The iris model gave NaN on the frame the countdown took as neutral: the neutral gaze was
    NaN, every gaze read through it too, and the portrait's eyes stayed at rest for the whole
    visit. That frame is refused (the countdown goes on, nothing faults) and the next whole
    one taken: the portrait's eyes follow where the visitor looks."""
    from types import SimpleNamespace

    from installation.models.face.landmarks import Eye

    face = portrait_faces(sitter, stack)[0]
    eyes = stack.eyes(sitter, face.landmarks)
    unread = tuple(Eye(e.lids, np.full_like(e.iris, np.nan)) for e in eyes)
    readings = iter([unread, eyes])
    monkeypatch.setattr(animator, "_eyes", lambda frame, landmarks: next(readings))
    seen = SimpleNamespace(state="ok", face=face)
    try:
        frames = 1
        while not animator.calibrate(sitter, 0.5 + frames / 30, seen):  # as the scene's worker does
            frames += 1
        monkeypatch.setattr(animator, "_eyes", lambda frame, landmarks: _looking_aside(eyes, 0.1))
        animator.step(sitter, 1.0, seen)
        assert np.allclose(animator.last_motion.gaze[:, 0], 0.1, atol=0.02), animator.last_motion.gaze
        assert frames == 2 and np.allclose(animator.reference.neutral, face.landmarks)
        assert not animator.calibrate_on(face.landmarks, unread)  # offline callers are told too
    finally:
        animator.end_visit()


def test_a_mesh_with_a_point_not_placed_is_followed_as_no_face(animator, stack, sitter):
    """Live, such a mesh is no face to follow (taken in, it reached the neutral and the settled
    eyes): the portrait eases back as when the visitor looks away, and takes the next whole mesh."""
    from types import SimpleNamespace

    face = portrait_faces(sitter, stack)[0]
    broken = face.landmarks.copy()
    broken[:, :] = np.nan
    seen = SimpleNamespace(state="ok", face=SimpleNamespace(landmarks=broken))
    assert not animator.calibrate(sitter, 0.5, seen) and not animator.calibrated  # no neutral to read from
    animator.calibrate_on(face.landmarks)
    try:
        assert animator.step(sitter, 1.0, seen).shape == sitter.shape
        animator.step(sitter, 1.1, SimpleNamespace(state="ok", face=face))
        # The neutral is still the visitor's own: their neutral face reads as no expression.
        assert np.abs(animator.reference.motion(face.landmarks).offsets).max() < 1e-3
    finally:
        animator.end_visit()
