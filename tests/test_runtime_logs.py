"""Logs: rotation, repeat suppression with counts, and a full disk that never crashes the show."""

from __future__ import annotations

import errno
import logging

import pytest

from installation.runtime.logs import RepeatFilter, setup_logging


@pytest.fixture
def clean_root():
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in before:
            root.removeHandler(handler)
    root.setLevel(level)


class Tick:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def capture(filter_):
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    handler = Keep()
    handler.addFilter(filter_)
    logger = logging.getLogger("bayard.test.repeat")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    return logger, records


def test_repeated_error_logged_once_per_episode_with_count():
    tick = Tick()
    repeat = RepeatFilter(window_s=60, quiet_s=10, clock=tick)
    logger, records = capture(repeat)
    for frame in range(60 * 61):  # a scene failing every frame for 61 s at 60 fps
        tick.t = frame / 60
        logger.error("scene %s failed in draw: %s", "quiz", "ZeroDivisionError")
    assert records[0] == "scene quiz failed in draw: ZeroDivisionError"
    assert len(records) == 2
    assert "repeated 3599 times in 60 s" in records[1]
    # It stops; a flush after the quiet period reports the tail of the episode.
    tick.t += 11
    lines = repeat.flush()
    assert len(lines) == 1 and "repeated 59 more times" in lines[0] and ", the last at " in lines[0]
    assert len(records) == 3
    for scene in ("room1", "room2", "room-1", "room-2", "gallery-2025", "gallery-2026", "3", "4"):
        logger.error("scene '%s' failed to start", scene)  # a name's digits are part of the name
    assert len(records) == 11


def test_each_summary_carries_one_repeat_count():
    # Issue 12: the line that closed one episode became the text of the next, so its
    # summary read "... [repeated 3599 times in 60 s] [repeated 59 times in 1 s]".
    tick = Tick()
    repeat = RepeatFilter(window_s=60, quiet_s=10, clock=tick)
    logger, records = capture(repeat)
    for frame in range(60 * 125):  # two full windows and a tail
        tick.t = frame / 60
        logger.error("camera %s lost", "usb0")
    tick.t += 11
    records += repeat.flush()
    assert len(records) >= 4
    for line in records:
        assert line.count("[repeated") <= 1, line
        assert line.startswith("camera usb0 lost")


def test_different_errors_and_info_are_not_suppressed():
    tick = Tick()
    logger, records = capture(RepeatFilter(clock=tick))
    logger.error("disk full")
    logger.error("camera lost")
    logger.info("frame")
    logger.info("frame")
    logger.error("disk full")
    assert records == ["disk full", "camera lost", "frame", "frame"]


def test_rotating_file_and_single_decision_for_many_handlers(tmp_path, clean_root):
    setup = setup_logging(tmp_path / "logs", console=True, max_bytes=2000, backups=2)
    log = logging.getLogger("bayard.test.file")
    for i in range(200):
        log.info("line %d with some padding to fill the file quickly", i)
    log.error("same problem")
    log.error("same problem")  # suppressed in the file too, not only on the console
    files = sorted(p.name for p in (tmp_path / "logs").iterdir())
    assert files == ["bayard.log", "bayard.log.1", "bayard.log.2"]
    text = (tmp_path / "logs" / "bayard.log").read_text()
    assert text.count("same problem") == 1
    setup.close()


def test_full_disk_is_counted_not_raised(tmp_path, clean_root, monkeypatch, capsys):
    setup = setup_logging(tmp_path, console=False)
    handler = setup.file_handler
    log = logging.getLogger("bayard.test.full")
    log.warning("before")

    def no_space(record):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(handler, "shouldRollover", no_space)
    for i in range(5):
        log.warning(f"while full: {'abcde'[i]}")  # (different words: digits alone make a repeat)
    assert setup.write_errors == 5
    assert "No space left" in setup.status()["log_last_error"]
    assert capsys.readouterr().err == ""  # no "--- Logging error ---" tracebacks on stderr
    monkeypatch.undo()
    log.warning("space is back")
    assert "space is back" in (tmp_path / "bayard.log").read_text()
    setup.close()


def test_unwritable_log_dir_falls_back_to_console(tmp_path, clean_root):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    setup = setup_logging(blocker / "logs", console=True)
    assert setup.file_handler is None
    assert "console only" in setup.problems[0]
    setup.close()


def test_different_messages_from_one_template_are_each_logged_and_numbers_alone_repeat():
    """Keyed by the template, a failed screenshot was hidden as a repeat of a failed goto
    ("command %s failed: %s") and the summary named the goto."""
    tick = Tick()
    logger, records = capture(RepeatFilter(clock=tick))
    logger.error("command %s failed: %s", "goto('nope',)", "no scene 'nope'")
    logger.error("command %s failed: %s", "screenshot()", "the folder is a file")
    assert len(records) == 2 and "screenshot" in records[1]
    for port in range(100):  # the same refusal from rotating ports is one problem
        tick.t += 0.01
        logger.error("OSC: refused packet from 10.0.0.5:%d", 40000 + port)
    assert len(records) == 3
