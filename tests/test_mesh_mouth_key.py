"""How dark a portrait's open mouth may be, read where the mouth is: a watercolour miniature on
ivory with near-black brows, pupils and nostrils but a face whose every shadow is a soft mid
tone yawns in a warm mid-dark, not a black hole; and a lifted opening is painted in a hue
between the lips' and the skin's shade, not in a purplish lip line's lavender.

Made miniatures of the shipped sitter: nothing from ../shared.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from installation.models.face import portrait_faces
from installation.models.motion.mesh import MeshAnimator
from installation.models.motion.mesh.named_points import INNER_LIPS, LOWER_INNER_LIP, OUTER_LIPS, UPPER_INNER_LIP
from installation.scenes.portrait import HOUSE_SITTER

from .test_mesh_mouth import LUMA, _opened, _polygon

BROWS = ((70, 63, 105, 66, 107, 55, 65, 52, 53, 46), (300, 293, 334, 296, 336, 285, 295, 282, 283, 276))
NOSTRILS = (98, 327)


def _miniature(sitter: np.ndarray, stack, dark_accents: bool = True) -> np.ndarray:
    """The sitter as a watercolour miniature on ivory: every tone lifted half way to white, warm,
    softened, the lips a soft pink; and (`dark_accents`) its brows, pupils and nostrils painted
    near black, as a miniaturist sets them."""
    face = portrait_faces(sitter, stack)[0]
    points = face.landmarks[:, :2]
    picture = cv2.GaussianBlur((255.0 - (255.0 - sitter.astype(np.float32)) * 0.5) * np.array([1.0, 0.96, 0.88]),
                               (0, 0), 1.2)
    lips = cv2.GaussianBlur(_polygon(sitter.shape, points[list(OUTER_LIPS)]).astype(np.float32), (0, 0), 1.0)
    picture *= 1.0 + (np.array([1.02, 0.84, 0.86]) - 1.0) * lips[..., None]
    if not dark_accents:
        return np.clip(picture, 0, 255).astype(np.uint8)
    accents = np.zeros(sitter.shape[:2], np.float32)
    eyes_apart = float(np.linalg.norm(points[33] - points[263]))
    for brow in BROWS:
        outline = np.round(points[list(brow)]).astype(np.int32)
        cv2.fillPoly(accents, [outline], 1.0)
        cv2.polylines(accents, [outline], True, 1.0, max(1, int(0.04 * eyes_apart)))
    for eye in stack.eyes(sitter, face.landmarks):
        pupil = tuple(int(v) for v in np.round(eye.iris_centre))
        cv2.circle(accents, pupil, max(1, round(eye.iris_radius * 0.5)), 1.0, -1)
    for nostril in NOSTRILS:
        at = points[nostril] + (points[2] - points[nostril]) * 0.25
        cv2.circle(accents, tuple(int(v) for v in np.round(at)), max(1, int(0.025 * eyes_apart)), 1.0, -1)
    accents = cv2.GaussianBlur(accents, (0, 0), 0.8)[..., None]
    picture = picture * (1.0 - accents) + np.minimum(picture, [50.0, 45.0, 38.0]) * accents
    return np.clip(picture, 0, 255).astype(np.uint8)


def _yawn(picture: np.ndarray, stack, kind: str = "auto"):
    """The opening of a wide yawn on `picture` (its pixels' lightness), the picture's lips'
    lightness and the darkest tone of the skin and lips round its mouth. `kind`: what the
    scene's `picture` says it is."""
    animator = MeshAnimator(picture, stack, picture=kind)
    out, dst, _ = _opened(animator, (0.0, 0.0, 0.0, 0.0), share=0.12)
    inside = cv2.erode(_polygon(out.shape, dst[list(INNER_LIPS)]), np.ones((5, 5), np.uint8)) > 0
    assert inside.sum() > 150
    rest = animator.rig.mesh[:, :2]
    lips = _polygon(picture.shape, rest[list(OUTER_LIPS)]) > 0
    width = float(np.linalg.norm(rest[291] - rest[61]))
    near = cv2.dilate(lips.astype(np.uint8), np.ones((int(0.4 * width) | 1,) * 2, np.uint8)) > 0
    near[:int(rest[164, 1])] = False  # below the nose
    light = cv2.GaussianBlur(picture.astype(np.float32) @ LUMA, (0, 0), 0.7)
    return out, inside, float(np.median(light[lips])), float(np.percentile(light[near], 2))


def test_a_miniatures_yawn_with_dark_brows_and_pupils_is_a_mid_dark_not_a_black_hole(stack, sitter):
    """A watercolour miniature on ivory with near-black brows, pupils and nostrils: judged by
    those accents it was no high-key picture, and its yawn opened a near-black hole in a pastel
    face (its darkest about a fifth of the darkest tone round its mouth). Judged by the shadows
    at its mouth and across its face, its opening's darkest is now that tone at most half the
    lips' lightness (within a tenth), and it is still an opening, darker than the lips."""
    out, inside, lips_light, round_mouth = _yawn(_miniature(sitter, stack), stack)
    opening = cv2.GaussianBlur(out.astype(np.float32) @ LUMA, (0, 0), 0.7)[inside]
    darkest = np.percentile(opening, 1)
    assert darkest > 0.9 * min(round_mouth, 0.5 * lips_light), (darkest, round_mouth, lips_light)
    assert opening.mean() < 0.8 * lips_light


def _with_drawn_lip_line(picture: np.ndarray, stack, share: float, width_px: float) -> np.ndarray:
    """`picture` with its closed lips meeting in a fine dark red-brown stroke `width_px` wide,
    `share` of the face's middle tone: a miniaturist's lip line, anti-aliased."""
    points = portrait_faces(picture, stack)[0].landmarks[:, :2]
    hull = _polygon(picture.shape, cv2.convexHull(np.round(points).astype(np.int32)).reshape(-1, 2)) > 0
    middle_tone = float(np.median(picture.astype(np.float32)[hull] @ LUMA))
    middle = (points[list(UPPER_INNER_LIP)] + points[list(LOWER_INNER_LIP)]) / 2
    scale = 4  # (drawn 4x larger and taken down: a stroke of a pixel and a half)
    big = np.zeros((picture.shape[0] * scale, picture.shape[1] * scale), np.uint8)
    cv2.polylines(big, [np.round(middle * scale + (scale - 1) / 2).astype(np.int32)], False, 255,
                  round(width_px * scale), cv2.LINE_AA)
    stroke = cv2.resize(big, picture.shape[1::-1], interpolation=cv2.INTER_AREA).astype(np.float32)[..., None] / 255.0
    ink = np.array([0.62, 0.38, 0.34], np.float32)
    ink *= share * middle_tone / float(ink @ LUMA)
    return np.clip(picture * (1.0 - stroke) + ink * stroke, 0, 255).astype(np.uint8)


@pytest.fixture(scope="module")
def miniature_drawn_line(stack):
    """A miniature scanned large (the shipped sitter at full size: a face about 300 px tall)
    whose painter closed the lips with a dark stroke 1.5 px wide, a third of the face's middle
    tone: darker than half the middle tone, as a pale photograph's crease also is."""
    sitter = cv2.cvtColor(cv2.imread(str(HOUSE_SITTER)), cv2.COLOR_BGR2RGB)
    return _with_drawn_lip_line(_miniature(sitter, stack), stack, share=0.35, width_px=1.5)


def test_a_miniatures_yawn_under_a_dark_drawn_lip_line_is_its_lines_tone_not_a_black_hole(stack, miniature_drawn_line):
    """A miniature whose painter drew a dark lip line (a third of the face's middle tone) was
    still read as no soft picture, its line counted as the mouth's shade: its yawn opened a
    near-black hole in the pastel face (its darkest L* about a sixth of the skin's round its
    mouth, its lightness 0.42 of the line's own). A stroke a brush's width on a face this large is no
    photograph's crease: its opening's darkest is now the line's tone (within a tenth, or half
    the lips' lightness if lighter), and it is still an opening, darker than the lips."""
    points = portrait_faces(miniature_drawn_line, stack)[0].landmarks[:, :2]
    middle = (points[list(UPPER_INNER_LIP)] + points[list(LOWER_INNER_LIP)]) / 2
    line = np.zeros(miniature_drawn_line.shape[:2], np.uint8)
    cv2.polylines(line, [np.round(middle).astype(np.int32)], False, 1, 1)
    light = miniature_drawn_line.astype(np.float32) @ LUMA
    line_tone = float(np.median(light[line > 0]))
    out, inside, lips_light, _ = _yawn(miniature_drawn_line, stack)
    opening = cv2.GaussianBlur(out.astype(np.float32) @ LUMA, (0, 0), 0.7)[inside]
    darkest = np.percentile(opening, 1)
    assert darkest > 0.9 * min(line_tone, 0.5 * lips_light), (darkest, line_tone, lips_light)
    assert opening.mean() < 0.8 * lips_light


def _flat_lit_photograph(sitter: np.ndarray, stack) -> np.ndarray:
    """The sitter photographed in flat, bright light: every shadow light (its broad shadows as
    light as a miniature's), and its brows, pupils and nostrils lightened with them to a mid
    dark (lightness about 90), not a miniaturist's near black."""
    picture = 255.0 * (1.0 - (1.0 - (sitter.astype(np.float32) / 255.0) ** 0.5) * 0.6)
    face = portrait_faces(sitter, stack)[0]
    points = face.landmarks[:, :2]
    marks = np.zeros(sitter.shape[:2], np.float32)
    for brow in BROWS:
        cv2.fillPoly(marks, [np.round(points[list(brow)]).astype(np.int32)], 1.0)
    for eye in stack.eyes(sitter, face.landmarks):
        pupil = tuple(int(v) for v in np.round(eye.iris_centre))
        cv2.circle(marks, pupil, max(1, round(eye.iris_radius * 0.6)), 1.0, -1)
    eyes_apart = float(np.linalg.norm(points[33] - points[263]))
    for nostril in NOSTRILS:
        at = points[nostril] + (points[2] - points[nostril]) * 0.25
        cv2.circle(marks, tuple(int(v) for v in np.round(at)), max(1, int(0.03 * eyes_apart)), 1.0, -1)
    picture = picture * (1.0 - marks[..., None]) + np.minimum(picture, [90.0, 81.0, 76.0]) * marks[..., None]
    return np.clip(picture, 0, 255).astype(np.uint8)


def test_a_flat_lit_photographs_yawn_stays_a_dark_mouth(stack, sitter):
    """The soft test is for near-black accents in a light face (a miniature's); a photograph in
    flat light lightens its pupils and brows with its shadows, and its yawn, lifted to the light
    shadows round its mouth, was a grey slab 0.61 of its lips' lightness (a flash-lit fair face
    went from a dark mouth to mauve-grey, L* 27 -> 47). Its opening is as dark as its accents
    let it be: under 0.45 of the lips' lightness."""
    out, inside, lips_light, _ = _yawn(_flat_lit_photograph(sitter, stack), stack)
    opening = cv2.GaussianBlur(out.astype(np.float32) @ LUMA, (0, 0), 0.7)[inside]
    assert np.median(opening) < 0.45 * lips_light, (np.median(opening), lips_light)


def _with_purplish_lip_line(picture: np.ndarray, stack) -> np.ndarray:
    """`picture` with its closed lips meeting in a purplish line, two pixels wide."""
    points = portrait_faces(picture, stack)[0].landmarks[:, :2]
    line = np.zeros(picture.shape[:2], np.uint8)
    middle = (points[list(UPPER_INNER_LIP)] + points[list(LOWER_INNER_LIP)]) / 2
    cv2.polylines(line, [np.round(middle).astype(np.int32)], False, 1, 2)
    painted = picture.copy()
    painted[line > 0] = (120, 100, 150)
    return painted


@pytest.mark.parametrize("dark_accents", [False, True], ids=["light accents", "dark accents"])
def test_a_lifted_opening_under_a_purplish_lip_line_is_warm_not_lavender(stack, sitter, dark_accents):
    """The lift kept each tone's hue, and the cavity is painted in the hue of the picture's lip
    line: on a miniature whose lips meet in a purplish line the lifted opening was lavender-grey
    (its hue about 65 degrees bluer than its pink lips'), a colour of nothing in the warm face round
    it. Its lifted tones are now taken towards a hue between the lips' and the skin's shade: no
    bluer than the lips by more than 20 degrees, and never past the blue side of red."""
    picture = _with_purplish_lip_line(_miniature(sitter, stack, dark_accents), stack)
    out, inside, _, _ = _yawn(picture, stack)
    face = portrait_faces(picture, stack)[0]
    lips = _polygon(picture.shape, face.landmarks[list(OUTER_LIPS), :2]) > 0

    def hue(pixels: np.ndarray) -> float:
        _, a, b = (cv2.cvtColor(pixels[None], cv2.COLOR_RGB2LAB).astype(np.float32)[0] - (0, 128, 128)).mean(axis=0)
        return float(np.degrees(np.arctan2(b, a)))

    opening, own_lips = hue(out[inside]), hue(picture[lips])
    assert opening > own_lips - 20.0, (opening, own_lips)
    assert opening > 0.0, opening


def _faded_toned_print(sitter: np.ndarray) -> np.ndarray:
    """The sitter as a faded old print in its own tone, a toning that changes with the light as
    a print's does: cream in its lights, browner in its darks; its blacks faded to a mid brown."""
    light = 70.0 + 0.55 * (sitter.astype(np.float32) @ LUMA)
    return np.clip(_print_tone(light), 0, 255).astype(np.uint8)


def _print_tone(light: np.ndarray) -> np.ndarray:
    cast = 0.16 * (255.0 - light)
    return np.stack([light + cast, light - 0.1 * cast, light - 1.4 * cast], axis=-1)


def _chroma(rgb: np.ndarray) -> np.ndarray:
    lab = cv2.cvtColor(np.clip(rgb, 0, 255).astype(np.uint8).reshape(1, -1, 3), cv2.COLOR_RGB2LAB)[0]
    return np.hypot(lab[:, 1].astype(np.float32) - 128, lab[:, 2].astype(np.float32) - 128)


def test_a_lifted_opening_in_a_toned_old_print_keeps_the_prints_colour(stack, sitter):
    """A faded sepia print's opening is lifted (its accents are a mid brown); taken towards a
    hue read from its skin's lighter shade, where the print is nearly cream, the opening went
    grey-olive: its chroma 0.66 of the print's own at that lightness. A print's opening keeps
    the print's colour at its lightness (within 15 per cent), as before the lift took a hue."""
    picture = _faded_toned_print(sitter)
    out, inside, _, _ = _yawn(picture, stack)
    opening = out[inside].astype(np.float32)
    light = float(np.median(opening @ LUMA))
    assert light > 60.0  # lifted: not the cavity's deep dark
    own = float(_chroma(_print_tone(np.array([light], np.float32)))[0])
    assert np.median(_chroma(opening)) > 0.85 * own, (np.median(_chroma(opening)), own)
