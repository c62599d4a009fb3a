"""An upright reveal with its verdict beside the picture, measured (quiz_reveal_plan decides
where the round needs it and measures the reveal first, `_measure`): the picture's largest side
that leaves the map and the eyes their least, the words set to the verdict's column, and the
button and the score under them (quiz_upright.verdict_beside places the boxes)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING

import pygame

from ..words import words
from . import quiz_draw as draw
from . import quiz_upright as upright
from .quiz_layout import stacked
from .quiz_pair import label_room, pair_gap, pair_half

if TYPE_CHECKING:
    from .quiz import QuizScene


def fit_beside(scene: QuizScene, m: SimpleNamespace, largest: int, across: bool = False,
            most_tile: int | None = None, last: bool | None = None) -> SimpleNamespace:
    """The reveal measured in `m` with its verdict beside a picture of `largest` px at most:
    the boxes moved (None where no picture leaves the eyes their least), the words set to
    the verdict's column and the button and score under them; `side`, the picture's. `across`:
    the machine's answer across under the picture and the rest of the verdict; `most_tile`, the
    eyes' largest tile; `last`, whether the reveal is the round's last (its button says so, and
    is wider), by default the reveal now showing."""
    f, g, col, question, verdict, caption_for = m.f, m.g, m.col, m.question, m.verdict, m.caption_for
    nxt, score, score_at, limit = m.nxt, m.score, m.score_at, m.limit
    width = scene.context.size[0]

    def image_height(side: int) -> int:  # (a pair's faces take only the height they need)
        if scene.config.mode == "single" or not stacked(g):
            return side
        return 2 * pair_half(scene, pygame.Rect(0, 0, side, side), question) + pair_gap(f)

    def image_width(side: int) -> int:  # (and only the width their labels need)
        if scene.config.mode == "single" or not stacked(g):
            return side
        return pair_half(scene, pygame.Rect(0, 0, side, side), question) + label_room(scene, question)

    def face_side(side: int) -> int:  # (each of a pair's faces: the map no larger)
        if scene.config.mode == "single" or not stacked(g):
            return side
        return pair_half(scene, pygame.Rect(0, 0, side, side), question)

    # `across`: beside the picture the headline and the visitor's answer; the machine's runs
    # across under them, over the machine's map and eyes it leads to (beside the picture too,
    # at 1080x1920 it read two or three words a line, "The machine / leaned towards /
    # generated, but it / was unsure.", and stood 160 px below the picture).
    def headline_height(width: int, room: int) -> int:
        headline, you, machine = verdict(width, room, col.width if across else None)
        return verdict_height(f, (headline, you, machine)) - (machine.get_height() + f.px(20) if across else 0)

    def machine_height(width: int) -> int:
        return verdict(width, None, width)[2].get_height()

    # The score beside a narrower button where it takes one line beside "Next" (its line above
    # the button is room for the eyes); on the last reveal beside the wider "See how you did"
    # too, in two lines where one is too long: centred on the button, or where two lines stand
    # taller than it, their last on the button's foot. Above a button the whole width, the
    # last reveal's score took a line from its eyes, and the round's eyes, one size, lost it
    # on every reveal: at 1200x1600 a pair round's were 246 px where the others left 309.
    last = scene.index + 1 >= len(scene.round) if last is None else last

    def beside(key: str) -> tuple[pygame.Rect, int]:  # a narrower button and the score's width left of it
        label = f.line(words(key), "sans-semibold", 32, m.fg)
        narrow = pygame.Rect(0, nxt.y, max(f.px(240), label.get_width() + f.px(72)), nxt.height)
        narrow.right = col.right
        return narrow, narrow.x - f.px(30) - col.x

    def lines(width: int) -> int:
        return len(f.wrap(m.score_text, "sans-semibold", 30, width, "small"))

    narrow, beside_width = beside("quiz.finish" if last else "quiz.next")
    if lines(beside("quiz.next")[1]) == 1 and lines(beside_width) <= 2:
        beside_button = f.block(m.score_text, "sans-semibold", 30, m.accent, beside_width, tier="small",
                                balanced=True)
        top = min(narrow.centery - beside_button.get_height() // 2, narrow.bottom - beside_button.get_height())
        limit += score.get_height() + f.px(8) - max(0, narrow.y - top)
        nxt, score, score_at = narrow, beside_button, (col.x, top)
    end = limit - f.px(16 if m.credit else 0) - draw.account_least(f, m.explained, m.fg, col.width) - f.px(30)
    moved, side = upright.verdict_beside(f, width, g, headline_height, lambda side: caption_for(side).get_height(),
                                         end, m.explanation, m.eyes, largest, image_height, image_width,
                                         machine_height if across else None, most_tile, face_side)
    fitted = SimpleNamespace(moved=moved, side=side, g=g, plot=m.plot, headline=m.headline, you=m.you,
                             machine=m.machine, nxt=nxt, score=score, score_at=score_at, limit=limit)
    if moved is not None:
        fitted.headline, fitted.you, fitted.machine = verdict(moved["reveal_verdict"].width,
                                                              moved["reveal_image"].height,
                                                              col.width if across else None)
        fitted.plot = moved["reveal_plot"]
        under = max(fitted.plot.bottom, moved["reveal_spectrum"].bottom + f.px(4)
                    + caption_for(moved["reveal_spectrum"].width).get_height()) + f.px(30)
        fitted.g = {**g, **moved, "reveal_column": pygame.Rect(col.x, under, col.width, col.bottom - under)}
    return fitted


def verdict_height(fonts, blocks) -> int:
    """How tall the headline and the two answers stand, as quiz_screens._verdict sets them."""
    return sum(block.get_height() for block in blocks) + fonts.px(30 + 20)
