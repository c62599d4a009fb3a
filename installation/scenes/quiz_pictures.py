"""The quiz's pictures as the screens show them: each item's centre square at the size this
screen draws it, made on the worker thread (numpy only) and kept in memory by file.

The scene is built anew at every showing, and each showing decoded every picture whole
only to shrink it: a 12000x9000 JPEG cost 2.5-4 s and 640 MB of memory each time
(bench/quiz_picture.py; 0.5 s and 57 MB at its first showing now, nothing later). Now a
picture whose screen copy is kept, and whose file has not changed, is not read again; and
one that must be read is decoded at reduced size where its format allows (a JPEG at 1/2,
1/4 or 1/8, imaging.decode_reduction), unless the machine is still to judge it: the
detector reads the whole file's own pixels (resizing washes out its traces), so its first
judging decodes the picture whole, and the screen copy is made from that. A copy from a
stick taken out is shown on, as media.kept shows a stick's pictures.
"""

from __future__ import annotations

import logging
import math
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..imaging import image_size, read_rgb
from ..media import staging
from ..media.kept import file_stamp, read_picture
from . import quiz_draw as draw

# Screen copies kept for later showings (least recently shown go first): on a 4K screen a
# quiz face is drawn about 1,400 px square, 6 MB; at 1080p the default items take 0.8 MB each.
COPIES_MAX_BYTES = 96 * 2**20

log = logging.getLogger("bayard.quiz")


@dataclass(frozen=True)
class ScreenCopy:
    """An item's picture ready to show: `image`, side x side; `own_size`, the picture's own
    (width, height) as shown (the quiz refuses pictures under MIN_SIDE); `whole`, the whole
    decoded picture where it was decoded whole (for the machine to judge), else None."""

    image: np.ndarray
    own_size: tuple[int, int]
    whole: np.ndarray | None = None


@dataclass(frozen=True)
class _Kept:
    stamp: tuple[int, int, int]  # file_stamp() of the file the copy was made from
    copy: ScreenCopy
    # Whether that file lay on another drive (a USB stick) then: asked when the copy is made,
    # as media.kept asks. Asked once the file is out of reach, an unmounted stick's path lies
    # on the show's own disk (its nearest folder, the empty mount point, does), and a quiz
    # with no machine rested, every item "file not found".
    apart: bool = False


_lock = threading.Lock()
_copies: OrderedDict[tuple[str, int], _Kept] = OrderedDict()  # by (file, side wanted)
_shown_at: dict[tuple[str, int], int] = {}  # a kept copy -> the showing that last showed it
_showing = 0  # counts the quiz's showings (begin_showing)
_said: set[str] = set()


def begin_showing() -> None:
    """A quiz starts making its items ready (every showing, in the same order): the copies
    this showing uses are kept before any other (see _keep)."""
    global _showing
    with _lock:
        _showing += 1


def screen_copy(path: Path, wanted: int, whole: bool = False) -> ScreenCopy:
    """`path`'s centre square at `wanted` px, or at its own shorter side where that is less.
    `whole`: decode the whole picture and return it too (the machine is still to judge it).
    Raises MediaError as imaging.read_rgb does."""
    key = (str(path), wanted)
    try:
        stamp: tuple[int, int, int] | None = file_stamp(Path(path).stat())
    except OSError:
        stamp = None
    with _lock:
        kept = _copies.get(key)
        if kept is not None:
            _copies.move_to_end(key)
            _shown_at[key] = _showing
    if kept is not None and not whole and (kept.stamp == stamp or (stamp is None and kept.apart)):
        if stamp is None and str(path) not in _said:  # its stick taken out: shown as last read (as media.kept)
            _said.add(str(path))
            log.warning("%s is out of reach (its drive taken out?): the quiz shows the picture last read from it",
                        path)
        return kept.copy
    if whole or stamp is None:
        # Whole, through media.kept: a stick's picture is kept there while the stick is out.
        image = read_picture(path)
        own_size = (image.shape[1], image.shape[0])
    else:
        size = image_size(path)  # (from the header: None where Pillow cannot read it, OpenCV may)
        needed = math.ceil(min(wanted, *size) * max(size) / min(size)) if size else None
        # A JPEG decoded reduced, still three times the copy or more, and resized once by
        # square_crop (resized to the copy first, then cut square, it came out blurred).
        image = read_rgb(path, needed, shrink=False)
        own_size = size or (image.shape[1], image.shape[0])
    copy = draw.square_crop(image, min(wanted, *own_size, *image.shape[:2]))
    if np.shares_memory(copy, image):  # (a picture already that size: the whole one goes to the machine)
        copy = copy.copy()
    copy.flags.writeable = False  # shared by every later showing
    if stamp is not None:
        _keep(key, _Kept(stamp, ScreenCopy(copy, own_size), staging.elsewhere(Path(path))))
    return ScreenCopy(copy, own_size, image if whole else None)


def _keep(key: tuple[str, int], kept: _Kept) -> None:
    """Keep `kept` within COPIES_MAX_BYTES: the copies least recently shown go first, but not
    one this showing has shown. A showing makes its items ready in the same order each time,
    and where they did not all fit, each copy kept pushed out the one the next showing needed
    first: none was ever found again. Now the copies that fit stay, and the rest are decoded
    at each showing (`key` itself goes where every other is this showing's)."""
    with _lock:
        _copies[key] = kept
        _copies.move_to_end(key)
        _shown_at[key] = _showing
        while len(_copies) > 1 and sum(k.copy.image.nbytes for k in _copies.values()) > COPIES_MAX_BYTES:
            victim = next((k for k in _copies if k != key and _shown_at.get(k, -1) < _showing), key)
            del _copies[victim]
            _shown_at.pop(victim, None)
            if victim == key:
                break


def forget() -> None:
    """Drop every kept copy (tests; the bench)."""
    with _lock:
        _copies.clear()
        _shown_at.clear()
        _said.clear()
