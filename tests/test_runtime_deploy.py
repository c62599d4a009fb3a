"""deploy/: the scripts parse, the rendered units pass systemd-analyze, the unit cannot end dark."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"


def run(*argv, **kw):
    return subprocess.run(list(argv), capture_output=True, text=True, timeout=60, **kw)


@pytest.mark.parametrize("script, shell", [
    ("setup-kiosk.sh", "bash"), ("kiosk-files.sh", "bash"), ("uninstall.sh", "bash"),
    ("xinitrc", "sh"), ("bash_profile", "bash"), ("grub-consoleblank.cfg", "sh"),
])
def test_scripts_parse(script, shell):
    result = run(shell, "-n", str(DEPLOY / script))
    assert result.returncode == 0, result.stderr


@pytest.fixture
def rendered(tmp_path):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin/bayard").write_text("#!/bin/sh\n")
    (venv / "bin/bayard").chmod(0o755)
    (tmp_path / "show").mkdir()
    out = tmp_path / "out"
    result = run("bash", str(DEPLOY / "setup-kiosk.sh"), "--render-only", str(out), "--user", "kiosk",
                 "--venv", str(venv), "--show", str(tmp_path / "show"), "--nightly-restart", "04:30")
    assert result.returncode == 0, result.stderr
    return out


def unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string(path.read_text())
    return parser


def test_rendered_files_and_unit_promises(rendered, tmp_path):
    system = rendered / "etc/systemd/system"
    service = unit(system / "bayard.service")
    # Every @PLACEHOLDER@ was filled ("@system-service" and the like are syscall groups).
    assert not re.search(r"@[A-Z_]+@", (system / "bayard.service").read_text())
    assert service["Service"]["Type"] == "notify"
    assert service["Service"]["Restart"] == "always"
    assert int(service["Service"]["WatchdogSec"]) > 0
    # Start limits must never leave the unit failed (and the screen dark).
    assert service["Unit"]["StartLimitIntervalSec"] == "0"
    assert service["Service"]["ExecStart"] == (
        f"{tmp_path}/venv/bin/bayard run --show {tmp_path}/show/install.toml --fullscreen")
    assert service["Service"]["User"] == "kiosk"
    timer = unit(system / "bayard-nightly-restart.timer")
    assert timer["Timer"]["OnCalendar"] == "*-*-* 04:30:00"
    autologin = (system / "getty@tty1.service.d/autologin.conf").read_text()
    assert "--autologin kiosk" in autologin
    xinitrc = (rendered / "home/kiosk/.xinitrc").read_text()
    assert "xset -dpms" in xinitrc and "xset s off" in xinitrc
    assert "-nocursor" in (rendered / "home/kiosk/.bash_profile").read_text()


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_units_pass_systemd_analyze_verify(rendered):
    system = rendered / "etc/systemd/system"
    result = run("systemd-analyze", "verify", str(system / "bayard.service"),
                 str(system / "bayard-nightly-restart.service"), str(system / "bayard-nightly-restart.timer"))
    # verify exits 0 even for unknown keys; any line it prints about our files is a problem.
    complaints = [line for line in (result.stdout + result.stderr).splitlines() if str(rendered) in line]
    assert result.returncode == 0 and complaints == [], result.stderr


@pytest.mark.parametrize("args, message", [
    ([], "--show DIR is required"),
    (["--show", "x", "--nightly-restart", "25:00"], "not a time"),
    (["--show", "x", "--user", "Bad User"], "not a valid user name"),
    (["--show", "x", "--frobnicate"], "unknown option"),
])
def test_setup_rejects_bad_arguments_clearly(args, message):
    result = run("bash", str(DEPLOY / "setup-kiosk.sh"), *args)
    assert result.returncode != 0 and message in result.stderr


def test_no_core_dump_can_write_a_visitor_to_disk():
    """The watchdog's SIGABRT writes a core dump where apport or systemd-coredump runs: the
    show's memory, camera frames included."""
    assert unit(DEPLOY / "bayard.service")["Service"]["LimitCORE"] == "0"


@pytest.mark.parametrize(("option", "value", "says"), [
    ("--show", "/srv/my show", "no spaces"),
    ("--state", "/srv/R&D", "no spaces"),
    ("--user", "root", "must not run as root"),
])
def test_setup_refuses_what_would_leave_a_unit_that_cannot_start(tmp_path, option, value, says):
    args = {"--show": str(tmp_path / "show"), "--user": "kiosk"}
    args[option] = value
    flat = [item for pair in args.items() for item in pair]
    result = run("bash", str(DEPLOY / "setup-kiosk.sh"), "--render-only", str(tmp_path / "out"), *flat)
    assert result.returncode != 0 and says in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_units_xauthority_is_the_kiosk_users_real_home(tmp_path):
    """The unit assumed /home/USER; an existing user's home may be elsewhere."""
    import pwd

    try:
        home = pwd.getpwnam("nobody").pw_dir
    except KeyError:
        pytest.skip("no 'nobody' user here")
    (tmp_path / "show").mkdir()
    out = tmp_path / "out"
    result = run("bash", str(DEPLOY / "setup-kiosk.sh"), "--render-only", str(out), "--user", "nobody",
                 "--show", str(tmp_path / "show"))
    assert result.returncode == 0, result.stderr
    text = (out / "etc/systemd/system/bayard.service").read_text()
    assert f"XAUTHORITY={home}/.Xauthority" in text and "@HOME@" not in text


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck not installed")
def test_scripts_pass_shellcheck():
    scripts = ["setup-kiosk.sh", "kiosk-files.sh", "uninstall.sh", "bash_profile", "xinitrc"]
    result = run("shellcheck", "-x", "-P", str(DEPLOY), *(str(DEPLOY / name) for name in scripts), cwd=DEPLOY.parent)
    assert result.returncode == 0, result.stdout
