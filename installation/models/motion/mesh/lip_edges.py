"""Where an opening mouth's lips sample the portrait: at rest, where they are; as the mouth
opens, from a little way past the line where the closed lips meet, so that line does not
stretch over the lips round the opening (real inner lips are lit lip). The warper (warp.py)
maps the rest of the face from the points as they are.

Closed, each lip's inner edge and the mesh's next row inside it lie within a pixel or two of
that line, and towards the corners, where the lips thin, the whole lip does, outer edge and
all. Only the inner edge used to move in (by 0.3 of the lip's thickness, towards the outer
edge: near the corners that runs along the line, not off it): the rows beside it stayed on
the line, and every triangle between them stretched it as the lips parted, the dark flecks at
the opening's ends and the faint streak along the lips' inner edges of a miniature's drawn
line. So where the line stands alone in lighter lips (stretched_line.line_alone), each lip
point near it samples from off it, straight across it; elsewhere the inner edge alone moves in,
as it did. And where the picture's own line lies off the mesh's contact (lip_contact.py), the lip
it lies in first moves onto it, so every move off the line starts from where the line is.
"""

from __future__ import annotations

import numpy as np

from .lip_contact import own_contact
from .named_points import LIP_ROWS
from .rig import PortraitRig
from .stretched_line import line_alone

# Where the closed lips' dark line does not stand alone in lighter lips (`line_alone`: a
# photograph's crease shading into its lips, a moustache over them, lips as dark as their line),
# the lips' inner edges alone move in, towards the outer lip by this share of its thickness: a
# photograph's lip a few pixels in is its own, not a stroke's. (Moved off as below, Thoreau's
# lit lower lip was kept and his white fleck went, but the face mesh read his opening smaller,
# mouth amplitude 0.98 -> 0.91 with the faces driver, 0.7901 -> 0.7782 on the shared set.)
LIP_EDGE_INWARD = 0.3
# Where it stands alone (a miniaturist's drawn line), every lip point near it moves off it.
# How far past the line an opened lip's inner edge samples: LIP_EDGE_SHARE of the lip's
# thickness there, at least LIP_EDGE_DEPTH of the face's height (a brush's stroke, a pixel or
# two, softened by a pixel more, on 200-300 px faces; beside the corners, where a lip is 3-7 px
# thick, the share alone stayed inside it), never more than LIP_EDGE_MOST of the thickness.
LIP_EDGE_SHARE, LIP_EDGE_DEPTH, LIP_EDGE_MOST = 0.3, 0.012, 0.5
# Lip points nearer the line than LIP_EDGE_REACH times that depth move off it too, the less the
# further they lie (the outer edge only where the lip is that thin): opened fully, no row passes
# another. (While the lips part slightly the inner edge, moved with the opening, does pass a row
# on the line, moved with its square: up to about 1 px on 300-500 px faces; kept level with it,
# no render looked at changed to the eye, so it is left: docs/portrait.md.)
LIP_EDGE_REACH = 2.0
# The lips split on the picture's line (lip_contact.py) fully once they have parted by this share
# of the face's height (where a parted mouth's own paint has taken over: cavity.py, 0.04).
SPLIT_OPENING = 0.04


def _columns(rows: tuple[tuple[int, ...], ...]) -> np.ndarray:
    """One lip's rows, outer edge to inner (LIP_ROWS), without the mouth's corners, where
    the lips meet however far the mouth opens: rows x columns."""
    return np.array([row[1:-1] for row in rows])


class LipEdges:
    """The sitter's lip points, the way off the line between her lips from each, and how far
    apart her lips are at rest; `sources` moves them off it as the mouth opens."""

    def __init__(self, rig: PortraitRig, src: np.ndarray) -> None:
        self.src = src  # the points at rest, (x, y): where each samples the portrait
        upper, lower = _columns(LIP_ROWS[:4]), _columns(LIP_ROWS[:3:-1])
        self.inner_upper, self.inner_lower = upper[-1], lower[-1]
        self.rows = np.concatenate([upper, lower], axis=1)  # rows x columns, both lips
        across = src[self.rows[0]] - src[self.rows[-1]]  # per column, inner edge to outer
        thickness = np.linalg.norm(across, axis=1)
        # Straight across the line: square to each lip's inner edge, towards its outer edge.
        off_line = np.concatenate([_square_to(src, inner) for inner in (self.inner_upper, self.inner_lower)])
        off_line *= np.where(np.einsum("cx,cx->c", off_line, across) < 0.0, -1.0, 1.0)[:, None]
        depth = np.minimum(np.maximum(LIP_EDGE_SHARE * thickness, LIP_EDGE_DEPTH * rig.face_height),
                           LIP_EDGE_MOST * thickness)
        kept = np.ones(len(depth), bool)
        if rig.own_teeth:  # the upper edge is her own teeth's: sampled into them, they shrank
            kept[:len(self.inner_upper)] = False
        if rig.own_lower_teeth is not None:  # and so is the lower edge, where her lower teeth show
            kept[len(self.inner_upper):][rig.own_lower_teeth] = False
        depth[~kept] = 0.0
        # Elsewhere (and in part, as far as the line is not alone) the inner edge alone moves in.
        self.lip_inward = np.where(kept[:, None], across, 0.0)
        # How far each point lies off the line at rest (points a mesh put past it count as on it).
        lies = np.maximum(np.einsum("rcx,cx->rc", src[self.rows] - src[self.rows[-1]], off_line), 0.0)
        fade = np.clip(1.0 - lies / np.maximum(LIP_EDGE_REACH * depth, 1e-6), 0.0, 1.0)
        self.alone = line_alone(rig)  # how far the moving off below takes over (0: not at all)
        self.moved_off = off_line[None] * (depth * fade * self.alone)[..., None]
        # Where the picture's own lips meet, against the mesh's contact (lip_contact.py): as they
        # part, the lip the line lies in moves off it, its inner edge onto the line (and from
        # there off it as below), its outer edge not at all, the rows between in order. The
        # other lip already starts past the line and stays: moved onto it too, each lip took
        # half the line, and a small face's slight parting showed it doubled, a dark slot.
        columns = len(self.inner_upper)
        split = own_contact(rig.image, src, upper, lower, off_line[:columns], rig.face_height,
                            kept[:columns] & kept[columns:])
        self.split_moves, self.split_opening = None, max(SPLIT_OPENING * rig.face_height, 1.0)
        if split is not None:
            split = np.concatenate([split, split])
            split *= (np.einsum("cx,cx->c", split, off_line) > 0.0)[:, None]  # into this lip
            lies_in = np.maximum(np.einsum("rcx,cx->rc", src[self.rows] - src[self.rows[-1]], off_line), 0.0)
            share = np.clip(1.0 - lies_in / np.maximum(thickness, 1e-6), 0.0, 1.0)
            self.split_moves = split[None] * share[..., None]
        # Per pair of columns, the thinner lip (none where her own teeth stand in for it).
        self.thickness = np.linalg.norm(self.lip_inward, axis=1).reshape(2, -1).min(0)
        self.rest_gap = np.linalg.norm(src[self.inner_upper] - src[self.inner_lower], axis=1)

    def sources(self, dst: np.ndarray) -> np.ndarray:
        """Where each point samples the portrait: at rest, where it is; as each pair of inner
        edge points opens (fully by half the thinner lip), its columns from off the line."""
        gap = np.linalg.norm(dst[self.inner_upper] - dst[self.inner_lower], axis=1)
        opened = np.clip((gap - self.rest_gap) / np.maximum(0.5 * self.thickness, 1.0), 0.0, 1.0)
        if not opened.any():
            return self.src
        src = self.src.copy()
        both = np.tile(opened, 2)
        if self.split_moves is not None:
            # (Over the first SPLIT_OPENING of the face's height, with the square of the opening:
            # moved at once, a small face's parting by a pixel or two showed the whole line in
            # its gap, a dark slot where the mouth's own paint fades in with the pixels opened.)
            split = np.clip((gap - self.rest_gap) / self.split_opening, 0.0, 1.0) ** 2
            src[self.rows] += self.split_moves * np.tile(split, 2)[None, :, None]
        if self.alone <= 0.0:
            src[self.rows[-1]] += self.lip_inward * (LIP_EDGE_INWARD * both)[:, None]
            return src
        inner = (1.0 - self.alone) * LIP_EDGE_INWARD * self.lip_inward + self.moved_off[-1]
        src[self.rows[-1]] += inner * both[:, None]
        # The rows inside the lips follow as the lips part well (a visitor's slight parting
        # keeps the line where it lay: moved off at once, it stretched a small face's line
        # over the pixel of opening).
        src[self.rows[:-1]] += self.moved_off[:-1] * (both ** 2)[None, :, None]
        return src


def _square_to(src: np.ndarray, inner: np.ndarray) -> np.ndarray:
    """Unit vectors square to a lip's inner edge (its points `inner`, corner to corner, the
    mouth's corners 78 and 308 beyond its ends) at each of its points, either way round."""
    edge = src[np.concatenate([[LIP_ROWS[3][0]], inner, [LIP_ROWS[3][-1]]])]
    along = edge[2:] - edge[:-2]
    square = np.stack([-along[:, 1], along[:, 0]], axis=1)
    return square / np.maximum(np.linalg.norm(square, axis=1), 1e-6)[:, None]
