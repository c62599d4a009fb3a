"""The state folder's side of the last good copy (lastgood.py): one swap at a time across
processes, the copies cut short by a killed process cleared away, the copy flushed to the
disk, and what a copy that failed means to a technician (said in status and on the overlay by
the engine, where before it was only in the log and the show looked protected when it was not).
"""

from __future__ import annotations

import contextlib
import errno
import getpass
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

try:
    import fcntl
except ImportError:  # (not POSIX: no locks; a copy's folder is then told by its process id alone)
    fcntl = None  # type: ignore[assignment]

from .loader import LAST_GOOD

ASIDE = f".{LAST_GOOD}.old"
# A copy under way: .last-good.<pid>.<random> (and .last-good.<pid>, as copies were named before).
_UNDER_WAY = re.compile(rf"^\.{re.escape(LAST_GOOD)}\.(\d+)(\.[A-Za-z0-9_]+)?$")


@contextlib.contextmanager
def swap_lock(state_dir: Path) -> Iterator[None]:
    """Hold the state folder locked: `bayard run` and `bayard preview` on one show (or a second
    `bayard run`) share it, and each swap of last-good and .last-good.old is made holding it (one
    waits for the other's, two renames and a removal). The folder itself is locked, no file of
    its own left in it; the kernel lets the lock go when its process ends, however it ends."""
    try:
        fd = os.open(state_dir, os.O_RDONLY)
    except OSError:
        fd = -1  # (a folder it may write but not list: the copy is made unlocked, as before)
    try:
        if fd >= 0 and fcntl is not None:
            # (A file system without locks on folders: unlocked as before, never no copy at all.)
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        if fd >= 0:
            os.close(fd)  # (and with it the lock)


class CopyUnderWay:
    """The folder a copy is made in, new and named for this copy alone (two processes, or two
    copies in one, once took the same `.last-good.<pid>` or removed each other's), and locked
    while it is made so that no other process clears it as a leftover (clear_leftovers)."""

    def __init__(self, state_dir: Path) -> None:
        # (Made under the swap lock, so the clearing never sees it before it is locked.) The
        # leftovers go first: a disk filled by them would refuse this copy too.
        with swap_lock(state_dir):
            self.cleared = clear_leftovers(state_dir)
            self.folder = Path(tempfile.mkdtemp(prefix=f".{LAST_GOOD}.{os.getpid()}.", dir=state_dir))
            self._fd = os.open(self.folder, os.O_RDONLY)
            if fcntl is not None:
                with contextlib.suppress(OSError):
                    fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def clear_leftovers(state_dir: Path) -> list[Path]:
    """Remove the copies a killed process left under way (a power cut mid-copy: each start then
    left one more, and a kiosk's disk filled over months of power cuts); never last-good nor the
    copy moved aside, nor a copy a running process is making. Called holding swap_lock."""
    cleared = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(state_dir):
            found = _UNDER_WAY.match(entry.name)
            if found and entry.is_dir(follow_symlinks=False) and not _owned(Path(entry.path), int(found.group(1))):
                shutil.rmtree(entry.path, ignore_errors=True)
                cleared.append(Path(entry.path))
    return cleared


def _owned(folder: Path, pid: int) -> bool:
    """Whether a running process is making a copy in `folder`: it holds the folder locked. The
    process id in its name is not enough: a kiosk boots the same way each time, and the show
    started after a power cut often has the very id of the one the cut ended."""
    if fcntl is not None:
        try:
            fd = os.open(folder, os.O_RDONLY)
        except OSError:
            return True  # (not ours to look at: left alone)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return False
        except BlockingIOError:
            return True
        except OSError:
            pass  # (a file system without locks: the process id tells)
        finally:
            os.close(fd)
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # (another user's process)
    return True


def flush(folder: Path) -> None:
    """Every file and folder of `folder` on the disk, not only in the page cache: copies sit
    there up to half a minute, and a copy named last-good (the whole one before it deleted)
    was a folder of empty files after a power cut soon after an edit."""
    for path in sorted(folder.rglob("*"), reverse=True):  # (files before the folders naming them)
        flush_entry(path)
    flush_entry(folder)


def flush_entry(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:
        # Some file systems cannot flush a folder this way: the copy is kept as before rather
        # than not at all (a full disk or a failing drive still ends it: EIO, ENOSPC).
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


# -- what a technician is told ------------------------------------------------------
LAST_GOOD_WHERE = "last-good"  # (status's "where" for a last good copy that fails)
STATE_FOLDER_WHERE = "state-folder"  # (... and for a state folder the show cannot write)
_FIXES = {
    errno.EIO: "the drive fails to write: replace it",
}
# The state folder's own troubles: a copy failing there for one of these is the folder's (its
# drive read-only or full, its permissions changed), and the fix is the folder's, said once in
# its words: it showed only as a failing last good copy, and the fix never named [show] state.
_FOLDER_TROUBLES = {
    errno.EROFS: ("its drive went read-only (failing?)",
                  "check or replace that drive, then restart the show; or set {setting} to a folder on a drive "
                  "that writes"),
    errno.ENOSPC: ("its drive is full",
                   "free space there, then save the show again; or set {setting} to a folder on a drive with room"),
    errno.EDQUOT: ("the show's user is over its disk quota there",
                   "free space there, then save the show again; or set {setting} to a folder with room"),
    errno.EACCES: ("the user {user} may not write there (its owner or permissions changed?)",
                   "give it back to that user (sudo chown -R {user} {folder}; deploy/setup-kiosk.sh does this), "
                   "or set {setting} to a folder that user may write"),
    errno.EPERM: ("the user {user} may not write there (its owner or permissions changed?)",
                  "give it back to that user (sudo chown -R {user} {folder}; deploy/setup-kiosk.sh does this), "
                  "or set {setting} to a folder that user may write"),
}


class Trouble(NamedTuple):
    """Why copies into a state folder fail: status's "where" and the technician's words."""

    where: str
    message: str
    at_start: bool = False  # (found by the show's start, before any copy failed: runtime/service.py)


_troubles: dict[Path, Trouble] = {}
_troubles_guard = threading.Lock()


def say_failed(state_dir: Path, target: Path, exc: OSError,
               setting: str = "[show] state in install.toml") -> str | None:
    """Remember for the engine that copies into `state_dir` fail, and why, in words that name
    the folder, the reason and the fix; the same cause says the same words. Returns the words
    where they are news for the log, None where this folder's trouble was said already (the
    same cause, or the show's start found the folder unwritable: one condition, said once).
    `setting`: where [show] state is set (its file and line), for a fix that moves the folder."""
    reason = exc.strerror or str(exc)
    folder_trouble = _FOLDER_TROUBLES.get(exc.errno) or _not_a_folder(Path(state_dir))
    if folder_trouble is not None:
        # (Not its free space: the words would change with it, and the same cause is said once.)
        said = {"user": _user(), "folder": state_dir, "setting": setting}
        what, fix = (part.format(**said) for part in folder_trouble)
        trouble = Trouble(STATE_FOLDER_WHERE, f"the state folder {state_dir} cannot be written ({reason}): {what}, "
                                              f"so no last good copy of the show can be made and "
                                              f"{_broken_edit_plays(Path(state_dir))}; {fix}")
    else:
        fix = _FIXES.get(exc.errno, "check that drive and the folder's owner, then save the show again")
        trouble = Trouble(LAST_GOOD_WHERE, f"no last good copy can be made in {target} ({reason}): "
                                           f"{_broken_edit_plays(Path(state_dir))}; {fix}")
    with _troubles_guard:
        before = _troubles.get(Path(state_dir))
        if before is not None and before.at_start and before.where == trouble.where:
            return None  # (the start's words stand until a copy is made there)
        _troubles[Path(state_dir)] = trouble
    return None if trouble == before else trouble.message


def say_unwritable(state_dir: Path, message: str) -> bool:
    """The show's start found `state_dir` unwritable before any copy failed there: a standing
    condition as a failing copy's is, in the start's words, until a copy is made. True where it
    is news; False where a failing copy said this folder's trouble already (`bayard run` makes
    its first copy before the runtime starts): the log and status had it twice."""
    with _troubles_guard:
        if Path(state_dir) in _troubles:
            return False
        _troubles[Path(state_dir)] = Trouble(STATE_FOLDER_WHERE, message, at_start=True)
        return True


def _broken_edit_plays(state_dir: Path) -> str:
    """What a broken edit plays while no new copy can be made: the older copy where one was made
    before; else (loader.load_show, cli's run) a scene file saved broken is skipped, a value of the
    wrong kind in it plays its default, and a show file broken at a start plays the safe card. It
    said "an older one" where none was ever made. (os.path's tests: they never raise.)"""
    if any(os.path.isfile(state_dir / folder / "install.toml") for folder in (LAST_GOOD, ASIDE)):
        return "a broken edit plays an older one"
    return ("there is no older copy either: a scene file saved broken is skipped (a value of the wrong kind in it "
            "plays its default), and a show file broken at a start plays the safe card")


def _not_a_folder(state_dir: Path) -> tuple[str, str] | None:
    """The folder's trouble where the state folder is no folder and cannot be made one: [show]
    state naming a file, or a folder under a file or under what cannot hold one (/proc, a drive
    gone). Its copies failed with "File exists", "Not a directory" or "No such file", and the fix
    said to check the drive and the folder's owner, neither of which is wrong."""
    # (os.path's tests: they answer False where Path's raise, and this runs as a copy fails)
    if os.path.isdir(state_dir):
        return None
    blocking = state_dir
    while not os.path.lexists(blocking) and blocking != blocking.parent:
        blocking = blocking.parent
    said = str(blocking).replace("{", "{{").replace("}", "}}")  # (the words are formatted after)
    if os.path.isdir(blocking):
        return (f"it cannot be made in {said}", "set {setting} to a folder on a drive that is mounted and writes")
    return (f"{said} is a file, not a folder", "move that file away (the show makes the folder), or set {setting} "
                                                "to a folder")


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # (a user id with no name in the user database)
        return str(os.getuid())


def say_made(state_dir: Path) -> bool:
    """A copy was made: the trouble is over. True where there was one."""
    with _troubles_guard:
        return _troubles.pop(Path(state_dir), None) is not None


def trouble(state_dir: Path) -> Trouble | None:
    """Why the last copy into `state_dir` failed, while no copy has been made since (any thread)."""
    with _troubles_guard:
        return _troubles.get(Path(state_dir))
