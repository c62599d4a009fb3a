"""The words the show says to visitors when a scene file does not say them itself.

Every visitor-facing default lives in one table, `installation/words.toml`. A show
translates any of them in a table of its own (`[show] words` in install.toml: the same
keys, only those it changes), which takes precedence while that show plays; scene files
override their own keys again (docs/reference.md lists which). `{name}` fields are
filled in by the scene (a score, a count).
"""

from __future__ import annotations

import logging
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
_said: set[str] = set()  # keys whose failure to fill in was logged
log = logging.getLogger("bayard.words")


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
    """The text at a dotted key ("quiz.next"), with `{fields}` filled in. A show's own text
    that cannot be filled in (a format the loader's check let through, such as {said:d}
    for a word) gives way to the built-in one: a quiz round must not fail on a translation."""
    text = str(_lookup(key)).strip()
    if not fields:
        return text
    try:
        return text.format(**fields)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as error:
        if key not in _show_words:
            raise
        if key not in _said:
            _said.add(key)
            log.warning("the show's words: '%s' cannot be filled in (%s); the built-in text is used", key, error)
        node: Any = _table()
        for part in key.split("."):
            node = node[part]
        return str(node).strip().format(**fields)


def word_list(key: str) -> list[str]:
    return [str(x).strip() for x in _lookup(key)]
