"""A show's own words (`[show] words` in install.toml): a table with the same keys as
installation/words.toml, only those the show changes. It is read and checked when the show
loads (a key the software does not have, a list where text belongs, a `{field}` the scene
cannot fill, a brace without its pair: each named at its line), laid under every scene
file's own keys, and used for the words scenes choose as they play (installation/words.py).
A file that cannot be read leaves the built-in words, and says so at its line."""

from __future__ import annotations

import string
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic_core import PydanticUndefined

from ..words import built_in, flatten
from .errors import Problem, ShowError, did_you_mean
from .locate import line_of
from .toml_file import _read_toml

MOST_PROBLEMS = 30  # then one line with the count: a table of typos must not flood `check`
_CONVERSIONS = (None, "r", "s", "a")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _placeholder_problem(value: str, wanted: str) -> str:
    """Why `value` cannot stand where `wanted` does ('' when it can): every `{field}` must
    be one the scene fills, written plainly (a brace itself is written {{ or }})."""
    try:
        parts = list(string.Formatter().parse(value))
    except ValueError:
        return "has a { or } without its pair; write {{ or }} for a brace itself"
    offered = _fields(wanted)

    def braced(names) -> str:
        return ", ".join("{" + name + "}" for name in sorted(names)) or "none"

    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in offered:
            return f"uses {{{name}}}, which the scene does not fill (it fills: {braced(offered)})"
        if conversion not in _CONVERSIONS or (spec and "{" in spec):
            return f"writes {{{name}}} with a form the show cannot use; write it plainly, as {{{name}}}"
        try:
            format(0 if spec and spec[-1:] in "bcdoxXn" else "", spec or "")
        except (ValueError, TypeError):
            return f"writes {{{name}:{spec}}}, a format the show cannot use; write it plainly, as {{{name}}}"
    return ""


def read_show_words(root: Path, relative: str, show_file: Path, source: str) -> tuple[dict[str, Any], list[Problem]]:
    """The show's words, flattened to dotted keys, and the problems found in them."""
    if not relative:
        return {}, []
    where = line_of(source, ("show", "words"))
    parts = PurePosixPath(relative).parts
    if PurePosixPath(relative).is_absolute() or ".." in parts:
        # Outside the show folder it would be read but never watched, nor kept with the
        # show's last good copy.
        return {}, [Problem(show_file, where, "show.words", f"'{relative}' lies outside the show folder; keep "
                            "the words table beside install.toml", severity="warning")]
    path = root / relative
    if not path.is_file():
        return {}, [Problem(show_file, where, "show.words", f"'{relative}' not found beside install.toml; the "
                            "built-in words are used", severity="warning")]
    try:
        data, text = _read_toml(path)
    except ShowError as error:  # its line, and what was probably typed
        return {}, [Problem(p.file, p.line, p.key, f"{p.message}; until it is mended the last good words (or "
                            "the built-in ones) are used", severity="warning") for p in error.problems]
    base = built_in()
    good, found = {}, []

    def problem(key: str, message: str) -> None:
        found.append((key, message))

    for key, value in flatten(data).items():
        wanted = base.get(key)
        if key not in base and any(name.startswith(key + ".") for name in base):
            problem(key, f"'{key}' is a table of words: write them under [{key}], one key each")
        elif key not in base:
            problem(key, f"'{key}' is not one of the show's words{did_you_mean(key, list(base))}; the keys are "
                         "those of installation/words.toml")
        elif isinstance(wanted, list):
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                good[key] = value
            else:
                problem(key, f"'{key}' is a list of texts, as in {key.split('.')[-1]} = [\"...\", \"...\"]; the "
                             "built-in one is used")
        elif not isinstance(value, str):
            problem(key, f"'{key}' is text: write it between quotes; the built-in one is used")
        elif why := _placeholder_problem(value, str(wanted)):
            problem(key, f"'{key}' {why}; the built-in one is used")
        else:
            good[key] = value
    problems = [Problem(path, line_of(text, tuple(key.split("."))), key, message, severity="warning")
                for key, message in found[:MOST_PROBLEMS]]
    if len(found) > MOST_PROBLEMS:
        problems.append(Problem(path, None, "", f"and {len(found) - MOST_PROBLEMS} more mistakes like these",
                                severity="warning", tally=True))
    return good, problems


def _default_of(field: Any) -> Any:
    if field.default is not PydanticUndefined:
        return field.default
    if field.default_factory is not None:
        try:
            return field.default_factory()
        except TypeError:  # a factory that wants the validated data: not a words default
            return None
    return None


def words_keys(config_cls: type) -> dict[str, str]:
    """The scene keys whose built-in default is an entry of the words table (a text, or a
    list such as the quiz's tips), each with that entry's dotted key."""
    by_value: dict[Any, str] = {}
    for key, value in built_in().items():
        marker = value.strip() if isinstance(value, str) else tuple(str(v).strip() for v in value)
        by_value.setdefault(marker, key)
    found = {}
    for name, field in config_cls.model_fields.items():
        default = _default_of(field)
        if isinstance(default, str):
            key = by_value.get(default.strip())
        elif isinstance(default, list) and all(isinstance(v, str) for v in default):
            key = by_value.get(tuple(v.strip() for v in default))
        else:
            continue
        if key is not None:
            found[name] = key
    return found


def scene_defaults(config_cls: type, show_words: dict[str, Any]) -> dict[str, Any]:
    """The scene keys the show's words replace, with the show's; a scene file's own value
    still wins."""
    if not show_words:
        return {}
    return {name: show_words[key] for name, key in words_keys(config_cls).items() if key in show_words}
