"""A scene kind for tests only: a flat colour that can hold, finish, or fail on demand."""

from __future__ import annotations

import threading
from typing import Literal

import pygame
from pydantic import Field

from installation.config.common import SceneConfig
from installation.scenes.base import SCENE_KINDS, Scene, Verb, register_scene
from installation.scenes.style import Colour, rgb


class ProbeConfig(SceneConfig):
    colour: Colour = Field(default="#ff0000", description="fill colour")
    hold: bool = Field(default=False, description="claim a visitor is using it")
    fail_in: Literal["", "build", "prepare", "enter", "update", "draw"] = Field(default="", description="raise here")
    finish_after: float | None = Field(default=None, description="report finished after this many seconds")
    gate: float = Field(default=0, ge=0, description="prepare() waits up to this long for ProbeScene.gates[id]")
    warm_pieces: int = Field(default=0, ge=0, description="warm() yields this many times")


class ProbeScene(Scene):
    Config = ProbeConfig
    config: ProbeConfig
    # What OSC may send it by name (/bayard/scene/<id>/answer), as a real kind declares.
    verbs = (Verb("answer", "<value>", "recorded in `handled`"),)
    log_of_calls: list[tuple[str, str]] = []
    # A test opens a scene's gate to let its prepare() finish (a slow disk, a big model).
    gates: dict[str, threading.Event] = {}

    def __init__(self, config, context) -> None:
        super().__init__(config, context)
        if config.fail_in == "build":
            raise RuntimeError("probe fails in build")
        self.t = 0.0
        self.handled: list[str] = []

    def _maybe_fail(self, phase: str) -> None:
        ProbeScene.log_of_calls.append((self.id, phase))
        if self.config.fail_in == phase:
            raise RuntimeError(f"probe fails in {phase}")

    def prepare(self) -> None:
        if self.config.gate:
            ProbeScene.gates.setdefault(self.id, threading.Event()).wait(self.config.gate)
        self._maybe_fail("prepare")

    def warm(self):
        for _ in range(self.config.warm_pieces):
            ProbeScene.log_of_calls.append((self.id, "warm"))
            yield

    def exit(self) -> None:
        ProbeScene.log_of_calls.append((self.id, "exit"))

    def enter(self) -> None:
        self._maybe_fail("enter")

    def update(self, dt: float) -> None:
        self.t += dt
        self._maybe_fail("update")

    def draw(self, surface: pygame.Surface) -> None:
        self._maybe_fail("draw")
        surface.fill(rgb(self.config.colour))

    def handle(self, command) -> bool:
        if command.name in ("tap", "answer"):
            self.handled.append(command.name)
            return True
        return False

    @property
    def holding(self) -> bool:
        return self.config.hold

    @property
    def finished(self) -> bool:
        return self.config.finish_after is not None and self.t >= self.config.finish_after


if "probe" not in SCENE_KINDS:
    register_scene("probe")(ProbeScene)


def probe(scene_id: str, colour: str = "#ff0000", duration: float | None = 5, **extra) -> str:
    lines = ['type = "probe"', f'id = "{scene_id}"', f'colour = "{colour}"']
    if duration is not None:
        lines.append(f"duration = {duration}")
    for key, value in extra.items():
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, str) and not value.startswith("{"):
            text = '"' + value + '"'
        else:
            text = str(value)
        lines.append(f"{key} = {text}")
    return "\n".join(lines) + "\n"
