"""Which missing media files the log has told, so a reload does not tell them again.

The show's files are read for missing media at the start and at each reload, and every reload
logged each missing file again: a curator saving scene files forty times wrote forty lines for
one missing print, burying what their edits changed. A missing file is said once while it stays
missing; again once it was found (copied in, seen by a reload or by the show's own looks) and
is missing again, or when the scene file names it on another line or in other words (the line
its fix goes to). The overlay and status list it all along: this is only the log's memory.
Used on the render thread only.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .config.errors import Problem

Said = tuple[str, int | None, str, str]  # a scene file's name, line, key, words


def _said_as(problem: Problem) -> Said:
    """What a technician reads in a missing file's line: the scene file's name, the line, the
    key and the words. By the file's name, not its folder: a scene file saved half-written plays
    its last good copy (<state>/last-good/scenes/NAME.toml), which names the print on the same
    line, and the print, missing all along, was said twice more (by the copy, then the file)."""
    return (Path(problem.file).name, problem.line, problem.key, problem.message)


class MissingSaid:
    """The missing-media problems the log has said, with the media path each names."""

    def __init__(self, said: Iterable[Problem] = ()) -> None:
        self._said: dict[Said, str] = {_said_as(p): p.missing for p in said}

    def to_say(self, missing: Iterable[Problem]) -> list[Problem]:
        """Of the show's missing media as read now, those the log has not said; what is no
        longer listed is forgotten, so that it is said again should it go missing again."""
        now = {_said_as(p): p for p in missing}
        fresh = [p for said, p in now.items() if said not in self._said]
        self._said = {said: p.missing for said, p in now.items()}
        return fresh

    def found(self, relative: str) -> None:
        """`relative` is there again (the show's looks found it, with no reload to say so)."""
        self._said = {said: path for said, path in self._said.items() if path != relative}
