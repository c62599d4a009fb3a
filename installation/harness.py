"""Drive the engine headless, like a visitor or technician would, with a stepped clock.

    with run_test("install.toml") as pilot:
        pilot.advance(3.0)
        pilot.tap(960, 540)
        frame = pilot.frame()

Any exception a scene raised is re-raised when the block ends (unless the test is
about fault isolation and passes `raise_faults=False`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pygame

from .clock import FakeClock
from .commands import Command
from .config.loader import Show, load_show
from .engine import Engine, init_pygame
from .inputs.keys import command_for_key


class Pilot:
    def __init__(self, engine: Engine, clock: FakeClock, fps: float) -> None:
        self.engine = engine
        self.clock = clock
        self.fps = fps
        self.replies: list[tuple[str, tuple[Any, ...]]] = []
        self.events: list[tuple[str, tuple[Any, ...]]] = []
        engine.listeners.append(lambda event, args: self.events.append((event, args)))

    # -- time --------------------------------------------------------------------
    def step(self) -> pygame.Surface:
        """One frame at the pilot's frame rate."""
        self.clock.advance(1.0 / self.fps)
        return self.engine.step()

    def advance(self, seconds: float) -> pygame.Surface:
        """Play `seconds` of show time frame by frame (every frame is really drawn)."""
        frames = max(1, round(seconds * self.fps))
        for _ in range(frames):
            self.step()
        return self.engine.frame

    def frame(self) -> pygame.Surface:
        return self.engine.frame.copy()

    # -- input -------------------------------------------------------------------
    def _reply(self, address: str, args: tuple[Any, ...]) -> None:
        self.replies.append((address, args))

    def command(self, name: str, *args: Any, source: str = "test", scene: str | None = None,
                pos: tuple[float, float] | None = None) -> None:
        self.engine.post(Command(name, tuple(args), pos=pos, source=source, scene=scene, reply=self._reply))
        self.step()

    def tap(self, x: float, y: float) -> None:
        """A finger tap at show pixels, through the same path a touch screen uses."""
        touch = self.engine.services.get("touch")
        if touch is not None and hasattr(touch, "tap_for_test"):
            touch.tap_for_test(self.engine, x, y, self.clock)
            self.step()
        else:
            self.command("tap", source="touch", pos=(x, y))

    def key(self, key: int, mods: int = 0) -> None:
        command = command_for_key(key, mods, self.engine.paused)
        if command is not None:
            self.engine.post(command)
        self.step()

    def osc(self, address: str, *args: Any) -> None:
        """An OSC message as if it arrived from the network (through the real dispatcher)."""
        osc = self.engine.services.get("osc")
        if osc is None:
            raise RuntimeError("OSC is not enabled in this show")
        osc.inject(address, *args, reply=self._reply)
        self.step()

    @property
    def scene_id(self) -> str | None:
        current = self.engine.sequencer.current
        return current.scene_id if current else None


@contextlib.contextmanager
def run_test(show: Show | Path | str, *, fps: float = 30.0, size: tuple[int, int] | None = None,
             raise_faults: bool = True, services: dict[str, Any] | None = None) -> Iterator[Pilot]:
    init_pygame(headless=True)
    if not isinstance(show, Show):
        show = load_show(show)
    if size is not None:
        show.set_display(size=tuple(size))
    clock = FakeClock()
    engine = Engine(show, clock, services=services, synchronous_prepare=True, raise_faults=raise_faults)
    pilot = Pilot(engine, clock, fps)
    try:
        engine.step()
        yield pilot
    finally:
        engine.shutdown()
    if raise_faults and engine.sequencer.caught:
        raise engine.sequencer.caught[0]
