"""Gaze: each iris slides inside its eye opening, under the lids, and keeps its shape.

The warper's backward map is replaced over the iris: the iris moves as its eye does, as
one (the affine motion of the eye opening's points), shifted by the visitor's gaze; the
white of the eye around it takes up the move, back to the mesh's own. (Painting the
uncovered white instead was tried: a portrait shows too little of it to paint from, and
the flat patches read as pasted in, worse than the stretch.)

The lids are an edge the iris passes under, not a slope: inside the opening the iris
moves whole, and its move ends within a pixel at the lid. Faded out over a few pixels of
lid (as it once was), the move bent every iris the lids cut: where an iris is as tall as
the opening (a painting's large irises, cut by both lids) and the mesh's lid lines run
inside the painted ones, the fade lay across the iris itself, its top and foot moved
less than its middle, and looking aside bent it into a crescent. (Limiting the move to
the white above and below the iris, or moving the whole opening as one, left that fade
where it was, and changed nothing.) For the same reason the iris no longer moves with
the mesh's triangles: the part of it past the mesh's lid line went with the lid's skin,
and an iris was drawn out into an upright oval as the brows rose.

A half-shut eye the lids give no lid (eye_reach.opening_below_mesh: the mesh put its opening
on the skin below the painted slit) keeps the mesh's own map: its iris does not move.
There the mesh's opening is lid and cheek, and the painted slit a few pixels tall lies
along its top edge, inside the mask's reach. The eye's affine motion, fitted to six
pixels' height of points, shears what lies beyond them (Klimt's Judith, eyes wide: 0.22
px sideways a pixel up), and a glance down of 2.4 px moved the dark slit off its painted
place: the pale lid above it was drawn down into a streak across the slit (up to 140
grey levels; with the iris held, none). A slit that narrow has no white to look across.
An open eye the lids give no lid still looks (van Gogh's far eye: its iris shows 0.83 of
its height, and held, it stared while the near one looked).
"""

from __future__ import annotations

import cv2
import numpy as np

from .named_points import LEFT_EYE_OPENING, RIGHT_EYE_OPENING
from .rig import PortraitRig

# The opening is drawn at this many times the picture's resolution, so its edge is
# smooth to a small fraction of a pixel.
SUPERSAMPLE = 4
# How far past the lid line a moving iris still moves, as a share of the opening's height
# (at least one pixel): the lid lines found in a picture often run a pixel or two inside
# the painted ones, and a move cut at the line itself left the top of the iris and its
# glint behind on the lid while a copy moved away, a torn white dash along the lid.
LID_REACH = 0.12
# A looking iris moves whole out to this share of its radius, and the white of the eye
# eases the move out beyond it over at least IRIS_EASE radii and EASE_PER_SHIFT times the
# move: no part of the white is stretched more than 1.6 times (eased over twice the move,
# up to 4 times, the picture's grain was drawn out into streaks).
IRIS_SOLID, IRIS_EASE, EASE_PER_SHIFT = 1.15, 0.8, 4.0
# An iris moves sideways at most this share of the white the picture shows beside it.
WHITE_SHARE = 0.4
# An eye is painted half-shut where the iris model's opening (lid to lid, at the middle) is
# under this share of its iris's height (Judith's lidless eye 0.51, a bowed girl's 0.21;
# open eyes 0.67-1.08 on six sitters, van Gogh's lidless far eye 0.83).
HALF_SHUT = 0.6


class _Opening:
    """One eye's opening at rest, as a mask over the picture: 1 where a moving iris
    shows, 0 on the lids, the edge between them a pixel wide."""

    def __init__(self, mesh_outline: np.ndarray, model_outline: np.ndarray | None, iris: tuple[np.ndarray, float],
                 image_shape: tuple[int, ...]) -> None:
        # The mesh's outline, and where the iris lies, the iris model's too: each runs
        # inside the painted lid somewhere, and seldom at the same place (a painting's
        # large iris often reaches past the mesh's lid line, up to the iris model's). Away
        # from the iris the mesh's alone: the lids' own edges follow the mesh's lids there
        # (taken whole, a squint read a little less).
        trusted = model_outline if _agrees(model_outline, mesh_outline) else None
        self.reach = max(1.0, LID_REACH * float(np.ptp(mesh_outline[:, 1])))
        grow = int(np.ceil(self.reach)) + 2
        everything = np.concatenate([mesh_outline] + ([trusted] if trusted is not None else []))
        x0, y0 = np.floor(everything.min(0)).astype(int) - grow
        x1, y1 = np.ceil(everything.max(0)).astype(int) + grow + 1
        self.x0, self.y0 = int(max(x0, 0)), int(max(y0, 0))
        x1, y1 = int(min(x1, image_shape[1])), int(min(y1, image_shape[0]))
        self.empty = x1 <= self.x0 or y1 <= self.y0
        if self.empty:
            return
        k = SUPERSAMPLE

        def fine_points(points: np.ndarray) -> np.ndarray:  # pixel centres sit at k * (x - x0) + (k - 1) / 2
            return np.round(((points - [self.x0, self.y0]) * k + (k - 1) / 2) * 16).astype(np.int32)

        fine = np.zeros(((y1 - self.y0) * k, (x1 - self.x0) * k), np.uint8)
        cv2.fillPoly(fine, [fine_points(mesh_outline)], 1, cv2.LINE_8, 4)
        if trusted is not None:
            model = np.zeros_like(fine)
            cv2.fillPoly(model, [fine_points(trusted)], 1, cv2.LINE_8, 4)
            fine |= model & _where_the_iris_goes(fine.shape, fine_points, mesh_outline, iris)
        # Grown by the reach, with an edge a pixel wide.
        outside = cv2.distanceTransform(1 - fine, cv2.DIST_L2, 5) / k
        inside = np.clip(self.reach + 0.5 - outside, 0.0, 1.0).astype(np.float32)
        self.mask = cv2.resize(inside, (x1 - self.x0, y1 - self.y0), interpolation=cv2.INTER_AREA)

    def seen_through(self, map_x: np.ndarray, map_y: np.ndarray) -> np.ndarray:
        """The mask where each pixel of the maps samples the picture: the lids stay where
        the mesh put them, and so does the edge the iris slides under."""
        return cv2.remap(self.mask, map_x - np.float32(self.x0), map_y - np.float32(self.y0),
                         cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0.0)


def _where_the_iris_goes(shape: tuple[int, int], fine_points, outline: np.ndarray,
                         iris: tuple[np.ndarray, float]) -> np.ndarray:
    """A mask (the fine grid's) of where the iris can be: its disc, grown to IRIS_SOLID of
    its radius and swept sideways as far as it may look (WHITE_SHARE of the white beside
    it)."""
    centre, radius = np.asarray(iris[0], np.float64), float(iris[1])
    reach = IRIS_SOLID * radius
    left = WHITE_SHARE * max(0.0, centre[0] - radius - float(outline[:, 0].min()))
    right = WHITE_SHARE * max(0.0, float(outline[:, 0].max()) - centre[0] - radius)
    ends = fine_points(np.array([centre - [left, 0.0], centre + [right, 0.0]]))
    fine_reach = int(round(reach * SUPERSAMPLE * 16))
    swept = np.zeros(shape, np.uint8)
    for x, y in ends:
        cv2.circle(swept, (int(x), int(y)), fine_reach, 1, -1, cv2.LINE_8, 4)
    corners = fine_points(np.array([centre + [-left, -reach], centre + [right, -reach],
                                    centre + [right, reach], centre + [-left, reach]]))
    cv2.fillConvexPoly(swept, corners, 1, cv2.LINE_8, 4)
    return swept


def _half_shut(eye) -> bool:
    """Whether the picture shows the eye half-shut (HALF_SHUT): its iris model's lids, at
    their middles, less far apart than that share of the iris's height."""
    lids = getattr(eye, "lids", None)
    if lids is None or len(lids) < 13 or not np.all(np.isfinite(lids[:, :2])):
        return False
    opening = float(lids[4, 1] - lids[12, 1])  # lids[4]: the lower lid's middle, lids[12]: the upper's
    return opening < HALF_SHUT * 2.0 * max(float(eye.iris_radius), 1e-6)


def _agrees(model: np.ndarray | None, mesh: np.ndarray) -> bool:
    """Whether the iris model's lid outline is one of the same eye as the mesh's: its
    middle inside the mesh's outline and no more than half as wide again."""
    if model is None or len(model) < 3 or not np.all(np.isfinite(model)):
        return False
    (mx0, my0), (mx1, my1) = mesh.min(0), mesh.max(0)
    cx, cy = model.mean(0)
    width = float(np.ptp(model[:, 0]))
    return bool(mx0 <= cx <= mx1 and my0 <= cy <= my1 and 0.5 * (mx1 - mx0) <= width <= 1.5 * (mx1 - mx0))


class Irises:
    """Both irises of a portrait: made once per rig, moved on every frame."""

    def __init__(self, rig: PortraitRig, src: np.ndarray, lidless: tuple[bool, bool] = (False, False)) -> None:
        """`lidless`: per eye (image-left, image-right), whether the lids give it no lid."""
        self.rig = rig
        self.src = src
        # Per eye: its iris stays as the mesh moves it (see above).
        self.held = tuple(bool(no_lid and _half_shut(eye)) for no_lid, eye in zip(lidless, rig.eyes, strict=True))
        shape = rig.image.shape[:2]
        # The eye's affine motion is fitted to its opening's points each frame: the rest
        # points' side of the least squares is the same every frame.
        self.fits = tuple(np.linalg.pinv(np.column_stack([src[list(ids)], np.ones(len(ids))]))
                          for ids in (LEFT_EYE_OPENING, RIGHT_EYE_OPENING))
        self.openings = tuple(
            _Opening(src[list(ids)], getattr(eye, "opening", None), (eye.iris_centre, eye.iris_radius), shape)
            for eye, ids in zip(rig.eyes, (LEFT_EYE_OPENING, RIGHT_EYE_OPENING), strict=True))

    def move(self, map_x: np.ndarray, map_y: np.ndarray, dst: np.ndarray, origin: np.ndarray,
             gaze_px: np.ndarray) -> None:
        """Move each iris with its eye as one (the eye's own affine motion), shifted by the
        gaze inside the opening, in the region's maps (in place); the lids stay where the
        mesh put them."""
        for eye, ids, fit, opening, shift, held in zip(self.rig.eyes, (LEFT_EYE_OPENING, RIGHT_EYE_OPENING),
                                                       self.fits, self.openings, gaze_px, self.held, strict=True):
            if held:
                continue
            moved = dst[list(ids)]
            forward = (fit @ moved).T  # rest -> moved, 2 x 3
            backward = _inverse(forward)
            polygon = moved - origin
            radius = max(eye.iris_radius, 1.0)
            cx, cy = forward[:, :2] @ eye.iris_centre + forward[:, 2] - origin
            shift = _within_the_white(shift, polygon, cx, radius)
            box = None if opening.empty else _box_of(opening, forward, origin, map_x.shape)
            if box is None:
                continue
            (bx0, by0), (bx1, by1) = box
            here = np.s_[by0:by1, bx0:bx1]
            # Where the picture shows the opening (the mesh's own map: the lids stay put).
            inside = opening.seen_through(map_x[here], map_y[here])
            xs = np.arange(bx0, bx1, dtype=np.float32)[None, :] + np.float32(origin[0])
            ys = np.arange(by0, by1, dtype=np.float32)[:, None] + np.float32(origin[1])
            # The iris moves whole: with the eye as one (its affine motion), and shifted by
            # the gaze. (The mesh's lid lines often run inside the painted ones, and the part
            # of the iris between them went with the lid's skin, drawn out into an upright
            # oval as the brows rose; a Gaussian bump as wide as the iris moved its near edge
            # less than its middle, so looking aside squeezed the iris more than it moved it.)
            # Around it the white takes up the move, back to the mesh's own.
            ease = max(IRIS_EASE * radius, EASE_PER_SHIFT * float(np.hypot(*shift)), 1.0)
            to_new = np.sqrt((xs - np.float32(cx + shift[0] + origin[0])) ** 2
                             + (ys - np.float32(cy + shift[1] + origin[1])) ** 2)
            t = np.clip((to_new - np.float32(radius * IRIS_SOLID)) / np.float32(ease), 0.0, 1.0)
            inside *= 1.0 - t * t * (3.0 - 2.0 * t)
            eye_x = backward[0, 0] * xs + backward[0, 1] * ys + np.float32(backward[0, 2] - shift[0])
            eye_y = backward[1, 0] * xs + backward[1, 1] * ys + np.float32(backward[1, 2] - shift[1])
            map_x[here] += inside * (eye_x - map_x[here])
            map_y[here] += inside * (eye_y - map_y[here])


IDENTITY = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])


def _inverse(affine: np.ndarray) -> np.ndarray:
    """The inverse of a 2x3 affine map (the identity where it has none)."""
    if abs(float(np.linalg.det(affine[:, :2]))) < 1e-9:
        return IDENTITY.copy()
    return cv2.invertAffineTransform(affine)


def _box_of(opening: _Opening, forward: np.ndarray, origin: np.ndarray,
            shape: tuple[int, int]) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The region pixels the opening may cover once moved by `forward`, with a margin."""
    h, w = opening.mask.shape
    corners = np.array([[0, 0], [w, 0], [0, h], [w, h]], np.float64) + [opening.x0, opening.y0]
    moved = corners @ forward[:, :2].T + forward[:, 2] - origin
    x0, y0 = np.floor(moved.min(0)).astype(int) - 3
    x1, y1 = np.ceil(moved.max(0)).astype(int) + 4
    x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, shape[1]), min(y1, shape[0])
    if x1 <= x0 or y1 <= y0:
        return None
    return (int(x0), int(y0)), (int(x1), int(y1))


def _within_the_white(shift: np.ndarray, polygon: np.ndarray, cx: float, radius: float) -> np.ndarray:
    """The shift, sideways no further than WHITE_SHARE of the white of the eye the picture
    shows on that side (corner to iris). A portrait holds only that much white: an iris
    moved past it has nothing to uncover, and the little white there was stretched into
    streaks (a sitter with heavy lids and large irises shows a few pixels a side)."""
    room_left = max(0.0, (cx - radius) - float(polygon[:, 0].min()))
    room_right = max(0.0, float(polygon[:, 0].max()) - (cx + radius))
    x = float(np.clip(shift[0], -WHITE_SHARE * room_left, WHITE_SHARE * room_right))
    return np.array([x, shift[1]], np.float64)
