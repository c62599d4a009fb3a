"""What lies under the jaw stays where it is while the jaw drops in front of it.

The band of picture between the face's outline and the head ring around it (hair, neck,
collar, ground) used to be drawn between the outline's moved points and the ring. As the
mouth opened the chin went down and pulled the top of that band with it, while the ring
(0.17 face heights under the chin) stayed: what lay under the chin was dragged down and
squeezed against the ring, and with the head ring moving with the head, a lowered head
dragged it further (a ruff went to vertical streaks, a choker into a long U). Measured on
eleven sitters at the drivers' widest mouths (0.15-0.19 face heights): the picture 0.02
face heights under the chin moved 0.01-0.04 face heights with the expression alone,
0.02-0.10 with the head's move too, and still 0.01-0.06 at 0.12 under it; now 0.007 or
less.

In a face the jaw drops in front of the neck and the clothes: the chin slides over them and
covers a little of them. So the band's edge along the jaw line has points of its own (the
rig's jaw anchors, copies of the jaw line's points), and they follow the jaw only where it
moves into the face (inwards, or they would leave a gap of unmoved picture between the chin
and the band), never out over what lies below nor along the outline (a dropping jaw's sides
move mostly along it, and dragged the neck and hair beside them): that the chin, drawn in
front of the band, covers instead. The head ring under the jaw stays too (rig.py): moved
with the head, it dragged the collar down into a U as the visitor nodded.

(A beard hangs from the chin and should follow it; below the outline it now stays as a
collar does. It was no better before: the band squeezed it against the ring.)
"""

from __future__ import annotations

import cv2
import numpy as np

from .named_points import FACE_OVAL, JAW_LINE

# A jump of the map (pixels between neighbouring map points) that is the chin's edge over
# what lies under the jaw rather than the map's own smooth change.
SEAM_JUMP_PX = 1.0


def outward_normals(points: np.ndarray) -> np.ndarray:
    """Per jaw line point (rest points x 2), the unit normal of the face's outline there,
    pointing out of the face."""
    oval = list(FACE_OVAL)
    centre = points[oval].mean(0)
    normals = []
    for point in JAW_LINE:
        at = oval.index(point)
        along = points[oval[(at + 1) % len(oval)]] - points[oval[at - 1]]
        normal = np.array([along[1], -along[0]])
        normal /= max(float(np.linalg.norm(normal)), 1e-9)
        if np.dot(normal, points[point] - centre) < 0:
            normal = -normal
        normals.append(normal)
    return np.array(normals)


class UnderJaw:
    """`src`: the rig's rest points (x, y); `first`: the index of the first jaw anchor."""

    def __init__(self, src: np.ndarray, first: int) -> None:
        self.src = src
        self.jaw = np.array(JAW_LINE)
        self.anchors = first + np.arange(len(JAW_LINE))
        self.normals = outward_normals(src)

    def at_chin_edge(self, triangles: np.ndarray) -> np.ndarray:
        """Per triangle, whether it has a corner on the jaw line or on the band's copies of
        it: where the map jumps there it is the chin over what lies under the jaw, to be cut
        (and softened in colour only: seam), never eased as the head's edge over hair is
        (edges.py). Eased, the jump showed what the chin covers squeezed into its edge: a
        choker under the chin came back as a second line along the chin's outline, and the
        hatching of a ruff as streaks there."""
        return np.isin(triangles, self.jaw).any(axis=1) | np.isin(triangles, self.anchors).any(axis=1)

    def place(self, dst: np.ndarray) -> np.ndarray:
        """`dst` (points x 2, moved by the expression and the head) with the jaw anchors
        placed (a nod drops the chin over the collar as an open mouth does): each takes
        only its jaw point's move into the face."""
        move = dst[self.jaw] - self.src[self.jaw]
        inwards = np.minimum(np.einsum("ij,ij->i", move, self.normals), 0.0)[:, None] * self.normals
        dst = dst.copy()
        dst[self.anchors] = self.src[self.anchors] + inwards
        return dst

    def cut(self, under_triangle: np.ndarray, index: np.ndarray, dx: np.ndarray, dy: np.ndarray,
            grid_points: np.ndarray, step: int, reach: int) -> tuple[tuple[slice, slice], np.ndarray] | None:
        """The map points where the chin's edge lies over what stays under the jaw and the map
        jumps there (chin_cut), in a box around the jaw line `reach` map steps wide: (the box,
        a mask over it), or None. `under_triangle`: per triangle (and the identity column),
        whether it shows what lies under the jaw; `index`, `dx`, `dy`: the map's triangle and
        displacement per map point; `grid_points`: the moved points on the map's grid, `step`
        pixels apart."""
        jaw = grid_points[self.jaw]
        # (The map jumps by how far a jaw point has left its copy on the band: at rest, or
        # with the chin only drawn in, it does not, and there is nothing to look for.)
        if np.abs(jaw - grid_points[self.anchors]).max() * step <= SEAM_JUMP_PX:
            return None
        (c0, r0), (c1, r1) = np.floor(jaw.min(0)).astype(int) - reach, np.ceil(jaw.max(0)).astype(int) + reach + 1
        r0, c0, r1, c1 = max(r0, 0), max(c0, 0), min(r1, index.shape[0]), min(c1, index.shape[1])
        if r1 <= r0 or c1 <= c0:
            return None
        box = (slice(r0, r1), slice(c0, c1))
        edge = chin_cut(under_triangle[index[box]], dx[box], dy[box])
        return None if edge is None else (box, edge)


def seam(cut: tuple[tuple[slice, slice], np.ndarray], step: int, shape: tuple[int, int], sigma: float,
         hold: np.ndarray | None = None):
    """Where the chin's edge lies over what stays under the jaw (`cut`, UnderJaw.cut, on the
    map's grid, `step` pixels apart), to be softened by `sigma` pixels (soften): ((rows,
    columns) of the region's pixels, weight per pixel, sigma). `hold`: per map point, how
    much of its motion the map keeps (edges.edge_hold): none at the picture's own edge,
    which is left as it is."""
    (rows, cols), edge = cut
    weight = jaw_seam(edge, sigma / step)
    if hold is not None:
        weight *= hold[rows, cols]
    if step > 1:
        size = (weight.shape[1] * step, weight.shape[0] * step)
        weight = cv2.resize(weight, size, interpolation=cv2.INTER_LINEAR)
    rows, cols = slice(rows.start * step, min(rows.stop * step, shape[0])), \
        slice(cols.start * step, min(cols.stop * step, shape[1]))
    return (rows, cols), weight[:rows.stop - rows.start, :cols.stop - cols.start], sigma


def chin_cut(under: np.ndarray, dx: np.ndarray, dy: np.ndarray) -> np.ndarray | None:
    """Per map point (`under`: whether it shows what lies under the jaw; `dx`, `dy`: the
    map's displacement there), whether it lies where the map jumps from the chin to what
    lies under it (a point each side of the jump). None where it does not jump (at rest,
    the chin meets the neck as the picture has them)."""
    if not under.any() or under.all():
        return None
    kernel = np.ones((3, 3), np.uint8)
    edge = cv2.morphologyEx(under.astype(np.uint8), cv2.MORPH_GRADIENT, kernel) > 0
    jump = np.maximum(*(cv2.morphologyEx(d, cv2.MORPH_GRADIENT, kernel) for d in (dx, dy)))
    edge &= jump > SEAM_JUMP_PX
    return edge if edge.any() else None


def jaw_seam(edge: np.ndarray, sigma: float) -> np.ndarray:
    """Per map point, how much of the picture's own softness the chin's edge over what lies
    under the jaw needs: 1 at the jump (`edge`, chin_cut), fading over `sigma` map steps."""
    size = 2 * int(np.ceil(2.5 * sigma)) + 1
    return np.clip(cv2.GaussianBlur(edge.astype(np.float32), (size, size), sigma) * 3.0, 0.0, 1.0)


def soften(region: np.ndarray, weight: np.ndarray, sigma: float) -> None:
    """Blur `region` (pixels, in place) by `sigma` where `weight` (per pixel) says: the chin
    drawn over a collar is a cut, as soft as the picture's own edges (on a blurred print a
    sharp one read as a chin cut out and laid on; on a sharp one it showed stair steps)."""
    rows, cols = np.flatnonzero(weight.max(1) > 0.01), np.flatnonzero(weight.max(0) > 0.01)
    if not len(rows):
        return
    size = 2 * int(np.ceil(2.5 * sigma)) + 1
    margin = size // 2
    r0, r1 = max(rows[0] - margin, 0), rows[-1] + margin + 1
    c0, c1 = max(cols[0] - margin, 0), cols[-1] + margin + 1
    part, near = region[r0:r1, c0:c1], np.ascontiguousarray(weight[r0:r1, c0:c1])
    blurred = cv2.GaussianBlur(part, (size, size), sigma)
    part[...] = cv2.blendLinear(blurred, np.ascontiguousarray(part), near, 1.0 - near)
