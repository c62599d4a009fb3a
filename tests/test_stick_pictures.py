"""Pictures kept from a USB stick (media.kept): with more of them than the memory holds, the
ones that fit stay from one round of the show to the next; a picture changed in place with
its size and time kept (exiftool -P) is read anew. (A USB stick is a folder this test says
lies on another drive.)"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from installation.imaging import MediaError
from installation.media import kept, staging

SIDE = (32, 24)
ONE_PICTURE = SIDE[0] * SIDE[1] * 3  # bytes of one decoded picture


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


def test_with_more_pictures_than_fit_the_ones_that_fit_stay_from_round_to_round(stick, monkeypatch):
    """Four pictures and room for two, shown in turn: each copy kept pushed out the one the
    next round needed first (the least recently used), so every picture was read from the
    stick again at every round, and none was ever found kept."""
    folder, decoded = stick
    monkeypatch.setattr(kept, "KEPT_MAX_BYTES", 2 * ONE_PICTURE + 100)
    pictures = [folder / f"{name}.png" for name in "abcd"]
    for level, picture in zip((40, 80, 120, 160), pictures, strict=True):
        _grey(picture, level)
    for _ in range(3):  # three rounds of the show
        for picture in pictures:
            kept.read_picture(picture)
    assert len(decoded) == 4 + 2 + 2, decoded  # all four at first, then only the two that do not fit
    assert decoded[4:] == ["c.png", "d.png"] * 2
    for picture in pictures:  # the stick pulled: the two kept still show, every round
        picture.unlink()
    for _ in range(2):
        shown = []
        for picture in pictures:
            try:
                shown.append(round(float(np.asarray(kept.read_picture(picture)).mean())))
            except MediaError:
                shown.append(None)
        assert shown == [40, 80, None, None]


def test_a_show_of_prints_on_a_stick_reads_only_those_that_do_not_fit_each_loop(stick, monkeypatch):
    """Three photograph scenes whose prints lie on the stick, and room for two: the show read
    every print from the stick again at every loop (each kept print pushed out the next
    scene's). Now only the one that does not fit is; the stick pulled, the two kept show on."""
    import pygame

    from installation.harness import run_test

    from .conftest import write_show

    folder, decoded = stick
    scenes = {f"p{i}": f"""
        type = "photograph"
        id = "p{i}"
        title = "Print {i}"
        image = "p{i}.png"
        duration = 2
        """ for i in range(3)}
    path = write_show(folder / "show", scenes, size=(1280, 720))  # a show played from the stick
    prints = [folder / "show" / "content" / f"p{i}.png" for i in range(3)]
    for i, picture in enumerate(prints):
        _grey(picture, 40 + 40 * i)
    monkeypatch.setattr(kept, "KEPT_MAX_BYTES", 2 * ONE_PICTURE + 100)
    with run_test(path, size=(1280, 720)) as pilot:
        pilot.advance(6.5)  # the first loop: every print read
        assert sorted(decoded) == ["p0.png", "p1.png", "p2.png"], decoded
        decoded.clear()
        pilot.advance(18)  # three loops more
        assert decoded == ["p2.png"] * 3, decoded
        for picture in prints:
            picture.unlink()
        shown: dict[str, bool] = {}
        for _ in range(12):
            pilot.advance(0.5)
            scene = pilot.engine.sequencer.current.scene
            shown[scene.config.id] = scene.installed
        assert shown == {"p0": True, "p1": True, "p2": False}, shown
    pygame.quit()


def test_a_picture_shown_twice_in_a_round_does_not_cost_the_others_their_place(stick, monkeypatch):
    """A picture read twice running (a scene prepared again for another size of mat asks
    for it twice) is not the show coming round: the kept pictures stay."""
    folder, decoded = stick
    monkeypatch.setattr(kept, "KEPT_MAX_BYTES", 2 * ONE_PICTURE + 100)
    pictures = [folder / f"{name}.png" for name in "abc"]
    for level, picture in zip((40, 80, 120), pictures, strict=True):
        _grey(picture, level)
    for _ in range(3):
        for picture in pictures:
            kept.read_picture(picture)
            kept.read_picture(picture)
    # c does not fit and is read at each of its asks; a and b once
    assert decoded == ["a.png", "b.png"] + ["c.png", "c.png"] * 3, decoded


def test_pictures_no_longer_shown_make_room_for_the_new_ones(stick, monkeypatch):
    """A show changed to other pictures: the old ones are not held forever for being kept
    first; from the second round of the new show on, the new ones are kept (the first
    round after the change still counts the old ones as this round's)."""
    folder, decoded = stick
    monkeypatch.setattr(kept, "KEPT_MAX_BYTES", 2 * ONE_PICTURE + 100)
    old = [folder / "a.png", folder / "b.png"]
    new = [folder / "c.png", folder / "d.png"]
    for level, picture in zip((40, 80, 120, 160), old + new, strict=True):
        _grey(picture, level)
    for _ in range(2):
        for picture in old:
            kept.read_picture(picture)
    for _ in range(2):
        for picture in new:
            kept.read_picture(picture)
    decoded.clear()
    for _ in range(2):
        for picture in new:
            kept.read_picture(picture)
    assert decoded == [], decoded


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
