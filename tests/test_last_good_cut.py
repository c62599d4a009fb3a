"""The last good copy of the show (<state>/last-good/) is swapped in by two renames: the copy
there moved aside, the new one moved in. Between them there is no `last-good` at all, and the
copy is made on a thread of its own while the show plays (LastGoodKeeper): a power cut, or the
service stopped, in that moment left a kiosk whose install.toml then broke with no last good
show (the safe card all day), and a reload read in that moment dropped a broken scene from the
playlist instead of playing its copy. The copy moved aside is whole: it stands in until the new
one is there."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from installation.config import lastgood
from installation.config.loader import load_show

from .conftest import title_scene, write_show


class PowerCut(BaseException):
    """The machine stopped: nothing after it runs (not an OSError, which remember catches)."""


def _two_scenes(root: Path) -> Path:
    return write_show(root, {"a": title_scene("a", duration=3, heading="Kept"), "b": title_scene("b", duration=3)})


def _cut_between_the_renames(monkeypatch, then=None) -> None:
    """The rename that moves the new copy in never happens (`then` runs instead, else power cut)."""
    real_rename = Path.rename

    def rename(self, target):
        if Path(target).name == lastgood.FOLDER and self.name.startswith(f".{lastgood.FOLDER}."):
            if then is None:
                raise PowerCut
            then()
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)


def test_a_power_cut_while_the_last_good_copy_is_swapped_leaves_the_previous_copy_to_play(tmp_path, monkeypatch):
    path = _two_scenes(tmp_path)
    assert lastgood.remember(load_show(path)) is not None  # the show's first copy, whole
    scene = tmp_path / "scenes" / "a.toml"
    scene.write_text(scene.read_text().replace("Kept", "Edited"))
    with monkeypatch.context() as patched:
        _cut_between_the_renames(patched)
        with pytest.raises(PowerCut):
            lastgood.remember(load_show(path))  # the edit's copy, cut short
    path.write_text("[show\ntitle = ")  # then a bad edit made while the kiosk was off
    recalled = lastgood.recall(path)
    assert recalled is not None, "no last good show after a power cut in the copy's swap: the safe card plays"
    assert recalled.playlist == ["a", "b"]
    assert recalled.scenes["a"].heading == "Kept"
    # The next copy made is whole, and the one moved aside goes.
    _two_scenes(tmp_path)  # install.toml fixed
    scene.write_text(scene.read_text().replace("Kept", "Edited"))
    assert lastgood.remember(load_show(path)) is not None
    assert lastgood.recall(path).scenes["a"].heading == "Edited"
    left = sorted(p.name for p in (tmp_path / "var").iterdir() if lastgood.FOLDER in p.name)
    assert left == [lastgood.FOLDER], left


def test_a_broken_scene_read_while_the_last_good_copy_is_swapped_plays_its_copy(tmp_path, monkeypatch):
    path = _two_scenes(tmp_path)
    running = load_show(path)
    assert lastgood.remember(running) is not None
    read: list = []

    def reading_meanwhile() -> None:  # the next reload's reading (ShowRead's thread) in the swap
        (tmp_path / "scenes" / "a.toml").write_text('type = "title"\nid = "a"\nheading = \n')  # a half-saved edit
        thread = threading.Thread(target=lambda: read.append(load_show(path, keep_good=True,
                                                                       state=running.state_dir)))
        thread.start()
        thread.join(30)

    with monkeypatch.context() as patched:
        _cut_between_the_renames(patched, then=reading_meanwhile)
        assert lastgood.remember(running) is not None
    assert read, "the reading never ended"
    assert read[0].playlist == ["a", "b"], "the broken scene dropped out: its last good copy was not found"
    assert read[0].scenes["a"].heading == "Kept"


def test_a_new_last_good_copy_is_on_the_disk_before_it_is_named_last_good(tmp_path, monkeypatch):
    """Copied files sit in the page cache for up to half a minute before the disk has them; the
    copy was renamed into place (and the whole one before it deleted) at once, so a power cut
    soon after an edit left a last-good of empty files: no show to fall back on. Each file, and
    the folders, are flushed to the disk before the copy takes the name."""
    path = _two_scenes(tmp_path)
    flushed: set[str] = set()
    real_fsync = os.fsync

    def fsync(fd):
        flushed.add(os.readlink(f"/proc/self/fd/{fd}"))
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    unflushed: list[list[str]] = []

    def then() -> None:  # the moment the new copy is named last-good
        staging = next(p for p in (tmp_path / "var").iterdir() if p.name.startswith(f".{lastgood.FOLDER}.")
                       and p.name != f".{lastgood.FOLDER}.old")
        unflushed.append(sorted(str(p) for p in [staging, *staging.rglob("*")] if str(p) not in flushed))

    with monkeypatch.context() as patched:
        _cut_between_the_renames(patched, then=then)
        assert lastgood.remember(load_show(path)) is not None
    assert unflushed == [[]], f"named last-good before these were on the disk: {unflushed}"


def test_a_scene_file_half_saved_while_the_copy_is_made_never_becomes_the_last_good_one(tmp_path):
    """The copy reads the show's files again, after the reload that loaded them (on its own
    thread, a slow stick's seconds later): a curator's next save caught half written went into
    last-good, and when that save's reload found the file broken, its last good copy was broken
    too and the scene dropped out of the playlist. A copy that does not load as copied is not
    kept; the one before it stays."""
    path = _two_scenes(tmp_path)
    assert lastgood.remember(load_show(path)) is not None
    scene = tmp_path / "scenes" / "a.toml"
    scene.write_text(scene.read_text().replace("Kept", "Edited"))
    loaded = load_show(path)  # the edit's reload
    scene.write_text('type = "title"\nid = "a"\nheading = \n')  # the next save, caught half written
    lastgood.remember(loaded)  # the edit's copy, made now
    reread = load_show(path, keep_good=True)  # the half save's reload
    assert reread.playlist == ["a", "b"], "the broken scene dropped out: its last good copy was broken too"
    assert reread.scenes["a"].heading in ("Kept", "Edited")
