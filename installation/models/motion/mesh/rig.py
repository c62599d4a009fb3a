"""A portrait prepared for the mesh backend: its face mesh, the rings around it, one
triangulation, and the palette its mouth interior is painted from.

Built once per portrait (and cached): everything per frame works from this.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from ...face import Eye, Face
from ...face.measures import facing_the_viewer
from .enamel import enamel_colour, in_shade, lit_skin
from .tone import LUMA, PrintTone

# MediaPipe mesh indices the backend handles by name.
FACE_OVAL = (10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377,
             152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109)
INNER_LIPS = (78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308, 324, 318, 402, 317, 14, 87, 178, 88, 95)
UPPER_INNER_LIP = (78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308)
LOWER_INNER_LIP = (78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308)
OUTER_LIPS = (61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291, 375, 321, 405, 314, 17, 84, 181, 91, 146)
# The outer lip points facing UPPER_INNER_LIP and LOWER_INNER_LIP, one for one.
UPPER_OUTER_LIP = (61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291)
LOWER_OUTER_LIP = (61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291)
# Upper lid points paired with the lower lid points below them, then the crease above.
LEFT_UPPER_LID = (246, 161, 160, 159, 158, 157, 173)
LEFT_LOWER_LID = (7, 163, 144, 145, 153, 154, 155)
LEFT_CREASE = (247, 30, 29, 27, 28, 56, 190)
RIGHT_UPPER_LID = (466, 388, 387, 386, 385, 384, 398)
RIGHT_LOWER_LID = (249, 390, 373, 374, 380, 381, 382)
RIGHT_CREASE = (467, 260, 259, 257, 258, 286, 414)
LEFT_EYE_OPENING = (33, 246, 161, 160, 159, 158, 157, 173, 133, 155, 154, 153, 145, 144, 163, 7)
RIGHT_EYE_OPENING = (263, 466, 388, 387, 386, 385, 384, 398, 362, 382, 381, 380, 374, 373, 390, 249)
# Points that hardly move with expression: the head's rigid motion is measured on them.
RIGID = (1, 4, 5, 6, 168, 197, 195, 8, 9, 10, 151, 33, 133, 362, 263, 234, 454, 127, 356, 93, 323, 152)

# Around the face: a ring that carries hair and jaw with the head, and a still outer ring.
HEAD_RING_SCALE = 1.35
# How much of the head's rigid motion the head ring takes beside the head (the hair); under
# the jaw it takes none (what lies there stays as the chin moves over it: under_jaw.py).
HEAD_RING_WEIGHT = 0.85
STILL_RING_SCALE = 1.8
RING_POINTS = 24
# The outline's points along the jaw, ear to ear under the chin: the band of picture below
# them (neck, collar) has points of its own there, the jaw anchors (under_jaw.py).
JAW_LINE = (361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150, 136, 172, 58, 132)


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


@dataclass
class PortraitRig:
    image: np.ndarray  # RGB uint8, the whole portrait at the resolution it is shown
    points: np.ndarray  # (468 + 2 * RING_POINTS + len(JAW_LINE)) x 3: mesh, head ring, still ring
    # (z 0 on rings), jaw anchors (the band's own copies of the jaw line's points)
    triangles: np.ndarray  # T x 3 vertex indices (Delaunay over the rest points)
    eyes: tuple[Eye, Eye]
    palette: Palette
    region: tuple[int, int, int, int]  # x0, y0, x1, y1: the pixels the animation may touch
    head_weight: np.ndarray  # per point: how much of the head's rigid motion it takes
    face_height: float
    eye_distance: float
    roll: float  # radians, the portrait's own eye-line angle
    exaggeration: float = 1.0
    person: np.ndarray | None = None  # float32 mask over `region` (1 = the sitter)
    backdrop: np.ndarray | None = None  # per triangle: drawn behind all, only to fill slivers
    own_teeth: bool = False  # the sitter shows her upper teeth at rest (own_teeth.py)
    # Per point of the lower inner lip (corners left out): her own lower teeth's edge is there.
    own_lower_teeth: np.ndarray | None = None
    jaw_anchors: bool = False  # the band has its own points along the jaw (under_jaw.py)
    # Read by the painters on first use (a copy made with `dataclasses.replace` starts afresh).
    readings: Readings = field(default_factory=Readings, init=False, repr=False, compare=False)

    @property
    def first_jaw_anchor(self) -> int:
        return 468 + 2 * RING_POINTS

    @property
    def mesh(self) -> np.ndarray:
        return self.points[:468]


def _ring(mesh: np.ndarray, scale: float) -> np.ndarray:
    oval = mesh[list(FACE_OVAL), :2]
    centre = mesh[list(FACE_OVAL), :2].mean(0)
    angles = np.arctan2(oval[:, 1] - centre[1], oval[:, 0] - centre[0])
    radii = np.linalg.norm(oval - centre, axis=1)
    wanted = np.linspace(-np.pi, np.pi, RING_POINTS, endpoint=False)
    # The oval's radius at each wanted angle (periodic interpolation), scaled outwards.
    order = np.argsort(angles)
    r = np.interp(wanted, angles[order], radii[order], period=2 * np.pi)
    return centre + (r * scale)[:, None] * np.stack([np.cos(wanted), np.sin(wanted)], 1)


def _triangulate(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Triangles that follow the face's surface, and the band around it.

    Triangulated as the picture shows it, a turned face mixes surfaces: where the nose hides
    the far cheek, triangles join nose to cheek, and any turn tears the nose's outline into
    a zig-zag. So the face is triangulated as if it faced the viewer (one triangle per patch
    of skin, whatever the sitter's pose), and only the band from the face's edge to the
    rings is triangulated as the picture shows it.

    Laid over the picture, the frontal triangles need not tile it: a thin one may turn
    over where the sitter's pose differs from facing the viewer, leaving a gap beside it,
    and the face and the band need not meet exactly along the outline. So the picture's
    own triangles over those places (and along the whole outline) are drawn behind the
    face as a backdrop, each moving as its corners move. (A coarse backdrop of the outline
    alone moved a gap across a whole triangle and showed a notch of eyebrow on a forehead.)
    `points`: the mesh and the rings; the jaw anchors, numbered after them, are not
    triangulated but take the jaw line's place in the band.
    Returns the triangles and which of them are the backdrop."""
    mesh = points[:468]
    oval = np.array(FACE_OVAL)
    face = _delaunay(facing_the_viewer(mesh))
    band_points = np.concatenate([points[oval, :2], points[468:, :2]])
    band = _delaunay(band_points)
    # The oval's own inside is the face's; triangles of oval points alone that lie outside
    # it (where the outline curves in) stay, or the face's edge would show slivers of hole.
    outside = ~_inside(band_points[:len(oval)], band_points[band].mean(axis=1))
    band = band[np.any(band >= len(oval), axis=1) | outside]
    ids = np.concatenate([oval, np.arange(468, len(points))])
    pictured = _delaunay(points)
    outside = ~_inside(points[oval, :2], points[:, :2])  # mesh points beyond the outline, rings
    needed = (np.isin(pictured, oval) | outside[pictured]).any(axis=1) | _over_gaps(points, face, pictured)
    backdrop = pictured[needed]
    # Beyond the jaw line the band is drawn from the jaw anchors: what lies under the jaw
    # stays as the chin drops in front of it (under_jaw.py). Where the jaw slides along its
    # own curved outline a sliver may open between the chin and the band: the band as it
    # was, from the jaw line itself, is kept in the backdrop to fill it.
    anchor = np.arange(len(points) + len(JAW_LINE))
    anchor[list(JAW_LINE)] = len(points) + np.arange(len(JAW_LINE))
    # (Triangles of the outline's points alone, where it curves in, fill the face's own
    # outline and move with it.)
    band = ids[band]
    beyond = np.any(band >= 468, axis=1)
    on_jaw = beyond & np.isin(band, JAW_LINE).any(axis=1)
    kept = band[on_jaw]
    band[beyond] = anchor[band[beyond]]
    beyond = np.any(backdrop >= 468, axis=1)
    backdrop[beyond] = anchor[backdrop[beyond]]
    backdrop = np.concatenate([kept, backdrop])
    triangles = np.concatenate([face, band, backdrop]).astype(np.int32)
    is_backdrop = np.zeros(len(triangles), bool)
    is_backdrop[len(triangles) - len(backdrop):] = True
    return triangles, is_backdrop


def _over_gaps(points: np.ndarray, face: np.ndarray, pictured: np.ndarray) -> np.ndarray:
    """Per triangle of `pictured`, whether it lies over a pixel inside the face's outline
    that no triangle of `face` covers in the picture (or within two pixels of one)."""
    origin = np.floor(points[:468, :2].min(0)) - 4
    shape = tuple((np.ceil(points[:468, :2].max(0) - origin) + 5).astype(int)[::-1])
    local = np.round((points[:, :2] - origin) * 16).astype(np.int32)
    covered = np.zeros(shape, np.uint8)
    for triangle in face:
        cv2.fillConvexPoly(covered, local[triangle], 1, cv2.LINE_8, 4)
    outline = np.zeros(shape, np.uint8)
    cv2.fillPoly(outline, [local[list(FACE_OVAL)]], 1, cv2.LINE_8, 4)
    gaps = cv2.dilate(((outline > 0) & (covered == 0)).astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    if not gaps.any():
        return np.zeros(len(pictured), bool)
    index = np.full(shape, -1, np.int32)
    for i, triangle in enumerate(pictured):
        cv2.fillConvexPoly(index, local[triangle], i, cv2.LINE_8, 4)
    hit = np.unique(index[gaps])
    needed = np.zeros(len(pictured), bool)
    needed[hit[hit >= 0]] = True
    return needed


def _inside(outline: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Per point, whether it lies inside (or on) the polygon `outline`."""
    polygon = outline.astype(np.float32).reshape(-1, 1, 2)
    tests = (cv2.pointPolygonTest(polygon, (float(x), float(y)), False) for x, y in points)
    return np.fromiter((t >= 0 for t in tests), bool, len(points))


def _delaunay(points: np.ndarray) -> np.ndarray:
    x0, y0 = np.floor(points[:, :2].min(0)) - 2
    x1, y1 = np.ceil(points[:, :2].max(0)) + 2
    subdiv = cv2.Subdiv2D((int(x0), int(y0), int(x1 - x0), int(y1 - y0)))
    index = {}
    for i, (x, y) in enumerate(points[:, :2]):
        key = (round(float(x), 3), round(float(y), 3))
        if key in index:
            continue
        index[key] = i
        subdiv.insert((float(x), float(y)))
    triangles = []
    for t in subdiv.getTriangleList():
        ids = [index.get((round(float(t[k]), 3), round(float(t[k + 1]), 3))) for k in (0, 2, 4)]
        if None not in ids:
            triangles.append(ids)
    return np.array(triangles, np.int32)


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


def _palette(image: np.ndarray, mesh: np.ndarray, eyes: tuple[Eye, Eye] = ()) -> Palette:
    def sample(ids) -> np.ndarray:
        return _sample_at(image, mesh[list(ids), :2])

    lip = sample(OUTER_LIPS)
    skin = sample((50, 280, 205, 425, 101, 330, 151, 9))
    darks = _face_darks(image, mesh)
    cavity = _cavity(image, mesh, lip, darks)
    # Teeth: enamel in the light of the face's own lit skin (enamel.py), lifted to the eye
    # whites' lightness where those are lighter (small or shaded eyes read dark).
    sclera = _sclera(image, eyes) if eyes else None
    highlight, highlights, brightest = lit_skin(
        image, mesh[:, :2], skin, mesh[list(FACE_OVAL), :2],
        tuple(mesh[list(eye), :2] for eye in (LEFT_EYE_OPENING, RIGHT_EYE_OPENING)))
    teeth = enamel_colour(highlight, highlights, brightest, sclera, skin)
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
    # A print (sepia, grey, platinum) shows its lips in its own tone: the painted mouth
    # takes it too, or a pink tongue and ivory teeth stand out as pasted in.
    tone = PrintTone.of(image)
    share = tone.share(lip_body)
    lip, cavity, teeth, tongue, shaded = (tone.follow(c, share) for c in (lip, cavity, teeth, tongue, shaded))
    # The teeth's shaded parts in the face's own hue at their lightness (enamel.in_shade), and
    # in a print's tone.
    eyes_at = tuple(mesh[list(eye), :2] for eye in (LEFT_EYE_OPENING, RIGHT_EYE_OPENING))
    teeth_in_shade = tone.follow(in_shade(teeth, image, mesh[list(FACE_OVAL), :2], eyes_at, TEETH_SHADE_AT), share)
    return Palette(lip, skin, cavity, teeth, tongue, shaded, teeth_in_shade)


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


def _cavity(image: np.ndarray, mesh: np.ndarray, lip: np.ndarray, darks: float) -> np.ndarray:
    """The open mouth's deepest colour: the hue of the picture's own lip line, at the
    lightness of the face's own darkest tones (CAVITY_DARKS of them), but no lighter than
    CAVITY_LIP_SHARE[1] of the lips (the opening must read as one) and no darker than
    CAVITY_LIP_SHARE[0] of them. Taken as a share of the lip colour alone, it was near black
    on light paintings (a tenth of the lips' lightness under the upper lip) and a flat
    grey-brown in the middle: a hole cut in the canvas, not a mouth painted on it."""
    line = _mouth_line(image, mesh)
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


def build_rig(image: np.ndarray, face: Face, eyes: tuple[Eye, Eye], person: np.ndarray | None = None,
              exaggeration: float = 1.0, lips: np.ndarray | None = None, own_teeth: bool = False,
              own_lower_teeth: np.ndarray | None = None) -> PortraitRig:
    """`lips`: the mesh with its lip line moved (hidden_lips.py, own_teeth.py). The rig moves the picture
    from there, but is triangulated as the mesh was found: triangulated afresh, the moved
    line joined the upper lip to the lower one, and an opening mouth stretched the hair."""
    mesh = face.landmarks.astype(np.float32)
    head = _ring(mesh, HEAD_RING_SCALE)
    still = _ring(mesh, STILL_RING_SCALE)
    h, w = image.shape[:2]
    x0, y0 = np.floor(still.min(0)).astype(int)
    x1, y1 = np.ceil(still.max(0)).astype(int) + 1
    region = (max(0, int(x0)), max(0, int(y0)), min(w, int(x1)), min(h, int(y1)))
    rings = np.concatenate([head, still])
    rings = np.concatenate([rings, np.zeros((len(rings), 1), np.float32)], 1)
    # The head ring sits behind the face: give it the depth of the face's edge.
    rings[:RING_POINTS, 2] = float(np.median(mesh[list(FACE_OVAL), 2]))
    points = np.concatenate([mesh, rings]).astype(np.float32)
    # (The jaw anchors are placed by the warper from the jaw line's own move: under_jaw.py.)
    weight = np.concatenate([np.ones(468), HEAD_RING_WEIGHT * (1.0 - _below_jaw(mesh, head)),
                             np.zeros(RING_POINTS), np.ones(len(JAW_LINE))]).astype(np.float32)
    roll = float(np.arctan2(mesh[263, 1] - mesh[33, 1], mesh[263, 0] - mesh[33, 0]))
    crop = None
    if person is not None:
        rx0, ry0, rx1, ry1 = region
        crop = person[ry0:ry1, rx0:rx1].astype(np.float32)
    triangles, backdrop = _triangulate(points)
    points = np.concatenate([points, points[list(JAW_LINE)]])
    if lips is not None:
        points[:468, :2] = lips[:, :2]
    return PortraitRig(
        image=np.ascontiguousarray(image), points=points, backdrop=backdrop,
        triangles=triangles, eyes=eyes, palette=_palette(image, mesh, eyes),
        region=region, head_weight=weight, face_height=face.height,
        eye_distance=float(np.linalg.norm(mesh[263, :2] - mesh[33, :2])), roll=roll,
        exaggeration=exaggeration, person=crop, own_teeth=own_teeth, own_lower_teeth=own_lower_teeth,
        jaw_anchors=True)


def _below_jaw(mesh: np.ndarray, ring: np.ndarray) -> np.ndarray:
    """Per ring point, how far it lies under the jaw rather than beside the head: 1 within
    the middle half of the jaw line's span of directions from the face's centre (under
    the chin), easing to 0 at the jaw line's ends (the ears) and beyond."""
    centre = mesh[list(FACE_OVAL), :2].mean(0)

    def angle_from_chin(points: np.ndarray) -> np.ndarray:
        down = mesh[152, :2] - centre
        d = points - centre
        return np.abs(np.arctan2(d[:, 0] * down[1] - d[:, 1] * down[0], d @ down))

    span = float(angle_from_chin(mesh[[JAW_LINE[0], JAW_LINE[-1]], :2]).min())
    t = np.clip((span - angle_from_chin(ring)) / (0.5 * span), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)
