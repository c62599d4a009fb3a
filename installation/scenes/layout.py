"""Where pictures and words go on screens of any shape, and type that fits its room.

Scenes with a picture and a column of text share one rule: side by side on a landscape
screen, the picture above the words on a portrait one (1080x1920). Text is laid out by
measuring it: `fit()` finds the largest type scale at which a scene's words fit their
column, so longer words (a translation runs about a third longer than English) shrink
the type towards the kiosk minimum instead of running into the next line. The
typography layer never goes below that minimum (installation/textlog.py).
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

SCALES = (1.0, 0.94, 0.88, 0.82, 0.76, 0.7, 0.64, 0.58)

# The show's grid. Every scene that sets a picture beside its words (photograph, loop,
# portrait, the quiz's question) takes its boxes from picture_and_column() at this share,
# and hangs its words on the column's lines: the first capitals on its top (`hang`), the
# left edge on its left, the last credit's baseline on its bottom (`stand`). Walking from
# one scene to the next, titles, words and credits stay where the eye left them (each
# scene once had its own share and placement: columns began at three different places).
# Only words too long for a screen move the column (giving_way), on that screen alone.
# 0.44: the default exhibition's longest words (Bayard's story, the back of his print
# translated, with its attribution at the kiosk minimum) fit the column of a 16:9 screen,
# 1280x720 as well as 1920x1080 (small type rounds up, so it needs a little more room).
GRID_SHARE = 0.44
# On an upright screen the share is of the height, and the column below the picture is as
# wide as the screen: the words need less of it, and the picture (the portrait a visitor
# moves, above all) keeps most of the 0.52 it had before the grid (at 0.44 it lost a fifth of
# its size there). 0.485: with upright type set 1.19 times as large (textlog.type_side), the
# composite faces' words no longer fit under a picture of 0.52 on 1080x1920, and their column
# alone began 68 px higher than every other scene's. A share a scene gives way to is scaled alike.
UPRIGHT_GRID_SHARE = 0.485

# A picture drawn more than this many times its own pixels looks soft from two metres:
# `bayard check` warns about a photograph that would be, and the quiz never draws one so.
SOFT_ENLARGEMENT = 2.0


def portrait_screen(size: tuple[int, int]) -> bool:
    return size[1] > size[0]


def hang(fonts, text: pygame.Surface, line: int) -> int:
    """The y to place `text` at so that its first capitals stand on the grid line `line`."""
    return line - fonts.cap_top(text)


def stand(fonts, text: pygame.Surface, line: int) -> int:
    """The y to place `text` at so that its last baseline stands on the grid line `line`."""
    return line - fonts.baseline(text)


def beyond_lines(fonts, first: pygame.Surface | None, last: pygame.Surface | None) -> int:
    """The pixels of a column's words that lie outside its lines: above the first
    capitals and below the last baseline (room a measured layout may count as its own)."""
    above = fonts.cap_top(first) if first is not None else 0
    below = last.get_height() - fonts.baseline(last) if last is not None else 0
    return above + below


def picture_and_column(size: tuple[int, int], share: float = GRID_SHARE,
                       upright: bool | None = None) -> tuple[pygame.Rect, pygame.Rect]:
    """The picture's box and the text column's box. `share` is the picture's part of
    the width (landscape) or of the height (portrait). `upright` stacks the picture over
    the column (by default on a portrait screen; the quiz does on a near-square one too)."""
    w, h = size
    if portrait_screen(size) if upright is None else upright:
        share *= UPRIGHT_GRID_SHARE / GRID_SHARE
        picture = pygame.Rect(round(w * 0.06), round(h * 0.04), round(w * 0.88), round(h * (share - 0.06)))
        top = picture.bottom + round(h * 0.03)
        column = pygame.Rect(round(w * 0.08), top, round(w * 0.84), round(h * 0.97) - top)
        return picture, column
    picture = pygame.Rect(round(w * 0.04), round(h * 0.08), round(w * share), round(h * 0.84))
    left = picture.right + round(w * 0.04)
    column = pygame.Rect(left, round(h * 0.08), round(w * 0.96) - left, round(h * 0.84))
    return picture, column


def hung_in(box: pygame.Rect, size: tuple[int, int]) -> pygame.Rect:
    """Where a picture of `size` goes in its `box`: its top on the box's top, the grid's
    top line, where the column's first capitals hang; centred across. (Centred up and down
    as well, Bayard's print began 136 px below the title beside it on a 1080p screen.)"""
    rect = pygame.Rect((0, 0), size)
    rect.midtop = box.midtop
    return rect


def upright_layout(size: tuple[int, int]) -> bool:
    """Whether the quiz stacks its picture over its words: upright or nearly square screens
    (side by side, the words ran off the screen and over one another)."""
    return size[0] < 1.25 * size[1]


def picture_room(size: tuple[int, int]) -> int:
    """The largest side a quiz (or other square) picture is given on this screen: the
    grid's picture box, above the column where the quiz stacks them (upright_layout)."""
    box, _ = picture_and_column(size, upright=upright_layout(size))
    return min(box.width, box.height)


def title_scale(fonts, k: float, body_role: str, body_size: float) -> float:
    """The scale a scene's titles are set at when its body (`body_role` at `body_size`) is
    at scale k: k, but never below the least scale at which the kiosk minimum does not yet
    hold the body. Below it the floor sets the body, its credits and labels at one size,
    and a smaller scale shrank only the titles, down into them: on a 4:5 screen (1024x1280)
    the composite faces' title, heading, body and credit all had 23 px capitals. The titles
    keep their step above the body; the words give up room elsewhere (layout.giving_way)."""
    floor = fonts.size(body_role, 0)  # (nothing is set smaller)
    held = min((s for s in SCALES if fonts.size(body_role, body_size * s) > floor), default=SCALES[0])
    return max(k, held)


def fit(height_at: Callable[[float], int], available: int, scales: tuple[float, ...] = SCALES) -> float:
    """The largest scale in `scales` (largest first) at which `height_at(scale)` fits
    `available` pixels (the smallest scale when none does: the floor then decides, and the
    checks report it)."""
    for scale in scales:
        if height_at(scale) <= available:
            return scale
    return scales[-1]


# The share chosen for each scene file's words on each screen size (giving_way's `key`):
# a scene is built anew every time the playlist comes round, and measuring its words
# (fonts loaded at the smallest sizes, every text set) takes 50-100 ms of the main thread.
# Kept for the most recent few: each edit of a scene file is a new key (its settings are
# part of it), and an artist editing all day must not grow the kiosk's memory.
_CHOSEN: dict[tuple, tuple[float, int]] = {}
_CHOSEN_KEEP = 64


def giving_way(layout: Callable[[float], tuple[pygame.Rect, pygame.Rect]], share: float,
               need: Callable[[pygame.Rect], int], least: float = 0.3,
               step: float = 0.03, key: tuple | None = None) -> tuple[pygame.Rect, pygame.Rect, int]:
    """`layout(share)`'s picture and column at the largest share, from `share` down to
    `least`, whose column holds `need(column)` pixels of words at the smallest type scale,
    and how many pixels the words overrun that column (0: they fit).

    Type is sized by the screen's height (textlog.type_side), so on a 5:4 screen (1280x1024) it is
    nearly as large as at 1080p while a half-width picture leaves the words a column of
    500 px: they ran into the credit and off the screen. There the picture gives way. When
    no share lets them fit (a long translation), the words get the most room there is (the
    least share: they overlap least, and the need is measured for the longest of texts that
    are not all shown at once), and the scene tells the technician what to shorten.
    `key` (the scene's type, its settings and the screen size) remembers the choice."""
    if key is not None and key in _CHOSEN:
        chosen, overrun = _CHOSEN[key] = _CHOSEN.pop(key)  # now the most recent
        return (*layout(chosen), overrun)
    while True:
        picture, column = layout(share)
        overrun = max(need(column) - column.height, 0)
        if overrun == 0 or share - step < least - 1e-9:
            break
        share -= step
    if key is not None:
        _CHOSEN[key] = (share, overrun)
        while len(_CHOSEN) > _CHOSEN_KEEP:
            del _CHOSEN[next(iter(_CHOSEN))]  # the oldest
    return picture, column, overrun


def layout_key(kind: str, config, fonts, size: tuple[int, int]) -> tuple:
    """giving_way's `key` for a scene: its kind, its settings, the screen and the type
    (another language's faces set the same words longer)."""
    faces = tuple(str(face) for face in getattr(fonts, "extra_faces", ()))
    return kind, config.model_dump_json(), tuple(size), getattr(fonts, "short_side", None), faces


def overrun_message(overrun: int, size: tuple[int, int], what: str) -> str:
    """The technician's line for words that overrun their column (giving_way)."""
    return (f"{what} need {overrun} px more than the column has on this {size[0]}x{size[1]} screen, even at "
            f"the smallest type and with a smaller picture, so they overlap; shorten them in the scene file")
