"""How much of a near-square landscape screen (4:3, 5:4) the quiz's reveal gives its pictures,
decided once for the round.

On the grid's share (layout.GRID_SHARE, 0.44 of the width) a 4:3 screen's reveal drew a pair's
faces 172 px at 1024x768, 148 in German (whose longer sentences took the eyes' row's height),
their eyes 43-52 px apart: too small to see the place the account points at ("least of all
around the eyes, ringed"). The words' column beside them has lines to spare: the pictures take
more of the width, a step at a time, where every reveal of the round still tells the machine's
account (quiz_explain.accounts, at the account's one size: never smaller type), up to the
smallest step whose faces reach FACE_LEAST of the type side, and beyond it wherever no reveal's
account grows shorter for it. quiz_reveal_plan measures each step (`measure`)."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from types import SimpleNamespace
from typing import TYPE_CHECKING

from ..textlog import type_side
from .layout import hang, upright_layout
from .quiz_draw import ACCOUNT_SIZE
from .quiz_explain import accounts
from .quiz_reveal_words import answers

if TYPE_CHECKING:
    from .quiz import QuizScene

# Beside the words, from this shape on (16:10, 16:9, 5:3), a pair's faces stand side by side
# across the band, and a single picture's map label is one line; on 5:4 and 4:3 screens the band
# is too narrow for two faces and a map with its label, and their panel has the height.
WIDE_BAND = 1.5
# The pictures' part of a near-square landscape screen's width, the grid's first (None: the
# question's own box): each step about 6% of the width more for the pictures.
SHARES = (None, 0.48, 0.52, 0.56, 0.60)
# The least side of a face the reveal asks about, of the type side (textlog.type_side): a
# 1920x1080 pair's faces are 0.28 of it (306 px), a 1080x1920 pair's 0.25 (326 px). A default
# quiz face's eyes are about 0.3 of its side apart: 0.075 of the type side, 58 px at 1024x768.
FACE_LEAST = 0.25

_SHARE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def near_square(size: tuple[int, int]) -> bool:
    """A landscape screen whose reveal sets its words beside the pictures, narrower than WIDE_BAND."""
    return not upright_layout(size) and size[0] < WIDE_BAND * size[1]


def face_side(m: SimpleNamespace) -> int:
    """The side of the face (a pair's: each face) a measured reveal shows."""
    return m.face if m.face is not None else m.g["reveal_image"].width


def told(m: SimpleNamespace) -> int | None:
    """Which account a measured reveal tells (0 the fullest, quiz_explain.accounts): the
    fullest that fits between its verdict and its credit, as quiz_screens draws it; None where
    none fits, 0 where it has none to tell."""
    if m.explanation is None:
        return 0
    f = m.f
    room = m.latest - hang(f, m.headline, m.col.y)
    for n, why in enumerate(accounts(m.explanation, m.explained.item.kind)):
        if f.block(why, "serif-light", ACCOUNT_SIZE, m.fg, m.col.width, tier="small").get_height() <= room:
            return n
    return None


def round_share(scene: QuizScene, measure: Callable[..., SimpleNamespace]) -> float | None:
    """The pictures' share of the width for every reveal of this round (None: the grid's),
    `measure(scene, question, answer, record, share)` measuring one reveal at a share."""
    if not near_square(scene.context.size):
        return None
    key = (tuple(item.key for question in scene.round for item in question), scene.context.size,
           scene.context.fonts.px(100), scene.machine_playing)
    kept = _SHARE.get(scene)
    if kept is None or kept[0] != key:
        _SHARE[scene] = kept = (key, _choose(scene, measure))
    return kept[1]


def _choose(scene: QuizScene, measure: Callable[..., SimpleNamespace]) -> float | None:
    reveals = [(question, answer, record) for question in scene.round for answer, record in answers(scene, question)]
    floor = FACE_LEAST * type_side(scene.context.size)
    telling = []  # (share, the account each reveal tells, the least face), while every reveal tells one
    for share in SHARES:
        measured = [measure(scene, *reveal, share) for reveal in reveals]
        each = [told(m) for m in measured]
        if any(n is None for n in each):
            break  # (a narrower column only tells less)
        telling.append((share, each, min(face_side(m) for m in measured)))
    if not telling:
        return None
    grid = telling[0][1]
    # (the widest step where no reveal tells less than on the grid's; the grid's own at least)
    lossless = max(n for n, (_, each, _) in enumerate(telling)
                   if all(now <= was for now, was in zip(each, grid, strict=True)))
    # (the narrowest step whose faces reach the floor; where none does, the widest that tells)
    needed = next((n for n, (_, _, face) in enumerate(telling) if face >= floor), len(telling) - 1)
    return telling[max(needed, lossless)][0]
