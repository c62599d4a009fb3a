"""Bursts of navigation: the show keeps drawing, answering and stopping while they last.

100 x /bayard/next once froze the show for 36 s: every `next` built its scene and waited
for its media on the main thread. These tests drive the live (asynchronous) engine with
scenes whose preparation the test holds open, so "the frame waited" shows up as a
switch that happened before the test let it.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import threading
import time

import pygame
import pytest

from installation.clock import FakeClock
from installation.commands import Command
from installation.config.loader import load_show
from installation.engine import Engine, init_pygame
from installation.harness import run_test
from installation.scenes.base import SceneContext

from .conftest import REPO, write_show
from .probe import ProbeScene, probe

RED, GREEN, BLUE = "#ff0000", "#00ff00", "#0000ff"


@pytest.fixture(autouse=True)
def fresh_probes():
    ProbeScene.log_of_calls.clear()
    ProbeScene.gates.clear()
    yield
    for gate in ProbeScene.gates.values():
        gate.set()  # never leave a worker waiting on a test that has ended


def open_gate(scene_id: str) -> None:
    ProbeScene.gates.setdefault(scene_id, threading.Event()).set()


def prepares(scene_id: str | None = None) -> int:
    return sum(1 for sid, phase in ProbeScene.log_of_calls if phase == "prepare" and scene_id in (None, sid))


def centre(engine: Engine) -> tuple[int, int, int]:
    frame = engine.frame
    return tuple(frame.get_at((frame.get_width() // 2, frame.get_height() // 2)))[:3]


class Live:
    """The engine as a kiosk runs it (scenes readied on the worker), on a stepped clock."""

    def __init__(self, path, fps: float = 30.0) -> None:
        init_pygame(headless=True)
        self.clock = FakeClock()
        self.engine = Engine(load_show(path), self.clock)
        self.fps = fps
        self.replies: list[tuple[str, tuple]] = []

    def post(self, name: str, *args) -> None:
        self.engine.post(Command(name, tuple(args), source="osc",
                                 reply=lambda address, values: self.replies.append((address, values))))

    def step(self) -> None:
        self.clock.advance(1.0 / self.fps)
        self.engine.step()

    def step_until(self, condition, frames: int = 400) -> None:
        """Step until `condition()`; the worker runs in real time, so frames are paced."""
        for _ in range(frames):
            if condition():
                return
            self.step()
            time.sleep(0.005)
        raise AssertionError("the condition never came true")

    @property
    def scene_id(self) -> str | None:
        current = self.engine.sequencer.current
        return current.scene_id if current else None


def test_a_burst_in_one_frame_builds_only_its_net_target(tmp_path):
    path = write_show(tmp_path, {"a": probe("a", RED, 30), "b": probe("b", GREEN, 30), "c": probe("c", BLUE, 30)})
    with run_test(path, fps=20) as pilot:
        before = prepares()
        for _ in range(100):
            pilot.engine.post(Command("next", source="osc"))
        pilot.step()
        assert pilot.scene_id == "b"  # 100 steps forward round three scenes: one past a
        assert prepares() - before == 1  # one scene built and prepared, not a hundred
        before = prepares()
        for index in range(100):
            pilot.engine.post(Command("goto", ("a" if index % 2 else "c",), source="osc"))
        pilot.step()
        assert pilot.scene_id == "a"
        assert prepares() - before == 1


def test_relative_moves_in_one_frame_add_up(tmp_path):
    path = write_show(tmp_path, {"a": probe("a", RED, 30), "b": probe("b", GREEN, 30), "c": probe("c", BLUE, 30)})
    with run_test(path, fps=20) as pilot:
        for name in ("next", "next", "prev", "next"):
            pilot.engine.post(Command(name, source="key"))
        pilot.step()
        assert pilot.scene_id == "c"
        pilot.engine.post(Command("goto", ("a",), source="osc"))
        pilot.engine.post(Command("next", source="key"))
        pilot.step()
        assert pilot.scene_id == "b"  # next counts from the goto before it


def test_the_old_scene_plays_and_status_answers_while_the_next_one_prepares(tmp_path):
    path = write_show(tmp_path, {"a": probe("a", RED, 30), "b": probe("b", GREEN, 30, gate=20)})
    live = Live(path)
    live.step_until(lambda: live.scene_id == "a")
    drawn = live.engine.frames
    live.post("next")
    for _ in range(10):
        live.post("status")
        live.step()
        assert live.scene_id == "a" and centre(live.engine) == (255, 0, 0)
        status = json.loads(live.replies[-1][1][0])
        assert status["scene"] == "a" and status["switching_to"] == "b"
    assert live.engine.frames == drawn + 10  # every frame drawn while b prepares
    open_gate("b")
    live.step_until(lambda: live.scene_id == "b")
    live.engine.shutdown()


def test_a_burst_over_many_frames_never_queues_more_than_it_shows(tmp_path):
    scenes = {name: probe(name, colour, 30, gate=20) for name, colour in (("a", RED), ("b", GREEN), ("c", BLUE))}
    open_gate("a")
    live = Live(write_show(tmp_path, scenes))
    live.step_until(lambda: live.scene_id == "a")
    for _ in range(100):  # one `next` a frame, each arriving before the last scene is ready
        live.post("next")
        live.step()
        assert live.scene_id == "a"
    for gate in ("b", "c"):
        open_gate(gate)
    live.step_until(lambda: live.scene_id == "b" and live.engine.sequencer.pending is None)
    assert live.scene_id == "b"  # 100 forward from a, round three scenes
    # Only scenes that got as far as their prepare() were abandoned, and each was released.
    live.step_until(lambda: live.engine.sequencer.readying.busy == 0)
    prepared = prepares()
    assert prepared <= 4, ProbeScene.log_of_calls
    exits = sum(1 for _, phase in ProbeScene.log_of_calls if phase == "exit")
    assert exits == prepared - 2  # all but a (playing until the switch, then exited: +1) and b
    live.engine.shutdown()


def test_warming_is_sliced_over_frames_and_the_old_scene_stays_on_screen(tmp_path):
    path = write_show(tmp_path, {"a": probe("a", RED, 30), "b": probe("b", GREEN, 30, warm_pieces=12)})
    live = Live(path)
    ticks = iter(range(10**6))
    live.engine.sequencer.readying._work_clock = lambda: next(ticks) * 0.001  # each piece costs 1 ms
    live.step_until(lambda: live.scene_id == "a")
    live.post("next")
    warmed_per_frame = []
    while live.scene_id == "a":
        before = sum(1 for sid, phase in ProbeScene.log_of_calls if (sid, phase) == ("b", "warm"))
        live.step()
        after = sum(1 for sid, phase in ProbeScene.log_of_calls if (sid, phase) == ("b", "warm"))
        warmed_per_frame.append(after - before)
        if live.scene_id == "a":
            assert centre(live.engine) == (255, 0, 0)
        time.sleep(0.002)
    assert sum(warmed_per_frame) == 12
    assert max(warmed_per_frame) <= 4  # a 4 ms slice a frame
    live.engine.shutdown()


def test_title_text_is_rasterised_before_the_card_shows(tmp_path):
    from installation.scenes.title import TitleConfig, TitleScene
    from installation.typography import Fonts

    init_pygame(headless=True)
    context = SceneContext(clock=FakeClock(), size=(640, 360), content_root=tmp_path, state_dir=tmp_path,
                           fonts=Fonts(360))
    config = TitleConfig(type="title", id="t", heading="A heading", subheading="Below it", body="Some words.",
                         footer="Touch the screen")
    scene = TitleScene(config, context)
    pieces = list(scene.warm())
    assert len(pieces) == 4  # one slice per text block: no single frame rasterises them all
    cached = len(context.fonts._lines)
    scene.update(0.5)
    scene.draw(pygame.Surface((640, 360)))
    assert len(context.fonts._lines) == cached  # the first frame renders no new text


SIGTERM_SCRIPT = """
import sys
sys.path.insert(0, sys.argv[2])
from tests import probe  # registers the probe scene kind
from installation.app import run
from installation.commands import Command
from installation.config.loader import load_show

def setup(engine, presenter):
    def burst(engine):
        if engine.frames == 5:
            for _ in range(100):
                engine.post(Command("next", source="osc"))
        if engine.frames == 30:
            print("burst under way", flush=True)
    engine.frame_hooks.append(burst)

run(load_show(sys.argv[1]), fullscreen=False, headless=True, engine_setup=setup)
print("stopped cleanly", flush=True)
"""


def test_sigterm_during_a_burst_stops_the_show_within_two_seconds(tmp_path):
    # Every scene but the first takes a minute to prepare: the burst is still building.
    scenes = {"a": probe("a", RED, 30), "b": probe("b", GREEN, 30, gate=60), "c": probe("c", BLUE, 30, gate=60)}
    path = write_show(tmp_path, scenes)
    process = subprocess.Popen([sys.executable, "-c", SIGTERM_SCRIPT, str(path), str(REPO)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "SDL_VIDEODRIVER": "dummy"})
    try:
        line = ""
        deadline = time.monotonic() + 60
        with selectors.DefaultSelector() as waiting:
            waiting.register(process.stdout, selectors.EVENT_READ)
            while "burst under way" not in line and process.poll() is None:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not waiting.select(timeout=remaining):
                    break
                line = process.stdout.readline()
        assert "burst under way" in line, "the show drew no frames during the burst"
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=2.0)
        assert "stopped cleanly" in out, err
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_a_goto_past_the_playlist_says_how_positions_count(tmp_path):
    """Key 4 on a three-scene show, or `/bayard/goto i 3`, was answered "no scene 3 in the
    playlist ['a', 'b', 'c']": a technician counting from 1 sees a scene 3 right there.
    Positions count from 0, and the answer says so, with the ones there are."""
    path = write_show(tmp_path, {"a": probe("a", RED, 30), "b": probe("b", GREEN, 30), "c": probe("c", BLUE, 30)})
    with run_test(path, fps=20) as pilot:
        for target in (3, "3", -4):
            pilot.replies.clear()
            pilot.command("goto", target, source="osc")
            said = " ".join(str(arg) for _, args in pilot.replies for arg in args)
            assert "count from 0" in said and "0 to 2" in said and "a, b, c" in said, said
        pilot.replies.clear()
        pilot.command("goto", "d", source="osc")
        said = " ".join(str(arg) for _, args in pilot.replies for arg in args)
        assert "'d'" in said and "count from 0" not in said, said  # an unknown id is named as before
        assert pilot.scene_id == "a"
