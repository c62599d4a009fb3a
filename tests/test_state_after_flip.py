"""The state folder (statistics, recordings, screenshots, the last good copy) is the install's
while the show runs: the one it started with, which setup opened for writing and status names.
After a `current -> show-v2` flip and a reload, show-v2's own `var/` took the scenes' state and
the last good copy while status, the logs and the crash guard stayed on show-v1's: two state
folders at once, one of them one the service may not write. A reload keeps the state folder
(as it keeps any start-only setting) and says which folder the show would use from its next
start."""

from __future__ import annotations

import json
import os

from installation.clock import FakeClock
from installation.config.loader import load_show
from installation.engine import Engine, init_pygame

from .conftest import title_scene, write_show


def test_a_reload_after_a_flip_keeps_the_state_folder_the_show_started_with_and_says_so(tmp_path):
    write_show(tmp_path / "show-v1", {"one": title_scene("one", duration=5)})
    write_show(tmp_path / "show-v2", {"two": title_scene("two", duration=5)})
    (tmp_path / "current").symlink_to("show-v1")
    started_with = (tmp_path / "show-v1" / "var").resolve()
    init_pygame(headless=True)
    engine = Engine(load_show(tmp_path / "current" / "install.toml"), FakeClock())
    try:
        engine.step()
        assert engine.show.state_dir == started_with
        (tmp_path / "next").symlink_to("show-v2")
        os.replace(tmp_path / "next", tmp_path / "current")
        assert engine.reload(at_once=True) is True
        assert engine.show.playlist == ["two"]
        assert engine.show.state_dir == started_with, "the reloaded show keeps its state in another folder"
        assert engine._context_for("two").state_dir == started_with
        assert engine.last_good_kept(10.0), "the last-good copy was never made"
        # The last good copy is the new show's, kept where the state is.
        origin = json.loads((started_with / "last-good" / "origin.json").read_text())
        assert origin["source"] == str((tmp_path / "show-v2" / "install.toml").resolve())
        assert not (tmp_path / "show-v2" / "var").exists()
        said = [e for e in engine.status()["errors"] if e["where"] == "reload"]
        assert any(str(started_with) in e["message"] and str((tmp_path / "show-v2" / "var").resolve()) in e["message"]
                   and e["severity"] == "warning" for e in said), said
        assert engine.reload() is True  # (an edit later: said once, not again at each reload)
        assert len([e for e in engine.status()["errors"] if str(started_with) in e["message"]]) == 1
        assert engine.show.state_dir == started_with
    finally:
        engine.shutdown()


def test_a_reload_that_changes_the_state_setting_keeps_the_folder_until_a_restart_as_it_says(tmp_path):
    path = write_show(tmp_path / "show", {"one": title_scene("one", duration=5)})
    init_pygame(headless=True)
    engine = Engine(load_show(path), FakeClock())
    try:
        engine.step()
        path.write_text(path.read_text().replace("[show]\n", '[show]\nstate = "elsewhere"\n', 1))
        assert engine.reload() is True
        said = [e["message"] for e in engine.status()["errors"] if e["where"] == "reload"]
        assert any("starts again" in m for m in said), said  # (it said so before, too)
        assert engine.show.state_dir == (tmp_path / "show" / "var").resolve(), "it said one thing and did another"
        assert not (tmp_path / "show" / "elsewhere").exists()
    finally:
        engine.shutdown()


def test_after_a_flip_a_broken_scene_file_plays_its_last_good_copy_from_the_kept_state_folder(tmp_path):
    write_show(tmp_path / "show-v1", {"one": title_scene("one", duration=5)})
    write_show(tmp_path / "show-v2", {"two": title_scene("two", duration=5), "three": title_scene("three")})
    (tmp_path / "current").symlink_to("show-v1")
    init_pygame(headless=True)
    engine = Engine(load_show(tmp_path / "current" / "install.toml"), FakeClock())
    try:
        engine.step()
        (tmp_path / "next").symlink_to("show-v2")
        os.replace(tmp_path / "next", tmp_path / "current")
        assert engine.reload(at_once=True) is True  # (show-v2 loads cleanly: its copy is kept)
        assert engine.last_good_kept(10.0), "the last-good copy was never made"
        (tmp_path / "show-v2" / "scenes" / "three.toml").write_text('type = "title"\nduration = "x\n')
        assert engine.reload() is True
        assert "three" in engine.show.playlist, "the broken scene was dropped: its last good copy was not found"
        assert engine.show.scene_files["three"].is_relative_to((tmp_path / "show-v1" / "var").resolve())
    finally:
        engine.shutdown()


def test_a_restart_after_a_flip_keeps_the_state_in_the_folder_the_service_was_set_up_to_write(tmp_path):
    """The nightly restart after a `current -> show-v2` flip read the default `var` in show-v2:
    statistics and recordings started afresh, in a folder the service's sandbox does not let the
    show write. Under the service the state stays in the folder setup opened, said with what to
    type."""
    import subprocess
    import sys

    from .conftest import REPO

    write_show(tmp_path / "show-v1", {"one": title_scene("one", duration=5)})
    write_show(tmp_path / "show-v2", {"two": title_scene("two", duration=5)})
    (tmp_path / "current").symlink_to("show-v2")  # (flipped since setup, which opened show-v1's var)
    set_up = (tmp_path / "show-v1" / "var").resolve()
    env = {**os.environ, "PYTHONPATH": str(REPO), "BAYARD_SHOW_STATE": str(set_up)}  # as bayard.service sets it
    result = subprocess.run([sys.executable, "-m", "installation", "run", "--headless", "--seconds", "1",
                             "--show", str(tmp_path / "current" / "install.toml")], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "show-v2" / "var").exists(), sorted(map(str, (tmp_path / "show-v2" / "var").rglob("*")))
    origin = json.loads((set_up / "last-good" / "origin.json").read_text())
    assert origin["source"] == str((tmp_path / "show-v2" / "install.toml").resolve())
    said = [line for line in result.stderr.splitlines() if "[show] state names" in line]
    assert len(said) == 1 and f'write state = "{set_up}" under [show]' in said[0], result.stderr


def test_the_word_that_the_service_keeps_the_state_stays_in_status_after_a_reload(tmp_path):
    """Said at the start with the show's problems, it went from status (and the overlay) at the
    first reload, an edit on the stick, though the state stayed where setup opened it."""
    from installation.runtime.state_writable import keep_service_state

    write_show(tmp_path / "show-v1", {"one": title_scene("one", duration=5)})
    write_show(tmp_path / "show-v2", {"two": title_scene("two", duration=5)})
    (tmp_path / "current").symlink_to("show-v2")
    set_up = (tmp_path / "show-v1" / "var").resolve()
    show = load_show(tmp_path / "current" / "install.toml")
    said = keep_service_state(show, {"BAYARD_SHOW_STATE": str(set_up)})  # (as `bayard run` does at its start)
    assert said is not None
    show.problems.append(said)
    init_pygame(headless=True)
    engine = Engine(show, FakeClock())
    try:
        engine.step()
        for _ in range(3):
            assert engine.reload() is True
            listed = [p for p in engine.status()["problems"] if f'write state = "{set_up}"' in p]
            assert len(listed) == 1, engine.status()["problems"]
            assert engine.show.state_dir == set_up
        # Written as it says: the warning goes, and the state stays.
        install = tmp_path / "show-v2" / "install.toml"
        install.write_text(install.read_text().replace("[show]\n", f'[show]\nstate = "{set_up}"\n', 1))
        assert engine.reload() is True
        assert not [p for p in engine.status()["problems"] if "state" in p], engine.status()["problems"]
        assert engine.show.state_dir == set_up
    finally:
        engine.shutdown()


def test_the_reload_after_a_flip_says_where_the_next_start_keeps_the_state_with_or_without_the_service(
        tmp_path, monkeypatch):
    """The flip's reload warning said the state stays in the folder the show started with 'after it
    [the restart] under the kiosk's service, which was set up to write there', also where no service
    named that folder (a developer's `bayard run`, a unit set up before BAYARD_SHOW_STATE): there
    the next start takes show-v2's own state, and the technician, told it stays, lost the count."""
    write_show(tmp_path / "show-v1", {"one": title_scene("one", duration=5)})
    write_show(tmp_path / "show-v2", {"two": title_scene("two", duration=5)})
    started_with = (tmp_path / "show-v1" / "var").resolve()
    wanted = (tmp_path / "show-v2" / "var").resolve()
    init_pygame(headless=True)
    for service_folder in (None, started_with):
        if service_folder is None:
            monkeypatch.delenv("BAYARD_SHOW_STATE", raising=False)
        else:
            monkeypatch.setenv("BAYARD_SHOW_STATE", str(service_folder))
        current = tmp_path / "current"
        current.unlink(missing_ok=True)
        current.symlink_to("show-v1")
        engine = Engine(load_show(current / "install.toml"), FakeClock())
        try:
            engine.step()
            (tmp_path / "next").symlink_to("show-v2")
            os.replace(tmp_path / "next", current)
            assert engine.reload(at_once=True) is True
            said = [e["message"] for e in engine.status()["errors"] if e["where"] == "reload"
                    and "starts again" in e["message"]]
            assert len(said) == 1, engine.status()["errors"]
        finally:
            engine.shutdown()
        # What the next start does, as `bayard run` decides it, against what was said.
        from installation.runtime.state_writable import keep_service_state

        restarted = load_show(current / "install.toml")
        keep_service_state(restarted, os.environ)
        next_start = restarted.state_dir
        assert next_start == (wanted if service_folder is None else started_with)
        assert f"from its next start in {next_start}" in said[0], said[0]
