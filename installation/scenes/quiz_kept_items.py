"""The quiz's last good items, kept in the show's state folder so that a show started over
a broken manifest plays them. In memory alone they were lost with the process: a manifest
left half-saved when the power went, or broken while the kiosk was off, and systemd's
restart found nothing to fall back on, so the quiz rested on its start card all day.

What is kept is the manifest's reading: each item's picture (named from the content
folder, so a show folder moved whole still finds them) and its size in bytes (another
picture under its name is not told the truth kept for this one), truth, credit, source and match.
Not the visitors' answers (quiz_items.QuizStats keeps those) and not the machine's
verdicts: those are kept apart, by the picture's bytes and the detector's weights
(quiz_verdicts.py), since they hold for any manifest that lists the picture.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

from ..config.errors import shown
from ..runtime.files import atomic_write_text
from .quiz_items import Item

log = logging.getLogger("bayard.quiz")

VERSION = 1
_FIELDS = ("key", "truth", "credit", "source", "match", "altered")


def kept_file(state_dir: Path, scene_id: str) -> Path:
    """Where the quiz `scene_id` keeps its last good items (beside its statistics)."""
    return Path(state_dir) / "quiz" / f"{scene_id}.last-good-items.json"


def keep(path: Path, manifest: str, items: list[Item], saved: float) -> None:
    """Write `items`, read well from `manifest` (named from the content folder), to `path`: whole or not at
    all (a power cut mid-write leaves the copy before). `saved`: the show clock's wall time, which
    the technician reads back as the date the items were kept. Never raises: a full or read-only
    disk only means a restart has no newer copy, said once in the log."""
    listed = [{"key": i.key, "truth": i.truth, "credit": i.credit, "source": i.source, "match": i.match,
               "altered": i.altered, "bytes": _size(i.path)} for i in items]
    text = json.dumps({"version": VERSION, "manifest": manifest, "saved": saved, "items": listed}, indent=1)
    try:
        atomic_write_text(path, text)
    except OSError as error:
        log.warning("%s: the quiz's last good items could not be kept (%s); after a restart over a broken "
                    "manifest the quiz would rest", path, error.strerror or error)


def recall(path: Path, manifest: str, content_root: Path, root: Path | None) -> tuple[list[Item], str, str]:
    """(items, when they were kept, a note for the technician) from `path`. No items, and
    no note, when nothing was ever kept for `manifest`; no items and a note naming the file
    when it cannot be read (half-written by a disk that lied about its flush, edited by
    hand): it is written anew at the manifest's next good reading."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [], "", ""
    except (OSError, ValueError) as error:
        return [], "", _unusable(path, root, str(getattr(error, "strerror", None) or error))
    try:
        if data.get("version") != VERSION or not isinstance(data.get("items"), list):
            raise ValueError("not a copy this version of Bayard wrote")
        if data.get("manifest") != manifest:
            return [], "", ""  # another manifest's items: the scene was pointed at a new one
        items, other = [], []
        for entry in data["items"]:
            key, truth, credit, source, match, altered = (entry[f] for f in _FIELDS)
            if not all(isinstance(v, str) for v in (key, credit, source, match)) or truth not in ("real", "fake"):
                raise ValueError(f"an item written wrongly: {entry!r:.80}")
            item = Item(key, content_root / key, truth, credit, source, match, bool(altered))
            now = _size(item.path)
            if isinstance(entry.get("bytes"), int) and now is not None and now != entry["bytes"]:
                other.append(key)  # (one gone is the preparation's to say: "file not found")
                continue
            items.append(item)
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        return [], "", _unusable(path, root, str(error))
    note = "" if not other else (
        f"{shown(path, root)}: " + ", ".join(repr(key) for key in other)
        + f" {'is' if len(other) == 1 else 'are'} left out: its picture is not the one it was kept with (another "
        "file under its name: the show's content changed, or another show's left this), so whether it is real "
        "or fake is not known; mend the manifest to play it")
    return items, _saved_at(data.get("saved")), note


def _saved_at(saved: object) -> str:
    """When the items were kept, for the technician; a date damaged alone (a number no clock
    reaches: its overflow faulted the quiz) does not take the whole items with it."""
    try:
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(float(saved)))  # type: ignore[arg-type]
    except (ArithmeticError, OSError, TypeError, ValueError):
        return "a date that could not be read"


def _size(picture: Path) -> int | None:
    """A kept item's picture's size in bytes: another picture under its name (a stick swapped
    for another show made from the same template, a picture replaced while the manifest was
    broken) is told by it, and is not played with the truth kept for the one before. (Not its
    time: a show folder copied whole keeps its sizes, not always its times.)"""
    try:
        return picture.stat().st_size
    except OSError:
        return None


def _unusable(path: Path, root: Path | None, why: str) -> str:
    return (f"{shown(path, root)}: the quiz's last good items are half-written or damaged ({why}) and are "
            "ignored; nothing to mend in it: it is written again at the manifest's next good reading")
