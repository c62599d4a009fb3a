"""The quiz's visitor statistics on disk: two writers at once, and writes a kill cut short."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

from installation.scenes.quiz_items import QuizStats


def test_two_quiz_scenes_saving_one_statistics_file_at_once_both_finish(tmp_path, monkeypatch):
    # Both writers are held mid-write (after writing, before the rename) until the other is
    # there too: with one shared temporary file the second truncated the first's and one
    # rename found nothing, so a quiz scene lost its visitors' counts with an error.
    path = tmp_path / "quiz" / "quiz.json"
    meet = threading.Barrier(2, timeout=10)
    first_flush = threading.local()
    real_fsync = os.fsync

    def fsync(fd):
        if not getattr(first_flush, "done", False):
            first_flush.done = True
            meet.wait()
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    writers = [QuizStats(path), QuizStats(path)]
    writers[0].answered("a.png", True)
    writers[1].answered("b.png", False)
    errors = []

    def save(stats):
        try:
            stats.save()
        except OSError as error:
            errors.append(error)

    threads = [threading.Thread(target=save, args=(s,)) for s in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert errors == []
    kept = json.loads(path.read_text(encoding="utf-8"))["items"]
    assert kept in ({"a.png": {"shown": 0, "answered": 1, "correct": 1}},
                    {"b.png": {"shown": 0, "answered": 1, "correct": 0}})
    assert sorted(p.name for p in path.parent.iterdir()) == ["quiz.json"]


def test_a_write_a_kill_cut_short_is_cleared_at_the_next_start(tmp_path):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    path = tmp_path / "quiz.json"
    QuizStats(path).save()
    left = tmp_path / f".quiz.json.{gone.pid}.1234.tmp"
    left.write_text('{"version": 1, "ite', encoding="utf-8")
    kept_items = tmp_path / f".quiz.last-good-items.json.{gone.pid}.1234.tmp"
    kept_items.write_text('{"version": 1, "ite', encoding="utf-8")
    running = tmp_path / f".quiz.json.{os.getppid()}.1234.tmp"  # (the old show, still exiting)
    running.write_text('{"version": 1, "ite', encoding="utf-8")
    stats = QuizStats(path)
    stats.answered("a.png", True)
    stats.save()
    assert not left.exists() and not kept_items.exists()
    assert running.exists()
    assert QuizStats(path).share_correct("a.png") == 1.0
