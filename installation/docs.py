"""Generate docs/reference.md from the schemas, so the reference cannot drift from
the code (a test compares the file with a fresh generation).

    python -m installation.docs > docs/reference.md
"""

from __future__ import annotations

import typing

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from .config.common import MEDIA_MARK, SceneConfig
from .config.show import ShowConfig
from .config.validate import _unwrap
from .scenes import SCENE_KINDS


def _type_name(annotation) -> str:
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return "one of " + ", ".join(f"`{a!r}`".replace("'", "\"") for a in typing.get_args(annotation))
    if origin in (list, tuple):
        args = [a for a in typing.get_args(annotation) if a is not Ellipsis]
        inner = ", ".join(_type_name(a) for a in args)
        return f"list of {inner}" if origin is list else f"[{inner}]"
    if origin is dict:
        return "table"
    options = _unwrap(annotation)
    if len(options) > 1:
        return " or ".join(_type_name(o) for o in options if o is not type(None)) + (
            " (optional)" if type(None) in options else "")
    single = options[0]
    if getattr(single, "__metadata__", None) and "MEDIA" in repr(single.__metadata__):
        return "media path"
    if isinstance(single, type) and issubclass(single, BaseModel):
        return "table"
    return {str: "text", int: "integer", float: "number", bool: "true/false"}.get(single, getattr(
        single, "__name__", str(single)))


def _media_or(annotation, name: str) -> str:
    text = repr(annotation)
    if "MEDIA" not in text or "list" in text:
        return name
    return "media folder" if "FOLDER" in text else "media path"


def _default(field) -> str:
    if field.is_required():
        return "required"
    value = field.default if field.default is not PydanticUndefined else None
    if field.default_factory is not None:
        try:
            value = field.default_factory()
        except TypeError:
            value = None
        if isinstance(value, BaseModel):
            return "see below"
    if value is None:
        return "none"
    if isinstance(value, str):
        return f'`"{value}"`' if value else '`""`'
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, (list, tuple)):
        return f"`{list(value)}`" if value else "`[]`"
    return f"`{value}`"


def _table(model: type[BaseModel], skip: set[str] = frozenset()) -> list[str]:
    lines = ["| key | type | default | meaning |", "| --- | --- | --- | --- |"]
    for name, field in model.model_fields.items():
        if name in skip:
            continue
        kind = "media path" if MEDIA_MARK in field.metadata else _media_or(field.annotation,
                                                                            _type_name(field.annotation))
        meaning = (field.description or "").replace("|", "\\|")
        lines.append(f"| `{name}` | {kind} | {_default(field)} | {meaning} |")
    return lines


def _nested(model: type[BaseModel], prefix: str, seen: set) -> list[str]:
    out: list[str] = []
    for name, field in model.model_fields.items():
        for candidate in _unwrap(field.annotation):
            origin = typing.get_origin(candidate)
            inner = typing.get_args(candidate)[0] if origin in (list,) else candidate
            if isinstance(inner, type) and issubclass(inner, BaseModel) and inner not in seen:
                seen.add(inner)
                header = f"[[{prefix}{name}]]" if origin is list else f"[{prefix}{name}]"
                out += ["", f"#### `{header}`", "", *_table(inner)]
                out += _nested(inner, f"{prefix}{name}.", seen)
    return out


def generate() -> str:
    lines = [
        "# Reference: the show file and scene files",
        "",
        "Generated from the schema by `python -m installation.docs`; a test fails when this file and the",
        "code disagree. Unknown keys are errors (with the nearest valid key suggested), so a typo never",
        "passes silently. Media paths are relative to the content folder and may not leave it.",
        "A problem names its file and line from the show folder (`scenes/bayard.toml:12`), wherever",
        "the command ran (a file outside the show folder in full), then its key, counting entries",
        "from 1: `captions #4, at` is the `at` of the fourth `[[captions]]`.",
        "",
        "Each value is read as the type the table gives it: a number is written without quotes",
        "(`override_max_h = 12`, not `\"12\"`), true and false without quotes and never as numbers or",
        "text (`fullscreen = false`, not `\"no\"` or `0`), text in quotes, a date as a date (`2026-12-25`).",
        "A whole number may stand for a number (`volume = 1`). A value of another type is an error that",
        "says what to write. In a show that is playing, the edit is refused: the scene file's last good",
        "version plays, or the show plays on as it was. Where nothing good was there before (a new file, a",
        "first start), the key plays its default until it is fixed; a key without a default, a passcode",
        "or the operator PIN refuses the file instead (its last good version plays).",
        "",
        "## The show file (`install.toml`)",
    ]
    for name, field in ShowConfig.model_fields.items():
        sub = [c for c in _unwrap(field.annotation) if isinstance(c, type) and issubclass(c, BaseModel)]
        lines += ["", f"### `[{name}]`", "", field.description or ""]
        if sub:
            lines += ["", *_table(sub[0]), *_nested(sub[0], f"{name}.", set())]
        else:
            lines += ["", "A table; its keys are described in the document named above."]
    lines += ["", "## Scene files (`scenes/*.toml`)", "", "Keys every scene has:", "", *_table(SceneConfig)]
    common = set(SceneConfig.model_fields)
    for kind in SCENE_KINDS.names():
        cls = SCENE_KINDS.get(kind)
        if not cls.__module__.startswith("installation."):
            continue  # kinds registered by tests or plug-ins are not part of this reference
        doc = (cls.__module__ and (__import__(cls.__module__, fromlist=["_"]).__doc__ or "")).strip()
        summary = doc.split("\n\n")[0].replace("\n", " ")
        lines += ["", f"### `type = \"{kind}\"`", "", summary, "", *_table(cls.Config, skip=common)]
        lines += _nested(cls.Config, "", set())
    return "\n".join(lines).rstrip() + "\n"


VERBS_START = "<!-- scene-verbs:start (generated from each scene kind's verbs) -->"
VERBS_END = "<!-- scene-verbs:end -->"


def scene_verbs_markdown() -> str:
    """The verbs each shipped scene kind takes over OSC, for docs/osc.md (from Scene.verbs,
    which also decides what reaches a scene: the list cannot drift from what works)."""
    lines = [VERBS_START, "| scene kind | address | arguments | what it does |", "|---|---|---|---|"]
    silent = []
    for kind in SCENE_KINDS.names():
        cls = SCENE_KINDS.get(kind)
        if not cls.__module__.startswith("installation."):
            continue  # kinds registered by tests or plug-ins
        if not cls.verbs:
            silent.append(f"`{kind}`")
        for verb in cls.verbs:
            args = f"`{verb.args}`".replace("|", "\\|") if verb.args else ""
            lines.append(f"| `{kind}` | `/bayard/scene/<id>/{verb.name}` | {args} | "
                         f"{verb.description.replace('|', chr(92) + '|')} |")
    lines += ["", f"The other kinds ({', '.join(silent)}) take no commands over OSC.", VERBS_END]
    return "\n".join(lines)


if __name__ == "__main__":
    print(generate(), end="")
