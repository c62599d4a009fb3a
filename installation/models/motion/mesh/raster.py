"""Filling the moved triangles into the backward map in one compiled pass.

Through OpenCV the warper fills an index image one `fillConvexPoly` call per triangle
(about 1,200 calls from Python a frame) and then gathers six coefficient planes through
it: together a third of a live frame. Compiled by numba, one loop visits each triangle's
pixels once and writes the displacement there directly, and it releases the GIL, so the
render loop keeps drawing while a frame is warped.

numba is a dependency, but the warper never needs it: where it cannot be imported or
cannot compile (an unusual platform), `compiled_fill()` returns None and `fill_spans`
draws the same map in numpy, to the bit (slower). Coverage is as generous as `fillConvexPoly`'s: every pixel whose
square touches a triangle, so neighbours overlap by a pixel (their maps agree on the
shared edge) and no pixel between them is left unmoved.
"""

from __future__ import annotations

import numpy as np

from .jit import compile_checked

EDGE_REACH = 0.5  # how far outside its edges (map pixels) a triangle still covers a pixel
# A triangle thinner than this at rest (map pixels: twice its area over its longest side) is
# three points nearly in a line, or a knot of points under a pixel apart; see `thin_triangles`.
THIN_AT_REST = 0.5


def _widen(px, py, qx, qy, y0, y1, lo, hi):  # pragma: no cover - compiled
    """Widen [lo, hi] to the x where the edge from p to q crosses the band y0..y1, and p
    itself where it lies in the band."""
    if y0 <= py <= y1:
        lo, hi = min(lo, px), max(hi, px)
    if py != qy:
        for yb in (y0, y1):
            if min(py, qy) <= yb <= max(py, qy):
                x = px + (yb - py) * (qx - px) / (qy - py)
                lo, hi = min(lo, x), max(hi, x)
    return lo, hi


_band = _widen  # compiled_fill swaps in the compiled one before compiling _fill


def _fill(local, triangles, order, table, x_offset, y_offset, step, index, dx, dy):  # pragma: no cover
    """Back to front (`order`), each triangle's map pixels get its number in `index` and
    its affine map's displacement in `dx`, `dy`. `local`: points on the map grid (pixel
    centres at integers); map pixel (r, c) is picture pixel (c*step + x_offset, r*step +
    y_offset); `table`: the 2x3 map per triangle as six rows (see affine_table).
    A pixel is covered when its square touches the triangle: in each row, the triangle's
    extent over the row's height, widened by half a pixel. Measured as distance from each
    edge instead, a sliver's sharp corner reached pixels far beyond it, which then
    sampled the portrait through the sliver's steep map: specks by the nose.
    The triangles are filled first, numbers only; the displacement is then written once per
    pixel, for the triangle drawn last there, with the same sums (the same bits): written with
    each fill, it was written 2.6 times a pixel on the shared painting, hair and ground drawn
    under the face (a fifth of the fill's time on Thoreau's frames, alone; less in a frame)."""
    h, w = index.shape
    for k in range(order.shape[0]):
        t = order[k]
        ax, ay = local[triangles[t, 0], 0], local[triangles[t, 0], 1]
        bx, by = local[triangles[t, 1], 0], local[triangles[t, 1], 1]
        cx, cy = local[triangles[t, 2], 0], local[triangles[t, 2], 1]
        if (bx - ax) * (cy - ay) - (by - ay) * (cx - ax) == 0.0:
            continue
        top, bottom = min(ay, min(by, cy)), max(ay, max(by, cy))
        y_lo = max(0, int(np.ceil(top - EDGE_REACH)))
        y_hi = min(h - 1, int(np.floor(bottom + EDGE_REACH)))
        for r in range(y_lo, y_hi + 1):
            y0, y1 = max(top, r - EDGE_REACH), min(bottom, r + EDGE_REACH)
            left, right = np.inf, -np.inf
            left, right = _band(ax, ay, bx, by, y0, y1, left, right)
            left, right = _band(bx, by, cx, cy, y0, y1, left, right)
            left, right = _band(cx, cy, ax, ay, y0, y1, left, right)
            if left > right:
                continue
            lo = max(0, int(np.ceil(left - EDGE_REACH)))
            hi = min(w - 1, int(np.floor(right + EDGE_REACH)))
            for c in range(lo, hi + 1):
                index[r, c] = t
    uncovered = table.shape[1] - 1  # (the identity column: no triangle drawn there, no displacement)
    for r in range(h):
        picture_y = r * step + y_offset
        for c in range(w):
            t = index[r, c]
            if t >= uncovered:
                continue
            picture_x = c * step + x_offset
            dx[r, c] = table[0, t] * picture_x + table[1, t] * picture_y + table[2, t] - picture_x
            dy[r, c] = table[3, t] * picture_x + table[4, t] * picture_y + table[5, t] - picture_y


def fill_spans(local, triangles, order, table, x_offset, y_offset, step, index, dx, dy) -> None:
    """`_fill` in numpy, to the bit: where numba is missing. Each triangle's rows and each
    row's span are found as `_fill` finds them (the same float64 steps, all rows of all
    triangles at once), and each map pixel takes the last triangle drawn over it. (OpenCV's
    fillConvexPoly, the earlier fallback, covers less at the edges: where a turned head's
    back faces are left out the wall showed through the jaw in notches, up to 159 grey
    levels from the compiled frame.)"""
    h, w = index.shape
    drawn = np.asarray(order, np.int64)
    corners = local[triangles[drawn]]  # (n, 3, 2), float64
    (ax, ay), (bx, by), (cx, cy) = (corners[:, k].T for k in range(3))
    keep = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax) != 0.0
    drawn, ax, ay, bx, by, cx, cy = (v[keep] for v in (drawn, ax, ay, bx, by, cx, cy))
    top, bottom = np.minimum(ay, np.minimum(by, cy)), np.maximum(ay, np.maximum(by, cy))
    y_lo = np.maximum(0, np.ceil(top - EDGE_REACH)).astype(np.int64)
    y_hi = np.minimum(h - 1, np.floor(bottom + EDGE_REACH)).astype(np.int64)
    rows_each = np.maximum(y_hi - y_lo + 1, 0)
    k = np.repeat(np.arange(len(drawn)), rows_each)  # one entry per (triangle, row), back to front
    r = y_lo[k] + np.arange(len(k)) - np.repeat(np.cumsum(rows_each) - rows_each, rows_each)
    y0, y1 = np.maximum(top[k], r - EDGE_REACH), np.minimum(bottom[k], r + EDGE_REACH)
    left, right = np.full(len(k), np.inf), np.full(len(k), -np.inf)
    for px, py, qx, qy in ((ax, ay, bx, by), (bx, by, cx, cy), (cx, cy, ax, ay)):
        px, py, qx, qy = px[k], py[k], qx[k], qy[k]
        at = (y0 <= py) & (py <= y1)
        left, right = np.where(at, np.minimum(left, px), left), np.where(at, np.maximum(right, px), right)
        slanted = py != qy
        for yb in (y0, y1):
            crosses = slanted & (np.minimum(py, qy) <= yb) & (yb <= np.maximum(py, qy))
            # (px + (yb - py) * (qx - px) / (qy - py), in _widen's order of operations)
            x = px + np.divide((yb - py) * (qx - px), qy - py, out=np.zeros_like(px), where=slanted)
            left = np.where(crosses, np.minimum(left, x), left)
            right = np.where(crosses, np.maximum(right, x), right)
    lo = np.maximum(0, np.ceil(np.where(left > right, 0.0, left) - EDGE_REACH)).astype(np.int64)
    hi = np.minimum(w - 1, np.floor(np.where(left > right, -1.0, right) + EDGE_REACH)).astype(np.int64)
    hi = np.where(left > right, lo - 1, hi)
    cols_each = np.maximum(hi - lo + 1, 0)
    span = np.repeat(np.arange(len(k)), cols_each)
    c = lo[span] + np.arange(len(span)) - np.repeat(np.cumsum(cols_each) - cols_each, cols_each)
    flat = r[span] * w + c
    # The last drawn over each pixel: spans come back to front, so the greatest entry wins.
    last = np.full(h * w, -1, np.int64)
    np.maximum.at(last, flat, np.arange(len(flat)))
    covered = np.flatnonzero(last >= 0)
    won = last[covered]
    t = drawn[k[span[won]]]
    picture_x = c[won] * step + x_offset
    picture_y = r[span[won]] * step + y_offset
    index.reshape(-1)[covered] = t
    a = table[:, t].astype(np.float64)  # (float32 coefficients, float64 sums: as numba does)
    dx.reshape(-1)[covered] = a[0] * picture_x + a[1] * picture_y + a[2] - picture_x
    dy.reshape(-1)[covered] = a[3] * picture_x + a[4] * picture_y + a[5] - picture_y


def affine_table(src: np.ndarray, dst: np.ndarray, triangles: np.ndarray) -> np.ndarray:
    """Per triangle, the 2x3 map from destination pixels to source pixels, as six rows of
    coefficients (a00 a01 a02 a10 a11 a12) with one extra column, the identity, for pixels
    no triangle covers. Closed form (a 2x2 inverse per triangle): a thousand tiny
    linalg.solve calls cost more than the whole table."""
    d0, d1, d2 = (dst[triangles[:, k]] for k in range(3))
    s0, s1, s2 = (src[triangles[:, k]] for k in range(3))
    e1, e2 = d1 - d0, d2 - d0
    f1, f2 = s1 - s0, s2 - s0
    det = e1[:, 0] * e2[:, 1] - e1[:, 1] * e2[:, 0]
    ok = np.abs(det) > 1e-6
    inv = np.divide(1.0, det, out=np.zeros_like(det), where=ok)
    table = np.zeros((6, len(triangles) + 1))
    for row, r in ((0, 0), (3, 1)):
        a = (f1[:, r] * e2[:, 1] - f2[:, r] * e1[:, 1]) * inv
        b = (f2[:, r] * e1[:, 0] - f1[:, r] * e2[:, 0]) * inv
        table[row, :-1], table[row + 1, :-1] = a, b
        table[row + 2, :-1] = s0[:, r] - a * d0[:, 0] - b * d0[:, 1]
    # Collapsed triangles cover no pixel, and uncovered pixels stay where they are.
    table[:, :-1][:, ~ok] = np.array([1.0, 0.0, 0.0, 0.0, 1.0, 0.0])[:, None]
    table[:, -1] = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)
    return table.astype(np.float32)


def thin_triangles(points: np.ndarray, triangles: np.ndarray, step: float) -> np.ndarray:
    """Per triangle, whether it is thinner than THIN_AT_REST map pixels as `points` (x, y) lie.
    Such a triangle holds no picture its neighbours do not, and its map is fitted to points a
    few hundredths of a pixel off a line: their smallest difference as the face moves becomes a
    steep slope across the line, which the half pixel it covers past its edges samples."""
    a, b, c = (points[triangles[:, k], :2] for k in range(3))
    twice_area = np.abs((b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0]))
    longest = np.max([np.hypot(*(b - a).T), np.hypot(*(c - b).T), np.hypot(*(a - c).T)], axis=0)
    return twice_area < THIN_AT_REST * step * np.maximum(longest, 1e-9)


def rings_of(triangles: np.ndarray, chosen: np.ndarray, among: np.ndarray | None = None) -> np.ndarray:
    """Per chosen triangle, the points of every triangle that shares a corner with it (its
    corners and their neighbours), padded with its first corner to the longest such ring; with
    `among` (per triangle), only those triangles' points count."""
    pool = triangles if among is None else triangles[among]
    rings = [np.unique(np.concatenate([triangles[t], pool[np.isin(pool, triangles[t]).any(axis=1)].ravel()]))
             for t in chosen]
    width = max((len(r) for r in rings), default=0)
    return np.array([np.concatenate([r, np.full(width - len(r), r[0])]) for r in rings], np.int64).reshape(-1, width)


def ring_fit(src: np.ndarray, dst: np.ndarray, rings: np.ndarray) -> np.ndarray:
    """Per ring (`rings_of`), the affine map from destination to source pixels that fits its
    points best (least squares), as `affine_table`'s six rows: the map of the patch around a
    thin triangle, as steep as the face moves there and no steeper. (A padded point counts
    twice: the fit is no longer exact for it, which a ring of ten or more points hardly feels.)
    At rest, and under any affine motion, it is the triangle's own map."""
    d, s = dst[rings, :2], src[rings, :2]  # (n, k, 2)
    mean_d, mean_s = d.mean(axis=1), s.mean(axis=1)
    cd, cs = d - mean_d[:, None], s - mean_s[:, None]
    # Normal equations, the 2x2 inverse written out (np.linalg.solve's overhead is most of it).
    xx, xy, yy = (cd[..., 0] ** 2).sum(1), (cd[..., 0] * cd[..., 1]).sum(1), (cd[..., 1] ** 2).sum(1)
    det = np.maximum(xx * yy - xy * xy, 1e-12)
    rows = []
    for r in (0, 1):  # source x, then source y: its coefficients on destination x and y
        sx, sy = (cd[..., 0] * cs[..., r]).sum(1), (cd[..., 1] * cs[..., r]).sum(1)
        ax, ay = (yy * sx - xy * sy) / det, (xx * sy - xy * sx) / det
        rows += [ax, ay, mean_s[:, r] - ax * mean_d[:, 0] - ay * mean_d[:, 1]]
    return np.stack(rows).astype(np.float32)


_compiled = None
_tried = False


def compiled_fill():
    """The compiled `_fill`, compiled (or loaded from numba's cache) on first use and
    checked on a small triangle; None where numba is missing or fails."""
    global _compiled, _tried
    if _tried:
        return _compiled
    _tried = True
    _compiled = compile_checked("the portrait's map filler", "the portrait's map is filled through numpy (slower)",
                                _build_fill, _smoke)
    return _compiled


def _build_fill(numba, cache: bool):
    global _band
    _band = numba.njit(cache=cache)(_widen)  # before _fill compiles: it calls the compiled one
    return numba.njit(cache=cache, nogil=True)(_fill)


def _smoke(fill) -> None:
    local = np.array([[0.0, 0.0], [3.0, 0.0], [0.0, 3.0]])
    index = np.full((4, 4), 1, np.int32)
    dx, dy = np.zeros((4, 4), np.float32), np.zeros((4, 4), np.float32)
    table = np.zeros((6, 2), np.float32)
    table[[0, 4], :] = 1.0
    table[2, 0] = 2.0  # the triangle samples two pixels to the right
    fill(local, np.array([[0, 1, 2]], np.int32), np.array([0], np.int64), table, 0.0, 0.0, 1.0, index, dx, dy)
    if index[1, 1] != 0 or dx[1, 1] != 2.0 or index[3, 3] != 1:
        raise RuntimeError("the compiled filler drew a test triangle wrongly")
