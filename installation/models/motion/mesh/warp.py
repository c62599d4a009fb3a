"""Moving the portrait's pixels: a backward map rasterised from the moved mesh.

Only the face region is remapped, at the picture's own resolution, so the face keeps its
detail (an identity map samples every pixel exactly). Each moved triangle is filled into
an index image, and each pixel then samples the portrait through its triangle's affine
map: exact piecewise-affine warping for the price of one fill per triangle and a few
array operations, instead of a general-purpose routine's seconds. Triangles that would
fold over are eased back towards rest before anything is drawn.
"""

from __future__ import annotations

import cv2
import numpy as np

from .drawing_paper import portrait_drawn_share
from .drawn_mouth import drawing_tones
from .easing import SLIVER_SHARE, FoldEasing
from .edges import edge_hold, feather_edge_jumps, moving_extent
from .eye_reach import opening_below_mesh, risen_points
from .focus import face_blur, lip_line_blur
from .folds import FoldShading
from .folds import triangle_areas as _signed_areas  # (x, y) points: signed areas
from .halftone import HalftoneScreen
from .hidden import HiddenSources
from .irises import Irises
from .lid_band import prepare as prepare_lids
from .lid_paint import paint_lids
from .lids import LIDS, lid_whites, move_lids
from .lip_edges import LipEdges
from .mouth import paint_mouth
from .named_points import (
    FACE_OVAL,
    INNER_LIPS,
    JAW_LINE,
    LEFT_EYE_OPENING,
    RIGHT_EYE_OPENING,
)
from .passages import of_rig
from .picture_kind import settled
from .plate import DOTS, picture_grain
from .raster import affine_table, compiled_fill, fill_spans, ring_fit, rings_of, thin_triangles
from .rig import PortraitRig
from .sample import Sampler
from .under_jaw import UnderJaw, seam, soften

SEAM_SOFTNESS_PX = 0.8
# On a large face the map is computed on a coarser grid (one point every 200 px of face
# height, at most 4 apart) and interpolated: a piecewise-affine map is continuous, so this
# is exact inside triangles and close on their edges, as long as the grid is finer than
# the smallest moving triangles (lip corners). Small faces get the map at every pixel.
# The portrait itself is always sampled at every pixel of its own resolution.
MAP_FACE_PX_PER_STEP = 200
# The chin's edge over what lies under the jaw is cut (the map is not eased there) and
# softened in colour as much as the picture's own edges are (px, focus.py: paintings and
# photographs measure 0.5-1.5, a blurred print more), at least by JAW_CUT_SOFTNESS_PX,
# which takes the stair steps off the cut of a sharp one (under_jaw.py).
JAW_CUT_SOFTNESS_PX = 0.6
# Maps whose chin cut is kept for paint (render paints the maps it just made; a caller that
# makes a few before painting them, the bench's stage timer, gets each its own cut).
KEPT_SEAMS = 3


def skin_grain(rig: PortraitRig) -> tuple[np.ndarray | None, str | None]:
    """The grain of the sitter's cheeks over the region, for what is painted on the face, and
    whether it is a regular screen: a printed halftone's dots or a hatching's lines
    (plate.DOTS, plate.LINES), or neither (None)."""
    x0, y0, x1, y1 = rig.region
    cheeks = np.zeros((y1 - y0, x1 - x0), np.uint8)
    radius = max(2, int(0.07 * rig.face_height))
    for point in (50, 280):  # the middle of each cheek
        centre = np.round(rig.points[point, :2] - (x0, y0)).astype(int)
        cv2.circle(cheeks, (int(centre[0]), int(centre[1])), radius, 1, -1)
    return picture_grain(rig.image[y0:y1, x0:x1], cheeks > 0, seed=1)


def _nose_bridge_square(rig: PortraitRig) -> tuple[int, int, int, int]:
    """The square around the nose bridge (side 1.2 outer-eye distances) where a face's
    sharpness is judged (the issue's figure; the sampler decides there whether to keep grain)."""
    side = 1.2 * float(np.linalg.norm(rig.points[33, :2] - rig.points[263, :2]))
    cx, cy = rig.points[168, :2]
    x0, y0 = int(round(cx - side / 2)), int(round(cy - side / 2))
    return x0, y0, x0 + int(side), y0 + int(side)


class MeshWarper:
    def __init__(self, rig: PortraitRig) -> None:
        self.rig = rig
        self.src = rig.points[:, :2].astype(np.float64)
        x0, y0, x1, y1 = rig.region
        self.origin = np.array([x0, y0], np.float64)
        self.shape = (y1 - y0, x1 - x0)
        self.step = step = int(np.clip(round(rig.face_height / MAP_FACE_PX_PER_STEP), 1, 4))
        self.coarse_shape = (-(-self.shape[0] // step), -(-self.shape[1] // step))
        # Coarse sample j sits where cv2.resize puts it: at full-resolution j * step + centre.
        self.centre = 0.5 * (step - 1)
        cy, cx = np.mgrid[0:self.coarse_shape[0], 0:self.coarse_shape[1]].astype(np.float32)
        cy, cx = cy * step + self.centre, cx * step + self.centre
        xx, yy = cx + x0, cy + y0
        # Maps are built as displacement on the coarse grid (xx, yy), enlarged, and added to
        # the full grid (see backward_map).
        fy, fx = np.mgrid[0:self.shape[0], 0:self.shape[1]].astype(np.float32)
        self.full_x, self.full_y = fx + x0, fy + y0
        self.edge_hold = edge_hold(rig, xx, yy, step)
        # The sitter moves whole and is laid over the wall behind (plate.py) through its
        # own mask, moved the same way; the face is sampled cubic (sample.py).
        # A book's halftone: its dots stay on the page as the face moves (sample.py), and what
        # is painted is printed in them (a closed lid, an open mouth).
        self.grain, screen_kind = skin_grain(rig)
        self.screen = HalftoneScreen(self.grain, rig.image[y0:y1, x0:x1]) if screen_kind else None
        # A hatched drawing's regular lines print into the open mouth as a screen does, but are no
        # book's dots: not held on the page as the face moves (its strokes smeared), and its closed
        # lids are a drawing's (lid_drawn.py), not printed (picture_kind.settled, below).
        # Where numba is missing, numpy fills the same map (the same pixels, the same displacement).
        self._fill = compiled_fill() or fill_spans
        prepare_lids()  # the lids' compiled band reader, now rather than on the first blink
        self.blur = face_blur(rig)
        # The mouth is painted as soft as the sitter's own lip line where that is softer than the
        # face's strongest edges (a painting's sfumato mouth under sharp lashes or cracks).
        self.mouth_blur = max(self.blur, lip_line_blur(rig))
        self.lid_belows = opening_below_mesh(rig.points, rig.eyes, LIDS)
        # A half-shut eye the lids give no lid keeps its painted slit: its iris stays (irises.py).
        self.irises = Irises(rig, self.src, lidless=tuple(below is None for below in self.lid_belows))
        # (read where the lids close: an eye cut by the picture's edge raised to the picture's)
        self.lid_whites = lid_whites(rig.image, risen_points(rig.points, self.lid_belows, LIDS), rig.eyes)
        # Drawn or not is the picture's, read once at rest (drawing_paper.portrait_drawn_share).
        drawn = portrait_drawn_share(rig.image[y0:y1, x0:x1], self.src, self.origin, self.lid_whites,
                                     self.lid_belows)
        # What the picture is read as, and what it is painted as where the scene's `picture` says
        # otherwise (picture_kind.settled): the curator knows her pencil drawing on buff paper.
        self.read = settled("auto", self.screen, screen_kind == DOTS, drawn)
        self.settled = settled(rig.picture, self.screen, screen_kind == DOTS, drawn)
        self.page_screen, self.screen, self.drawn = self.settled[:3]
        # A drawing's open mouth is drawn in its paper and strokes (drawn_mouth.py), read at rest.
        self.drawing = drawing_tones(rig.image, rig.points, rig.face_height, self.drawn,
                                     of_rig(rig)[0] if self.drawn >= 1.0 else None)
        self.sampler = Sampler(rig.image, rig.region, rig.person, rig.face_height, _nose_bridge_square(rig),
                               screen=self.page_screen)
        rest = _signed_areas(self.src, rig.triangles)
        # Eye and mouth openings may close to nothing; every other triangle must keep its
        # orientation and at least a tenth of its area.
        # Triangles on the face's edge may fold when the head turns (the far cheek goes out
        # of sight): they are drawn back to front instead.
        # Around the mouth, lip triangles that fold lie inside the opening, which is painted.
        def corners_in(ids) -> np.ndarray:  # per triangle, how many of its corners are in `ids`
            return np.isin(rig.triangles, list(ids)).sum(axis=1)

        rings = range(468, len(rig.points))
        inside = corners_in(set(LEFT_EYE_OPENING) | set(RIGHT_EYE_OPENING)) == 3
        on_edge = corners_in(set(FACE_OVAL) | set(rings) | set(INNER_LIPS)) > 0
        in_mouth = corners_in(INNER_LIPS) >= 2
        on_face = np.all(rig.triangles < 468, axis=1)
        backdrop = rig.backdrop if rig.backdrop is not None else np.zeros(len(rig.triangles), bool)
        skin = (~inside) & (~in_mouth) & on_face & ~backdrop
        self.folds = FoldShading(rig.points.astype(np.float64), rig.triangles, skin,
                                 rig.image.shape, rig.face_height, FACE_OVAL)
        sliver = np.abs(rest) <= max(3.0, SLIVER_SHARE * rig.face_height ** 2)
        jaw_edge = on_face & ~backdrop & (corners_in(JAW_LINE) > 0) & ~in_mouth
        self.easing = FoldEasing(self.src, rig.triangles, (~inside) & (~on_edge) & ~sliver, rest,
                                 jaw_edge if rig.jaw_anchors else None)
        self.rest_area = rest
        self.under_jaw = UnderJaw(self.src, rig.first_jaw_anchor) if rig.jaw_anchors else None
        self._cut_softness = max(self.blur, JAW_CUT_SOFTNESS_PX)
        self._cut_reach = int(np.ceil(3.0 * self._cut_softness / step)) + 2  # map steps round the jaw line
        # The chin's cut over what stays under the jaw, for paint to soften, by the moved points
        # it was found for (the newest few: maps painted after others were made, or copies of
        # them, keep their own cut).
        self._jaw_seams: list[tuple[np.ndarray, tuple | None]] = []
        # The last maps made and the box outside which they move nothing (see _sampled_box).
        self._moved: tuple[np.ndarray, np.ndarray, tuple[int, int, int, int] | None] | None = None
        self._under_jaw_triangle = np.append(np.any(rig.triangles >= rig.first_jaw_anchor, axis=1) & ~backdrop,
                                             False)
        self._behind = np.where(backdrop, 2e6, np.where(np.any(rig.triangles >= 468, axis=1), 1e6, 0.0))
        if rig.jaw_anchors:
            # The backdrop's triangles of the face's own points fill the face where its
            # frontal triangles leave a gap in the picture: in front of the band, which stays
            # under the jaw (under_jaw.py), or a wedge of collar showed in the chin there.
            self._behind[backdrop & on_face] = 0.5e6
        # A face triangle under half a pixel thick at rest (three points nearly in a line: the upper
        # lip's middle, 11-12-13, on a frontal face; a knot of points at a nostril) takes the map
        # its corners and their neighbours' fit together (raster.ring_fit): its own, fitted to
        # three points a few hundredths of a pixel off a line, turned their smallest difference
        # as the face moved into a steep slope across it, and the half pixel it covers past its
        # edges sampled the picture 25-90 px away: a stripe of lip through a smiling man's front
        # teeth in most frames of the smile driver. (Not the eyes' and mouth's openings, which
        # close to a line and are painted over.)
        thin = thin_triangles(self.src, rig.triangles, step) & on_face & ~backdrop & ~inside & ~in_mouth
        self._thin = np.flatnonzero(thin)
        # Its ring is the skin's alone: at the face's edge it took in the still points of the
        # hair and ground round the head, and the fit, half the face's motion and half theirs,
        # missed the triangle's own corners by 4-6 px as the head turned (a speck of hair in the
        # painting's temple, a notch in the 1904 photograph's cheek); across the mouth's opening
        # it took in the other lip's.
        self._thin_rings = rings_of(rig.triangles, self._thin, skin)
        # (The backdrop is never culled: it shows only where nothing else is drawn, and
        # culled it left holes of unmoved picture where a turned head's edge folds.)
        self._silhouette = (corners_in(set(FACE_OVAL) | set(rings)) > 0) & ~backdrop
        # Per triangle (and the identity column), whether a jump there is the head's edge.
        self._at_edge = np.append(corners_in(set(FACE_OVAL) | set(rings)) > 0, True)
        # Where a jump there is eased (the head over hair); not the chin over the neck (under_jaw.py).
        self._feathered = self._at_edge if self.under_jaw is None else \
            self._at_edge & ~np.append(self.under_jaw.at_chin_edge(rig.triangles), False)
        # Where the inner lip edges sample as the mouth opens (lip_edges.py).
        self.lip_edges = LipEdges(rig, self.src)
        # The nose over the far cheek; the face's outline, whose triangles turned over
        # behind the cheek are the silhouette's to hide (_drawing_order), only where it lies
        # behind the nose and mouth (hidden.py).
        depth = rig.points[:, 2].astype(np.float64)
        outline = corners_in(FACE_OVAL) > 0
        self.hidden = HiddenSources(depth, rig.triangles, skin & ~outline,
                                    (self._under_jaw_placed(self.src) - self.origin - self.centre) / step,
                                    self.triangle_index(self.src, depth), rig.face_height, step,
                                    outline=skin & outline)

    @property
    def folds_eased(self) -> int:
        """How many frames had a fold to ease (see easing.py)."""
        return self.easing.eased

    def unfold(self, dst: np.ndarray) -> np.ndarray:
        """The moved points with folding triangles eased out (easing.py)."""
        return self.easing.unfold(dst)

    def _under_jaw_placed(self, dst: np.ndarray) -> np.ndarray:
        """`dst` with the band's points along the jaw line placed (under_jaw.py)."""
        return dst if self.under_jaw is None else self.under_jaw.place(dst)

    def _folded(self, dst: np.ndarray) -> np.ndarray:
        return self.easing.folded(dst)

    def _drawing_order(self, dst: np.ndarray, depth: np.ndarray | None) -> tuple[np.ndarray, bool]:
        """The triangles to draw, back to front, and whether any at the head's edge is
        turned over (without one, nothing there covers anything)."""
        triangles = self.rig.triangles
        # Hair and ground (triangles reaching the rings) always lie behind the face: drawn
        # by depth alone, the far cheek of a turned head went behind the ring around it,
        # and the wall showed through the cheek's edge in notches.
        # (The backdrop of the outline's own triangles lies behind everything.)
        nearness = depth[triangles].mean(1) if depth is not None else 0.0
        order = np.argsort(-(nearness + self._behind), kind="stable")
        # Back faces at the face's edge are not drawn: a triangle turned over there (the far
        # cheek of a turned head) would show the picture mirrored; what lies behind it
        # shows instead. (Turned-over triangles inside the eyes and mouth are painted over.)
        turned = _signed_areas(dst, triangles) * np.sign(self.rest_area) <= 0
        hidden = self._silhouette & turned
        return order[~hidden[order]], bool(np.any(turned & self._at_edge[:-1]))

    def _filled(self, dst: np.ndarray, depth: np.ndarray | None,
                table: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
        """On the map's grid, the number of the triangle each pixel shows (the last drawn
        over it; len(triangles), the table's identity column, where none is), the displacement
        there (`table`'s; none without one), and whether a triangle at the head's edge is
        turned over."""
        triangles = self.rig.triangles
        index = np.full(self.coarse_shape, len(triangles), np.int32)
        order, edge_turned = self._drawing_order(dst, depth)
        local = (dst - self.origin - self.centre) / self.step
        dx = np.zeros(self.coarse_shape, np.float32)
        dy = np.zeros(self.coarse_shape, np.float32)
        if table is None:
            table = np.zeros((6, len(triangles) + 1), np.float32)
        x_offset, y_offset = self.origin + self.centre
        self._fill(local, triangles, order, table, float(x_offset), float(y_offset), float(self.step),
                   index, dx, dy)
        return index, dx, dy, edge_turned

    def triangle_index(self, dst: np.ndarray, depth: np.ndarray | None = None) -> np.ndarray:
        """On the map's grid, the number of the triangle each pixel shows: the last drawn
        over it, back to front (`depth` per point, larger is farther); len(triangles),
        the table's identity column, where none is."""
        return self._filled(self._under_jaw_placed(dst), depth, None)[0]

    def backward_map(self, dst: np.ndarray, depth: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """For each region pixel, where to sample the portrait (absolute coordinates)."""
        placed, dst = dst, self._under_jaw_placed(dst)
        sources = self.lip_edges.sources(dst)
        table = affine_table(sources, dst, self.rig.triangles)
        if len(self._thin):
            table[:, self._thin] = ring_fit(sources, dst, self._thin_rings)
        index, dx, dy, edge_turned = self._filled(dst, depth, table)
        # (Before the seam's easing, which smooths what it moves.)
        self.hidden.redirect(index, dx, dy, self.step, (dst - self.origin - self.centre) / self.step)
        # Where one triangle covers another (the far cheek's edge as the head turns) the
        # map jumps from pixel to pixel in steps; eased over about a pixel, the edge is
        # drawn smooth. An affine map is unchanged by this, so nothing else moves.
        # Not the chin's edge over what lies under the jaw: eased, the map there samples what
        # the chin covers, squeezed into its edge (under_jaw.py); it is cut, as drawn.
        grid = (dst - self.origin - self.centre) / self.step
        cut = None if self.under_jaw is None else self.under_jaw.cut(
            self._under_jaw_triangle, index, dx, dy, grid, self.step, self._cut_reach)
        if cut is not None:
            box, edge = cut
            held = dx[box][edge], dy[box][edge]
        if SEAM_SOFTNESS_PX > 0:
            sigma = SEAM_SOFTNESS_PX / self.step
            cv2.GaussianBlur(dx, (3, 3), sigma, dst=dx)
            cv2.GaussianBlur(dy, (3, 3), sigma, dst=dy)
        if edge_turned:
            feather_edge_jumps(dx, dy, index, self._feathered, self.step, self.rig.face_height)
        if cut is not None:
            dx[box][edge], dy[box][edge] = held
        # The chin's edge over what stays under the jaw, for paint to soften (under_jaw.py).
        jaw_seam = None if cut is None else seam(cut, self.step, self.shape, self._cut_softness, self.edge_hold)
        if self.edge_hold is not None:  # after the easing, which would spread motion into it
            dx *= self.edge_hold
            dy *= self.edge_hold
        extent = moving_extent(dx, dy, self.step)
        if self.step == 1:
            dx += self.full_x
            dy += self.full_y
            self._moved = (dx, dy, extent)
            self._keep_seam(placed, jaw_seam)
            return dx, dy
        # The displacement interpolates exactly where the map is affine, and stays zero at
        # the region's edge (absolute coordinates, clamped there, were half a pixel off:
        # a seam where the region meets the untouched picture).
        size = (self.coarse_shape[1] * self.step, self.coarse_shape[0] * self.step)
        h, w = self.shape
        # (OpenCV's add into fresh maps: numpy's += on the cut-down view of the enlarged
        # displacement, a strided array, cost three times as much, 0.1 ms a map.)
        map_x = cv2.add(cv2.resize(dx, size, interpolation=cv2.INTER_LINEAR)[:h, :w], self.full_x)
        map_y = cv2.add(cv2.resize(dy, size, interpolation=cv2.INTER_LINEAR)[:h, :w], self.full_y)
        self._moved = (map_x, map_y, extent)
        self._keep_seam(placed, jaw_seam)
        return map_x, map_y

    def _keep_seam(self, dst: np.ndarray, jaw_seam: tuple | None) -> None:
        self._jaw_seams = [(np.array(dst, np.float64), jaw_seam)] + self._jaw_seams[:KEPT_SEAMS - 1]

    def maps(self, dst: np.ndarray, gaze_px: np.ndarray, depth: np.ndarray | None = None,
             eye_open: tuple[float, float] = (1.0, 1.0)) -> tuple[np.ndarray, np.ndarray]:
        """Where each region pixel samples the portrait: the mesh warp, the irises' shift and
        the lids drawn down (`dst`: moved points, image pixels, folds already eased)."""
        map_x, map_y = self.backward_map(dst, depth)
        self.irises.move(map_x, map_y, dst, self.origin, gaze_px)
        self._lid_covers = move_lids(map_y, dst, eye_open, self.origin, self.shape, self.lid_whites,
                                     self.lid_belows)
        return map_x, map_y

    def paint(self, map_x: np.ndarray, map_y: np.ndarray, dst: np.ndarray,
              teeth: tuple[float, float] | None = None, depth: np.ndarray | None = None,
              smile: tuple[float, float] = (0.0, 0.0)) -> np.ndarray:
        """Sample the portrait through the maps, paint lids and mouth, paste into the picture.
        `smile`: per side, how much of a full smile the mouth's corners make (the cheeks'
        shading, folds.commanded_smile)."""
        out = self.rig.image.copy()
        x0, y0, x1, y1 = self.rig.region
        region = out[y0:y1, x0:x1]  # sampled straight into the copy: no second paste
        h, w = self.shape
        fx0, fy0 = np.floor(dst[:468].min(0) - self.origin).astype(int) - 4
        fx1, fy1 = np.ceil(dst[:468].max(0) - self.origin).astype(int) + 5
        fx0, fy0 = min(max(fx0, 0), w), min(max(fy0, 0), h)
        fx1, fy1 = max(min(fx1, w), fx0), max(min(fy1, h), fy0)
        self.sampler.sample(region, map_x, map_y, (slice(fy0, fy1), slice(fx0, fx1)),
                            self._sampled_box(map_x, map_y, (fx0, fy0, fx1, fy1)))
        jaw_seam = next((kept for at, kept in self._jaw_seams if at.shape == dst.shape and np.array_equal(at, dst)),
                        None)
        if jaw_seam is not None:
            box, weight, sigma = jaw_seam
            soften(region[box], weight, sigma)
        if depth is not None:
            self.folds.shade(region, np.column_stack([dst, depth]), map_x, map_y, (fx0, fy0, fx1, fy1), smile,
                             grey=self.sampler.monochrome)
        paint_lids(region, self._lid_covers, self.blur, self.grain, self.page_screen, self.drawn,
                   self.settled.two_tone)
        paint_mouth(region, dst - self.origin, self.rig, teeth, self.grain, self.mouth_blur, self.screen,
                    self.drawing)
        return out

    def _sampled_box(self, map_x: np.ndarray, map_y: np.ndarray,
                     face: tuple[int, int, int, int]) -> tuple[slice, slice]:
        """The rows and columns of the region to sample: where the mesh moved anything, and
        the face box (x0, y0, x1, y1), where the irises and lids are drawn into the maps after
        the mesh (a glance alone moves nothing else); beyond, the frame is the picture as it is.
        Only for the maps the last backward_map made: any others are sampled whole."""
        h, w = self.shape
        moved = self._moved
        if moved is None or moved[0] is not map_x or moved[1] is not map_y:
            return slice(0, h), slice(0, w)
        x0, y0, x1, y1 = face
        if moved[2] is not None:
            mx0, my0, mx1, my1 = moved[2]
            x0, y0, x1, y1 = min(x0, mx0), min(y0, my0), max(x1, mx1), max(y1, my1)
        return slice(max(y0, 0), min(y1, h)), slice(max(x0, 0), min(x1, w))

    def render(self, dst: np.ndarray, gaze_px: np.ndarray, depth: np.ndarray | None = None,
               eye_open: tuple[float, float] = (1.0, 1.0),
               teeth: tuple[float, float] | None = None, smile: tuple[float, float] = (0.0, 0.0)) -> np.ndarray:
        """The whole portrait with the face moved to `dst` (points x 2, image pixels)."""
        dst = dst.astype(np.float64)
        return self.paint(*self.maps(dst, gaze_px, depth, eye_open), dst, teeth, depth, smile)
