"""The words the show says to visitors when a scene file does not say them itself.

Every visitor-facing default lives in one table, `installation/words.toml`, so a
translation replaces a file and touches no Python. Scene files override any of them
with their own keys (docs/reference.md lists which); `{name}` fields are filled in by
the scene (a score, a count).
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

TABLE = Path(__file__).with_name("words.toml")


@cache
def _table() -> dict[str, Any]:
    with TABLE.open("rb") as handle:
        return tomllib.load(handle)


def words(key: str, **fields: Any) -> str:
    """The text at a dotted key ("quiz.next"), with `{fields}` filled in."""
    node: Any = _table()
    for part in key.split("."):
        node = node[part]
    text = str(node).strip()
    return text.format(**fields) if fields else text


def word_list(key: str) -> list[str]:
    node: Any = _table()
    for part in key.split("."):
        node = node[part]
    return [str(x).strip() for x in node]
