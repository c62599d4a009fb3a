"""Painted teeth that belong to the sitter's picture (enamel.py): in the warm light of the
face, not the hue of the wall or the eye whites; no brighter than the face's own lit skin
under a white beard; one softly lit row with a few irregular separations, not a comb of
identical keys. (An audit on unseen portraits found all three: teeth that read as
dentures pasted in.)

Synthetic pictures made from the shipped sitter: nothing from ../shared.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from installation.models.face import portrait_faces
from installation.models.motion.mesh import MeshAnimator
from installation.models.motion.mesh.motion import Motion
from installation.models.motion.mesh.named_points import (
    FACE_OVAL,
    LEFT_EYE_OPENING,
    LOWER_INNER_LIP,
    LOWER_OUTER_LIP,
    OUTER_LIPS,
    RIGHT_EYE_OPENING,
)

LUMA = np.array([0.299, 0.587, 0.114], np.float32)


def _mask(shape: tuple[int, ...], points: np.ndarray) -> np.ndarray:
    mask = np.zeros(shape[:2], np.uint8)
    cv2.fillPoly(mask, [np.round(points).astype(np.int32)], 1)
    return mask > 0


def _chroma(rgb: np.ndarray) -> np.ndarray:
    return np.asarray(rgb, np.float32) / max(float(np.asarray(rgb, np.float32) @ LUMA), 1.0)


def _bared(animator: MeshAnimator, upper: float = 0.55, share: float = 0.08) -> tuple[np.ndarray, np.ndarray]:
    """The portrait smiling with its upper teeth bared, and the pixels of the front teeth
    (rows of the upper band, across the central half of the mouth)."""
    offsets = np.zeros((468, 3), np.float32)
    offsets[list(LOWER_INNER_LIP)[1:-1], 1] = share
    offsets[list(LOWER_OUTER_LIP)[1:-1], 1] = share * 0.8
    motion = Motion(offsets=offsets, teeth=(upper, 0.0, 0.0, 0.0))
    out = animator.render(motion)
    dst = animator.place(motion)[0]
    top, gap = dst[13, 1], dst[14, 1] - dst[13, 1]
    centre, half = (dst[78, 0] + dst[308, 0]) / 2, (dst[308, 0] - dst[78, 0]) / 2
    y0, y1 = int(round(top + 0.2 * upper * gap)), int(round(top + 0.8 * upper * gap))
    x0, x1 = int(round(centre - 0.5 * half)), int(round(centre + 0.5 * half))
    return out, out[y0:y1 + 1, x0:x1 + 1].reshape(-1, 3).astype(np.float32)


def _warm_face(sitter: np.ndarray, stack) -> tuple[np.ndarray, object]:
    """The sitter as a warm painting: ruddy flesh, red lips."""
    warm = np.clip(60.0 + sitter.astype(np.float32) * 0.7, 0, 255) * np.array([1.12, 0.9, 0.74])
    face = portrait_faces(sitter, stack)[0]
    lips = _mask(sitter.shape, face.landmarks[list(OUTER_LIPS), :2])
    warm[lips] = warm[lips] * np.array([1.05, 0.72, 0.7])
    return np.clip(warm, 0, 255).astype(np.uint8), face


def test_teeth_take_the_warm_face_not_a_cool_wall_or_grey_eye_whites(stack, sitter):
    """A warm face before a grey-blue wall, its eye whites painted in the wall's grey (as
    painters often do): the teeth were made from the eye whites' colour, and beside the
    warm skin they read as a blue-grey denture. Their hue is the lit skin's, paler."""
    painting, face = _warm_face(sitter, stack)
    mesh = face.landmarks[:, :2]
    wall = np.array([128, 136, 146], np.float32)
    centre = mesh[list(FACE_OVAL)].mean(0)
    head = _mask(sitter.shape, centre + (mesh[list(FACE_OVAL)] - centre) * 1.25)
    painting[~head] = wall
    for eye in (LEFT_EYE_OPENING, RIGHT_EYE_OPENING):
        whites = _mask(sitter.shape, mesh[list(eye)]) & (painting.astype(np.float32) @ LUMA > 110)
        painting[whites] = np.clip(wall * 1.2, 0, 255)
    animator = MeshAnimator(painting, stack)
    _, teeth = _bared(animator)
    enamel = np.median(teeth, axis=0)
    skin = painting[_mask(sitter.shape, mesh[list(FACE_OVAL)])].astype(np.float32)
    lit = np.median(skin[skin @ LUMA >= np.percentile(skin @ LUMA, 90)], axis=0)
    to_skin = np.linalg.norm(_chroma(enamel) - _chroma(lit))
    to_wall = np.linalg.norm(_chroma(enamel) - _chroma(wall))
    assert to_skin < 0.5 * to_wall, (enamel, lit)
    assert enamel[0] > enamel[2] + 15  # warm: red well over blue, as the face's light is


def test_teeth_under_a_white_beard_are_no_brighter_than_the_face_highlights(stack, sitter):
    """A white beard round the mouth is the lightest thing in the face's outline: the teeth
    were lit as its highlights, chalk-white in a face whose skin is far darker. They are a
    little darker than the lit skin's own highlights."""
    painting, face = _warm_face(sitter, stack)
    painting = (painting.astype(np.float32) * 0.75).astype(np.uint8)  # a dim face
    mesh = face.landmarks[:, :2]
    oval = _mask(sitter.shape, mesh[list(FACE_OVAL)])
    skin = oval.copy()
    for eye in (LEFT_EYE_OPENING, RIGHT_EYE_OPENING):
        skin &= ~_mask(sitter.shape, mesh[list(eye)])
    skin_light = painting[skin & (np.arange(sitter.shape[0])[:, None] < mesh[2, 1])].astype(np.float32) @ LUMA
    highlights = float(np.percentile(skin_light, 97))
    # The beard: everything of the face below the nose but the lips, near-white with a little texture.
    lips = cv2.dilate(_mask(sitter.shape, mesh[list(OUTER_LIPS)]).astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    beard = oval & (np.arange(sitter.shape[0])[:, None] > mesh[2, 1] + 4) & ~lips
    rng = np.random.default_rng(3)
    painting[beard] = np.clip(np.array([232, 228, 220]) + rng.normal(0, 8, (int(beard.sum()), 1)), 0, 255)
    assert highlights < 200  # the skin's lights, far under the beard's
    animator = MeshAnimator(painting, stack)
    _, teeth = _bared(animator)
    light = teeth @ LUMA
    assert np.percentile(light, 90) <= highlights, (np.percentile(light, 90), highlights)
    assert np.median(light) > 0.6 * highlights  # still lit teeth, not a grey block


def _row_profile(out: np.ndarray, dst: np.ndarray, upper: float) -> tuple[np.ndarray, float]:
    """The lightness along a row through the upper teeth, across the central 1.2 of half
    the mouth, and half the mouth's width in pixels."""
    top, gap = dst[13, 1], dst[14, 1] - dst[13, 1]
    y = int(round(top + 0.55 * upper * gap))
    centre, half = (dst[78, 0] + dst[308, 0]) / 2, (dst[308, 0] - dst[78, 0]) / 2
    xs = np.arange(int(centre - 0.6 * half), int(centre + 0.6 * half) + 1)
    return out[y - 1:y + 2, xs].astype(np.float32).mean(axis=(0, 2)), half


def _dips(row: np.ndarray, half: float, xs_from_centre: np.ndarray) -> list[float]:
    """Where along a row through the teeth it dips (share of half the mouth's width from
    its centre): darker than the row a twentieth of the mouth either side, by at least 3%
    of its lightness, once the row's slow fall towards the corners is taken out."""
    fit = np.linspace(-1.0, 1.0, len(row))
    detail = row - np.polyval(np.polyfit(fit, row, 4), fit)
    step = max(2, int(round(0.05 * half)))
    dips = [i for i in range(step, len(row) - step)
            if detail[i] < min(detail[i - step], detail[i + step]) - 0.03 * row.mean()]
    runs = np.split(np.array(dips), np.nonzero(np.diff(dips) > 1)[0] + 1) if dips else []
    return sorted(float(np.mean(xs_from_centre[run])) / half for run in runs)


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_the_front_teeth_are_separate_teeth_not_a_band_or_a_comb(stack, sitter, scale):
    """On a small face the row read as one lit band, a mouthguard; with a dark seam at
    every tooth, evenly spaced, as a comb of identical keys. Seen from the front, the
    central incisors are the widest teeth, with a visible separation between them and
    between each and its neighbour, the teeth narrowing towards the corners."""
    image = cv2.resize(sitter, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    animator = MeshAnimator(image, stack)
    offsets = np.zeros((468, 3), np.float32)
    offsets[list(LOWER_INNER_LIP)[1:-1], 1] = 0.07
    motion = Motion(offsets=offsets, teeth=(0.6, 0.0))
    out = animator.render(motion)
    dst = animator.place(motion)[0]
    row, half = _row_profile(out, dst, 0.6)
    centre = (dst[78, 0] + dst[308, 0]) / 2
    xs = np.arange(int(centre - 0.6 * half), int(centre + 0.6 * half) + 1) - centre
    dips = _dips(row, half, xs)
    middle = [d for d in dips if abs(d) < 0.12]
    assert len(middle) == 1, dips  # the line between the central incisors
    left = [-d for d in reversed(dips) if d < -0.12]
    right = [d for d in dips if d > 0.12]
    assert left and right, dips  # each central incisor ends in a separation
    # The central incisors are the widest: wider than the next tooth out, where it shows.
    for side in (left, right):
        assert side[0] - middle[0] * (1 if side is right else -1) > 0.22, dips
        if len(side) > 1:
            assert side[1] - side[0] < 0.85 * (side[0] - abs(middle[0])), dips


def _lower_face_in_shade(painting: np.ndarray, mesh: np.ndarray, shade: float) -> np.ndarray:
    """The painting lit from above, as a low-key portrait is: full light down to the eyes,
    falling to `shade` of it at the chin, a little browner as it falls (a warm ground)."""
    oval = mesh[list(FACE_OVAL)]
    top, height = oval[:, 1].min(), np.ptp(oval[:, 1])
    rows = np.arange(painting.shape[0], dtype=np.float32)[:, None, None]
    fall = np.clip((rows - (top + 0.35 * height)) / (0.6 * height), 0.0, 1.0)
    gain = (1.0 - (1.0 - shade) * fall) * (1.0 - 0.1 * fall * np.array([0.0, 0.3, 1.0]))
    return np.clip(painting.astype(np.float32) * gain + 0.5, 0, 255).astype(np.uint8)


def _mouths_lit_skin(picture: np.ndarray, mesh: np.ndarray) -> float:
    """The lit skin round the mouth (95th percentile lightness below the nose, lips left out)."""
    below = _mask(picture.shape, mesh[list(FACE_OVAL)]) & (np.arange(picture.shape[0])[:, None] > mesh[2, 1])
    lips = cv2.dilate(_mask(picture.shape, mesh[list(OUTER_LIPS)]).astype(np.uint8), np.ones((9, 9), np.uint8)) > 0
    return float(np.percentile(picture[below & ~lips].astype(np.float32) @ LUMA, 95))


def test_teeth_take_the_light_on_the_mouth_in_a_painting_lit_from_above(stack, sitter):
    """A dim, warm portrait lit from above, its lower face in half-shade: the teeth were lit
    as the forehead is, the lightest thing in the lower face, pale blocks pasted onto the
    paint. They are lit as the skin round the mouth is: no lighter beside it than a face lit
    evenly shows them, and darker than in the same face lit evenly."""
    painting, face = _warm_face(sitter, stack)
    painting = (painting.astype(np.float32) * 0.7).astype(np.uint8)  # low-key: highlights well under white
    mesh = face.landmarks[:, :2]
    evenly = MeshAnimator(painting, stack)
    _, even_teeth = _bared(evenly)
    even_ratio = np.percentile(even_teeth @ LUMA, 90) / _mouths_lit_skin(painting, mesh)
    shaded = _lower_face_in_shade(painting, mesh, 0.6)
    _, teeth = _bared(MeshAnimator(shaded, stack))
    ratio = np.percentile(teeth @ LUMA, 90) / _mouths_lit_skin(shaded, mesh)
    assert ratio < even_ratio * 1.15, (ratio, even_ratio)
    assert np.median(teeth @ LUMA) < 0.85 * np.median(even_teeth @ LUMA)
    assert np.median(teeth @ LUMA) > 0.5 * np.median(even_teeth @ LUMA)  # still lit teeth, not a dark slot
