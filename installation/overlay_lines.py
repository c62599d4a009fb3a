"""The operator overlay's status text fitted to its panel: blocks (overlay_words.py) wrapped
to the panel's width, and as many lines as the room above the buttons holds. Measured with
whatever font the overlay draws with (anything with pygame's `size` and `get_linesize`).

A block's `max_lines` is a cap for a panel short of room. Where every block fits whole, none
is cut: on an upright kiosk each recent error was cut at two lines while most of the screen
under the panel stood empty, and the end cut off was the fix ("did you mean
'portraits/thoreau-1856.jpg'?" read "did you mean…").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .overlay_words import Block

Line = tuple[str, Any, tuple[int, int, int]]  # its text, the font it is drawn in, its colour


def panel_lines(blocks: Iterable[Block], fonts: Mapping[str, Any], colours: Mapping[str, tuple[int, int, int]],
                width: int, room: int) -> tuple[list[Line], int]:
    """The lines to draw in a panel `width` pixels wide with `room` pixels of height for its
    lines, and how many lines would not fit (0 when all are drawn). Each block's words whole
    where all fit; else each block kept to its `max_lines`, a cut one ending in an ellipsis."""
    blocks = list(blocks)
    whole = _lines(blocks, fonts, colours, width, capped=False)
    lines = whole if sum(font.get_linesize() for _, font, _ in whole) <= room else \
        _lines(blocks, fonts, colours, width, capped=True)
    shown, height = [], 0
    for line in lines:
        height += line[1].get_linesize()
        if height > room:
            break
        shown.append(line)
    return shown, len(lines) - len(shown)


def _lines(blocks: list[Block], fonts: Mapping[str, Any], colours: Mapping[str, tuple[int, int, int]],
           width: int, capped: bool) -> list[Line]:
    lines = []
    for block in blocks:
        font = fonts["big" if block.style == "title" else "small"]
        wrapped = wrap(block.words, font, width, sep=block.sep) if block.wrap else [block.sep.join(block.words)]
        # A line past the panel's edge (a long scene title, unwrapped) or a block cut at
        # its last line (a long fault) ends in an ellipsis: it ran off the screen, or
        # stopped mid-sentence with nothing to say more was cut.
        cut = capped and len(wrapped) > block.max_lines
        if cut:
            wrapped = wrapped[:block.max_lines]
        for number, text in enumerate(wrapped, 1):
            lines.append((cut_to(font, text, width, cut and number == len(wrapped)), font, colours[block.style]))
    return lines


def wrap(words: list[str], font: Any, width: int, sep: str = " ") -> list[str]:
    """Join words into lines that fit `width` pixels (a word longer than a line is cut)."""
    from .linebreak import greedy_lines  # (it imports pygame, which the overlay loads only to draw)

    return greedy_lines(font, words, width, sep, overlong=_cut_with_ellipsis)


def cut_to(font: Any, text: str, width: int, more: bool = False) -> str:
    """`text` as it fits `width` pixels: whole where it fits (and nothing follows it, `more`),
    else cut at its end with an ellipsis."""
    if not more and font.size(text)[0] <= width:
        return text
    end = len(text)
    while end > 0 and font.size(text[:end].rstrip() + "\u2026")[0] > width:
        end -= 1
    return text[:end].rstrip() + "\u2026"


def _cut_with_ellipsis(font: Any, word: str, width: int) -> list[str]:
    """A word longer than a line (a path in an error), in pieces ending in an ellipsis."""
    pieces = []
    while font.size(word)[0] > width and len(word) > 1:
        cut = len(word)
        while cut > 1 and font.size(word[:cut] + "\u2026")[0] > width:
            cut -= 1
        pieces.append(word[:cut] + "\u2026")
        word = word[cut:]
    return [*pieces, word]
