"""Small file helpers shared by the runtime: writes that are whole or absent, and text
read as an artist's editor saved it.

A kiosk loses power without warning. A state file written in place can be left half
written; one written to a temporary file, flushed to disk and renamed over the old one
is either the old version or the new one, never a mix (rename is atomic on POSIX).
"""

from __future__ import annotations

import os
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
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        try:
            temp.unlink()
        except OSError:
            pass
        raise
    fsync_dir(path.parent)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


_UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")


def read_text(path: Path) -> str:
    """A text file (a scene, the show file, a manifest) as an editor saved it: UTF-8, with
    or without the byte-order mark Windows editors put first, or UTF-16 with its mark
    (Notepad's "Unicode"). Read as plain UTF-8, a marked file failed at line 1 with "Invalid
    statement" over a character nobody can see. Anything else raises UnicodeDecodeError,
    which callers report as "save the file as UTF-8"."""
    data = Path(path).read_bytes()
    if data.startswith(_UTF16_MARKS):
        return data.decode("utf-16")
    return data.decode("utf-8-sig")
