"""Where lines of visitor text break: as many words as fit a line, a paragraph never ending
on a lone word, a new sentence's first word kept from the end of the line before where
the rag allows, a centred title set in even lines, no break inside a name's initial, a date
or between a guillemet and its word, a word too long for a line broken where a typesetter
would (linebreak_word: after a slash or hyphen; between Chinese and Japanese characters, by
their rules). Measured in the font as it draws (linebreak_word.as_drawn). The typography
layer (typography.py) sets the lines these give it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pygame

from .linebreak_word import break_word, ideographic, text_width


def paragraph_lines(font: pygame.font.Font, paragraph: str, width: int, balanced: bool = False) -> list[str]:
    """One paragraph's lines at `width` pixels (see Fonts.wrap)."""
    # Broken at ordinary spaces only: a no-break space (U+00A0, "M.\u00a0Daguerre",
    # "18\u00a0October") holds its words together, as a typesetter means it to.
    bound = _INITIAL_SPACE.sub(_bind_initial, _GUILLEMET_SPACES.sub(_bind_guillemet, paragraph.strip()))
    words = _tied(font, _BREAKS.split(bound), width)
    greedy = greedy_lines(font, words, width)
    if balanced and len(greedy) > 1:
        greedy = _balanced(font, words, width, len(greedy))
    elif _holed(font, greedy, width):
        even = _even_ragged(font, _tied(font, _BREAKS.split(bound), width, letters=False), width, len(greedy))
        # (only where that narrows the widest hole: evened by its squares alone, a portrait's
        # text traded "the way / a faked video" for a shorter line, "and the / way a faked video
        # can make")
        if _widest_room(font, even, width) < _widest_room(font, greedy, width):
            greedy = even
    if _opening_at_end(greedy):
        greedy = _opening_kept_down(font, _BREAKS.split(bound), width, greedy, balanced)
    return [_without_end_separator(line) for line in _without_runt(font, greedy, width)]


def _opening_at_end(lines: list[str]) -> bool:
    """Whether a line but the last ends on a sentence's opening word (with the word a
    one-letter opening is tied to) after words of the sentence before it: "Photograph or
    invented by a computer? A machine / answers too"."""
    for line in lines[:-1]:
        words = line.split(" ")
        if len(words) < 2:
            continue
        last, before = words[-1].split("\u00a0"), words[-2].split("\u00a0")[-1]
        if (len(last) == 1 or len(last) == 2 and _one_letter(last[0])) and _opens_sentence(before, last[0]):
            return True
        if len(words) >= 3 and _one_letter(words[-2]) and _opens_sentence(words[-3].split("\u00a0")[-1], words[-2]):
            return True
    return False


def _opens_sentence(before: str, word: str) -> bool:
    """Whether `word` begins a sentence: after a full stop, question or exclamation mark (a
    closing quotation mark or bracket may follow it), and capitalised."""
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and letters[0].isupper() and before.rstrip(_CLOSING_QUOTES).endswith(_SENTENCE_ENDS)


_SENTENCE_ENDS = (".", "?", "!", "\u2026")
_CLOSING_QUOTES = "\u201d\u2019\u00bb\"')]"


def _opening_kept_down(font: pygame.font.Font, words: list[str], width: int, lines: list[str],
                       balanced: bool) -> list[str]:
    """`lines` set again with no sentence's opening word at a line's end (_opening_at_end),
    where the text allows that in as many lines and without a more ragged edge: no wider
    room at the end of a line but the last (`balanced`, centred: no wider difference between
    its longest and shortest line) than the setting it replaces, or than a fifth of the
    column; a line that ends its sentence may leave up to a third (_widest_open_room). (A
    typesetter keeps a new sentence's first word with its sentence: at a line's end it reads
    as the end of the sentence before.) Centred lines stay even: the opening
    word goes with the word after it, and the lines are balanced again."""
    if balanced:
        kept = _balanced(font, _tied(font, _openings_tied(words), width), width, len(lines))
        ragged, unseen = _spread, 0
    else:
        kept = _even_ragged(font, _tied(font, words, width, letters=False), width, len(lines), openings=True)
        # (a rag no more than an em wider is not seen as more ragged: the portrait's card at
        # 1024x768 kept "open your mouth. The / portrait" for 3 px more room in 498)
        ragged, unseen = _widest_open_room, font.size("M")[0]
    if (len(kept) <= len(lines) and not _opening_at_end(kept)
            and ragged(font, kept, width) <= max(width // 5, ragged(font, lines, width) + unseen)
            and (balanced or _widest_room(font, kept, width) <= max(width // 3, _widest_room(font, lines, width)))):
        return kept
    if balanced:
        return _sentences_apart(font, words, width, lines)
    return lines


def _sentences_apart(font: pygame.font.Font, words: list[str], width: int, lines: list[str]) -> list[str]:
    """Centred `lines` set again with each sentence beginning a line, each sentence's own lines
    even, where that takes no more lines and no sentence is more ragged than _opening_kept_down
    allows the whole: a centred text breaks at its sense, and the short line a sentence's end
    leaves reads as a pause, as in a poem. (Balanced as one, an upright title card read "was
    announced. Today / a machine can invent a face": evening the whole kept the opening word
    at the line's end, its lines 487 to 698 px wide.)"""
    sentences: list[list[str]] = [[]]
    for n, word in enumerate(words):
        if n and sentences[-1] and _opens_sentence(words[n - 1], word):
            sentences.append([])
        sentences[-1].append(word)
    apart: list[str] = []
    for sentence in sentences:
        tied = _tied(font, sentence, width)
        count = len(greedy_lines(font, tied, width))
        even = _balanced(font, tied, width, count) if count > 1 else greedy_lines(font, tied, width)
        if _spread(font, even, width) > max(width // 5, _spread(font, lines, width)):
            return lines
        apart += even
    return apart if len(sentences) > 1 and len(apart) <= len(lines) and not _opening_at_end(apart) else lines


def _openings_tied(words: list[str]) -> list[str]:
    """The words with each sentence's opening word joined to the word after it by a no-break
    space, and a one-letter word among them to the word after it too (the title card's
    "Today a" ended a line on "a", the one-letter word no longer tied to its own)."""
    out: list[str] = []
    held = 0  # how many more words join the one before them
    for n, word in enumerate(words):
        if held:
            out[-1] = f"{out[-1]}\u00a0{word}"
            held -= 1
        else:
            out.append(word)
            if n and _opens_sentence(words[n - 1], word):
                held = 1
        if _one_letter(word):
            held += 1
    return out


def _spread(font: pygame.font.Font, lines: list[str], width: int) -> int:
    """How much longer a centred setting's longest line is than its shortest."""
    widths = [text_width(font, line) for line in lines]
    return max(widths) - min(widths)


def _holed(font: pygame.font.Font, lines: list[str], width: int) -> bool:
    """Whether a one-letter word tied to the word after it left a hole in the column's right
    edge: it went down to the next line, where the line it left had room for it ("Here they
    looked like / a photograph's" under a line of the column's full width)."""
    for line, below in zip(lines, lines[1:], strict=False):
        first = below.split(" ")[0].split("\u00a0")[0]
        if _one_letter(first) and below.startswith(first + "\u00a0") and text_width(font, f"{line} {first}") <= width:
            return True
    return False


def _widest_open_room(font: pygame.font.Font, lines: list[str], width: int) -> int:
    """The most room a line but the last leaves at the column's right edge where its sentence
    goes on to the next line. A line that ends its sentence may leave more (_opening_kept_down
    allows it a third of the column): its room reads as the pause the full stop makes, as a
    typesetter lets it. (Held to a fifth like any other, the stand-in's note at 1024x768 kept
    "made for this exhibition. The / print itself..." for 3 px of room: "exhibition." left 72
    px of a 346 px column.)"""
    return max((width - text_width(font, line) for line in lines[:-1] if not _ends_sentence(line)), default=0)


def _ends_sentence(line: str) -> bool:
    """Whether the line's last word ends a sentence (a closing quotation mark or bracket may
    follow its full stop, question or exclamation mark)."""
    return line.rstrip().rstrip(_CLOSING_QUOTES).endswith(_SENTENCE_ENDS)


def _widest_room(font: pygame.font.Font, lines: list[str], width: int) -> int:
    """The most room any line but the last leaves at the column's right edge."""
    return max((width - text_width(font, line) for line in lines[:-1]), default=0)


def _even_ragged(font: pygame.font.Font, words: list[str], width: int, most_lines: int,
                 openings: bool = False) -> list[str]:
    """The words in at most `most_lines` lines, no line but the last ending on a one-letter
    word, the lines as even as that allows: the least room the shortest line but the last
    leaves, then the least sum of the squared room each leaves (a typesetter's rag, where
    greedy filling, a one-letter word sent down, left one line short). Where no such setting
    exists (a word wider than the column, or one-letter words that cannot all be kept from a
    line's end), the greedy lines, each one-letter word tied to the word after it."""
    count = len(words)
    widths = {}
    for start in range(count):
        for end in range(start + 1, count + 1):
            measured = text_width(font, " ".join(words[start:end]))
            if measured > width:
                break
            widths[start, end] = measured
    # best[lines][end]: the least cost of setting words[:end] in `lines` lines, and its last break
    best: list[dict[int, tuple[tuple[int, int], int]]] = [{0: ((0, 0), -1)}]
    for lines in range(1, most_lines + 1):
        row: dict[int, tuple[tuple[int, int], int]] = {}
        for (start, end), measured in widths.items():
            if start not in best[lines - 1]:
                continue
            if end < count and _one_letter(words[end - 1]):
                continue  # (a line never ends on "a", where another break is possible)
            if openings and end < count and _opening_ends(words, start, end):
                continue  # (nor, with `openings`, on a sentence's opening word)
            if end == count and lines > 1 and end - start == 1:
                continue  # (nor the paragraph on a lone word: _without_runt took "a"'s word down from it)
            widest, squares = best[lines - 1][start][0]
            room = 0 if end == count else width - measured
            cost = (max(widest, room), squares + room * room)
            if end not in row or cost < row[end][0]:
                row[end] = (cost, start)
        best.append(row)
    settled = [(best[lines][count][0], lines) for lines in range(1, most_lines + 1) if count in best[lines]]
    if not settled:
        return greedy_lines(font, _tied(font, words, width), width)
    lines, end, out = min(settled)[1], count, []
    while lines:
        start = best[lines][end][1]
        out.append(" ".join(words[start:end]))
        end, lines = start, lines - 1
    return out[::-1]


def _opening_ends(words: list[str], start: int, end: int) -> bool:
    """Whether the line of words[start:end] ends on a sentence's opening word (or on the
    word a one-letter opening goes with) after words before it."""
    last = end - 1
    if last > start and _opens_sentence(words[last - 1], words[last]):
        return True
    return last - 1 > start and _one_letter(words[last - 1]) and _opens_sentence(words[last - 2], words[last - 1])


def _without_end_separator(line: str) -> str:
    """A line broken at a separator (a score's "Question 5 of 5 \u00b7 you 1 \u00b7") without
    the separator at its end: the line's end divides the parts already."""
    return line[:-2] if line.endswith(("\u00a0\u00b7", " \u00b7")) else line


def greedy_lines(font: pygame.font.Font, words: list[str], width: int, sep: str = " ",
                 overlong: Callable[[pygame.font.Font, str, int], list[str]] | None = None) -> list[str]:
    """As many words (joined by `sep`) on each line as fit `width` pixels. A word wider
    than a line is cut into pieces by `overlong` (default: broken as `break_word` does,
    rather than cut off at the column's edge)."""
    lines: list[str] = []
    current = ""
    for word in words:
        trial = f"{current}{sep}{word}" if current else word
        if text_width(font, trial) <= width:
            current = trial
            continue
        if current:
            lines.append(current)
        pieces = (overlong or break_word)(font, word, width)
        lines.extend(pieces[:-1])
        current = pieces[-1]
    if current:
        lines.append(current)
    return lines


def _balanced(font: pygame.font.Font, words: list[str], width: int, count: int) -> list[str]:
    """The narrowest greedy wrap that still takes `count` lines: even lines. (Greedy line
    counts only fall as the width grows, so the narrowest such width is found by halving.)
    Never narrower than its widest word that fits the column: narrower, such a word was broken
    to even the lines ("Staged, / Synthe- / tic, Real" on an upright title card). (A word
    wider than the column, Chinese or Japanese without spaces, is broken all the same.)"""
    fitting = [w for w in (text_width(font, word) for word in words) if w <= width]
    low, high = max(fitting, default=1), width
    while low < high:
        middle = (low + high) // 2
        if len(greedy_lines(font, words, middle)) <= count:
            high = middle
        else:
            low = middle + 1
    return greedy_lines(font, words, high)


_BREAKS = re.compile(r"[ \t\n\r\f\v]+")
# The mark of words left out of a quotation: it ends the words it follows, never a line's start.
_ELISIONS = ("[\u2026]", "[...]", "(\u2026)", "\u2026")


def _tied(font: pygame.font.Font, words: list[str], width: int, letters: bool = True) -> list[str]:
    """Words a typesetter keeps on one line, joined by a no-break space: a one-letter word
    and the word after it (the photograph's title read "Self Portrait as a / Drowned Man";
    Czech and Polish setting ties its one-letter words so, French its "à"), an elision
    mark and the word before it (Bayard's letter ended on a line of "see. [\u2026]"), and a
    date's parts. Only where the pair fits the column: narrower, it breaks like any other
    two words. Without `letters`, no one-letter word (_even_ragged keeps those itself)."""
    out: list[str] = []
    dated = _in_dates(words)
    for index, word in enumerate(words):
        tie = out and (letters and _one_letter(out[-1]) or _elision(word) or index in dated
                       or _initial_after_name(out[-1], word))
        if tie and text_width(font, f"{out[-1]}\u00a0{word}") <= width:
            out[-1] = f"{out[-1]}\u00a0{word}"
        else:
            out.append(word)
    return out


# A date told by its figures, in any language that names its months: a day ("18", "4."), its
# month and year ("4. Juli 1856"), or a month, its day and year ("October 18, 1863"). A lone
# year ("in 1839") or a count ("5 questions") is no date.
_DAY, _DAY_BEFORE_YEAR = re.compile(r"\d{1,2}\.?"), re.compile(r"\d{1,2},")
_YEAR, _MONTH = re.compile(r"\d{3,4}\W*"), re.compile(r"[^\W\d_]+")


def _in_dates(words: list[str]) -> set[int]:
    """The places in `words` of each word tied to the one before it as part of a date: the
    back of Bayard's print was credited "18 October / 1840" at 1920x1080."""
    # (Read part by part: a curator may have tied some of it already, "18\u00a0October 1840".)
    parts = [(part, index) for index, word in enumerate(words) for part in word.split("\u00a0")]
    tied = set()
    for at in range(len(parts) - 2):
        (day, first), (month, _), (year, last) = parts[at:at + 3]
        if _YEAR.fullmatch(year) and (_DAY.fullmatch(day) and _MONTH.fullmatch(month)
                                      or _MONTH.fullmatch(day) and _DAY_BEFORE_YEAR.fullmatch(month)):
            tied.update(range(first + 1, last + 1))
    return tied


def _initial_after_name(before: str, word: str) -> bool:
    """Whether `word` is an initial bound to its surname ("D.\u00a0Maxham,") after a given
    name ("Benjamin"): a person's name stays on one line where it fits one (at 1280x1024
    Thoreau's portrait was credited "...by Benjamin / D. Maxham"). A name is a capitalised word
    of letters alone ("Smith." ends a sentence, "by" is no name)."""
    name = before.split("\u00a0")[-1]
    return (_INITIAL_NAME.match(word) is not None and name[:1].isupper()
            and name.replace("-", "").isalpha())


# An initial (of any script's capitals) bound to the word after it by _bind_initial.
_INITIAL_NAME = re.compile(r"[^\W\d_]\.\u00a0")


def _elision(word: str) -> bool:
    """An elision mark, with the quotation mark or stop that may close it ("[\u2026]\u201d")."""
    return word.rstrip(_CLOSING) in _ELISIONS


# What may follow an elision mark at a quotation's end.
_CLOSING = "\u201d\u2019\u00bb\"').,;:!?"


def _one_letter(word: str) -> bool:
    """A word of one letter ("a", "à", "I", "w"), not a figure, a mark or a character of a
    script written without spaces (which breaks between any two characters anyway)."""
    return len(word) == 1 and word.isalpha() and not ideographic(word)


def _without_runt(font: pygame.font.Font, lines: list[str], width: int) -> list[str]:
    """A last line of one word takes the word before it down, when that fits and leaves
    the line above at least two words."""
    if len(lines) < 2 or " " in lines[-1]:
        return lines
    above = lines[-2].split(" ")
    if len(above) < 3:
        return lines
    last = f"{above[-1]} {lines[-1]}"
    if text_width(font, last) > width:
        return lines
    return [*lines[:-2], " ".join(above[:-1]), last]




# French (and Swiss, Russian...) quotation marks keep to their words: « mot » never breaks
# after « or before ». A space typed inside them becomes a no-break space.
_GUILLEMET_SPACES = re.compile(r"([\u00ab\u2039]) +| +([\u00bb\u203a])")
# An initial stays with the name after it: a credit broke "Benjamin D." from "Maxham".
# (Any script's capitals: "É. Zola", "Ø. Dahl".)
_INITIAL_SPACE = re.compile(r"\b([^\W\d_]\.) (?=[^\W\d_])")


def _bind_initial(match: re.Match) -> str:
    initial, following = match[1][0], match.string[match.end()]
    return f"{match[1]}\u00a0" if initial.isupper() and following.isupper() else match[0]


def _bind_guillemet(match: re.Match) -> str:
    return f"{match[1]}\u00a0" if match[1] else f"\u00a0{match[2]}"
