"""The colours a portrait's painted mouth is taken from (its lips, skin, the open mouth's
dark, teeth and tongue), read from the picture once, in its own light and tone; and what
the mouth's painters read from a portrait later and keep beside it (`Readings`)."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ...face import Eye
from .enamel import enamel_colour, in_shade, lit_skin, mouth_light
from .line_width import closed_line_width
from .named_points import (
    FACE_OVAL,
    LEFT_EYE_OPENING,
    LOWER_INNER_LIP,
    LOWER_OUTER_LIP,
    OUTER_LIPS,
    RIGHT_EYE_OPENING,
    UPPER_INNER_LIP,
)
from .tone import LUMA, PrintTone


@dataclass
class Palette:
    """Colours sampled from the portrait, so a painted mouth belongs to its picture."""

    lip: np.ndarray
    skin: np.ndarray
    cavity: np.ndarray
    teeth: np.ndarray
    tongue: np.ndarray  # lit, as a tongue beside the lips is
    tongue_in_shade: np.ndarray  # inside the open mouth, as it is painted
    # The teeth at TEETH_SHADE_AT of their light, in a print's tone at that lightness (the
    # teeth's own colour darkened, in a painting): how their shaded parts are painted.
    teeth_in_shade: np.ndarray | None = None
    # The shade the picture gives the line where its lips meet (`_mouth_line`, in a print's
    # tone): what a painter puts between lips barely parted (cavity.py, THIN_OPENING).
    line: np.ndarray | None = None
    # The lightness of the picture's own darkest accents near the face (pupils, nostrils, the
    # lip line: `_accents`) and of the face's middle tone: how dark the picture lets a dark be
    # (cavity.accent_lift).
    accents: tuple[float, float] | None = None
    # The shadows round the mouth and the face's broad shadows (`_mouth_shadows`): how light a
    # picture is where it matters, beside its accents (cavity.accent_lift).
    shadows: MouthShadows | None = None
    # How far the mouth's colours were taken into the print's tone (`PrintTone.share` of the
    # lips: 1 a print's own tone, 0 living colours): a lifted opening keeps the print's hue.
    print_toned: float = 0.0


@dataclass(frozen=True)
class MouthShadows:
    """How dark a portrait lets the shadows at its mouth and across its face be. A watercolour
    miniature on ivory may set near-black brows and pupils in a face whose every shadow is a
    soft mid tone: its accents say nothing of how dark its mouth may be painted, these do."""

    darkest: float  # the darkest tone in a ring round the lips, lips and lip line in (MOUTH_DARKEST)
    broad: float  # the face's broad shadows: FACE_SHADOWS percentile of the hull, eyes out
    hue: np.ndarray  # RGB, lightness 1: the hue of the skin's shadows round the mouth
    # The closed lips' line: its width at half its depth, a share of the face's height (None:
    # not read, line_width.py), and the ring's darkest with the line left out (BESIDE_LINE): a
    # fine stroke drawn between light lips is the painter's mark, not the mouth's shade.
    line_width: float | None = None
    beside_line: float | None = None


class Readings:
    """What the mouth's painters read from a portrait once and keep (its darkest and lightest
    passages, the grain in its darks, the points of its cheek outline): held by the portrait's
    own rig, so two portraits never share them and they go when the rig goes. (Kept in the
    painters' modules, keyed by the picture, they outlived their portraits and, keyed by an
    array's identity, could be handed to a new picture that reused a freed one's id.) Each
    is replaced whole: `bayard animate` renders on two threads."""

    def __init__(self) -> None:
        self.passages: tuple | None = None
        self.cheek_points: np.ndarray | None = None
        # Pairs of a grain (each render thread has its own) and its share in the darks.
        self.dark_grain: tuple[tuple[np.ndarray, float], ...] = ()
        self.lips_blur: float | None = None
        # How far the closed lips' dark line stands alone in light lips (stretched_line.py).
        self.line_alone: float | None = None


# Painted colours relative to what the picture gives them.
TONGUE_TINT = np.array([1.14, 1.06, 1.18])  # lighter than the lips, pinker
# ...pinker only as far as the lips are red ((R - G) / (R + G), fully from this): on a
# toned picture whose lips have no red of their own (a grey-green daguerreotype) the
# tint's blue over green made a lavender tongue.
TONGUE_PINK_FROM_REDNESS = 0.1
TONGUE_UNDER_TEETH = 0.82  # the tongue's lightness at most, as a share of the teeth's
TONGUE_IN_SHADE, SHADE_HUE = 0.65, 0.3  # the tongue inside the mouth (_in_the_mouths_shade)
TEETH_SHADE_AT = 0.6  # the teeth's shaded colour is read at this share of their light (Palette)
# The cavity's deepest colour (_cavity): this share of the face's darkest tones, within
# these shares of the lips' lightness, and this much of the lip line's saturation.
CAVITY_DARKS = 0.6
CAVITY_LIP_SHARE = (0.18, 0.45)
CAVITY_SATURATION = 0.75
ACCENT_SMOOTH = 0.7  # pixels (a Gaussian's sigma): the face's darkest accents are read through it
# The ring round the lips the mouth's shadows are read in (`_mouth_shadows`): this share of the
# mouth's width beyond the lips (the corners' shade, the lip line's ends, the shadow under the
# lower lip), cut at the nose's base (a nostril is an accent, not the mouth's shade); its
# darkest tone, this percentile (the closed lips' line is a few per cent of the ring).
MOUTH_RING, MOUTH_DARKEST = 0.2, 2.0
# The face's broad shadows: this percentile of the face (a pupil, a brow and the nostrils, a
# painted miniature's dark accents, are less than this share of it; a photograph's shadowed
# cheek, a beard or an engraving's hatching more). And the skin's shadows round the mouth:
# the darker SKIN_SHADOWS of the ring's skin.
FACE_SHADOWS, SKIN_SHADOWS = 10.0, 25.0
# The ring beside the closed lips' line: without the pixels within this many pixels and this
# share of the face's height of the line (a drawn stroke 0.012 of the face wide at half its
# depth, its soft flanks with it).
BESIDE_LINE = (1.5, 0.015)


def _sclera(image: np.ndarray, eyes: tuple[Eye, Eye]) -> np.ndarray | None:
    """The white of the sitter's eyes: the lighter half of each eye opening outside the
    iris. The picture's own "white" under its own light, for the teeth."""
    samples = []
    for eye in eyes:
        mask = np.zeros(image.shape[:2], np.uint8)
        cv2.fillPoly(mask, [np.round(eye.opening).astype(np.int32)], 1)
        centre = tuple(int(v) for v in np.round(eye.iris_centre))
        cv2.circle(mask, centre, int(np.ceil(eye.iris_radius * 1.1)), 0, -1)
        pixels = image[mask > 0].astype(np.float32)
        if len(pixels) >= 6:
            luma = pixels @ LUMA
            samples.append(pixels[luma >= np.percentile(luma, 60)])
    return np.median(np.concatenate(samples), axis=0) if samples else None


def read_palette(image: np.ndarray, mesh: np.ndarray, eyes: tuple[Eye, Eye] = (),
                 own_teeth: np.ndarray | None = None) -> Palette:
    """`own_teeth`: the colour of the sitter's own teeth where the picture shows them at rest
    (`own_teeth.teeth_colour`): the teeth are painted in it, to meet hers."""
    def sample(ids) -> np.ndarray:
        return _sample_at(image, mesh[list(ids), :2])

    lip = sample(OUTER_LIPS)
    skin = sample((50, 280, 205, 425, 101, 330, 151, 9))
    darks = _face_darks(image, mesh)
    line = _mouth_line(image, mesh)
    cavity = _cavity(line, lip, darks)
    # Teeth: enamel in the light of the face's own lit skin (enamel.py), lifted to the eye
    # whites' lightness where those are lighter (small or shaded eyes read dark).
    sclera = _sclera(image, eyes) if eyes else None
    highlight, highlights, brightest = lit_skin(
        image, mesh[:, :2], skin, mesh[list(FACE_OVAL), :2],
        tuple(mesh[list(eye), :2] for eye in (LEFT_EYE_OPENING, RIGHT_EYE_OPENING)))
    teeth = enamel_colour(highlight, highlights, brightest, sclera, skin) * mouth_light(
        image, mesh[:, :2], skin, mesh[list(FACE_OVAL), :2], mesh[list(OUTER_LIPS), :2], highlights)
    # The tongue: the lower lip's body (the upper lip is often under a moustache), a little
    # lighter and pinker, as a tongue is beside the lips (measured on the shared drivers:
    # 1.1-1.3 of their lightness).
    lower = (mesh[list(LOWER_OUTER_LIP[2:-2]), :2] + mesh[list(LOWER_INNER_LIP[2:-2]), :2]) / 2
    lip_body = _sample_at(image, lower)
    redness = float(lip_body[0] - lip_body[1]) / max(float(lip_body[0] + lip_body[1]), 1.0)
    lighter = float(TONGUE_TINT @ LUMA)
    tint = lighter + (TONGUE_TINT - lighter) * float(np.clip(redness / TONGUE_PINK_FROM_REDNESS, 0.0, 1.0))
    tongue = np.clip(lip_body * tint, 0.0, 255.0)
    # Never lighter than the teeth: an old print's lower lip catches the light, and a tongue
    # from it as light as the enamel read as a white slab filling the mouth.
    tongue *= min(1.0, TONGUE_UNDER_TEETH * float(teeth @ LUMA) / max(float(tongue @ LUMA), 1.0))
    shaded = _in_the_mouths_shade(tongue, cavity, darks)
    if own_teeth is not None:
        # (After the tongue is held under the enamel: her teeth's colour changes the teeth
        # painted, not an opening's tongue or dark.)
        teeth = np.asarray(own_teeth, np.float32)
    # A print (sepia, grey, platinum) shows its lips in its own tone: the painted mouth
    # takes it too, or a pink tongue and ivory teeth stand out as pasted in.
    tone = PrintTone.of(image)
    share = tone.share(lip_body)
    lip, cavity, tongue, shaded, line = (tone.follow(c, share) for c in (lip, cavity, tongue, shaded, line))
    # (Her own teeth's colour is the print's already: taken again towards the tone the print
    # has at their lightness, often a near white, a man's cream teeth went grey, C* 20 -> 11,
    # where his lips lay near the print's tone.)
    teeth = teeth if own_teeth is not None else tone.follow(teeth, share)
    # The teeth's shaded parts in the face's own hue at their lightness (enamel.in_shade), and
    # in a print's tone.
    eyes_at = tuple(mesh[list(eye), :2] for eye in (LEFT_EYE_OPENING, RIGHT_EYE_OPENING))
    teeth_in_shade = tone.follow(in_shade(teeth, image, mesh[list(FACE_OVAL), :2], eyes_at, TEETH_SHADE_AT), share)
    return Palette(lip, skin, cavity, teeth, tongue, shaded, teeth_in_shade, line, _accents(image, mesh),
                   _mouth_shadows(image, mesh), share)


def _in_the_mouths_shade(tongue: np.ndarray, cavity: np.ndarray, darks: float) -> np.ndarray:
    """The tongue inside the open mouth: TONGUE_IN_SHADE of its lightness (but no darker
    than the face's own darkest tones, `darks`: a pale print has no such dark to paint it
    in), its hue taken SHADE_HUE of the way to the cavity's (the picture's own shade in
    the mouth). In full light it looked like a third lip, to a viewer and to the face
    mesh, which then read the opening as ending at the tongue (mouth amplitude on the
    shared faces driver 0.83 -> 0.80 on the painting; in the shade 0.84); darkened alone,
    a pale tongue went beige, a disc of clay laid in the mouth."""
    light = float(tongue @ LUMA)
    hue = (tongue / max(light, 1.0) * (1.0 - SHADE_HUE)
           + cavity / max(float(cavity @ LUMA), 1.0) * SHADE_HUE)
    return np.clip(hue * max(light * TONGUE_IN_SHADE, min(darks, light)), 0.0, 255.0)


def _mouth_line(image: np.ndarray, mesh: np.ndarray) -> np.ndarray:
    """The shade the picture gives the line where its lips meet: per column along the
    line, the darkest pixel a little above or below it, and the median of the darker half
    of those. The painter's own dark for the inside of the mouth (a red-brown in most
    paintings, the print's tone in a print)."""
    middle = (mesh[list(UPPER_INNER_LIP), :2] + mesh[list(LOWER_INNER_LIP), :2]) / 2
    width = float(np.linalg.norm(mesh[291, :2] - mesh[61, :2]))
    xs = np.linspace(middle[0, 0], middle[-1, 0], 24)[3:-3]  # not the corners
    ys = np.interp(xs, *middle[np.argsort(middle[:, 0])].T)
    reach = np.arange(-max(2, int(0.06 * width)), max(2, int(0.06 * width)) + 1)
    h, w = image.shape[:2]
    rows = np.clip(np.round(ys[:, None] + reach[None, :]).astype(int), 0, h - 1)
    cols = np.clip(np.round(xs).astype(int), 0, w - 1)[:, None].repeat(len(reach), 1)
    pixels = image[rows, cols, :3].astype(np.float32)  # columns x reach x 3
    darkest = pixels[np.arange(len(xs)), np.argmin(pixels @ LUMA, axis=1)]
    light = darkest @ LUMA
    return np.median(darkest[light <= np.median(light)], axis=0)


def _face_darks(image: np.ndarray, mesh: np.ndarray) -> float:
    """The lightness of the face's darkest tones (nostrils, the lip line, brows, a beard's
    shade): the 3rd percentile inside the face's outline, the eyes left out."""
    oval = np.round(mesh[list(FACE_OVAL), :2]).astype(np.int32)
    x0, y0 = np.maximum(oval.min(0), 0)
    x1, y1 = oval.max(0) + 1
    crop = image[y0:y1, x0:x1, :3]
    mask = np.zeros(crop.shape[:2], np.uint8)
    cv2.fillPoly(mask, [oval - (x0, y0)], 1)
    for eye in (LEFT_EYE_OPENING, RIGHT_EYE_OPENING):
        cv2.fillPoly(mask, [np.round(mesh[list(eye), :2] - (x0, y0)).astype(np.int32)], 0)
    light = crop[mask > 0].astype(np.float32) @ LUMA
    return float(np.percentile(light, 3)) if len(light) else 0.0


def _accents(image: np.ndarray, mesh: np.ndarray) -> tuple[float, float]:
    """The lightness of the face's darkest accents (the 1st percentile inside the face mesh's
    hull, eyes in: the pupils, the nostrils, the lip line, read over ACCENT_SMOOTH so that one
    dark pixel of grain or a speck is no accent) and of its middle tone (the median there)."""
    hull = cv2.convexHull(np.round(mesh[:, :2]).astype(np.int32))
    x0, y0 = np.maximum(hull.reshape(-1, 2).min(0), 0)
    x1, y1 = hull.reshape(-1, 2).max(0) + 1
    crop = np.ascontiguousarray(image[y0:y1, x0:x1, :3])
    if crop.size == 0:
        return 0.0, 0.0
    mask = np.zeros(crop.shape[:2], np.uint8)
    cv2.fillConvexPoly(mask, hull - (x0, y0), 1)
    light = cv2.GaussianBlur(cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY).astype(np.float32), (0, 0), ACCENT_SMOOTH)
    inside = light[mask > 0]
    return float(np.percentile(inside, 1)), float(np.median(inside))


def _mouth_shadows(image: np.ndarray, mesh: np.ndarray) -> MouthShadows | None:
    """The picture's shadows at its mouth (MOUTH_RING, MOUTH_DARKEST: lips and their line in,
    read through ACCENT_SMOOTH), the face's broad shadows (FACE_SHADOWS of the mesh's hull, the
    eye openings out: no pupil, no white) and the hue of the skin's shadows round the mouth."""
    lm = mesh[:, :2]
    hull = cv2.convexHull(np.round(lm).astype(np.int32))
    x0, y0 = np.maximum(hull.reshape(-1, 2).min(0), 0)
    x1, y1 = hull.reshape(-1, 2).max(0) + 1
    crop = np.ascontiguousarray(image[y0:y1, x0:x1, :3])
    if crop.size == 0:
        return None
    face = np.zeros(crop.shape[:2], np.uint8)
    cv2.fillConvexPoly(face, hull - (x0, y0), 1)
    for eye in (LEFT_EYE_OPENING, RIGHT_EYE_OPENING):
        cv2.fillPoly(face, [np.round(lm[list(eye)] - (x0, y0)).astype(np.int32)], 0)
    lips = np.zeros_like(face)
    cv2.fillPoly(lips, [np.round(lm[list(OUTER_LIPS)] - (x0, y0)).astype(np.int32)], 1)
    # (Within reach of the lips by a distance transform: a dilation by a round kernel a fifth of
    # the mouth wide took 174 ms on a mouth 250 px wide, this 14.)
    apart = cv2.distanceTransform((1 - lips).astype(np.uint8), cv2.DIST_L2, 3)
    ring = ((apart <= MOUTH_RING * float(np.linalg.norm(lm[291] - lm[61]))) & (face > 0)).astype(np.uint8)
    ring[:max(0, int(round(lm[164, 1])) - y0)] = 0  # below the nose's base
    grey = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY).astype(np.float32)
    light = cv2.GaussianBlur(grey, (0, 0), ACCENT_SMOOTH)
    skin = (ring > 0) & (lips == 0)
    if not face.any() or not skin.any():
        return None
    skin_light = light[skin]
    shade = crop[skin][skin_light <= np.percentile(skin_light, SKIN_SHADOWS)].astype(np.float32).mean(axis=0)
    in_crop = mesh[:, :2] - (x0, y0)
    return MouthShadows(float(np.percentile(light[ring > 0], MOUTH_DARKEST)),
                        float(np.percentile(light[face > 0], FACE_SHADOWS)),
                        shade / max(float(shade @ LUMA), 1.0), closed_line_width(grey, in_crop),
                        _beside_line(light, ring > 0, in_crop))


def _beside_line(light: np.ndarray, ring: np.ndarray, lm: np.ndarray) -> float | None:
    """The darkest tone of the ring round the mouth (MOUTH_DARKEST of `light`, where `ring`)
    without the closed lips' line (BESIDE_LINE round the inner lips' middle); `lm`: the mesh's
    points in `light`'s pixels."""
    middle = (lm[list(UPPER_INNER_LIP)] + lm[list(LOWER_INNER_LIP)]) / 2
    face_height = float(np.linalg.norm(lm[10] - lm[152]))
    # (A stroke as thick as the band, not a distance transform: 5 ms on a 900 px portrait.)
    band = np.zeros(light.shape, np.uint8)
    cv2.polylines(band, [np.round(middle).astype(np.int32)], False, 1,
                  1 + 2 * int(round(BESIDE_LINE[0] + BESIDE_LINE[1] * face_height)))
    kept = ring & (band == 0)
    return float(np.percentile(light[kept], MOUTH_DARKEST)) if kept.any() else None


def _cavity(line: np.ndarray, lip: np.ndarray, darks: float) -> np.ndarray:
    """The open mouth's deepest colour: the hue of the picture's own lip line, at the
    lightness of the face's own darkest tones (CAVITY_DARKS of them), but no lighter than
    CAVITY_LIP_SHARE[1] of the lips (the opening must read as one) and no darker than
    CAVITY_LIP_SHARE[0] of them. Taken as a share of the lip colour alone, it was near black
    on light paintings (a tenth of the lips' lightness under the upper lip) and a flat
    grey-brown in the middle: a hole cut in the canvas, not a mouth painted on it. `line`:
    the picture's own lip line (`_mouth_line`)."""
    lip_light = float(lip @ LUMA)
    low, high = (share * lip_light for share in CAVITY_LIP_SHARE)
    light = float(np.clip(CAVITY_DARKS * darks, low, high))
    # (Eased by a few grey levels: the hue of a line near black is noise.)
    hue = (line + 8.0) / (float(line @ LUMA) + 8.0)
    hue = 1.0 + (hue - 1.0) * CAVITY_SATURATION
    return np.clip(hue * light, 0.0, 255.0)


def _sample_at(image: np.ndarray, points: np.ndarray) -> np.ndarray:
    """The median colour of `image` at `points` (x, y; clipped to the picture)."""
    pts = np.round(points).astype(int)
    h, w = image.shape[:2]
    pts[:, 0] = np.clip(pts[:, 0], 0, w - 1)
    pts[:, 1] = np.clip(pts[:, 1], 0, h - 1)
    return np.median(image[pts[:, 1], pts[:, 0]].astype(np.float32), axis=0)
