"""The show's own faces (its `fonts/` folder) looked at off the render thread.

Each scene built asks whether a face was added to fonts/ or replaced on the show's USB stick
under the same name (Fonts.refresh), so a curator's fix is used from the next scene on. That
look (the folder listed, each face's stat) ran on the render thread, and a stick that hangs in
its reads held it, and the screen, until the kernel gave up on the drive (minutes at worst).
Here it runs on a thread of its own, one at a time (a hung stick never gathers a thread per
scene change): a scene built waits a moment for a fresh look (a healthy drive answers in far
less), else it is built with the faces as last seen and a look that answers later is used by
the scene after. Files only: never pygame.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .typefaces import show_faces

log = logging.getLogger("bayard.typography")

# Real time a scene being built waits for a fresh look at fonts/: far past a healthy drive's
# answer (a listing and a few stats), short enough to pass unseen in a scene change's frame.
FACE_LOOK_WAIT_S = 0.05


@dataclass(frozen=True)
class FacesSeen:
    """What one look saw: the show folder's faces, and each one's (size, mtime) where it answered."""

    root: Path | None
    faces: list[Path]
    stats: dict[str, tuple[int, int]] = field(default_factory=dict)


def see_faces(show_root: Path | None) -> FacesSeen | None:
    """Look at the show's faces now (may block on a hung drive); None where the folder could
    not be listed (a stick failing: the faces as last seen stay)."""
    try:
        faces = show_faces(show_root)
    except OSError as exc:
        log.warning("the show's fonts/ folder could not be listed (%s); text is set in the faces as last seen",
                    exc.strerror or type(exc).__name__)
        return None
    stats = {}
    for face in faces:
        try:
            stat = os.stat(face)
        except OSError:
            continue  # out of reach: what was read of it stays in use (typefaces.faces_changed)
        stats[str(face)] = (stat.st_size, stat.st_mtime_ns)
    return FacesSeen(show_root, faces, stats)


class _Look:
    def __init__(self, root: Path | None) -> None:
        self.root = root
        self.done = threading.Event()
        self.seen: FacesSeen | None = None


class FaceLooks:
    """Looks at the show's faces, one under way at a time, never waited on for long."""

    def __init__(self, wait_s: float = FACE_LOOK_WAIT_S) -> None:
        self.wait_s = wait_s
        self._guard = threading.Lock()
        self._under_way: _Look | None = None
        self._landed: _Look | None = None  # a finished look not yet handed to a scene build

    def latest(self, show_root: Path | None) -> FacesSeen | None:
        """What a look at `show_root`'s faces saw since the last call, or None (nothing new, or
        the drive still has not answered: the faces as last seen stay)."""
        with self._guard:
            fresh = self._under_way is None
            if fresh:
                look = self._under_way = _Look(show_root)
                threading.Thread(target=self._run, args=(look,), name="bayard-face-look", daemon=True).start()
        if fresh:
            look.done.wait(self.wait_s)
        with self._guard:
            landed, self._landed = self._landed, None
        if landed is None or landed.seen is None or landed.root != show_root:
            return None  # (a look at the folder of a show since reloaded from elsewhere says nothing of this one)
        return landed.seen

    def under_way(self) -> bool:
        """Whether a look still waits on its drive (tests)."""
        with self._guard:
            return self._under_way is not None

    def _run(self, look: _Look) -> None:
        try:
            look.seen = see_faces(look.root)
        except Exception:  # a bug: logged, and the faces as last seen stay
            log.exception("looking at the show's faces failed")
        finally:
            with self._guard:
                self._landed = look
                self._under_way = None
            look.done.set()
