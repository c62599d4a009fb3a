"""Where an upright screen's reveal puts its pictures and the machine's panel, above the words
(quiz_screens draws there; quiz_layout gives the boxes they start from).

Upright the reveal stacks everything: the picture and the machine's map in a row, the
machine's panel under them, then the words. On a 4:5 screen (1024x1280) that row is too short
for the picture (a third of the width) and, under it, the words at the kiosk's least type
leave the eyes no room. Where the row's picture is under FACE_LEAST of the width or its eyes
under their least tile (EYES_SHARE), the verdict stands beside the picture, and the map
and the machine's panel in a row under them (verdict_beside).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pygame

from . import quiz_draw as draw

# Upright, each eye's tile is at least this share of the screen's width: about the share
# the eyes are given on a landscape 1920x1080 screen (285 px, 0.26 of its shorter side),
# where each of the picture's pixels is drawn 4 screen pixels a side (quiz_draw.eyes_picture;
# the quiz's irises are 12 to 16 of its pixels across the radius). At 720x1280 they were
# 174 px: 2 screen pixels a side, and a highlight of one or two of them a speck.
EYES_SHARE = 0.25
BETWEEN = 24  # design px between the pictures and the panel beside them
# The picture a visitor was asked about is the largest thing on its reveal: upright, at least
# this share of the screen's width (the row's, or with the verdict beside it), at most FACE_MOST.
FACE_LEAST = 0.4
FACE_MOST = 0.5
# Where even a picture of FACE_LEAST leaves some reveal's eyes under FEATURE_LEAST of the
# width, the picture gives way further, down to this share: on a 4:5 screen (1024x1280) a
# single round's tiles were 127-220 px, and every word was already at the kiosk's least. Of
# the reveal's parts the picture can best spare the room: the visitor has just studied it at
# full size on the question, while the eyes are the evidence the reveal asks them to check
# for the first time (the map, the eyes' sentence and the words cannot give way without
# losing what the machine saw or falling under the kiosk's least type). At a third of the
# width it is still the largest thing on the reveal, each eye at most 4/5 of it.
FACE_LEAST_FOR_EYES = 1 / 3
# With the verdict beside the picture, the map and each eye keep at least this share of the
# width (205 px at 1024x1280: each of the picture's pixels 3 screen pixels a side, the
# highlight a visitor looks for a ring of several).
FEATURE_LEAST = 0.2
MAP_SHARE = 0.3  # of the pictures' width: the map beside the machine's panel
# Beside the picture the verdict's lines hold this many ems of its answers' type (sans 32),
# about twenty characters, where a picture no smaller than FACE_LEAST leaves them: upright
# 1080x1920, with its type set 1.19 times as large (textlog.type_side), the column beside a
# picture half the width held under 9 ems, two or three words a line ("The machine / leaned
# towards a / real photograph,"). (Under the row instead, the words left the eyes no room.)
MEASURE_LEAST = 10
# Upright, a pair's faces stand side by side across the top band, the machine's map beside
# them at this share of a face. Stacked at the row's left (as the question showed them), each
# face was 239 px at 1080x1920, 0.22 of the width, beside an empty middle, and each eye tile
# under them 303: the eyes outweighed the faces the visitor was asked about. Side by side
# they take the band's width and a third of its height; the map at 3/5 of a face reads as
# the machine's note on them, not a third picture asked about.
MAP_OF_FACE = 0.6
# Where a pair's faces stand side by side (upright or beside the words), each eye's tile is at
# most this share of a face: no larger was not enough (at 1080x1920 the eyes were 324 px beside
# faces of 326 and read as a second pair of pictures). 4/5, the one picture's rule, would leave
# a 9:16 pair's eyes under their least tile (EYES_SHARE) and send the round beside the verdict.
EYES_OF_FACE = 0.85


def eyes_most(face: int) -> int:
    """The largest eye tile (px) beside a pair's faces of `face` px."""
    return int(EYES_OF_FACE * face)


def least_tile(size: tuple[int, int]) -> int:
    """The smallest eye tile (px) an upright reveal of this screen size may show."""
    return math.ceil(EYES_SHARE * size[0])


def tile_in(fonts, panel: pygame.Rect, explanation) -> int:
    """The side of each eye's tile in an eyes panel of this box (quiz_draw.eyes_panel's
    rule): 0 where the eyes would be left out."""
    if getattr(explanation, "eyes_view", None) is None:
        return 0
    pad = fonts.px(16)
    sentence = draw.eyes_panel_least(fonts, panel.width, explanation) - 2 * pad
    room = panel.height - sentence - 3 * pad
    return min(room, (panel.width - 2 * pad) * 20 // 41) if room >= fonts.px(draw.LEAST_EYES) else 0


def pair_band(fonts, g: dict[str, pygame.Rect], gap: int, label_height: int,
              largest: int) -> tuple[pygame.Rect, pygame.Rect, int]:
    """An upright reveal's top band for a pair: the faces' box (both side by side, `gap` px
    apart, `label_height` px of labels under them), the map's box at the band's right edge,
    the side of each face: as large as the row's width allows beside a map of MAP_OF_FACE of
    a face, and no larger than `largest` (a picture drawn larger is only softer)."""
    image, spectrum = g["reveal_image"], g["reveal_spectrum"]
    right = spectrum.right
    face = min(int((right - image.x - gap - fonts.px(BETWEEN)) / (2 + MAP_OF_FACE)), largest)
    shown = round(MAP_OF_FACE * face)
    faces = pygame.Rect(image.x, image.y, 2 * face + gap, face + label_height)
    return faces, pygame.Rect(right - shown, image.y, shown, shown), face


def map_as_eye(fonts, width: int) -> int:
    """The side of pair_above_map's map in a pictures' box `width` px wide: as large as an
    eye's tile in the panel beside it (two tiles and a twentieth of one between them across
    the panel's padded width, quiz_draw.eyes_panel), so the machine's note and the evidence it
    points to read as one row."""
    return 20 * (width - fonts.px(BETWEEN) - 2 * fonts.px(16)) // 61


def pair_above_map(fonts, g: dict[str, pygame.Rect], gap: int, label_height: int,
                   largest: int, least_map: int = 0) -> tuple[pygame.Rect, pygame.Rect, pygame.Rect, int]:
    """A near-square landscape reveal's pictures for a pair (5:4, 4:3: too narrow a box for
    pair_band's row of two faces and a map): the faces side by side across the pictures' box,
    `gap` px apart, `label_height` px of labels under them; under them the map at the left,
    as large as each eye beside it, and the machine's panel at its right down to the box's
    foot; the map at least `least_map` px wide. The faces' box, the map's, the panel's, and
    each face's side."""
    image, spectrum, plot = g["reveal_image"], g["reveal_spectrum"], g["reveal_plot"]
    width, between, pad = spectrum.right - image.x, fonts.px(BETWEEN), fonts.px(16)
    shown = max(map_as_eye(fonts, width), least_map)
    # The faces as large as the box's width allows, where they leave that row the height of
    # its eyes and their longest sentence (taking it all, at 1024x768 they left the eyes
    # 90 px); never so small that an eye outgrows EYES_OF_FACE of a face.
    height = plot.bottom - image.y - label_height - fonts.px(30)  # (the faces' and the row's)

    def face_beside(side: int) -> int:
        row = side + draw.eyes_panel_tallest(fonts, width - side - between) + pad
        return min((width - gap) // 2, largest, height - row)

    # Where a language's longer sentence leaves the faces less than that floor, the map and the
    # eyes give way, not the row: held up by the floor, the faces took the row's room and the
    # reveal with the longest sentence lost its eyes (a round's at 1024x768: 135 px on four
    # reveals, none on the fifth). The largest side that fits, by halving (the faces only grow
    # as it shrinks), down to the least eyes a panel shows (smaller, they are left out anyway).
    if face_beside(shown) < math.ceil(shown / EYES_OF_FACE):
        fits, too_large = min(shown, max(least_map, fonts.px(draw.LEAST_EYES))), shown
        while too_large - fits > 1:
            middle = (fits + too_large) // 2
            fits, too_large = (middle, too_large) if face_beside(middle) >= math.ceil(middle / EYES_OF_FACE) \
                else (fits, middle)
        shown = fits
    face = min(max(face_beside(shown), math.ceil(shown / EYES_OF_FACE)), (width - gap) // 2, largest)
    shown = min(shown, face)
    faces = pygame.Rect(image.x, image.y, 2 * face + gap, face + label_height)
    top = faces.bottom + fonts.px(30)
    panel = pygame.Rect(image.x + shown + between, top, width - shown - between, plot.bottom - top)
    return faces, pygame.Rect(image.x, top, shown, shown), panel, face


def row(fonts, g: dict[str, pygame.Rect], caption_height: int, bottom: int, account_height: int,
        explanation, eyes: bool, biggest: int | None = None) -> pygame.Rect:
    """The machine's panel under the pictures' row, where the words begin at `bottom` at the
    latest: the eyes as large as the panel's width allows where the words leave the room,
    the machine's shortest account (`account_height`) kept its room under the words, and
    each eye's tile no larger than `biggest` (by default 4/5 of the picture)."""
    plot = g["reveal_plot"].copy()
    below = max(fonts.px(24), g["reveal_spectrum"].bottom + fonts.px(4) + caption_height + fonts.px(8) - plot.y)
    plot.y += below
    plot.height -= below
    most = bottom - fonts.px(30) - plot.y
    if eyes:
        room = most - account_height
        plot.height = max(plot.height, draw.eyes_panel_grown(fonts, plot.width, explanation, room))
        # each eye smaller than the picture they are in (at 720x1280 they were 284 px beside a 294 px face)
        if biggest is None:
            biggest = g["reveal_image"].width * 4 // 5
        plot.height = min(plot.height, draw.eyes_panel_least(fonts, plot.width, explanation) + fonts.px(16) + biggest)
    plot.height = min(plot.height, most)
    return plot


def verdict_beside(fonts, screen_width: int, g: dict[str, pygame.Rect], verdict_height: Callable[[int, int], int],
                   caption_height: Callable[[int], int], bottom: int, explanation, eyes: bool, largest: int,
                   image_height: Callable[[int], int] = lambda side: side,
                   image_width: Callable[[int], int] = lambda side: side,
                   machine_height: Callable[[int], int] | None = None, most_tile: int | None = None,
                   face_side: Callable[[int], int] = lambda side: side
                   ) -> tuple[dict[str, pygame.Rect] | None, int | None]:
    """The picture large at the top left with the verdict beside it, and under them the map
    at the left with the machine's panel beside it, all ending by `bottom` (where the
    account of the machine begins at the latest): the largest picture from FACE_MOST down to
    FACE_LEAST_FOR_EYES of the screen's width whose panel still shows the eyes (or the curve)
    at least FEATURE_LEAST of the width, and leaves the verdict's lines MEASURE_LEAST ems
    where a picture of FACE_LEAST does, and the picture's side; where none does, the least.

    On a 4:5 screen (1024x1280) a row of picture and map, the panel and all the words under
    them left the eyes no room; moved aside for them, the picture a visitor had been asked
    about was 151-229 px, a sixth of the width, smaller than each eye. The verdict beside the
    picture takes no height of its own. `verdict_height(width, room)`: how tall the headline
    and the two answers stand at a width, fitted to `room` where they can be (without the
    machine's answer where `machine_height(width)` is given: it then runs across the frame
    under the picture and the verdict, in "reveal_machine");
    `image_height(side)`, `image_width(side)`: the picture's box (a pair's faces one above the
    other, their labels beside, take less than a square); `face_side(side)`, each face's own
    side in it (the map no larger: at 1024x1280 a pair's map was 258 px beside faces of 242).
    `most_tile`: the eyes no larger than this (the round's one size, see
    quiz_reveal_plan._round_beside)."""
    image, panel_box = g["reveal_image"], g["reveal_plot"]
    frame = pygame.Rect(image.x, image.y, panel_box.right - image.x, 0)
    between, gap = fonts.px(BETWEEN), fonts.px(30)
    least = max(round(FEATURE_LEAST * screen_width), fonts.px(draw.LEAST_EYES))
    side = min(largest, round(FACE_MOST * screen_width))
    # The picture gives way first to the verdict's measure, down to the least picture.
    measure = MEASURE_LEAST * fonts.size("sans", 32)
    while (frame.width - image_width(side) - between < measure
           and side - max(1, fonts.px(16)) >= round(FACE_LEAST * screen_width)):
        side -= max(1, fonts.px(16))
    while True:
        wide = image_width(side)
        verdict = pygame.Rect(frame.x + wide + between, frame.y, frame.right - frame.x - wide - between, 0)
        verdict.height = verdict_height(verdict.width, image_height(side))
        band = frame.y + max(image_height(side), verdict.height) + gap
        machine = None
        if machine_height is not None:  # (the machine's answer across, under the picture and the verdict)
            machine = pygame.Rect(frame.x, band, frame.width, machine_height(frame.width))
            band = machine.bottom + gap
        room = bottom - band
        shown = min(round(MAP_SHARE * frame.width), side * 4 // 5, face_side(side))
        shown = min(shown, room - fonts.px(4) - caption_height(shown))
        panel = pygame.Rect(frame.x + shown + between, band, frame.width - shown - between, room)
        if eyes:
            # (smaller than the picture, and than each of a pair's faces: at 1200x1600 a pair's
            # eyes were 297 px beside faces of 294)
            tile = min(tile_in(fonts, panel, explanation), side * 4 // 5, face_side(side))
            if most_tile is not None:
                tile = min(tile, most_tile)
            pad = fonts.px(16)
            panel.height = tile + draw.eyes_panel_least(fonts, panel.width, explanation) + pad
        else:
            tile = panel.height = shown + fonts.px(4) + caption_height(shown)
        # The largest picture that leaves the map and the eyes their least; where none
        # does, the least picture, and the map and the eyes what it leaves them.
        smaller = side - max(1, fonts.px(16))
        # (a pair's map is held to its faces' side, which a smaller picture only shrinks)
        if (min(tile, shown) >= least or tile >= least and shown >= face_side(side)
                or smaller < round(FACE_LEAST_FOR_EYES * screen_width)):
            boxes = {"reveal_image": pygame.Rect(frame.x, frame.y, wide, image_height(side)),
                     "reveal_verdict": verdict,
                     "reveal_spectrum": pygame.Rect(frame.x, band, shown, shown),
                     "reveal_plot": panel}
            if machine is not None:
                boxes["reveal_machine"] = machine
            return boxes, side
        side = smaller
