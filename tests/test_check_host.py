"""`bayard check` on the machine itself: the OSC port and the disks logs and recordings go to."""

from __future__ import annotations

import socket

import pytest

from installation.cli import main
from installation.harness import run_test
from installation.inputs.osc.service import attach
from installation.runtime.files import free_bytes

from .conftest import title_scene, write_show
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


def test_a_privileged_port_is_an_error_even_when_check_runs_as_root(tmp_path, capsys):
    from installation.inputs.osc.probe import unprivileged_start

    lowest = unprivileged_start()
    if lowest <= 1:
        pytest.skip("this machine lets anyone listen on any port")
    path = show_with(tmp_path, f"port = {min(80, lowest - 1)}")
    code, out = check(path, capsys)
    assert code == 1
    (said,) = [line for line in out.splitlines() if "osc.port" in line]
    assert f"install.toml:{line_of(path, 'port =')}:" in said
    assert "cannot listen there; use a port from 1024 up, e.g. port = 9000" in said


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
