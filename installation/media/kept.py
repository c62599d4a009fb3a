"""Pictures from a removable drive, kept decoded so a stick pulled mid-show changes nothing.

The show decodes a scene's picture each time the scene comes round. A picture that lies on
another drive than the show's own disk (staging.elsewhere: a USB stick) is kept
here once decoded; while its drive is out, the scene shows the last picture read from it
instead of its stand-in card. A picture whose size, modification time or change time differs
from the kept one (the stick swapped for an updated one, a picture edited in place) is decoded
anew. Kept pictures are read-only and share one memory budget: those the current round of the
show has not asked for go first (see _keep).
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np

from ..imaging import read_rgb
from . import staging

log = logging.getLogger("bayard.media")

KEPT_MAX_BYTES = 256 * 2**20  # a 4 GB kiosk keeps a show's worth of stills; films are not kept here

_lock = threading.Lock()
_kept: OrderedDict[tuple[str, int | None], tuple[tuple[int, int, int], np.ndarray]] = OrderedDict()
_said: set[str] = set()
_round = 0  # counts the show's rounds as the pictures asked for tell them (see _asked)
_asked_in: dict[tuple[str, int | None], int] = {}  # a picture -> the round that last asked for it
_last_asked: tuple[str, int | None] | None = None


def file_stamp(stat: os.stat_result) -> tuple[int, int, int]:
    """What tells a picture's file changed: its size, its modification time, and its change
    time, which no tool can set back (`exiftool -P` editing a picture's tags keeps the size
    and the time, and the old picture showed until the show started again). Read from the
    disk, so the same on a stick put back. A FAT or exFAT stick (most of them) keeps no
    change time: Linux reports the modification time again (kernels from 5.19) or the file's
    creation time (older ones), and FAT keeps times to 2 s, so there an edit that keeps the
    size and the time is not seen; copying the picture onto the stick anew is."""
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


def _asked(key: tuple[str, int | None]) -> None:
    """Note that the show asks for `key` (called with the lock held). A picture asked for
    again, after others, means the show came round: a new round begins. (Asked twice running,
    by a scene prepared again for another size, it is the same round.)"""
    global _round, _last_asked
    if key != _last_asked and _asked_in.get(key) == _round:
        _round += 1
        for gone in [k for k, asked in _asked_in.items() if asked < _round - 1 and k not in _kept]:
            del _asked_in[gone]  # (pictures the show no longer asks for: the books stay small)
    _asked_in[key] = _round
    _last_asked = key


def read_picture(path: Path, max_side: int | None = None) -> np.ndarray:
    """`imaging.read_rgb`, remembering pictures that live on a removable drive (read-only
    arrays). Raises MediaError as read_rgb does when there is nothing to show."""
    key = (str(path), max_side)
    try:
        st = Path(path).stat()
    except OSError:
        with _lock:
            _asked(key)
            kept = _kept.get(key)
            if kept is not None:
                _kept.move_to_end(key)
        if kept is None:
            return read_rgb(path, max_side)  # says why (file not found)
        if str(path) not in _said:
            _said.add(str(path))
            log.warning("%s is out of reach (its drive taken out?): showing the picture last read from it", path)
        return kept[1]
    stamp = file_stamp(st)
    with _lock:
        _asked(key)
        kept = _kept.get(key)
        if kept is not None:
            _kept.move_to_end(key)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    image = read_rgb(path, max_side)
    # (Asked of the show's disk, not of the film cache: with film copying off a picture on
    # the stick was never kept, and the scene showed its stand-in card once the stick was out.)
    if not staging.elsewhere(Path(path)) or image.nbytes > KEPT_MAX_BYTES // 2:
        return image
    image.flags.writeable = False  # shared by every showing of the scene
    with _lock:
        _said.discard(str(path))
        _keep(key, (stamp, image))
    return image


def _keep(key: tuple[str, int | None], kept: tuple[tuple[int, int, int], np.ndarray]) -> None:
    """Keep `kept` within KEPT_MAX_BYTES (called with the lock held): the pictures least
    recently asked for go first, but not one this round of the show has asked for; where all
    the others are, `kept` itself is dropped. The show asks for its pictures in the same order
    each round, and where they did not all fit, each one kept pushed out the one the next round
    needed first: none was ever found kept, and every picture was read from the stick again at
    every round. Now those that fit stay (as the quiz's screen copies, quiz_pictures._keep).
    A show that changes its pictures has the old ones pushed out from its second round on."""
    _kept[key] = kept
    _kept.move_to_end(key)
    while sum(image.nbytes for _, image in _kept.values()) > KEPT_MAX_BYTES:
        victim = next((k for k in _kept if k != key and _asked_in.get(k, -1) < _round), key)
        del _kept[victim]
        if victim == key:
            break


def forget() -> None:
    """Drop every kept picture (tests; a show that changes its drive)."""
    global _round, _last_asked
    with _lock:
        _kept.clear()
        _said.clear()
        _asked_in.clear()
        _round, _last_asked = 0, None
