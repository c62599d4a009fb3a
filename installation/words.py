"""The words the show says to visitors when a scene file does not say them itself.

Every visitor-facing default lives in one table, `installation/words.toml`. A show
translates any of them in a table of its own (`[show] words` in install.toml: the same
keys, only those it changes), which takes precedence while that show plays; scene files
override their own keys again (docs/reference.md lists which). `{name}` fields are
filled in by the scene (a score, a count).
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


# The playing show's own words (dotted key -> text or list), set by the engine when a show
# starts or reloads; read by scenes as they draw.
_show_words: dict[str, Any] = {}


def use_show_words(table: dict[str, Any] | None) -> None:
    """Make `table` (dotted keys, as `flatten` gives) the playing show's words."""
    global _show_words
    _show_words = dict(table or {})


def flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """{"quiz": {"play": "..."}} -> {"quiz.play": "..."}."""
    flat: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def built_in() -> dict[str, Any]:
    """The software's own words, flattened."""
    return flatten(_table())


def _lookup(key: str) -> Any:
    if key in _show_words:
        return _show_words[key]
    node: Any = _table()
    for part in key.split("."):
        node = node[part]
    return node


def words(key: str, **fields: Any) -> str:
    """The text at a dotted key ("quiz.next"), with `{fields}` filled in."""
    text = str(_lookup(key)).strip()
    return text.format(**fields) if fields else text


def word_list(key: str) -> list[str]:
    return [str(x).strip() for x in _lookup(key)]
