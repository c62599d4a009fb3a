"""The commands as a user types them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from installation.cli import main
from installation.config.loader import load_show
from installation.render import render_frames

from .conftest import REPO, load_default_show, title_scene, write_show
from .probe import probe


def bayard(*args: str, env_extra: dict | None = None, timeout: float = 120,
           cwd: Path = REPO) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
    env.update(env_extra or {})
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run([sys.executable, "-m", "installation", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def _default_show_beside(folder: Path) -> Path:
    """A folder whose install.toml is the checkout's, playing the checkout's scenes, content
    and models, its state (last good copies, logs, the quiz's answers) in `folder`/var: `run`
    found from the working folder as in the checkout, without writing into the checkout's var/."""
    text = (REPO / "install.toml").read_text(encoding="utf-8")
    for key in ("content", "scenes", "folder"):
        text = text.replace(f'\n{key} = "', f'\n{key} = "{REPO.as_posix()}/', 1)
    (folder / "install.toml").write_text(text, encoding="utf-8")
    return folder


def test_run_without_display_says_how_to_proceed(tmp_path):
    result = bayard("run", cwd=_default_show_beside(tmp_path))
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines[-1].startswith("No display found") and "--headless" in lines[-1]


def test_run_headless_plays_and_stops(tmp_path):
    result = bayard("run", "--headless", "--seconds", "2", cwd=_default_show_beside(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "scene: opening" in result.stderr
    assert (tmp_path / "var" / "last-good" / "install.toml").is_file()  # (its state where its show file is)


def test_check_exits_nonzero_on_errors(tmp_path, capsys):
    path = write_show(tmp_path, {"a": title_scene("a").replace("heading", "headling")})
    assert main(["check", "--show", str(path)]) == 1
    out = capsys.readouterr().out
    assert "unknown key 'headling' (did you mean 'heading'?)" in out


def test_check_summarises_the_loop(tmp_path, capsys):
    path = write_show(tmp_path, {"a": title_scene("a", duration=20), "b": title_scene("b", duration=40)})
    assert main(["check", "--show", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Playlist (2 scenes)" in out and "Loop length: 1 min 00 s" in out


def test_render_is_deterministic_and_valid(tmp_path):
    path = write_show(tmp_path, {"a": probe("a", "#336699", 1), "b": title_scene("b", duration=3)})
    first = [f for _, f in render_frames(load_show(path), 2.0, 10)]
    second = [f for _, f in render_frames(load_show(path), 2.0, 10)]
    assert len(first) == 20
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))
    out = tmp_path / "out.mp4"
    assert main(["render", "--show", str(path), "--seconds", "2", "--fps", "10", "--size", "320x180",
                 "-o", str(out)]) == 0
    import imageio_ffmpeg

    reader = imageio_ffmpeg.read_frames(str(out))
    meta = next(reader)
    frames = sum(1 for _ in reader)
    assert meta["size"] == (320, 180) and frames == 20


def test_render_one_scene(tmp_path):
    out = tmp_path / "scene.mp4"
    assert main(["render", "--scene", str(REPO / "scenes" / "opening.toml"), "--seconds", "1", "--fps", "5",
                 "--size", "320x180", "-o", str(out)]) == 0
    assert out.stat().st_size > 1000


@pytest.mark.injects_faults
def test_render_lists_faults_and_strict_fails_on_them(tmp_path, capsys):
    """A render of a show whose scene fails looks fine (the show goes on to the next scene),
    so the render says which scene failed, and --strict makes it a failure."""
    import tests.test_runtime_unattended  # noqa: F401  (registers the "test-boom" scene kind)

    path = write_show(tmp_path, {"a": title_scene("a", duration=2), "boom": 'type = "test-boom"\nid = "boom"\n'},
                      playlist=["a", "boom"])
    args = ["render", "--show", str(path), "--seconds", "4", "--fps", "5", "--size", "320x180",
            "-o", str(tmp_path / "out.mp4")]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert re.search(r"\b\d+ faults? caught while rendering", err) and "scene 'boom' failed in draw" in err
    assert main(args + ["--strict"]) == 1
    # A show that does not fault renders as before.
    calm = write_show(tmp_path / "calm", {"a": title_scene("a", duration=2)})
    assert main(["render", "--show", str(calm), "--seconds", "1", "--fps", "5", "--size", "320x180",
                 "-o", str(tmp_path / "calm.mp4"), "--strict"]) == 0


def test_keys_lists_maintenance_keys(capsys):
    assert main(["keys"]) == 0
    assert "next scene" in capsys.readouterr().out


def test_preview_reloads_on_save_and_keeps_last_good(tmp_path):
    from installation.config.loader import load_show
    from installation.harness import run_test
    from installation.preview import ScenePreview, single_scene_show

    path = write_show(tmp_path, {"a": title_scene("a", heading="First")})
    scene_file = tmp_path / "scenes" / "a.toml"
    show = single_scene_show(load_show(path), scene_file)
    with run_test(show, fps=10) as pilot:
        watcher = ScenePreview(pilot.engine, scene_file)
        pilot.engine.overlays.append(watcher)
        scene_file.write_text(scene_file.read_text().replace("First", "Second"))
        watcher.reload()
        assert pilot.engine.sequencer.current.scene.config.heading == "Second"
        scene_file.write_text(scene_file.read_text().replace("heading", "headingg"))
        watcher.reload()
        assert watcher.errors and "did you mean 'heading'" in watcher.errors[0]
        pilot.advance(0.5)
        assert pilot.engine.sequencer.current.scene.config.heading == "Second"  # last good keeps playing
        frame = pilot.frame()
        assert frame.get_at((5, frame.get_height() - 5))[0] > 100  # the red error panel is on screen


def test_preview_shows_a_value_of_the_wrong_kind_and_keeps_the_last_good_version(tmp_path):
    from installation.config.loader import load_show
    from installation.harness import run_test
    from installation.preview import ScenePreview, single_scene_show

    path = write_show(tmp_path, {"a": title_scene("a", duration=40)})
    scene_file = tmp_path / "scenes" / "a.toml"
    show = single_scene_show(load_show(path), scene_file)
    with run_test(show, fps=10) as pilot:
        watcher = ScenePreview(pilot.engine, scene_file)
        scene_file.write_text(scene_file.read_text().replace("duration = 40", 'duration = "30"'))
        watcher.reload()
        assert watcher.errors and 'duration is the text "30"' in watcher.errors[0], watcher.errors
        assert "is used until this is fixed" not in watcher.errors[0]
        assert pilot.engine.sequencer.current.scene.config.duration == 40  # the last good version plays


def test_broken_show_file_at_start_plays_the_last_good_version(tmp_path):
    from installation.config.lastgood import recall, remember

    path = write_show(tmp_path, {"a": title_scene("a", heading="Kept")})
    remember(load_show(path))
    path.write_text(path.read_text() + "\n[display\n")  # a half-saved edit
    show = recall(path)
    assert show is not None and show.playlist == ["a"]
    assert show.scenes["a"].heading == "Kept"
    assert show.content_root == (tmp_path / "content").resolve()
    env = {"PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-m", "installation", "run", "--headless", "--seconds", "1",
                             "--show", str(path)], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                            env={**os.environ, **env})
    assert result.returncode == 0, result.stderr
    assert "TOML syntax" in result.stderr and "last good version" in result.stderr


def test_broken_show_file_and_no_last_good_plays_the_safe_card(tmp_path):
    path = tmp_path / "install.toml"
    path.write_text("[show\n")
    result = subprocess.run([sys.executable, "-m", "installation", "run", "--headless", "--seconds", "1",
                             "--show", str(path)], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr
    assert "TOML syntax" in result.stderr and "safe card" in result.stderr


def test_a_slow_render_keeps_the_shows_timeline(tmp_path):
    # At 1 frame a second each frame is ten of the engine's longest steps: the second scene
    # must still come after the first one's 3 s (plus its 1 s crossfade), not 30 s later.
    path = write_show(tmp_path, {"a": title_scene("a", duration=3, background="#102030"),
                                 "b": title_scene("b", duration=3, background="#aa3300")})
    frames = [f for _, f in render_frames(load_show(path), 7.0, 1)]
    reds = [float(f[..., 0].mean()) for f in frames]
    assert reds[5] > reds[0] + 60  # at 5 s the second scene's red fills the screen


def test_room_commands_start_without_the_show_loader():
    # `bayard animate`, `detector score` and the like never read a show: loading every scene
    # kind, pygame and the fonts first cost them about a second at each start.
    code = ("import sys; from installation.cli import build_parser; build_parser(); "
            "print(sorted(m for m in sys.modules if m == 'pygame' or m.startswith('installation.config.loader')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(("argv", "says"), [
    (["render", "--seconds", "5", "--fps", "0"], "frames per second from 1 to 240"),
    (["render", "--seconds", "inf"], "finite number"),
    (["render", "--seconds", "5", "--size", "100000x100000"], "larger than 7680x4320"),
    (["run", "--headless", "--seconds", "-5"], "above 0"),
    # The rooms' own commands: a zero or out-of-range number failed late, or not at all.
    (["generator", "render", "--checkpoint", "g.pt", "--frames", "0"], "a number of frames of 1 or more"),
    (["generator", "render", "--checkpoint", "g.pt", "--frames", "9", "--fps", "0"], "frames per second"),
    (["generator", "render", "--checkpoint", "g.pt", "--frames", "9", "--crf", "99"], "H.264 quality from 0 to 51"),
    (["generator", "faces", "--count", "0"], "a number of faces of 1 or more"),
    (["generator", "train", "--images", "i", "--batch", "0"], "a batch size from 1"),
    (["detector", "fit", "--real", "r", "--fake", "f", "--calibration", "2"], "a share from 0.05 to 0.5"),
])
def test_numbers_the_commands_cannot_use_are_one_line(tmp_path, capsys, argv, says):
    """`render --fps 0` was a ZeroDivisionError, `--seconds inf` and a huge size crashed."""
    with pytest.raises(SystemExit) as stopped:
        main([*argv, "-o", str(tmp_path / "x.mp4")])
    assert stopped.value.code == 2 and says in capsys.readouterr().err
    assert not (tmp_path / "x.mp4").exists()


def test_aligning_a_folder_with_no_usable_faces_fails(tmp_path, capsys):
    """`generator align` on an empty folder said "aligned 0 faces" and exited 0: a script
    went on to train on nothing, and failed further from the cause."""
    (tmp_path / "empty").mkdir()
    assert main(["generator", "align", "--images", str(tmp_path / "empty"), "-o", str(tmp_path / "out")]) == 2
    assert "no pictures (png/jpg); nothing was aligned" in capsys.readouterr().err


def test_check_and_run_find_the_show_from_a_folder_inside_it_or_given_its_folder(tmp_path, capsys, monkeypatch):
    """`run` from scenes/ played an empty "Untitled exhibition" and made scenes/var/;
    `check --show FOLDER` said the folder was "not a regular file (a pipe, device...)"."""
    write_show(tmp_path, {"a": title_scene("a")})
    assert main(["check", "--fast", "--show", str(tmp_path)]) == 0
    monkeypatch.chdir(tmp_path / "scenes")
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    assert main(["run", "--headless", "--seconds", "1"]) == 0
    assert not (tmp_path / "scenes" / "var").exists() and (tmp_path / "var").is_dir()


def test_portrait_inspect_never_overwrites_the_portrait(tmp_path, capsys):
    import cv2

    portrait = tmp_path / "p.png"
    cv2.imwrite(str(portrait), np.full((64, 64, 3), 128, np.uint8))
    before = portrait.read_bytes()
    assert main(["portrait", "inspect", str(portrait), "-o", str(portrait)]) == 2
    assert "not the portrait itself" in capsys.readouterr().err and portrait.read_bytes() == before


def test_portrait_inspect_leaves_the_pictures_folder_as_it_was(tmp_path, capsys, monkeypatch):
    """Without -o the overlay goes to the folder inspect is run from, and says where: written
    beside the picture, it lay among the curator's files in the show's content folder."""
    import shutil

    content, elsewhere = tmp_path / "content", tmp_path / "desk"
    content.mkdir(), elsewhere.mkdir()
    shutil.copy(REPO / "tests" / "data" / "faces-cc0" / "face_woman_109.jpg", content / "sitter.jpg")
    monkeypatch.chdir(elsewhere)
    assert main(["portrait", "inspect", str(content / "sitter.jpg")]) == 0
    assert sorted(p.name for p in content.iterdir()) == ["sitter.jpg"]
    assert f"overlay: {elsewhere.resolve() / 'sitter-mesh.png'}" in capsys.readouterr().out
    assert (elsewhere / "sitter-mesh.png").stat().st_size > 0


def _inspect_sitter_in(content: Path) -> Path:
    import shutil

    content.mkdir()
    shutil.copy(REPO / "tests" / "data" / "faces-cc0" / "face_woman_109.jpg", content / "sitter.jpg")
    return content / "sitter.jpg"


def _overlay_printed(out: str) -> Path:
    return Path(next(line for line in out.splitlines() if line.startswith("overlay: "))[len("overlay: "):])


def test_portrait_inspect_run_in_the_pictures_own_folder_leaves_it_as_it_was(tmp_path, capsys, monkeypatch):
    """`cd content; bayard portrait inspect sitter.jpg` is how a curator checks a picture: the
    current folder is then the show's content folder, and the overlay landed there among the
    curator's files. It goes to the temporary folder, and says where."""
    import tempfile

    sitter = _inspect_sitter_in(tmp_path / "content")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temp"))
    (tmp_path / "temp").mkdir()
    monkeypatch.chdir(sitter.parent)
    assert main(["portrait", "inspect", "sitter.jpg", "--models", str(REPO / "models")]) == 0
    assert sorted(p.name for p in sitter.parent.iterdir()) == ["sitter.jpg"]
    overlay = _overlay_printed(capsys.readouterr().out)
    assert overlay.parent.parent == (tmp_path / "temp").resolve() and overlay.stat().st_size > 0


def test_portrait_inspect_run_inside_a_show_leaves_the_show_as_it_was(tmp_path, capsys, monkeypatch):
    """A new picture checked from the show's content folder it is meant for (`cd show/content;
    bayard portrait inspect ~/scans/anne.jpg`): the overlay landed among the show's files."""
    import tempfile

    sitter = _inspect_sitter_in(tmp_path / "scans")
    content = tmp_path / "show" / "content"
    content.mkdir(parents=True)
    (tmp_path / "show" / "install.toml").write_text("")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temp"))
    (tmp_path / "temp").mkdir()
    monkeypatch.chdir(content)
    assert main(["portrait", "inspect", str(sitter), "--models", str(REPO / "models")]) == 0
    assert not any(content.iterdir())
    assert _overlay_printed(capsys.readouterr().out).parent.parent == (tmp_path / "temp").resolve()


def test_portrait_inspect_that_cannot_write_its_overlay_says_where_and_what_to_do(tmp_path, capsys, monkeypatch):
    """Where its temporary folder cannot be made (a file of that name there), inspect stopped
    on a FileExistsError traceback; it names the file and says to give -o."""
    import tempfile

    sitter = _inspect_sitter_in(tmp_path / "content")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    (tmp_path / "bayard-inspect").write_bytes(b"")
    monkeypatch.chdir(sitter.parent)
    assert main(["portrait", "inspect", "sitter.jpg", "--models", str(REPO / "models")]) == 2
    err = capsys.readouterr().err
    assert f"cannot write {tmp_path / 'bayard-inspect' / 'sitter-mesh.png'}" in err and "give -o" in err


def test_portrait_inspect_never_replaces_a_curators_file_named_like_its_overlay(tmp_path, capsys, monkeypatch):
    """Without -o the overlay's name in the current folder was written over, whatever was
    there: a curator's own sitter-mesh.png was lost. It is kept, the overlay takes the next
    name; inspect run again replaces its own overlay, not leaving a third file."""
    sitter = _inspect_sitter_in(tmp_path / "content")
    desk = tmp_path / "desk"
    desk.mkdir()
    (desk / "sitter-mesh.png").write_bytes(b"the curator's own picture")
    monkeypatch.chdir(desk)
    for _ in range(2):
        assert main(["portrait", "inspect", str(sitter), "--models", str(REPO / "models")]) == 0
        assert _overlay_printed(capsys.readouterr().out) == (desk / "sitter-mesh-2.png").resolve()
    assert (desk / "sitter-mesh.png").read_bytes() == b"the curator's own picture"
    assert sorted(p.name for p in desk.iterdir()) == ["sitter-mesh-2.png", "sitter-mesh.png"]


def test_portrait_inspect_run_from_a_folder_that_is_gone_still_writes_its_overlay(tmp_path, capsys, monkeypatch):
    """Run from a folder removed under it (a stick pulled out, a folder deleted in another
    window), inspect stopped on a FileNotFoundError traceback after finding the face."""
    import tempfile

    sitter = _inspect_sitter_in(tmp_path / "content")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temp"))
    (tmp_path / "temp").mkdir()
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    assert main(["portrait", "inspect", str(sitter), "--models", str(REPO / "models")]) == 0
    assert _overlay_printed(capsys.readouterr().out).stat().st_size > 0


def test_a_render_stops_on_sigterm_as_on_ctrl_c(tmp_path):
    """SDL turns SIGTERM into a quit event; the render never read it, ran to its end and
    exited 0 (`timeout -s TERM`, a service stopping)."""
    import pygame

    show = load_show(write_show(tmp_path, {"a": title_scene("a")}))
    frames = render_frames(show, 60, 10, (160, 120))
    next(frames)
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    with pytest.raises(KeyboardInterrupt):
        for _ in frames:
            pass
    assert not pygame.event.peek(pygame.QUIT)  # taken: the next show in this process plays on


def test_bayard_with_no_command_shows_its_usage_and_fails(capsys):
    assert main([]) == 2
    assert "usage: bayard" in capsys.readouterr().err


def test_the_version_is_one_command_away(capsys):
    """A technician on the phone with support was asked which version runs: it was in no
    command, no log line and no status."""
    from installation import __version__

    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0 and capsys.readouterr().out.strip() == f"bayard {__version__}"


def test_render_to_a_png_writes_the_frame_at_that_second(tmp_path):
    """A curator checking a caption's timing had no way to see one frame but to render a
    film and pull the frame out of it."""
    import cv2

    path = write_show(tmp_path, {"a": title_scene("a", duration=30)})
    out = tmp_path / "frames" / "at-3s.png"
    assert main(["render", "--show", str(path), "--seconds", "3", "--fps", "5", "--size", "320x180",
                 "-o", str(out)]) == 0
    frame = cv2.imread(str(out))
    assert frame.shape == (180, 320, 3) and frame.max() > 100  # the title card's words, lit
    assert [p.name for p in out.parent.iterdir()] == ["at-3s.png"]  # (no temporary file left beside it)
    # The frame at the second asked for, not the one before it: at 2 s the second scene shows.
    from installation.render import render_still

    path = write_show(tmp_path / "two", {"a": title_scene("a", duration=2, background="#ff0000"),
                                         "b": title_scene("b", duration=5, background="#0000ff")})
    path.write_text(path.read_text().replace('"crossfade", duration = 1.0', '"cut", duration = 0.0'))
    for name in ("a", "b"):
        scene = path.parent / "scenes" / f"{name}.toml"
        scene.write_text(scene.read_text().replace('kind = "crossfade", duration = 1.0', 'kind = "cut"'))
    from installation.config.loader import load_show

    assert render_still(load_show(path), tmp_path / "two.png", 2.5, 2, (160, 90)) == 2.5
    picture = cv2.imread(str(tmp_path / "two.png"))
    assert picture[5, 5, 0] > picture[5, 5, 2]  # blue (BGR): scene b, which shows from 2 s


def test_a_render_to_a_png_stopped_as_it_is_written_leaves_no_half_picture(tmp_path, monkeypatch):
    """Ctrl-C as the frame was being put in place left `at-3s.png.part.png` beside it: a
    picture file a curator might copy into the show's content."""
    import os

    from installation.config.loader import load_show
    from installation.render import render_still

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt

    path = write_show(tmp_path, {"a": title_scene("a", duration=30)})
    out = tmp_path / "frames" / "at-3s.png"
    monkeypatch.setattr(os, "replace", stopped)
    with pytest.raises(KeyboardInterrupt):
        render_still(load_show(path), out, 1, 2, (160, 90))
    assert list(out.parent.iterdir()) == []


def test_problems_name_their_file_from_the_show_folder_wherever_check_runs(tmp_path, capsys, monkeypatch):
    """Paths were relative to the folder the command ran in: from scenes/ a problem named
    "a.toml:4", from next to the show "../show/scenes/a.toml", from a service started in /
    "srv/show/..."; a technician could not tell where to look."""
    show = tmp_path / "show"
    write_show(show, {"a": title_scene("a").replace("heading", "headling")})
    elsewhere = tmp_path / "a" / "b"
    elsewhere.mkdir(parents=True)
    seen = set()
    for folder in (show, show / "scenes", elsewhere, tmp_path):
        monkeypatch.chdir(folder)
        assert main(["check", "--fast", "--show", str(show)]) == 1
        (line,) = [line for line in capsys.readouterr().out.splitlines() if "headling" in line]
        seen.add(line.split(": ")[0].strip())
    line = next(n for n, text in enumerate((show / "scenes" / "a.toml").read_text().splitlines(), 1)
                if "headling" in text)
    assert seen == {f"scenes/a.toml:{line}"}


def test_a_broken_show_file_is_named_from_its_folder_and_a_file_outside_in_full(tmp_path, capsys, monkeypatch):
    from installation.config.errors import Problem

    show = tmp_path / "show"
    path = write_show(show, {"a": title_scene("a")})
    path.write_text(path.read_text().replace("[show]", "[show]\nbogus = 1", 1))
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--show", str(path)]) == 2
    assert "  install.toml:" in capsys.readouterr().err
    outside = tmp_path / "models" / "manifest.toml"
    assert Problem(outside, 3, "x", "bad").within(show).where() == f"{outside}:3"


def test_at_debug_level_the_file_watchers_own_lines_stay_out_of_the_log(tmp_path):
    """watchfiles logs each change it filters out, and the log file lies in the folder it
    watches: at [logging] level = "debug" it wrote a line a second for as long as the show ran,
    each line a change for the next, rotating the show's own lines away."""
    extra = '[osc]\nenabled = false\n[logging]\nlevel = "debug"\n'
    path = write_show(tmp_path, {"a": title_scene("a", duration=60)}, extra=extra)
    result = bayard("run", "--headless", "--seconds", "5", "--show", str(path), env_extra={"SDL_VIDEODRIVER": "dummy"})
    assert result.returncode == 0, result.stderr
    (log_file,) = tmp_path.glob("var/**/bayard.log")
    lines = log_file.read_text().splitlines()
    assert any("bayard.engine: scene: a" in line for line in lines)
    assert [line for line in lines if " watchfiles" in line] == []


def test_the_file_watchers_lines_come_back_when_asked(monkeypatch):
    """[logging] libraries = "debug" gives watchfiles its lines back, whatever the show's level.
    (Read from the loggers, not from a run's log: when a loaded machine starts the watcher
    late in a short run, its first lines may not have come yet.)"""
    import logging

    from installation.runtime.logs import apply_levels

    for name in ("", "watchfiles"):
        monkeypatch.setattr(logging.getLogger(name), "level", logging.getLogger(name).level)
    apply_levels("info", "debug")
    assert logging.getLogger("watchfiles").getEffectiveLevel() == logging.DEBUG
    apply_levels("debug")
    assert logging.getLogger("watchfiles").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("bayard.engine").getEffectiveLevel() == logging.DEBUG


def test_a_render_never_opens_the_live_camera(tmp_path, monkeypatch):
    """`bayard render` on a kiosk opened [camera] device 0 when it reached the portrait: the
    film was no longer the same from one render to the next, and it carried the visitor's
    mirror (their camera picture) to disk, where the README promises camera frames never go.
    A render plays the portrait as a gallery without a camera sees it; a video set as the
    camera (`file`, for demos) still plays."""
    from installation.inputs import camera
    from installation.preview import single_scene_show

    started = []

    def recorded_start(self):
        started.append(self.source)
        return self

    monkeypatch.setattr(camera.Camera, "start", recorded_start)
    show = single_scene_show(load_default_show(), REPO / "scenes" / "portrait.toml")
    assert show.config.camera.device == 0 and not show.config.camera.file
    for _ in render_frames(show, 1.0, 5, size=(320, 180)):
        pass
    assert started == []
    demo = show.config.model_copy(update={"camera": show.config.camera.model_copy(update={"file": "demo.mp4"})})
    show.config = demo
    for _ in render_frames(show, 1.0, 5, size=(320, 180)):
        pass
    assert [str(source).endswith("demo.mp4") for source in started] == [True]
