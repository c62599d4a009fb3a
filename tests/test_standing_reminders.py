"""A camera that fails again and again in the same words was said once and never again: a
technician reading the log an hour later could not tell it still failed, nor since when, nor
whether it had come back. What stands is said again at a slow, growing interval, with since
when and how many tries failed, and once when it is mended."""

from __future__ import annotations

import logging
import re
import time

import installation.scenes.portrait  # noqa: F401  (registers the kind)
from installation.clock import FakeClock
from installation.harness import run_test
from installation.standing_said import SETTLE_S, StandingSaid

from .conftest import write_show

SCENE = 'type = "portrait"\nid = "p"\nduration = 6000\ncard_seconds = 1.0\ncountdown = 1\n'
UNPLUGGED = "no camera at /dev/v4l/by-id/usb-Gone_Camera-video-index0 (unplugged?)"


class FailingCamera:
    """A camera service the test unplugs and plugs in; `reconnects` counts its failed opens."""

    source = "/dev/v4l/by-id/usb-Gone_Camera-video-index0"
    rotation = 0

    def __init__(self) -> None:
        self.state, self.reason, self.reconnects = "unavailable", UNPLUGGED, 0

    def latest(self):
        return None

    def wait_new(self, after_index, timeout):
        return None


def _since(clock: FakeClock) -> str:
    return time.strftime("%H:%M", time.localtime(clock.wall()))


def test_what_stands_is_said_again_at_a_growing_interval_and_once_when_mended():
    clock = FakeClock()
    said = StandingSaid(clock.now, clock.wall, lambda where: f"scene '{where}'")
    began = _since(clock)
    entry = {"where": "p", "message": f"camera 0: {UNPLUGGED}; the portrait stirs by itself", "tries": 1}
    heard: list[tuple[float, str]] = []
    for second in range(2 * 3600 + 1):
        entry["tries"] = 1 + second // 5  # (a camera tried every 5 s)
        lines, cleared, _ = said.look([entry])
        heard += [(clock.now(), line) for _, line in lines]
        assert not cleared
        clock.advance(1.0)
    assert [at for at, _ in heard] == [60.0, 600.0, 3600.0, 7200.0], heard
    assert heard[0][1] == f"scene 'p': still failing since {began} (13 tries, 1 min): {entry['message']}"
    assert "(121 tries, 10 min)" in heard[1][1] and "(1441 tries, 2 h)" in heard[3][1], heard
    assert said.look([]) == ([], [], []), "said mended before it held clear (a camera that flaps)"
    clock.advance(SETTLE_S)
    lines, cleared, _ = said.look([])
    assert lines == [(logging.INFO, f"scene 'p': mended after 2 h, clear for 30 s now (failing since {began}, "
                                    f"1441 tries): it was: camera 0: {UNPLUGGED}")]
    assert cleared == [("p", {entry["message"]})]
    assert said.look([]) == ([], [], []), "the mending was said twice"


def test_a_reminder_says_when_a_condition_looked_at_now_and_then_was_last_seen():
    """A camera is looked at only while its portrait shows: its reminder says when that was."""
    clock = FakeClock()
    said = StandingSaid(clock.now, clock.wall, lambda where: f"scene '{where}'")
    entry = {"where": "p", "message": "camera 0: unplugged", "tries": 3, "last_seen": clock.wall()}
    last = _since(clock)
    said.look([entry])
    clock.advance(600.0)
    said.look([entry])  # (the one-minute reminder, caught up)
    clock.advance(1.0)
    assert said.look([entry]) == ([], [], [])
    clock.advance(3600.0)
    (line,), _, _ = said.look([entry])
    assert f"(3 tries, 1 h 10 min, last seen failing at {last}): camera 0: unplugged" in line[1], line


def test_a_failing_camera_is_said_again_in_the_log_and_once_when_it_is_back(tmp_path, caplog):
    camera = FailingCamera()
    path = write_show(tmp_path, {"p": SCENE}, size=(640, 360))
    with caplog.at_level(logging.INFO, logger="bayard"), \
            run_test(path, fps=2, services={"synchronous_models": True, "camera": camera}) as pilot:
        began = _since(pilot.clock)
        for _ in range(70):
            camera.reconnects += 1
            pilot.advance(1.0)
        log = [r.getMessage() for r in caplog.records]
        first = [line for line in log if UNPLUGGED in line and "still failing" not in line]
        assert len(first) == 1, first
        again = [line for line in log if "still failing since" in line]
        assert len(again) == 1, log
        assert again[0].startswith(f"scene 'p': still failing since {began} (")
        assert "tries, 1 min): camera /dev/v4l/by-id/usb-Gone_Camera-video-index0: no camera at" in again[0]
        standing = pilot.engine.status()["standing"]
        assert standing[0]["tries"] >= 60, standing
        caplog.clear()
        camera.state, camera.reason = "live", ""
        pilot.advance(SETTLE_S + 2.0)
        back = [r.getMessage() for r in caplog.records if "mended" in r.getMessage()]
        assert back == [f"scene 'p': mended after 1 min, clear for 30 s now (failing since {began}, "
                        f"{standing[0]['tries']} tries): "
                        f"it was: camera /dev/v4l/by-id/usb-Gone_Camera-video-index0: {UNPLUGGED}"], back
        assert pilot.engine.status()["standing"] == []
        history = [e for e in pilot.engine.status()["errors"] if UNPLUGGED in e["message"]]
        assert len(history) == 1 and history[0]["mended"] >= history[0]["time"], history  # (kept, marked mended)
        caplog.clear()
        camera.state, camera.reason = "unavailable", UNPLUGGED  # unplugged again, the same words
        pilot.advance(2.0)
        told = [r.getMessage() for r in caplog.records if UNPLUGGED in r.getMessage()]
        assert len(told) == 1 and "still failing" not in told[0], told
        assert [("mended" in e) for e in pilot.engine.errors if UNPLUGGED in e["message"]] == [True, False]


def _logged(caplog, words: str, seconds: float = 8.0) -> list[str]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        said = [r.getMessage() for r in caplog.records if words in r.getMessage()]
        if said:
            return said
        time.sleep(0.05)
    return []


def test_a_content_folder_still_missing_is_said_again_by_the_watcher(tmp_path, caplog):
    """A stick holding the show's media pulled and left out: said once as it went, then never."""
    from installation.commands import CommandQueue
    from installation.runtime.watch import ShowWatcher

    from .test_removable import media_show
    from .test_runtime_watch import wait_for

    media = tmp_path / "media-stick"
    media_show(tmp_path / "show", media)
    now = [0.0]
    watcher = ShowWatcher(tmp_path / "show", CommandQueue().post, settle_ms=100, clock=lambda: now[0])
    watcher.content = media
    caplog.set_level("INFO", logger="bayard.runtime.watch")
    watcher.start()
    try:
        wait_for(CommandQueue(), 1.0)  # (the watcher's first looks)
        media.rename(tmp_path / "pulled")
        assert _logged(caplog, "is missing (a drive taken out?)"), "the pulled stick was not said at all"
        assert not _logged(caplog, "still missing", 1.0)
        now[0] += 61.0
        still = _logged(caplog, "still missing")
        assert len(still) == 1 and re.fullmatch(
            rf"content folder: still missing since \d\d:\d\d \(1 min\): the content folder {re.escape(str(media))} "
            r"is missing \(a drive taken out\?\)", still[0]), still
    finally:
        watcher.stop()


def test_a_camera_that_comes_and_goes_is_one_condition_in_the_log(tmp_path, caplog):
    """A loose cable: down 3 s, up 3 s, for two minutes. Said failing and mended at each turn, it
    wrote 40 lines; it is one condition, said as it was found, at the minute, and once mended."""
    camera = FailingCamera()
    path = write_show(tmp_path, {"p": SCENE}, size=(320, 180))
    with caplog.at_level(logging.INFO, logger="bayard"), \
            run_test(path, fps=1, services={"synchronous_models": True, "camera": camera}) as pilot:
        for second in range(120):
            down = second % 6 < 3
            camera.state, camera.reason = ("unavailable", UNPLUGGED) if down else ("live", "")
            camera.reconnects += down
            pilot.advance(1.0)
        camera.state, camera.reason = "live", ""
        pilot.advance(SETTLE_S + 2.0)
        log = [r.getMessage() for r in caplog.records if "Gone_Camera" in r.getMessage()]
    assert len(log) == 3, log
    assert "still failing" not in log[0] and "mended" not in log[0], log
    assert "still failing since" in log[1] and "clear and failing again 10 times" in log[1], log
    assert log[2].startswith("scene 'p': mended after 1 min, clear for 30 s now (failing since "), log
    assert "60 tries, clear and failing again 19 times): it was: camera" in log[2], log
