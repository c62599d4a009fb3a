"""`bayard check` on the machine itself: the OSC port and the disks logs and recordings go to."""

from __future__ import annotations

import os
import socket

import pytest

from installation.cli import main
from installation.harness import run_test
from installation.inputs.osc.service import attach
from installation.runtime import units
from installation.runtime.files import free_bytes

from .conftest import REPO, title_scene, write_show
from .test_osc_integration import free_port


def check(path, capsys) -> tuple[int, str]:
    code = main(["check", "--fast", "--show", str(path)])
    return code, capsys.readouterr().out


def check_while_playing(path, capsys) -> tuple[int, str]:
    """`bayard check` run on the kiosk while the show plays, its OSC server listening."""
    with run_test(path) as pilot:
        server = attach(pilot.engine)
        try:
            return check(path, capsys)
        finally:
            server.stop()


def show_with(tmp_path, osc: str, extra: str = ""):
    return write_show(tmp_path, {"a": title_scene("a")}, extra=f'\n[osc]\nhost = "127.0.0.1"\n{osc}\n{extra}')


def line_of(path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), start=1) if line.startswith(text))


def test_a_port_another_program_holds_is_named_with_its_line_and_the_fix(tmp_path, capsys):
    """The show then played without OSC, said only in its log; check said OK."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as other:
        other.bind(("127.0.0.1", 0))  # whatever port the kernel gives: no fixed port assumed
        port = other.getsockname()[1]
        path = show_with(tmp_path, f"port = {port}")
        code, out = check(path, capsys)
    assert code == 0  # a warning: the other program may be gone by the time the show starts
    (said,) = [line for line in out.splitlines() if "already in use" in line]
    assert f"install.toml:{line_of(path, 'port =')}: osc.port:" in said
    assert "set another port under [osc]" in said and "nothing there answered /bayard/ping" in said


def test_a_free_port_and_the_running_show_are_both_fine(tmp_path, capsys):
    port = free_port()
    path = show_with(tmp_path, f"port = {port}")
    code, out = check(path, capsys)
    assert code == 0 and f"OSC: udp 127.0.0.1:{port} is free" in out
    # `bayard check` run on the kiosk while the show plays: the port is the show's own.
    code, out = check_while_playing(path, capsys)
    assert code == 0 and "is held by a bayard show running now (it answered /bayard/ping)" in out
    assert "already in use" not in out


def low_port() -> int:
    from installation.inputs.osc.binding import unprivileged_start

    lowest = unprivileged_start()
    if lowest <= 1:
        pytest.skip("this machine lets anyone listen on any port")
    return min(873, lowest - 1)


KIOSK_UNIT = REPO / "deploy" / "bayard.service"  # as setup-kiosk.sh installs it: no capabilities


def test_a_low_port_the_kiosk_service_may_not_use_is_an_error_naming_the_service(tmp_path, capsys, monkeypatch):
    """Whoever runs check (root included), the service runs as an ordinary user with an empty
    capability set: it cannot listen below 1024."""
    monkeypatch.setattr(units, "SERVICE_UNIT", KIOSK_UNIT)
    path = show_with(tmp_path, f"port = {low_port()}")
    code, out = check(path, capsys)
    assert code == 1
    (said,) = [line for line in out.splitlines() if "osc.port" in line]
    assert f"install.toml:{line_of(path, 'port =')}:" in said
    assert f"the show's service ({KIOSK_UNIT}) has no CAP_NET_BIND_SERVICE to listen there" in said
    assert "use a port from" in said and "port = 9000" in said


def test_a_low_port_is_fine_when_the_show_may_bind_it(tmp_path, capsys, monkeypatch):
    """A port below 1024 was an error from its number alone, even for a service given the
    capability to listen there."""
    unit = tmp_path / "bayard.service"
    unit.write_text(KIOSK_UNIT.read_text() + "\n[Service]\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE\n"
                    "AmbientCapabilities=CAP_NET_BIND_SERVICE\n")
    monkeypatch.setattr(units, "SERVICE_UNIT", unit)
    port = low_port()
    path = show_with(tmp_path, f"port = {port}")
    code, out = check(path, capsys)
    assert code == 0 and "osc.port" not in out
    osc = next(line for line in out.splitlines() if line.startswith("OSC:"))
    assert f"127.0.0.1:{port}" in osc and "CAP_NET_BIND_SERVICE" in osc


def test_without_a_service_a_low_port_is_judged_by_whether_this_process_may_bind_it(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(units, "SERVICE_UNIT", tmp_path / "none.service")
    path = show_with(tmp_path, f"port = {low_port()}")
    code, out = check(path, capsys)
    (said,) = [line for line in out.splitlines() if "osc.port" in line]
    if os.geteuid() == 0:  # root may listen there, and so may the show run the same way: a warning
        assert code == 0 and "is free to this check" in said and "only if it runs with the same rights" in said
    else:
        assert code == 1 and "permission denied: below" in said and "root or a process with CAP_NET_BIND_SERVICE" \
            in said and "`bayard run` as this user could not listen there" in said


@pytest.mark.parametrize(("lines", "may"), [
    ("User=kiosk\nCapabilityBoundingSet=\nAmbientCapabilities=\n", False),
    ("User=kiosk\n", False),
    ("User=kiosk\nAmbientCapabilities=CAP_NET_BIND_SERVICE\n", True),
    ("User=kiosk\nCapabilityBoundingSet=CAP_CHOWN\nAmbientCapabilities=CAP_NET_BIND_SERVICE\n", False),
    ("User=kiosk\nCapabilityBoundingSet=~CAP_SYS_ADMIN\nAmbientCapabilities=CAP_NET_BIND_SERVICE\n", True),
    ("User=kiosk\nCapabilityBoundingSet=~CAP_NET_BIND_SERVICE\nAmbientCapabilities=CAP_NET_BIND_SERVICE\n", False),
    ("ExecStart=/bin/true\n", True),  # root, every capability
    ("CapabilityBoundingSet=\n", False),  # root without capabilities
])
def test_what_the_service_may_bind_is_read_as_systemd_reads_it(tmp_path, lines, may):
    unit = tmp_path / "bayard.service"
    unit.write_text("[Service]\n" + lines)
    assert units.may_bind_low_ports(unit) is may
    # A drop-in from `systemctl edit bayard` counts, applied after the unit.
    (tmp_path / "bayard.service.d").mkdir()
    (tmp_path / "bayard.service.d" / "override.conf").write_text(
        "[Service]\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE\nAmbientCapabilities=CAP_NET_BIND_SERVICE\n")
    assert units.may_bind_low_ports(unit) is True
    assert units.may_bind_low_ports(tmp_path / "absent.service") is None


def test_the_shows_own_message_for_a_low_port_names_the_rule_and_the_fix():
    import errno

    from installation.inputs.osc.binding import bind_error, unprivileged_start

    said = str(bind_error(PermissionError(errno.EACCES, "Permission denied"), "UDP", "0.0.0.0", 80))
    assert f"below {unprivileged_start()} (net.ipv4.ip_unprivileged_port_start)" in said
    assert "CAP_NET_BIND_SERVICE" in said and "e.g. 9000" in said


def test_an_address_this_machine_does_not_have_is_an_error(tmp_path, capsys):
    path = write_show(tmp_path, {"a": title_scene("a")}, extra=f'\n[osc]\nhost = "192.0.2.77"\nport = {free_port()}\n')
    code, out = check(path, capsys)
    assert code == 1
    (said,) = [line for line in out.splitlines() if "osc.host" in line]
    assert f"install.toml:{line_of(path, 'host =')}:" in said and 'set [osc] host' in said


def test_a_disk_without_room_for_the_recordings_is_named(tmp_path, capsys):
    """Recording a year of visits onto a small card filled it, and logs and statistics stopped
    with it; check said nothing. (A cap larger than any disk stands in for a small disk.)"""
    path = show_with(tmp_path, f"port = {free_port()}",
                     "[camera]\nrecording = true\nrecording_max_mb = 1000000000000\n")
    code, out = check(path, capsys)
    assert code == 0
    (said,) = [line for line in out.splitlines() if "MB free on the disk of" in line]
    assert f"install.toml:{line_of(path, 'recording_max_mb')}: camera.recording_max_mb:" in said
    assert "recordings ([camera] recording_max_mb) 1,000,000,000,000 MB" in said
    assert "lower [camera] recording_max_mb" in said
    space = free_bytes(tmp_path)
    if space is not None and space[0] > 2 * 10**9:  # room for 500 MB and the rest: no warning
        path.write_text(path.read_text().replace("1000000000000", "500"))
        assert "MB free on the disk of" not in check(path, capsys)[1]


def test_a_running_show_that_does_not_allow_this_machine_is_not_called_another_program(tmp_path, capsys):
    """With [osc] allow = the gallery LAN only, the running show dropped check's ping, and
    check told the technician to stop "another program" (and the show logged a refused sender)."""
    port = free_port()
    path = show_with(tmp_path, f'port = {port}\nallow = ["192.168.1.0/24"]')
    code, out = check_while_playing(path, capsys)
    assert code == 0
    (said,) = [line for line in out.splitlines() if "already in use" in line]
    assert "if that is this show running, it cannot be asked: [osc] allow leaves out this machine" in said
    assert "nothing there answered" not in said


@pytest.mark.parametrize(("lines", "may"), [
    # systemd strips the blanks around '=': this service runs as kiosk, without the capability.
    ("User = kiosk\n", False),
    ("  User =kiosk\nAmbientCapabilities = CAP_NET_BIND_SERVICE\n", True),
    # "~" takes capabilities away from the ambient set as from the bounding set.
    ("User=kiosk\nAmbientCapabilities=~CAP_NET_BIND_SERVICE\n", False),
    # Later assignments add to (or with "~" take from) the set the earlier ones made.
    ("User=kiosk\nCapabilityBoundingSet=~CAP_SYS_ADMIN\nCapabilityBoundingSet=CAP_CHOWN\n"
     "AmbientCapabilities=CAP_NET_BIND_SERVICE\n", True),
    ("User=kiosk\nCapabilityBoundingSet=~CAP_NET_BIND_SERVICE\nCapabilityBoundingSet=~CAP_SYS_ADMIN\n"
     "AmbientCapabilities=CAP_NET_BIND_SERVICE\n", False),
    ("User=kiosk\nAmbientCapabilities=cap_net_bind_service\n", True),
])
def test_a_unit_written_in_other_valid_ways_is_read_as_systemd_reads_it(tmp_path, lines, may):
    """`check` said a service running as kiosk ("User = kiosk") could listen below 1024, and
    the show then could not open its OSC port."""
    unit = tmp_path / "bayard.service"
    unit.write_text("[Service]\n" + lines)
    assert units.may_bind_low_ports(unit) is may


@pytest.mark.parametrize(("lines", "may"), [
    # A long line wrapped with "\": the second line's capability counts.
    ("User=kiosk\nAmbientCapabilities=CAP_CHOWN \\\n    CAP_NET_BIND_SERVICE\n", True),
    # A comment between the wrapped lines is skipped; the line goes on after it.
    ("User=kiosk\nAmbientCapabilities=CAP_CHOWN \\\n# the port below 1024\n; and OSC\n  CAP_NET_BIND_SERVICE\n", True),
    # The bounding set wrapped: its second line takes the capability away again.
    ("User=kiosk\nAmbientCapabilities=CAP_NET_BIND_SERVICE\n"
     "CapabilityBoundingSet=~CAP_CHOWN \\\n CAP_NET_BIND_SERVICE\n", False),
    # A wrapped line is one assignment: its continuation is no User= of its own.
    ("User=kiosk\nDescription=runs as \\\nUser=root\nAmbientCapabilities=\n", False),
    # Two backslashes end in a backslash, not a join: the next line is its own assignment.
    ("Environment=A=b\\\\\nUser=kiosk\n", False),
    # A commented-out line ending in "\" joins nothing.
    ("# User=root \\\nUser=kiosk\n", False),
    # Only the [Service] section sets the service.
    ("User=kiosk\n[Install]\nUser=root\n", False),
    ("User=kiosk\nDynamicUser=yes\n[Service]\nUser=\n", False),
])
def test_a_unit_wrapped_over_lines_is_read_as_systemd_reads_it(tmp_path, lines, may):
    """A unit wrapping AmbientCapabilities= over two lines (systemd.syntax(7)) was read without
    its second line: `check` said the show could not listen on its low OSC port, and a wrapped
    CapabilityBoundingSet= that took the capability away went unseen."""
    unit = tmp_path / "bayard.service"
    unit.write_text("[Unit]\nDescription=Bayard\n[Service]\n" + lines)
    assert units.may_bind_low_ports(unit) is may


def test_an_empty_environment_line_forgets_the_ones_before_it(tmp_path):
    unit = tmp_path / "bayard.service"
    unit.write_text('[Service]\nEnvironment=DISPLAY=:0 XAUTHORITY=/home/kiosk/.Xauthority\n'
                    'Environment=SDL_VIDEODRIVER=x11 \\\n  "LANG=de_DE.UTF-8"\n')
    (tmp_path / "bayard.service.d").mkdir()
    (tmp_path / "bayard.service.d" / "wayland.conf").write_text(
        "[Service]\nEnvironment=\nEnvironment=WAYLAND_DISPLAY=wayland-1\nEnvironment=not-a-setting\n")
    assert units.environment(unit) == {"WAYLAND_DISPLAY": "wayland-1"}
    (tmp_path / "bayard.service.d" / "wayland.conf").unlink()
    assert units.environment(unit) == {"DISPLAY": ":0", "XAUTHORITY": "/home/kiosk/.Xauthority",
                                       "SDL_VIDEODRIVER": "x11", "LANG": "de_DE.UTF-8"}
