"""The quiz's material and memory: items from folders (a manifest's are read in
quiz_manifest), rounds drawn without repeats, and per-item visitor statistics that survive power loss.

Statistics hold counts only (shown, answered, correct per item): nothing about who
answered. They are written whole or not at all (runtime.files.atomic_write_text), so a
power cut leaves either the old or the new counts, never half.
"""

from __future__ import annotations

import contextlib
import json
import logging
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..config.errors import shown
from ..media.kinds import PICTURE_SUFFIXES
from ..models.detector.preprocess import MIN_SIDE, TILE
from ..runtime.files import atomic_write_text, remove_leftover_temps

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


class ItemsError(ValueError):
    """The quiz's items cannot be listed; the message names the file and the fix."""


def load_folder(folder: str, truth: Truth, content_root: Path, root: Path | None = None) -> list[Item]:
    """The pictures in `folder` (under the content folder), named from the show folder `root`."""
    found = content_root / folder
    if found.is_file():  # (a picture of the folder named in its place: "not found" sent the curator looking)
        raise ItemsError(f"{shown(found, root)}: is a file, not a folder of {truth} images; name the folder "
                         f"it lies in as '{truth}' in the quiz scene file")
    if not found.is_dir():
        raise ItemsError(f"{shown(found, root)}: folder of {truth} images not found; create it or change "
                         f"'{truth}' in the quiz scene file")
    files = sorted(p for p in found.rglob("*") if p.is_file() and p.suffix.lower() in PICTURE_SUFFIXES)
    return [Item(p.relative_to(content_root).as_posix(), p, truth) for p in files]


def unplayable(items: list[Item], mode: str) -> str | None:
    """Why no question can be asked of `items` in `mode` ("single" or "pair"), or None."""
    if mode == "pair":
        real = sum(1 for item in items if item.truth == "real")
        if real and real < len(items):
            return None
        return (f"pair mode needs at least one real and one fake item, and there are {real} real and "
                f"{len(items) - real} fake")
    return None if items else "there are no quiz items"


def too_small(width: int, height: int) -> str:
    """Why a picture under MIN_SIDE is left out: played, a 1x1 picture was asked about, and
    drew every quiz face as a 64 px thumbnail (each is drawn at most twice the smallest
    one's pixels)."""
    return (f"is only {width}x{height} px, too small to ask about (the machine judges nothing under "
            f"{MIN_SIDE} px, and every quiz face would be drawn as small); the quiz leaves it out. Use a "
            f"picture at least {TILE} px on each side")


# A reason that already says what to do ("export it as JPEG or PNG", "Use a picture at least ...")
_SAYS_ITS_FIX = ("export", "put the", "Use a", "write ")


def left_out(reason: str, listed: bool) -> str:
    """What is said of a quiz picture that cannot be shown (`reason`, from imaging): as a
    manifest's slip is said, a warning, for the quiz plays the others (it was said as an
    error, as if the show had stopped, and named no fix). With what to do, where the
    reason does not say it already; `listed`: the picture is a manifest's item."""
    remove = "remove its [[item]] from the manifest" if listed else "take it out of the folder"
    if any(words in reason for words in _SAYS_ITS_FIX):
        said = f"{reason}, or {remove}"
    elif reason.startswith(("file not found", "no such file")):
        said = f"{reason}: put the picture there, or {remove}"
    else:
        said = f"{reason}: copy the picture again from where it came (or save it again as JPEG or PNG), or {remove}"
    return f"{said}; the quiz plays the others meanwhile"


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
        # (writes a kill or power cut left unfinished: these counts', the kept items' of any quiz scene)
        remove_leftover_temps(path.parent, any_name=True)
        with contextlib.suppress(OSError):  # (where earlier versions wrote theirs)
            path.with_name(path.name + ".tmp").unlink(missing_ok=True)

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
        """Raises OSError (a full disk) with the previous statistics file untouched."""
        payload = json.dumps({"version": 1, "items": self.items}, indent=1, sort_keys=True)
        # (the shared helper: a temporary file of our own, so two quiz scenes or a show restarting
        # while the old one exits never write into one temporary file and rename a mix, or none)
        atomic_write_text(self.path, payload)
