"""runtime.files: what a kill or a power cut mid-write leaves, and what a later start clears."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from installation.runtime.files import remove_leftover_temps

REPO = Path(__file__).resolve().parents[1]

# A show process writing `path` through atomic_write_bytes, stopped in the middle: with
# "kill" it dies there (a power cut, an OOM kill), with "hang" it stays in the write.
_WRITER = """
import os, sys, time
from installation.runtime import files
how = sys.argv[2]
def stopped(fd):
    if how == "kill":
        os.kill(os.getpid(), 9)
    print("writing", flush=True)
    time.sleep(60)
files.os.fsync = stopped
files.atomic_write_bytes(files.Path(sys.argv[1]), b"half of a verdict")
"""


def _writer(path: Path, how: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen([sys.executable, "-c", _WRITER, str(path), how], env=env, stdout=subprocess.PIPE,
                            text=True)


def _temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="process start times are read from /proc")
def test_a_leftover_whose_process_id_was_taken_by_a_live_process_is_cleared_and_a_live_write_is_not(tmp_path):
    killed = _writer(tmp_path / "verdict.npz", "kill")
    killed.wait()
    [leftover] = _temps(tmp_path)
    # The killed writer's process id, taken since by processes that live now: another
    # program (ids are reused; after a reboot the same services get the same ids), and this
    # very show (restarted at the id an earlier boot's show had).
    other = subprocess.Popen(["sleep", "60"])
    writing = _writer(tmp_path / "other.npz", "hang")
    try:
        assert writing.stdout.readline().strip() == "writing"
        for pid in (other.pid, os.getpid()):
            taken = re.sub(r"^(\.verdict\.npz\.)[0-9]+\.", rf"\g<1>{pid}.", leftover)
            (tmp_path / taken).write_bytes(b"half of a verdict")
        (tmp_path / leftover).unlink()
        live = [name for name in _temps(tmp_path) if name.startswith(".other.npz.")]
        assert len(live) == 1 and len(_temps(tmp_path)) == 3
        remove_leftover_temps(tmp_path, any_name=True)
        # The two half-written files whose writer is gone are cleared at once, not kept
        # until a later start; the write under way in a live process is left to finish.
        assert _temps(tmp_path) == live
    finally:
        other.kill()
        writing.kill()
        other.wait()
        writing.wait()


# A show process writing `path` that stops at its flush to disk until told to go on.
_PAUSED_WRITER = """
import os, sys
from installation.runtime import files
real_fsync = files.os.fsync
def paused(fd):
    files.os.fsync = real_fsync
    print("writing", flush=True)
    sys.stdin.readline()
    real_fsync(fd)
files.os.fsync = paused
files.atomic_write_bytes(files.Path(sys.argv[1]), b"a whole verdict")
"""


def test_a_live_write_is_left_alone_by_a_start_that_reads_its_process_otherwise(tmp_path, monkeypatch):
    # A show started in another pid namespace (a container sharing the state folder, a /proc
    # of another namespace) or time namespace reads the writer's process id as another
    # process, or its start tick shifted: the stamp in the temporary file's name then never
    # matches, and the write under way was cleared, its rename failing with the file gone.
    from installation.runtime import files

    env = dict(os.environ, PYTHONPATH=str(REPO))
    writer = subprocess.Popen([sys.executable, "-c", _PAUSED_WRITER, str(tmp_path / "verdict.npz")], env=env,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "writing"
        assert len(_temps(tmp_path)) == 1
        monkeypatch.setattr(files, "_process_stamp", lambda pid: "0badc0de")  # (another process, as read here)
        remove_leftover_temps(tmp_path, any_name=True)
        writer.stdin.write("go on\n")
        writer.stdin.flush()
        assert writer.wait(30) == 0, writer.stderr.read()
    finally:
        writer.kill()
        writer.wait()
    assert (tmp_path / "verdict.npz").read_bytes() == b"a whole verdict" and _temps(tmp_path) == []


def test_off_posix_a_leftover_is_kept_and_no_process_is_signalled(tmp_path, monkeypatch):
    # On Windows os.kill(pid, 0) does not ask whether a process lives: it ends it
    # (TerminateProcess). A training run started there, clearing a killed run's leftover,
    # ended whichever process had taken that id since.
    from installation.runtime import files

    leftover = tmp_path / f".g.pt.{os.getpid() + 1}.140000.tmp"
    leftover.write_bytes(b"half of a checkpoint")
    signalled: list[int] = []
    monkeypatch.setattr(files, "_SIGNAL_ASKS", False, raising=False)  # (as on Windows)
    monkeypatch.setattr(files.os, "kill", lambda pid, sig: signalled.append(pid))
    remove_leftover_temps(tmp_path / "g.pt")
    assert signalled == [] and leftover.is_file()
