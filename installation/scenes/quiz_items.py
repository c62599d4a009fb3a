"""The quiz's material and memory: items from folders or a manifest, rounds drawn
without repeats, and per-item visitor statistics that survive power loss.

Statistics hold counts only (shown, answered, correct per item): nothing about who
answered. They are written to a temporary file, flushed to disk with fsync, and renamed
over the old file, so a power cut leaves either the old or the new counts, never half.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import random
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from ..config.common import MediaPath, Strict
from ..config.errors import Problem, shown
from ..models.detector.preprocess import IMAGE_SUFFIXES
from ..runtime.files import read_text

log = logging.getLogger("bayard.quiz")

Truth = Literal["real", "fake"]


@dataclass(frozen=True)
class Item:
    key: str  # path relative to the content folder: the item's identity in statistics
    path: Path
    truth: Truth
    credit: str = ""
    source: str = ""  # the person or photograph it shows or was made from ("" = its own)
    match: str = ""  # pair mode: a real and a fake sharing this were matched for pose, crop, colour, JPEG
    altered: bool = False  # a fake that is a real photograph with something changed (its smile)

    @property
    def kind(self) -> str:
        """'real', 'fake' (generated) or 'altered': which words the reveal uses."""
        return "altered" if self.altered and self.truth == "fake" else self.truth


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


class ItemsError(ValueError):
    """The quiz's items cannot be listed; the message names the file and the fix."""


def load_manifest(path: Path, content_root: Path, root: Path | None = None) -> list[Item]:
    """The manifest's items; ItemsError (every problem, each at its line) if any is wrong."""
    items, problems = read_manifest(path, content_root, root)
    if problems:
        raise ItemsError(_joined(problems))
    return items


def _joined(problems: list) -> str:
    shown = "; ".join(str(p) for p in problems[:5])
    return shown + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")


def read_manifest(path: Path, content_root: Path, root: Path | None = None) -> tuple[list[Item], list]:
    """The manifest's good items, and a Problem for each mistake in the others: one wrong
    item (a typo in its truth) once emptied the whole quiz. ItemsError when the file itself
    cannot be read or a mistake lies outside any item. Files are named from the show folder
    `root`, as `bayard check` names them (the playing show named them in full)."""
    try:
        source = read_text(path)
        data = tomllib.loads(source)
    except FileNotFoundError:
        raise ItemsError(f"{shown(path, root)}: manifest not found; check 'manifest' in the quiz scene file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ItemsError(f"{shown(path, root)}: not valid TOML ({error})") from None
    problems: list = []
    try:
        manifest = Manifest.model_validate(data, context={"content_root": content_root})
    except ValidationError as error:
        # Every problem, each at its line ("item.2.truth" once named the third item by
        # pydantic's count from 0, with no line, and only the first of several mistakes).
        from ..config.validate import problems_from

        problems = [problem.within(root) if root is not None else problem
                    for problem in problems_from(error, Manifest, path, source)]
        wrong = {e["loc"][1] for e in error.errors() if len(e["loc"]) > 1 and e["loc"][0] == "item"
                 and isinstance(e["loc"][1], int)}
        entries = data.get("item") if isinstance(data.get("item"), list) else None
        if entries is None or any(len(e["loc"]) < 2 or e["loc"][0] != "item" for e in error.errors()):
            raise ItemsError(_joined(problems)) from None
        good = [entry for index, entry in enumerate(entries) if index not in wrong]
        manifest = Manifest.model_validate({"item": good}, context={"content_root": content_root})
    return [
        Item(
            entry.image,
            content_root / entry.image,
            "real" if entry.truth == "real" else "fake",
            entry.credit,
            entry.source,
            entry.match,
            entry.truth == "altered",
        )
        for entry in manifest.item
    ], problems


def load_folder(folder: str, truth: Truth, content_root: Path, root: Path | None = None) -> list[Item]:
    """The pictures in `folder` (under the content folder), named from the show folder `root`."""
    found = content_root / folder
    if not found.is_dir():
        raise ItemsError(f"{shown(found, root)}: folder of {truth} images not found; create it or change "
                         f"'{truth}' in the quiz scene file")
    files = sorted(p for p in found.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
    return [Item(p.relative_to(content_root).as_posix(), p, truth) for p in files]


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

    def line(self, key: str) -> int | None:
        for number, line in enumerate(self._lines, 1):
            if line.strip().startswith("image") and (f'"{key}"' in line or f"'{key}'" in line):
                return number
        return None

    def problem(self, item: Item, message: str, severity: str = "error") -> Problem:
        """`message` about `item`, at its place."""
        if self.manifest is None:
            return Problem(item.path, None, "", message, severity, root=self.root)
        return Problem(self.manifest, self.line(item.key), "image", f"quiz item '{item.key}': {message}", severity,
                       root=self.root)


def draw_round(items: list[Item], count: int, mode: str, rng: random.Random) -> list[tuple[Item, ...]]:
    """Questions for one round, no item twice. Single: one item per question, real and
    fake mixed. Pair: one real and one fake per question, sides shuffled."""
    if mode == "pair":
        real = [i for i in items if i.truth == "real"]
        fake = [i for i in items if i.truth == "fake"]
        rng.shuffle(real)
        rng.shuffle(fake)
        pairs = []
        # Matched pairs first: a pair that differs in crop, colour or JPEG would give the
        # answer away without looking at the faces.
        matched = {i.match: i for i in fake if i.match}
        for r in list(real):
            f = matched.pop(r.match, None) if r.match else None
            if f is not None:
                real.remove(r)
                fake.remove(f)
                pairs.append([r, f])
        if not pairs:
            pairs = [[r, f] for r, f in zip(real, fake, strict=False)]
        for pair in pairs:
            rng.shuffle(pair)
        return [tuple(p) for p in pairs[:count]]
    pool = list(items)
    rng.shuffle(pool)
    return [(item,) for item in pool[:count]]


class QuizStats:
    """Per-item counts, persisted as JSON in the show's state folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.items: dict[str, dict[str, int]] = {}
        self._load()

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            items = data.get("items", {}) if isinstance(data, dict) else {}
            self.items = {
                str(k): {f: int(v.get(f, 0)) for f in ("shown", "answered", "correct")}
                for k, v in items.items()
                if isinstance(v, dict)
            }
        except FileNotFoundError:
            self.items = {}
        except (OSError, ValueError, AttributeError) as error:
            # A damaged file must not stop the quiz: start again and keep the old one aside.
            log.warning(
                "%s: unreadable quiz statistics (%s); starting from zero, old file kept as .damaged",
                self.path,
                error,
            )
            self.items = {}
            with contextlib.suppress(OSError):
                self.path.replace(self.path.with_name(self.path.name + ".damaged"))

    def _entry(self, key: str) -> dict[str, int]:
        return self.items.setdefault(key, {"shown": 0, "answered": 0, "correct": 0})

    def shown(self, key: str) -> None:
        self._entry(key)["shown"] += 1

    def answered(self, key: str, correct: bool) -> None:
        entry = self._entry(key)
        entry["answered"] += 1
        entry["correct"] += int(correct)

    def share_correct(self, key: str) -> float | None:
        entry = self.items.get(key)
        if not entry or entry["answered"] == 0:
            return None
        return entry["correct"] / entry["answered"]

    def totals(self) -> dict[str, int]:
        return {f: sum(e[f] for e in self.items.values()) for f in ("shown", "answered", "correct")}

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        payload = json.dumps({"version": 1, "items": self.items}, indent=1, sort_keys=True)
        try:
            with open(tmp, "w", encoding="utf-8") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except OSError:
            # A full disk must not also leave a half-written file taking what space is left;
            # the previous statistics file is untouched.
            tmp.unlink(missing_ok=True)
            raise
        try:  # make the rename itself durable
            fd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError:
            pass
