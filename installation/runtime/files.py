"""Small file helpers shared by the runtime: writes that are whole or absent, and text
read as an artist's editor saved it.

A kiosk loses power without warning. A state file written in place can be left half
written; one written to a temporary file, flushed to disk and renamed over the old one
is either the old version or the new one, never a mix (rename is atomic on POSIX).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import threading
from pathlib import Path


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


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically (temp file, fsync, rename). Raises OSError
    (a full disk, a read-only file system) and leaves no temporary file behind."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # (the thread too: two workers writing one file at once, two quiz scenes keeping the same
    # picture's verdict, shared one temporary file and could rename a mix of both)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(temp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    fsync_dir(path.parent)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # (another user's process: it exists)
        return True
    return True


def remove_leftover_temps(path: Path, any_name: bool = False) -> None:
    """Remove the temporary files atomic_write_bytes left beside `path` (with `any_name`: in
    the folder `path`, whatever file they were for) in processes that are gone (a kill or a
    power cut mid-write): each run names its own, so none is ever reused and they would pile
    up. A live process's (the old show still exiting while the new one starts) is left to
    finish its write."""
    path = Path(path)
    folder, name = (path, ".+?") if any_name else (path.parent, re.escape(path.name))
    pattern = re.compile(rf"\.{name}\.([0-9]+)(\.[0-9]+)?\.tmp")  # (before the thread was in the name: none)
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for entry in names:
        match = pattern.fullmatch(entry)
        if match and int(match.group(1)) != os.getpid() and not _running(int(match.group(1))):
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
