"""Turn pydantic validation errors into located, actionable problems."""

from __future__ import annotations

import re
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Problem, did_you_mean
from .field_types import toml
from .locate import key_path, line_of


def _unwrap(annotation: Any) -> list[Any]:
    """The model classes or containers an annotation may hold (Optional, list, dict)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        out = []
        for arg in typing.get_args(annotation):
            out.extend(_unwrap(arg))
        return out
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    return [annotation]


def model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The pydantic model class that owns the last key of `loc` (for key suggestions)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return current
        nxt = None
        for candidate in _unwrap(field.annotation):
            origin = typing.get_origin(candidate)
            if origin in (list, tuple, dict):
                args = typing.get_args(candidate)
                for arg in args[::-1]:
                    for inner in _unwrap(arg):
                        if isinstance(inner, type) and issubclass(inner, BaseModel):
                            nxt = inner
            elif isinstance(candidate, type) and issubclass(candidate, BaseModel):
                nxt = candidate
        if nxt is None:
            return current
        current = nxt
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# A number past a key's limit, as pydantic names the limit: its word in the error's context,
# and how the settings files say it. A limit the value may reach is a value to write.
_LIMITS = {"less_than_equal": ("le", "at most", True), "greater_than_equal": ("ge", "at least", True),
           "less_than": ("lt", "a number less than", False), "greater_than": ("gt", "a number more than", False)}


# A setting's description said after a word it does not take, up to this long; a longer one is
# pointed to. (An enumerated setting's short one, view's or without_camera's, tells its words apart.)
LONGEST_DESCRIPTION_SAID = 200


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _past_limit(kind: str, found: Any, ctx: dict[str, Any], loc: tuple) -> str:
    """"questions is the number 50; it takes at most 30: write questions = 30" (pydantic said
    "input should be less than or equal to 30; found 50": no fix, in the library's words).
    One value of a list is named by its place: "center #1 is the number 1.3; it takes at most 1"
    (it was "0 is the number 1.3", its index in the list, with no line to write)."""
    word, said, reachable = _LIMITS[kind]
    limit = ctx.get(word)
    name = loc[-1] if loc else ""
    in_list = isinstance(name, int)
    if in_list:
        name = f"{loc[-2]} #{name + 1}" if len(loc) > 1 else f"value #{name + 1}"
    message = f"{name} is the number {toml(found)}; it takes {said} {toml(limit)}"
    if reachable and not in_list and isinstance(name, str) and _number(limit):
        message += f": write {name} = {toml(limit)}"
    return message


def problems_from(error: ValidationError, model: type[BaseModel], file: Path, source: str,
                  prefix: tuple = ()) -> list[Problem]:
    found_at: list[tuple[tuple, Problem]] = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        # Errors inside a tagged/union structure carry the model name in loc; drop it.
        loc = tuple(p for p in loc if not (isinstance(p, str) and p[:1].isupper() and "[" in p))
        kind = item["type"]
        key = key_path(loc)
        line = line_of(source, prefix + loc)
        if kind == "extra_forbidden":
            owner = model_at(model, loc[:-1])
            valid = sorted(owner.model_fields) if owner else []
            name = str(loc[-1])
            message = f"unknown key '{name}'{did_you_mean(name, valid)}"
            if valid:
                message += f"; valid keys here: {', '.join(valid)}"
        elif kind == "missing":
            owner = model_at(model, loc[:-1])
            field = owner.model_fields.get(str(loc[-1])) if owner else None
            what = f" ({field.description})" if field is not None and field.description else ""
            message = f"required key '{loc[-1]}' is missing{what}"
            if loc == ("id",) and re.fullmatch(r"[A-Za-z0-9_-]+", file.stem):
                # A scene file written without its id: the name the file already has is the one
                # an artist means, and the playlist names scenes by it.
                message += f"; write id = \"{file.stem}\" under type (the playlist names the scene by its id)"
        elif kind in _LIMITS and _number(item.get("input")) and item.get("ctx"):
            message = _past_limit(kind, item["input"], item["ctx"], loc)
            keyed = loc[:-1] if loc and isinstance(loc[-1], int) else loc  # (a list's value: its key's words)
            owner = model_at(model, keyed[:-1])
            field = owner.model_fields.get(str(keyed[-1])) if owner and keyed else None
            if field is not None and field.description:
                message += f" ({keyed[-1]}: {field.description})"
        else:
            found = item.get("input")
            message = item["msg"].replace("Value error, ", "")
            message = message[0].lower() + message[1:] if message else message
            if kind not in ("value_error",) and not isinstance(found, (dict, list)):
                message += f"; found {_show(found)}"
            owner = model_at(model, loc[:-1])
            field = owner.model_fields.get(str(loc[-1])) if owner and loc else None
            if kind == "literal_error" and isinstance(found, str) and field is not None:
                # A word one letter off (picture = "drawng") is named, as an unknown key's is.
                message += did_you_mean(found, [str(a) for a in typing.get_args(field.annotation)])
            if field is not None and field.description and kind != "value_error":
                if kind == "literal_error" and len(field.description) > LONGEST_DESCRIPTION_SAID:
                    # The words allowed are listed, and the nearest named: a description that
                    # tells each apart (picture's: 700 characters) buried the fix, and on the
                    # overlay's three lines a problem never got past it.
                    message += "; docs/reference.md says what each means"
                else:
                    message += f" ({loc[-1]}: {field.description})"
        found_at.append((loc, Problem(file, line, key, message)))
    # A misspelt required key shows up twice (unknown 'headingg', missing 'heading'):
    # keep the message that names the typo and its fix.
    suggested = {(p.message.split("did you mean '")[1].split("'")[0], loc[:-1])
                 for loc, p in found_at if "did you mean '" in p.message}
    return [p for loc, p in found_at
            if not (p.message.startswith("required key") and loc and (loc[-1], loc[:-1]) in suggested)]
