"""The restart budget: safe mode after a crash loop, retry later, robust state file."""

from __future__ import annotations

import errno
import json

import pytest

from installation.runtime import crashguard as cg
from installation.runtime.crashguard import CrashGuard


class Boot:
    def __init__(self, boot_id="boot-a"):
        self.t = 1000.0
        self.id = boot_id

    def guard(self, state_dir, **kw):
        kw.setdefault("max_starts", 3)
        kw.setdefault("window_s", 600)
        kw.setdefault("retry_after_s", 3600)
        return CrashGuard(state_dir, boot_id=lambda: self.id, clock=lambda: self.t, **kw)


def test_crash_loop_leads_to_safe_mode_then_retry(tmp_path):
    boot = Boot()
    # Three quick starts (each a new process reading the file) are tolerated...
    for _ in range(3):
        assert boot.guard(tmp_path).record_start() is False
        boot.t += 20
    # ...the fourth within ten minutes starts in safe mode, and status says so.
    guard = boot.guard(tmp_path)
    assert guard.record_start() is True
    assert guard.status()["safe_mode"] is True
    # A crash in safe mode and a restart keep safe mode (the retry time is not reset).
    boot.t += 100
    again = boot.guard(tmp_path)
    assert again.record_start() is True and not again.retry_due()
    boot.t += 3600
    assert again.retry_due()
    again.begin_retry()
    assert boot.guard(tmp_path).record_start() is False


def test_restart_after_retry_time_starts_the_full_show(tmp_path):
    boot = Boot()
    for _ in range(4):
        boot.guard(tmp_path).record_start()
    boot.t += 4000
    guard = boot.guard(tmp_path)
    assert guard.record_start() is False
    assert not guard.retry_due()


def test_slow_restarts_never_trigger_safe_mode(tmp_path):
    boot = Boot()
    for _ in range(20):
        assert boot.guard(tmp_path).record_start() is False
        boot.t += 301  # only two starts ever inside a ten-minute window


def test_clean_exits_do_not_count(tmp_path):
    boot = Boot()
    for _ in range(10):
        guard = boot.guard(tmp_path)
        assert guard.record_start() is False
        guard.record_clean_exit()


def test_a_reboot_refills_the_budget(tmp_path):
    boot = Boot()
    for _ in range(4):
        boot.guard(tmp_path).record_start()
    assert boot.guard(tmp_path).should_start_safe_mode()
    boot.id, boot.t = "boot-b", 30.0
    assert boot.guard(tmp_path).record_start() is False


@pytest.mark.parametrize("content", [b"", b"{not json", b"\xff\xfe", b"[1, 2]", b'{"starts": ["x"]}'])
def test_corrupt_state_file_counts_as_no_history(tmp_path, content):
    (tmp_path / cg.STATE_FILE).write_bytes(content)
    guard = Boot().guard(tmp_path)
    assert guard.record_start() is False
    assert guard.status()["problem"] and "corrupt" in guard.status()["problem"]
    assert json.loads((tmp_path / cg.STATE_FILE).read_text())["starts"] == [1000.0]


def test_full_disk_still_decides_in_memory(tmp_path, monkeypatch):
    def full(path, text):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cg, "atomic_write_text", full)
    boot = Boot()
    guard = boot.guard(tmp_path)
    results = [guard.record_start() for _ in range(4)]
    assert results == [False, False, False, True]
    assert "No space left" in guard.status()["problem"]
    assert not list(tmp_path.iterdir())


def test_state_write_is_atomic(tmp_path):
    guard = Boot().guard(tmp_path)
    guard.record_start()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [cg.STATE_FILE]  # no temporary file left behind


def test_a_start_killed_as_it_wrote_leaves_no_file_for_good(tmp_path):
    # A crash loop is when starts are killed mid-write, and each run names its own temporary
    # file: hundreds of restarts left hundreds of them in the state folder.
    import subprocess
    import sys

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    (tmp_path / f".{cg.STATE_FILE}.{gone.pid}.1234.tmp").write_text("{", encoding="utf-8")
    Boot().guard(tmp_path).record_start()
    assert sorted(p.name for p in tmp_path.iterdir()) == [cg.STATE_FILE]


def test_a_deliberate_restart_in_safe_mode_starts_the_full_show(tmp_path):
    # docs/deploy.md: "fix the cause, then sudo systemctl restart bayard".
    boot = Boot()
    for _ in range(4):
        guard = boot.guard(tmp_path)
        guard.record_start()
        boot.t += 20
    assert guard.status()["safe_mode"] is True
    guard.record_clean_exit()  # systemctl restart: SIGTERM, a clean stop
    boot.t += 5
    again = boot.guard(tmp_path)
    assert again.record_start() is False
    assert again.status()["safe_mode"] is False
