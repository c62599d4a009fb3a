"""The quiz's reveal as visitors see it (the start card and a question are quiz_asking's, the
summary quiz_summary's), drawn where quiz_reveal_plan arranges it on wide, upright and 4:3 kiosk
screens (quiz.py holds the game, this module only draws it). Every word goes through the
typography layer's `place`, so the kiosk checks see it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from ..words import words
from . import quiz_draw as draw
from .layout import hang
from .quiz_draw import colours
from .quiz_pair import pair_pictures
from .quiz_reveal_plan import plan

if TYPE_CHECKING:
    from .quiz import QuizScene

# Upright, a spectrum's curve shorter than this (design px) is left out for the words.
LEAST_PLOT = 120


def draw_reveal(scene: QuizScene, surface: pygame.Surface) -> None:
    f = scene.context.fonts
    fg, accent, _ = colours(scene)
    p = plan(scene)
    g, question, record, col, explained, explanation = p.g, p.question, p.record, p.col, p.explained, p.explanation
    headline, you, machine, nxt, score, limit, block = p.headline, p.you, p.machine, p.nxt, p.score, p.limit, p.block
    words_below, latest, eyes, plot, moved = p.words_below, p.latest, p.eyes, p.plot, p.moved
    caption_for = p.caption_for
    if scene.config.mode == "single":
        draw.picture(surface, scene.picture_of(explained, g["reveal_image"].width), g["reveal_image"])
    else:
        pair_pictures(scene, surface, g, question)
    y = col.y
    # what the detector saw
    if explanation is not None:
        spectrum_rect = g["reveal_spectrum"]
        draw.picture(surface, scene.cue_picture(explained, spectrum_rect.width), spectrum_rect)
        box = f.place(surface, caption_for(spectrum_rect.width), (spectrum_rect.x, spectrum_rect.bottom + f.px(4)))
        reached = box.bottom
        if eyes:
            # the face detector: its curve would not be what weighed; show the eyes instead
            # (where not even their sentence fits, the panel is left out: the words come first)
            least = draw.eyes_panel_least(f, plot.width, explanation)
            if not words_below or plot.height >= least:
                draw.eyes_panel(surface, f, plot, explanation, fg, p.tile, p.lead)
                reached = max(reached, plot.y + max(plot.height, least))
        elif not words_below or plot.height >= f.px(LEAST_PLOT):
            draw.curve_plot(surface, f, plot, explanation, fg, accent)
            reached = max(reached, plot.bottom)
        if words_below:  # (under the verdict beside the picture, straight under the panel: the account's room)
            y = reached + f.px(30) if moved is not None else max(reached + f.px(30), min(col.y, latest))
    # the words: beside the pictures (or upright beside the picture alone), the first
    # capitals on the grid's top line, the picture's top
    beside = g.get("reveal_verdict")
    x, top = (beside.x, hang(f, headline, beside.y)) if beside is not None else (col.x, y)
    if not words_below:
        top = hang(f, headline, col.y)
    machine_box = g.get("reveal_machine")
    top = _verdict(scene, surface, (headline, you, machine), record, x, top,
                   machine_box.topleft if machine_box is not None else None)
    if beside is None:
        y = top
    if block is not None:
        f.place(surface, block, (col.x, limit))
        limit -= f.px(16)
    if explanation is not None:
        fitted = draw.account(f, explained, fg, col.width, limit - y)
        if fitted is not None:
            f.place(surface, fitted, (col.x, y))
    # Bottom up, by measured height: the button, then the score line above it.
    f.place(surface, score, p.score_at)
    last = scene.index + 1 >= len(scene.round)
    draw.button(surface, f, nxt, words("quiz.finish" if last else "quiz.next"), (60, 58, 66), fg, 32)


def _verdict(scene: QuizScene, surface: pygame.Surface, blocks, record, x: int, y: int,
             machine_at: tuple[int, int] | None = None) -> int:
    """The headline, then what the visitor and the machine said, each after its tick, from
    (x, y) down, the machine's from `machine_at` where it is set apart: where the words below
    them may begin."""
    f = scene.context.fonts
    headline, you, machine = blocks
    f.place(surface, headline, (x, y))
    y += headline.get_height() + f.px(30)
    draw.tick(surface, (x + f.px(20), y + f.px(20)), f.px(36), record["correct"])
    f.place(surface, you, (x + f.px(56), y))
    y += you.get_height() + f.px(20)
    if machine_at is not None:
        x, y = machine_at
    if record["machine_correct"] is not None:
        draw.tick(surface, (x + f.px(20), y + f.px(20)), f.px(36), bool(record["machine_correct"]))
    f.place(surface, machine, (x + f.px(56), y))
    return y + machine.get_height() + f.px(28)
