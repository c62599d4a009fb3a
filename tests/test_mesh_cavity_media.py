"""An open mouth drawn in the picture's own medium (mouth.py, passages.py, enamel.py): in a
drawing, the cavity's darks are the drawing's own strokes at the tone of its darkest
passage, not a smooth black blot with random grain; on a warm painting the teeth are ivory
beside the skin, not a grey-blue band; on a soft picture a toothy grin parted by a few
pixels shows its teeth, not a dark slot.

Pictures made in the test from the shipped sitter: nothing from ../shared.
"""

from __future__ import annotations

import cv2
import numpy as np

from installation.models.face import portrait_faces
from installation.models.motion.mesh import MeshAnimator
from installation.models.motion.mesh.motion import Motion
from installation.models.motion.mesh.named_points import (
    FACE_OVAL,
    INNER_LIPS,
    LOWER_INNER_LIP,
    LOWER_OUTER_LIP,
    OUTER_LIPS,
)

LUMA = np.array([0.299, 0.587, 0.114], np.float32)
STROKE_ANGLE = 45.0  # degrees: the test drawing's strokes run from lower left to upper right


def _opened(animator: MeshAnimator, teeth: tuple[float, ...], share: float):
    """The portrait with its lower lip moved down `share` of a face height, and the moved points."""
    offsets = np.zeros((468, 3), np.float32)
    offsets[list(LOWER_INNER_LIP)[1:-1], 1] = share
    offsets[list(LOWER_OUTER_LIP)[1:-1], 1] = share * 0.8
    motion = Motion(offsets=offsets, teeth=teeth)
    return animator.render(motion), animator.place(motion)[0]


def _mask(shape: tuple[int, ...], points: np.ndarray) -> np.ndarray:
    mask = np.zeros(shape[:2], np.uint8)
    cv2.fillPoly(mask, [np.round(points).astype(np.int32)], 1)
    return mask > 0


def _graphite(sitter: np.ndarray) -> np.ndarray:
    """The sitter drawn in graphite on warm paper: its darkness laid as strokes, streaks of
    graphite a pixel or two wide, eleven long, all at STROKE_ANGLE, denser where it is darker.
    No pixel of it is a smooth tone: its darks are strokes with paper between them."""
    light = cv2.cvtColor(sitter, cv2.COLOR_RGB2GRAY).astype(np.float32) / 255.0
    dark = np.clip(1.0 - cv2.normalize(light, None, 0.0, 1.0, cv2.NORM_MINMAX), 0.0, 1.0)
    noise = np.random.default_rng(2).normal(0.0, 1.0, light.shape).astype(np.float32)
    kernel = np.zeros((11, 11), np.float32)
    cv2.line(kernel, (0, 10), (10, 0), 1.0, 1)
    strokes = cv2.filter2D(noise, -1, kernel / kernel.sum())
    strokes -= cv2.GaussianBlur(strokes, (0, 0), 3.0)
    strokes /= strokes.std()
    shade = 1.0 - dark * np.clip(0.85 + 0.45 * strokes, 0.0, 1.6)
    paper = np.array([238, 232, 222], np.float32)
    return np.clip(paper * shade[..., None] + 18.0 * (1.0 - shade[..., None]), 0, 255).astype(np.uint8)


def _orientation(light: np.ndarray, where: np.ndarray) -> tuple[float, float]:
    """The fine detail's dominant direction where `where` is true, in degrees (along the
    strokes, 0 = horizontal, counter-clockwise with y up), and how coherent it is (0: no
    direction, as random grain; 1: all one direction)."""
    detail = light - cv2.GaussianBlur(light, (0, 0), 2.0)
    gx, gy = cv2.Sobel(detail, cv2.CV_32F, 1, 0), cv2.Sobel(detail, cv2.CV_32F, 0, 1)
    jxx, jyy, jxy = float((gx * gx)[where].sum()), float((gy * gy)[where].sum()), float((gx * gy)[where].sum())
    coherence = np.hypot(jxx - jyy, 2 * jxy) / max(jxx + jyy, 1e-6)
    gradient = 0.5 * np.degrees(np.arctan2(2 * jxy, jxx - jyy))  # image axes, y down
    along = (-(gradient + 90.0)) % 180.0  # the strokes run across the gradient; y up
    return float(along), float(coherence)


def test_an_open_mouth_in_a_drawing_is_drawn_in_its_own_strokes_not_a_smooth_blot(stack, sitter):
    """In a graphite drawing the mouth opened as a smooth black blot with random grain:
    its darks read pixel by pixel were the graphite itself, a black no passage of the drawing
    has, and nothing of its strokes was inside. The cavity is now no darker than the
    drawing's darkest passage, and carries its strokes, running the way the drawing's run."""
    drawing = _graphite(sitter)
    animator = MeshAnimator(drawing, stack)
    out, dst = _opened(animator, (0.0, 0.0, 0.0, 0.0, 0.0), share=0.12)
    inside = cv2.erode(_mask(out.shape, dst[list(INNER_LIPS)]).astype(np.uint8), np.ones((7, 7), np.uint8)) > 0
    assert inside.sum() > 300
    light = out.astype(np.float32) @ LUMA
    # The drawing's darkest passage, its strokes averaged out: the darkest tone it has.
    x0, y0, x1, y1 = animator.rig.region
    tones = cv2.GaussianBlur(drawing.astype(np.float32) @ LUMA, (0, 0), 4.0)[y0:y1, x0:x1]
    darkest = float(np.percentile(tones, 1))
    assert darkest > 40  # a drawing: no smooth black anywhere
    # ...and the cavity's, its strokes averaged out alike (drawn in the drawing's strokes, with
    # paper between them, its pixels are strokes or paper, as the drawing's are)
    cavity = float(np.median(cv2.GaussianBlur(light, (0, 0), 4.0)[inside]))
    assert cavity > 0.7 * darkest, (cavity, darkest)
    along, coherence = _orientation(light, inside)
    assert coherence > 0.3, coherence
    assert abs(along - STROKE_ANGLE) < 20, along


def _pale_highlights(sitter: np.ndarray, stack) -> tuple[np.ndarray, np.ndarray]:
    """The sitter as a warm, varnished painting whose lights are painted paler and cooler
    than its flesh (lead white in the highlights, as painters lay them): ruddy, golden skin,
    red lips, and the lightest tenth of the face near a neutral ivory. Also the face's mesh."""
    warm = np.clip(50.0 + sitter.astype(np.float32) * 0.72, 0, 255) * np.array([1.14, 0.93, 0.7])
    face = portrait_faces(sitter, stack)[0]
    mesh = face.landmarks[:, :2]
    lips = _mask(sitter.shape, mesh[list(OUTER_LIPS)])
    warm[lips] = warm[lips] * np.array([1.05, 0.72, 0.7])
    oval = _mask(sitter.shape, mesh[list(FACE_OVAL)])
    light = warm @ LUMA
    lights = oval & (light >= np.percentile(light[oval], 90))
    grey = light[lights][:, None] * np.array([1.05, 1.0, 0.9])
    warm[lights] = warm[lights] + (grey - warm[lights]) * 0.8
    return np.clip(warm, 0, 255).astype(np.uint8), mesh


def test_teeth_on_a_warm_painting_are_ivory_beside_the_skin_not_a_grey_blue_band(stack, sitter):
    """Teeth were made from the face's highlights, three quarters of their warmth: where a
    painter lays the lights paler and cooler than the flesh, the teeth had a third more blue
    (over their lightness) than the skin round the mouth, at about its lightness, and read as
    a grey-blue band. Their blue is no more than the skin's beside them now."""
    painting, mesh = _pale_highlights(sitter, stack)
    animator = MeshAnimator(painting, stack)
    out, dst = _opened(animator, (0.55, 0.0, 0.0, 0.0), share=0.08)
    top, gap = dst[13, 1], dst[14, 1] - dst[13, 1]
    centre, half = (dst[78, 0] + dst[308, 0]) / 2, (dst[308, 0] - dst[78, 0]) / 2
    rows = slice(int(round(top + 0.15 * gap)), int(round(top + 0.4 * gap)) + 1)
    cols = slice(int(round(centre - 0.4 * half)), int(round(centre + 0.4 * half)) + 1)
    teeth = np.median(out[rows, cols].reshape(-1, 3).astype(np.float32), axis=0)
    lips = _mask(painting.shape, mesh[list(OUTER_LIPS)]).astype(np.uint8)
    reach = int(0.12 * animator.rig.face_height) | 1
    around = (cv2.dilate(lips, np.ones((reach, reach), np.uint8)) > 0) & (lips == 0)
    skin = np.median(painting[around].astype(np.float32), axis=0)

    def blue(rgb: np.ndarray) -> float:
        return float(rgb[2] / max(float(rgb @ LUMA), 1.0))

    assert float(teeth @ LUMA) > float(skin @ LUMA)  # lit teeth
    assert blue(teeth) < blue(skin) + 0.03, (teeth, skin)
    assert teeth[0] > teeth[2] + 20  # warm


def test_a_toothy_grin_parted_a_few_pixels_on_a_soft_picture_shows_its_teeth(stack, sitter):
    """On a soft picture (a painting's or an old print's 1-1.6 px of blur) the paint in the
    opening was blurred as much as the picture: a grin parted by a few pixels had its teeth
    blurred into the dark and the lips' shadows, a dark slot. The paint is never blurred by
    more than a sixth of the opening now, as its outline already was."""
    soft = cv2.GaussianBlur(sitter, (0, 0), 1.8)
    animator = MeshAnimator(soft, stack)
    assert animator.warper.blur > 1.2
    out, dst = _opened(animator, (0.7, 0.0, 0.0, 0.0), share=0.03)
    gap = float(dst[14, 1] - dst[13, 1])
    assert 4.0 < gap < 8.0, gap
    centre, half = (dst[78, 0] + dst[308, 0]) / 2, (dst[308, 0] - dst[78, 0]) / 2
    cols = np.arange(int(round(centre - 0.3 * half)), int(round(centre + 0.3 * half)) + 1)
    rows = np.arange(int(np.floor(dst[13, 1])), int(np.ceil(dst[14, 1])) + 1)
    lightest = (out[rows[:, None], cols[None, :]].astype(np.float32) @ LUMA).max(axis=0)
    enamel = float(animator.rig.palette.teeth @ LUMA)
    assert float(np.median(lightest)) > 0.8 * enamel, (float(np.median(lightest)), enamel)


def test_the_mouths_corners_are_not_lit_as_lip_beyond_the_opening(stack, sitter, monkeypatch):
    """The lips' inner edges are lit as the lip beside them (`_inner_lips`); lit all round
    the opening, the ring beyond its sharp corners drew them out as pale points of lip colour
    (up to 40 levels over the picture there), fangs at a small mouth's corners. The lips meet
    in shadow at the corners: there the ring is cleaned, not lit."""
    from installation.models.motion.mesh import warp

    animator = MeshAnimator(sitter, stack)
    out, dst = _opened(animator, (0.0, 0.0, 0.0, 0.0, 0.0), share=0.1)
    offsets = np.zeros((468, 3), np.float32)
    offsets[list(LOWER_INNER_LIP)[1:-1], 1] = 0.1
    offsets[list(LOWER_OUTER_LIP)[1:-1], 1] = 0.08
    monkeypatch.setattr(warp, "paint_mouth", lambda *args, **kwargs: None)
    bare = animator.render(Motion(offsets=offsets, teeth=(0.0, 0.0, 0.0, 0.0, 0.0)))
    light, unpainted = out.astype(np.float32) @ LUMA, bare.astype(np.float32) @ LUMA
    for tip, other in ((78, 308), (308, 78)):
        outward = (dst[tip, :2] - dst[other, :2]) / np.linalg.norm(dst[tip, :2] - dst[other, :2])
        for reach in (1.0, 2.0, 3.0):
            x, y = np.round(dst[tip, :2] + outward * reach).astype(int)
            assert light[y, x] - unpainted[y, x] < 25, (tip, reach, light[y, x] - unpainted[y, x])


def test_a_dark_passage_in_the_pictures_corner_is_read_whole_and_tiles_any_patch():
    """The passages are compared on cells of whole pixels; a darkest passage in the region's
    bottom-right corner was read cut short by the region's edge (78 px of an 80 px window),
    and the texture laid from it failed on the first open mouth (an index past its end)."""
    from installation.models.motion.mesh.passages import passages

    rng = np.random.default_rng(4)
    region = np.full((312, 286, 3), 200, np.uint8)  # (24 and 22 cells of 13 px: no spare pixel)
    region[-90:, -90:] = np.clip(40 + rng.normal(0, 12, (90, 90, 1)), 0, 255).astype(np.uint8)
    everywhere = np.ones(region.shape[:2], np.float32)
    dark, light = passages(region, 80 / 0.22, everywhere, everywhere)
    assert dark is not None and light is not None
    assert dark.tile.shape == (80, 80, 3)
    assert dark.light < 60  # the dark corner, not the light ground
    assert dark.texture(250, 270, 41, 33).shape == (41, 33, 3)


def _brushed(sitter: np.ndarray, width: int) -> np.ndarray:
    """The sitter as a warm painting whose darks are laid in upright brush strokes `width`
    pixels wide and 25 long (hair falling, a dark ground dragged downwards), as its darkest
    passage: its lights smooth."""
    light = cv2.cvtColor(sitter, cv2.COLOR_RGB2GRAY).astype(np.float32) / 255.0
    dark = np.clip(1.0 - cv2.normalize(light, None, 0.0, 1.0, cv2.NORM_MINMAX), 0.0, 1.0) ** 2
    noise = np.random.default_rng(3).normal(0.0, 1.0, light.shape).astype(np.float32)
    strokes = cv2.blur(noise, (width, 25))
    strokes -= cv2.GaussianBlur(strokes, (0, 0), 6.0)
    strokes /= strokes.std()
    warm = np.clip(40.0 + sitter.astype(np.float32) * 0.8, 0, 255) * np.array([1.1, 0.95, 0.75])
    return np.clip(warm * (1.0 + 0.35 * dark * strokes)[..., None], 0, 255).astype(np.uint8)


def _steps(out: np.ndarray, dst: np.ndarray) -> tuple[float, float]:
    """The opening's fine detail (its light less a blur: the cavity's own grading left out):
    its mean square step from column to column and from row to row, well inside the lips."""
    inside = cv2.erode(_mask(out.shape, dst[list(INNER_LIPS)]).astype(np.uint8), np.ones((7, 7), np.uint8)) > 0
    assert inside.sum() > 300
    light = out.astype(np.float32) @ LUMA
    detail = light - cv2.GaussianBlur(light, (0, 0), 2.0)
    across = (np.diff(detail, axis=1) ** 2)[inside[:, 1:] & inside[:, :-1]]
    down = (np.diff(detail, axis=0) ** 2)[inside[1:] & inside[:-1]]
    return float(across.mean()), float(down.mean())


def test_an_open_mouth_in_a_painting_brushed_upright_is_not_striped(stack, sitter):
    """A painting's darkest passage is often brushwork that runs downwards (hair falling, a
    dark ground dragged): tiled over an opening as its texture, it striped the cavity from
    lip to lip, which read as the lips' line stretched down (Mona Lisa, Van Gogh). The
    cavity keeps the picture's grain, not its upright streaks: it varies no more from column
    to column than from row to row."""
    for width in (2, 4):
        animator = MeshAnimator(_brushed(sitter, width), stack)
        out, dst = _opened(animator, (0.0, 0.0, 0.0, 0.0, 0.0), share=0.12)
        across, down = _steps(out, dst)
        assert across < 1.3 * down, (width, across, down)


def _soft_lipped(sitter: np.ndarray, stack) -> np.ndarray:
    """The sitter with her mouth painted soft (sfumato: blurred 4 px over the lips and round
    them) and the rest of her face as sharp as it was."""
    mesh = portrait_faces(sitter, stack)[0].landmarks[:, :2]
    lips = _mask(sitter.shape, mesh[list(OUTER_LIPS)]).astype(np.uint8)
    around = cv2.GaussianBlur(cv2.dilate(lips, np.ones((15, 15), np.uint8)).astype(np.float32), (0, 0), 3.0)
    soft = cv2.GaussianBlur(sitter, (0, 0), 4.0).astype(np.float32)
    return np.clip(sitter + (soft - sitter) * around[..., None] + 0.5, 0, 255).astype(np.uint8)


def _edge_softness(out: np.ndarray, dst: np.ndarray) -> float:
    """How soft the opening's upper edge is drawn (pixels): the step from the upper lip to the
    cavity down the middle columns, its height over its steepest slope (a Gaussian-blurred
    step of sigma s reads s, with the pixel's own softness)."""
    light = out.astype(np.float32) @ LUMA
    centre = int(round((dst[78, 0] + dst[308, 0]) / 2))
    top = dst[13, 1]
    rows = np.arange(int(top) - 6, int(top) + 7)
    readings = []
    for x in range(centre - 3, centre + 4):
        profile = light[rows, x]
        rise = float(profile.max() - profile.min())
        readings.append(rise / (np.sqrt(2.0 * np.pi) * float(np.abs(np.diff(profile)).max())))
    return float(np.median(readings))


def test_an_opening_in_soft_lips_is_as_soft_as_they_are(stack, sitter):
    """The opening's outline was drawn as soft as the face's strongest edges: on a painting
    whose lips are soft and whose lashes or cracks are sharp (Mona Lisa's sfumato mouth,
    0.7 px by her face's edges), it was cut into the lips with a hard black outline. It is as
    soft as the sitter's own lip line now."""
    animator = MeshAnimator(_soft_lipped(sitter, stack), stack)
    out, dst = _opened(animator, (0.0, 0.0, 0.0, 0.0, 0.0), share=0.12)
    sharp, sharp_dst = _opened(MeshAnimator(sitter, stack), (0.0, 0.0, 0.0, 0.0, 0.0), share=0.12)
    # (The sharp sitter's opening reads 0.9 px: the soft one read the same, its face's edges
    # no softer for its mouth.)
    assert _edge_softness(out, dst) > 1.2, _edge_softness(out, dst)
    assert _edge_softness(sharp, sharp_dst) < 1.05, _edge_softness(sharp, sharp_dst)


def test_lips_parted_at_rest_are_no_soft_lip_line(stack, sitter):
    """The mouth is drawn as soft as the sitter's own closed lip line. A sitter photographed
    with her lips parted (mid-word, laughing, at an instrument) has no such line: read across
    her opening, the shading in it (teeth fading into the dark, a lip in shadow) was taken
    for a soft line, and a sharp photograph's opening was blurred by 0.4-1.2 px, the face mesh
    reading it as smaller. Made here: the sitter's lips parted by 0.04 of her face at rest,
    the opening light under the upper lip and shading down, over 4 px, into a dark that runs
    on into a lower lip in shadow."""
    from dataclasses import replace

    from installation.models.motion.mesh.focus import face_blur, lip_line_blur
    from installation.models.motion.mesh.named_points import UPPER_INNER_LIP
    from installation.models.motion.mesh.rig import build_rig

    face = portrait_faces(sitter, stack)[0]
    mesh = face.landmarks.copy()
    height = float(np.linalg.norm(mesh[10, :2] - mesh[152, :2]))
    upper, lower = list(UPPER_INNER_LIP)[1:-1], list(LOWER_INNER_LIP)[1:-1]
    mesh[lower, 1] = mesh[upper, 1] + 0.04 * height
    picture = sitter.copy()
    left, right = int(mesh[78, 0]), int(mesh[308, 0])
    top = int(round(mesh[13, 1]))
    rows = np.arange(picture.shape[0], dtype=np.float32)[:, None]
    light = 200.0 - 170.0 * np.clip((rows - top) / (0.04 * height), 0.0, 1.0)
    light = cv2.GaussianBlur(np.repeat(light, right - left, axis=1), (0, 0), 4.0)
    picture[top - 2:top + int(0.12 * height), left:right] = light[top - 2:top + int(0.12 * height), :, None]
    rig = build_rig(picture, replace(face, landmarks=mesh), MeshAnimator(sitter, stack).rig.eyes)
    assert lip_line_blur(rig) <= face_blur(rig) + 0.05, (lip_line_blur(rig), face_blur(rig))
