"""One word of visitor text as the font draws it: its width measured as drawn (the shipped
serif's "\u2026" and guillemets advance less than their ink) and, where it is wider than a
line, where it breaks (after a slash or hyphen; between Chinese and Japanese characters, by
their rules). linebreak.py decides which words go on which line."""

from __future__ import annotations

import unicodedata

import pygame

# Where a web address or a path breaks best: after these, without adding a hyphen.
_BREAK_AFTER = "/-._?&=#:,;"


# Punctuation a Chinese or Japanese line may not end or start with (kinsoku shori).
_NO_LINE_END = set("（「『【〔〈《〘〖‘“")
_NO_LINE_START = set("、。，．！？：；）」』】〕〉》〙〗’”ゝゞーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ…‥・")

# French quotation marks, whose ink some fonts draw past their advance (as_drawn).
_GUILLEMETS = "\u00ab\u00bb\u2039\u203a"


def as_drawn(font: pygame.font.Font, text: str) -> str:
    """`text` as it is drawn in `font`, measured as drawn (the wrap) and rasterised. The
    shipped serif's "…" and « » advance less than their own ink: "[…]" read "[.]." and
    "« guillemets »" read "«guillemets »": such a font gets three full stops for "…", and
    a no-break space after each guillemet to make room for its ink."""
    if "\u2026" in text and _ellipsis_overlaps(font):
        text = text.replace("\u2026", "...")
    if any(mark in text for mark in _GUILLEMETS):
        for mark in _GUILLEMETS:
            if mark in text and _overlaps(font, mark):
                text = text.replace(mark, mark + "\u00a0")
    return text


def text_width(font: pygame.font.Font, text: str) -> int:
    return font.size(as_drawn(font, text))[0]


def _overlaps(font: pygame.font.Font, character: str) -> bool:
    """Whether the character's ink reaches a tenth of a line's height past its advance."""
    metrics = font.metrics(character)[0]
    return bool(metrics) and metrics[1] - metrics[4] > 0.1 * font.get_height()


def _ellipsis_overlaps(font: pygame.font.Font) -> bool:
    """The shipped serif's "…" advances a third of its own width: drawn, its dots fell on
    the next characters ("[…]" read "[.]."). Such a font is given three full stops.
    (Asked each time a line is rasterised, which the cache makes rare.)"""
    metrics = font.metrics("\u2026")[0]
    return bool(metrics) and metrics[4] < metrics[1]


def ideographic(character: str) -> bool:
    """A character of a script written without spaces (Chinese, Japanese kana and kanji,
    and their full-width punctuation): lines break between any two of them."""
    return unicodedata.east_asian_width(character) in ("W", "F") and not character.isspace()


def break_word(font: pygame.font.Font, word: str, width: int) -> list[str]:
    """`word` in pieces no wider than `width` (at least one character each): after a
    slash, dot or hyphen in the last third of the piece where there is one, else between
    letters, with a hyphen (Chinese and Japanese: between characters, without)."""
    pieces = []
    while font.size(word)[0] > width and len(word) > 1:
        fits = 1  # the longest prefix that fits, leaving room for a hyphen
        low, high = 1, len(word) - 1
        while low <= high:
            middle = (low + high) // 2
            if font.size(word[:middle] + "-")[0] <= width:
                fits, low = middle, middle + 1
            else:
                high = middle - 1
        cut = max((i + 1 for i in range(fits * 2 // 3, fits) if word[i] in _BREAK_AFTER), default=None)
        if cut is not None:
            pieces.append(word[:cut])
        elif ideographic(word[fits - 1]) or ideographic(word[fits]):
            # Chinese and Japanese break between any two characters, with no hyphen; but a
            # line never starts with closing punctuation (。、」…): it goes up with the
            # character before it, and that character comes down with it if need be; nor
            # ends with an opening bracket (「（…), which goes down with what it opens.
            cut = fits
            while cut > 1 and (word[cut] in _NO_LINE_START or word[cut - 1] in _NO_LINE_END):
                cut -= 1
            pieces.append(word[:cut])
        else:
            cut = fits
            hyphen = word[cut - 1].isalpha() and word[cut].isalpha()
            pieces.append(word[:cut] + ("-" if hyphen else ""))
        word = word[cut:]
    pieces.append(word)
    return pieces
