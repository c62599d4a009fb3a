"""Problems found in show and scene files, phrased for the artist who wrote them.

A problem names its file relative to the show folder (the folder of install.toml) when the
file lies in it, and in full otherwise: once it was relative to the folder the command ran
from, so `bayard check` run from elsewhere, and the journal of a service started in /, named
files ("../show/scenes/a.toml", "opt/bayard/show/...") a technician could not find."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Problem:
    file: Path
    line: int | None
    key: str
    message: str
    # "error" stops `bayard check`; "warning" (optional content missing) does not; "note" (only
    # `check` makes them) says what the show reads in its content, with nothing to mend.
    severity: str = "error"
    tally: bool = False  # "and 40 more like these": read after the file's problems it counts
    root: Path | None = field(default=None, compare=False)  # the show folder, which `where` names from
    # A media file not there, inside the content folder ('' for other problems): the running
    # show looks again for it and lets the problem go once it is copied in.
    missing: str = field(default="", compare=False)

    def within(self, root: Path) -> Problem:
        """The same problem, naming its file from the show folder `root`."""
        return replace(self, root=root)

    def reading_place(self) -> tuple[str, int, int]:
        """Where it is read: file by file, a whole file's problems first, then line by line,
        a tally last (it was listed first, having no line)."""
        return (str(self.file), int(self.tally), self.line or 0)

    def where(self) -> str:
        """file:line, the file named as `shown` names it."""
        named = shown(self.file, self.root)
        return f"{named}:{self.line}" if self.line else named

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


def shown(file: Path, root: Path | None) -> str:
    """A file from the show folder `root` when it lies in it, else in full (never from the
    working folder, which differs between a terminal, a service and a test)."""
    file = Path(os.path.abspath(file))
    root = Path(os.path.abspath(root)) if root is not None else None
    return file.relative_to(root).as_posix() if root is not None and file.is_relative_to(root) else str(file)


class ShowError(Exception):
    """One or more problems that stop a file from being used."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__()

    def within(self, root: Path) -> ShowError:
        """Name the files from the show folder `root` (problems that already know theirs keep it)."""
        self.problems = [p if p.root is not None else p.within(root) for p in self.problems]
        return self

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
