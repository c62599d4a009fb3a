"""One state folder, named alike by install.toml, the kiosk's service, `bayard check` and
status: [show] state decides; setup-kiosk.sh opens that folder in the unit's sandbox."""

from __future__ import annotations

import os
import subprocess
import sys

from installation.cli import main
from installation.clock import FakeClock
from installation.commands import CommandQueue
from installation.config.lastgood import remember
from installation.config.loader import load_show
from installation.runtime.service import Runtime, RuntimeConfig

from .conftest import REPO, title_scene, write_show


def show_with_state(tmp_path, state):
    path = write_show(tmp_path / "show", {"a": title_scene("a", heading="Kept")})
    path.write_text(path.read_text().replace("[show]\n", f'[show]\nstate = "{state}"\n', 1))
    return path


def unit_for(tmp_path, show_path, writable):
    unit = tmp_path / "bayard.service"
    unit.write_text(f"[Service]\nExecStart=/opt/bayard/venv/bin/bayard run --show {show_path} --fullscreen\n"
                    f"ReadWritePaths={writable}\n")
    return unit


def test_check_names_the_state_folder_and_warns_when_the_service_may_not_write_it(tmp_path):
    """[show] state changed after setup: the sandbox kept the old folder, and statistics,
    recordings and the last-good copy failed with "Read-only file system" in the log only."""
    from installation.runtime.host_check import state_folder

    path = show_with_state(tmp_path, str(tmp_path / "new-state"))
    show = load_show(path)
    line, problems = state_folder(show, unit_for(tmp_path, path, tmp_path / "show/var"))
    assert line == f"State folder: {tmp_path / 'new-state'} ([show] state)"
    (problem,) = problems
    assert problem.severity == "warning" and problem.line == 2  # the state = line
    assert f"lets the show write only {tmp_path / 'show/var'}" in problem.message
    assert "Run deploy/setup-kiosk.sh again" in problem.message
    line, problems = state_folder(show, unit_for(tmp_path, path, tmp_path / "new-state"))
    assert problems == [] and line.endswith("bayard.service may write there")
    # A service for another show, or none, says nothing about this one.
    assert state_folder(show, unit_for(tmp_path, tmp_path / "other/install.toml", "/srv"))[1] == []
    assert state_folder(show, tmp_path / "absent.service")[1] == []


def test_a_service_whose_command_is_wrapped_over_lines_is_known_to_play_the_show(tmp_path):
    """ExecStart= wrapped with "\\" after `run` (systemd.syntax(7)): check missed its --show
    and said nothing of a state folder the service's sandbox would not let the show write."""
    from installation.runtime.host_check import state_folder

    path = show_with_state(tmp_path, str(tmp_path / "new-state"))
    unit = tmp_path / "bayard.service"
    unit.write_text(f"[Service]\nExecStart=/opt/bayard/venv/bin/bayard run \\\n    --show {path} \\\n"
                    f"    --fullscreen\nReadWritePaths={tmp_path / 'show/var'} \\\n  /srv/media\n")
    (problem,) = state_folder(load_show(path), unit)[1]
    assert f"lets the show write only {tmp_path / 'show/var'}, /srv/media, not its state folder" in problem.message


def test_check_prints_the_state_folder(tmp_path, capsys):
    path = show_with_state(tmp_path, "kiosk-state")
    main(["check", "--fast", "--show", str(path)])
    assert f"State folder: {tmp_path / 'show/kiosk-state'} ([show] state)" in capsys.readouterr().out


def test_status_under_the_service_names_the_shows_state_folder(tmp_path):
    """Under systemd, disk_free_mb was that of /var/lib/bayard (StateDirectory), not of the
    folder the statistics and recordings go to."""
    env = {"STATE_DIRECTORY": str(tmp_path / "lib"), "LOGS_DIRECTORY": str(tmp_path / "log")}
    runtime = Runtime(RuntimeConfig(watch=False), tmp_path, FakeClock(), CommandQueue().post, env=env,
                      console_log=False, state_dir=tmp_path / "show-state")
    status = runtime.status()
    assert status["state_folder"] == str(tmp_path / "show-state")
    assert runtime.state_dir == tmp_path / "lib"  # the crash guard's few bytes stay with systemd


def test_a_broken_show_file_plays_the_last_good_copy_from_the_services_state_folder(tmp_path):
    elsewhere = tmp_path / "data"
    path = show_with_state(tmp_path, str(elsewhere))
    assert remember(load_show(path)) == elsewhere / "last-good"
    path.write_text(path.read_text() + "\n[display\n")  # a half-saved edit while the kiosk was off
    env = {**os.environ, "PYTHONPATH": str(REPO), "BAYARD_SHOW_STATE": str(elsewhere)}  # as bayard.service sets it
    result = subprocess.run([sys.executable, "-m", "installation", "run", "--headless", "--seconds", "1",
                             "--show", str(path)], cwd=tmp_path, capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    assert "last good version" in result.stderr and "safe card" not in result.stderr



def test_check_says_where_the_service_keeps_the_state_meanwhile(tmp_path):
    """A show started by the service keeps its state in the folder setup opened where [show] state
    names another (a flip's `var`, a state changed after setup): check said the statistics and
    the last-good copy "would fail", when the show keeps them there."""
    from installation.runtime.host_check import state_folder

    path = show_with_state(tmp_path, str(tmp_path / "new-state"))
    unit = unit_for(tmp_path, path, tmp_path / "show/var")
    unit.write_text(unit.read_text() + f"Environment=BAYARD_SHOW_STATE={tmp_path / 'show/var'}\n")
    (problem,) = state_folder(load_show(path), unit)[1]
    assert f"keeps its state in {tmp_path / 'show/var'}, the folder setup opened" in problem.message
    assert "would fail" not in problem.message and "Run deploy/setup-kiosk.sh again" in problem.message
