"""A portrait prepared for the mesh backend: its face mesh, the rings around it, one
triangulation, and the palette its mouth interior is painted from (palette.py). The mesh's
points the backend handles by name are in named_points.py.

Built once per portrait (and cached): everything per frame works from this.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from ...face import Eye, Face
from ...face.measures import facing_the_viewer
from .lower_row import rows_at_rest
from .named_points import FACE_OVAL, JAW_LINE, LOWER_INNER_LIP, UPPER_INNER_LIP
from .own_teeth import teeth_colour
from .palette import Palette, Readings, read_palette

# Around the face: a ring that carries hair and jaw with the head, and a still outer ring.
HEAD_RING_SCALE = 1.35
# How much of the head's rigid motion the head ring takes beside the head (the hair); under
# the jaw it takes none (what lies there stays as the chin moves over it: under_jaw.py).
HEAD_RING_WEIGHT = 0.85
STILL_RING_SCALE = 1.8
RING_POINTS = 24


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
    # Her own rows' heights at rest (pixels: `lower_row.rows_at_rest`), which a painted lower
    # row is sized by (0: unknown).
    own_rows_px: tuple[float, float] = (0.0, 0.0)
    jaw_anchors: bool = False  # the band has its own points along the jaw (under_jaw.py)
    # What the curator says the picture is (the scene's `picture`; motion.PICTURES): "auto"
    # reads it from the pixels. It chooses the closed lids' rule (picture_kind.settled), and
    # for a painting how its lip line is read (`painted`).
    picture: str = "auto"
    # Read by the painters on first use (a copy made with `dataclasses.replace` starts afresh).
    readings: Readings = field(default_factory=Readings, init=False, repr=False, compare=False)

    @property
    def first_jaw_anchor(self) -> int:
        return 468 + 2 * RING_POINTS

    @property
    def mesh(self) -> np.ndarray:
        return self.points[:468]

    @property
    def painted(self) -> bool:
        """The curator says the picture is a painting (picture = "painting"): the dark line
        between its closed lips is the painter's stroke however small the face, not a crease's
        shadow (cavity.drawn_line). Only she can say it: at a face of 86-160 px a miniature's
        stroke measures as a small photograph's crease does (docs/portrait.md)."""
        return self.picture == "painting"


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




def build_rig(image: np.ndarray, face: Face, eyes: tuple[Eye, Eye], person: np.ndarray | None = None,
              exaggeration: float = 1.0, lips: np.ndarray | None = None, own_teeth: bool = False,
              own_lower_teeth: np.ndarray | None = None, picture: str = "auto") -> PortraitRig:
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
    points[:468, :2] = lips_uncrossed(points[:468, :2])
    her_teeth = teeth_colour(image, mesh, lips) if own_teeth and lips is not None else None
    rows = rows_at_rest(mesh, lips, own_lower_teeth) if own_teeth and lips is not None else (0.0, 0.0)
    return PortraitRig(
        image=np.ascontiguousarray(image), points=points, backdrop=backdrop,
        triangles=triangles, eyes=eyes, palette=read_palette(image, mesh, eyes, her_teeth),
        region=region, head_weight=weight, face_height=face.height,
        eye_distance=float(np.linalg.norm(mesh[263, :2] - mesh[33, :2])), roll=roll,
        exaggeration=exaggeration, person=crop, own_teeth=own_teeth, own_lower_teeth=own_lower_teeth,
        own_rows_px=rows, jaw_anchors=True, picture=picture)


def lips_uncrossed(mesh: np.ndarray) -> np.ndarray:
    """`mesh` (x, y) with each pair of facing inner-lip points that the face mesh read crossed
    (the lower one above the upper: on closed painted mouths, 0.001-0.008 face heights) moved
    to meet half way. Crossed, the first part of every opening the visitor made was spent
    uncrossing them, unseen (Dolci's Philip Neri, the Mona Lisa: the placed mouth opened
    0.85 of the visitor's, a miniature 0.75). The rig's points are both where the picture is
    read from and where it is drawn at rest, so the portrait at rest is unchanged."""
    down = mesh[152] - mesh[10]
    down = down / max(float(np.linalg.norm(down)), 1e-9)
    upper, lower = np.array(UPPER_INNER_LIP[1:-1]), np.array(LOWER_INNER_LIP[1:-1])
    crossed = np.minimum((mesh[lower] - mesh[upper]) @ down, 0.0)
    if not crossed.any():
        return mesh
    out = mesh.copy()
    out[upper] += (crossed / 2)[:, None] * down
    out[lower] -= (crossed / 2)[:, None] * down
    return out


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
