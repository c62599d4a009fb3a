"""Missing media looked for again on a stick that hangs: a show missing many files (a content
folder copied half-way, a playlist of prints not installed yet) held one look on the drive per
missing file, each a thread stuck until the kernel gave up on the stick, and a round of looks
lasted a look's deadline per file (10 000 files: some 14 hours, 10 000 threads)."""

from __future__ import annotations

import os
import threading
import time

from installation.media import looks
from installation.missing_looks import MissingLooks

MISSING = [f"prints/print-{number:03d}.jpg" for number in range(20)]
BOUND_S = 30.0  # real time, far past what the looks need, only so a failing test ends


def _round(relooks: MissingLooks, show_time: list[float], content, missing) -> list[str]:
    """One round of looks, as the render thread starts it, waited for (within BOUND_S)."""
    show_time[0] += 5.0
    found = relooks.found(content, missing)
    end = time.monotonic() + BOUND_S
    while relooks.looking and time.monotonic() < end:
        time.sleep(0.01)
    return found + relooks.found(content, missing)


def test_a_hung_stick_missing_many_files_holds_one_look_on_it_not_one_per_file(tmp_path, monkeypatch):
    content = tmp_path / "content"
    (content / "prints").mkdir(parents=True)
    monkeypatch.setattr(looks, "LOOK_DEADLINE_S", 0.2)
    answer = threading.Event()
    real_stat = os.stat

    def stat(target, *args, **kwargs):
        if os.fspath(target).startswith(os.fspath(content)):
            answer.wait(BOUND_S)  # (a drive that does not answer; bounded only so a failing test ends)
        return real_stat(target, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    show_time = [0.0]
    relooks = MissingLooks(lambda: show_time[0])
    try:
        for _ in range(3):  # fifteen seconds of show time: three rounds of looks
            assert _round(relooks, show_time, content, MISSING) == []
        stuck = looks.outstanding()
        assert stuck <= 1, f"{stuck} looks (each a thread) stuck on the hung stick for {len(MISSING)} missing files"
    finally:
        answer.set()  # the stick answers again
    end = time.monotonic() + BOUND_S
    while looks.outstanding() and time.monotonic() < end:
        time.sleep(0.01)
    # Once it answers, a print copied in meanwhile is found.
    (content / MISSING[7]).write_bytes(b"\xff\xd8")
    assert _round(relooks, show_time, content, MISSING) == [MISSING[7]]
