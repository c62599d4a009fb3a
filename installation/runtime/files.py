"""Small file helpers shared by the runtime: writes that are whole or absent, and text
read as an artist's editor saved it.

A kiosk loses power without warning. A state file written in place can be left half
written; one written to a temporary file, flushed to disk and renamed over the old one
is either the old version or the new one, never a mix (rename is atomic on POSIX).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import os
import re
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

try:
    import fcntl
except ImportError:  # (not POSIX: a write under way is told by its process id alone)
    fcntl = None  # type: ignore[assignment]


def fsync_dir(directory: Path) -> None:
    """Make a rename durable: the directory entry itself must reach the disk."""
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write `path` through, whole or not at all: the block writes to a
    temporary file in the same folder (a rename across disks is a copy, not atomic), which is
    flushed to disk and renamed over `path` when the block ends. A block that raises (a full
    disk, a read-only file system, Ctrl-C) leaves `path` as it was and no temporary file: a
    checkpoint of hundreds of MB left half written beside itself filled the disk for good.
    For what does not fit in memory at once (a training checkpoint, torch.save into it)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(temp_name(path.name))
    try:
        with open(temp, "wb") as handle:
            _lock_while_writing(handle.fileno())
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
            os.replace(temp, path)  # (still open, so still locked: see _lock_while_writing)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    fsync_dir(path.parent)


def _lock_while_writing(fd: int) -> None:
    """Hold an exclusive lock on a temporary file while it is written: the kernel lets it go
    when its process ends, however it ends, so a later start tells a write under way from a
    dead one's leftover without trusting what /proc says of its process id (a show in another
    pid or time namespace reads that id as another process, or its start tick shifted, and
    cleared the live write). Where locks are not had (no fcntl, a file system without them)
    the process id and stamp alone tell (see _writer_gone)."""
    with contextlib.suppress(OSError, AttributeError):
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _locked_by_a_writer(file: Path) -> bool:
    """Whether a live process holds `file` locked as it writes it (see _lock_while_writing)."""
    try:
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False  # (gone already, or not ours to read: the process id tells)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except (OSError, AttributeError):
        return False  # (no locks here: the process id tells)
    finally:
        os.close(fd)  # (and with it the shared lock just taken)
    return False


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically (temp file, fsync, rename). Raises OSError
    (a full disk, a read-only file system) and leaves no temporary file behind."""
    with atomic_writer(path) as handle:
        handle.write(data)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


# Whether os.kill(pid, 0) asks if a process lives (POSIX); on Windows it ends the process
# (TerminateProcess), so there a leftover's writer is taken to live and its file is kept.
_SIGNAL_ASKS = os.name != "nt"


def _running(pid: int) -> bool:
    if not _SIGNAL_ASKS:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # (another user's process: it exists)
        return True
    return True


def _process_stamp(pid: int) -> str | None:
    """Eight hex digits for the process now running as `pid`: this boot's id and the tick the
    process started at. A process id is reused (after a reboot the same services start in
    the same order and get the same ids; on a long run they wrap), the pair is not. None
    where it cannot be read (no such process, or no /proc: not Linux)."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
        line = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
        # (the command's name, in brackets, may hold spaces: the fields are counted past it;
        # the start tick is the 22nd field, the 20th after the name)
        started = line[line.rindex(")") + 2:].split()[19]
    except (OSError, ValueError, IndexError):
        return None
    return hashlib.sha256(f"{boot}:{started}".encode()).hexdigest()[:8]


@functools.lru_cache(maxsize=4)
def _own_stamp(pid: int) -> str | None:
    return _process_stamp(pid)  # (keyed by the id: a forked child is another process)


def temp_name(name: str) -> str:
    """The temporary file's name for writing `name`: its process, thread and the process's
    stamp. The thread too: two workers writing one file at once (two quiz scenes keeping the
    same picture's verdict) shared one temporary file and could rename a mix of both."""
    pid = os.getpid()
    stamp = _own_stamp(pid)
    return f".{name}.{pid}.{threading.get_ident()}" + (f".s{stamp}" if stamp else "") + ".tmp"


def _writer_gone(pid: int, stamp: str | None) -> bool:
    """Whether the process that named a temporary file `pid` (and `stamp`) has ended."""
    if stamp is None:  # (named before stamps, or off Linux: the process id is all there is)
        return pid != os.getpid() and not _running(pid)
    now = _own_stamp(pid) if pid == os.getpid() else _process_stamp(pid)
    if now is None:
        return not _running(pid)
    # Another process under the same id (or this one, started after an earlier boot's show
    # had its id) did not write it: its writer is gone.
    return now != stamp


def remove_leftover_temps(path: Path, any_name: bool = False) -> None:
    """Remove the temporary files atomic_writer left beside `path` (with `any_name`: in the
    folder `path`, whatever file they were for) in processes that are gone (a kill or a power
    cut mid-write): each run names its own, so none is ever reused and they would pile up. A
    live process's (the old show still exiting while the new one starts) is left to finish
    its write; one whose process id a later process took (the stamp tells them apart) is not
    its, and goes."""
    path = Path(path)
    folder, name = (path, ".+?") if any_name else (path.parent, re.escape(path.name))
    # (before the thread was in the name: none; before the stamp: none)
    pattern = re.compile(rf"\.{name}\.([0-9]+)(\.[0-9]+)?(\.s([0-9a-f]{{8}}))?\.tmp")
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for entry in names:
        match = pattern.fullmatch(entry)
        if match and _writer_gone(int(match.group(1)), match.group(4)) and not _locked_by_a_writer(folder / entry):
            with contextlib.suppress(OSError):
                os.unlink(folder / entry)


_UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")
MAX_TEXT_BYTES = 4_000_000  # the longest scene file an artist writes is a few kB


def read_text(path: Path) -> str:
    """A text file (a scene, the show file, a manifest) as an editor saved it: UTF-8, with
    or without the byte-order mark Windows editors put first, or UTF-16 with its mark
    (Notepad's "Unicode"). Read as plain UTF-8, a marked file failed at line 1 with "Invalid
    statement" over a character nobody can see. Anything else raises UnicodeDecodeError,
    which callers report as "save the file as UTF-8".

    Only a regular file of at most MAX_TEXT_BYTES is read; anything else raises OSError
    saying what it is. A named pipe saved as scenes/pipe.toml blocked the show's reload
    (on the render thread) until something wrote into it, and a link to /dev/zero would
    have read for ever."""
    # O_NONBLOCK: opening a pipe for reading would otherwise wait for a writer.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise OSError(errno.EISDIR, "is a folder, not a file", str(path))
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a pipe, device or socket): remove it or replace it "
                                        "with a text file", str(path))
        if info.st_size > MAX_TEXT_BYTES:
            raise OSError(errno.EFBIG, f"{info.st_size / 1e6:.1f} MB is too large for a show or scene file "
                                       f"(at most {MAX_TEXT_BYTES // 1_000_000} MB)", str(path))
        with os.fdopen(fd, "rb", closefd=True) as handle:
            fd = -1
            data = handle.read(MAX_TEXT_BYTES + 1)
    finally:
        if fd >= 0:
            os.close(fd)
    if data.startswith(_UTF16_MARKS):
        return data.decode("utf-16")
    return data.decode("utf-8-sig")


def free_bytes(path: Path) -> tuple[int, int] | None:
    """(free, total) bytes of the disk `path` is on, or would be on once made (its nearest
    existing folder); None where that cannot be read."""
    import shutil

    folder = Path(path)
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        usage = shutil.disk_usage(folder)
    except OSError:
        return None
    return usage.free, usage.total
