"""An opening mouth's lips split where the picture's own closed lips meet (lip_contact.py), not
where the face mesh put their contact: on the shipped daguerreotype the crease lies several
pixels above the mesh's inner lips, and the upper lip opened with the crease's lower half along
its inner edge, a dark rim where the lips had barely parted. Where no line is found the mouth
renders as it did.

The shipped sitter and made miniatures of it: nothing from ../shared.
"""

from __future__ import annotations

import cv2
import numpy as np

from installation.models.motion.mesh import MeshAnimator, lip_edges
from installation.models.motion.mesh.lip_contact import own_contact
from installation.models.motion.mesh.named_points import INNER_LIPS, OUTER_LIPS, UPPER_INNER_LIP, UPPER_OUTER_LIP
from tests.test_mesh_stretched_line import LUMA, _miniature, _opened, _polygon


def _upper_lip_rim(out: np.ndarray, dst: np.ndarray, lip_tone: float, line_tone: float) -> tuple[int, int]:
    """The upper lip's pixels from one beyond the opening's edge to a third of its height, and
    how many of them are as dark as half way from the lips' tone to their line's."""
    opening = _polygon(out.shape, dst[list(INNER_LIPS)])
    beyond = cv2.distanceTransform((opening == 0).astype(np.uint8), cv2.DIST_L2, 3)
    gap = float(np.linalg.norm(dst[14] - dst[13]))
    upper = _polygon(out.shape, np.concatenate([dst[list(UPPER_OUTER_LIP)], dst[list(UPPER_INNER_LIP)][::-1]])) > 0
    band = upper & (_polygon(out.shape, dst[list(OUTER_LIPS)]) > 0) & (beyond >= 1.0) & (beyond <= max(3.0, 0.3 * gap))
    dark = (out.astype(np.float32) @ LUMA) < line_tone + 0.5 * (lip_tone - line_tone)
    return int(band.sum()), int((band & dark).sum())


def test_a_barely_parted_upper_lip_does_not_carry_the_crease_as_a_dark_rim(stack, sitter):
    """The shipped sitter's lips parted a little (a word, the start of a smile): the upper lip
    round the opening is its own shade, not the crease's black. Split at the mesh's contact, a
    few pixels under the crease, the upper lip took the crease's lower half with it: near half of
    its band round the opening was as dark as half way to the line."""
    animator = MeshAnimator(sitter, stack)
    palette = animator.rig.palette
    lip_tone, line_tone = (float(np.asarray(tone, np.float32) @ LUMA) for tone in (palette.lip, palette.line))
    out, dst = _opened(animator, 0.03)
    band, dark = _upper_lip_rim(out, dst, lip_tone, line_tone)
    assert band > 50
    assert dark <= 0.25 * band


def _drawn_lips(lines: tuple[float, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Lips drawn flat across a picture with dark strokes at the heights `lines`, and a mouth's
    points on them: nine columns, each lip four rows (outer edge to inner), both inner rows at
    y 52 (the mesh's contact). Returns the picture, the points and each lip's rows."""
    picture = np.full((120, 140, 3), (200, 150, 150), np.float32)
    for y in lines:
        at = int(round(y * 16))  # (in 16ths of a pixel: a stroke between pixel rows)
        cv2.line(picture, (0, at), (139 * 16, at), (90, 40, 40), 2, cv2.LINE_AA, shift=4)
    picture = np.clip(cv2.GaussianBlur(picture, (0, 0), 0.8), 0, 255).astype(np.uint8)
    xs = np.arange(30.0, 111.0, 10.0)
    heights = (40.0, 44.0, 48.0, 52.0, 64.0, 60.0, 56.0, 52.0)  # upper outer to inner, lower outer to inner
    points = np.array([(x, y) for y in heights for x in xs])
    rows = np.arange(len(points)).reshape(8, len(xs))
    return picture, points, rows[:4], rows[4:]


def test_the_lips_split_on_the_pictures_line_not_the_mesh_contact():
    """A drawn stroke two pixels above the mesh's contact is where the lips split: each column's
    contact is moved onto it (to a fraction of a pixel), straight, not column by column."""
    picture, points, upper, lower = _drawn_lips((50.0,))
    up = np.tile([0.0, -1.0], (upper.shape[1], 1))
    moves = own_contact(picture, points, upper, lower, up, 200.0, np.ones(upper.shape[1], bool))
    assert moves is not None
    assert np.allclose(moves[:, 0], 0.0)
    assert np.all(np.abs(moves[2:-2, 1] + 2.0) < 0.3)  # the middle columns: sure of it all round


def test_where_the_lips_show_several_lines_none_is_taken_for_their_contact():
    """Hatching across the lips (an engraving's, a lip's own creases) as dark as the stroke:
    no one valley is the lips' meeting, and the mesh's contact stands."""
    picture, points, upper, lower = _drawn_lips((45.0, 50.0, 57.0))
    up = np.tile([0.0, -1.0], (upper.shape[1], 1))
    assert own_contact(picture, points, upper, lower, up, 200.0, np.ones(upper.shape[1], bool)) is None


def test_lips_meeting_in_no_line_split_where_the_mesh_put_them(stack, sitter, monkeypatch):
    """A miniature whose lips are one flat tone has no line to find: the mouth opens byte for
    byte as it does with the mesh's contact."""
    painted = _miniature(sitter, stack, 1.0, line=False)
    animator = MeshAnimator(painted, stack)
    assert animator.warper.lip_edges.split_moves is None
    out, _ = _opened(animator)
    monkeypatch.setattr(lip_edges, "own_contact", lambda *args: None)
    before, _ = _opened(MeshAnimator(painted, stack))
    assert np.array_equal(out, before)
