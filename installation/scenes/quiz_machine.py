"""The machine a quiz visitor plays against: its detector, loaded once per process, a
gallery's cross-fitted verdicts, and each item's judgement (kept by file, not by image).
Numpy and files only: prepare() calls these on a worker thread."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ..media.kept import file_stamp
from ..models.detector.crossfit import sha256_of
from .quiz_verdicts import KeptVerdicts

_MACHINES: dict[tuple, Any] = {}  # loaded once per process, by (name, folder, its files, device)
# Judgements by (file, size, (mtime, ctime), detector): the scene is rebuilt on every showing and
# judging an item costs tens of milliseconds; the cache holds no images, only results.
_JUDGED: dict[tuple[str, int, tuple[int, ...], int], Any] = {}
# Verdicts judged but refused by the disk (full, read-only): written at a later showing once
# it has room; remembered in memory alone, the next start judged them all again, late.
_UNKEPT: set[tuple[str, int, tuple[int, ...], int]] = set()


def load_machine(name: str, models_dir: Path | None, set_in: str = "the scene file") -> tuple[Any, str]:
    """A detector, or None with one line saying why the machine is not playing."""
    if name == "none":
        return None, f"the machine is not playing today (switched off in {set_in})"
    from ..models.detector import DETECTORS, DetectorUnavailable, detector_folder, load_detector
    from ..registry import UnknownName

    folder = detector_folder(name, models_dir)
    # Keyed by the folder's files and their times too, so a gallery that re-fits the
    # detector is picked up at the next showing without a restart.
    try:
        files = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.iterdir() if p.is_file()))
    except OSError:
        files = ()
    from ..models.device import requested_device

    # And by the device asked for, so a reload that moves models off the GPU is obeyed.
    key = (name, str(folder), files, requested_device())
    if key in _MACHINES:
        return _MACHINES[key], ""
    try:
        DETECTORS.get(name)
        detector = load_detector(name, models_dir=folder)
    except (UnknownName, DetectorUnavailable, ImportError, OSError) as error:
        return None, str(error)
    _MACHINES[key] = detector
    return detector, ""


def gallery_crossfit(models_dir: Path | None) -> tuple[dict, bool]:
    """A gallery's cross-fitted verdicts by file checksum (empty: none fitted), and whether
    out of fold the machine is no better than a coin on these items: its "99% sure" was
    not earned, so the reveal says the machine was unsure, and why."""
    from ..models.detector.base import DEFAULT_MODELS_DIR
    from ..models.detector.crossfit import COIN_AUC, crossfit_figures, crossfit_verdicts

    folder = models_dir / "detector" if models_dir is not None else DEFAULT_MODELS_DIR
    crossfit = crossfit_verdicts(folder)
    figures = crossfit_figures(folder) if crossfit else None
    return crossfit, figures is not None and figures[0] < COIN_AUC


# an item's file: (size, (mtime, ctime), sha256) when last read
_FILES: dict[str, tuple[int, tuple[int, ...], str | None]] = {}


def _file_stamp(path: Path, with_sha: bool) -> tuple[int, tuple[int, ...], str | None]:
    """(size, modification time, sha256 where asked) of an item's file, as last read where
    its drive is out: a quiz on a USB stick taken out plays the pictures kept from it
    (media/kept.py), judged as they were. The sha256 is read again only for a changed file."""
    try:
        stat = path.stat()
    except OSError:
        known = _FILES.get(str(path))
        if known is None:
            raise
        return known
    known = _FILES.get(str(path))
    size, *times = file_stamp(stat)  # (the change time too: a picture turned in place keeps size and time)
    changed = tuple(times)
    if known is not None and known[:2] == (size, changed) and (known[2] or not with_sha):
        return known
    stamp = (size, changed, sha256_of(path) if with_sha else None)
    _FILES[str(path)] = stamp
    return stamp


def judged_already(detector, path: Path, kept: KeptVerdicts | None = None) -> bool:
    """Whether the detector's judgement of the file in `path` is remembered (in this process,
    or kept on disk from an earlier start: then it is read back now): its pixels need not be
    decoded whole to judge it again."""
    try:
        size, mtime, sha = _file_stamp(path, kept is not None)
    except OSError:
        return False
    key = (str(path), size, mtime, id(detector))
    if key not in _JUDGED and kept is not None and (explanation := kept.recall(sha)) is not None:
        _JUDGED[key] = explanation
    return key in _JUDGED


def judged(detector, path: Path, image: np.ndarray | Callable[[], np.ndarray], crossfit: dict,
           coin: bool, kept: KeptVerdicts | None = None) -> tuple[Any, Any]:
    """(explanation, verdict) for the item in `path`, decoded as `image` (or by calling it,
    only where it is to be judged): the detector's own (remembered by file, and in `kept` by
    the picture's bytes across starts), or a gallery's cross-fitted verdict, from a model that
    never saw this item, where there is one. Raises what the detector raises."""
    size, mtime, sha = _file_stamp(path, bool(crossfit) or kept is not None)
    key = (str(path), size, mtime, id(detector))
    if key not in _JUDGED and kept is not None and (explanation := kept.recall(sha)) is not None:
        _JUDGED[key] = explanation
    if key not in _JUDGED:
        _JUDGED[key] = detector.explain(image() if callable(image) else image)
        if kept is not None and not kept.keep(sha, _JUDGED[key]):
            _UNKEPT.add(key)
    elif key in _UNKEPT and kept is not None and kept.keep(sha, _JUDGED[key], judged_now=False):
        _UNKEPT.discard(key)  # (room made on the disk since: the next start reads it back)
    explanation = _JUDGED[key]
    own = crossfit.get(sha) if crossfit else None
    if own is None:
        return explanation, explanation.verdict
    return with_crossfit(explanation, own, coin), own


def with_crossfit(explanation, verdict, coin: bool = False):
    """The explanation with a gallery's cross-fitted verdict. Its map, ring and place still
    speak for the shipped detector's side (map_fake), and how sure the machine is now
    follows the new verdict, unless the cross-fit is a coin on these items (`coin`): then
    it is unsure of every one."""
    from ..models.detector.facedet import UNSURE_BAND

    own = explanation.verdict
    map_fake = own.fake if own is not None else None
    unsure = explanation.unsure
    if verdict.log_odds is not None and 0.0 < verdict.threshold < 1.0:
        line = math.log(verdict.threshold / (1.0 - verdict.threshold))
        unsure = abs(verdict.log_odds - line) < UNSURE_BAND  # as sure as the face detector's
    return dataclasses.replace(explanation, verdict=verdict, map_fake=map_fake, unsure=unsure or coin,
                               coin=coin)
