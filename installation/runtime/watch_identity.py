"""Tell whether the show's folders are still the ones the watcher started watching.

A folder moved away and replaced by a copy, deleted and copied back, or made after the
start must be watched anew (see watch.py). Its path alone cannot tell: the copy has the
same path, and ext4 hands a deleted folder's inode straight on to a folder made in its
place, so (disk, inode) alone took the copy for the old folder.

Holding each folder open kept its inode from being handed on, but an open folder also
keeps its filesystem busy: a technician swapping the USB stick that holds the show could
not unmount it while the show ran. Instead each folder carries an inotify watch on itself
(Linux): the kernel reports it deleted, moved or unmounted, and the watch lets go of the
filesystem when it is unmounted (it never makes `umount` fail). Where inotify is missing
(another system, or its watches are used up) the folders are compared by disk and inode
on each look, which notices all but a folder deleted and made again within one look.
"""

from __future__ import annotations

import ctypes
import logging
import os
import struct
from collections.abc import Sequence
from pathlib import Path

log = logging.getLogger("bayard.runtime.watch")

# inotify(7): what happened to a watched folder itself. IGNORED follows the others (the
# watch is gone: folder deleted, filesystem unmounted).
IN_DELETE_SELF = 0x400
IN_MOVE_SELF = 0x800
IN_UNMOUNT = 0x2000
IN_IGNORED = 0x8000
IN_Q_OVERFLOW = 0x4000  # events were lost: any folder may have gone
IN_ONLYDIR = 0x01000000
SELF_EVENTS = IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT
_EVENT = struct.Struct("iIII")  # wd, mask, cookie, len (then len bytes of name)

Identity = tuple[int, int] | None  # (disk, inode), None where no folder is


def _inotify() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.inotify_init1  # noqa: B018 -- absent outside Linux
        libc.inotify_add_watch  # noqa: B018
    except (OSError, AttributeError):
        return None
    return libc


def identity(path: Path) -> Identity:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


class FolderIdentities:
    """`arm(paths)` notes what is at each path now; `replaced()` says, for each path,
    whether that is no longer so (gone, moved, replaced, unmounted, or made since)."""

    def __init__(self, use_inotify: bool = True) -> None:
        self._libc = _inotify() if use_inotify else None
        self._fd: int | None = None
        self._paths: list[Path] = []
        self._armed: list[Identity] = []
        self._wds: dict[int, int] = {}  # inotify watch -> index of its path
        self._fired: set[int] = set()  # indexes whose folder the kernel reported gone or moved
        self.native = False  # whether the folders carry inotify watches (else disk and inode only)
        self._warned = False  # said once that inotify is unavailable (not at every re-arm)

    @property
    def present(self) -> list[bool]:
        return [armed is not None for armed in self._armed]

    def arm(self, paths: Sequence[Path]) -> None:
        self.close()
        self._paths = [Path(path) for path in paths]
        self._fd = self._open()
        self._fired = set()
        for index, path in enumerate(self._paths):
            # The watch first, then the look: a folder replaced in between fires the watch.
            if self._fd is not None and (wd := self._watch(path)) is not None:
                self._wds[wd] = index
        self._armed = [identity(path) for path in self._paths]
        self.native = self._fd is not None

    def replaced(self) -> list[bool]:
        self._read()
        return [index in self._fired or identity(path) != armed
                for index, (path, armed) in enumerate(zip(self._paths, self._armed, strict=True))]

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # drops its watches
        self._fd = None
        self._wds = {}

    def _open(self) -> int | None:
        if self._libc is None:
            return None
        fd = self._libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if fd < 0:
            if not self._warned:
                self._warned = True
                log.warning("inotify is unavailable (%s): a show folder deleted and copied back within a "
                            "second may go unnoticed until the show restarts", os.strerror(ctypes.get_errno()))
            return None
        return fd

    def _watch(self, path: Path) -> int | None:
        wd = self._libc.inotify_add_watch(self._fd, os.fsencode(path), SELF_EVENTS | IN_ONLYDIR)
        if wd < 0:
            error = ctypes.get_errno()
            if error not in (2, 20):  # ENOENT, ENOTDIR: nothing to watch there yet (arm notes None)
                log.warning("cannot watch the folder %s itself (%s)", path, os.strerror(error))
            return None
        return wd

    def _read(self) -> None:
        while self._fd is not None:
            try:
                data = os.read(self._fd, 4096)
            except BlockingIOError:
                return
            offset = 0
            while offset + _EVENT.size <= len(data):
                wd, mask, _cookie, length = _EVENT.unpack_from(data, offset)
                offset += _EVENT.size + length
                if mask & IN_Q_OVERFLOW:
                    self._fired.update(self._wds.values())
                elif mask & (SELF_EVENTS | IN_IGNORED) and wd in self._wds:
                    self._fired.add(self._wds[wd])


class ShowFolderLink:
    """Where the show folder, as it was named, leads. A technician stages the next show beside
    the running one and flips a link (`current -> show-v2`); the watcher watches `current` and
    must notice the flip itself: watching the folder the link led to at the start, it saw
    neither a flip with no edit after it nor, after a flip the reload refused, the fix of the
    new show's file."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.is_link = self.root.is_symlink()
        self.leads_to = self.root.resolve()

    def flipped(self) -> tuple[Path, Path] | None:
        """(the folder it led to, the one it leads to now) where a flip moved it, else None.
        None too while it leads nowhere (a link removed before it is made again)."""
        if not self.root.is_dir():
            return None
        now = self.root.resolve()
        if now == self.leads_to:
            return None
        before, self.leads_to = self.leads_to, now
        return before, now

    def missing(self) -> str:
        """What to say while the show folder is not there: a link being replaced in two steps
        (`rm current`, then `ln -s show-v2 current`) is not a drive taken out."""
        if self.is_link or self.root.is_symlink():
            return (f"the show folder {self.root} is missing: its link is gone or leads nowhere (being replaced? "
                    f"`ln -sfn show-v2 {self.root.name}` replaces it in one step); the show plays on as it last "
                    "loaded and reloads when the link is back")
        return f"the show folder {self.root} is missing (a drive taken out?): watching it again when it is back"
