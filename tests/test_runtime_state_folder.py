"""A show whose state folder cannot be written plays on, and says once what to set instead:
its start's log and status, and `bayard check`, name install.toml's line for [show] state.
(The last-good copy, the logs and the crash guard each said they could not write their
file; none said what to set.)"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from installation.clock import FakeClock
from installation.commands import CommandQueue
from installation.config.lastgood_disk import trouble
from installation.config.loader import load_show
from installation.runtime.host_check import state_folder
from installation.runtime.service import Runtime, RuntimeConfig

from .conftest import REPO, title_scene, write_show
from .test_runtime_watch import _can_mount_unprivileged


def _show(tmp_path: Path, state: str) -> Path:
    path = write_show(tmp_path / "show", {"a": title_scene("a")})
    path.write_text(path.read_text().replace("[show]\n", f'[show]\nstate = "{state}"\n', 1))
    return path


def _fixes(messages: list[str], show_path: Path) -> list[str]:
    return [m for m in messages if f"state under [show] in {show_path} (line 2)" in m]


def test_a_state_folder_behind_a_file_is_said_once_with_the_setting_to_change(tmp_path, caplog):
    # (A file where the state folder should be: what a copy of the show folder onto a disk
    # that already held a file of that name gives. Every part's write fails, as on a
    # read-only disk, and this runs without root or a mount.)
    show_path = _show(tmp_path, "blocked/var")
    (show_path.parent / "blocked").write_text("not a folder")
    runtime = Runtime(RuntimeConfig(watch=False), show_path.parent, FakeClock(), CommandQueue().post, env={},
                      console_log=False, state_dir=show_path.parent / "blocked/var")
    with caplog.at_level(logging.WARNING):
        runtime.start()
    try:
        said = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
        fixes = _fixes(said, show_path)
        assert len(fixes) == 1, said  # once, not once for each part that failed
        assert "blocked is a file, not a folder" in fixes[0] and "last-good copy" in fixes[0]
        # Status says it too, once: the engine's `standing` reads it (no `state_problem` beside it).
        assert _fixes([trouble(show_path.parent / "blocked/var").message], show_path)
        assert "state_problem" not in runtime.status()
    finally:
        runtime.stop()


def test_check_names_the_state_folder_that_cannot_be_written_and_its_line(tmp_path):
    show_path = _show(tmp_path, "blocked/var")
    (show_path.parent / "blocked").write_text("not a folder")
    line, problems = state_folder(load_show(show_path), tmp_path / "absent.service")
    assert "cannot be written" in line
    assert [(p.line, p.key, p.severity) for p in problems] == [(2, "show.state", "warning")], problems
    assert "Set state under [show] to a folder the show may write" in problems[0].message
    writable = _show(tmp_path / "other", "var")
    assert state_folder(load_show(writable), tmp_path / "absent.service")[1] == []


_READ_ONLY_SCRIPT = r"""
import json, logging, subprocess, sys
from pathlib import Path
from installation.clock import FakeClock
from installation.commands import CommandQueue
from installation.runtime.service import Runtime, RuntimeConfig

show = Path(sys.argv[1])
subprocess.run(["mount", "-t", "tmpfs", "-o", "ro", "kiosk", str(show.parent / "var")], check=True)
said = []
class Keep(logging.Handler):
    def emit(self, record):
        said.append(record.getMessage())
logging.getLogger().addHandler(Keep(logging.WARNING))
runtime = Runtime(RuntimeConfig(watch=False), show.parent, FakeClock(), CommandQueue().post, env={},
                  console_log=False, state_dir=show.parent / "var")
runtime.start()
runtime.stop()
check = subprocess.run([sys.executable, "-m", "installation", "check", "--fast", "--show", str(show)],
                       capture_output=True, text=True)
print(json.dumps({"said": said, "check": check.stdout + check.stderr}))
"""


@pytest.mark.skipif(not _can_mount_unprivileged(), reason="needs unprivileged user and mount namespaces")
def test_a_show_folder_on_a_read_only_disk_says_the_fix_once_and_check_says_it(tmp_path):
    show_path = _show(tmp_path, "var")
    (show_path.parent / "var").mkdir()
    run = subprocess.run(["unshare", "-rm", sys.executable, "-c", _READ_ONLY_SCRIPT, str(show_path)],
                         capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(REPO), "SDL_VIDEODRIVER": "dummy",
                              "HOME": str(tmp_path / "home")})
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout.strip().splitlines()[-1])
    fixes = _fixes(report["said"], show_path)
    assert len(fixes) == 1 and "read-only file system" in fixes[0], report["said"]
    assert "install.toml:2: show.state: the show cannot write its state folder" in report["check"], report["check"]
    assert "read-only file system" in report["check"]


def test_check_says_a_state_folder_linked_where_the_show_may_not_enter_instead_of_failing(tmp_path, monkeypatch):
    # [show] state a link into a folder the show's user may not enter: Path.is_dir() raises
    # PermissionError there (it returns False only for a missing path), and the show's start
    # and `check` both asked it unguarded. (Run as root here, so the refusal is the one the
    # kernel would give another user, raised where the show asks.)
    show_path = _show(tmp_path, "linked")
    (tmp_path / "private").mkdir()
    (show_path.parent / "linked").symlink_to(tmp_path / "private")  # (the show resolves it to private)
    real_is_dir = Path.is_dir

    def refused(self):
        if self.name == "private":
            raise PermissionError(13, "Permission denied", str(self))
        return real_is_dir(self)

    monkeypatch.setattr(Path, "is_dir", refused)
    line, problems = state_folder(load_show(show_path), tmp_path / "absent.service")
    assert "cannot be written" in line
    assert [(p.line, p.key) for p in problems] == [(2, "show.state")], problems
    assert "cannot be reached" in problems[0].message and "Permission denied" in problems[0].message
