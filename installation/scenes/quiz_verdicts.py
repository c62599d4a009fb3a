"""The detector's verdicts on the quiz's items, kept in the show's state folder so that a
start does not judge every item again. Judging costs tens of milliseconds an item, and the
whole picture must be decoded for it: a large quiz on a slow kiosk showed its start card
seconds late after every restart, though nothing had changed.

One file per verdict, `<state>/quiz/verdicts/<key>.npz`, where the key is a hash of what
decides the verdict: the picture's bytes (sha256: a picture replaced under its name, or
turned in place, is judged again) and the detector's identity (its weights' checksum and
settings, its face models, this format and Bayard's version: a re-made or replaced weights
file is judged with again). Each holds the detector's Explanation as it returned it: the
verdict and the pictures the reveal draws of what the machine saw (the noise spectrum, the
evidence map over the item, the eyes), all made from the quiz's own item. Nothing of
visitors: their answers live in quiz_items.QuizStats, and no camera frame passes here.

Written whole or not at all (runtime.files.atomic_write_bytes); read with pickling off; one
that cannot be read (half-written by a disk that lied about its flush, another program's,
another key's) is a warning naming it, is ignored, and is written anew. At most MAX_FILES
files and MAX_BYTES in all: the least recently used go first.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import json
import logging
import os
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from .. import __version__
from ..models.detector.base import Explanation, Verdict
from ..models.detector.eyes import EyesView
from ..runtime.files import atomic_write_bytes, remove_leftover_temps

log = logging.getLogger("bayard.quiz")

FORMAT = "bayard-quiz-verdict-2"  # 2: the eyes kept 4.5 iris radii either side (eyes.VIEW_REACH), not 3.5
MAX_FILES = 2000  # a gallery's quiz has tens of items, a large one a few hundred
MAX_BYTES = 256 * 2**20  # an entry is 0.3-0.5 MB for a 600 px picture (its evidence map is the picture's size)
MAX_ENTRY_BYTES = 16 * 2**20  # a huge picture's map is judged at each start rather than crowd the rest out
# (a folder, why its verdicts could not be written) said in this process: once each, not at
# every showing while the disk stays full, and again once a verdict was written there since
_UNWRITABLE: set[tuple[str, str]] = set()
# (a detector's class, why its identity failed) said in this process: once, not at every showing
_UNTOLD: set[tuple[str, str]] = set()


def verdicts_folder(state_dir: Path) -> Path:
    """Where the quiz keeps its verdicts (beside its statistics and last good items)."""
    return Path(state_dir) / "quiz" / "verdicts"


def kept_on_disk(folder: Path) -> tuple[int, int]:
    """How many verdicts `folder` keeps and their bytes (none: 0, 0); OSError where it cannot
    be read."""
    count = size = 0
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return 0, 0
    for entry in entries:
        if entry.name.endswith(".npz") and entry.is_file(follow_symlinks=False):
            count += 1
            size += entry.stat(follow_symlinks=False).st_size
    return count, size


def _machine(detector: Any) -> str | None:
    """The key part that names `detector`'s verdicts: a hash of its identity, this format and
    Bayard's version; None where it cannot be told, and nothing of it is kept. A detector's
    identity is its own code (a backend added later, a plug-in): one that raised, or gave
    what JSON cannot write, faulted the quiz at every showing, and the quiz went without its
    machine. Its items are judged afresh instead, and the log says once which detector and why."""
    identity = getattr(detector, "identity", None)
    if not callable(identity):
        return None
    try:
        known = identity()
        if known is None:
            return None
        told = json.dumps({"format": FORMAT, "bayard": __version__, "detector": known}, sort_keys=True)
    except Exception as error:  # the detector's boundary: its bug costs the kept verdicts, not the quiz
        kind = f"{type(detector).__module__}.{type(detector).__qualname__}"
        why = f"{type(error).__name__}: {error}"
        if (kind, why) not in _UNTOLD:
            _UNTOLD.add((kind, why))
            log.warning("the quiz's detector %r (%s) cannot say what decides its verdicts (its identity() failed: "
                        "%s): none is kept on disk, and each quiz picture is judged afresh at every start; "
                        "the quiz plays on. Mend the detector's identity(), or tell its maker",
                        getattr(detector, "name", kind), kind, why)
        return None
    return hashlib.sha256(told.encode()).hexdigest()


class Unkeepable(ValueError):
    """An explanation holding something this format does not write (a new backend's field)."""


class KeptVerdicts:
    """The verdicts of one detector kept in `folder`; counts what it reused and judged."""

    def __init__(self, folder: Path, detector: Any) -> None:
        self.folder = Path(folder)
        # (a detector whose weights cannot be told keeps nothing: its verdicts could be another's)
        self.machine = _machine(detector)
        self.reused = 0
        self.judged = 0
        self._warned: set[str] = set()

    def _key(self, picture_sha: str) -> str:
        return hashlib.sha256(f"{self.machine}:{picture_sha}".encode()).hexdigest()[:40]

    def _file(self, picture_sha: str) -> Path:
        return self.folder / f"{self._key(picture_sha)}.npz"

    def recall(self, picture_sha: str | None) -> Explanation | None:
        """The explanation kept for the picture with this sha256, or None (none kept, or not readable)."""
        if self.machine is None or picture_sha is None:
            return None
        path = self._file(picture_sha)
        try:
            with np.load(path, allow_pickle=False) as data:
                info = json.loads(str(data["info"]))
                if info.get("format") != FORMAT or info.get("key") != self._key(picture_sha):
                    raise ValueError("not a verdict this version of Bayard kept for this picture")
                explanation = _explanation(info, {name: data[name] for name in data.files if name != "info"})
        except FileNotFoundError:
            return None
        except (OSError, EOFError, KeyError, TypeError, ValueError, zipfile.BadZipFile) as error:
            self._warn(path, str(getattr(error, "strerror", None) or error))
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # used: the last to go when the folder is full
        self.reused += 1
        return explanation

    def keep(self, picture_sha: str | None, explanation: Explanation, judged_now: bool = True) -> bool:
        """Write the explanation for the picture with this sha256; False where the disk
        refused it (full, read-only: it is judged again at the next start unless a later
        call, `judged_now` False for a verdict judged at an earlier showing, writes it).
        Never raises."""
        self.judged += judged_now
        if self.machine is None or picture_sha is None:
            return True
        try:
            info, arrays = _parts(explanation)
        except Unkeepable as error:
            log.debug("quiz verdict not kept: %s", error)
            return True
        info |= {"format": FORMAT, "key": self._key(picture_sha)}
        data = _npz({"info": np.array(json.dumps(info)), **arrays})
        if len(data) > MAX_ENTRY_BYTES:
            return True
        path = self._file(picture_sha)
        try:
            atomic_write_bytes(path, data)
        except OSError as error:
            # Once for the folder and its reason, not once an item: a full disk wrote a line
            # for every picture of the quiz at every start, each naming a hashed file name
            # that told the technician nothing.
            why = str(error.strerror or error)
            if (str(self.folder), why) not in _UNWRITABLE:
                _UNWRITABLE.add((str(self.folder), why))
                log.warning("%s: the quiz's verdicts cannot be kept there (%s): each quiz picture is judged "
                            "again at every start, its start card late, until there is room on that disk and "
                            "the folder can be written", self.folder, why)
            return False
        said = {entry for entry in _UNWRITABLE if entry[0] == str(self.folder)}
        if said:
            _UNWRITABLE.difference_update(said)
            log.info("%s: the quiz's verdicts are kept there again", self.folder)
        return True

    def prune(self) -> None:
        """Leave at most MAX_FILES verdicts and MAX_BYTES, the least recently used going first,
        and no half-written temporary file of an earlier run."""
        # (a write cut short by a kill: never renamed; a live process's is its write under way)
        remove_leftover_temps(self.folder, any_name=True)
        try:
            entries = []
            for entry in os.scandir(self.folder):
                if entry.name.endswith(".npz") and entry.is_file(follow_symlinks=False):
                    stat = entry.stat(follow_symlinks=False)
                    entries.append((stat.st_mtime_ns, stat.st_size, entry.path))
        except OSError:
            return
        entries.sort(reverse=True)  # newest first
        total = 0
        for count, (_, size, path) in enumerate(entries):
            total += size
            if count >= MAX_FILES or total > MAX_BYTES:
                with contextlib.suppress(OSError):
                    os.unlink(path)

    def _warn(self, path: Path, why: str) -> None:
        if str(path) in self._warned:
            return
        self._warned.add(str(path))
        log.warning("%s: a kept quiz verdict is half-written or damaged (%s) and is ignored; its item is judged "
                    "again and it is written anew; nothing to mend", path, why)


# -- the Explanation as npz arrays and JSON ------------------------------------------------
def _npz(arrays: dict[str, np.ndarray]) -> bytes:
    """An .npz (np.load reads it) deflated at level 1: np.savez_compressed's level 6 took
    150 ms a verdict (more than judging it), level 1 about 20 ms for a file 10% larger."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, array in arrays.items():
            with archive.open(f"{name}.npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.asanyarray(array), allow_pickle=False)
    return buffer.getvalue()


def _parts(explanation: Explanation) -> tuple[dict, dict[str, np.ndarray]]:
    info: dict[str, Any] = {}
    arrays: dict[str, np.ndarray] = {}
    for field in dataclasses.fields(explanation):
        value = getattr(explanation, field.name)
        if isinstance(value, np.ndarray):
            arrays[field.name] = value
        elif isinstance(value, Verdict):
            info[field.name] = {"verdict": dataclasses.asdict(value)}
        elif isinstance(value, EyesView):
            for n, patch in enumerate(value.patches):
                arrays[f"{field.name}.{n}"] = patch
            info[field.name] = {"eyes": {"patches": len(value.patches), "irises": value.irises,
                                         "highlights": value.highlights}}
        elif value is None or isinstance(value, (str, bool, int, float)):
            info[field.name] = value
        elif isinstance(value, list) and all(isinstance(v, (int, float, tuple)) for v in value):
            info[field.name] = {"list": value}
        else:
            raise Unkeepable(f"{field.name} is a {type(value).__name__}")
    return info, arrays


def _explanation(info: dict, arrays: dict[str, np.ndarray]) -> Explanation:
    values: dict[str, Any] = {}
    for field in dataclasses.fields(Explanation):
        if field.name in arrays:
            values[field.name] = arrays[field.name]
            continue
        if field.name not in info:
            continue  # (absent: its default, as the backend left it)
        value = info[field.name]
        if isinstance(value, dict) and "verdict" in value:
            value = Verdict(**value["verdict"])
        elif isinstance(value, dict) and "eyes" in value:
            eyes = value["eyes"]
            value = EyesView([arrays[f"{field.name}.{n}"] for n in range(eyes["patches"])],
                             [tuple(i) for i in eyes["irises"]],
                             [None if h is None else tuple(h) for h in eyes["highlights"]])
        elif isinstance(value, dict) and "list" in value:
            value = [tuple(v) if isinstance(v, list) else v for v in value["list"]]
        values[field.name] = value
    return Explanation(**values)
