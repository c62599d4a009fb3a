"""Settings written as the wrong TOML type, caught before pydantic would convert them.

pydantic's lax mode turned `override_max_h = "12"` into 12, `override_max_h = true` into
1 hour, `fullscreen = "no"` into false, `rotation = false` into 0 and a quoted
"1735084800" date into 2024-12-25, all without a word: the technician got another show
than the one they wrote. Here every value is held to its field's declared kind (a bool
is not a number, a quoted number is not a number, a number is neither a bool nor text),
and each one that is not becomes a problem naming the field, what was found and what to
write. The value is then left out, so the show plays with the field's default (said so);
a required field has no default, and a passcode or PIN must not fall back to "none", so
those stay errors that refuse the file (its last good version plays).

Kept as before: an integer where a number is asked (volume = 1), a whole float where a
whole number is asked (fps = 60.0, pydantic refuses 60.5 with its own message), and a date
in quotes written as a date ("2026-12-25").
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from .errors import Problem
from .locate import key_path, line_of

# Fields whose value must never fall back to the default (no PIN, no passcode: control
# open to everyone) nor be repeated in a message read in logs and status (pydantic's own
# message repeated a passcode written as a number).
SECRET_FIELDS = {("InputsSection", "operator_pin"), ("Passcodes", "view"), ("Passcodes", "control")}

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TRUE_WORDS = {"true", "yes", "on", "y", "1"}
_FALSE_WORDS = {"false", "no", "off", "n", "0"}


@dataclass(frozen=True)
class WrongType:
    loc: tuple
    name: str
    value: Any
    field: FieldInfo
    annotation: Any
    droppable: bool  # left out for the default; otherwise the file is refused
    secret: bool = False  # never repeated


def _options(annotation: Any) -> list[Any]:
    """The kinds an annotation accepts (unions and Annotated unwrapped; None dropped: TOML has no null)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            out.extend(_options(arg))
        return out
    if origin is typing.Annotated:
        return _options(typing.get_args(annotation)[0])
    return [] if annotation is type(None) else [annotation]


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _fits_one(value: Any, kind: Any) -> bool:
    origin = typing.get_origin(kind)
    if kind is Any:
        return True
    if kind is bool:
        return isinstance(value, bool)
    if kind is int:
        return _is_number(value)  # a fraction is refused by pydantic, with its own message
    if kind is float:
        return _is_number(value)
    if kind is str:
        return isinstance(value, str)
    if origin is typing.Literal:
        # The value's TOML kind must be a choice's kind (false is not 0); which choice is pydantic's to say.
        return any(type(value) is type(choice) for choice in typing.get_args(kind))
    if kind is dt.datetime:
        return isinstance(value, dt.datetime)
    if kind is dt.date:
        return (isinstance(value, dt.date) and not isinstance(value, dt.datetime)) or (
            isinstance(value, str) and bool(_ISO_DATE.match(value)))
    if kind is dt.time:
        return isinstance(value, dt.time)
    if origin in (list, tuple, set, frozenset):
        if not isinstance(value, list):
            return False
        args = [a for a in typing.get_args(kind) if a is not Ellipsis]
        if origin is tuple and len(args) > 1 and Ellipsis not in typing.get_args(kind):
            return all(fits(item, arg) for item, arg in zip(value, args, strict=False))
        return not args or all(fits(item, args[0]) for item in value)
    if origin is dict or kind is dict:
        return isinstance(value, dict)
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return isinstance(value, dict)
    return True  # a kind this check does not know: pydantic's alone


def fits(value: Any, annotation: Any) -> bool:
    """Whether a TOML value is of a kind the annotation accepts (items of a list included)."""
    options = _options(annotation)
    return not options or any(_fits_one(value, kind) for kind in options)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """Model classes a field holds directly or as the items of a list."""
    out = []
    for kind in _options(annotation):
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            out.append(kind)
        elif typing.get_origin(kind) in (list, tuple):
            out += [m for arg in typing.get_args(kind) if arg is not Ellipsis for m in _models_in(arg)]
    return out


def wrong_types(model: type[BaseModel], data: dict, loc: tuple = ()) -> list[WrongType]:
    """Every value in `data` (a TOML table read for `model`) whose kind is not its field's."""
    found: list[WrongType] = []
    for name, value in data.items():
        field = model.model_fields.get(name) if isinstance(name, str) else None
        if field is None:
            continue  # an unknown key is pydantic's to report, with the nearest valid one
        secret = (model.__name__, name) in SECRET_FIELDS
        if not fits(value, field.annotation):
            found.append(WrongType((*loc, name), name, value, field, field.annotation,
                                   droppable=not (field.is_required() or secret), secret=secret))
            continue
        for inner in _models_in(field.annotation):
            if isinstance(value, dict):
                found += wrong_types(inner, value, (*loc, name))
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, dict):
                        found += wrong_types(inner, item, (*loc, name, index))
    return found


# -- words ---------------------------------------------------------------------------


def toml(value: Any) -> str:
    """A value as it is written in a TOML file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}" if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml(v)}" for k, v in value.items()) + " }"
    return str(value)


def _found(value: Any) -> str:
    if isinstance(value, bool):
        return f"{toml(value)} (a yes/no value)"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {toml(shown)}"
    if _is_number(value):
        return f"the number {toml(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, dt.datetime):
        return f"the date and time {value.isoformat()}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, dt.time):
        return f"the time {value.isoformat()}"
    return repr(value)


def _expected(annotation: Any) -> str:
    words = []
    for kind in _options(annotation):
        origin = typing.get_origin(kind)
        if kind is bool:
            words.append("true or false, without quotes")
        elif kind is int:
            words.append("a whole number, without quotes")
        elif kind is float:
            words.append("a number, without quotes")
        elif kind is str:
            words.append("text in quotes")
        elif origin is typing.Literal:
            words.append("one of " + ", ".join(toml(c) for c in typing.get_args(kind)))
        elif kind is dt.date:
            words.append("a date, e.g. 2026-12-25")
        elif kind is dt.datetime:
            words.append("a date and time, e.g. 2026-12-25T10:00:00")
        elif kind is dt.time:
            words.append("a time, e.g. 10:00:00")
        elif origin in (list, tuple):
            args = [a for a in typing.get_args(kind) if a is not Ellipsis]
            each = f", each item {_expected(args[0])}" if args and len(set(map(str, args))) == 1 else ""
            words.append(f"a list in square brackets{each}")
        elif isinstance(kind, type) and issubclass(kind, BaseModel) or origin is dict:
            words.append("a table")
    return ", or ".join(dict.fromkeys(words)) or "another kind of value"


def _corrected(value: Any, annotation: Any) -> Any:
    """What the writer most likely meant, in the field's kind, or None when it cannot be told."""
    for kind in _options(annotation):
        origin = typing.get_origin(kind)
        if kind is bool:
            if isinstance(value, str) and value.strip().lower() in _TRUE_WORDS | _FALSE_WORDS:
                return value.strip().lower() in _TRUE_WORDS
            if _is_number(value) and value in (0, 1):
                return bool(value)
        elif kind in (int, float) and isinstance(value, str):
            try:
                number = float(value.strip())
            except ValueError:
                continue
            if number != number or abs(number) == float("inf") or (kind is int and not number.is_integer()):
                continue  # (no number, or a fraction where a whole one is asked: no guess)
            return int(number) if number.is_integer() and (kind is int or "." not in value) else number
        elif kind is str and _is_number(value):  # (true for a text was hardly meant as the word "true")
            return toml(value)
        elif origin is typing.Literal:
            for choice in typing.get_args(kind):
                if str(choice) == (value.strip() if isinstance(value, str) else toml(value)):
                    return choice
        elif origin in (list, tuple) and isinstance(value, list):
            args = [a for a in typing.get_args(kind) if a is not Ellipsis]
            fixed = [item if not args or fits(item, args[min(i, len(args) - 1)])
                     else _corrected(item, args[min(i, len(args) - 1)]) for i, item in enumerate(value)]
            if None not in fixed:
                return fixed
        elif origin in (list, tuple) and not isinstance(value, (list, dict)):
            args = [a for a in typing.get_args(kind) if a is not Ellipsis]
            item = value if not args or fits(value, args[0]) else _corrected(value, args[0])
            if item is not None and origin is list:
                return [item]
    return None


def _default(field: FieldInfo) -> str | None:
    """The field's default as written in TOML, or None where it is a table or is left out."""
    if field.default_factory is not None:
        value = field.default_factory()  # type: ignore[call-arg]
    elif field.default is PydanticUndefined:
        return None
    else:
        value = field.default
    if value is None or isinstance(value, BaseModel):
        return None
    return toml(value)


def _wrong_item(value: list, annotation: Any) -> tuple[int, Any] | None:
    """The first item of a list that is not of its kind, with its index, when the field is a list."""
    for kind in _options(annotation):
        if typing.get_origin(kind) in (list, tuple):
            args = [a for a in typing.get_args(kind) if a is not Ellipsis]
            for index, item in enumerate(value):
                if args and not fits(item, args[min(index, len(args) - 1)]):
                    return index, item
    return None


SHORT_DESCRIPTION = 80  # longer descriptions are in docs/reference.md: the message stays readable


def message(wrong: WrongType) -> str:
    """What was found, what the field takes, how to write it, and what plays meanwhile."""
    if wrong.secret:
        kind = "a number" if _is_number(wrong.value) else _found(wrong.value).split(" (")[0].split(" \"")[0]
        return (f"{wrong.name} is {kind}; it takes text in quotes: write it between quotes, as in "
                f"{wrong.name} = \"...\" (a number would lose its leading zeros; it is not repeated here)")
    item = _wrong_item(wrong.value, wrong.annotation) if isinstance(wrong.value, list) else None
    found = f"a list whose item #{item[0] + 1} is {_found(item[1])}" if item else _found(wrong.value)
    text = f"{wrong.name} is {found}; it takes {_expected(wrong.annotation)}"
    fixed = _corrected(wrong.value, wrong.annotation)
    if fixed is not None:
        text += f": write {wrong.name} = {toml(fixed)}"
    if wrong.field.description and len(wrong.field.description) <= SHORT_DESCRIPTION:
        text += f" ({wrong.field.description})"
    if not wrong.droppable:
        return text
    default = _default(wrong.field)
    return text + (f"{PLAYS_DEFAULT}{default}, is used until this is fixed" if default is not None
                   else f"{PLAYS_DEFAULT[:2]}{LEFT_OUT}until this is fixed")


PLAYS_DEFAULT = "; the default, "
LEFT_OUT = "it is read as if not written "


def without_default(text: str) -> str:
    """A message less its "the default is used" (the file is refused for another problem: nothing of it plays)."""
    for said in (PLAYS_DEFAULT, "; " + LEFT_OUT):
        text = text.split(said)[0]
    return text


def take_out(data: dict, loc: tuple) -> None:
    """Remove the value at `loc` from the TOML data, so its field takes the default."""
    container: Any = data
    for part in loc[:-1]:
        container = container[part]
    del container[loc[-1]]


def strict_types(model: type[BaseModel], data: dict, file: Path, source: str) -> tuple[list[Problem], list[Problem]]:
    """Check `data` against `model` and take out every value of the wrong kind that has a
    default. Returns (problems whose field now plays its default, problems that refuse the file)."""
    defaulted: list[Problem] = []
    refusing: list[Problem] = []
    for wrong in wrong_types(model, data):
        problem = Problem(file, line_of(source, wrong.loc), key_path(wrong.loc), message(wrong))
        if wrong.droppable:
            take_out(data, wrong.loc)
            defaulted.append(problem)
        else:
            refusing.append(problem)
    return defaulted, refusing
