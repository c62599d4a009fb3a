"""The Runtime facade: READY after the first frame, hours switch the display, safe mode and retry."""

from __future__ import annotations

import datetime as dt
import logging
import socket
from zoneinfo import ZoneInfo

import pytest

from installation.clock import FakeClock
from installation.commands import CommandQueue
from installation.runtime.hours import OpeningHoursConfig
from installation.runtime.service import DisplayPower, Runtime, RuntimeConfig, state_dirs

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def clean_root():
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in before:
            root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture
def notify(tmp_path):
    path = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.setblocking(False)
    yield str(path), sock
    sock.close()


def messages(sock):
    out = []
    while True:
        try:
            out.append(sock.recv(4096).decode())
        except BlockingIOError:
            return out


def hours():
    return OpeningHoursConfig(enabled=True, timezone="Europe/Paris",
                              **{d: ["10:00-18:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")})


def make(tmp_path, notify_path=None, calls=None, **config):
    clock = FakeClock(wall_start=dt.datetime(2026, 3, 3, 17, 59, 30, tzinfo=PARIS).timestamp())
    env = {"STATE_DIRECTORY": str(tmp_path / "state"), "LOGS_DIRECTORY": str(tmp_path / "logs")}
    if notify_path:
        env.update(NOTIFY_SOCKET=notify_path, WATCHDOG_USEC="10000000")
    power = DisplayPower(env, run=lambda argv: calls.append(argv) or 0) if calls is not None else None
    queue = CommandQueue()
    runtime = Runtime(RuntimeConfig(watch=False, **config), tmp_path, clock, queue.post, hours=hours(), env=env,
                      display_power=power, console_log=False)
    return runtime, clock, queue


def test_state_dirs_follow_systemd_then_show(tmp_path):
    assert state_dirs(tmp_path, {"STATE_DIRECTORY": "/var/lib/bayard", "LOGS_DIRECTORY": "/var/log/bayard"}) == (
        __import__("pathlib").Path("/var/lib/bayard"), __import__("pathlib").Path("/var/log/bayard"))
    assert state_dirs(tmp_path / "var", {}) == (tmp_path / "var", tmp_path / "var/logs")


def test_ready_after_first_frame_then_watchdog_and_closing_time(tmp_path, notify):
    path, sock = notify
    calls = []
    runtime, clock, _ = make(tmp_path, path, calls)
    logging.getLogger().setLevel(logging.INFO)  # as the CLI does from [logging] level
    assert runtime.start() is False
    assert messages(sock) == []  # not READY before a frame is on screen
    sent = []
    for frame in range(60 * 40):  # 40 s at 60 fps; closing time (18:00) passes at 30 s
        runtime.frame(1 / 60)
        runtime.tick()
        clock.advance(1 / 60)
        if frame % 60 == 0:
            sent += messages(sock)  # systemd reads as it goes
    sent += messages(sock)
    assert sent[0].startswith("READY=1\nSTATUS=open")
    assert sent.count("WATCHDOG=1") == 8  # every 5 s (half of WatchdogSec=10)
    assert runtime.tick() == "closed"
    assert calls == [["xset", "dpms", "force", "off"]] and runtime.display_off
    assert any(m.startswith("STATUS=closed") for m in sent)
    # The technician forces it open: the display comes back at once.
    assert runtime.override_hours("open") == "open"
    assert calls[-2:] == [["xset", "dpms", "force", "on"], ["xset", "-dpms"]]
    status = runtime.status()
    assert status["hours"]["override"] == "open" and status["systemd"]["watchdog_pings"] == 8
    assert "opening hours: now closed" in (tmp_path / "logs/bayard.log").read_text()
    runtime.stop()


def test_no_dpms_means_the_engine_draws_the_closed_screen(tmp_path):
    runtime, clock, _ = make(tmp_path)
    runtime.display = DisplayPower({})  # no X display here
    runtime.start()
    clock.advance(60)
    assert runtime.tick() == "closed" and not runtime.display_off
    runtime.stop()


def test_crash_loop_starts_in_safe_mode_and_retries(tmp_path):
    for _ in range(3):
        runtime, clock, queue = make(tmp_path, restart_budget=3, safe_retry_min=1)
        assert runtime.start() is False
        runtime.stop(clean=False)  # a crash
    runtime, clock, queue = make(tmp_path, restart_budget=3, safe_retry_min=1)
    assert runtime.start() is True
    assert runtime.status()["safe_mode"] and "SAFE MODE" in runtime.status_line()
    runtime.stop(clean=False)


def test_clean_stops_do_not_lead_to_safe_mode(tmp_path):
    for _ in range(6):
        runtime, _, _ = make(tmp_path, restart_budget=3)
        assert runtime.start() is False
        runtime.stop(clean=True)
