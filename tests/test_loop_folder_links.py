"""A loop's folder pattern over links to folders (media/folder_pattern.py): each real folder
is followed once, so links pointing back up the tree cannot make the scan grow without end,
and the count is bounded with a warning naming the folder."""

from __future__ import annotations

import glob
import logging
import os
import threading
from pathlib import Path

import pytest

from installation.media import folder_pattern
from installation.scenes.loop_config import LoopConfig


def _loop(pattern: str) -> LoopConfig:
    return LoopConfig(type="loop", id="l", folder=pattern)


def _files(root: Path, pattern: str, seconds: float = 20.0) -> list[Path]:
    """folder_files, failing (not hanging the suite) when it does not come back."""
    result: list = []
    worker = threading.Thread(target=lambda: result.append(_loop(pattern).folder_files(root)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"folder_files('{pattern}') did not come back in {seconds} s"
    return result[0]


def _tree(root: Path) -> None:
    for name in ("faces/a.jpg", "faces/b.png", "faces/old/c.jpg", "faces/old/deeper/d.mp4", "faces/.hidden/e.jpg",
                 "faces/notes.txt", "films/f.mp4", "g.jpg"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"x")


@pytest.fixture(autouse=True)
def _fresh_warnings():
    folder_pattern._WARNED.clear()
    yield
    folder_pattern._WARNED.clear()


@pytest.mark.parametrize("pattern", ["faces/*.jpg", "faces/*", "faces/**/*", "**/*.jpg", "**", "*/old/*.jpg",
                                     "faces/**", "f*/[ab].*", "faces/a.jpg", "faces/old/deeper/*.mp4"])
def test_without_links_it_matches_what_glob_matched(tmp_path, pattern):
    _tree(tmp_path)
    expected = [Path(p) for p in sorted(glob.glob(str(tmp_path / pattern), recursive=True))]
    expected = [p for p in expected if p.is_file() and p.suffix in (".jpg", ".png", ".mp4")]
    assert _files(tmp_path, pattern) == expected


def test_two_links_back_up_the_tree_are_followed_once(tmp_path, caplog):
    _tree(tmp_path)
    faces = tmp_path / "faces"
    os.symlink("..", faces / "up")  # faces/up -> content folder
    os.symlink("../..", faces / "old" / "top")  # faces/old/top -> content folder
    os.symlink(str(faces / "old"), tmp_path / "films" / "older")  # to a folder beside it: its files once
    with caplog.at_level(logging.WARNING):
        found = _files(tmp_path, "**/*.jpg")
    assert len(found) == len(set(found))
    names = sorted(p.name for p in found)
    assert names == ["a.jpg", "c.jpg", "g.jpg"]  # each real file once (the hidden folder's left out, as glob)
    assert all(p.is_relative_to(tmp_path) for p in found)  # named from the content folder, as the loop reads them
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_link_to_a_folder_is_still_followed(tmp_path):
    _tree(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "h.jpg").write_bytes(b"x")
    os.symlink(str(elsewhere), tmp_path / "faces" / "linked")
    assert tmp_path / "faces" / "linked" / "h.jpg" in _files(tmp_path, "faces/**/*.jpg")


def test_the_count_is_bounded_with_a_warning_naming_the_folder(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(folder_pattern, "MAX_FILES", 5)
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(12):
        (folder / f"{n:02}.jpg").write_bytes(b"x")
    with caplog.at_level(logging.WARNING, logger="bayard.media"):
        found = _files(tmp_path, "many/*.jpg")
        _files(tmp_path, "many/*.jpg")  # the watcher looks again a second later: said once
    assert len(found) == 5
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1 and str(tmp_path) in warned[0] and "'many/*.jpg'" in warned[0]
    assert "more than 5 files" in warned[0]


def test_links_to_ever_new_folders_stop_at_a_bound(tmp_path, monkeypatch, caplog):
    """A chain of links, each to a folder of its own, that nests deeper than any show."""
    monkeypatch.setattr(folder_pattern, "MAX_DEPTH", 8)
    previous = tmp_path / "chain"
    previous.mkdir()
    for n in range(20):
        folder = tmp_path / f"f{n}"
        folder.mkdir()
        (folder / "x.jpg").write_bytes(b"x")
        os.symlink(str(folder), previous / "next")
        previous = folder
    with caplog.at_level(logging.WARNING, logger="bayard.media"):
        found = _files(tmp_path, "chain/**/*.jpg")
    assert 0 < len(found) <= 8
    assert any("8 deep" in r.getMessage() for r in caplog.records)
