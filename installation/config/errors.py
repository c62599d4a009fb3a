"""Problems found in show and scene files, phrased for the artist who wrote them."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Problem:
    file: Path
    line: int | None
    key: str
    message: str
    severity: str = "error"  # "error" stops `bayard check`; "warning" (optional content missing) does not
    tally: bool = False  # "and 40 more like these": read after the file's problems it counts

    def reading_place(self) -> tuple[str, int, int]:
        """Where it is read: file by file, a whole file's problems first, then line by line,
        a tally last (it was listed first, having no line)."""
        return (str(self.file), int(self.tally), self.line or 0)

    def where(self) -> str:
        try:
            shown = os.path.relpath(self.file)
        except ValueError:
            shown = str(self.file)
        if shown.startswith(".." + os.sep + ".."):
            shown = str(self.file)
        return f"{shown}:{self.line}" if self.line else shown

    def __str__(self) -> str:
        key = f" {self.key}:" if self.key else ""
        return f"{self.where()}:{key} {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": str(self.file),
            "line": self.line,
            "key": self.key,
            "message": self.message,
            "severity": self.severity,
        }


class ShowError(Exception):
    """One or more problems that stop a file from being used."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def format_loc(loc: tuple) -> str:
    """('captions', 2, 'at') -> 'captions[2].at' as an artist would read it."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text
