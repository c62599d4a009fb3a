"""A show's own words (`[show] words` in install.toml): a table with the same keys as
installation/words.toml, only those the show changes. It is read and checked when the show
loads (a key the software does not have, a list where text belongs, a `{field}` the scene
cannot fill: each named at its line), laid under every scene file's own keys, and used for
the words scenes choose as they play (installation/words.py)."""

from __future__ import annotations

import string
import tomllib
from pathlib import Path
from typing import Any

from ..runtime.files import read_text
from ..words import built_in, flatten
from .errors import Problem, did_you_mean
from .locate import line_of


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def read_show_words(root: Path, relative: str, show_file: Path, source: str) -> tuple[dict[str, Any], list[Problem]]:
    """The show's words, flattened to dotted keys, and the problems found in them."""
    if not relative:
        return {}, []
    path = root / relative
    try:
        text = read_text(path)
        data = tomllib.loads(text)
    except FileNotFoundError:
        return {}, [Problem(show_file, line_of(source, ("show", "words")), "show.words",
                            f"'{relative}' not found beside install.toml; the built-in words are used",
                            severity="warning")]
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return {}, [Problem(path, None, "", f"cannot be read ({error}); the built-in words are used",
                            severity="warning")]
    base = built_in()
    good, problems = {}, []
    for key, value in flatten(data).items():
        line = line_of(text, tuple(key.split(".")))
        if key not in base:
            problems.append(Problem(path, line, key, f"'{key}' is not one of the show's words"
                                    f"{did_you_mean(key, list(base))}; the keys are those of "
                                    "installation/words.toml", severity="warning"))
            continue
        wanted = base[key]
        if isinstance(wanted, list):
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                problems.append(Problem(path, line, key, f"'{key}' is a list of texts, as in {key.split('.')[-1]} "
                                        "= [\"...\", \"...\"]; the built-in one is used", severity="warning"))
                continue
        elif not isinstance(value, str):
            problems.append(Problem(path, line, key, f"'{key}' is text: write it between quotes; the "
                                    "built-in one is used", severity="warning"))
            continue
        else:
            unknown = _fields(value) - _fields(str(wanted))
            if unknown:
                def braced(names) -> str:
                    return ", ".join("{" + name + "}" for name in sorted(names)) or "none"

                problems.append(Problem(path, line, key, f"'{key}' uses {braced(unknown)}, which the scene "
                                        f"does not fill (it fills: {braced(_fields(str(wanted)))}); the built-in "
                                        "one is used", severity="warning"))
                continue
        good[key] = value
    return good, problems


def scene_defaults(config_cls: type, show_words: dict[str, Any]) -> dict[str, Any]:
    """The scene keys whose built-in default is an entry of the words table the show
    replaces, with the show's text (a scene file's own value still wins)."""
    if not show_words:
        return {}
    by_text: dict[str, str] = {}
    for key, text in built_in().items():
        if isinstance(text, str):
            by_text.setdefault(text.strip(), key)
    found = {}
    for name, field in config_cls.model_fields.items():
        default = field.default
        if isinstance(default, str) and default.strip() in by_text:
            key = by_text[default.strip()]
            if key in show_words:
                found[name] = show_words[key]
    return found
