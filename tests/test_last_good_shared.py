"""The state folder's last good copy across processes. A copy cut short by a killed process (a
power cut mid-copy) left its `.last-good.<pid>` folder for good: only a later process with the
same id removed it, so the kiosk's disk grew with each cut. And `bayard run` with `bayard preview`
on one show (or a second `bayard run`) swapped last-good and `.last-good.old` at the same time:
one removed the other's copy moved aside while no last-good was there, and the other's copy was
lost ("Directory not empty")."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from installation.config import lastgood
from installation.config.loader import load_show

from .conftest import title_scene, write_show


def _show(root: Path, heading: str = "Kept") -> Path:
    return write_show(root, {"a": title_scene("a", duration=3, heading=heading)})


def _dead_pid() -> int:
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    return ended.pid


def test_copies_cut_short_by_a_killed_process_are_cleared_at_the_next_start(tmp_path):
    path = _show(tmp_path)
    state = tmp_path / "var"
    assert lastgood.remember(load_show(path)) is not None
    cut = []
    # A process killed mid-copy, and one whose id a later boot gave to another process (a kiosk
    # boots the same way each time: the show after a power cut often gets the very same id).
    for pid in (_dead_pid(), 1):
        left = state / f".{lastgood.FOLDER}.{pid}"
        (left / "scenes").mkdir(parents=True)
        (left / "scenes" / "a.toml").write_text("half a copy")
        cut.append(left)
    # A copy another running process is making now: it holds its folder (as the show does).
    making = state / f".{lastgood.FOLDER}.{os.getppid()}.abc123"
    making.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_RDONLY); "
         "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); sys.stdin.read()", str(making)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert lastgood.remember(load_show(path)) is not None  # the next start's copy
        assert making.is_dir(), "a copy a running process is making was removed"
    finally:
        holder.stdin.close()
        holder.wait()
    for left in cut:
        assert not left.exists(), f"{left.name}, a copy cut short, is still on the disk"
    assert (state / lastgood.FOLDER / "install.toml").is_file()
    assert lastgood.recall(path).scenes["a"].heading == "Kept"


def test_two_processes_copying_at_once_both_keep_the_copy_whole(tmp_path, monkeypatch):
    path = _show(tmp_path, heading="First")
    assert lastgood.remember(load_show(path)) is not None
    first_show = load_show(path)
    scene = tmp_path / "scenes" / "a.toml"
    other: dict = {}
    real_rename, real_getpid = Path.rename, os.getpid

    def the_other_process() -> None:  # `bayard preview` on the same show, saving its own copy
        scene.write_text(scene.read_text().replace("First", "Second"))
        other["kept"] = lastgood.remember(load_show(path))

    second = threading.Thread(target=the_other_process)

    def getpid() -> int:
        return os.getppid() if threading.current_thread() is second else real_getpid()

    def rename(self, target):
        # The first process between its two renames (last-good moved aside, its own not yet in):
        # the other one copies and swaps now, as fast as it may.
        if (threading.current_thread() is not second and Path(target).name == lastgood.FOLDER
                and self.name.startswith(f".{lastgood.FOLDER}.") and not second.is_alive() and "kept" not in other):
            second.start()
            second.join(1.0)
        return real_rename(self, target)

    monkeypatch.setattr(os, "getpid", getpid)
    monkeypatch.setattr(Path, "rename", rename)
    first = lastgood.remember(first_show)
    second.join(30)
    assert not second.is_alive()
    assert first is not None, "the first process's copy was lost to the other's swap"
    assert other["kept"] is not None, "the other process's copy was lost"
    # The last copy made is the newest, whole, and nothing is left beside it.
    assert lastgood.recall(path).scenes["a"].heading == "Second"
    left = sorted(p.name for p in (tmp_path / "var").iterdir() if p.name.startswith(f".{lastgood.FOLDER}."))
    assert left == [], left
