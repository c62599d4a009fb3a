"""Find the line of a key in TOML source, so validation errors can name it.

tomllib gives values without positions. Validation errors carry a path of keys and
indexes (("captions", 2, "at")); this walks the source text, tracking table headers,
arrays of tables and key/value lines, and returns the best line for such a path: the
key's own line when found, else the line of the nearest enclosing table.
"""

from __future__ import annotations

import functools
import re

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=""")


def key_path(loc: tuple) -> str:
    """A key path as a scene file's author reads it, counting as they count: ("captions", 2,
    "text") -> "captions #3, text", the third [[captions]] block (the problem's line is its
    own). Read as Python counts, "captions[2]" was taken for the second caption, and a
    message about "caption 3" beside it seemed to name another one."""
    text, after_number = "", False
    for part in loc:
        if isinstance(part, int):
            text += f" #{part + 1}"
        else:
            text += (", " if after_number else "." if text else "") + str(part)
        after_number = isinstance(part, int)
    return text


def _split_dotted(key: str) -> list[str]:
    parts = []
    for part in re.findall(r'"[^"]*"|\'[^\']*\'|[^.]+', key):
        parts.append(part.strip().strip("\"'"))
    return parts


def key_lines(source: str) -> dict[tuple, int]:
    """Map every key path found in the source to its 1-based line number."""
    lines: dict[tuple, int] = {}
    table: tuple = ()
    array_counts: dict[tuple, int] = {}
    for number, line in enumerate(source.splitlines(), start=1):
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            path = tuple(_split_dotted(header.group(2)))
            if header.group(1) == "[[":
                index = array_counts.get(path, -1) + 1
                array_counts[path] = index
                table = (*path, index)
                lines.setdefault(path, number)
            else:
                table = path
            lines.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            path = (*table, *_split_dotted(key.group(1)))
            lines.setdefault(path, number)
    return lines


@functools.lru_cache(maxsize=4)
def _known_lines(source: str) -> dict[tuple, int]:
    # One file's mistakes are placed one after another: walking the whole source for each
    # made a quiz manifest of 2,000 items with a slip in each take minutes to read.
    return key_lines(source)


def line_of(source: str, path: tuple) -> int | None:
    """The line for a validation error at `path` (longest known prefix wins)."""
    known = _known_lines(source)
    path = tuple(path)
    while path:
        if path in known:
            return known[path]
        path = path[:-1]
    return None
