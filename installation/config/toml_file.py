"""Reading one of the show's TOML files: its text as UTF-8 and its tables, or a ShowError
naming the file and the line, in the artist's words (a curly quote from a word processor,
a quote left open, True for true) rather than the TOML parser's: toml_hints.py.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from ..runtime.files import read_text
from .errors import Problem, ShowError
from .toml_hints import syntax_hint


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
        line, hint = syntax_hint(lines, line, text)
        raise ShowError([Problem(path, line, "", f"TOML syntax: {text}{hint}")]) from None

