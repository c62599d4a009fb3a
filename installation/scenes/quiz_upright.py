"""Where an upright screen's reveal puts its pictures and the machine's panel, above the words
(quiz_screens draws there; quiz_layout gives the boxes they start from).

Upright the reveal stacks everything: the picture and the machine's map in a row, the
machine's panel under them, then the words. On a 4:5 screen (1024x1280) the words, at the
kiosk's least type, left the panel no room for the eyes: no reveal of a round showed them,
and none of a single-picture round said what the machine saw. Where the row leaves the eyes
smaller than their least tile (EYES_SHARE), the picture and the map stand one above the
other at the left and the eyes beside them, across the rest of the width.
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


def row(fonts, g: dict[str, pygame.Rect], caption_height: int, bottom: int, account_height: int,
        explanation, eyes: bool) -> pygame.Rect:
    """The machine's panel under the pictures' row, where the words begin at `bottom` at the
    latest: the eyes as large as the panel's width allows where the words leave the room,
    the machine's shortest account (`account_height`) kept its room under the words."""
    plot = g["reveal_plot"].copy()
    below = max(fonts.px(24), g["reveal_spectrum"].bottom + fonts.px(4) + caption_height + fonts.px(8) - plot.y)
    plot.y += below
    plot.height -= below
    most = bottom - fonts.px(30) - plot.y
    if eyes:
        room = most - account_height
        plot.height = max(plot.height, draw.eyes_panel_grown(fonts, plot.width, explanation, room))
    plot.height = min(plot.height, most)
    return plot


def beside(fonts, g: dict[str, pygame.Rect], caption_height: Callable[[int], int], bottom: int,
           explanation, least: int, image_height: Callable[[int], int] = lambda side: side
           ) -> dict[str, pygame.Rect] | None:
    """The picture above the map at the left, the eyes' panel beside them, all ending by
    `bottom`: the largest pictures that leave each eye at least `least` px; None where no
    size does. `image_height`: how tall the picture's box is at a width (a pair's two faces
    one above the other, their labels beside, take less than a square)."""
    image = g["reveal_image"]
    width = g["reveal_plot"].right - image.x
    between, gap = fonts.px(BETWEEN), fonts.px(12)
    room = bottom - image.y
    pad = fonts.px(16)
    for side in range(image.width, least // 2, -max(1, fonts.px(4))):
        left = image_height(side) + side + gap + fonts.px(4) + caption_height(side)
        panel = pygame.Rect(image.x + side + between, image.y, width - side - between, room)
        tile = tile_in(fonts, panel, explanation)
        if left > room or tile < least:
            continue
        sentence = draw.eyes_panel_least(fonts, panel.width, explanation) - 2 * pad
        panel.height = tile + sentence + 3 * pad
        return {"reveal_image": pygame.Rect(image.x, image.y, side, image_height(side)),
                "reveal_spectrum": pygame.Rect(image.x, image.y + image_height(side) + gap, side, side),
                "reveal_plot": panel}
    return None
