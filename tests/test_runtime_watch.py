"""The scene-file watcher: one reload per save burst, editor litter ignored, survives folder moves."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from installation.commands import CommandQueue
from installation.runtime.watch import ShowWatcher, relevant
from installation.runtime.watch_identity import FolderIdentities


def test_relevant_paths():
    root = Path("/show")
    assert relevant(root / "install.toml", root)
    assert relevant(root / "scenes/intro.toml", root)
    assert relevant(root / "scenes/room2/intro.toml", root)
    assert relevant(root / "scenes", root)  # the folder itself deleted or renamed
    for ignored in ("scenes/.intro.toml.swp", "scenes/intro.toml~", "scenes/4913", "scenes/.#intro.toml",
                    "content/photo.png", "models/x.pth", "scenes/notes.txt", "install.toml.bak"):
        assert not relevant(root / ignored, root), ignored


def test_relevant_paths_follow_the_show_files_own_names():
    """A show file called museum.toml with its scenes in galleries/ (both settable) was
    never reloaded: the watcher knew only install.toml and scenes/."""
    root = Path("/show")
    named = {"show_file": "museum.toml", "scenes": "galleries"}
    assert relevant(root / "museum.toml", root, **named)
    assert relevant(root / "galleries/intro.toml", root, **named)
    assert relevant(root / "galleries", root, **named)
    assert not relevant(root / "install.toml", root, **named)
    assert not relevant(root / "scenes/intro.toml", root, **named)
    assert not relevant(root / "galleries/.intro.toml.swp", root, **named)
    # A scenes folder outside the show folder.
    assert relevant(Path("/shared/rooms/a.toml"), root, "museum.toml", "/shared/rooms")
    assert relevant(Path("/shared/rooms/a.toml"), root, "museum.toml", "../shared/rooms")


def wait_for(queue: CommandQueue, seconds: float = 8.0) -> list:
    deadline = time.monotonic() + seconds
    got: list = []
    while time.monotonic() < deadline:
        got += queue.drain()
        if got:
            # let a possible second (unwanted) reload arrive before returning
            time.sleep(1.0)
            return got + queue.drain()
        time.sleep(0.05)
    return got


@pytest.fixture
def show(tmp_path):
    (tmp_path / "scenes").mkdir()
    (tmp_path / "content").mkdir()
    (tmp_path / "install.toml").write_text("title = 'x'\n")
    (tmp_path / "scenes/intro.toml").write_text("type = 'title'\n")
    return tmp_path


@pytest.mark.slow
def test_saves_become_one_reload_and_litter_is_ignored(show):
    queue = CommandQueue()
    watcher = ShowWatcher(show, queue.post, settle_ms=300).start()
    try:
        time.sleep(0.5)  # let the watcher arm
        # An editor saving in bursts: write, swap file, rewrite, rename-into-place.
        for i in range(5):
            (show / "scenes/intro.toml").write_text(f"type = 'title'\n# {i}\n")
        (show / "scenes/.intro.toml.swp").write_text("junk")
        (show / "scenes/new.toml.tmp").write_text("type = 'photograph'\n")
        (show / "scenes/new.toml.tmp").rename(show / "scenes/new.toml")
        commands = wait_for(queue)
        assert len(commands) == 1
        assert commands[0].name == "reload" and commands[0].source == "watch"
        assert "scenes/intro.toml" in commands[0].extra["changed"]
        assert not any(".swp" in p for p in commands[0].extra["changed"])
        # Content changes do not reload the show.
        (show / "content/photo.png").write_bytes(b"png")
        assert wait_for(queue, 1.5) == []
        # Renaming the scenes folder is a change, and the watcher keeps working after it.
        (show / "scenes").rename(show / "scenes-old")
        assert [c.name for c in wait_for(queue)] == ["reload"]
        (show / "scenes").mkdir()
        (show / "scenes/back.toml").write_text("type = 'title'\n")
        assert [c.name for c in wait_for(queue)] == ["reload"]
        (show / "install.toml").write_text("title = 'y'\n")
        assert wait_for(queue)[0].extra["changed"] == ["install.toml"]
        assert watcher.alive
    finally:
        watcher.stop()
    assert not watcher.alive


@pytest.mark.slow
def test_a_show_with_its_own_file_and_scenes_names_is_watched(tmp_path):
    (tmp_path / "galleries").mkdir()
    (tmp_path / "museum.toml").write_text("title = 'x'\n")
    (tmp_path / "galleries/intro.toml").write_text("type = 'title'\n")
    elsewhere = tmp_path.parent / f"{tmp_path.name}-rooms"
    elsewhere.mkdir()
    queue = CommandQueue()
    watcher = ShowWatcher(tmp_path, queue.post, settle_ms=300, show_file="museum.toml", scenes="galleries").start()
    try:
        time.sleep(0.5)
        (tmp_path / "galleries/intro.toml").write_text("type = 'title'\n# edited\n")
        commands = wait_for(queue)
        assert len(commands) == 1 and commands[0].extra["changed"] == ["galleries/intro.toml"]
        (tmp_path / "museum.toml").write_text("title = 'y'\n")
        assert len(wait_for(queue)) == 1
    finally:
        watcher.stop()
    # Scenes kept outside the show folder are watched too.
    watcher = ShowWatcher(tmp_path, queue.post, settle_ms=300, show_file="museum.toml", scenes=str(elsewhere)).start()
    try:
        time.sleep(0.5)
        (elsewhere / "room.toml").write_text("type = 'title'\n")
        assert len(wait_for(queue)) == 1
    finally:
        watcher.stop()


@pytest.mark.slow
def test_a_watcher_that_works_again_stops_reporting_its_old_failure(show):
    queue = CommandQueue()
    watcher = ShowWatcher(show, queue.post, settle_ms=300).start()
    try:
        watcher.problem = "file watching failed (RuntimeError: Symlink loop); retrying"
        time.sleep(0.5)
        (show / "scenes/intro.toml").write_text("type = 'title'\n# saved\n")
        assert len(wait_for(queue)) == 1
        assert watcher.problem is None
    finally:
        watcher.stop()


def _watching_scenes_outside(tmp_path):
    """A show folder whose scenes folder ("rooms", one scene) lies beside it, watched."""
    show, rooms = tmp_path / "show", tmp_path / "rooms"
    show.mkdir()
    rooms.mkdir()
    (show / "install.toml").write_text("title = 'x'\n")
    (rooms / "a.toml").write_text("type = 'title'\n")
    queue = CommandQueue()
    return rooms, queue, ShowWatcher(show, queue.post, settle_ms=300, scenes=str(rooms)).start()


@pytest.mark.slow
def test_a_scenes_folder_outside_the_show_moved_away_and_replaced_is_watched_anew(tmp_path):
    """Kept outside the show folder, the scenes folder was watched by what it was: moved away
    and replaced by a copy, edits to the copy never reloaded the show, and edits to the old
    folder (which no longer played) still did."""
    rooms, queue, watcher = _watching_scenes_outside(tmp_path)
    try:
        time.sleep(0.5)
        rooms.rename(tmp_path / "rooms-old")
        assert [c.extra["changed"] for c in wait_for(queue)] == [[str(rooms)]]  # gone: the show reloads
        rooms.mkdir()
        (rooms / "b.toml").write_text("type = 'title'\n")  # the copy arrives: the show reloads it
        assert [c.extra["changed"] for c in wait_for(queue)] == [[str(rooms)]]
        (rooms / "b.toml").write_text("type = 'title'\n# edited\n")
        assert [c.extra["changed"] for c in wait_for(queue)] == [[str(rooms / "b.toml")]]
        (tmp_path / "rooms-old" / "a.toml").write_text("type = 'title'\n# nobody plays this\n")
        assert wait_for(queue, 2.5) == []
        assert watcher.rearms == 2 and watcher.alive and watcher.problem is None
    finally:
        watcher.stop()


@pytest.mark.slow
def test_a_scenes_folder_made_after_the_start_is_watched(tmp_path):
    (tmp_path / "install.toml").write_text("title = 'x'\n")
    rooms = tmp_path.parent / f"{tmp_path.name}-rooms"  # outside the show folder, not there yet
    queue = CommandQueue()
    watcher = ShowWatcher(tmp_path, queue.post, settle_ms=300, scenes=str(rooms)).start()
    try:
        time.sleep(0.5)
        rooms.mkdir()
        (rooms / "a.toml").write_text("type = 'title'\n")
        assert [c.extra["changed"] for c in wait_for(queue)] == [[str(rooms)]]
        (rooms / "a.toml").write_text("type = 'title'\n# edited\n")
        assert [c.extra["changed"] for c in wait_for(queue)] == [[str(rooms / "a.toml")]]
    finally:
        watcher.stop()


@pytest.mark.slow
def test_a_scenes_folder_deleted_and_made_again_at_once_is_still_watched(tmp_path):
    """A sync tool or a script that deletes the scenes folder and copies it back within a
    second: ext4 gives the new folder the old one's inode, so it looked unchanged and was
    no longer watched; every later edit to a scene was ignored until the show restarted."""
    rooms, queue, watcher = _watching_scenes_outside(tmp_path)
    try:
        time.sleep(0.5)
        for copy in range(3):
            shutil.rmtree(rooms)
            rooms.mkdir()
            (rooms / "a.toml").write_text(f"type = 'title'\n# copy {copy}\n")
            assert wait_for(queue), "the copy was not reloaded"
        (rooms / "a.toml").write_text("type = 'title'\n# edited\n")
        assert [c.extra["changed"] for c in wait_for(queue)] == [[str(rooms / "a.toml")]]
        assert watcher.alive and watcher.problem is None
    finally:
        watcher.stop()


@pytest.mark.slow
def test_the_show_folder_deleted_and_copied_back_is_still_watched(show):
    """A deploy that deletes the show folder and copies the new one in: its edits were
    never seen again (the copy took the old folder's inode and was taken for it)."""
    queue = CommandQueue()
    watcher = ShowWatcher(show, queue.post, settle_ms=300).start()
    try:
        time.sleep(0.5)
        copy = show.parent / f"{show.name}-copy"
        shutil.copytree(show, copy)
        shutil.rmtree(show)
        shutil.copytree(copy, show)
        assert wait_for(queue)
        wait_for(queue, 2.5)  # the watcher's own reload for the new folder, if it comes apart
        (show / "scenes/intro.toml").write_text("type = 'title'\n# edited\n")
        assert [c.extra["changed"] for c in wait_for(queue)] == [["scenes/intro.toml"]]
        assert watcher.alive and watcher.problem is None
    finally:
        watcher.stop()


def _open_under(folder: Path) -> list[str]:
    """What this process holds open in `folder` (what keeps its filesystem from unmounting)."""
    held = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = Path(fd.readlink())
        except OSError:
            continue  # closed while listed
        if target == folder or folder in target.parents:
            held.append(str(target))
    return held


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs Linux's /proc")
def test_the_watcher_holds_nothing_open_in_the_show(tmp_path):
    """The watched folders were held open to notice a folder replaced: a USB stick holding the
    show (or its scenes) could not be unmounted to swap it while the show ran."""
    rooms, queue, watcher = _watching_scenes_outside(tmp_path)
    try:
        time.sleep(0.5)
        assert _open_under(tmp_path) == []
        shutil.rmtree(rooms)
        rooms.mkdir()
        (rooms / "a.toml").write_text("type = 'title'\n# copied back\n")
        assert wait_for(queue)
        assert _open_under(tmp_path) == [] and watcher.rearms >= 1
    finally:
        watcher.stop()


@pytest.mark.parametrize("native", [True, False])
def test_folder_identities_notice_a_folder_moved_deleted_or_made(tmp_path, native):
    folder = tmp_path / "rooms"
    folder.mkdir()
    identities = FolderIdentities(use_inotify=native)
    identities.arm([folder, tmp_path / "later"])
    try:
        assert identities.native == native and identities.present == [True, False]
        assert identities.replaced() == [False, False]
        (folder / "a.toml").write_text("x")  # a change inside is the file watch's business
        assert identities.replaced() == [False, False]
        folder.rename(tmp_path / "rooms-old")
        folder.mkdir()  # a new folder (the old one still exists: another inode)
        assert identities.replaced() == [True, False]
        identities.arm([folder, tmp_path / "later"])
        (tmp_path / "later").mkdir()
        assert identities.replaced() == [False, True]
        identities.arm([folder])
        # Deleted and made again before the next look: ext4 may hand the new folder the old
        # inode; only the kernel's word tells it apart.
        folder.rmdir()
        folder.mkdir()
        if native:
            assert identities.replaced() == [True]
    finally:
        identities.close()


_UNMOUNT_SCRIPT = """
import json, subprocess, sys, time
from pathlib import Path
from installation.commands import CommandQueue
from installation.runtime.watch import ShowWatcher

stick = Path(sys.argv[1])
show = stick / sys.argv[2]

def plug(title):
    subprocess.run(["mount", "-t", "tmpfs", "stick", str(stick)], check=True)
    (show / "scenes").mkdir(parents=True)
    (show / "install.toml").write_text(f"title = '{title}'\\n")
    (show / "scenes/a.toml").write_text("type = 'title'\\n")

def drain(seconds):
    deadline, got = time.monotonic() + seconds, []
    while time.monotonic() < deadline:
        got += [command.extra["changed"] for command in queue.drain()]
        time.sleep(0.05)
    return got

plug("first")
queue = CommandQueue()
watcher = ShowWatcher(show, queue.post, settle_ms=200).start()
time.sleep(0.6)
unmounted = subprocess.run(["umount", str(stick)], capture_output=True, text=True)
report = {"umount": unmounted.returncode, "umount_says": unmounted.stderr.strip()}
if unmounted.returncode == 0:
    drain(2.5)
    report["while_out"] = watcher.problem
    plug("second")
    report["plugged_in"] = drain(3.0)
    (show / "scenes/a.toml").write_text("type = 'title'\\n# edited\\n")
    report["edited"] = drain(3.0)
    report["alive"] = watcher.alive
watcher.stop()
subprocess.run(["umount", str(stick)], capture_output=True)
print(json.dumps(report))
"""


def _can_mount_unprivileged() -> bool:
    if shutil.which("unshare") is None or shutil.which("umount") is None:
        return False
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.slow
@pytest.mark.skipif(not _can_mount_unprivileged(), reason="needs unprivileged user and mount namespaces")
@pytest.mark.parametrize("inside", ["show", ""])  # the show in a folder of the stick, or at its top
def test_a_stick_holding_the_show_unmounts_while_watched_and_its_replacement_is_watched(tmp_path, inside):
    """A technician swapping the USB stick that holds the show: `umount` said "target is busy"
    while the show ran. Now it unmounts, status says the show folder is missing, and the new
    stick's show reloads and its edits are seen. (A private mount namespace: no root needed.)"""
    stick = tmp_path / "stick"
    stick.mkdir()
    run = subprocess.run(["unshare", "-rm", sys.executable, "-c", _UNMOUNT_SCRIPT, str(stick), inside],
                         capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["umount"] == 0, report["umount_says"]
    if inside:  # (at the top, the empty mount point stays: the show reloads and keeps its last good copy)
        assert "is missing" in report["while_out"] and str(stick / inside) in report["while_out"]
    assert report["plugged_in"], "the new stick's show was not reloaded"
    assert report["edited"] == [["scenes/a.toml"]]
    assert report["alive"]
