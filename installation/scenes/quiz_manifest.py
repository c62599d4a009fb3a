"""The quiz's items manifest, a TOML file of [[item]] tables, read as strictly as the
settings files: every value is held to its field's kind (config/field_types.py), and each
mistake is named at its line with what was found and what to write. The item a mistake
is in is left out and the others play: one typo once emptied the whole quiz.

A running show re-reads the manifest at every showing. When an edit breaks it, the show
keeps what it last read well (`read_playing`): an item the edit broke plays its last good
version, and a manifest that cannot be read at all, or leaves too few items to ask a
question, plays its last good items. Kept in memory and in the show's state folder
(quiz_kept_items), so a show restarted over a broken manifest plays them too; one that
never read it well rests with the problem named.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import tomllib
import typing
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from ..config.common import MediaPath, Strict
from ..config.errors import Problem, ShowError, shown
from ..config.field_types import WrongType, message, wrong_types
from ..config.locate import key_path, line_of
from ..config.toml_file import _read_toml
from ..runtime.files import read_text
from . import quiz_kept_items
from .quiz_items import Item, ItemsError, unplayable


class ManifestItem(Strict):
    image: MediaPath = Field(description="the image, relative to the content folder")
    truth: Literal["real", "fake", "generated", "altered"] = Field(
        description="'real' for a photograph, 'fake' or 'generated', or 'altered' for a real photograph "
        "a computer changed (a fake whose reveal says what was changed)"
    )
    credit: str = Field(default="", description="who made it / where it comes from, shown on the reveal")
    source: str = Field(
        default="",
        description="the person or photograph the image shows or was made from; items sharing one are "
                    "never shown side by side on the start card",
    )
    match: str = Field(
        default="",
        description="pair mode: one real and one fake with the same 'match' are asked together "
                    "(matched pose, crop, colour, JPEG)",
    )


class Manifest(Strict):
    item: list[ManifestItem] = Field(default_factory=list, description="one [[item]] table per image")


def load_manifest(path: Path, content_root: Path, root: Path | None = None) -> list[Item]:
    """The manifest's items; ItemsError (every problem, each at its line) if any is wrong."""
    items, problems = read_manifest(path, content_root, root)
    if problems:
        raise ItemsError(_joined(problems))
    return items


def _joined(problems: list) -> str:
    said = "; ".join(str(p) for p in problems[:5])
    return said + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")


def read_manifest(path: Path, content_root: Path, root: Path | None = None) -> tuple[list[Item], list[Problem]]:
    """The manifest's good items, and a Problem for each mistake in the others. ItemsError
    when the file itself cannot be read or a mistake lies outside any item. Files are named
    from the show folder `root`, as `bayard check` names them."""
    items, problems, _ = _read(path, content_root, root)
    return items, problems


def _read(path: Path, content_root: Path, root: Path | None) -> tuple[list[Item], list[Problem], set[str]]:
    """(good items, problems, the `image` of each item left out, where it is text)."""
    try:
        source = read_text(path)
        data = tomllib.loads(source)
    except FileNotFoundError:
        raise ItemsError(f"{shown(path, root)}: manifest not found; check 'manifest' in the quiz scene file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        raise ItemsError(_not_toml(path, root)) from None
    except OSError as error:  # a folder, a link round in a circle, no permission
        raise ItemsError(f"{shown(path, root)}: cannot be read ({error.strerror or error})") from None

    def at(loc: tuple, said: str) -> Problem:
        return Problem(path, line_of(source, loc), key_path(loc), said, root=root)

    if isinstance(data.get("item"), dict):  # [item]: one table, where each item is an array's
        raise ItemsError(str(at(("item",), "written [item], one table; each quiz item is a table of its own, "
                                           "written [[item]] with two brackets")))
    # Values of the wrong kind, said as the settings files say them. Here none falls back
    # to a default: an item without its `match` or `source` would be asked unmatched, or
    # shown beside its own fake, so the whole item waits until it is mended.
    wrong_kinds = wrong_types(Manifest, data)
    typed = [at(w.loc, message(dataclasses.replace(w, droppable=False))) for w in wrong_kinds]
    if any(len(w.loc) < 3 for w in wrong_kinds):  # `item` itself is not a list of tables
        raise ItemsError(_joined(typed))
    from ..config.validate import problems_from

    try:  # what lies outside the items (a key of its own, `[[items]]`): the file is refused
        Manifest.model_validate({key: value for key, value in data.items() if key != "item"})
    except ValidationError as error:
        raise ItemsError(_joined([p.within(root) for p in problems_from(error, Manifest, path, source)])) from None
    problems, items, left_out = list(typed), [], set()
    typed_by_item: dict[int, set[str]] = {}  # (by item: a manifest of thousands, each with a slip)
    for wrong, problem in zip(wrong_kinds, typed, strict=True):
        typed_by_item.setdefault(wrong.loc[1], set()).add(problem.key)
    listed: dict[str, int] = {}  # image: the index of the item that plays it
    context = {"content_root": content_root}
    for index, entry in enumerate(data.get("item", [])):
        typed_here = typed_by_item.get(index, set())
        try:
            checked = ManifestItem.model_validate(entry, context=context)
        except ValidationError as error:
            by_key = {key_path(tuple(e["loc"])): e for e in error.errors(include_url=False)}
            for problem in problems_from(error, ManifestItem, path, source, prefix=("item", index)):
                problem = dataclasses.replace(_with_fix(problem, by_key.get(problem.key)),
                                              key=f"{key_path(('item', index))}, {problem.key}", root=root)
                if problem.key not in typed_here:  # (said once, as its kind)
                    problems.append(problem)
            checked = None
        if checked is None or typed_here:
            if isinstance(entry.get("image"), str):
                left_out.add(entry["image"])
            continue
        if checked.image in listed:
            # (The second listing replaced the first without a word: one picture listed as
            # real and again as fake played as whichever came last.)
            first = ("item", listed[checked.image], "image")
            problems.append(at(("item", index, "image"),
                               f"'{checked.image}' is listed already, as {key_path(first[:2])} (line "
                               f"{line_of(source, first)}); a picture is listed once: remove this item, or name "
                               "another picture"))
            continue
        listed[checked.image] = index
        items.append(Item(checked.image, _on_disk(content_root, checked.image),
                          "real" if checked.truth == "real" else "fake", checked.credit, checked.source,
                          checked.match, checked.truth == "altered"))
    return items, sorted(problems, key=Problem.reading_place), left_out


def _not_toml(path: Path, root: Path | None) -> str:
    """Why the manifest is not TOML, at its line, in the words the settings files use (the
    parser's own named a line only inside its message, and no fix)."""
    try:
        _read_toml(path)
    except ShowError as error:
        problem = error.problems[0].within(root)
        said = problem.message.removeprefix("TOML syntax: ")
        return (f"{problem.where()}: not valid TOML ({said}); mend that line: each item begins [[item]], "
                'then a line for each of its keys, as image = "quiz/a.jpg"')
    return f"{shown(path, root)}: not valid TOML (it changed while it was read); save it whole again"


def _on_disk(content_root: Path, image: str) -> Path:
    """The file `image` names. An accented name typed on one system and saved by another
    (macOS writes é as e and an accent, most editors as one letter) looks the same and is
    another name to Linux: the file with its accents written the other way is taken."""
    path = content_root / image
    if not path.exists():
        for form in ("NFC", "NFD"):
            other = content_root / unicodedata.normalize(form, image)
            if other.exists():
                return other
    return path


def _with_fix(problem: Problem, error: dict | None) -> Problem:
    """A choice mistyped ("Real", "fakee") said as a wrong kind is said: what was found,
    what the field takes and what to write (pydantic's own words named no fix)."""
    loc = tuple(error["loc"]) if error is not None else ()
    if error is None or error["type"] != "literal_error" or len(loc) != 1 or not isinstance(error.get("input"), str):
        return problem
    field = ManifestItem.model_fields[str(loc[0])]
    choices = [str(c) for c in typing.get_args(field.annotation)]
    value = error["input"]
    said = message(WrongType(loc, str(loc[0]), value, field, field.annotation, droppable=False))
    if ": write " not in said:
        near = difflib.get_close_matches(value.strip().lower(), choices, n=1, cutoff=0.6)
        if near:
            head, _, tail = said.partition(" (")
            said = f"{head}: write {loc[0]} = \"{near[0]}\"" + (f" ({tail}" if tail else "")
    return dataclasses.replace(problem, message=said)


# -- a running show ------------------------------------------------------------------

_LAST_GOOD: dict[str, dict[str, Item]] = {}  # by manifest (resolved): what played, by key


def read_playing(path: Path, content_root: Path, root: Path | None, mode: str, wall: Callable[[], float],
                 kept: Path | None = None) -> tuple[list[Item], list[str]]:
    """The items a running quiz plays from its manifest, and what to tell the technician
    (warnings). What the manifest lists well plays; an item an edit has broken plays as it
    was last read well; and a manifest that cannot be read, or leaves too few items for
    `mode`, plays its last good items whole. Those are kept in the file `kept` too (the
    show's state folder), dated by `wall` (the show's clock), so a restart over a broken
    manifest plays them as well. ItemsError when there is nothing to fall back on."""
    # (Not Path.resolve(): a manifest made a link round in a circle raised out of it, and
    # faulted the quiz where a manifest made a folder plays what it last read well.)
    memory_key = os.path.realpath(path)
    kept_as = shown(path, content_root)  # (from the content folder: a show folder moved whole still finds it)
    notes: list[str] = []
    since = ""  # when the items played from `kept` were kept ("" while they are this process's)

    def remembered() -> dict[str, Item]:
        """What was last read well: in this process, else as kept on disk (read only when
        needed: a damaged copy is not worth a word while the manifest reads well)."""
        nonlocal since
        if memory_key not in _LAST_GOOD and kept is not None:
            items, since, note = quiz_kept_items.recall(kept, kept_as, content_root, root)
            notes.extend([note] if note else [])
            _LAST_GOOD[memory_key] = {i.key: dataclasses.replace(i, path=_on_disk(content_root, i.key))
                                      for i in items}
        return _LAST_GOOD.get(memory_key, {})

    def plays_last_good(memory: dict[str, Item]) -> str:
        where = f" (kept in {shown(kept, root)} on {since})" if since and kept is not None else ""
        return f"the quiz plays the {len(memory)} items it last read well{where} until the manifest is mended"

    try:
        items, problems, left_out = _read(path, content_root, root)
    except ItemsError as error:
        memory = remembered()
        if not memory:
            if notes:
                raise ItemsError(f"{error}; {'; '.join(notes)}") from None
            raise
        return list(memory.values()), [*notes, f"{error}; {plays_last_good(memory)}"]
    memory = remembered() if left_out or problems else _LAST_GOOD.get(memory_key, {})
    kept_items = [memory[key] for key in sorted(left_out) if key in memory and key not in {i.key for i in items}]
    if problems:
        note = ("quiz items left out until mended: " + "; ".join(str(p) for p in problems[:3])
                + (" ..." if len(problems) > 3 else ""))
        if kept_items:  # (what visitors saw yesterday is not taken away by a slip made today)
            note += (f" (of these, {', '.join(repr(i.key) for i in kept_items)} played before and play as last "
                     "read well until mended)")
        notes.append(note)
    playing = [*items, *kept_items]
    short = unplayable(playing, mode)
    if short is not None:
        memory = remembered()
        if memory and unplayable(list(memory.values()), mode) is None:
            notes.append(f"{short}; {plays_last_good(memory)}")
            return list(memory.values()), notes
    if short is None:
        good = {item.key: item for item in playing}
        if kept is not None and good != memory:  # (written when it changes, not at every showing)
            quiz_kept_items.keep(kept, kept_as, playing, wall())
        _LAST_GOOD[memory_key] = good
    return playing, notes


class ItemPlaces:
    """Where a technician mends each item, named as `bayard check` names it: its `image =`
    line in the manifest, or, for a folder's pictures, the picture itself; files from the
    show folder `root`."""

    def __init__(self, manifest: Path | None, root: Path | None) -> None:
        self.manifest, self.root = manifest, root
        try:
            self._lines = read_text(manifest).splitlines() if manifest is not None else []
        except (OSError, UnicodeDecodeError):
            self._lines = []
        self._index: dict[str, int] | None = None

    def line(self, key: str) -> int | None:
        if self._index is None:  # (one walk: `check` asks for each of thousands of items)
            self._index = {}
            for number, line in enumerate(self._lines, 1):
                if line.strip().startswith("image"):
                    value = _value(line)
                    if isinstance(value, str):
                        self._index.setdefault(value, number)
        return self._index.get(key)

    def problem(self, item: Item, said: str, severity: str = "error") -> Problem:
        """`said` about `item`, at its place."""
        if self.manifest is None:
            return Problem(item.path, None, "", said, severity, root=self.root)
        return Problem(self.manifest, self.line(item.key), "image", f"quiz item '{item.key}': {said}", severity,
                       root=self.root)


def _value(line: str) -> Any:
    """The value of a `key = value` line, read as TOML reads it (a name with a quote or a
    backslash in it is written escaped, and was not found by its text)."""
    try:
        return next(iter(tomllib.loads(line).values()), None)
    except tomllib.TOMLDecodeError:
        return None
