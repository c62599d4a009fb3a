"""Where `portrait inspect` writes its overlay when it is given no -o, and how it writes it.

The overlay is a curator's check, not show content: it must not land among the show's files,
and it must never replace a file of the curator's. Run from the picture's own folder (the
usual way: `cd content; bayard portrait inspect anne.jpg`), the current folder IS the show's
content folder, so the overlay goes to the system's temporary folder instead; so too when the
current folder lies in a show (its install.toml there or above: a new picture checked from the
content folder it is meant for), cannot be written or is gone (a stick pulled out). A file already there under
the overlay's name is replaced only if inspect wrote it (its PNG carries OVERLAY_MARK); a
curator's own file of that name is kept, and the overlay takes the next free name.
"""

from __future__ import annotations

import contextlib
import os
import struct
import tempfile
import zlib
from pathlib import Path

import numpy as np

# A PNG text chunk ("Software") that says inspect wrote the file: re-running inspect replaces
# its own overlay rather than leaving anne-mesh-2.png, -3... beside it.
OVERLAY_MARK = b"Software\x00bayard portrait inspect overlay"
_PNG_HEADER = 8 + 25  # the PNG signature, then its IHDR chunk (length, type, 13 bytes, CRC)
_TEMP_FOLDER = "bayard-inspect"


def _text_chunk() -> bytes:
    body = b"tEXt" + OVERLAY_MARK
    return struct.pack(">I", len(OVERLAY_MARK)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def is_overlay(path: Path) -> bool:
    """Whether `path` is an overlay inspect wrote (its mark right after the PNG's header)."""
    try:
        with open(path, "rb") as file:
            head = file.read(_PNG_HEADER + len(_text_chunk()))
    except OSError:
        return False
    return head[_PNG_HEADER:] == _text_chunk()


def _in_a_show(folder: Path) -> bool:
    """Whether `folder` is a show's folder or one inside it (its content, its scenes): the
    show's file is there or above, as `bayard run` finds it."""
    from ...cli_show import DEFAULT_SHOW

    return any((above / DEFAULT_SHOW).exists() for above in (folder, *folder.parents))


def _desk(image: Path) -> Path:
    """The folder the overlay goes to: the current one, unless it is the picture's own folder,
    lies in a show, cannot be written or is gone; then a folder of the system's temporary one."""
    try:
        here = Path.cwd().resolve()
    except OSError:  # the folder inspect was run from was removed
        here = None
    if (here is not None and os.access(here, os.W_OK) and here != image.resolve().parent
            and not _in_a_show(here)):
        return here
    folder = Path(tempfile.gettempdir()) / _TEMP_FOLDER
    # (A file of that name, a full disk: writing there then fails, and says so.)
    with contextlib.suppress(OSError):
        folder.mkdir(exist_ok=True)
    return folder


def default_overlay_path(image: Path) -> Path:
    """IMAGE-mesh.png where inspect may write it (see the module's note): never a file of the
    curator's, never in the picture's own folder."""
    folder = _desk(image)
    path, copy = folder / f"{image.stem}-mesh.png", 2
    while path.exists() and not is_overlay(path):
        path, copy = folder / f"{image.stem}-mesh-{copy}.png", copy + 1
    return path


def write_overlay(path: Path, bgr: np.ndarray) -> bool:
    """Write `bgr` as a PNG marked as inspect's overlay; False if it could not be written."""
    import cv2

    done, encoded = cv2.imencode(".png", bgr)
    if not done:
        return False
    data = encoded.tobytes()
    try:
        path.write_bytes(data[:_PNG_HEADER] + _text_chunk() + data[_PNG_HEADER:])
    except OSError:
        return False
    return True
