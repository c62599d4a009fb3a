"""The pair's two faces on the reveal: small where the one picture goes, the real one
outlined, each labelled (quiz_screens draws the rest of the reveal)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from ..words import words
from . import quiz_draw as draw
from .quiz_draw import colours
from .quiz_layout import geometry, stacked

if TYPE_CHECKING:
    from .quiz import QuizScene


# Design px: the least side of each face of a stacked pair on the reveal, its label beside it
# reaching past the picture's box where the box is narrower than both.
LEAST_PAIR = 64


REAL_BORDER = 5  # the real face's outline, in 1080p pixels, drawn outside its picture
# Design px between an upright reveal's faces set side by side (quiz_upright.pair_band): the
# gutter a gallery leaves between two prints hung as a pair, the real one's outline well
# clear of the other.
ACROSS_GAP = 24


def pair_gap(f) -> int:
    """The room between a pair's faces: at least the real one's outline twice over, so the
    outline stands clear of the other face (at 800x480 a 6 px gap held a 6 px outline, which
    covered it and ran into the generated face)."""
    return max(f.px(12), 2 * f.px(REAL_BORDER))


def across_gap(f) -> int:
    """The room between a pair's faces set side by side in a reveal's band: ACROSS_GAP, and
    never less than pair_gap (at 800x480, 10 px held the real face's 6 px outline, which ran
    into the other face)."""
    return max(f.px(ACROSS_GAP), pair_gap(f))


def faces_across(box: pygame.Rect) -> bool:
    """Whether a reveal sets the pair's faces side by side in `box`, their labels under them
    (quiz_upright.pair_band, upright and on a landscape screen): a box wider than tall.
    (Stacked beside the verdict, the faces' box is taller than wide.)"""
    return box.width > box.height


def label_under(scene: QuizScene, question) -> int:
    """The height the labels under a pair's faces take, with the gap above them."""
    f = scene.context.fonts
    return f.px(8) + max(f.line(words(f"quiz.label_{item.kind}"), "sans-semibold", 24, colours(scene)[0]).get_height()
                         for item in question)


def pair_half(scene: QuizScene, box: pygame.Rect, question) -> int:
    """The side of each face of a pair shown in `box`: one above the other (as the question
    stacked them), they leave their labels room beside them; side by side in an upright
    reveal's band, under them."""
    f = scene.context.fonts
    if faces_across(box):
        return min((box.width - across_gap(f)) // 2, box.height - label_under(scene, question))
    half = box.height // 2 - pair_gap(f) // 2
    if stacked(geometry(scene)):
        # (never under LEAST_PAIR: where the pictures are small, as a gallery's own may be, the
        # labels beside left a 2160x3840 screen's faces less than nothing, and the reveal failed)
        half = min(half, max(box.width - label_room(scene, question), f.px(LEAST_PAIR)))
    return half


def label_room(scene: QuizScene, question) -> int:
    """The width the labels beside a stacked pair take, with the gap before them."""
    f = scene.context.fonts
    return f.px(12) + max(f.line(words(f"quiz.label_{item.kind}"), "sans-semibold", 24, colours(scene)[0]).get_width()
                          for item in question)


def pair_pictures(scene: QuizScene, surface: pygame.Surface, g, question) -> None:
    """Both faces of a pair small where the one picture goes, the real one outlined; one
    above the other, labelled beside, when the question stacked them (but side by side,
    labelled under, in an upright reveal's band: the upper one at the left)."""
    f = scene.context.fonts
    across = faces_across(g["reveal_image"])
    one_above = stacked(g) and not across
    half = pair_half(scene, g["reveal_image"], question)
    gap = across_gap(f) if across else pair_gap(f)
    label_y = g["reveal_image"].y + half + f.px(8)
    label_end = -1  # where the last label ends: a long one ("GENERATED") under a small
    # picture reaches under the next, whose label then goes a line lower
    for n, item in enumerate(question):
        step = n * (half + gap)
        rect = pygame.Rect(g["reveal_image"].x + (0 if one_above else step),
                           g["reveal_image"].y + (step if one_above else 0), half, half)
        draw.picture(
            surface,
            scene.picture_of(scene.items[item.key], rect.width),
            rect,
            border=(132, 208, 140) if item.truth == "real" else None,
            width=f.px(REAL_BORDER),
        )
        label = f.line(
            words(f"quiz.label_{item.kind}"),
            "sans-semibold",
            24,
            (132, 208, 140) if item.truth == "real" else (230, 110, 96),
        )
        if one_above:
            f.place(surface, label, (rect.right + f.px(12), rect.y))
            continue
        # Never past the pair's own edge (at 1280x1024 "GENERATED" ran under the
        # machine's picture beside it): a long label ends where its picture ends.
        x = min(rect.x, g["reveal_image"].right - label.get_width())
        if x <= label_end + f.px(8):
            label_y += label.get_height() + f.px(4)
        f.place(surface, label, (x, label_y))
        label_end = x + label.get_width()
