"""The kiosk's systemd unit read as systemd reads it: drop-ins along the whole search path,
EnvironmentFile=, `%` specifiers, and `bayard check` saying what it could not judge."""

from __future__ import annotations

import os

import pytest

from installation.cli import main
from installation.config.loader import load_show
from installation.runtime import units
from installation.runtime.host_check import state_folder

from .conftest import title_scene, write_show


@pytest.fixture
def system(tmp_path, monkeypatch):
    """A system search path under tmp_path: etc, run and usr/lib, in systemd's order."""
    roots = tuple(tmp_path / part for part in ("etc/systemd/system", "run/systemd/system", "usr/lib/systemd/system"))
    for root in roots:
        root.mkdir(parents=True)
    monkeypatch.setattr(units, "SYSTEM_ROOTS", roots)
    return roots


def conf(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)
    return folder / name


def test_drop_ins_along_the_search_path_apply_by_name_with_etc_hiding_the_same_name(system):
    """Only /etc/systemd/system/bayard.service.d was read: a drop-in a package put in
    /usr/lib, one written at run time in /run, or one for every service (service.d/) was not,
    and `check` looked for the display the unit alone named."""
    etc, run, lib = system
    unit = etc / "bayard.service"
    unit.write_text("[Service]\nUser=kiosk\nEnvironment=DISPLAY=:0 LANG=C\n")
    conf(lib / "bayard.service.d", "10-display.conf", "[Service]\nEnvironment=DISPLAY=:7\n")  # hidden by /etc's
    conf(etc / "bayard.service.d", "10-display.conf", "[Service]\nEnvironment=DISPLAY=:1\n")
    conf(run / "bayard.service.d", "20-xauth.conf", "[Service]\nEnvironment=XAUTHORITY=/run/kiosk/.Xauthority\n")
    conf(lib / "service.d", "05-lang.conf", "[Service]\nEnvironment=LANG=fr_FR.UTF-8 TZ=Europe/Paris\n")
    conf(etc / "bayard.service.d", ".#30-half.conf", "[Service]\nEnvironment=DISPLAY=")  # an editor's, half written
    reading = units.read(unit)
    # Drop-ins apply after the unit: service.d's LANG wins over the unit's.
    assert reading.environment == {"DISPLAY": ":1", "LANG": "fr_FR.UTF-8", "TZ": "Europe/Paris",
                                   "XAUTHORITY": "/run/kiosk/.Xauthority"}
    assert reading.files == [unit, lib / "service.d/05-lang.conf", etc / "bayard.service.d/10-display.conf",
                             run / "bayard.service.d/20-xauth.conf"]
    # A drop-in linked to /dev/null masks the one of that name further down the path.
    os.symlink(os.devnull, etc / "bayard.service.d/20-xauth.conf")
    assert "XAUTHORITY" not in units.environment(unit)
    assert units.dropin_folders("bayard-kiosk.service") == ["bayard-kiosk.service.d", "bayard-.service.d",
                                                            "service.d"]


def test_the_unit_is_the_first_along_the_path_and_a_masked_one_is_said(system):
    etc, _, lib = system
    (lib / "bayard.service").write_text("[Service]\nUser=kiosk\nEnvironment=DISPLAY=:0\n")
    unit = etc / "bayard.service"
    assert units.environment(unit) == {"DISPLAY": ":0"}  # a packaged unit, none in /etc
    assert units.read(unit).summary() == f"Service: {lib / 'bayard.service'}"
    os.symlink(os.devnull, unit)
    reading = units.read(unit)
    assert reading.settings == [] and reading.summary() == (
        f"Service: {unit} is masked (a link to /dev/null): systemd will not start it")


def test_environment_files_override_environment_lines_and_what_cannot_be_read_is_said(tmp_path):
    """EnvironmentFile= was not read: a DISPLAY set there was not the service's for `check`."""
    (tmp_path / "bayard.env").write_text(
        "# the kiosk's screen\n; and its X cookie\nDISPLAY=:2\n"
        "  XAUTHORITY = '/home/kiosk/my files/.Xauthority'\n"
        'GREETING="a \\"quoted\\" \\$word \\n"\n'
        "LONG=one \\\ntwo  three  \n"
        "not a setting\nexport SHELLISH=1\n")
    (tmp_path / "later.env").write_text("DISPLAY=:3\n")
    unit = tmp_path / "bayard.service"
    unit.write_text("[Service]\nEnvironment=DISPLAY=:0 LANG=C\nEnvironmentFile=/nowhere.env\nEnvironmentFile=\n"
                    "EnvironmentFile=%Y/bayard.env\nEnvironmentFile=-/missing/optional.env\n")
    reading = units.read(unit)
    assert reading.environment == {"DISPLAY": ":2", "LANG": "C", "XAUTHORITY": "/home/kiosk/my files/.Xauthority",
                                   "GREETING": 'a "quoted" $word \\n', "LONG": "one two  three"}
    assert reading.doubts == []  # the missing file was forgotten by the empty line; the other is optional
    unit.write_text(unit.read_text() + f"EnvironmentFile={tmp_path}/l*.env\nEnvironmentFile=/missing/needed.env\n"
                    f"EnvironmentFile={tmp_path}\n")
    reading = units.read(unit)
    assert reading.environment["DISPLAY"] == ":3"  # a later file wins
    assert reading.doubts == [
        "EnvironmentFile=/missing/needed.env is missing: systemd will not start the service "
        '(a "-" before the path makes it optional)',
        f"EnvironmentFile={tmp_path} could not be read here (is a directory), so the variables it sets are not "
        "known (run check with sudo)"]


def test_specifiers_are_resolved_and_one_systemd_rejects_drops_its_line(tmp_path):
    unit = tmp_path / "bayard.service"
    unit.write_text("[Service]\nEnvironment=XDG_CACHE_HOME=%C/bayard STATE=%S/%N LIT=100%%\n"
                    "Environment=DISPLAY=:0%z\nEnvironment=BOOT=%b\n")
    reading = units.read(unit)
    assert reading.environment == {"XDG_CACHE_HOME": "/var/cache/bayard", "STATE": "/var/lib/bayard",
                                   "LIT": "100%", "BOOT": "%b"}
    assert reading.doubts == [
        "Environment=DISPLAY=:0%z has an unknown specifier %z: systemd ignores the line (write %% for a percent sign)",
        "Environment=BOOT=%b names %b (the boot ID), which only the running system knows"]


def test_the_state_folder_is_judged_with_specifiers_state_directory_and_resets(tmp_path):
    """ReadWritePaths=%S/bayard was taken for a folder named "%S/bayard": `check` warned that the
    service could not write the state folder it could."""
    path = write_show(tmp_path / "show", {"a": title_scene("a")})
    show = load_show(path)
    unit = tmp_path / "bayard.service"
    relative = show.state_dir.relative_to(tmp_path)
    unit.write_text(f"[Service]\nExecStart=/opt/venv/bin/bayard run --show {path}\nReadWritePaths=%Y/{relative}\n")
    line, problems = state_folder(show, unit)
    assert problems == [] and line.endswith("bayard.service may write there")
    # The show named through a variable, as systemd expands it on ExecStart= lines.
    unit.write_text(f"[Service]\nEnvironment=SHOW={path.parent}\nExecStart=/opt/venv/bin/bayard run --show "
                    f"${{SHOW}}/install.toml --price $$5\nReadWritePaths=%Y/{relative}\n")
    assert units.directives(unit)[1] == ("ExecStart", f"/opt/venv/bin/bayard run --show {path} --price $5")
    line, problems = state_folder(show, unit)
    assert problems == [] and line.endswith("may write there")  # (known to play this show)
    conf(tmp_path / "bayard.service.d", "lock.conf", "[Service]\nReadWritePaths=\nReadWritePaths=/srv/elsewhere\n")
    (problem,) = state_folder(show, unit)[1]
    assert "lets the show write only /srv/elsewhere, not its state folder" in problem.message


def test_check_prints_the_service_and_what_it_could_not_judge(tmp_path, capsys, monkeypatch):
    unit = tmp_path / "bayard.service"
    unit.write_text("[Service]\nUser=kiosk\nEnvironment=DISPLAY=:0\nEnvironmentFile=/etc/bayard/absent.env\n")
    conf(tmp_path / "bayard.service.d", "override.conf", "[Service]\nEnvironment=SDL_VIDEODRIVER=dummy\n")
    monkeypatch.setattr(units, "SERVICE_UNIT", unit)
    path = write_show(tmp_path / "show", {"a": title_scene("a")})
    main(["check", "--fast", "--show", str(path)])
    (said,) = [line for line in capsys.readouterr().out.splitlines() if line.startswith("Service:")]
    assert said == (f"Service: {unit}, with {tmp_path / 'bayard.service.d/override.conf'}; not judged here: "
                    "EnvironmentFile=/etc/bayard/absent.env is missing: systemd will not start the service "
                    '(a "-" before the path makes it optional)')


def test_an_empty_unit_file_masks_the_unit_as_systemd_says(system):
    """systemd.unit(5): a unit file of size 0 is masked as a link to /dev/null is; an empty
    bayard.service in /etc (`> bayard.service` to stop it for good) hid the packaged one from
    systemd, while check read it as the service installed, with no settings."""
    etc, _, lib = system
    (lib / "bayard.service").write_text("[Service]\nUser=kiosk\nEnvironment=DISPLAY=:0\n")
    unit = etc / "bayard.service"
    unit.write_text("")
    reading = units.read(unit)
    assert reading.masked and reading.unit is None and reading.settings == []
    assert reading.summary() == f"Service: {unit} is masked (an empty file): systemd will not start it"
    assert units.may_bind_low_ports(unit) is None
    unit.write_text("\n")  # one blank line is not empty: the packaged unit's settings are replaced by none
    assert not units.read(unit).masked


def test_a_drop_in_that_replaces_the_command_decides_which_show_the_service_plays(tmp_path):
    """`systemctl edit bayard` replacing the command (`ExecStart=` then the new one) with
    `--show=FILE`: check did not see the `=` form, and read the unit's own, replaced command,
    so it judged the state folder of the wrong show (or of none)."""
    path = write_show(tmp_path / "show", {"a": title_scene("a")})
    show = load_show(path)
    unit = tmp_path / "bayard.service"
    unit.write_text("[Service]\nExecStart=/opt/venv/bin/bayard run --show /srv/old/install.toml\n"
                    "ReadWritePaths=/srv/elsewhere\n")
    assert state_folder(show, unit)[1] == []  # another show: nothing to say about this one's folder
    dropin = conf(tmp_path / "bayard.service.d", "override.conf",
                  f'[Service]\nExecStart=\nExecStart=/opt/venv/bin/bayard run "--show={path}" --fullscreen\n')
    (problem,) = state_folder(show, unit)[1]
    assert "lets the show write only /srv/elsewhere, not its state folder" in problem.message
    dropin.write_text(f"[Service]\nExecStart=/opt/venv/bin/bayard run --show={path.parent}\n")  # its folder
    assert len(state_folder(show, unit)[1]) == 1
    # An empty ExecStart= resets the list: the drop-in's own command, which names no show, is the one run.
    unit.write_text(f"[Service]\nExecStart=/opt/venv/bin/bayard run --show {path}\nReadWritePaths=/srv/elsewhere\n")
    dropin.write_text("[Service]\nExecStart=\nExecStart=/opt/venv/bin/bayard run --fullscreen\n")
    assert state_folder(show, unit)[1] == []


def test_a_user_named_through_a_specifier_is_said_to_be_roots(tmp_path):
    """`--show=%h/show/install.toml` with User=: systemd (249 and later) reads %h as root's home
    whatever User= says, so the service looks for the show in /root; check said only that
    "%h, %u, %U, %g, %G and %s were read as root's", not which line nor what to write instead."""
    import pwd

    user = pwd.getpwuid(os.getuid()).pw_name if os.getuid() else "nobody"
    home = pwd.getpwnam(user).pw_dir
    unit = tmp_path / "bayard.service"
    unit.write_text(f"[Service]\nUser={user}\nExecStart=/opt/venv/bin/bayard run --show=%h/show/install.toml\n"
                    "Environment=OWNER=%u\n")
    reading = units.read(unit)
    assert dict(reading.settings)["ExecStart"] == "/opt/venv/bin/bayard run --show=/root/show/install.toml"
    assert reading.doubts == [
        f"ExecStart=/opt/venv/bin/bayard run --show=%h/show/install.toml: systemd reads %h as root's (/root, root), "
        f"not as User={user}'s ({home}); write the path or name out (systemd before 249 read them as User='s)",
        f"Environment=OWNER=%u: systemd reads %u as root's (/root, root), not as User={user}'s; write the path or "
        "name out (systemd before 249 read them as User='s)"]
