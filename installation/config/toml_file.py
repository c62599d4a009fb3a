"""Reading one of the show's TOML files: its text as UTF-8 and its tables, or a ShowError
naming the file and the line, in the artist's words (a curly quote from a word processor,
a quote left open, True for true) rather than the TOML parser's.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from ..runtime.files import read_text
from .errors import Problem, ShowError


def _read_toml(path: Path) -> tuple[dict[str, Any], str]:
    try:
        source = read_text(path)
    except FileNotFoundError:
        raise ShowError([Problem(path, None, "", "file not found")]) from None
    except UnicodeDecodeError as exc:
        try:  # the line, which an artist can find (a byte offset they cannot)
            line = path.read_bytes()[:exc.start].count(b"\n") + 1
        except OSError:
            line = None
        raise ShowError([Problem(path, line, "", f"not UTF-8 text ({exc.reason}); save the file as UTF-8 "
                                 "(in most editors: Save As, encoding UTF-8)")]) from None
    except OSError as exc:
        raise ShowError([Problem(path, None, "", f"cannot be read: {exc.strerror}")]) from None
    try:
        return tomllib.loads(source), source
    except tomllib.TOMLDecodeError as exc:
        line = None
        text = str(exc)
        if "(at line " in text:
            try:
                line = int(text.split("(at line ")[1].split(",")[0])
            except (IndexError, ValueError):
                line = None
        elif "(at end of document)" in text:  # (a file cut off mid-value: its last line)
            line = max(1, len(source.splitlines()))
        text = text.split(" (at line")[0].split(" (at end of document)")[0]
        lines = source.split("\n")  # (TOML counts lines at \n alone; splitlines also breaks at U+2028)
        said = lines[line - 1] if line is not None and 0 < line <= len(lines) else ""
        raise ShowError([Problem(path, line, "", f"TOML syntax: {text}{syntax_hint(said, text)}")]) from None


CURLY_QUOTES = "\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019"


def syntax_hint(line: str, message: str) -> str:
    """What the artist most likely typed, in their words: TOML's own messages ("Invalid
    value", "Illegal character '\\n'") say nothing of curly quotes from a word processor,
    text without quotes, a quote left open or an accented key."""
    key, equals, value = line.partition("=")
    value = value.strip()
    if equals and value and value[0] in CURLY_QUOTES:
        return ("; the text is in curly quotes (\u201c \u201d), which a word processor or TextEdit types: "
                "write straight quotes \" \" around it, in a plain-text editor")
    if equals and value.count('"') % 2 == 1 and not value.startswith('"""'):
        return '; a quote is not closed on this line: end the text with "'
    if "Invalid value" in message and equals and value.split()[:1] in (["True"], ["False"], ["TRUE"], ["FALSE"]):
        return "; write true or false in small letters"
    if "Invalid value" in message and equals and value[:1].isalpha() and value.split()[0] not in ("true", "false"):
        return ("; text goes between quotes, as in key = \"text\" (numbers, true and false go without); "
                "a number is written in figures, as in duration = 10")
    if "Expected '='" in message and any(c.isalpha() and not c.isascii() for c in key):
        return ("; a key is written in plain letters, digits, - and _ (no accents or spaces): "
                "the keys each scene type knows are in docs/reference.md")
    return ""
