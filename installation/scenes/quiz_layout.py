"""Where the quiz's pictures, words and buttons go on a screen of any shape: the question on
the show's grid (layout.py), a pair side by side or one above the other, the reveal's
pictures, the machine's panel and the words beside or below them. quiz_screens draws there;
the scene's touch targets are these same boxes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from ..words import words
from .layout import GRID_SHARE, giving_way, hung_in, picture_and_column, portrait_screen, upright_layout
from .quiz_draw import colours

if TYPE_CHECKING:
    from .quiz import QuizScene


# Upright, where the words leave room, the answer buttons grow to this height (design px).
UPRIGHT_BUTTON = 170
# Upright, the reveal's picture takes this part of its row with the machine's map (design rule:
# the picture asked about is the largest thing on the reveal).
FACE_PART = 0.56
# The pair question's words keep this share of the width from each edge of the screen.
PAIR_MARGIN = 0.06
# On a square screen (1:1 LED walls, totems) a pair's reveal gives its pictures' box the width
# its words' column can spare down to this many ems of the answers' type (sans 32), about 21
# characters a line: at the grid's share the box, 0.44 of the width, held two faces over a map
# and the eyes, and each eye was 122 px at 1024x1024 beside its sentence in nine lines; a
# square screen sets its type by its width, so the words took the same share as on a landscape
# screen of half again the width. At 11 ems the column's lines held 16 characters and four of
# a round's five reveals lost the machine's account for want of its height.
SQUARE_PAIR_MEASURE = 12
# Never more than this share of the width.
SQUARE_PAIR_MOST = 0.56


def pair_words(scene: QuizScene) -> tuple[pygame.Surface, pygame.Surface, pygame.Surface]:
    """The pair question's score line, prompt and hint, set as wide as the screen's margins
    allow (wrapped, never run off it): geometry() measures them to place the pair below
    and above them, quiz_screens draws these same surfaces."""
    w = scene.context.size[0]
    f = scene.context.fonts
    fg, _, dim = colours(scene)
    width = w - 2 * round(w * PAIR_MARGIN)
    return (f.block(scene.score_line(), "sans", 26, dim, width),
            # (centred lines are set even by the wrap; close, as the single question's are)
            f.block(words("quiz.ask_pair"), "serif", 60, fg, width, align="center"),
            f.block(words("quiz.hint_pair"), "sans", 28, dim, width, align="center"))


def geometry(scene: QuizScene, reveal_share: float | None = None) -> dict[str, pygame.Rect]:
    """Every box of the quiz's screens; `reveal_share`, the reveal's pictures' part of a
    near-square landscape screen's width where the round widens it (quiz_reveal_share)."""
    w, h = scene.context.size
    f = scene.context.fonts
    g: dict[str, pygame.Rect] = {}
    # No picture is drawn larger than this (twice the smallest picture's own pixels): it
    # would only be softer, not show more.
    largest = scene.largest_picture()
    # A screen turned upright (or nearly square) stacks picture over words: side by side,
    # its words ran off the screen and over one another.
    tall = upright_layout((w, h))
    # buttons: at least ~12 mm high on a 1080p 55" screen (~1.6 px/mm); far larger here
    button_h = max(f.px(120), 44)
    # On the show's grid (layout.GRID_SHARE), as every scene's picture and words: the face
    # hangs on the picture box's top line, the score's capitals on the column's; upright (or
    # nearly square) the face above the column, which is as wide as the screen allows.
    # Upright the question kept a layout of its own (its face 0.05 of the height down, its
    # words below wherever the face ended): walking from the portrait to the quiz, the
    # words jumped. Where the question and both buttons would not fit under the face (a
    # near-square screen), the face gives way, as any scene's picture gives way to its words.
    question_and_buttons = f.px(270) + 2 * button_h + f.px(30)
    box, g["column"], _ = giving_way(lambda share: picture_and_column((w, h), share, upright=tall), GRID_SHARE,
                                     lambda column: question_and_buttons, least=0.2)
    side = max(min(box.width, box.height, largest), 64)
    g["single_image"] = hung_in(box, (side, side))
    column_x, column_w = g["column"].x, g["column"].width
    if tall:
        # Upright, the buttons stand on the grid's bottom line, the foot every scene's
        # credit stands on; under the words, they left a fifth of a 1080x1920 screen empty
        # below them. Where the words leave room they are taller, easier to reach and hit.
        room = g["column"].bottom - (g["column"].y + f.px(270))
        button_h = max(button_h, min(f.px(UPRIGHT_BUTTON), (room - f.px(30 + 60)) // 2))
        buttons_y = g["column"].bottom - 2 * button_h - f.px(30)
    else:
        buttons_y = round(h * 0.56)
    g["button_real"] = pygame.Rect(column_x, buttons_y, column_w, button_h)
    g["button_fake"] = pygame.Rect(column_x, g["button_real"].bottom + f.px(30), column_w, button_h)
    # The pair: the score and the prompt above it, the hint below, each where its measured
    # height puts it (the prompt at a fixed 0.1 of the height, the score's second line ran
    # through it on a 4:5 screen, where the score was only as wide as the pair).
    score, prompt, hint = pair_words(scene)
    margin = round(w * PAIR_MARGIN)
    score_y = round(h * 0.05)
    prompt_y = max(round(h * 0.1), score_y + score.get_height() + f.px(16))
    below_prompt = prompt_y + prompt.get_height() + f.px(30)
    hint_room = max(f.px(90), hint.get_height() + f.px(30))
    pair_side = min(round(h * 0.62), round(w * 0.40))
    gap = round(w * 0.04)
    top = max(round(h * 0.24), below_prompt)
    side_by_side = min(pair_side, largest, round(h * 0.96) - top - hint_room)
    # Upright, one face above the other is far larger than two side by side (704 px
    # against 432 on 1080x1920, where the lower half stood empty); on a near-square
    # screen side by side stays larger, so the larger wins.
    stack_top = max(round(h * 0.16), below_prompt)
    stack_gap = round(h * 0.02)
    stacked = min(round(w * 0.84), (round(h * 0.96) - stack_top - hint_room - stack_gap) // 2)
    if tall and stacked > pair_side:
        stacked = min(stacked, largest)
        x = (w - stacked) // 2
        g["pair_left"] = pygame.Rect(x, stack_top, stacked, stacked)
        g["pair_right"] = pygame.Rect(x, stack_top + stacked + stack_gap, stacked, stacked)
    else:
        left_x = (w - 2 * side_by_side - gap) // 2
        g["pair_left"] = pygame.Rect(left_x, top, side_by_side, side_by_side)
        g["pair_right"] = pygame.Rect(left_x + side_by_side + gap, top, side_by_side, side_by_side)
    # The score begins on the pair's left edge, as far right as its words still end inside
    # the margin.
    score_x = max(margin, min(g["pair_left"].x, w - margin - score.get_bounding_rect().right))
    g["pair_score"] = pygame.Rect(score_x, score_y, score.get_width(), score.get_height())
    g["pair_prompt"] = pygame.Rect(margin, prompt_y, prompt.get_width(), prompt.get_height())
    lowest = max(g["pair_left"].bottom, g["pair_right"].bottom)
    g["pair_hint"] = pygame.Rect(margin, lowest + f.px(30), hint.get_width(), hint.get_height())
    # reveal: the pictures and what the machine saw in the grid's picture box, the words in
    # its column, where the question's were (they began 120 px further right at 1080p, on
    # no other scene's line). Only a screen taller than wide stacks them: on a square one
    # the pictures filled half the width and the words ran under them, the right half
    # empty; side by side, the panel has room for the eyes and the words for the account.
    between = f.px(24)
    if portrait_screen((w, h)):
        box, column = picture_and_column((w, h), upright=True)
        frame = pygame.Rect(column.x, box.y, column.width, 0)
        small = min((frame.width - between) // 2, round(h * 0.24), largest)
    else:
        frame, column = box, g["column"]
        if tall:  # (the question stacked them)
            frame, column = picture_and_column((w, h), upright=False)
            if scene.config.mode == "pair" and w >= h:
                frame, column = picture_and_column((w, h), _square_pair_share(f, w), upright=False)
        elif reveal_share is not None:
            frame, column = picture_and_column((w, h), reveal_share, upright=False)
        small = min((frame.width - between) // 2, round(h * 0.44), largest)
    top = frame.y
    g["reveal_image"] = pygame.Rect(frame.x, top, small, small)
    g["reveal_spectrum"] = pygame.Rect(g["reveal_image"].right + between, top, small, small)
    if portrait_screen((w, h)):
        # The picture the visitor was asked about is the largest thing on the reveal: the
        # wider part of the row (the two alike, it was 0.41 of a 720x1280 screen's width and
        # each eye below it larger still).
        face = min(round((frame.width - between) * FACE_PART), round(h * 0.27), largest)
        g["reveal_image"].size = (face, face)
        side = min(frame.right - face - between - frame.x, face)
        g["reveal_spectrum"] = pygame.Rect(frame.right - side, top, side, side)
    plot_y = max(g["reveal_image"].bottom, g["reveal_spectrum"].bottom) + f.px(30)
    if portrait_screen((w, h)):
        # As wide as the words below (under the two pictures alone, on a 4:5 screen its
        # sentence took four lines and left the eyes no room).
        g["reveal_plot"] = pygame.Rect(frame.x, plot_y, frame.width, round(h * 0.2))
        column_y = g["reveal_plot"].bottom + f.px(30)
        g["reveal_column"] = pygame.Rect(frame.x, column_y, frame.width, round(h * 0.97) - column_y)
    else:
        g["reveal_plot"] = pygame.Rect(frame.x, plot_y, g["reveal_spectrum"].right - frame.x, frame.bottom - plot_y)
        g["reveal_column"] = column.copy()
    return g


def _square_pair_share(fonts, width: int) -> float:
    """The pictures' share of a square screen's width on a pair's reveal: as much as leaves
    the words' column SQUARE_PAIR_MEASURE ems (picture_and_column's margins: 0.04 at each edge
    and between), from the grid's own share up to SQUARE_PAIR_MOST."""
    measure = SQUARE_PAIR_MEASURE * fonts.size("sans", 32)
    return min(SQUARE_PAIR_MOST, max(GRID_SHARE, 0.88 - measure / width))


def stacked(g: dict[str, pygame.Rect]) -> bool:
    """Whether the question shows its pair one above the other (an upright screen)."""
    return g["pair_right"].y > g["pair_left"].y


def side_word(g: dict[str, pygame.Rect], first: bool, across: bool = False) -> str:
    """How the visitor names a picture of a pair: left or right side by side, upper or
    lower when an upright screen stacks them; left or right again where an upright reveal
    sets them side by side (`across`: the upper one at the left), as the screen then shows."""
    if stacked(g) and not across:
        return words("quiz.upper" if first else "quiz.lower")
    return words("quiz.left" if first else "quiz.right")
