"""Pictures kept from a USB stick (media.kept): a picture changed in place with its size and
time kept (exiftool -P) is read anew. (A USB stick is a folder this test says
lies on another drive.)"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from installation.media import kept, staging

SIDE = (32, 24)


@pytest.fixture
def stick(tmp_path, monkeypatch):
    """A folder on 'another drive', and a count of the pictures decoded from it."""
    folder = tmp_path / "stick"
    folder.mkdir()
    monkeypatch.setattr(staging, "elsewhere", lambda path: folder in Path(path).parents)
    decoded: list[str] = []
    read_rgb = kept.read_rgb

    def counted(path, max_side=None):
        decoded.append(Path(path).name)
        return read_rgb(path, max_side)

    monkeypatch.setattr(kept, "read_rgb", counted)
    kept.forget()
    yield folder, decoded
    kept.forget()


def _grey(path: Path, level: int) -> None:
    Image.new("RGB", SIDE, (level, level, level)).save(path)


def _same_size_and_time(picture: Path, level: int) -> None:
    """Write `picture` anew at `level` keeping its size and modification time, as
    `exiftool -P` does; waits until the change time shows it (the kernel's clock for it
    ticks every few milliseconds)."""
    before = picture.stat()
    for _ in range(200):
        _grey(picture, level)
        os.utime(picture, ns=(before.st_atime_ns, before.st_mtime_ns))
        after = picture.stat()
        if after.st_ctime_ns != before.st_ctime_ns:
            break
        time.sleep(0.01)
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert after.st_ctime_ns != before.st_ctime_ns


def test_a_picture_changed_in_place_keeping_its_size_and_time_is_shown_changed(stick):
    """exiftool -P (a picture's tags edited, its file's time kept) left the size and the
    modification time as they were: the old picture showed until the show started again."""
    folder, decoded = stick
    picture = folder / "wall.bmp"  # (a BMP keeps its size whatever its colours)
    _grey(picture, 90)
    assert float(np.asarray(kept.read_picture(picture)).mean()) == pytest.approx(90, abs=1)
    _same_size_and_time(picture, 200)
    assert float(np.asarray(kept.read_picture(picture)).mean()) == pytest.approx(200, abs=1)
    assert float(np.asarray(kept.read_picture(picture)).mean()) == pytest.approx(200, abs=1)
    assert decoded == ["wall.bmp", "wall.bmp"]  # and read once more only, not at each showing
