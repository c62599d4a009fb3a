"""Screenshots of the show's frame, for the technician (`/bayard/screenshot`, a key).

Written on the render thread, so they are kept cheap: a burst of requests (one OSC bundle
held a hundred, and froze the show for 47 s, past the kiosk's watchdog) shares one
picture, taken at most once a second; and the folder keeps the newest few hundred, so
a forgotten monitoring script cannot fill the disk.
"""

from __future__ import annotations

import io
import logging
import time
from pathlib import Path

from .runtime.files import atomic_write_bytes

log = logging.getLogger("bayard.screenshots")

EVERY_S = 1.0  # requests closer together than this are answered with the last picture
KEPT = 200  # screenshots kept in the folder, newest first (only files this module names)
PATTERN = "bayard-*.png"


class Screenshots:
    def __init__(self) -> None:
        self._last: tuple[float, Path] | None = None

    def take(self, frame, folder: Path, now: float, wall: float, frame_number: int) -> Path:
        """Save `frame` (a pygame Surface) in `folder`, or return the picture taken less
        than EVERY_S ago. Raises OSError, with the folder, when nothing could be saved."""
        last = self._last
        if last is not None and 0.0 <= now - last[0] < EVERY_S and last[1].parent == folder and last[1].exists():
            return last[1]
        import pygame

        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # (a file where the folder should be)
            raise OSError(f"no screenshot saved in {folder}: {exc.strerror or exc}") from exc
        stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(wall))
        path = folder / f"bayard-{stamp}-{frame_number:07d}.png"
        # Encoded in memory and written whole or not at all: saved straight to a full
        # disk, SDL left a 0-byte PNG and the reply named it as if it were a screenshot.
        encoded = io.BytesIO()
        pygame.image.save(frame, encoded, "screenshot.png")
        if not encoded.getbuffer().nbytes:
            raise OSError("the PNG encoder produced nothing; no screenshot was saved")
        try:
            atomic_write_bytes(path, encoded.getvalue())
        except OSError as exc:
            raise OSError(f"no screenshot saved in {folder}: {exc.strerror or exc}") from exc
        self._last = (now, path)
        prune(folder, KEPT)
        return path


def prune(folder: Path, kept: int) -> int:
    """Delete all but the newest `kept` screenshots in `folder`; returns how many went."""
    try:
        shots = sorted(folder.glob(PATTERN), key=lambda p: p.name, reverse=True)  # names sort by time
    except OSError:
        return 0
    gone = 0
    for old in shots[kept:]:
        try:
            old.unlink()
            gone += 1
        except OSError:
            pass
    if gone:
        log.info("screenshots: %d older picture(s) deleted in %s (the newest %d are kept)", gone, folder, kept)
    return gone
