"""The portrait's open mouth as a visitor sees it: an interior painted in the picture's own
palette (never a black hole cut in a light painting), no specks round the opening, teeth
that read as teeth on a small face, and a visitor's tongue shown as a tongue.

Synthetic mouths and the shipped sitter: nothing from ../shared.
"""

from __future__ import annotations

import cv2
import numpy as np

from installation.models.face import portrait_faces
from installation.models.motion.mesh import MeshAnimator
from installation.models.motion.mesh.motion import Motion
from installation.models.motion.mesh.named_points import (
    INNER_LIPS,
    LOWER_INNER_LIP,
    LOWER_OUTER_LIP,
    OUTER_LIPS,
    UPPER_INNER_LIP,
    UPPER_OUTER_LIP,
)
from installation.models.motion.mesh.palette import Readings
from installation.models.motion.mesh.teeth import CHEEKS, mouth_shown

from .test_mesh_expression import _mouth_picture, mouth_outline

LUMA = np.array([0.299, 0.587, 0.114], np.float32)


def _opened(animator: MeshAnimator, teeth: tuple[float, ...], share: float = 0.08):
    """The portrait with its lower lip moved down `share` of a face height, and the moved points."""
    offsets = np.zeros((468, 3), np.float32)
    offsets[list(LOWER_INNER_LIP)[1:-1], 1] = share
    offsets[list(LOWER_OUTER_LIP)[1:-1], 1] = share * 0.8
    motion = Motion(offsets=offsets, teeth=teeth)
    return animator.render(motion), animator.place(motion)[0], motion


def _polygon(shape: tuple[int, ...], points: np.ndarray) -> np.ndarray:
    mask = np.zeros(shape[:2], np.uint8)
    cv2.fillPoly(mask, [np.round(points).astype(np.int32)], 1)
    return mask


def _light_warm_painting(sitter: np.ndarray, stack) -> np.ndarray:
    """The sitter as a pale, warm painting: light flesh, red lips, no deep darks anywhere
    (its darkest tones a mid brown), the kind of picture where a black mouth is a hole."""
    warm = np.clip(95.0 + sitter.astype(np.float32) * 0.62, 0, 255) * np.array([1.08, 0.93, 0.78])
    face = portrait_faces(sitter, stack)[0]
    lips = cv2.dilate(_polygon(sitter.shape, face.landmarks[list(OUTER_LIPS), :2]), np.ones((3, 3), np.uint8)) > 0
    warm[lips] = warm[lips] * np.array([1.05, 0.72, 0.7])
    return np.clip(warm, 0, 255).astype(np.uint8)


def test_an_open_mouth_on_a_light_painting_is_dark_but_not_black(stack, sitter):
    """Painted as a share of the lip colour, an opening mouth on a light painting was near
    black under the upper lip (a tenth of the lips' lightness): a hole cut in the canvas.
    It is painted in the picture's own darks now: clearly darker than the lips, as light
    as the painting's own shadows allow, and in the painting's warm hue."""
    painting = _light_warm_painting(sitter, stack)
    animator = MeshAnimator(painting, stack)
    out, dst, _ = _opened(animator, (0.0, 0.0, 0.0, 0.0))
    inside = cv2.erode(_polygon(out.shape, dst[list(INNER_LIPS)]), np.ones((5, 5), np.uint8)) > 0
    assert inside.sum() > 150
    cavity = out[inside].astype(np.float32)
    rest = animator.rig.mesh[:, :2]
    lips = _polygon(painting.shape, rest[list(OUTER_LIPS)]) > 0
    lips_light = float(np.median(painting[lips].astype(np.float32) @ LUMA))
    light = cavity @ LUMA
    assert np.percentile(light, 10) > 0.3 * lips_light  # no black hole
    assert light.mean() < 0.7 * lips_light  # but an opening: darker than the lips
    r, _, b = cavity.mean(axis=0)
    assert r > b + 15  # in the painting's warm shade, not a neutral grey-black


def _high_key_miniature(sitter: np.ndarray) -> np.ndarray:
    """The sitter as a pastel miniature on ivory: every tone lifted half way to white (its
    darkest, the pupils and the lip line, a mid grey of about 130), tinted warm and softened."""
    lifted = 255.0 - (255.0 - sitter.astype(np.float32)) * 0.5
    return np.clip(cv2.GaussianBlur(lifted * np.array([1.0, 0.97, 0.9]), (0, 0), 1.0), 0, 255).astype(np.uint8)


def test_an_open_mouth_on_a_high_key_miniature_is_no_darker_than_its_own_darkest_accents(stack, sitter):
    """On a high-key picture (a pastel miniature, an encaustic panel) the opening was a near
    black hole, 0.3 as light as the picture's darkest accents near the face (its pupils and
    lip line): darker than anything in the picture, a hole cut in it. Its darkest is now as
    light as those accents (within a tenth), its shading kept: still clearly an opening,
    darker than the lips, and darker under the upper lip than at its floor."""
    miniature = _high_key_miniature(sitter)
    animator = MeshAnimator(miniature, stack)
    out, dst, _ = _opened(animator, (0.0, 0.0, 0.0, 0.0), share=0.12)
    inside = cv2.erode(_polygon(out.shape, dst[list(INNER_LIPS)]), np.ones((5, 5), np.uint8)) > 0
    assert inside.sum() > 150
    light = cv2.GaussianBlur(out.astype(np.float32) @ LUMA, (0, 0), 0.7)
    rest = animator.rig.mesh[:, :2]
    face = _polygon(miniature.shape, cv2.convexHull(np.round(rest).astype(np.int32))[:, 0]) > 0
    accents = np.percentile(cv2.GaussianBlur(miniature.astype(np.float32) @ LUMA, (0, 0), 0.7)[face], 1)
    lips = _polygon(miniature.shape, rest[list(OUTER_LIPS)]) > 0
    lips_light = float(np.median(miniature[lips].astype(np.float32) @ LUMA))
    opening = light[inside]
    assert np.percentile(opening, 1) > 0.9 * min(accents, 0.5 * lips_light), (np.percentile(opening, 1), accents)
    assert opening.mean() < 0.85 * lips_light  # still an opening
    ys, xs = np.nonzero(inside)
    upper = np.interp(xs, *dst[list(UPPER_INNER_LIP)][np.argsort(dst[list(UPPER_INNER_LIP), 0])].T)
    lower = np.interp(xs, *dst[list(LOWER_INNER_LIP)][np.argsort(dst[list(LOWER_INNER_LIP), 0])].T)
    down = (ys - upper) / np.maximum(lower - upper, 1.0)
    middle = np.abs(xs - xs.mean()) < 0.3 * (xs.max() - xs.min())
    assert opening[middle & (down < 0.2)].mean() < opening[middle & (down > 0.6)].mean() - 2.0  # its shading kept
    # ...and its floor, pressed up with the rest, no lip (the face mesh re-run on seven made
    # high-key sitters read their mouths about as open as before: amplitude 1.01 -> 1.00).
    assert np.percentile(opening[down > 0.5], 90) < 0.75 * lips_light


def _with_its_dark_accents(painting: np.ndarray, sitter: np.ndarray) -> np.ndarray:
    """`painting` with the sitter's own near-black accents (pupils, nostrils, the lip line's
    deepest) kept: a light painting that is not high-key (cavity.ACCENTS_FROM)."""
    kept = painting.copy()
    dark = sitter.astype(np.float32) @ LUMA < 50.0
    kept[dark] = sitter[dark]
    return kept


def test_the_floor_of_an_open_mouth_stays_clearly_darker_than_the_lower_lip(stack, sitter):
    """Lit from above, the floor of the mouth is lighter than its roof; but lifted to 0.6 of
    the lips' lightness, the lower half of a wide opening on a light painting read as lip,
    to the face mesh (the opening measured half as tall) and to a viewer alike. (On a
    high-key painting, whose darkest accents are a mid tone, the opening's tones are pressed
    up into the picture's own range, the floor with them: the next test.)"""
    painting = _with_its_dark_accents(_light_warm_painting(sitter, stack), sitter)
    animator = MeshAnimator(painting, stack)
    out, dst, _ = _opened(animator, (0.0, 0.0, 0.0, 0.0), share=0.12)
    inside = cv2.erode(_polygon(out.shape, dst[list(INNER_LIPS)]), np.ones((3, 3), np.uint8)) > 0
    ys, xs = np.nonzero(inside)
    upper = np.interp(xs, *dst[list(UPPER_INNER_LIP)][np.argsort(dst[list(UPPER_INNER_LIP), 0])].T)
    lower = np.interp(xs, *dst[list(LOWER_INNER_LIP)][np.argsort(dst[list(LOWER_INNER_LIP), 0])].T)
    floor = (ys - upper) / np.maximum(lower - upper, 1.0) > 0.5  # the lower half of the opening
    assert floor.sum() > 100
    rest = animator.rig.mesh[:, :2]
    lips = _polygon(painting.shape, rest[list(OUTER_LIPS)]) > 0
    lips_light = float(np.median(painting[lips].astype(np.float32) @ LUMA))
    light = out[ys[floor], xs[floor]].astype(np.float32) @ LUMA
    assert np.percentile(light, 90) < 0.45 * lips_light


def test_no_specks_of_the_closed_mouths_line_round_the_opening(stack, sitter):
    """What the closed mouth's line holds (a highlight, craquelure, a speck of dust) was
    stretched by an opening mouth into dots and streaks just outside the painted opening,
    worst at its corners. The lips' inner edges round an opening are their own colour."""
    base = MeshAnimator(sitter, stack)
    offsets = np.zeros((468, 3), np.float32)
    offsets[list(LOWER_INNER_LIP)[1:-1], 1] = 0.08
    motion = Motion(offsets=offsets, teeth=(0.0, 0.0, 0.0, 0.0))
    dst, gaze, depth = base.place(motion)
    map_x, map_y = base.warper.maps(dst, gaze, depth, motion.eye_open)
    x0, y0 = base.rig.region[:2]
    opening = _polygon(sitter.shape, dst[list(INNER_LIPS)])
    outside = cv2.distanceTransform((opening == 0).astype(np.uint8), cv2.DIST_L2, 3)
    rim = (outside > 0.5) & (outside <= 2.0)  # the first two pixels round the opening
    # The rim's pixels that come from the closed mouth's line (hidden in it at rest)...
    rest = base.rig.mesh[:, :2]
    line = (rest[list(UPPER_INNER_LIP)] + rest[list(LOWER_INNER_LIP)]) / 2
    ys, xs = np.nonzero(rim)
    sx, sy = map_x[ys - y0, xs - x0], map_y[ys - y0, xs - x0]
    from_line = np.abs(sy - np.interp(sx, line[:, 0], line[:, 1])) < 1.0
    sources = np.unique(np.round(np.column_stack([sx[from_line], sy[from_line]])).astype(int), axis=0)
    assert len(sources) >= 3
    # ...hold specks of light in the portrait.
    specked = sitter.copy()
    for x, y in sources[::3]:
        specked[y, x] = 255
    clean = base.render(motion).astype(np.float32)
    seen = MeshAnimator(specked, stack).render(motion).astype(np.float32)
    change = np.abs(seen - clean).max(axis=-1)
    assert change[rim].max() < 40


def test_teeth_on_a_small_mouth_are_as_light_as_the_face_not_a_grey_block(stack, sitter):
    """On a small face the teeth were a band darker than the skin beside them (lit as the
    skin, then shaded by the lips and the shadow inside them): a grey block, not teeth.
    They are lit as the face's highlights are, and the shadow inside them falls on the
    cavity, not on them."""
    small = cv2.resize(sitter, None, fx=0.6, fy=0.6, interpolation=cv2.INTER_AREA)
    animator = MeshAnimator(small, stack)
    rest = animator.rig.mesh[:, :2]
    assert np.linalg.norm(rest[291] - rest[61]) < 45  # a small mouth
    out, dst, _ = _opened(animator, (0.5, 0.0, 0.0, 0.0), share=0.07)
    top, bottom = dst[13], dst[14]
    gap = bottom[1] - top[1]
    assert gap > 6
    # The upper teeth (half the opening), across the front teeth.
    y0, y1 = int(round(top[1] + 0.15 * gap)), int(round(top[1] + 0.4 * gap))
    centre, half = (dst[78, 0] + dst[308, 0]) / 2, (dst[308, 0] - dst[78, 0]) / 2
    x0, x1 = int(round(centre - 0.35 * half)), int(round(centre + 0.35 * half))
    teeth = out[y0:y1 + 1, x0:x1 + 1].reshape(-1, 3).astype(np.float32) @ LUMA
    cheeks = np.concatenate([small[int(y) - 2:int(y) + 3, int(x) - 2:int(x) + 3].reshape(-1, 3)
                             for x, y in rest[[50, 280, 205, 425]]]).astype(np.float32) @ LUMA
    assert np.median(teeth) > np.median(cheeks)


def test_a_thin_reading_of_teeth_draws_no_grey_line(stack, sitter):
    """The visitor's lower lip read as a sliver of teeth (a twentieth of the opening) drew
    a line a pixel thick along the portrait's lower lip: blurred into the cavity, a grey
    seam, never teeth."""
    animator = MeshAnimator(sitter, stack)
    none, dst, _ = _opened(animator, (0.0, 0.0, 0.0, 0.0))
    sliver, _, _ = _opened(animator, (0.0, 0.05, 0.0, 0.0))
    opening = _polygon(sitter.shape, dst[list(INNER_LIPS)]) > 0
    change = np.abs(sliver.astype(np.float32) - none.astype(np.float32)).max(axis=-1)
    assert change[opening].max() < 12


def _mouth(tongue_rows: tuple[int, int], tongue=(225, 145, 150), lower_teeth: int = 0, wet_lip: int = 5
           ) -> tuple[np.ndarray, np.ndarray]:
    """A visitor's open mouth, 200 px: pink lips, four rows of upper teeth, a dark cavity,
    a tongue over `tongue_rows`, and `lower_teeth` rows of lower teeth above the lower
    lip's wet inner edge (the opening's last `wet_lip` rows: the face mesh puts the lip
    line a little inside the lip); and the landmarks that outline it (the opening: rows
    90-120)."""
    lip = 120 - wet_lip
    image = np.full((200, 200, 3), (205, 160, 140), np.uint8)
    image[75:90, 55:146], image[lip:135, 55:146] = (190, 95, 100), (190, 95, 100)
    image[90:lip, 60:141] = (45, 22, 24)
    image[90:94, 60:141] = (236, 232, 222)
    image[tongue_rows[0]:tongue_rows[1], 60:141] = tongue
    if lower_teeth:
        image[lip - lower_teeth:lip, 60:141] = (236, 232, 222)
    lm = mouth_outline()
    for outer in UPPER_OUTER_LIP + LOWER_OUTER_LIP:
        if not lm[outer].any():
            lm[outer, :2] = (100, 76 if outer in UPPER_OUTER_LIP else 134)
    return image, lm


def test_a_tongue_as_pale_as_teeth_beside_the_lips_is_read_as_a_tongue():
    """A tongue stuck out is often paler than the lips (the shared faces driver's: 0.64-0.8
    of their redness), as little red as teeth beside them. Floating between the teeth rows,
    it was read as nothing: the portrait showed a black hole where the visitor showed a
    tongue. Over the lower teeth, it was read as more teeth: a tall grey block."""
    lips_red = (190 - 95) / (190 + 95)
    pale = (225, 145, 150)
    assert 0.55 < ((pale[0] - pale[1]) / (pale[0] + pale[1])) / lips_red < 0.75  # as pale as that
    image, lm = _mouth((97, 115))  # from below the upper teeth to the lower lip
    upper, lower, top, bottom, _ = mouth_shown(image, lm)
    assert upper < 0.25 and lower == 0.0
    assert top <= 0.35 and bottom >= 0.8
    image, lm = _mouth((97, 111), lower_teeth=6, wet_lip=3)  # resting on the lower teeth
    upper, lower, top, bottom, _ = mouth_shown(image, lm)
    assert 0.1 <= lower <= 0.35  # the lower teeth alone, not teeth up to the upper row
    assert top <= 0.35 and bottom >= 0.6
    # Teeth that grade from their whitest to a pinker edge by the gum are still teeth.
    image, lm = _mouth((94, 94))
    image[90:104, 60:141] = (236, 232, 222)
    image[104:108, 60:141] = (225, 170, 165)
    upper, _, top, bottom, _ = mouth_shown(image, lm)
    assert upper >= 0.45 and bottom - top == 0.0


def test_teeth_resting_on_the_lower_lip_are_read_with_the_lips_inside_under_them():
    """A smile's upper teeth rest on the lower lip, and the face mesh puts the lower inner
    lip below the lip's lit, wet inside: the opening is teeth, then lip. Read as nothing,
    the portrait painted cavity there, a dark crescent under every smile's teeth."""
    image, lm = _mouth_picture(teeth_rows=21)
    # The lower lip's inside, up to the teeth: redder than the lips outside and no lighter
    # (the shared smile driver's: 1.05-1.4 of their redness, 0.88-1.0 of their lightness).
    image[111:120, 60:141] = (200, 85, 95)
    upper, lower, _, _, inside = mouth_shown(image, lm)
    assert 0.6 <= upper <= 0.8 and lower == 0.0
    assert abs(upper + inside - 1.0) < 1e-6  # from the teeth's edge down to the lower lip
    # Below a dark gap it is the cavity's floor, painted as such; nor is a yawn's dark any lip.
    image[105:111, 60:141] = (45, 22, 24)
    image[90:105, 60:141] = (236, 232, 222)
    assert mouth_shown(image, lm)[4] == 0.0
    dark, lm = _mouth_picture(teeth_rows=21)
    assert mouth_shown(dark, lm)[4] == 0.0


def test_under_teeth_resting_on_the_lower_lip_the_portrait_shows_lip_not_a_dark_crescent(stack, sitter):
    # (A light painting with near-black accents of its own: on a high-key one the cavity beside
    # the lip's inside is lifted into the picture's range, `cavity.ACCENTS_FROM`.)
    animator = MeshAnimator(_with_its_dark_accents(_light_warm_painting(sitter, stack), sitter), stack)
    cavity, dst, _ = _opened(animator, (0.7, 0.0, 0.0, 0.0, 0.0))
    resting, _, _ = _opened(animator, (0.7, 0.0, 0.0, 0.0, 0.3))
    top, bottom = dst[13], dst[14]
    y0, y1 = (int(round(top[1] + f * (bottom[1] - top[1]))) for f in (0.8, 0.92))
    x0, x1 = int(round(top[0] - 4)), int(round(top[0] + 5))
    under = resting[y0:y1 + 1, x0:x1].astype(np.float32).reshape(-1, 3).mean(0)
    dark = cavity[y0:y1 + 1, x0:x1].astype(np.float32).reshape(-1, 3).mean(0)
    lip = animator.rig.palette.lip
    luma = np.array([0.299, 0.587, 0.114], np.float32)
    assert under @ luma > 0.55 * (lip @ luma) > dark @ luma  # lit as a lip in shade; the cavity far darker
    assert under[0] > under[2] + 10  # and lip-red, not grey


def test_nothing_is_painted_beyond_the_cheeks_outline(stack, sitter):
    """On a turned sitter the mouth's far corner runs towards the cheek's outline and the
    moved inner lips can cross it: a dark opening was painted onto the background there."""
    from installation.models.motion.mesh.mouth import paint_mouth
    from installation.models.motion.mesh.turned_lips import cheek_outline_points

    animator = MeshAnimator(sitter, stack)
    _, dst, motion = _opened(animator, (0.0, 0.0, 0.0, 0.0, 0.0))
    dst = dst[:, :2].astype(np.float64).copy()
    # The cheek's outline as seen (the face's points but the nose and lips) pulled in to cross
    # the mouth a quarter of the way from its right corner.
    cut = dst[308, 0] - 0.25 * (dst[308, 0] - dst[78, 0])
    outline = cheek_outline_points(animator.rig.mesh.astype(np.float64))
    dst[outline, 0] = np.minimum(dst[outline, 0], cut)
    region = animator.rig.image.copy()
    before = region.copy()
    paint_mouth(region, dst, animator.rig, motion.teeth)
    change = np.abs(region.astype(np.int16) - before).max(axis=-1)
    inside = _polygon(region.shape, dst[list(INNER_LIPS)]) > 0
    assert change[inside].max() > 40  # the opening is painted...
    beyond = inside & (np.arange(region.shape[1])[None, :] > cut + 4)  # (past its softened edge)
    assert beyond.any() and change[beyond].max() < 8  # ...but not beyond the cheek


def _under_warm_light(image: np.ndarray) -> np.ndarray:
    """The picture as a dim room under a warm lamp sees it: red kept best, green less, blue least."""
    return np.clip(image.astype(np.float32) * (0.7, 0.42, 0.25), 0, 255).astype(np.uint8)


def test_a_toothy_smile_under_a_warm_dim_light_is_read_as_teeth():
    """A visitor grinning in a dim, warm room showed his teeth clearly and the portrait a black
    slot: the lamp made everything redder, the teeth as well, and his pale lips barely redder
    than his skin, so his teeth were no longer "far less red than the lips". Drawn: pale lips
    a little redder than the skin, slightly shaded, yellowish teeth over half the opening."""
    image, lm = _mouth_picture(teeth_rows=15, upper_lip=(180, 120, 112), lower_lip=(180, 120, 112),
                               teeth=(200, 167, 150))
    for cheek in CHEEKS:  # on the skin beside the mouth
        lm[cheek, :2] = (30, 100)
    assert mouth_shown(image, lm)[0] >= 0.45  # read in ordinary light
    upper, lower, top, bottom, _ = mouth_shown(_under_warm_light(image), lm)
    assert upper >= 0.45 and lower == 0.0
    # Under the same lamp a yawn is still dark, and a tongue still a tongue, not teeth.
    dark, lm = _mouth_picture(teeth_rows=0, upper_lip=(180, 120, 112), lower_lip=(180, 120, 112))
    assert mouth_shown(_under_warm_light(dark), lm)[:2] == (0.0, 0.0)
    image, lm = _mouth((97, 115))
    upper, lower, top, bottom, _ = mouth_shown(_under_warm_light(image), lm)
    assert upper < 0.25 and lower == 0.0


def test_the_pictures_grain_over_an_open_mouth_is_as_faint_as_in_its_darks(stack, sitter):
    """A photograph's grain is weaker in its darks than on its cheeks. Laid on a dark opening
    at the cheeks' strength, it read as a speckled black hole: a flat oval of dots. Measured
    on a grainy photograph whose grain grows with its tone: the opening's fine detail well
    under the cheeks', but some of it."""
    noise = np.random.default_rng(0).normal(0, 0.08, sitter.shape[:2])[..., None]
    grainy = sitter.astype(np.float32) * (1.0 + noise)
    animator = MeshAnimator(np.clip(grainy, 0, 255).astype(np.uint8), stack)
    out, dst, _ = _opened(animator, (0.0, 0.0, 0.0, 0.0, 0.0), share=0.12)
    light = out.astype(np.float32) @ LUMA
    detail = light - cv2.GaussianBlur(light, (0, 0), 2.0)
    inside = cv2.erode(_polygon(out.shape, dst[list(INNER_LIPS)]), np.ones((5, 5), np.uint8)) > 0
    cheek = _polygon(out.shape, dst[[205, 50, 187, 147, 123, 116], :2]) > 0
    assert inside.sum() > 300 and cheek.sum() > 300
    ratio = float(np.std(detail[inside]) / np.std(detail[cheek]))
    assert 0.15 < ratio < 0.6


def test_the_upper_lips_inner_edge_is_lit_as_the_lip_not_lost_in_the_cavity(stack, sitter):
    """Stretched from the closed mouth's dark line, the upper lip's inner edge was a dark band
    half as light as the lip above it, and the lip was lost in the dark opening. Its edge is
    lit as the lip beside it is, a pixel or two over the opening."""
    animator = MeshAnimator(sitter, stack)
    out, dst, _ = _opened(animator, (0.0, 0.0, 0.0, 0.0, 0.0), share=0.1)
    light = out.astype(np.float32) @ LUMA
    middle = list(UPPER_INNER_LIP)[len(UPPER_INNER_LIP) // 2 - 2:len(UPPER_INNER_LIP) // 2 + 3]

    def above(rows: tuple[int, ...]) -> float:
        return float(np.mean([light[int(round(dst[i, 1] - dy)), int(round(dst[i, 0]))] for i in middle for dy in rows]))

    assert above((1, 2)) > 0.8 * above((4, 5))


def test_a_yawn_with_no_teeth_shows_the_tongues_back_under_a_darker_throat(stack, sitter):
    """A yawn or an "O" with no teeth and no tongue read was one dark slab, its tones rising
    evenly from roof to floor. A real open mouth shows the back of the tongue low in it,
    lit, under a darker throat: down the opening's middle, the tongue's back (three quarters
    of the way down) is clearly lighter than the throat (a third of the way down)."""
    animator = MeshAnimator(sitter, stack)
    out, dst, _ = _opened(animator, (0.0, 0.0, 0.0, 0.0, 0.0), share=0.1)
    light = out.astype(np.float32) @ LUMA
    upper, lower = dst[13, :2], dst[14, :2]
    assert lower[1] - upper[1] > 15

    def down_the_middle(shares: tuple[float, ...]) -> float:
        points = [upper + share * (lower - upper) for share in shares]
        return float(np.mean([light[round(y), round(x) + dx] for x, y in points for dx in (-1, 0, 1)]))

    throat, tongue = down_the_middle((0.3, 0.35, 0.4)), down_the_middle((0.7, 0.75, 0.8))
    assert tongue > 1.4 * throat
    lip = float(animator.rig.palette.lip @ LUMA)
    assert tongue < 0.45 * lip  # still the inside of a mouth, not a lip


def test_the_opening_has_rounded_corners_not_a_slab(stack, sitter):
    """Stretched, the inner lips' twenty points made the opening a slab with straight sides
    and hard corners; lips meet round an opening in curves. A pixel just inside the polygon's
    corners where the lower lip's inner side bends down from the mouth's corner is not the
    cavity's dark but nearer the lip."""
    animator = MeshAnimator(sitter, stack)
    out, dst, _ = _opened(animator, (0.0, 0.0, 0.0, 0.0, 0.0), share=0.14)
    light = out.astype(np.float32) @ LUMA
    centre = dst[list(INNER_LIPS), :2].mean(0)
    # (The cavity's tone, its grain averaged out: a single pixel of it is a few levels either way.)
    cy, cx = round(centre[1]), round(centre[0])
    cavity = float(np.median(light[cy - 2:cy + 3, cx - 2:cx + 3]))
    lip = float(animator.rig.palette.lip @ LUMA)
    for corner in (95, 324):
        inward = centre - dst[corner, :2]
        x, y = dst[corner, :2] + inward / np.linalg.norm(inward)
        assert light[round(y), round(x)] > cavity + 0.3 * (lip - cavity), corner


def test_two_renderers_of_one_picture_measure_the_grain_in_its_darks_once_each(monkeypatch):
    """`bayard animate` renders on two threads, each with its own grain of the same picture.
    The grain in the picture's darks was kept for one grain only, so the two threads took it
    in turns to measure it again: 6 ms more on every open-mouth frame (9.7 -> 15.7 ms on the
    house sitter at 900 px). Each grain is now measured once."""
    import types

    from installation.models.motion.mesh import cavity

    blurs = []

    class Counting:
        def __getattr__(self, name):
            return getattr(cv2, name)

        def GaussianBlur(self, *args, **kwargs):  # noqa: N802 -- cv2's name
            blurs.append(1)
            return cv2.GaussianBlur(*args, **kwargs)

    monkeypatch.setattr(cavity, "cv2", Counting())
    rng = np.random.default_rng(5)
    rig = types.SimpleNamespace(region=(0, 0, 120, 100), image=rng.integers(0, 255, (100, 120, 3), np.uint8),
                                readings=Readings(),
                                palette=types.SimpleNamespace(lip=np.array([150.0, 80.0, 80.0], np.float32)))
    grains = [rng.normal(0, 3, (100, 120)).astype(np.float32) for _ in range(2)]
    shares = [cavity.grain_in_darks(rig, grains[frame % 2]) for frame in range(20)]
    assert len(blurs) <= 2 * 2, len(blurs)  # two blurs a measuring, once for each grain
    assert shares[0::2] == [shares[0]] * 10 and shares[1::2] == [shares[1]] * 10


def _dark_rows(region: np.ndarray, before: np.ndarray, column: int) -> int:
    """How many pixels of a column the painted opening darkened clearly."""
    darker = before[:, column].astype(np.float32) @ LUMA - region[:, column].astype(np.float32) @ LUMA
    return int((darker > 25).sum())


def test_the_mesh_outline_across_a_turned_mouth_does_not_cut_the_opening(stack, sitter):
    """On sitters turned 25-40 degrees the face mesh's own outline points run across the
    mouth's far half, where the cheek's outline as seen lies well beyond the lips: the
    opening was cut there by a straight edge with no lip. It is painted to its far corner."""
    from installation.models.motion.mesh.mouth import paint_mouth
    from installation.models.motion.mesh.named_points import FACE_OVAL

    animator = MeshAnimator(sitter, stack)
    _, dst, motion = _opened(animator, (0.0, 0.0, 0.0, 0.0, 0.0), share=0.1)
    dst = dst[:, :2].astype(np.float64).copy()
    # The mesh's outline points pulled in across the mouth a quarter of the way from its right
    # corner; the cheek's other points stay where they were.
    cut = dst[308, 0] - 0.25 * (dst[308, 0] - dst[78, 0])
    oval = np.array(FACE_OVAL)
    oval = oval[dst[oval, 0] > dst[oval, 0].mean()]
    dst[oval, 0] = np.minimum(dst[oval, 0], cut)
    region = animator.rig.image.copy()
    before = region.copy()
    paint_mouth(region, dst, animator.rig, motion.teeth)
    middle = _dark_rows(region, before, round((dst[13, 0] + dst[78, 0]) / 2))
    beyond = _dark_rows(region, before, round(cut + 0.4 * (dst[308, 0] - cut)))
    assert middle > 5 and beyond > 0.4 * middle


def test_a_far_mouth_corner_seen_edge_on_is_a_rounded_end_not_a_straight_edge(stack, sitter):
    """A turned sitter's far half of the mouth is foreshortened to a few pixels: its inner
    lips, moved, rose and fell nearly straight up and down, and the opening ended in a
    straight edge as tall as itself (a D). A far corner is a rounded end of lip: the opening
    narrows into it."""
    from installation.models.motion.mesh.mouth import paint_mouth

    animator = MeshAnimator(sitter, stack)
    _, dst, motion = _opened(animator, (0.0, 0.0, 0.0, 0.0, 0.0), share=0.14)
    dst = dst[:, :2].astype(np.float64).copy()
    gap = float(dst[14, 1] - dst[13, 1])
    # The left half, corner to middle, squeezed into an eighth of the opening's height.
    far = [*UPPER_INNER_LIP[:6], *LOWER_INNER_LIP[1:6]]
    corner = dst[78, 0]
    start = dst[13, 0]
    dst[far, 0] = corner + (dst[far, 0] - corner) * (gap / 8) / max(start - corner, 1e-6)
    shift = start - (corner + gap / 8)
    near = [*UPPER_INNER_LIP[6:-1], *LOWER_INNER_LIP[6:-1]]
    dst[near, 0] -= shift * (dst[308, 0] - dst[near, 0]) / (dst[308, 0] - start)
    region = animator.rig.image.copy()
    before = region.copy()
    paint_mouth(region, dst, animator.rig, motion.teeth)
    middle = _dark_rows(region, before, round(dst[13, 0] + gap / 2))
    end = _dark_rows(region, before, round(corner + gap / 16))
    assert middle > 0.6 * gap
    assert end < 0.6 * middle  # the opening narrows into its end


def test_a_small_opening_with_an_edge_on_end_is_rounded_there_only():
    """A small opening (too small for its bends to be rounded) whose far half is seen
    edge-on: its far end is rounded, and its near corner stays sharp where it was."""
    from installation.models.motion.mesh.mouth import MOUTH_CORNERS
    from installation.models.motion.mesh.outlines import rounded

    t = np.linspace(0.0, 2 * np.pi, len(INNER_LIPS), endpoint=False)
    lips = np.column_stack([60 - 40 * np.cos(t), 50 + 12 * np.sin(t)])  # near corner at x 20, far at 100
    shape = rounded(lips, 0.0, MOUTH_CORNERS, ((MOUTH_CORNERS[1], 6.0),))
    assert np.isfinite(shape).all()
    assert shape[:, 0].max() < 99.0  # the far end drawn in, rounded
    assert abs(shape[:, 0].min() - 20.0) < 0.5  # the near corner where it was


def test_a_portrait_gone_is_not_kept_by_its_mouths_painters_nor_shares_their_readings(stack, sitter):
    """The passages a mouth is painted in, the grain in its darks and the cheek outline are
    read once per portrait and kept on its own rig. Kept in the painters' modules, keyed by
    the picture or the rig, every portrait shown stayed in memory after its animator was
    gone (a kiosk showing a new sitter each hour kept the last few whole), and a second
    portrait of the same picture was painted in the first one's passages."""
    import gc
    import weakref

    first = MeshAnimator(sitter, stack)
    _opened(first, (0.4, 0.0, 0.0, 0.0))
    gone, image = weakref.ref(first.rig), weakref.ref(first.rig.image)
    held = first.rig.image is sitter
    del first
    gc.collect()
    assert gone() is None  # no module holds the portrait's rig...
    assert held or image() is None  # ...nor its picture
    first, second = MeshAnimator(sitter, stack), MeshAnimator(sitter, stack)
    _opened(first, (0.4, 0.0, 0.0, 0.0))
    read = first.rig.readings
    assert read.passages is not None and read.cheek_points is not None and read.dark_grain
    assert second.rig.readings.passages is None  # nothing read for it yet, nothing handed over
    _opened(second, (0.4, 0.0, 0.0, 0.0))
    assert second.rig.readings.passages is not read.passages


def test_a_mouth_parted_less_than_a_pixel_on_a_small_face_is_a_faint_line_not_a_dark_slot(stack, sitter):
    """On a face 120 px high a pixel is a hundredth of its height, and what the visitor opens
    beyond the sitter's closed lips is less than a pixel for much of a talking visitor's
    time: the opening's dark then fades in with the pixels opened (`mouth.OPENING_FADE_PX`), a
    painted slot's share of a pixel. Faded in over a share of the face instead (0.65 px here),
    a mouth parted by half a pixel was painted as a whole dark slot: a small photograph's mouth
    read as opening in steps (mouth r 0.83 -> 0.80 on twelve small sitters, a man talking)."""
    small = cv2.resize(sitter, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    animator = MeshAnimator(small, stack)
    assert animator.rig.face_height < 130  # a small face
    light = {}
    for share in (0.0125, 0.05):  # parted about half a pixel beyond where paint starts; widely
        out, dst, _ = _opened(animator, (0.0, 0.0, 0.0, 0.0, 0.0), share=share)
        centre = dst[list(INNER_LIPS), :2].mean(0)
        x = round(centre[0])
        column = out[:, x - 3:x + 4].astype(np.float32) @ LUMA
        rows = slice(int(np.floor(dst[13, 1])), int(np.ceil(dst[14, 1])) + 1)
        light[share] = float(column[rows].min(axis=0).mean())
    lip = float(animator.rig.palette.lip @ LUMA)
    # The slight parting darkens the lip line, but well short of the wide opening's dark
    # (0.52 of it; 0.96 faded in over 0.65 px).
    assert lip - light[0.0125] < 0.7 * (lip - light[0.05])
