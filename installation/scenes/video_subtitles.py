"""Subtitles for the video scene: SRT text to timed cues, tolerant of what subtitle
editors write (a BOM, CRLF, '.' for ',', formatting tags) and naming the line it cannot
read. `bayard check` uses it too (config/check_paths.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TIME = re.compile(r"(\d+):(\d{1,2}):(\d{1,2})(?:[,.](\d{1,3}))?")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|\{\\[^}]*\}")


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


class SubtitleError(Exception):
    pass


def _seconds(match: re.Match) -> float:
    h, m, s, ms = match.groups()
    return int(h) * 3600 + int(m) * 60 + int(s) + (int((ms or "0").ljust(3, "0")) / 1000)


def parse_srt(text: str, source: str = "subtitles") -> list[Cue]:
    """Cues from SRT text. Tolerates a BOM, CRLF, '.' for ',', missing numbers and
    formatting tags; raises SubtitleError naming the first line it cannot read."""
    cues: list[Cue] = []
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if not line or line.isdigit():
            i += 1
            continue
        if "-->" not in line:
            raise SubtitleError(
                f"{source}, line {i + 1}: expected '00:00:01,000 --> 00:00:03,000', found '{line[:40]}'"
            )
        left, right = line.split("-->", 1)
        a, b = _TIME.search(left), _TIME.search(right)
        if not a or not b:
            raise SubtitleError(f"{source}, line {i + 1}: cannot read the times in '{line[:60]}'")
        i += 1
        body = []
        while i < len(lines) and lines[i].strip():
            body.append(_TAG.sub("", lines[i]).strip())
            i += 1
        start, end = _seconds(a), _seconds(b)
        if end > start and body:
            cues.append(Cue(start, end, "\n".join(body)))
    return sorted(cues, key=lambda c: c.start)
