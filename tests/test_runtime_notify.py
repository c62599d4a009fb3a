"""sd_notify over a real AF_UNIX datagram socket, and the frame-driven watchdog."""

from __future__ import annotations

import os
import socket
import uuid

import pytest

from installation.runtime.notify import Notifier, Watchdog, watchdog_interval_s


@pytest.fixture
def listener(tmp_path):
    path = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.settimeout(1.0)
    yield str(path), sock
    sock.close()


def received(sock) -> list[str]:
    out = []
    sock.setblocking(False)
    try:
        while True:
            out.append(sock.recv(4096).decode())
    except BlockingIOError:
        pass
    sock.setblocking(True)
    return out


def test_not_under_systemd_is_a_silent_noop():
    notifier = Notifier(env={})
    assert not notifier.enabled
    assert notifier.ready() is False and notifier.watchdog() is False
    assert not Watchdog(env={}).enabled


def test_ready_status_and_watchdog_reach_the_socket(listener):
    path, sock = listener
    notifier = Notifier(env={"NOTIFY_SOCKET": path})
    assert notifier.ready("playing 'intro'")
    assert notifier.status("line one\nline two")
    assert notifier.watchdog()
    assert received(sock) == ["READY=1\nSTATUS=playing 'intro'", "STATUS=line one line two", "WATCHDOG=1"]


def test_abstract_namespace_socket():
    name = f"bayard-test-{uuid.uuid4().hex}"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(b"\0" + name.encode())
    sock.settimeout(1.0)
    try:
        assert Notifier(env={"NOTIFY_SOCKET": "@" + name}).ready()
        assert sock.recv(100) == b"READY=1"
    finally:
        sock.close()


def test_unreachable_socket_never_raises(tmp_path):
    notifier = Notifier(env={"NOTIFY_SOCKET": str(tmp_path / "gone.sock")})
    assert notifier.enabled
    assert notifier.watchdog() is False and notifier.watchdog() is False
    assert notifier.failures == 2


def test_watchdog_interval_respects_pid():
    assert watchdog_interval_s({"WATCHDOG_USEC": "20000000"}) == 20.0
    assert watchdog_interval_s({"WATCHDOG_USEC": "20000000", "WATCHDOG_PID": str(os.getpid())}) == 20.0
    assert watchdog_interval_s({"WATCHDOG_USEC": "20000000", "WATCHDOG_PID": "1"}) is None
    assert watchdog_interval_s({"WATCHDOG_USEC": "junk"}) is None


def test_watchdog_pings_at_half_period_only_while_frames_come(listener):
    path, sock = listener
    now = [100.0]
    dog = Watchdog(env={"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "10000000"}, monotonic=lambda: now[0])
    assert dog.period_s == 5.0
    # 60 fps for 12 s: pings at 0, 5, 10 s.
    for _ in range(12 * 60):
        dog.frame()
        now[0] += 1 / 60
    assert dog.pings == 3
    assert received(sock) == ["WATCHDOG=1"] * 3
    # The render loop stalls for 30 s: no frame() calls, so no pings; systemd would restart us.
    now[0] += 30
    assert received(sock) == []
    dog.frame()
    assert received(sock) == ["WATCHDOG=1"]


def test_a_full_receiver_queue_never_blocks_the_render_loop(listener):
    path, sock = listener  # nobody reads: the kernel queue fills after a few datagrams
    notifier = Notifier(env={"NOTIFY_SOCKET": path})
    results = [notifier.watchdog() for _ in range(500)]
    assert results[0] is True and results[-1] is False
    assert notifier.dropped > 0 and notifier.failures == 0
