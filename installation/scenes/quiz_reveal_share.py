"""How much of a near-square landscape screen (4:3, 5:4) the quiz's reveal gives its pictures,
decided once for the round.

On the grid's share (layout.GRID_SHARE, 0.44 of the width) a 4:3 screen's reveal drew a pair's
faces 172 px at 1024x768, 148 in German (whose longer sentences took the eyes' row's height),
their eyes 43-52 px apart: too small to see the place the account points at ("least of all
around the eyes, ringed"). The words' column beside them has lines to spare: the pictures take
more of the width, a step at a time, up to the narrowest step whose faces reach FACE_LEAST of
the type side, where every reveal of the round still tells beside them an account of what the machine saw,
or one pointing at its picture (quiz_explain.pointing, at the account's one size: never
smaller type; a shorter one where the column is shorter). quiz_reveal_plan measures each step (`measure`)."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from types import SimpleNamespace
from typing import TYPE_CHECKING

from ..textlog import type_side
from .layout import hang, upright_layout
from .quiz_draw import ACCOUNT_SIZE
from .quiz_explain import accounts, pointing
from .quiz_reveal_words import answers
from .quiz_upright import tile_in

if TYPE_CHECKING:
    from .quiz import QuizScene

# Beside the words, from this shape on (16:10, 16:9, 5:3), a pair's faces stand side by side
# across the band, and a single picture's map label is one line; on 5:4 and 4:3 screens the band
# is too narrow for two faces and a map with its label, and their panel has the height.
WIDE_BAND = 1.5
# The pictures' part of a near-square landscape screen's width, the grid's first (None: the
# question's own box): each step 0.04 of the width more for the pictures.
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


def tells(m: SimpleNamespace) -> bool:
    """Whether a measured reveal tells an account that says what the machine saw, or points
    at its picture (quiz_explain.pointing): the fullest that fits between the verdict and the
    credit, as quiz_screens sets it, is one of those (the machine's state and an altered
    picture's history alone fit where its pointer does not: they are kept longer)."""
    if m.explanation is None:
        return True
    f, kind = m.f, m.explained.item.kind
    room = m.latest - hang(f, m.headline, m.col.y)
    told = next((why for why in accounts(m.explanation, kind)
                 if f.block(why, "serif-light", ACCOUNT_SIZE, m.fg, m.col.width, tier="small").get_height() <= room),
                None)
    return told in pointing(m.explanation, kind)


def eyes_hold(m: SimpleNamespace) -> bool:
    """Whether a measured reveal's eyes stay no smaller than the map beside them (a pair's,
    quiz_upright.pair_above_map): widened, a German pair's box kept its map label's long word
    ("veränderten", 136 px) and the eyes beside that map were squeezed to 77 px."""
    plot, shown = m.g["reveal_plot"], m.g["reveal_spectrum"]
    if not m.eyes or plot.x < shown.right:
        return True
    return tile_in(m.f, plot, m.explanation) >= shown.width


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
    """The narrowest step whose faces reach the floor (the widest where none does), or the
    widest narrower one where some reveal's account would not fit beside them. Measured on the
    round's first reveal for the faces (a pair's are sized for the round's longest eyes'
    sentence, quiz_draw.eyes_panel_tallest, alike on every reveal), then every reveal for its
    account, widest first: each measure is a reveal laid out, about 25 ms here, on the show's
    thread."""
    reveals = [(question, answer, record) for question in scene.round for answer, record in answers(scene, question)]
    floor = FACE_LEAST * type_side(scene.context.size)
    reaching = next((n for n, share in enumerate(SHARES) if face_side(measure(scene, *reveals[0], share)) >= floor),
                    len(SHARES) - 1)
    # (the grid's own box needs no looking at: where it tells no account, nothing narrower would)
    for share in reversed(SHARES[1:reaching + 1]):
        if all(tells(m) and eyes_hold(m) for m in (measure(scene, *reveal, share) for reveal in reveals)):
            return share
    return None
