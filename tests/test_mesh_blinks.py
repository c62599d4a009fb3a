"""A visitor's blink closes both of a turned sitter's painted eyes, each as skin.

On sitters turned 25-36 degrees the face mesh misplaces the far eye: its lid lines lay in
the brow's shadow above the eye the picture shows (the lid came down over shadow, the eye
stayed open below it), or the crease lay on the lash line and the closed lid took the
lashes' grey. Drawn here on the shipped sitter: an eye below the mesh's lid lines, found
by the iris model, and lashes filling the skin just above a crease on the lash line.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from installation.models.face import Eye
from installation.models.motion.mesh import MeshAnimator
from installation.models.motion.mesh.lids import LIDS
from installation.models.motion.mesh.motion import Motion


def _rows(points: np.ndarray, ids, xs: np.ndarray) -> np.ndarray:
    line = points[list(ids), :2]
    order = np.argsort(line[:, 0])
    return np.interp(xs, line[order, 0], line[order, 1])


@pytest.fixture(scope="module")
def rest_rig(stack, sitter):
    return MeshAnimator(sitter, stack).rig


def test_an_eye_the_mesh_put_its_lids_above_is_closed_where_the_picture_shows_it(stack, sitter, rest_rig):
    """The picture's eye (a dark iris) lies just under the mesh's lower lid line, where the
    iris model found it: the closed lid covers it, its lash line on the eye's lower lid."""
    picture = sitter.copy()
    eyes, irises = [], []
    for (upper, lower, _), eye in zip(LIDS, rest_rig.eyes, strict=True):
        points = rest_rig.points
        xs = np.array([points[list(upper), 0].mean()])
        margin, bottom = _rows(points, upper, xs)[0], _rows(points, lower, xs)[0]
        width = float(np.ptp(points[list(upper), 0]))
        drop = min(bottom - margin, 0.25 * width)  # the picture's eye this much lower
        centre = np.array([xs[0], bottom + 0.5 * drop])
        radius = 0.3 * drop
        yy, xx = np.mgrid[:picture.shape[0], :picture.shape[1]]
        iris = (xx - centre[0]) ** 2 + (yy - centre[1]) ** 2 <= radius ** 2
        picture[iris] = 25
        irises.append(iris)
        eyes.append(Eye(lids=eye.lids + np.array([0.0, drop, 0.0])[: eye.lids.shape[1]],
                        iris=eye.iris + np.array([0.0, drop, 0.0])[: eye.iris.shape[1]]))
    rig = dataclasses.replace(rest_rig, image=picture, eyes=tuple(eyes))
    animator = MeshAnimator(picture, stack, rig=rig)
    shut = animator.render(Motion(eye_open=(0.0, 0.0))).astype(np.float32).mean(-1)
    skin = sitter.astype(np.float32).mean(-1)
    # Covered: at least two thirds of the way from the iris's ink (25) to the skin the sitter
    # shows there (the lid's margin shadow and lash line lie on it; lit 15% above its tone,
    # the closed lid was a pale bead, see test_mesh_lids), not the dark iris left showing.
    for iris in irises:
        assert shut[iris].mean() > 25.0 + 2.0 / 3.0 * (skin[iris].mean() - 25.0), (shut[iris].mean(), skin[iris].mean())


def test_a_far_eyes_closed_lid_is_skin_not_the_lashes_above_its_crease(stack, sitter, rest_rig):
    """A far eye: the mesh's crease on the lash line (no lid skin between them to read) and
    lashes just above it, darker than the skin (0.7 of it) but not black. The closed lid
    takes the skin round the eye, not the lashes' grey (Vermeer's girl: her far eye
    closed into a grey lens)."""
    points = rest_rig.points.copy()
    picture = sitter.copy()
    skin = np.array([200, 170, 150], np.float32)
    for upper, lower, crease in LIDS:
        # The crease down onto the lash line, a pixel above the lid margin.
        points[list(crease), 1] = _rows(points, upper, points[list(crease), 0]) - 1.0
        left, right = int(points[list(upper), 0].min()), int(points[list(upper), 0].max())
        for x in range(left - 2, right + 3):
            top, bottom = (float(_rows(points, ids, np.array([x]))[0]) for ids in (crease, lower))
            reach = max(2.0, 0.2 * (bottom - top + 1.0))  # as far as the lid's tone is read
            picture[int(top - 6 * reach):int(bottom + 4 * reach), x] = skin  # lit skin round the eye
            picture[int(np.ceil(top - 1.0 - reach)):int(top), x] = 0.7 * skin  # the lashes
    rig = dataclasses.replace(rest_rig, image=picture, points=points)
    animator = MeshAnimator(picture, stack, rig=rig)
    shut = animator.render(Motion(eye_open=(0.0, 0.0))).astype(np.float32).mean(-1)
    rx, ry = animator.warper.rig.region[:2]
    for cover in animator.warper._lid_covers:
        h, w = cover.covered.shape
        middle = slice(w // 4, 3 * w // 4)
        body = cover.covered[:, middle] > 0.99
        assert body.any()
        lid = shut[ry + cover.y0:ry + cover.y0 + h, rx + cover.x0:rx + cover.x0 + w][:, middle][body].mean()
        assert lid > skin.mean() - 25.0, lid


def test_no_lid_is_painted_on_the_cheek_where_the_mesh_put_an_eye_below_the_pictures(stack, sitter, rest_rig):
    """A sitter squinting in a broad smile: the face mesh put the eyes lower than the
    picture's narrowed eyes, and a blink painted closed lids on the cheeks below them. Where
    the iris model finds the picture's opening ending above the middle of the mesh's, the
    mesh's eye is skin: no lid is painted there (a blink not shown is far less wrong)."""
    eyes, boxes = [], []
    for (upper, lower, _), eye in zip(LIDS, rest_rig.eyes, strict=True):
        points = rest_rig.points
        xs = np.array([points[list(upper), 0].mean()])
        margin, bottom = _rows(points, upper, xs)[0], _rows(points, lower, xs)[0]
        lift = 0.6 * (bottom - margin) + (float(eye.lids[4, 1]) - bottom)  # its lower lid above the middle
        eyes.append(Eye(lids=eye.lids - np.array([0.0, lift, 0.0])[: eye.lids.shape[1]],
                        iris=eye.iris - np.array([0.0, lift, 0.0])[: eye.iris.shape[1]]))
        ids = list(upper) + list(lower)
        (x0, y0), (x1, y1) = points[ids, :2].min(0), points[ids, :2].max(0)
        boxes.append((slice(int(y0), int(np.ceil(y1)) + 1), slice(int(x0), int(np.ceil(x1)) + 1)))
    rig = dataclasses.replace(rest_rig, eyes=tuple(eyes))
    animator = MeshAnimator(sitter, stack, rig=rig)
    rest = animator.render(Motion()).astype(np.float32)
    shut = animator.render(Motion(eye_open=(0.0, 0.0))).astype(np.float32)
    for box in boxes:
        # Old: the lid painted over the mesh's eye (a mean change of 38 grey levels).
        assert float(np.abs(shut[box] - rest[box]).mean()) < 2.0


def _eye_lowered_under_the_mesh(sitter, rest_rig, stack, white: bool):
    """The picture's eye (dark iris, a white either side) a quarter of an eye's width below
    the mesh's, upper and lower lid both, as the face mesh places a turned sitter's far eye;
    the iris model found it there. `white`: the mesh's own opening shows eye white instead
    (the iris model misread the lower lid and cheek as the eye)."""
    picture = sitter.copy()
    eyes, openings = [], []
    yy, xx = np.mgrid[:picture.shape[0], :picture.shape[1]]
    for (upper, lower, _), eye in zip(LIDS, rest_rig.eyes, strict=True):
        points = rest_rig.points
        xs = np.arange(int(points[list(upper), 0].min()) + 1, int(points[list(upper), 0].max()))
        margin, bottom = _rows(points, upper, xs), _rows(points, lower, xs)
        drop = 0.25 * float(np.ptp(points[list(upper), 0]))
        top, low = (margin, bottom) if white else (margin + drop, bottom + drop)
        opening = np.zeros(picture.shape[:2], bool)
        for x, t, b in zip(xs, top, low, strict=True):
            opening[int(np.ceil(t)):int(b) + 1, x] = True
        picture[opening] = 235  # the eye's white
        centre = np.array([xs.mean(), 0.5 * (top.mean() + low.mean())])
        iris = opening & ((xx - centre[0]) ** 2 + (yy - centre[1]) ** 2 <= (0.35 * (low - top).mean()) ** 2)
        picture[iris] = 25
        openings.append(opening)
        eyes.append(Eye(lids=eye.lids + np.array([0.0, drop, 0.0])[: eye.lids.shape[1]],
                        iris=eye.iris + np.array([0.0, drop, 0.0])[: eye.iris.shape[1]]))
    rig = dataclasses.replace(rest_rig, image=picture, eyes=tuple(eyes))
    return MeshAnimator(picture, stack, rig=rig), picture, openings


def _covered_share(animator, opening: np.ndarray) -> float:
    """How much of `opening` (picture pixels) the closing lid covers: stretched lid skin or paint."""
    covered = np.zeros(opening.shape, np.float32)
    rx, ry = animator.warper.rig.region[:2]
    for cover in animator.warper._lid_covers:
        h, w = cover.covered.shape
        rows = np.arange(h)[:, None]
        lid = np.maximum(((rows >= cover.crease) & (rows <= cover.margin)).astype(np.float32), cover.covered)
        box = (slice(ry + cover.y0, ry + cover.y0 + h), slice(rx + cover.x0, rx + cover.x0 + w))
        covered[box] = np.maximum(covered[box], lid)
    return float(covered[opening].mean())


def test_a_far_eye_below_the_meshs_closes_with_the_near_one_not_after_it(stack, sitter, rest_rig):
    """A turned sitter's far eye, a quarter of its width below the mesh's lid lines: the lid
    came down through the skin above it first, and half-way through a blink had covered
    almost none of the eye the picture shows (2-6%; the near eye half of its own): every
    frame of a blink but the deepest read as a wink. It starts from the picture's upper lid."""
    animator, _, openings = _eye_lowered_under_the_mesh(sitter, rest_rig, stack, white=False)
    animator.render(Motion(eye_open=(0.5, 0.5)))
    for opening in openings:
        assert _covered_share(animator, opening) > 0.3  # old: 0.02-0.06


def test_a_misread_far_eye_does_not_start_the_lid_inside_the_eyes_white(stack, sitter, rest_rig):
    """Where the iris model put the eye below the mesh's but the mesh's opening shows the
    eye's white (it read the lower lid and the cheek as the eye), the mesh's upper lid is the
    eye's: a lid a third closed covers about a third of it, not all of it at once (started
    from the misread upper lid: 0.97-0.98 of it)."""
    animator, _, openings = _eye_lowered_under_the_mesh(sitter, rest_rig, stack, white=True)
    animator.render(Motion(eye_open=(0.7, 0.7)))
    for opening in openings:
        assert _covered_share(animator, opening) < 0.85
