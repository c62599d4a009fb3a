"""Pictures from a removable drive, kept decoded so a stick pulled mid-show changes nothing.

The show decodes a scene's picture each time the scene comes round. A picture that lies on
another drive than the show's own disk (staging.elsewhere: a USB stick) is kept
here once decoded; while its drive is out, the scene shows the last picture read from it
instead of its stand-in card. A picture whose size, modification time or change time differs
from the kept one (the stick swapped for an updated one, a picture edited in place) is decoded
anew. Kept pictures are read-only and share one memory budget, the least recently used going
first.
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


def file_stamp(stat: os.stat_result) -> tuple[int, int, int]:
    """What tells a picture's file changed: its size, its modification time, and its change
    time, which no tool can set back (`exiftool -P` editing a picture's tags keeps the size
    and the time, and the old picture showed until the show started again). Read from the
    disk, so the same on a stick put back. A FAT or exFAT stick (most of them) keeps no
    change time: Linux reports the modification time again (kernels from 5.19) or the file's
    creation time (older ones), and FAT keeps times to 2 s, so there an edit that keeps the
    size and the time is not seen; copying the picture onto the stick anew is."""
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


def read_picture(path: Path, max_side: int | None = None) -> np.ndarray:
    """`imaging.read_rgb`, remembering pictures that live on a removable drive (read-only
    arrays). Raises MediaError as read_rgb does when there is nothing to show."""
    key = (str(path), max_side)
    try:
        st = Path(path).stat()
    except OSError:
        with _lock:
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
        kept = _kept.get(key)
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
        _kept[key] = (stamp, image)
        _kept.move_to_end(key)
        while sum(im.nbytes for _, im in _kept.values()) > KEPT_MAX_BYTES:
            _kept.popitem(last=False)
    return image


def forget() -> None:
    """Drop every kept picture (tests; a show that changes its drive)."""
    with _lock:
        _kept.clear()
        _said.clear()
