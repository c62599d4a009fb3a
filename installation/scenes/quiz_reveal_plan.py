"""The quiz's reveal measured and arranged before anything is drawn: what it says, where
quiz_layout puts it on wide, upright and 4:3 kiosk screens, and on upright and near-square
ones the round's one arrangement (the verdict beside the picture or under the row, the
picture's side, the eyes' one size), decided from every reveal the round can show.
quiz_screens draws the plan; the scene's checks measure the same boxes (reveal_boxes)."""

from __future__ import annotations

import weakref
from types import SimpleNamespace
from typing import TYPE_CHECKING

import pygame

from ..words import words
from . import quiz_draw as draw
from . import quiz_explain as explain_words
from . import quiz_upright as upright
from .quiz_draw import colours
from .quiz_layout import geometry, stacked
from .quiz_pair import across_gap, label_under
from .quiz_reveal_beside import fit_beside, verdict_height
from .quiz_reveal_share import WIDE_BAND, round_share
from .quiz_reveal_words import answers, texts

if TYPE_CHECKING:
    from .quiz import QuizScene


MOST_CAPTION_LINES = 2  # a picture's label, as a museum hangs one under a print
# The reveal's headline, largest first: upright beside the picture, the smaller sizes keep it
# within the picture's height (at 50 it took three lines of a 4:5 screen's narrow column).
HEADLINE_SIZES = (50, 44, 40)


# The round's upright layout, worked out once: {scene: (the round and screen it was for, beside)}.
_BESIDE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _round_beside(scene: QuizScene) -> tuple[int | None, bool, int | None, int]:
    """Where an upright screen sets every reveal of this round with its verdict beside the
    picture, the picture's side (the least any of them needs, whatever the visitor answers):
    wherever the row leaves any reveal's picture or eyes too small; None where the row holds
    them all. (Decided for each reveal alone, at 1080x1920 one reveal with a short sentence
    under its eyes kept the row while the rest moved: the verdict under the eyes on question 3,
    beside the picture on the others; at 1024x1280 the picture was 422 px on one, 437 on
    another.) And whether the machine's answer runs across under the picture and the verdict
    (`across`): where, on every reveal of the round, that leaves the picture its side and the
    eyes a quarter of the width (at 1080x1920 it does, and beside the picture the answer read
    two or three words a line; at 1024x1280 it would leave the eyes no room). And the eyes'
    one size for the round (`tile`): the least any reveal leaves them, where that is still
    FEATURE_LEAST of the width (a pair round's eyes at 1024x1280 jumped 212, 258, 212, 210,
    220 px), or in the row, where every reveal's is a quarter of it; None where less (each
    reveal's eyes then keep their own, not all the least). Beside the words, the least height
    of the eyes' panel with the round's longest sentence (`sentence`, quiz_draw.eyes_panel_least;
    0 elsewhere)."""
    key = (tuple(item.key for question in scene.round for item in question), scene.context.size,
           scene.context.fonts.px(100), scene.machine_playing)
    kept = _BESIDE.get(scene)
    if kept is None or kept[0] != key:
        # (with the widest score the round can show: measured with the first reveal's, a later
        # "you 10" or a longer language's words took a line from the eyes of that reveal alone)
        widest = _widest_score(scene)
        share = round_share(scene, _measure_at)
        measured = [_measure(scene, question, answer, record, widest, share=share)
                    for question in scene.round for answer, record in answers(scene, question)]
        side, across, tile, sentence = None, False, None, 0
        if not measured[0].words_below:
            # Beside the words (a landscape screen) the panel under the map is one box, but
            # each reveal's eyes took what its own sentence left it: at 1920x1080 a round's
            # tiles were 255, 255, 254, 255, 300 px, a pair round's 252, 297, 252, 252, 252.
            # The least of them, where any reveal shows the eyes at all.
            tile = min((t for t in (upright.tile_in(m.f, _panel_under_map(m), m.explanation)
                                    for m in measured if m.eyes) if t > 0), default=None)
            if tile is not None and measured[0].face is not None:  # (a pair's faces the larger)
                tile = min(tile, upright.eyes_most(measured[0].face))
            sentence = max((draw.eyes_panel_least(m.f, _panel_under_map(m).width, m.explanation)
                            for m in measured if m.eyes), default=0)
        elif any(not m.row_fits for m in measured):
            # (beside the verdict a stacked pair's faces stay one above the other, as the question showed them)
            measured = [_measure(scene, question, answer, record, widest, band=False)
                        for question in scene.round for answer, record in answers(scene, question)]
            sides = [fit_beside(scene, m, scene.largest_picture()).side for m in measured if m.explanation is not None]
            side = min((s for s in sides if s is not None), default=None)
            across = side is not None and all(_across_holds(scene, m, side) for m in measured
                                              if m.explanation is not None)
            if side is not None:
                tile = _round_tile(scene, measured, side, across)
        else:
            # The row holds every reveal: its eyes the least any panel leaves them (each took
            # what its own sentence left: a 1080x1920 pair round's were 303, 360, 303, 304, 303 px).
            tile = min((upright.tile_in(m.f, m.plot, m.explanation) for m in measured if m.eyes and m.words_below),
                       default=0) or None
        _BESIDE[scene] = kept = (key, (side, across, tile, sentence))
    return kept[1]


def _widest_score(scene: QuizScene) -> str:
    """The widest score line the round can show: its question number and both scores each
    the widest of the values they can take (a round of 12 reaches "you 10")."""
    font = scene.context.fonts.get("sans-semibold", 30, "small")

    def widest(values: range) -> int:
        return max(values, key=lambda value: font.size(str(value))[0])

    most = len(scene.round)
    return scene.score_line(widest(range(1, most + 1)), widest(range(most + 1)), widest(range(most + 1)))


def _longest_word(fonts, labels: list[str]) -> int:
    """The width of the widest word of a map's labels, as set under the map (sans 22, small)."""
    return max(fonts.line(word, "sans", 22, (255, 255, 255), tier="small").get_width()
               for label in labels for word in label.split())


def _panel_under_map(m: SimpleNamespace) -> pygame.Rect:
    """Beside the words (a landscape screen), the machine's panel: under the map and its
    caption, down to the foot of the pictures' box."""
    f, g = m.f, m.g
    plot = g["reveal_plot"].copy()
    if plot.x >= g["reveal_spectrum"].right:  # (beside the map: a near-square screen's pair)
        return plot
    # (under the caption's ink, where draw_reveal measured it: its set height is 3-4 px lower)
    caption = f.ink(m.caption_for(g["reveal_spectrum"].width))
    below = max(f.px(24), g["reveal_spectrum"].bottom + f.px(4) + caption.bottom + f.px(8) - plot.y)
    plot.y += below
    plot.height -= below
    return plot


def _round_tile(scene: QuizScene, measured: list[SimpleNamespace], side: int, across: bool) -> int | None:
    """The eye tiles' one size for a round set beside pictures of `side` (see _round_beside)."""
    tiles = []
    for m in measured:
        if m.eyes:
            # (the last reveal's wider button put the score above it: at 1200x1600 its eyes had
            # 63 px less than measured with the round's first)
            fitted = fit_beside(scene, m, side, across, last=m.question == scene.round[-1])
            tiles.append(upright.tile_in(m.f, fitted.moved["reveal_plot"], m.explanation)
                         if fitted.moved is not None else 0)
    least = min(tiles, default=0)
    return least if least >= upright.FEATURE_LEAST * scene.context.size[0] else None


def _across_holds(scene: QuizScene, m: SimpleNamespace, side: int) -> bool:
    """Whether the reveal measured in `m`, the machine's answer run across under a picture of
    `side`, keeps that picture as large as with the answer beside it, and the eyes a quarter
    of the screen's width (upright.least_tile)."""
    beside, across = fit_beside(scene, m, side), fit_beside(scene, m, side, across=True)
    if across.moved is None or beside.moved is None or across.side != beside.side:
        return False
    return not m.eyes or upright.tile_in(m.f, across.moved["reveal_plot"], m.explanation) >= upright.least_tile(
        scene.context.size)


def _measure_at(scene: QuizScene, question, answer: str | None, record, share: float | None) -> SimpleNamespace:
    """A reveal measured with the round's widest score, its pictures `share` of the width (quiz_reveal_share)."""
    return _measure(scene, question, answer, record, _widest_score(scene), share=share)


def _measure(scene: QuizScene, question, answer: str | None, record,
             score_text: str | None = None, band: bool = True, share: float | None = None) -> SimpleNamespace:
    """A reveal of `question` measured with its words under the pictures' row (where an
    upright screen puts them): its words, the room left for them and the machine's panel,
    and whether that row leaves the picture and the eyes their least (`row_fits`); with the
    score line `score_text` (by default the one showing). `band`: a stacked pair's faces set
    side by side across the row (quiz_upright.pair_band), as the row shows them; without it,
    still one above the other, as beside the verdict (quiz_reveal_beside.fit_beside). `share`:
    the pictures' part of a near-square landscape screen's width (quiz_reveal_share)."""
    f = scene.context.fonts
    fg, accent, dim = colours(scene)
    g = geometry(scene, share)
    col = g["reveal_column"]
    words_below = col.y > g["reveal_plot"].y  # upright: the words under the panel, not beside it
    # (a pair's faces side by side across the band: upright where the question stacked them,
    # and beside the words on a landscape screen too, where the map was a square as large as
    # both faces together, twice a face's side at 1920x1080. Not on a near-square one, whose
    # narrow band left at 1280x1024 a map too narrow for its label, "genera- / ted / one's /
    # map", and the eyes a third less room than before.)
    w, h = scene.context.size
    wide = not words_below and w >= WIDE_BAND * h
    across = band and scene.config.mode == "pair" and (stacked(g) if words_below else wide)
    explained, truth_text, said, machine_text = texts(scene, question, answer, record, across)

    # The words, measured first: upright they go under the machine's panel, which takes only
    # the room they leave (on a square screen the panel and its caption, at their fixed
    # share of the height, pushed the verdict over the credit, or the eyes' sentence ran
    # over the verdict).
    def verdict(width: int, room: int | None = None,
                machine_width: int | None = None) -> tuple[pygame.Surface, pygame.Surface, pygame.Surface]:
        """The headline and the two answers (each after its tick) set `width` px wide; the
        headline at the largest of its sizes that keeps them within `room` px, if given.
        With `machine_width` the machine's answer is set that wide, across under the band of
        the picture, the headline and the visitor's answer (which `room` then holds)."""
        answers = (f.block(words("quiz.you_said", said=said), "sans", 32, fg, width - f.px(60)),
                   f.block(machine_text, "sans", 32, fg, (machine_width or width) - f.px(60)))
        for size in HEADLINE_SIZES:
            headline = f.block(truth_text, "serif-semibold", size, fg, width)
            standing = verdict_height(f, (headline, *answers))
            if machine_width is not None:
                standing -= answers[1].get_height() + f.px(20)
            if room is None or standing <= room:
                break
        return (headline, *answers)

    headline, you, machine = verdict(col.width)
    flow_h = headline.get_height() + f.px(30) + you.get_height() + f.px(20) + machine.get_height() + f.px(28)
    # bottom up: the button, the score, the credit; the explanation only where it fits
    nxt = pygame.Rect(col.x, col.bottom - f.px(84), col.width, f.px(84))
    score_text = scene.score_line() if score_text is None else score_text
    score = f.block(score_text, "sans-semibold", 30, accent, col.width, tier="small", balanced=True)
    score_at = (col.x, nxt.y - f.px(16) - score.get_height())
    limit = nxt.y - f.px(32) - score.get_height()
    credit = explained.item.credit if scene.config.mode == "single" else ""
    block = None
    if credit:
        # In the accent, as every other credit in the show (grey, it read as a note). In three
        # lines or more its lines are set even: a short line inside it is a hole in the
        # column's edge (at 1280x1024 "Made for this exhibition by / a computer, from / a
        # public-domain portrait."); in two the short one is its last, as in any paragraph.
        even = len(f.wrap(credit, "sans", 30, col.width, "small")) >= 3
        block = f.block(credit, "sans", 30, accent, col.width, tier="small", balanced=even)
        limit -= block.get_height()
    face = None  # (each face of an upright pair's band: the eyes no larger)
    if across:
        # The pair's faces are what the visitor was asked about: side by side across the band,
        # the map smaller at its right, the panel under them (quiz_upright.pair_band).
        faces, shown, face = upright.pair_band(f, g, across_gap(f), label_under(scene, question),
                                               scene.largest_picture())
        plot_y = max(faces.bottom, shown.bottom) + f.px(30)
        panel = g["reveal_plot"]  # (beside the words its foot stays on the button's foot)
        g = {**g, "reveal_image": faces, "reveal_spectrum": shown,
             "reveal_plot": pygame.Rect(panel.x, plot_y, panel.width,
                                        panel.height if words_below else panel.bottom - plot_y)}
    elif scene.config.mode == "pair" and not words_below:
        # A near-square landscape screen (5:4, 4:3): the faces across the pictures' box, the
        # map beside the eyes under them (in pair_band's row the map's label broke "genera- /
        # ted / one's / map" and the eyes had 168 px; in the two-square row, faces of 129 px
        # stood beside a map of 270 at 1280x1024).
        # (the map never narrower than its short label's longest word on any of the round's
        # reveals, so the faces keep one size: at 1024x1024 it read "generat- / ed one's / map";
        # but where that word is wider than the eyes beside the map leave it, as a longer
        # language's kind, "veränderten", the label that does not name the kind: held up by
        # it, the map stood larger than the eyes, and the faces over it took the row's room)
        kinds = {item.kind for shown in scene.round for item in shown if item.kind != "real"} or {"fake"}
        least_map = _longest_word(f, [words("quiz.picture_pair_narrow", kind=words(f"quiz.kind_{kind}"))
                                      for kind in kinds])
        if least_map > upright.map_as_eye(f, g["reveal_spectrum"].right - g["reveal_image"].x):
            least_map = _longest_word(f, [words("quiz.picture_single_narrow")])
        faces, shown, panel, face = upright.pair_above_map(f, g, across_gap(f), label_under(scene, question),
                                                           scene.largest_picture(), least_map)
        g = {**g, "reveal_image": faces, "reveal_spectrum": shown, "reveal_plot": panel}
    latest = (limit - f.px(16 if credit else 0)) - flow_h  # where the words must begin, at the latest
    explanation = explained.explanation
    eyes = explanation is not None and getattr(explanation, "cue", "spectrum") == "pixels"
    plot, caption_for, row_fits = None, None, True
    if explanation is not None:
        whose = explain_words.picture_caption(explanation, scene.config.mode == "pair", explained.item.kind)

        def caption_for(width: int) -> pygame.Surface:
            # Under the picture and no wider than it, as a label is hung under a print (on a
            # 4:3 screen "the generated one's noise spectrum" ran into the words beside it;
            # upright, "where the machine looked" ran past the picture's edge). A label is
            # two lines at most: under a narrower map the short one (and the pictures take
            # the room a third line took; a 9:16 pair's map, 3/5 of a face, read "the /
            # generated / one's map"). Beside the words on a landscape screen, a single
            # picture's map label is one line: its second line comes off the eyes' panel under
            # it, and so off every reveal's eyes (at 1366x768, where the small type's floor
            # sets "where the machine looked" 4 px wider than the map, the eyes were 0.10 of
            # the width, 0.13 at every other landscape size).
            # Where even the short one takes more lines, or has a word wider than the map (a
            # longer language's: "Karte des / veränder- / ten"), the one that names no kind.
            most = 1 if wide and scene.config.mode == "single" else MOST_CAPTION_LINES
            text = whose
            if getattr(explanation, "picture", None) is not None:
                shorter = [words("quiz.picture_single_narrow")]
                if scene.config.mode == "pair":
                    shorter.insert(0, words("quiz.picture_pair_narrow",
                                            kind=words(f"quiz.kind_{explained.item.kind}")))
                text = next((label for label in (whose, *shorter)
                             if len(f.wrap(label, "sans", 22, width, "small")) <= most
                             and _longest_word(f, [label]) <= width), shorter[-1])
            return f.block(text, "sans", 22, dim, width, tier="small")

        if words_below:
            least_account = draw.account_least(f, explained, fg, col.width) if eyes else 0
            plot = upright.row(f, g, caption_for(g["reveal_spectrum"].width).get_height(), latest, least_account,
                               explanation, eyes, upright.eyes_most(face) if face is not None else None)
            # (a pair's faces, side by side, each at least the eyes' least tile; the one picture 0.4 of the width)
            small = (face < upright.least_tile(scene.context.size) if face is not None
                     else g["reveal_image"].width < upright.FACE_LEAST * scene.context.size[0])
            row_fits = not (small or eyes and upright.tile_in(f, plot, explanation)
                            < upright.least_tile(scene.context.size))
    return SimpleNamespace(f=f, fg=fg, accent=accent, g=g, col=col, question=question, record=record,
                           explained=explained, headline=headline, you=you, machine=machine, verdict=verdict,
                           caption_for=caption_for, nxt=nxt, score=score, score_at=score_at, limit=limit,
                           credit=credit, block=block, words_below=words_below, latest=latest, score_text=score_text,
                           explanation=explanation, eyes=eyes, plot=plot, row_fits=row_fits, face=face)


def plan(scene: QuizScene) -> SimpleNamespace:
    """The reveal measured and arranged, before anything is drawn (draw_reveal, reveal_boxes)."""
    shown = (scene.round[scene.index], scene.answer, scene.history[-1])
    m = _measure(scene, *shown, share=round_share(scene, _measure_at))
    side, across, tile, sentence = _round_beside(scene) if m.explanation is not None else (None, False, None, 0)
    if side is not None:  # (a stacked pair's faces one above the other, beside the verdict)
        m = _measure(scene, *shown, band=False)
    g, col, explained, question = m.g, m.col, m.explained, m.question
    headline, you, machine, caption_for = m.headline, m.you, m.machine, m.caption_for
    nxt, score, score_at, limit, block = m.nxt, m.score, m.score_at, m.limit, m.block
    words_below, latest, explanation, eyes, plot = m.words_below, m.latest, m.explanation, m.eyes, m.plot
    moved, lead = None, 0
    if explanation is not None and not words_below:
        # (its foot stays on the column's, the button's, on every reveal: the eyes, at the
        # round's size, leave the room another reveal's longer sentence takes)
        plot = _panel_under_map(m)
        if eyes and tile is not None and plot.x >= g["reveal_spectrum"].right:
            # (beside a near-square screen's map, the panel as tall as its eyes and its own
            # sentence: sized for the longest, it stood a third empty under a short one)
            plot.height = min(plot.height, tile + draw.eyes_panel_least(m.f, plot.width, explanation) + m.f.px(16))
        elif eyes and tile is not None:
            # Where the round's eyes are held smaller than the panel's room (a pair's by its
            # faces, quiz_upright.EYES_OF_FACE) half the room left under the round's longest
            # sentence goes over the eyes, the same on every reveal: all of it stood empty under
            # the sentence, 66 px at 1920x1080, as if a line were missing.
            lead = max(0, plot.height - tile - sentence - m.f.px(16)) // 2
    if side is not None:
        fitted = fit_beside(scene, m, side, across, tile)
        if fitted.moved is not None:
            moved, g, plot = fitted.moved, fitted.g, fitted.plot
            headline, you, machine = fitted.headline, fitted.you, fitted.machine
            nxt, score, score_at, limit = fitted.nxt, fitted.score, fitted.score_at, fitted.limit
    elif tile is not None and eyes and words_below:  # (the row: its panel as tall as the round's eyes need)
        plot = pygame.Rect(plot.x, plot.y, plot.width,
                           min(plot.height, tile + draw.eyes_panel_least(m.f, plot.width, explanation) + m.f.px(16)))
    return SimpleNamespace(g=g, question=question, record=m.record, col=col, explained=explained, headline=headline,
                           you=you, machine=machine, nxt=nxt, score=score, limit=limit, block=block,
                           words_below=words_below, latest=latest, explanation=explanation, eyes=eyes, plot=plot,
                           moved=moved, caption_for=caption_for, score_at=score_at, tile=tile, lead=lead)


def reveal_boxes(scene: QuizScene) -> dict[str, pygame.Rect]:
    """The reveal's boxes as drawn: the layout's (quiz_layout.geometry), with the pictures
    and the machine's panel where an upright screen moves them for the eyes."""
    planned = plan(scene)
    return {**planned.g, "reveal_plot": planned.plot} if planned.plot is not None else planned.g
