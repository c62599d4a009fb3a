"""A turned sitter's lips, moved as they are seen: foreshortened towards the far side.

The face mesh wraps the lips round the face: on a sitter turned 30-35 degrees the far half
of the mouth runs towards the cheek's outline, nearly edge-on, and its points lie within a
pixel or two of each other in the picture (a far half 16 px wide seen from the front is 5 px
wide in the picture; three of its five points within a pixel of the corner). Each point was
moved by its own share of the visitor's expression, so along that bunched stretch the lower
lip dropped straight down by most of the opening: every open mouth was D-shaped, cut by a
straight vertical edge at the far corner; and where the visitor's mouth moved sideways a
little more at its middle than at its corner, the far half crossed over itself and the
opening tore there in a jagged spike. In life the near surfaces of the lips hide that
stretch, and what is seen is the mouth's rounded outline, foreshortened.

And the far half is seen beside the cheek's outline: on sitters turned 25-40 degrees the
mesh puts the far mouth corner within 0.01-0.03 face heights of the face's outline, or past
it by as much (a far corner the mesh cannot see). The visitor's smile and opening then
carried the corner out past the outline by another 0.02-0.05 face heights (13 px on a
sitter 430 px tall): the opening spilled over the far cheek, and the cheek's outline, with
the mouth's stretch behind it, tore into a doubled line against the background. In life
the far corner goes round the cheek, out of sight. So no lip point comes nearer the face's
outline than OUTLINE_MARGIN of the face height, or, where the mesh put it near that at rest,
than a little nearer than it lay (`LipsInsideTheFace`): the far half is animated less where
the fit is doubtful, never torn. At rest nothing moves.

So each half of each lip row (corner to middle) moves as a flat, foreshortened copy of the
visitor's: a point a share t of the way from the middle to the corner *in the picture* takes
the motion the visitor's row has a share t of the way *as seen from the front*, and its
sideways motion (beyond the middle's) is shortened as that half is. On a sitter facing the
viewer both shares are the same and nothing changes.

The painted opening (mouth.py) is clipped at the same outline as seen (`cheek_outline`), and
an end of it whose half of the mouth is seen edge-on is rounded (`edge_on_ends`): the far
corner of a turned mouth is a foreshortened, rounded end of lip, never a straight edge.
"""

from __future__ import annotations

import cv2
import numpy as np

from .named_points import INNER_LIPS, LIP_ROWS

MIDDLE = 5
# A half shorter than this (pixels, seen from the front) is left as it is.
MIN_HALF_PX = 1.0
# A lip point comes no nearer the face's outline than this share of the face height (or than
# it lay at rest). The near corner of a sitter turned 35 degrees lies 0.2-0.25 inside; a
# frontal sitter's corners 0.1-0.2: only a far corner is ever held.
OUTLINE_MARGIN = 0.04
# A mouth nearer the outline than this at rest (share of the face height) is told to the
# operator: the mesh's far corner on the cheek's edge itself (0.002-0.02 on sitters turned
# 36-41 degrees; 0.04-0.07 on most turned 25-35), so that side of the mouth moves less.
AT_THE_OUTLINE = 0.5 * OUTLINE_MARGIN
# A lip point resting nearer the outline than 1 + APPROACH margins may come APPROACH of the
# margin nearer than it rests (never nearer than half its own gap): `LipsInsideTheFace.floor`.
APPROACH = 0.5
# What `check` and `portrait inspect` say of such a sitter.
MOUTH_AT_THE_OUTLINE = ("the mouth's far corner lies on the cheek's outline (the face mesh cannot see past "
                        "it): that side of the mouth opens and widens less than the visitor's, kept inside the cheek")
LIP_POINTS = np.unique(np.array(LIP_ROWS))
# An end of the opening whose half of the mouth is seen edge-on is rounded over up to this
# share of the opening (`edge_on_ends`). (At 0.3, a far end under a wide opening on a sitter
# turned 39 degrees stayed a straight edge, its bends barely rounded.)
EDGE_ON_ROUND = 0.5


def _shares(along: np.ndarray) -> np.ndarray:
    """How far each point of each half (rows; middle first, corner last) lies from the
    middle, as a share of the corner's distance, never falling back towards the middle."""
    distance = np.maximum.accumulate(np.abs(along - along[:, :1]), axis=1)
    return distance / np.maximum(distance[:, -1:], 1e-9)


class TurnedLips:
    """Built once per portrait from its rest points (level frame, points x 3) and its own turn
    (`measures.turn_from_front`); `move` then foreshortens each frame's lip motion."""

    def __init__(self, rest: np.ndarray, sitter_turn: np.ndarray) -> None:
        self.halves = np.array([half for row in LIP_ROWS for half in (row[MIDDLE::-1], row[MIDDLE:])])
        front = (rest[:468] @ sitter_turn)[self.halves, 0]
        self.width_front = np.abs(front[:, -1] - front[:, 0])
        # (Strictly rising, so that each share seen has one segment to be looked up in.)
        self.t_front = _shares(front) + np.arange(self.halves.shape[1]) * 1e-9
        self.kept = self.width_front < MIN_HALF_PX

    def move(self, rest: np.ndarray, moved: np.ndarray, offsets: np.ndarray, turn: np.ndarray) -> None:
        """Move the lip points of `moved` (level frame, points x 3, in place) foreshortened, as
        the lips are seen at `rest` (the same frame, the head turned as in `moved`).
        `offsets`: the expression as seen from the front (the same units, before any turn);
        `turn`: the whole turn from the front to the picture (the sitter's and the head's)."""
        halves = self.halves
        seen = rest[halves, 0]
        width_seen = np.abs(seen[:, -1] - seen[:, 0])
        t_seen = _shares(seen)
        # Per point, the segment of its row (seen from the front) its share falls in.
        segment = (t_seen[:, :, None] >= self.t_front[:, None, :]).sum(axis=2) - 1
        segment = np.clip(segment, 0, halves.shape[1] - 2)
        t0 = np.take_along_axis(self.t_front, segment, axis=1)
        t1 = np.take_along_axis(self.t_front, segment + 1, axis=1)
        f = np.clip((t_seen - t0) / np.maximum(t1 - t0, 1e-9), 0.0, 1.0)
        keep = (self.kept | (width_seen < MIN_HALF_PX))[:, None]
        n = halves.shape[1]
        segment = np.where(keep, np.minimum(np.arange(n), n - 2), segment)  # each point its own motion
        f = np.where(keep, (np.arange(n) == n - 1).astype(float), f)
        rows = np.arange(len(halves))[:, None]
        before, after = halves[rows, segment], halves[rows, segment + 1]
        motion = moved - rest
        foreshortened = motion[before] * (1.0 - f)[..., None] + motion[after] * f[..., None]
        sideways = offsets[before, 0] * (1.0 - f) + offsets[after, 0] * f
        # Sideways beyond the middle's own, shortened as the half is seen (not as the face is).
        shortening = np.where(keep[:, 0], turn[0, 0], width_seen / np.maximum(self.width_front, 1e-9))
        foreshortened[..., 0] += (shortening - turn[0, 0])[:, None] * (sideways - sideways[:, :1])
        moved[halves] = rest[halves] + foreshortened


def _gaps(outline: np.ndarray, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each point's signed distance inside the convex polygon `outline` (negative beyond it),
    and the unit direction that leads inwards from it (along the nearest edge's normal)."""
    edge = np.roll(outline, -1, axis=0) - outline
    length = np.maximum(np.hypot(edge[:, 0], edge[:, 1]), 1e-12)
    # Each edge's inward normal (the polygon's own turning sense: a hull may run either way).
    turning = np.sign(float(np.sum(edge[:, 0] * np.roll(edge[:, 1], -1) - edge[:, 1] * np.roll(edge[:, 0], -1))))
    normal = (turning or 1.0) * np.stack([-edge[:, 1], edge[:, 0]], axis=1) / length[:, None]
    # Inside each edge's line: positive. Inside a convex polygon the nearest edge is the
    # nearest line.
    height = points @ normal.T - np.sum(outline * normal, axis=1)[None, :]
    k = np.argmin(height, axis=1)
    gap = height[np.arange(len(points)), k]
    beyond = np.flatnonzero(gap < 0.0)
    if len(beyond):  # beyond it, the nearest segment (past a corner both its edges lie behind)
        offset = points[beyond, None, :] - outline[None]
        t = np.clip(np.einsum("pek,ek->pe", offset, edge) / (length ** 2)[None], 0.0, 1.0)
        distance = np.linalg.norm(offset - t[..., None] * edge[None], axis=2)
        k[beyond] = np.argmin(distance, axis=1)
        gap[beyond] = -distance[np.arange(len(beyond)), k[beyond]]
    return gap, normal[k]


class LipsInsideTheFace:
    """Keeps each frame's lip points inside the face's outline: the expression may bring a
    lip point no nearer the outline than OUTLINE_MARGIN of the face height, or, for a point
    the head's own turn puts nearer than 1 + APPROACH times that, than APPROACH of
    the margin nearer than it lies then, nor than half as near (`floor`). A head turned
    further away hides its far corner behind the cheek: that is drawn by depth, back to
    front, and left as it is.

    The outline is the hull of the face's points as seen, the nose and the lips left out,
    both as the head's motion alone puts them and as the expression moves them: the lips are
    held off both (`floor`) only where they would come near both, and never let past the
    cheek as drawn (further than the head's turn alone puts them). (Held off the moved
    points' outline alone, a cheek the expression drew in pushed the lips in with it, 3 px on
    a sitter turned 35 degrees, though no lip crossed it. The mesh's own outline points are
    not the cheek's outline on a turned sitter: on one turned 35 degrees they run past the
    middle of the mouth, 0.003 face heights from it, the far cheek wrapping round behind; and
    the nose, seen beside the far cheek, would carry the hull out over the background
    between nose and chin.)"""

    def __init__(self, rest: np.ndarray, sitter_turn: np.ndarray, face_height: float) -> None:
        """`rest`: the points at rest (points x 3, the level frame); `sitter_turn`: its turn
        from the front (`measures.turn_from_front`)."""
        self.outline_points = _outline_points(rest, sitter_turn)
        self.margin = OUTLINE_MARGIN * face_height

    def _outline(self, points: np.ndarray) -> np.ndarray:
        return cheek_outline(points, self.outline_points)

    def floor(self, resting: np.ndarray) -> np.ndarray:
        """How near the outline each lip point may come, from how near it lies with the head's
        motion alone (`resting`, signed as `_gaps`). A fixed margin took all the room from a
        far corner resting just beyond it (Parker's, 6 px from the outline against a 5 px
        margin: its smile held in most frames of a talking driver, the placed smile's r down
        from 0.99 to 0.97); so a point resting within 1 + APPROACH margins may come
        APPROACH of the margin nearer than it rests, but never nearer than half its own gap,
        and one the turn puts beyond the outline stays where the turn puts it."""
        m = self.margin
        near = np.maximum(resting - APPROACH * m, 0.5 * resting)
        return np.minimum(np.minimum(resting, m), near)

    def hold(self, moved: np.ndarray, posed: np.ndarray) -> int:
        """Move (in place, x and y of `moved`) the lip points that the expression brought
        nearer the outline than allowed back inwards; how many. `posed`: the same frame's
        points with the head's motion alone (no expression), in the same units."""
        kept = self.outline_points
        drawn = self._outline(moved)
        gap, inwards = _gaps(drawn, moved[LIP_POINTS, :2])
        # (None nearer the drawn cheek than the margin: nor nearer the wider outline below.)
        if gap.min() >= self.margin:
            return 0
        resting, _ = _gaps(self._outline(posed), posed[LIP_POINTS, :2])
        either = cheek_outline(np.concatenate([moved[kept, :2], posed[kept, :2]]), np.arange(2 * len(kept)))
        gap_either, inwards_either = _gaps(either, moved[LIP_POINTS, :2])
        short = self.floor(resting) - gap_either
        held = short > 1e-6
        moved[LIP_POINTS[held], :2] += short[held, None] * inwards_either[held]
        # Never past the cheek as drawn, wherever the expression moved it (the outline torn),
        # beyond where the head's turn alone puts a lip.
        past_allowed = np.minimum(resting, 0.0)
        if held.any() or (gap < past_allowed).any():
            gap, inwards = _gaps(drawn, moved[LIP_POINTS, :2])
            past = gap < past_allowed - 1e-6
            gap = gap - past_allowed
            moved[LIP_POINTS[past], :2] -= gap[past, None] * inwards[past]
            held |= past
        return int(held.sum())


def _outline_points(rest: np.ndarray, sitter_turn: np.ndarray) -> np.ndarray:
    """The points whose hull is the face's outline as seen: all but the nose and the lips."""
    front = rest[:468] @ sitter_turn
    # Nearer the viewer than the upper lip's middle, seen from the front: the nose.
    behind = front[:, 2] >= front[0, 2]
    behind[LIP_POINTS] = False
    return np.flatnonzero(behind)


def cheek_outline_points(mesh: np.ndarray) -> np.ndarray:
    """The points of a portrait's face mesh (points x 3, as found) whose hull, wherever the
    points are moved, is the face's outline as seen (`LipsInsideTheFace`)."""
    from ...face.measures import turn_from_front

    return _outline_points(mesh, turn_from_front(mesh))


def cheek_outline(points: np.ndarray, outline_points: np.ndarray) -> np.ndarray:
    """The face's outline as seen (a convex polygon, x and y) round `points` (points x 2 or 3)."""
    hull = cv2.convexHull(points[outline_points, :2].astype(np.float32))
    return hull.reshape(-1, 2).astype(np.float64)


def mouth_at_the_outline(mesh: np.ndarray) -> bool:
    """Whether the face mesh (points x 3, as found in the picture) puts a lip point within
    AT_THE_OUTLINE of the face's outline as seen: the far side of a turned sitter's mouth,
    which then opens and widens less than the visitor's (LipsInsideTheFace)."""
    from ...face.measures import turn_from_front

    points = mesh[:468, :3].astype(np.float64)
    angle = np.arctan2(points[263, 1] - points[33, 1], points[263, 0] - points[33, 0])
    c, s = np.cos(-angle), np.sin(-angle)
    level = points - points.mean(0)
    level[:, :2] = level[:, :2] @ np.array([[c, -s], [s, c]]).T
    height = float(np.linalg.norm(points[152, :2] - points[10, :2]))
    inside = LipsInsideTheFace(level, turn_from_front(points), height)
    gap, _ = _gaps(inside._outline(level), level[LIP_POINTS, :2])
    return bool(gap.min() < AT_THE_OUTLINE * height)


def edge_on_ends(lips: np.ndarray, gap: float) -> tuple[tuple[int, float], ...]:
    """The mouth's corners seen nearly edge-on (their places in `lips`, the moved INNER_LIPS
    polygon, as `outlines.rounded` takes them), each with the radius its end of the opening is
    rounded over. On a turned sitter the far half of the mouth is
    foreshortened to a few pixels (a far half 23 px wide at rest, 6-13 px when the head turns
    a little further, on a sitter turned 39 degrees, under an opening of 96 px): its inner lips,
    moved, rose and fell almost straight up and down, and the opening ended in a straight
    edge as tall as itself, with its corner half-way up it (a D). A far mouth corner is a
    rounded end of lip seen foreshortened, the opening narrowing into it: so where a half is
    narrower than the opening is tall, that end is rounded over up to EDGE_ON_ROUND of the
    opening, more the narrower the half."""
    across = lips[INNER_LIPS.index(308)] - lips[INNER_LIPS.index(78)]
    across = across / max(float(np.hypot(*across)), 1e-9)
    middle = (lips[INNER_LIPS.index(13)] + lips[INNER_LIPS.index(14)]) / 2
    ends = []
    for corner in (INNER_LIPS.index(78), INNER_LIPS.index(308)):
        half = abs(float((middle - lips[corner]) @ across))
        edge_on = float(np.clip(1.0 - half / max(gap, 1e-9), 0.0, 1.0))
        if edge_on > 0.0:
            ends.append((corner, EDGE_ON_ROUND * gap * edge_on))
    return tuple(ends)
