"""Composites: sources warped to their mean shape and averaged, and morphs between them.

Galton laid negatives over one another by hand, each exposed for a fraction of the time.
Here each source is warped so that its 468 mesh points sit on the group's mean shape, and
the warped pictures are averaged, the sitters only: each source's person mask weighs its
pixels, feathered so that every sitter fades in and out of the average rather than
starting at an edge, and where few sitters reach (hair, shoulders) the composite fades
into a plain studio wall. A morph from composite A to B moves the shape from A's to B's and cross-
dissolves the two composites warped to that shape: every frame is still a blend of the
same public-domain sources, in changing proportions.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .sources import Source, face_hull
from .warp import ShapeRaster, frame_points, triangulate

# Each source's halftone screen is taken out first (descreen.py: its spectral peaks, at
# 2-8 px in the frame); what this Gaussian then softens is the grain at the pixel pitch
# that no screen explains (engraving lines, film grain, scanner rows): it keeps under 7 %
# of a 3 px pattern and 78 % of a 10 px one, so the eyes stay sharp.
GRAIN = 1 / 460  # Gaussian sigma, as a fraction of the side (1.1 px at 512)
REACH_SOFT = 1 / 80  # Gaussian sigma of the sitters' reach before it sets the fade (6.4 px at 512)
# Each sitter's weight rises from 0 at the edge of its mask to full over this much of the
# side (a third of the distance between the eyes, 31 px at 512). A weight that stopped at
# the mask's edge put a step into the average wherever one sitter ended and the others
# went on: where the tight head crops ended in the forehead, the mean of eight foreheads
# met the mean of four hairlines in a hard-rimmed lighter shape, and where they ended at
# the chin the face's outline was drawn round it.
FEATHER = 0.06
# Every sitter also weighs this much inside the face (fading out over FEATHER at its
# outline), whatever its mask: where every print ends above the chin, the face is the
# plain average of what the sitters' pictures hold there, never an empty hole.
FACE_FLOOR = 0.02
# Below this much feathered weight (half the sitters at full weight) the average of the
# few sitters left fades, in proportion, into the wall: divided by a weight near 0, the
# last sitter whose weight had not yet reached 0 stood at full strength up to the pixel
# where it did, a jagged cut-out of hair beside the jaw.
FEW = 0.5
WALL = (0.64, 0.50)  # the backdrop's grey at its centre and at its corners (a soft vignette)


@dataclass
class Composite:
    grey: np.ndarray  # float32 (side, side), 0..1, on the wall
    shape: np.ndarray  # (468, 2) mesh points of the mean shape
    members: tuple[str, ...]  # source files, in the order they were blended


class Atlas:
    """One triangulation shared by every shape (from the sources' overall mean shape), so
    any two shapes correspond triangle by triangle and can be blended or morphed."""

    def __init__(self, sources: list[Source], side: int) -> None:
        if not sources:
            raise ValueError("a composite needs at least one source")
        self.side = side
        self.border = frame_points(side)
        self.mean = np.mean([s.points for s in sources], axis=0)
        self.triangles = triangulate(self.full(self.mean), side)
        ys, xs = np.mgrid[0:side, 0:side].astype(np.float32) / (side - 1) - 0.5
        r = np.sqrt(xs**2 + ys**2) / np.sqrt(0.5)
        self.wall = (WALL[0] + (WALL[1] - WALL[0]) * r**2).astype(np.float32)

    def full(self, points: np.ndarray) -> np.ndarray:
        return np.vstack([points, self.border]).astype(np.float64)

    def raster(self, shape: np.ndarray) -> ShapeRaster:
        return ShapeRaster(self.triangles, self.full(shape), self.side)

    def warp_to(self, raster: ShapeRaster, image: np.ndarray, points: np.ndarray) -> np.ndarray:
        return raster.warp(image, self.full(points))

    def composite(self, members: list[Source], weights: np.ndarray | None = None) -> Composite:
        """The weighted composite of `members` (equal weights when omitted)."""
        w = np.full(len(members), 1.0 / len(members)) if weights is None else np.asarray(weights, float)
        w = w / w.sum()
        shape = np.tensordot(w, np.stack([m.points for m in members]), axes=1).astype(np.float32)
        raster = self.raster(shape)
        width = self.side * FEATHER
        core = soft_face(shape, self.side, width)
        acc = np.zeros((self.side, self.side), np.float32)
        cover = np.zeros_like(acc)  # the sitters' weight, feathered: it averages them
        reach = np.zeros_like(acc)  # how many sitters are here at all: it sets the wall
        for weight, source in zip(w, members, strict=True):
            grey, mask = source.descreened()
            grey = cv2.GaussianBlur(grey, (0, 0), self.side * GRAIN)
            both = self.warp_to(raster, np.dstack([grey, mask]), source.points)
            mask = both[..., 1]
            share = np.float32(weight) * (feathered(mask, width) + np.float32(FACE_FLOOR) * core)
            acc += share * both[..., 0]
            cover += share
            reach += np.float32(weight) * mask
        person = acc / np.maximum(cover, 1e-6)
        # Where the sitters weigh little (FEW), their average gives way to the wall in step.
        sure = np.maximum(np.clip(cover / np.float32(FEW), 0.0, 1.0), core)
        person = sure * person + (1 - sure) * self.wall
        # Where under half the sitters reach, fade to the wall rather than show a few of them.
        # The reach is softened first: each sitter's outline is a hard edge, and where two or
        # three big hairdos reached past the rest they showed as flat lobes with sharp rims.
        reach = cv2.GaussianBlur(reach, (0, 0), self.side * REACH_SOFT)
        alpha = np.clip(reach * 2.0 - 0.25, 0.0, 1.0) ** 1.5
        # The face always shows, fading into the wall where no one's picture reaches past it
        # (a hard outline here drew a line round the chin where every print ended).
        alpha = np.maximum(alpha, core)
        grey = alpha * person + (1 - alpha) * self.wall
        return Composite(grey.astype(np.float32), shape, tuple(m.file for m in members))

    def morph(self, a: Composite, b: Composite, t: float) -> np.ndarray:
        """The picture t of the way from composite a (0) to b (1), float32 grey."""
        if t <= 0:
            return a.grey
        if t >= 1:
            return b.grey
        shape = ((1 - t) * a.shape + t * b.shape).astype(np.float32)
        raster = self.raster(shape)
        wa = self.warp_to(raster, a.grey, a.shape)
        wb = self.warp_to(raster, b.grey, b.shape)
        return ((1 - t) * wa + t * wb).astype(np.float32)


def feathered(mask: np.ndarray, width: float) -> np.ndarray:
    """`mask` (0..1), brought down to 0 at its outline (where it crosses 0.5) and rising to
    its own value over `width` px inside: a sitter's weight fades in rather than starts."""
    inside = (mask > 0.5).astype(np.uint8)
    t = np.clip(cv2.distanceTransform(inside, cv2.DIST_L2, 5) / np.float32(width), 0.0, 1.0)
    return np.minimum(mask, t * t * (3 - 2 * t)).astype(np.float32)


def soft_face(shape: np.ndarray, side: int, width: float) -> np.ndarray:
    """The face (its mesh's outline grown by 1 % of the side), 1 inside and falling
    smoothly to 0 over `width` px at that outline."""
    return feathered(face_hull(shape, side, grow=0.01), width)


def finish(grey: np.ndarray, size: int, sharpen: float = 0.5) -> np.ndarray:
    """Display pixels: a gentle unsharp mask at the scale of features, not grain (averaging
    softens every edge a little), the output size, and neutral grey in all three channels
    (no colour cast by construction)."""
    side = grey.shape[0]
    soft = cv2.GaussianBlur(grey, (0, 0), side / 200)
    img = np.clip(grey + sharpen * (grey - soft), 0.0, 1.0)
    if size != side:
        img = cv2.resize(img, (size, size), interpolation=cv2.INTER_AREA if size < side else cv2.INTER_CUBIC)
    out = np.round(img * 255).astype(np.uint8)
    return np.repeat(out[..., None], 3, axis=2)


def descriptor(source: Source, side: int, small: int = 24) -> np.ndarray:
    """A small z-scored picture of the face and its surroundings, for picking look-alikes."""
    grey, mask = source.pictures()
    region = np.maximum(face_hull(source.points, side, grow=0.12), mask * 0.5)
    img = cv2.resize(grey * region + 0.5 * (1 - region), (small, small), interpolation=cv2.INTER_AREA)
    v = img.ravel() - img.mean()
    return (v / (np.linalg.norm(v) + 1e-6)).astype(np.float32)


def pick_groups(sources: list[Source], count: int, size: int, seed: int, side: int) -> list[list[Source]]:
    """`count` groups of `size` sources, no source in two groups. Each group starts from a
    random source and takes the sources that look most like it (a composite of similar
    faces keeps its features sharp; one of very different faces is a blur)."""
    if count * size > len(sources):
        raise ValueError(f"{count} composites of {size} need {count * size} sources; there are {len(sources)}")
    rng = np.random.default_rng(seed)
    feats = np.stack([descriptor(s, side) for s in sources])
    free = np.ones(len(sources), bool)
    groups = []
    for _ in range(count):
        start = int(rng.choice(np.flatnonzero(free)))
        sim = feats @ feats[start]
        sim[~free] = -np.inf
        chosen = np.argsort(-sim, kind="stable")[:size]
        free[chosen] = False
        groups.append([sources[i] for i in sorted(chosen)])
    return groups
