"""The quiz's screens as visitors see them: the start card, a question, the reveal and the
summary, drawn where quiz_layout puts them on wide, upright and 4:3 kiosk screens (quiz.py
holds the game, this module only draws it). Every word goes through the typography layer's `place`, so the
kiosk checks see it."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING

import pygame

from ..words import words
from . import quiz_draw as draw
from . import quiz_explain as explain_words
from . import quiz_upright as upright
from .layout import hang, upright_layout
from .phrasing import phrased_block
from .quiz_draw import colours
from .quiz_layout import geometry, pair_words, side_word, stacked
from .quiz_pair import pair_half, pair_pictures
from .style import fade

if TYPE_CHECKING:
    from .quiz import QuizScene

PAPER = (250, 248, 244)  # the answer buttons' words
# Upright, a spectrum's curve shorter than this (design px) is left out for the words.
LEAST_PLOT = 120
MOST_CAPTION_LINES = 2  # a picture's label, as a museum hangs one under a print


def shown_percent(probability: float) -> int:
    """A verdict's probability as the visitor reads it, 1-99%: a statistical model is never
    certain, and the show must not say it is (a cross-fitted verdict on a few items reads
    0.9999, and the reveal said "100% sure" of a machine that is right half the time)."""
    return int(min(99, max(1, round(100 * probability))))


def draw_attract(scene: QuizScene, surface: pygame.Surface) -> None:
    f = scene.context.fonts
    fg, accent, dim = colours(scene)
    w, h = surface.get_size()
    previews = [scene.items[k] for k in scene.previews()]
    gap = f.px(20)
    # One row, unless two rows of two show them larger: upright, four in a row of a quarter
    # of the height each ran off both edges of the screen. Two rows of 0.19 of the height
    # end above the heading at 0.47.
    count = max(len(previews), 1)
    in_one_row = min(round(h * 0.26), (round(w * 0.92) - (count - 1) * gap) // count)
    in_two_rows = min(round(h * 0.19), (round(w * 0.84) - gap) // 2)
    if count > 2 and in_two_rows > in_one_row:
        columns, side, top = 2, in_two_rows, round(h * 0.06)
    else:
        columns, side, top = count, in_one_row, round(h * 0.14)
    side = min(side, scene.largest_picture())
    for i, p in enumerate(previews):
        row, column = divmod(i, columns)
        in_row = min(columns, len(previews) - row * columns)
        x0 = (w - in_row * side - (in_row - 1) * gap) // 2
        rect = pygame.Rect(x0 + column * (side + gap), top + row * (side + gap), side, side)
        draw.picture(surface, scene.picture_of(p, rect.width), rect)
    heading = f.block(scene.config.heading, "serif", 92, fg, round(w * 0.8), align="center")
    box = f.place(surface, heading, ((w - heading.get_width()) // 2, round(h * 0.47)))
    if scene.problem and not scene.can_play():
        # Visitors read that the quiz is resting, where the invitation stands (under the
        # invitation, "Which face is a photograph of a real person? ..." asked them to play
        # a game that was not there); why goes to the log, status and `bayard check`.
        note = f.block(words("quiz.no_pictures"), "serif-light", 40, fg, round(w * 0.8), align="center")
        f.place(surface, note, ((w - note.get_width()) // 2, box.bottom + f.px(24)))
        return
    # "You against the machine" only where there is one worth playing against: off, or at
    # chance on these items (its cross-fit), the invitation says so instead.
    mode = "pair" if scene.config.mode == "pair" else "single"
    against = "" if scene.detector is not None and not scene.machine_at_chance else (
        "_alone" if scene.detector is None else "_unsure")
    sub = words(f"quiz.invite_{mode}{against}")
    line = f.block(sub, "serif-light", 40, fg, round(w * 0.8), align="center")
    box = f.place(surface, line, ((w - line.get_width()) // 2, box.bottom + f.px(24)))
    button = pygame.Rect(0, 0, f.px(520), f.px(120))
    button.top = max(box.bottom + f.px(40), round(h * 0.84) - button.height // 2)
    glow = draw.pulse(scene.t)
    fill = tuple(round(a * (0.85 + 0.15 * glow)) for a in accent)
    button.centerx = w // 2
    draw.button(surface, f, button, words("quiz.play"), fill, (20, 18, 16), 44)
    if scene.detector is None:
        note = f.line(words("quiz.machine_off"), "sans", 30, fg, tier="small")
        f.place(surface, note, ((w - note.get_width()) // 2, button.bottom + f.px(24)))


def draw_question(scene: QuizScene, surface: pygame.Surface) -> None:
    f = scene.context.fonts
    fg, accent, dim = colours(scene)
    g = geometry(scene)
    question = scene.round[scene.index]
    appear = fade(scene.state_t, 0.0, None, 0.5)
    if scene.config.mode == "single":
        shown = g["single_image"]
        draw.picture(surface, scene.picture_of(scene.items[question[0].key], shown.width), shown)
        col = g["column"]
        score = f.block(scene.score_line(), "sans", 26, dim, col.width)
        f.place(surface, score, (col.x, hang(f, score, col.y)))  # its capitals on the grid's top line
        # In phrases, as a museum sets a question (greedy, 4:3 read "A real photograph, or /
        # generated by / a computer?").
        prompt = phrased_block(f, words("quiz.ask_single"), "serif", 58, fg, col.width)
        prompt_y = col.y + max(f.px(70), score.get_height() + f.px(20))
        f.place(surface, prompt, (col.x, prompt_y), alpha=appear)
        # White words on these fills read at 5:1 and more (4.5:1 is the kiosk floor).
        draw.button(surface, f, g["button_real"], words("quiz.answer_real"), (60, 112, 150), PAPER, 44)
        draw.button(surface, f, g["button_fake"], words("quiz.answer_fake"), (176, 70, 56), PAPER, 44)
    else:
        score, prompt, hint = pair_words(scene)
        f.place(surface, score, g["pair_score"].topleft)
        f.place(surface, prompt, g["pair_prompt"].topleft, alpha=appear)
        for item, key in zip(question, ("pair_left", "pair_right"), strict=True):
            draw.picture(surface, scene.picture_of(scene.items[item.key], g[key].width), g[key])
        f.place(surface, hint, g["pair_hint"].topleft)


def _machine_words(scene: QuizScene, question, explained, record, g) -> str:
    """What the reveal says of the machine's answer."""
    if record["machine_correct"] is None:
        return words("quiz.machine_off")
    verdict = explained.verdict
    word = words("quiz.said_fake" if verdict.fake else "quiz.said_real")
    if scene.config.mode == "pair":
        picked = scene.machine_answer(question)
        side = side_word(g, question[0].key == picked)
        if getattr(explained.explanation, "coin", False):
            return words("quiz.machine_unsure_pair", side=side)
        return words("quiz.machine_said_pair", side=side, kind=words(f"quiz.kind_{explained.item.kind}"),
                     percent=shown_percent(verdict.probability))
    if getattr(explained.explanation, "unsure", False):
        return words("quiz.machine_unsure", word=word)
    return words("quiz.machine_said", word=word, percent=shown_percent(verdict.confidence))


def _plan(scene: QuizScene) -> SimpleNamespace:
    """The reveal measured and arranged, before anything is drawn (draw_reveal, reveal_boxes)."""
    f = scene.context.fonts
    fg, accent, dim = colours(scene)
    g = geometry(scene)
    question = scene.round[scene.index]
    record = scene.history[-1]
    col = g["reveal_column"]
    if scene.config.mode == "single":
        explained = scene.items[question[0].key]
        truth_text = words(f"quiz.truth_{explained.item.kind}")
        said = words("quiz.said_real" if scene.answer == "real" else "quiz.said_fake")
    else:
        explained = scene.items[next(i for i in question if i.truth == "fake").key]
        truth_text = words("quiz.truth_pair_right" if record["correct"] else "quiz.truth_pair_wrong")
        said = words("quiz.said_side", side=side_word(g, question[0].key == scene.answer))
    # The words, measured first: upright they go under the machine's panel, which takes only
    # the room they leave (on a square screen the panel and its caption, at their fixed
    # share of the height, pushed the verdict over the credit, or the eyes' sentence ran
    # over the verdict).
    headline = f.block(truth_text, "serif-semibold", 50, fg, col.width)
    you = f.block(words("quiz.you_said", said=said), "sans", 32, fg, col.width - f.px(60))
    machine_text = _machine_words(scene, question, explained, record, g)
    machine = f.block(machine_text, "sans", 32, fg, col.width - f.px(60))
    flow_h = headline.get_height() + f.px(30) + you.get_height() + f.px(20) + machine.get_height() + f.px(28)
    # bottom up: the button, the score, the credit; the explanation only where it fits
    nxt = pygame.Rect(col.x, col.bottom - f.px(84), col.width, f.px(84))
    score = f.block(scene.score_line(), "sans-semibold", 30, accent, col.width, tier="small")
    limit = nxt.y - f.px(32) - score.get_height()
    credit = explained.item.credit if scene.config.mode == "single" else ""
    block = None
    if credit:
        # In the accent, as every other credit in the show (grey, it read as a note).
        block = f.block(credit, "sans", 30, accent, col.width, tier="small")
        limit -= block.get_height()
    words_below = col.y > g["reveal_plot"].y  # upright: the words under the panel, not beside it
    latest = (limit - f.px(16 if credit else 0)) - flow_h  # where the words must begin, at the latest
    explanation = explained.explanation
    eyes = explanation is not None and getattr(explanation, "cue", "spectrum") == "pixels"
    plot, moved = None, None
    if explanation is not None:
        whose = explain_words.picture_caption(explanation, scene.config.mode == "pair", explained.item.kind)

        def caption_for(width: int) -> pygame.Surface:
            # Under the picture and no wider than it, as a label is hung under a print (on a
            # 4:3 screen "the generated one's noise spectrum" ran into the words beside it;
            # upright, "where the machine looked" ran past the picture's edge). A label is
            # two lines at most: under a narrower map the short one (and the pictures take
            # the room a third line took).
            text = whose
            if (scene.config.mode == "single" and getattr(explanation, "picture", None) is not None
                    and len(f.wrap(whose, "sans", 22, width, "small")) > MOST_CAPTION_LINES):
                text = words("quiz.picture_single_narrow")
            return f.block(text, "sans", 22, dim, width, tier="small")

        if words_below:
            least_account = draw.account_least(f, explained, fg, col.width) if eyes else 0
            plot = upright.row(f, g, caption_for(g["reveal_spectrum"].width).get_height(), latest, least_account,
                               explanation, eyes)
            least = upright.least_tile(scene.context.size)
            if eyes and upright.tile_in(f, plot, explanation) < least:
                # (the row leaves the eyes too small: the pictures one above the other, the eyes beside)
                def image_height(side: int) -> int:  # (a pair's faces take only the height they need)
                    if scene.config.mode == "single" or not stacked(g):
                        return side
                    return 2 * pair_half(scene, pygame.Rect(0, 0, side, side), question) + f.px(12)

                moved = upright.beside(f, g, lambda width: caption_for(width).get_height(),
                                       latest - f.px(30) - least_account, explanation, least, image_height)
                if moved is not None:
                    g = {**g, **moved}
                    plot = moved["reveal_plot"]
    else:
        caption_for = None
    return SimpleNamespace(g=g, question=question, record=record, col=col, explained=explained, headline=headline,
                           you=you, machine=machine, nxt=nxt, score=score, limit=limit, block=block,
                           words_below=words_below, latest=latest, explanation=explanation, eyes=eyes, plot=plot,
                           moved=moved, caption_for=caption_for)


def reveal_boxes(scene: QuizScene) -> dict[str, pygame.Rect]:
    """The reveal's boxes as drawn: the layout's (quiz_layout.geometry), with the pictures
    and the machine's panel where an upright screen moves them for the eyes."""
    plan = _plan(scene)
    return {**plan.g, "reveal_plot": plan.plot} if plan.plot is not None else plan.g


def draw_reveal(scene: QuizScene, surface: pygame.Surface) -> None:
    f = scene.context.fonts
    fg, accent, _ = colours(scene)
    p = _plan(scene)
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
        if plot is None:  # beside the words: the panel under the pictures, down to the column's foot
            plot = g["reveal_plot"].copy()
            below = max(f.px(24), box.bottom + f.px(8) - plot.y)
            plot.y += below
            plot.height -= below
        if eyes:
            # the face detector: its curve would not be what weighed; show the eyes instead
            # (where not even their sentence fits, the panel is left out: the words come first)
            least = draw.eyes_panel_least(f, plot.width, explanation)
            if not words_below or plot.height >= least:
                draw.eyes_panel(surface, f, plot, explanation, fg)
                reached = max(reached, plot.y + max(plot.height, least))
        elif not words_below or plot.height >= f.px(LEAST_PLOT):
            draw.curve_plot(surface, f, plot, explanation, fg, accent)
            reached = max(reached, plot.bottom)
        if words_below:  # (under pictures moved aside for the eyes, straight under them: the account's room)
            y = reached + f.px(30) if moved is not None else max(reached + f.px(30), min(col.y, latest))
    # the words: beside the pictures, the first capitals on the grid's top line
    if not words_below:
        y = hang(f, headline, col.y)
    f.place(surface, headline, (col.x, y))
    y += headline.get_height() + f.px(30)
    draw.tick(surface, (col.x + f.px(20), y + f.px(20)), f.px(36), record["correct"])
    f.place(surface, you, (col.x + f.px(56), y))
    y += you.get_height() + f.px(20)
    if record["machine_correct"] is not None:
        draw.tick(surface, (col.x + f.px(20), y + f.px(20)), f.px(36), bool(record["machine_correct"]))
    f.place(surface, machine, (col.x + f.px(56), y))
    y += machine.get_height() + f.px(28)
    if block is not None:
        f.place(surface, block, (col.x, limit))
        limit -= f.px(16)
    if explanation is not None:
        fitted = draw.account(f, explained, fg, col.width, limit - y)
        if fitted is not None:
            f.place(surface, fitted, (col.x, y))
    # Bottom up, by measured height: the button, then the score line above it.
    f.place(surface, score, (col.x, nxt.y - f.px(16) - score.get_height()))
    last = scene.index + 1 >= len(scene.round)
    draw.button(surface, f, nxt, words("quiz.finish" if last else "quiz.next"), (60, 58, 66), fg, 32)


def draw_summary(scene: QuizScene, surface: pygame.Surface) -> None:
    f = scene.context.fonts
    fg, accent, dim = colours(scene)
    w, h = surface.get_size()
    n = len(scene.round)
    machine = (
        words("quiz.summary_machine", machine=scene.machine_score, total=n)
        if scene.machine_playing
        else words("quiz.summary_machine_off")
    )
    left = round(w * 0.06)
    heading = f.block(words("quiz.summary", you=scene.visitor_score, total=n, machine=machine),
                      "serif-semibold", 60, fg, w - 2 * left)
    f.place(surface, heading, (left, round(h * 0.07)))
    again = pygame.Rect(left, round(h * 0.88), round(w * 0.3), f.px(90))
    # The card on how to spot a generated face: beside the answers, or below them on a
    # screen turned upright (beside them there, the answers wrapped a word to a line).
    tall = upright_layout((w, h))
    # Upright, the answers follow the heading closely: the card below them needs the room
    # (at 0.2 of the height, two of its six tips were left out at the kiosk minimum).
    below_heading = round(h * 0.07) + heading.get_height() + f.px(30)
    top = below_heading + f.px(20) if tall else max(round(h * 0.2), below_heading)
    thumb = round(min(h * 0.105, w * 0.1))
    # Per question: thumbnail(s) and what other visitors did. When nobody else has answered
    # any of them, that is said once below the list (on every row, five times over, it
    # read as a fault).
    def answered_of(record) -> int:
        key = record["question"][0].key
        return scene.stats.items.get(key, {}).get("answered", 0) if scene.stats else 0

    nobody_else = all(answered_of(record) <= 1 for record in scene.history)
    # Upright as wide as the screen's column (at 0.55 of it a short sentence broke in two);
    # beside the widest card never under it (0.55 of the width reached past its edge at 0.52).
    said_width = w - 2 * left if tall else min(round(w * 0.55), round(w * 0.95) - round(w * 0.43) - f.px(16)) - left
    first_line = (f.block(words("quiz.first_answers"), "sans", 28, fg, said_width, tier="small")
                  if nobody_else and scene.history else None)
    def said_of(record, x: int, text_right: int) -> pygame.Surface | None:
        share = scene.stats.share_correct(record["question"][0].key) if scene.stats else None
        answered = answered_of(record)
        if nobody_else:
            others = ""
        elif share is None or answered <= 1:  # the only answer so far is this visitor's own
            others = words("quiz.first_answer")
        else:
            others = words("quiz.others", percent=round(share * 100), answers=answered)
        if len(record["question"]) == 1:
            truth = words(f"quiz.was_{record['question'][0].kind}")
            others = f"{truth} {others}".strip()
        return f.block(others, "sans", 28, fg, text_right - (x + f.px(60)), tier="small") if others else None

    # Each row as tall as its words where they take more lines than the thumbnail is high
    # (on a 5:4 screen what other visitors did took three lines, and ran over the next
    # row); beside the card, the card narrows (down to a third of the width) before the
    # rows would run into the button below them.
    room = again.y - f.px(12) - top - (first_line.get_height() + f.px(6) if first_line else 0)
    for card_share in (0.43,) if tall else (0.43, 0.4, 0.37, 0.34):
        # (0.43 of the width: with tips at the kiosk minimum, a third of it held four of six.)
        card_x = round(w * 0.95) - round(w * card_share)
        text_right = w - left if tall else card_x - f.px(40)
        rows = []
        for record in scene.history:
            x = left + len(record["question"]) * (thumb + f.px(8))
            said = said_of(record, x, text_right)
            rows.append((record, x, said, max(thumb, said.get_height() if said is not None else 0)))
        rows_h = sum(row_h + f.px(14) for *_, row_h in rows)
        if rows_h <= room:
            break
    rows_h += first_line.get_height() + f.px(6) if first_line else 0
    if tall:
        card = pygame.Rect(left, top + rows_h + f.px(30), w - 2 * left, 0)
        card.height = again.y - f.px(30) - card.y
    else:
        card = pygame.Rect(card_x, top, round(w * 0.95) - card_x, again.bottom - top)
    y = top
    for record, x, said, row_h in rows:
        for n, item in enumerate(record["question"]):
            rect = pygame.Rect(left + n * (thumb + f.px(8)), y + (row_h - thumb) // 2, thumb, thumb)
            draw.picture(surface, scene.picture_of(scene.items[item.key], rect.width), rect)
        draw.tick(surface, (x + f.px(24), y + row_h // 2), f.px(34), record["correct"])
        if said is not None:
            f.place(surface, said, (x + f.px(60), y + (row_h - said.get_height()) // 2))
        y += row_h + f.px(14)
    if first_line is not None and y + first_line.get_height() < again.y - f.px(12):
        f.place(surface, first_line, (left, y + f.px(6)))
    title = f.block(words("quiz.tips_title"), "serif-semibold", 38, accent, card.width - f.px(60))
    # As many tips as the card holds, in order, at a size a kiosk can read (the five
    # default tips once ran off the card and the bottom of the screen); the card is as
    # tall as what it holds.
    room = card.height - f.px(30 + 20 + 24) - title.get_height()
    tips = []
    for tip in scene.config.tips:
        block = f.block(tip, "sans", 25, fg, card.width - f.px(80), tier="small")
        if block.get_height() > room:
            break
        tips.append(block)
        room -= block.get_height() + f.px(16)
    if tips:  # (a screen too small for even one: no card)
        card.height -= max(0, room)
        pygame.draw.rect(surface, (30, 28, 34), card, border_radius=f.px(16))
        cy = card.y + f.px(30)
        f.place(surface, title, (card.x + f.px(30), cy))
        cy += title.get_height() + f.px(20)
        # Each bullet centred on its tip's first line's lower-case letters (at a fixed
        # 15 px down it stood at the capitals' tops once the type was raised to the kiosk
        # minimum).
        tip_font = f.get("sans", 25, "small")
        bullet_drop = tip_font.get_ascent() - tip_font.metrics("x")[0][3] // 2
        for block in tips:
            pygame.draw.circle(surface, accent, (card.x + f.px(40), cy + bullet_drop), f.px(5))
            f.place(surface, block, (card.x + f.px(56), cy))
            cy += block.get_height() + f.px(16)
    draw.button(surface, f, again, words("quiz.again"), accent, (20, 18, 16), 36)
