"""A state folder the show cannot write (its drive read-only or full, its owner or permissions
changed) showed only as a failing last good copy, with a fix that never named the folder's
setting; and what holds until a technician mends it (that folder, a camera the showing portrait
cannot use) was left out of the problems counted for the pong and the systemd status line: a
monitoring tool and `systemctl status` said 0 problems while the overlay said "Until it is
mended:"."""

from __future__ import annotations

import errno
import shutil

import pytest

import installation.scenes.portrait  # noqa: F401  (registers the kind)
from installation import __version__
from installation.config import lastgood
from installation.config.loader import load_show
from installation.harness import run_test
from installation.inputs.osc.service import attach as attach_osc
from installation.overlay_words import status_blocks
from installation.runtime.attach import attach as attach_runtime

from .conftest import title_scene, write_show
from .test_runtime_unattended import clean_root, env_for  # noqa: F401  (clean_root: a fixture)

STATE_LINE = 'state = "kiosk-state"'


def _until_mended(status: dict) -> list[str]:
    blocks = status_blocks(status, idle_close_s=30, max_errors=6)
    at = next((i for i, b in enumerate(blocks) if b.words == ["Until it is mended:"]), None)
    return [] if at is None else [" ".join(b.words) for b in blocks[at + 1:] if b.style == "text"]


def _show_with_its_state_folder(tmp_path):
    path = write_show(tmp_path, {"a": title_scene("a", duration=600)})
    text = path.read_text().replace('title = "Test show"\n', f'title = "Test show"\n{STATE_LINE}\n')
    path.write_text(text)
    return path, text.splitlines().index(STATE_LINE) + 1


def _copies_fail(monkeypatch, code: int, words: str) -> None:
    def copy2(source, target, **kwargs):
        raise OSError(code, words, str(target))

    monkeypatch.setattr(shutil, "copy2", copy2)


@pytest.mark.parametrize(("code", "words", "cause", "fix"), [
    (errno.EACCES, "Permission denied", "may not write there", "sudo chown -R"),
    (errno.EROFS, "Read-only file system", "went read-only", "check or replace that drive"),
    (errno.ENOSPC, "No space left on device", "drive is full", "free space there"),
])
def test_a_state_folder_that_cannot_be_written_is_said_once_in_its_own_words(tmp_path, monkeypatch,
                                                                              code, words, cause, fix):
    path, line = _show_with_its_state_folder(tmp_path)
    folder = str(tmp_path.resolve() / "kiosk-state")
    with monkeypatch.context() as failing:
        _copies_fail(failing, code, words)
        assert lastgood.remember(load_show(path)) is None  # (as `bayard run` does before the show starts)
    with run_test(path, fps=10) as pilot:
        pilot.advance(0.5)
        status = pilot.engine.status()
    said = [s for s in status["standing"] if folder in s["message"]]
    assert len(said) == 1 and len(status["standing"]) == 1, status["standing"]
    message = said[0]["message"]
    assert said[0]["where"] == "state-folder" and said[0]["severity"] == "warning"
    assert message.startswith(f"the state folder {folder} cannot be written ({words}"), message
    assert cause in message and fix in message, message
    # The fix that moves it names the setting, its file and its line.
    assert f"state under [show] in {path} (line {line})" in message, message
    assert not any(folder in e["message"] for e in status["errors"]), "said twice: " + str(status["errors"])
    assert sum(folder in text for text in _until_mended(status)) == 1, _until_mended(status)


@pytest.mark.usefixtures("clean_root")  # (the runtime's log handlers, taken off again)
def test_what_holds_until_mended_is_counted_and_named_where_a_monitor_looks(tmp_path, monkeypatch):
    path, _ = _show_with_its_state_folder(tmp_path)
    with monkeypatch.context() as failing:
        _copies_fail(failing, errno.EROFS, "Read-only file system")
        assert lastgood.remember(load_show(path)) is None
    with run_test(path, fps=10) as pilot:
        runtime = attach_runtime(pilot.engine, env=env_for(tmp_path))
        attach_osc(pilot.engine, start=False)
        try:
            pilot.advance(0.5)
            assert pilot.engine.status()["problems"] == [] and pilot.engine.status()["faulted"] == {}
            assert pilot.engine.problems_now() == 1
            pilot.osc("/bayard/ping")
            assert [args for address, args in pilot.replies if address == "/bayard/pong"][-1] == (
                "open", "a", 1, __version__)
            assert "1 problem, 1 standing: state folder (see /bayard/status)" in runtime.status_line(), \
                runtime.status_line()
            lastgood.remember(load_show(path))  # the drive writes again: the copy is made
            pilot.advance(0.5)
            assert pilot.engine.problems_now() == 0
            assert "problem" not in runtime.status_line(), runtime.status_line()
        finally:
            runtime.stop()


@pytest.mark.usefixtures("clean_root")
def test_a_camera_the_showing_portrait_cannot_use_is_counted_and_named(tmp_path):
    portrait = 'type = "portrait"\nid = "p"\nduration = 600\ncard_seconds = 1.0\n'
    camera = '\n[camera]\ndevice = "/dev/v4l/by-id/usb-Gone_Camera-video-index0"\n'
    path = write_show(tmp_path, {"p": portrait}, extra=camera)
    with run_test(path, fps=10, services={"synchronous_models": True}) as pilot:
        runtime = attach_runtime(pilot.engine, env=env_for(tmp_path))
        try:
            pilot.advance(2.0)
            status = pilot.engine.status()
            assert [s["where"] for s in status["standing"]] == ["p"], status["standing"]
            # (install.toml's camera.device warning is no error: the standing camera is the one counted)
            assert pilot.engine.problems_now() == 1
            assert "1 standing: scene p's camera" in runtime.status_line(), runtime.status_line()
        finally:
            runtime.stop()


@pytest.mark.parametrize(("made", "blocking"), [("kiosk-state", "kiosk-state"), ("stick", "stick")])
def test_a_state_folder_that_is_a_file_is_said_so_with_the_setting(tmp_path, made, blocking):
    """[show] state naming a file (or a folder under one: a stick's image copied where its mount
    point was) failed its copies with "File exists" or "Not a directory", said as a last good
    copy that fails with the fix "check that drive and the folder's owner": neither is wrong,
    and the setting that moves it was not named."""
    path, line = _show_with_its_state_folder(tmp_path)
    if made == "stick":
        path.write_text(path.read_text().replace(STATE_LINE, 'state = "stick/kiosk-state"'))
    (tmp_path / made).write_text("not a folder\n")
    assert lastgood.remember(load_show(path)) is None
    with run_test(path, fps=10) as pilot:
        pilot.advance(0.5)
        status = pilot.engine.status()
    assert [s["where"] for s in status["standing"]] == ["state-folder"], status["standing"]
    message = status["standing"][0]["message"]
    assert f"{tmp_path.resolve() / blocking} is a file, not a folder" in message, message
    assert "move that file away" in message and f"state under [show] in {path} (line {line})" in message, message
    assert "folder's owner" not in message, message


@pytest.mark.parametrize(("code", "words"), [(errno.ENOSPC, "No space left on device"),  # (the folder's)
                                             (errno.EIO, "Input/output error")])  # (the copy's)
def test_with_no_older_copy_the_panel_says_what_a_broken_edit_plays(tmp_path, monkeypatch, code, words):
    """It said "a broken edit plays an older one" where no copy was ever made: a scene file saved
    broken is then skipped, and a show file broken at a start plays the safe card."""
    path, _ = _show_with_its_state_folder(tmp_path)
    (tmp_path / "scenes" / "b.toml").write_text(title_scene("b", duration=600))
    path.write_text(path.read_text().replace('playlist = ["a"]', 'playlist = ["a", "b"]'))
    with monkeypatch.context() as failing:
        _copies_fail(failing, code, words)
        assert lastgood.remember(load_show(path)) is None  # (the first copy: none before it)
        with run_test(path, fps=10) as pilot:
            pilot.advance(0.5)
            (tmp_path / "scenes" / "b.toml").write_text('type = "title"\nid = "b"\nduration = [\n')  # saved broken
            pilot.engine.reload()
            pilot.advance(0.5)
            assert "b" not in pilot.engine.show.scenes  # (what the words must say: it is skipped)
            status = pilot.engine.status()
    message = _until_mended(status)[0]  # (the first line under the heading: the copies' own)
    assert words in message and len(status["standing"]) == 1, status["standing"]
    assert "plays an older one" not in message, message
    assert "no older copy" in message and "is skipped" in message and "safe card" in message, message
    # Once a copy was made, the next that fails leaves it to play: said so.
    (tmp_path / "scenes" / "b.toml").write_text(title_scene("b", duration=600))
    assert lastgood.remember(load_show(path)) is not None
    with monkeypatch.context() as failing:
        _copies_fail(failing, code, words)
        assert lastgood.remember(load_show(path)) is None
    with run_test(path, fps=10) as pilot:
        pilot.advance(0.5)
        message = _until_mended(pilot.engine.status())[0]
    assert "a broken edit plays an older one" in message and "no older copy" not in message, message
