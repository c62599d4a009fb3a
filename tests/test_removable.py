"""A show played from a USB stick: while it plays nothing of the stick is held open but the
film being played (or prepared), so a technician can unmount it; pulled and put back, the
show goes on and picks its files up again."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from installation.harness import run_test
from installation.runtime.attach import attach as attach_runtime
from installation.runtime.service import RuntimeConfig
from installation.typefaces import font_file

from .conftest import title_scene, write_show
from .test_runtime_watch import _can_mount_unprivileged

# A heading with characters the house faces lack: the show's own faces (fonts/) are opened for them.
HEADING = "Salle 3 \u6f22\u5b57"


def stick_show(root: Path) -> Path:
    """Title scenes whose heading needs the show's own face, its state (and log files) in the
    show folder, as `bayard run` keeps them outside the kiosk's service."""
    path = write_show(root, {"a": title_scene("a", duration=1, heading=HEADING),
                             "b": title_scene("b", duration=1, heading="Fin")})
    (root / "fonts").mkdir()
    shutil.copy(font_file("serif"), root / "fonts" / "extra.ttf")  # copied at run time, never committed
    return path


def held_under(folder: Path, pid: int | str = "self") -> list[str]:
    """What process `pid` holds open in `folder`: files and its working directory."""
    held = []
    for link in [*Path(f"/proc/{pid}/fd").iterdir(), Path(f"/proc/{pid}/cwd")]:
        try:
            target = Path(os.readlink(link))
        except OSError:
            continue  # closed while listed
        if target == folder or folder in target.parents:
            held.append(str(target))
    return held


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs Linux's /proc")
def test_a_playing_show_holds_none_of_its_files_open(tmp_path):
    """`umount` said "target is busy" for a stick holding the show though nothing on it was
    playing: the show's log file (its state folder in the show folder) and the show's own
    faces (SDL_ttf keeps a face's file open while the face lives) were held open."""
    path = stick_show(tmp_path / "stick")
    with run_test(path, fps=10) as pilot:
        runtime = attach_runtime(pilot.engine, env={}, config=RuntimeConfig(watch=False))
        try:
            pilot.advance(2.5)  # both scenes, the show's face used
            logging.getLogger("bayard.test").warning("a line for the show's log file")
            assert (tmp_path / "stick/var/logs/bayard.log").stat().st_size > 0
            assert held_under(tmp_path / "stick") == []
        finally:
            runtime.close()


_PLAY_SCRIPT = """
import json, logging, shutil, subprocess, sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from installation.harness import run_test
from installation.runtime.attach import attach
from installation.runtime.service import RuntimeConfig
from tests.test_removable import held_under

stick, copy = Path(sys.argv[1]), Path(sys.argv[2])
def plug():
    subprocess.run(["mount", "-t", "tmpfs", "stick", str(stick)], check=True)
    shutil.copytree(copy, stick / "show")

plug()
report = {}
with run_test(stick / "show/install.toml", fps=10) as pilot:
    runtime = attach(pilot.engine, env={}, config=RuntimeConfig(watch=False))
    pilot.advance(2.5)
    logging.getLogger("bayard.test").warning("a line for the show's log file")
    report["held"] = held_under(stick)
    out = subprocess.run(["umount", str(stick)], capture_output=True, text=True)
    report["umount"], report["umount_says"] = out.returncode, out.stderr.strip()
    pilot.advance(5.0)  # the show plays on without its stick
    report["playing"] = pilot.engine.sequencer.current.scene.config.id
    plug()
    pilot.command("reload")
    pilot.advance(3.0)
    report["back"] = pilot.engine.sequencer.current.scene.config.id
    runtime.close()
subprocess.run(["umount", str(stick)], capture_output=True)
print(json.dumps(report))
"""


@pytest.mark.slow
@pytest.mark.skipif(not _can_mount_unprivileged(), reason="needs unprivileged user and mount namespaces")
def test_the_stick_unmounts_while_the_show_plays_from_it_and_the_show_goes_on(tmp_path):
    """The whole show, not only its watcher, on a stick (a tmpfs in a private mount namespace:
    no root needed): it unmounts between films, the show plays on, and it reads the stick again."""
    copy = tmp_path / "copy"
    stick_show(copy)
    stick = tmp_path / "stick"
    stick.mkdir()
    run = subprocess.run(["unshare", "-rm", sys.executable, "-c", _PLAY_SCRIPT, str(stick), str(copy),
                          str(Path(__file__).resolve().parents[1])],
                         capture_output=True, text=True, timeout=120,
                         env={**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"})
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["held"] == [] and report["umount"] == 0, report
    assert report["playing"] in ("a", "b") and report["back"] in ("a", "b")
    assert json.dumps(report).count("Traceback") == 0


def media_show(root: Path, content: Path) -> Path:
    """A show whose pictures live in a content folder of their own (a second stick)."""
    from PIL import Image

    content.mkdir(parents=True)
    for name in ("wall.png", "door.png"):
        Image.new("RGB", (32, 18), "#808080").save(content / name)
    path = write_show(root, {"wall": 'type = "photograph"\nid = "wall"\nimage = "wall.png"\nduration = 5\n',
                             "door": 'type = "photograph"\nid = "door"\nimage = "door.png"\nduration = 5\n'})
    path.write_text(path.read_text().replace("[show]\n", f'[show]\ncontent = "{content}"\n', 1))
    return path


@pytest.mark.slow
def test_a_content_folder_whose_drive_goes_names_the_files_lost_and_its_return_reloads(tmp_path, caplog):
    """A second stick holding the show's media, pulled: nothing was said until a scene failed
    to find its picture, and its return went unseen (only the show folder was watched)."""
    from installation.commands import CommandQueue
    from installation.config.loader import load_show
    from installation.runtime.show_paths import show_files
    from installation.runtime.watch import ShowWatcher

    from .test_runtime_watch import wait_for

    media = tmp_path / "media-stick"
    show = load_show(media_show(tmp_path / "show", media))
    assert not show.problems and show.content_root == media
    queue = CommandQueue()
    watcher = ShowWatcher(tmp_path / "show", queue.post, settle_ms=100)
    watcher.files, watcher.content = (lambda: show_files(show)), media
    caplog.set_level("INFO", logger="bayard.runtime.watch")
    watcher.start()
    try:
        assert wait_for(queue, 1.5) == []
        media.rename(tmp_path / "pulled")  # pulled (or moved away while watched)
        assert wait_for(queue, 2.5) == []
        said = [r.getMessage() for r in caplog.records if "is missing" in r.getMessage()]
        assert said == [f"the content folder {media} is missing (a drive taken out?); 2 of the show's files are out "
                        "of reach (door.png, wall.png); the show plays on with what it holds (a scene whose file is "
                        "gone shows its stand-in) and reloads when the folder is back"]
        (tmp_path / "pulled").rename(media)  # back
        (reload,) = wait_for(queue)
        assert reload.name == "reload" and reload.extra["changed"] == [str(media)]
        assert watcher.alive and watcher.reloads == 1
    finally:
        watcher.stop()


@pytest.mark.slow
def test_the_files_lost_with_a_content_drive_include_those_a_loops_folder_pattern_played(tmp_path, caplog,
                                                                                         no_cache):
    """A loop's `folder = "films/*.mp4"` on the content stick: the line saying the stick was
    pulled named the pictures the scenes name one by one and left the loop's films out (a glob
    of a folder that is gone finds nothing), so a technician read that two files were lost,
    not five. As the show runs it: the runtime's own watcher."""
    media = tmp_path / "media-stick"
    path = media_show(tmp_path / "show", media)
    path.parent.joinpath("scenes", "wall-of-films.toml").write_text(
        'type = "loop"\nid = "films"\nfolder = "films/*.mp4"\n')
    path.write_text(path.read_text().replace('"door"]', '"door", "films"]', 1))
    (media / "films").mkdir()
    for name in ("one.mp4", "two.mp4", "three.mp4"):
        (media / "films" / name).write_bytes(b"not decoded here")
    env = {"STATE_DIRECTORY": str(tmp_path / "state"), "LOGS_DIRECTORY": str(tmp_path / "logs")}
    caplog.set_level("INFO", logger="bayard.runtime.watch")
    with run_test(path) as pilot:
        assert "films" in pilot.engine.show.playlist
        runtime = attach_runtime(pilot.engine, env=env, config=RuntimeConfig(watch=True, film_cache_mb=0))
        try:
            time.sleep(2.0)  # the watcher's first looks
            media.rename(tmp_path / "pulled")
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and not any("is missing" in r.getMessage() for r in caplog.records):
                time.sleep(0.05)
        finally:
            runtime.stop()
    said = [r.getMessage() for r in caplog.records if "is missing" in r.getMessage()]
    assert len(said) == 1 and ("5 of the show's files are out of reach (door.png, films/one.mp4, films/three.mp4, "
                               "films/two.mp4, wall.png)") in said[0], said


def test_a_content_folder_back_half_copied_reloads_again_when_its_manifest_arrives(tmp_path):
    """A content stick put back while its files were still being copied reloaded once, at the
    folder's return, before content/manifest.toml was there: the show played without the
    credits and licences the manifest asks beside each picture until the next restart (a
    manifest in a content folder inside the show folder reloads the show when it changes)."""
    from installation.commands import CommandQueue
    from installation.config.loader import load_show
    from installation.runtime.show_paths import show_files
    from installation.runtime.watch import ShowWatcher

    from .test_runtime_watch import wait_for

    media = tmp_path / "media-stick"
    show = load_show(media_show(tmp_path / "show", media))
    queue = CommandQueue()
    watcher = ShowWatcher(tmp_path / "show", queue.post, settle_ms=100)
    watcher.files, watcher.content = (lambda: show_files(show)), media
    watcher.start()
    try:
        assert wait_for(queue, 1.5) == []
        media.rename(tmp_path / "pulled")
        assert wait_for(queue, 2.5) == []
        (tmp_path / "pulled").rename(media)  # back, the manifest not copied yet
        (reload,) = wait_for(queue)
        assert reload.name == "reload"
        (media / "manifest.toml").write_text('[[asset]]\npath = "wall.png"\ncredit = "Photo: the museum"\n')
        (reload,) = wait_for(queue, 4.0)
        assert reload.name == "reload" and reload.extra["changed"] == [str(media / "manifest.toml")]
        (media / "manifest.toml").write_text('[[asset]]\npath = "wall.png"\ncredit = "Photo: A. Martin"\n')
        (reload,) = wait_for(queue, 4.0)  # a credit corrected on the stick, as in a show folder
        assert wait_for(queue, 2.0) == [] and watcher.reloads == 3
    finally:
        watcher.stop()


def test_a_scene_whose_own_face_went_with_the_stick_plays_in_the_house_faces(tmp_path, caplog):
    """The stick pulled between films before a heading first needed the show's own face
    (fonts/): reading the face failed in the scene's warm-up, and the scene was skipped for
    30 s, again and again, while the stick was out. It plays, its text set in the house faces
    (a character they lack is a box), and the face is said once; back, the face is used again."""
    from installation import typefaces

    root = tmp_path / "stick"
    path = write_show(root, {"b": title_scene("b", duration=1, heading="Fin"),
                             "a": title_scene("a", duration=1, heading=HEADING)})
    (root / "fonts").mkdir()
    face = root / "fonts" / "extra.ttf"
    shutil.copy(font_file("serif"), face)
    caplog.set_level("WARNING")
    with run_test(path, fps=10) as pilot:
        face.rename(tmp_path / "pulled.ttf")  # the stick goes while "b" plays
        played = set()
        for _ in range(40):
            pilot.advance(0.1)
            played.add(pilot.engine.sequencer.current.scene.config.id)
        assert played == {"a", "b"}
        said = [r.getMessage() for r in caplog.records if str(face) in r.getMessage()]
        assert len(said) == 1 and "cannot be read" in said[0], said
        (tmp_path / "pulled.ttf").rename(face)  # back: read again, not remembered as unreadable
        assert typefaces.readable_face(str(face))
    typefaces._face_bytes.cache_clear()


def test_a_face_replaced_on_the_stick_is_used_from_the_next_scene_on(tmp_path):
    """A show's own face replaced on its stick under the same name (a font with the glyphs a
    heading lacked) was read only at the next start: the heading kept its boxes all day."""
    import pygame

    root = tmp_path / "stick"
    path = write_show(root, {"b": title_scene("b", duration=1, heading="Fin"),
                             "a": title_scene("a", duration=1, heading="Salle \u01c2")})
    (root / "fonts").mkdir()
    face = root / "fonts" / "extra.ttf"
    # A face without the heading's click letter (pygame's own), then one with it (the house sans).
    shutil.copy(Path(pygame.__file__).parent / "freesansbold.ttf", face)

    def heading_seen(pilot) -> bytes:
        while pilot.scene_id != "b":
            pilot.advance(0.1)
        while pilot.scene_id != "a":
            pilot.advance(0.1)
        pilot.advance(0.9)  # late in the 1 s crossfade: the words come in over its last 30 %
        return pygame.image.tobytes(pilot.frame(), "RGB")

    try:
        with run_test(path, fps=10) as pilot:
            first, again = heading_seen(pilot), heading_seen(pilot)
            assert first == again  # nothing changed: the same frame
            assert pilot.engine.fonts._face("serif", "\u01c2") != str(face)
            shutil.copy(font_file("sans"), face)  # replaced on the stick while the show plays
            replaced = heading_seen(pilot)
            assert pilot.engine.fonts._face("serif", "\u01c2") == str(face)
            assert replaced != again  # the letter drawn, not its box
    finally:
        from installation import typefaces

        typefaces._face_bytes.cache_clear()


@pytest.mark.parametrize("kept", [0, 1000], ids=["empty", "cut short"])
def test_a_face_caught_half_copied_onto_the_stick_leaves_the_text_in_the_house_faces(tmp_path, caplog, kept):
    """A technician copying a show's own face onto its stick while the show plays: the next
    scene read the file half written (empty, or cut short) and faulted in its warm-up
    ("Passed a NULL pointer"), scene after scene until the copy ended. The text is set in
    the house faces, the face is said once, and the whole face is used once it is there."""
    import pygame

    from installation import typefaces

    root = tmp_path / "stick"
    path = write_show(root, {"b": title_scene("b", duration=1, heading="Fin"),
                             "a": title_scene("a", duration=1, heading="Salle \u01c2")})
    (root / "fonts").mkdir()
    face = root / "fonts" / "extra.ttf"
    whole = font_file("sans").read_bytes()  # it has the heading's click letter; pygame's own face has not
    shutil.copy(Path(pygame.__file__).parent / "freesansbold.ttf", face)
    caplog.set_level("WARNING")
    try:
        with run_test(path, fps=10) as pilot:
            pilot.advance(1.5)
            face.write_bytes(whole[:kept])  # the copy under way
            played = set()
            for _ in range(40):
                pilot.advance(0.1)
                played.add(pilot.scene_id)
            assert played == {"a", "b"}
            said = [r.getMessage() for r in caplog.records if str(face) in r.getMessage()]
            assert len(said) == 1 and "not a whole font" in said[0], said
            face.write_bytes(whole)  # the copy done
            for _ in range(25):
                pilot.advance(0.1)
            assert pilot.engine.fonts._face("serif", "\u01c2") == str(face)
    finally:
        typefaces._face_bytes.cache_clear()
        typefaces._unreadable.clear()
