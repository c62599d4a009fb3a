"""How far the picture's eye runs on past the face mesh's eye corners, read once at rest.

The face mesh can end an eye short of the picture's: a turned sitter's far eye at its outer
corner (the veiled woman's: the picture's lash line 4 px, a quarter of the eye's width, past
the mesh's corner), a near eye at its inner corner, a 1940s photograph's eye looking aside
(its dark corner 2-3 px past). A lid closed only to the mesh's corner left the picture's own
eye standing beyond it: a dark hook at the end of the closed lid, an open corner. So the
picture's eye is followed out from each mesh corner, along the eye's line, while each
column holds a dark line (lashes, the lid's dark margin, the iris in the corner) near the
corner's row: darker than LINE_DARK of the skin round it in that column, with that skin
both above and below it (a line, not the socket's shade or a dark background at the face's
edge, which run on out of the window), and the line must end within MOST_PAST of the
eye's width: the lids meet there. (Still going at MOST_PAST it was a fold or the socket's
shade running on to the temple in 12 of 52 eyes of the development sitters: Mona Lisa's,
van Gogh's, the 1904 photograph's; a lid painted over it was skin painted on skin.)
The closing lid then runs on that far (eye_region.EyeRegion._open_corners).

A line still going at MOST_PAST can begin as the eye's own corner and go on as a fold: a
turned sitter's far eye, its lashes in the corner as dark as 0.05-0.25 of the skin round
them and then a faint fold (0.5-0.65, a pixel or two thick) on to the temple, kept a dark
sliver at the end of the closed lid (the 1904 photograph's far eye: its corner's dark ends
0.13-0.21 of its width past the mesh's, the fold 0.42). So at an outer corner the line is
followed again, only while it is darker than halfway from the corner's own darkest (at the
mesh's corner and just inside it) to LINE_DARK: the lashes, not the fold. Where that ends
within MOST_PAST, and does not run on slantwise, the lid runs on that far. (A line as dark
as the corner all the way, a made-up eye's wing or the socket's shade, is still left alone;
at an inner corner, the socket's shade by the nose, this was tried too and on a dark
halftone grew the lid into the shade, its dots painted on as streaks.)
"""

from __future__ import annotations

import numpy as np

from .tone import LUMA

# A pixel of the eye's line is darker than this share of the skin round it (the lighter
# half of its column's window), as lid_rest.LINE_DARK reads the crease's line.
LINE_DARK = 0.6
# The eye's line is looked for within this share of the mesh's deepest opening of the
# corner's row (the picture's corner can lie a little above or below the mesh's), and the
# skin round it over twice that.
NEAR_ROW, WINDOW = 0.5, 1.0
# The eye ends within this share of its width (corner to corner) past the mesh's corner; a
# line followed on past it (looked for up to FOLLOWED) is a fold or shade running on to the
# temple or the nose, not the eye (a made-up eye's dark wing, 0.30: painted over, the closed
# lid cut a pale notch in it).
MOST_PAST, FOLLOWED = 0.25, 0.4
# ... and a line that, where it was last seen near the corner's row, goes on over the next
# RUNS_ON columns, each within RUNS_ON_ROWS rows of the one before, left those rows
# slantwise: it did not end.
RUNS_ON, RUNS_ON_ROWS = 2, 2.0
# The corner's own darkest is read over this many columns, from the mesh's corner inwards.
CORNER_COLUMNS = 3
# A closing lid's paint fades out over this share of the eye's width next to each corner,
# where the lids meet (lids._lower_lid) ...
CORNER_FADE = 0.12
# The picture's upper-lid line runs down into the inner corner steeply, across that fade's
# columns, where the closed lid, faded, left it standing: a dark slash rising from the end of
# the closed lash line (a CC0 photograph's near eye, face_woman_193: its lashes 0.5-0.6 of
# the skin's light, covered a third to a half). Where most of the fade's columns (from
# INNER_LINE_SHARE) hold a line on the mesh's upper margin (within INNER_NEAR rows of it,
# dark, with lighter skin above and below: the socket's shade by the nose runs on up past
# the crease with no lid skin between, and is left alone), the closing lid paints over the
# rows round the margin (INNER_ROWS each side) above its closed lash line, fading out over
# INNER_FADE of the width at the corner. (Painted over in the whole band, crease to margin,
# with that narrower fade, the closed lid ended in a hard upright edge, a pale block at the
# inner corner of photographs whose corner lies in shade; run on past the corner to where
# the mesh's crease turns back, more so. Moved down from above the line instead, a steep
# line's own pixels came down with it, a dark speck below the corner.)
INNER_NEAR, INNER_ROWS, INNER_FADE = 1.5, 2.5, 0.03
INNER_LINE_SHARE = 0.5


def _line_bottom(luma: np.ndarray, x: int, row: float, near: float, window: float,
                 dark_share: float = LINE_DARK) -> float | None:
    """Where picture column x holds a dark line (darker than `dark_share` of the skin round
    it) within `near` rows of `row`, with lighter skin both above and below it within
    `window` rows: its lowest row (the lowest of such lines); None where there is none."""
    h = luma.shape[0]
    first, last = int(np.floor(row - window)), int(np.ceil(row + window))
    if first < 0 or last >= h:
        return None
    rows = np.arange(first, last + 1)
    column = luma[rows, x]
    skin = float(np.median(column[column >= np.median(column)]))
    dark = column < dark_share * skin
    lowest = None
    for at in np.flatnonzero(dark & (np.abs(rows - row) <= near)):
        low, high = at, at
        while low > 0 and dark[low - 1]:
            low -= 1
        while high < len(dark) - 1 and dark[high + 1]:
            high += 1
        if low > 0 and high < len(dark) - 1:  # skin above and below it: a line
            lowest = float(rows[high])
    return lowest


def _runs_on(luma: np.ndarray, corner: np.ndarray, axis: np.ndarray, run: int, last: float,
             window: float, dark_share: float = LINE_DARK) -> bool:
    """Whether the line followed `run` columns out from `corner` to its last row `last` goes
    on over the RUNS_ON columns after, each a row or two from the one before: out of the rows
    the eye's line is looked for in, not ended (a spectacle frame, a strand of hair or a fold
    crossing the corner slantwise: taken for the eye, the closing lid cut its end off)."""
    for step in range(run + 1, run + 1 + RUNS_ON):
        x = int(round(float(corner[0] + axis[0] * step)))
        bottom = (_line_bottom(luma, x, last, RUNS_ON_ROWS, window, dark_share)
                  if 0 <= x < luma.shape[1] else None)
        if bottom is None:
            return False
        last = bottom
    return True


def past_corners(image: np.ndarray, upper: np.ndarray, lower: np.ndarray
                 ) -> tuple[tuple[float, float], tuple[float, float]]:
    """How far the picture's eye runs on past the mesh's corners, in eye widths, past the
    image-left corner and the image-right one; and how far below the corner's row its line
    reaches there (eye widths; its top the lid's crease covers). `upper`, `lower`: the mesh's
    lid lines at rest, corner to corner (picture pixels, x y)."""
    luma = image.astype(np.float32) @ LUMA if image.ndim == 3 else image.astype(np.float32)
    width = float(np.linalg.norm(upper[-1] - upper[0]))
    if width < 4.0:
        return (0.0, 0.0), (0.0, 0.0)
    deepest = max(float(np.max(lower[:, 1]) - np.min(upper[:, 1])), 2.0)
    near, window = max(1.5, NEAR_ROW * deepest), max(3.0, WINDOW * deepest)
    runs, belows = {}, {}
    for end, other in ((0, -1), (-1, 0)):
        corner = 0.5 * (upper[end] + lower[end])
        axis = (corner - 0.5 * (upper[other] + lower[other])) / width
        run, below, last = _follow(luma, corner, axis, width, near, window, LINE_DARK)
        if run > MOST_PAST * width or (run and _runs_on(luma, corner, axis, run, last, window)):
            # still going: a fold or shade, or an outer corner going on as a fold (see above)
            darkest = _corner_darkest(luma, corner, axis, near, window) if end == 0 else 1.0
            run, below = 0, 0.0
            if darkest < LINE_DARK:
                lashes = 0.5 * (darkest + LINE_DARK)
                run, below, last = _follow(luma, corner, axis, width, near, window, lashes)
                if run > MOST_PAST * width or (run and _runs_on(luma, corner, axis, run, last, window, lashes)):
                    run, below = 0, 0.0
        side = float(np.sign(axis[0]))
        runs[side], belows[side] = run / width, below / width
    return (runs.get(-1.0, 0.0), runs.get(1.0, 0.0)), (belows.get(-1.0, 0.0), belows.get(1.0, 0.0))


def _follow(luma: np.ndarray, corner: np.ndarray, axis: np.ndarray, width: float, near: float,
            window: float, dark_share: float) -> tuple[int, float, float]:
    """The line (darker than `dark_share` of its skin) followed out from `corner` along `axis`
    (over one stray column, no further): how many columns it runs, how far below the corner's
    row it reaches (px), and its last row."""
    run, missed, below, last = 0, 0, 0.0, 0.0
    for step in range(1, int(FOLLOWED * width) + 1):
        x, row = corner + axis * step
        x = int(round(float(x)))
        bottom = _line_bottom(luma, x, float(row), near, window, dark_share) if 0 <= x < luma.shape[1] else None
        if bottom is not None:
            run, missed, below, last = step, 0, max(below, bottom - float(corner[1])), bottom
            continue
        missed += 1
        if missed > 1:
            break
    return run, below, last


def _corner_darkest(luma: np.ndarray, corner: np.ndarray, axis: np.ndarray, near: float, window: float) -> float:
    """The darkest the eye is at the mesh's corner and just inside it (CORNER_COLUMNS), as a
    share of the skin round it in its column (the lighter half of `window` rows each side),
    within `near` rows of the corner's row: its lashes, or its iris in the corner. 1 where unread."""
    darkest = 1.0
    for step in range(0, -CORNER_COLUMNS, -1):
        x, row = corner + axis * step
        x = int(round(float(x)))
        first, last = int(np.floor(row - window)), int(np.ceil(row + window))
        if x < 0 or x >= luma.shape[1] or first < 0 or last >= luma.shape[0]:
            continue
        rows = np.arange(first, last + 1)
        column = luma[rows, x]
        skin = max(float(np.median(column[column >= np.median(column)])), 1.0)
        darkest = min(darkest, float(column[np.abs(rows - row) <= near].min()) / skin)
    return darkest


def inner_lash_line(image: np.ndarray, upper: np.ndarray, lower: np.ndarray) -> float:
    """How much of the mesh's inner corner's fade (CORNER_FADE of the eye's width next to
    `upper[-1]`: LIDS order, outer corner first) holds the picture's upper-lid line on the
    mesh's upper margin, 0-1: the share of its columns with a dark line (LINE_DARK of the skin
    round it) within INNER_NEAR rows of the margin and lighter skin both above and below it
    (see INNER_ROWS). `upper`, `lower`: the mesh's lid lines at rest, corner to corner."""
    luma = image.astype(np.float32) @ LUMA if image.ndim == 3 else image.astype(np.float32)
    width = float(np.linalg.norm(upper[-1] - upper[0]))
    if width < 4.0:
        return 0.0
    deepest = max(float(np.max(lower[:, 1]) - np.min(upper[:, 1])), 2.0)
    window = max(3.0, WINDOW * deepest)
    order = np.argsort(upper[:, 0])
    inward = -float(np.sign(upper[-1, 0] - upper[0, 0]))  # from the inner corner into the eye
    columns = max(int(CORNER_FADE * width), 1)
    found = 0
    # (from the column after the corner's own: there the lids meet, and the line is the lower
    # lid's as much as the upper's)
    for step in range(1, columns + 1):
        x = int(round(float(upper[-1, 0]) + inward * step))
        row = float(np.interp(x, upper[order, 0], upper[order, 1]))
        if 0 <= x < luma.shape[1] and _line_bottom(luma, x, row, INNER_NEAR, window) is not None:
            found += 1
    return found / columns
