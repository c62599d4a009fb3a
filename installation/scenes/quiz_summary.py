"""The quiz's summary as visitors see it: their score and the machine's, each question's
answer and what other visitors did, and the card on how to spot a generated face (quiz.py
holds the game; quiz_screens draws its other screens)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from ..words import words
from . import quiz_draw as draw
from .layout import hang, picture_and_column, upright_layout
from .quiz_draw import colours
from .style import fade

if TYPE_CHECKING:
    from .quiz import QuizScene

# Where the card cannot hold every tip at once, each turn of tips stays this long (read at a
# kiosk, a tip of two lines takes four or five seconds, and a turn holds two to four), or
# less, where more turns than that would outlast the summary (summary_seconds).
TIP_TURN_S = 12.0
# Design px between tips on the card; upright, where that is all that keeps every tip from
# fitting at once, they close up to TIP_GAP_CLOSE (still a third of their line apart).
TIP_GAP = 16
TIP_GAP_CLOSE = 10


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
    again = pygame.Rect(left, round(h * 0.88), round(w * 0.3), f.px(90))
    # The card on how to spot a generated face: beside the answers, or below them on a
    # screen turned upright (beside them there, the answers wrapped a word to a line).
    tall = upright_layout((w, h))
    heading_y = round(h * 0.07)
    if tall:
        # Upright the heading's capitals hang on the grid's top line and the button stands on
        # its foot, as the question's picture and buttons do: the card between needs the room.
        box, column = picture_and_column((w, h), upright=True)
        heading_y, again.bottom = hang(f, heading, box.y), column.bottom
    f.place(surface, heading, (left, heading_y))
    # Upright, the answers follow the heading closely: the card below them needs the room
    # (at 0.2 of the height, two of its six tips were left out at the kiosk minimum).
    below_heading = heading_y + heading.get_height() + f.px(30)
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
    rows_room = again.y - f.px(12) - top - (first_line.get_height() + f.px(6) if first_line else 0)
    shapes = [(0.43, thumb, 1)]
    if tall:
        # Upright the card under the rows holds every tip: the thumbnails give way first,
        # down to a line of the rows' words (at 1024x1280, 102 px thumbnails left the card
        # room for one tip of five).
        least = max(f.px(56), f.get("sans", 28, "small").get_linesize())
        sides = range(thumb, least - 1, -f.px(8))
        # then two columns of rows (their words are short: "Real.", or what others did)
        shapes = [(0.43, side, columns) for columns in (1, 2) for side in sides]
    else:
        shapes += [(share, thumb, 1) for share in (0.4, 0.37, 0.34)]

    def card_room(card_height: int) -> int:
        """The rows' room under the heading, upright where a card `card_height` tall stands
        under them."""
        return rows_room - (card_height + f.px(30 + 30) - f.px(12) if tall else 0)

    tip_gap = TIP_GAP
    room = card_room(_card_height(scene, f, w - 2 * left, scene.config.tips, tip_gap))
    def laid_out(card_share: float, thumb: int, columns: int) -> tuple[int, int, list, int]:
        # (0.43 of the width: with tips at the kiosk minimum, a third of it held four of six.)
        card_x = round(w * 0.95) - round(w * card_share)
        text_right = w - left if tall else card_x - f.px(40)
        # In two columns each row begins with its question's number: filled down the first
        # column and then the second, the rows sat side by side in pairs, and a visitor could
        # not tell whether to read them across or down. One column needs no numbers.
        numbers = [question_number(f, dim, at + 1) for at in range(len(scene.history))] if columns > 1 else []
        number_w = max((n.get_width() for n in numbers), default=-f.px(12)) + f.px(12)
        rows = []
        for record in scene.history:
            column_x = left + (len(rows) * columns // len(scene.history)) * (text_right - left) // columns
            pictures_x = column_x + number_w
            x = pictures_x + len(record["question"]) * (thumb + f.px(8))
            said = said_of(record, x, column_x + (text_right - left) // columns - f.px(20 if columns > 1 else 0))
            number = numbers[len(rows)] if numbers else None
            rows.append((record, column_x, pictures_x, number, x, said,
                         max(thumb, said.get_height() if said is not None else 0)))
        rows_h = max(sum(row_h + f.px(14) for _, c, *_, row_h in rows if c == column_x)
                     for column_x in {row[1] for row in rows})
        return card_x, rows_h, rows, thumb

    def first_fitting(room: int) -> tuple | None:
        """The first shape whose rows take no more than `room` px, laid out; None where none does."""
        for card_share, thumb, columns in shapes:
            shape = laid_out(card_share, thumb, columns)
            tried.append((shape[1], card_share, thumb, columns))
            if shape[1] <= room:
                return shape
        return None

    tried: list[tuple] = []
    chosen = first_fitting(room)
    if chosen is None and tall:
        # Closer together, every tip may still fit at once: better than turns, which a
        # visitor reading the card may not wait for (at 1080x1920 a first visitor's card was
        # 39 px short of its six tips, and they took two turns of three).
        chosen = first_fitting(card_room(_card_height(scene, f, w - 2 * left, scene.config.tips, TIP_GAP_CLOSE)))
        tip_gap = TIP_GAP if chosen is None else TIP_GAP_CLOSE
    if chosen is None and not tall:
        chosen = laid_out(*shapes[-1])
    elif chosen is None:
        # No shape leaves every tip its room: the tips take turns, on a card as tall as the
        # fullest turn the least rows leave it (the last shape tried, two columns, set what
        # other visitors did four lines to a row at 1024x1280 with upright type set larger,
        # and left the card no room at all). The rows then take what that card leaves:
        # sized for every tip at once, they kept their least shape, and the card, shrunk to
        # its turn, left 100-450 px empty above "Play again".
        _, card_share, thumb, columns = min(tried, key=lambda shape: shape[0])
        least_rows = laid_out(card_share, thumb, columns)
        card_top = top + least_rows[1] + (first_line.get_height() + f.px(6) if first_line else 0) + f.px(30)
        title_h = f.block(words("quiz.tips_title"), "serif-semibold", 38, accent, w - 2 * left - f.px(60)).get_height()
        overhead = f.px(30 + 20 + 24) + title_h
        turns = tip_pages(f, scene.config.tips, fg, w - 2 * left - f.px(80), again.y - f.px(30) - card_top - overhead)
        fullest = max((sum(block.get_height() + f.px(tip_gap) for block in turn) for turn in turns), default=0)
        chosen = first_fitting(card_room(overhead + fullest)) or least_rows
    card_x, rows_h, rows, thumb = chosen
    rows_h += first_line.get_height() + f.px(6) if first_line else 0
    if tall:
        card = pygame.Rect(left, top + rows_h + f.px(30), w - 2 * left, 0)
        card.height = again.y - f.px(30) - card.y
    else:
        card = pygame.Rect(card_x, top, round(w * 0.95) - card_x, again.bottom - top)
    y, column = top, left
    for record, column_x, pictures_x, number, x, said, row_h in rows:
        if column_x != column:  # (the next column)
            y, column = top, column_x
        if number is not None:  # (right-aligned before the pictures, centred on the row as the tick is)
            f.place(surface, number, (pictures_x - f.px(12) - number.get_width(),
                                      y + (row_h - number.get_height()) // 2))
        for n, item in enumerate(record["question"]):
            rect = pygame.Rect(pictures_x + n * (thumb + f.px(8)), y + (row_h - thumb) // 2, thumb, thumb)
            draw.picture(surface, scene.picture_of(scene.items[item.key], rect.width), rect)
        draw.tick(surface, (x + f.px(24), y + row_h // 2), f.px(34), record["correct"])
        if said is not None:
            f.place(surface, said, (x + f.px(60), y + (row_h - said.get_height()) // 2))
        y += row_h + f.px(14)
    y = top + rows_h - (first_line.get_height() + f.px(6) if first_line else 0)  # (under the longer column)
    if first_line is not None and y + first_line.get_height() < again.y - f.px(12):
        f.place(surface, first_line, (left, y + f.px(6)))
    title = f.block(words("quiz.tips_title"), "serif-semibold", 38, accent, card.width - f.px(60))
    # Every tip, at a size a kiosk can read (the five default tips once ran off the card and
    # the bottom of the screen): as many as the card holds, in order, and where that is not
    # all of them, the rest in turn, the card saying which turn it is (at 1024x1280 it held
    # four of six, and nothing said there were more). The card is as tall as its fullest turn.
    room = card.height - f.px(30 + 20 + 24) - title.get_height()
    pages = tip_pages(f, scene.config.tips, fg, card.width - f.px(80), room, tip_gap)
    # Which turn it is: upright on the button's line, beside it (inside the card, under a
    # second visitor's answers, it took the room of the card's one tip); beside the answers,
    # at the card's foot.
    mark, mark_width = None, card.right - again.right - f.px(40) if tall else card.width - f.px(80)
    if len(pages) > 1 and not tall:
        mark = _turn_line(f, dim, mark_width, 1, len(pages) + 1)
        pages = tip_pages(f, scene.config.tips, fg, card.width - f.px(80), room - mark.get_height() - f.px(16),
                          tip_gap)
    if pages:  # (a screen too small for even one: no card)
        # Every turn is shown before the summary gives way to the start card.
        turn_s = min(TIP_TURN_S, scene.config.summary_seconds / len(pages))
        turn = int(scene.state_t // turn_s) % len(pages)
        tips = pages[turn]
        tallest = max(sum(block.get_height() + f.px(tip_gap) for block in page) for page in pages)
        spare = max(0, room - tallest - (mark.get_height() + f.px(16) if mark is not None else 0))
        card.height -= spare
        if tall:  # (standing on the button, as the rows hang from the heading: the room left between them)
            card.y += spare
        pygame.draw.rect(surface, (30, 28, 34), card, border_radius=f.px(16))
        cy = card.y + f.px(30)
        f.place(surface, title, (card.x + f.px(30), cy))
        cy += title.get_height() + f.px(20)
        # Each bullet centred on its tip's first line's lower-case letters (at a fixed
        # 15 px down it stood at the capitals' tops once the type was raised to the kiosk
        # minimum).
        tip_font = f.get("sans", 25, "small")
        bullet_drop = tip_font.get_ascent() - tip_font.metrics("x")[0][3] // 2
        # Sized and spaced from the tips' type, not the screen: the type is raised to the kiosk
        # minimum, and at 800x480 a bullet of px(5) (6 at the least) touched the first letter.
        cap = tip_font.metrics("H")[0][3]
        bullet_r = max(2, round(0.35 * cap))
        words_x = card.x + f.px(56)
        bullet_x = words_x - round(0.6 * cap) - bullet_r
        shown = fade(scene.state_t % turn_s, 0.0, None, 0.6) if len(pages) > 1 else 1.0
        for block in tips:
            pygame.draw.circle(surface, accent, (bullet_x, cy + bullet_drop), bullet_r)
            f.place(surface, block, (words_x, cy), alpha=shown)
            cy += block.get_height() + f.px(tip_gap)
        if len(pages) > 1:
            mark = _turn_line(f, dim, mark_width, turn + 1, len(pages), "right" if tall else "left")
            f.place(surface, mark, (card.right - mark_width, again.centery - mark.get_height() // 2) if tall
                    else (card.x + f.px(56), card.bottom - f.px(24) - mark.get_height()))
    draw.button(surface, f, again, words("quiz.again"), accent, (20, 18, 16), 36)


def question_number(f, ink, number: int) -> pygame.Surface:
    """A summary row's question number, as the question's own screen counted it ("Question 2 of 5")."""
    return f.line(words("quiz.summary_number", number=number), "sans", 28, ink, tier="small")


def tip_pages(f, tips: list[str], ink, width: int, room: int, gap: float | None = None) -> list[list[pygame.Surface]]:
    """The tips set `width` px wide, in order, in as few turns as `room` px allows (none where
    not even one tip fits), shared out evenly: filled one by one, six tips at 1920x1080 took
    turns of five and one, the second a lone tip on a card left two thirds empty for 12 s."""
    gap = f.px(TIP_GAP if gap is None else gap)
    blocks: list[pygame.Surface] = []
    for tip in tips:
        block = f.block(tip, "sans", 25, ink, width, tier="small")
        if block.get_height() > room:
            break
        blocks.append(block)
    turns = 0 if not blocks else len(_fill(blocks, gap, room))
    # The fewest turns found, the least room that still needs no more of them (the tallest
    # turn as short as it can be); each turn is then filled up to that.
    low, high = max((b.get_height() for b in blocks), default=0), room
    while low < high:
        mid = (low + high) // 2
        if len(_fill(blocks, gap, mid)) <= turns:
            high = mid
        else:
            low = mid + 1
    return _fill(blocks, gap, low) if blocks else []


def _fill(blocks: list[pygame.Surface], gap: int, room: int) -> list[list[pygame.Surface]]:
    """The blocks in order, each turn holding as many as `room` px takes (gaps between them)."""
    pages: list[list[pygame.Surface]] = [[]]
    left = room
    for block in blocks:
        if block.get_height() > left and pages[-1]:
            pages.append([])
            left = room
        pages[-1].append(block)
        left -= block.get_height() + gap
    return pages


def _card_height(scene: QuizScene, f, width: int, tips: list[str], gap: float | None = None) -> int:
    """How tall the tips' card `width` px wide stands holding `tips` (as draw_summary sets
    them)."""
    fg, accent, _ = colours(scene)
    title = f.block(words("quiz.tips_title"), "serif-semibold", 38, accent, width - f.px(60))
    blocks = [f.block(tip, "sans", 25, fg, width - f.px(80), tier="small") for tip in tips]
    return f.px(30 + 20 + 24) + title.get_height() + sum(block.get_height() + f.px(TIP_GAP if gap is None else gap)
                                                         for block in blocks)


def _turn_line(f, ink, width: int, turn: int, turns: int, align: str = "left") -> pygame.Surface:
    """The card's line saying which turn of tips it shows, and whether more follow."""
    text = words("quiz.tips_more" if turn < turns else "quiz.tips_last", page=turn, pages=turns)
    return f.block(text, "sans", 25, ink, width, tier="small", align=align)
