"""A loop's folder looked at again while it plays (for files copied in or taken out), off the
render thread: the look itself runs in media/folder_looks.py; here the scene asks for one every
RESCAN_S, takes its answer in update, and tells the technician once when the folder's drive does
not answer (the loop plays what it has meanwhile).

The files it skipped (a copy cut short, a file taken away) are looked at again too, a folder's
and a list's alike, on a worker of their own: one replaced or copied back is played again. A
skipped file stayed skipped until the show reloaded, and a loop given as a list of items was
never looked at again at all: a technician who copied a good file over the broken one saw the
loop go on without it."""

from __future__ import annotations

import math
from functools import partial
from pathlib import Path
from typing import Any

from ..media.folder_looks import LOOK_DEADLINE_S, FolderLooks
from .loop_check import folder_hung_words

RESCAN_S = 10.0  # how often a folder is looked at again for new or removed files (and skipped files)

# A file as a look finds it: (ctime, modified time, size, inode), or None where it is not there.
Stamp = tuple[int, int, int, int] | None


def folder_relatives(config: Any, content_root: Path) -> list[str]:
    """The files the loop's folder pattern matches, relative to the content folder, in play order
    (on the look's thread: the paths made relative there, not on the render thread)."""
    return [path.relative_to(content_root).as_posix() for path in config.folder_files(content_root)]


def stamps_of(content_root: Path, asked: SkippedAsked) -> dict[str, Stamp]:
    """(On the look's thread.) Each file `asked` names as it is now: a stat each, never a decode."""
    stamps: dict[str, Stamp] = {}
    for relative in asked.files:
        try:
            found = (content_root / relative).stat()
            stamps[relative] = (found.st_ctime_ns, found.st_mtime_ns, found.st_size, found.st_ino)
        except OSError:
            stamps[relative] = None
    return stamps


def replaced(stamp: Stamp, skipped_at: int, first: Stamp | bool) -> bool:
    """Whether a skipped file is there and was written or put in place since it was skipped: its
    ctime after the skip (a copy that keeps the original's modified time, `cp -p`, rsync, a file
    manager, sets its ctime all the same), or a file unlike the one the first look after the skip
    found (`first`; False where this is that look). ctime alone missed a good copy keeping its old
    time on a FAT or exFAT stick, whose ctime is its modified time, and a copy after the kiosk's
    clock was set back; a link turned to another file changes the inode its stat follows."""
    if stamp is None:
        return False
    return stamp[0] > skipped_at or (first is not False and stamp != first)


class SkippedAsked:
    """The skipped files the next look stamps: set whole on the render thread before it asks, read
    by the look's thread (a tuple, never changed in place; the thread never reads the scene)."""

    def __init__(self) -> None:
        self.files: tuple[str, ...] = ()


class FolderRescans:
    """The loop scene's looks at its folder (a mixin of LoopScene, which gives the attributes)."""

    config: Any
    context: Any
    log: Any
    id: str
    t: float
    block: bool
    items: list
    _places: dict[str, str]
    _scanned_at: float
    _looks: FolderLooks | None
    _said_hung: bool
    _rescan: Any  # (LoopScene._rescan: the items, with the files a look found)
    skipped: list[str]
    _found: list[str]  # (the files the folder's last look found: LoopPlaylist._scan)
    _skipped_at: dict[str, int]  # when (real time, ns) each skipped file was skipped: LoopPlaylist._skip
    _skipped_first: dict[str, Stamp] | None = None  # each skipped file as the first look after its skip found it
    _skipped_looks: FolderLooks | None = None
    _skipped_asked: SkippedAsked | None = None
    _skipped_looked_at = -math.inf

    def _folder_looks(self) -> FolderLooks:
        if self._looks is None:
            root = self.context.content_root
            # (the look's thread calls the config's method, never the scene's)
            self._looks = FolderLooks(root, self.config.folder or "", partial(folder_relatives, self.config, root),
                                      lambda: self.t, self.id)
        return self._looks

    def _look_again(self) -> None:
        """Every RESCAN_S, the folder looked at on a worker (media/folder_looks.py): a folder of
        thousands on a slow stick, or a stick that hangs, held the render thread, the screen
        frozen. The loop plays what it has until the look answers; a look that hangs is said once."""
        looks = self._folder_looks()
        began = not looks.asking and self.t - self._scanned_at >= RESCAN_S
        if began:
            looks.begin()
        found = looks.wait(LOOK_DEADLINE_S) if self.block and began else looks.answer()
        if found is not None:
            if self._said_hung:
                self.log.info("the drive holding '%s' answers again; the loop plays its files", self.config.folder)
            self._said_hung = False
            self._rescan(found)
        elif looks.hung and not self._said_hung:
            self._said_hung = True
            self.context.report(folder_hung_words(self.config.folder or "", self._places, self.context.content_root,
                                                  self.context.show_root, len(self.items), LOOK_DEADLINE_S),
                                severity="warning")

    def _look_at_skipped(self) -> None:
        """The files the loop skipped, looked at every RESCAN_S on a worker (a stat each: on the
        render thread a stick that hangs froze the screen). One written or put in place since it
        was skipped (a good copy over the broken one, or the one taken away copied back) is taken
        back among the items and played when its turn comes; should it fail again, it is skipped
        again (and said again where its words changed), and waits for the next copy."""
        if not self.skipped:
            return
        if self._skipped_looks is None:
            root, self._skipped_asked = self.context.content_root, SkippedAsked()
            # (Its own look, by the scene's id: the folder's look is shared by loops of one folder.)
            self._skipped_looks = FolderLooks(root, f"(the files loop '{self.id}' skipped)",
                                              partial(stamps_of, root, self._skipped_asked), lambda: self.t, self.id)
        looks, asked = self._skipped_looks, self._skipped_asked
        assert asked is not None
        began = not looks.asking and self.t - self._skipped_looked_at >= RESCAN_S
        if began:
            asked.files = tuple(self.skipped)
            self._skipped_looked_at = self.t
            looks.begin()
        stamps = looks.wait(LOOK_DEADLINE_S) if self.block and began else looks.answer()
        if self._skipped_first is None:
            self._skipped_first = {}
        first = self._skipped_first
        changed = []
        for file, stamp in (stamps or {}).items():
            if file not in self.skipped or file not in self._skipped_at:
                continue  # (taken back meanwhile; or skipped again since this look was asked: the next one)
            if replaced(stamp, self._skipped_at[file], first.get(file, False)):
                changed.append(file)
            else:
                first.setdefault(file, stamp)
        if changed:
            for file in changed:
                self.log.info("'%s' changed since the loop skipped it: it is played again", file)
                self.skipped.remove(file)
                self._skipped_at.pop(file, None)
                first.pop(file, None)
            self._rescan(self._found)
