"""A playlist entry being shown or readied: the scene instance and what the sequencer
and the readying worker know about it. Its own module so that both can name it without
importing each other."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .config.common import Transition
    from .scenes.base import Scene


@dataclass
class Slot:
    """A scene instance and the sequencer's bookkeeping about it."""

    scene_id: str
    scene: Scene | None
    index: int
    elapsed: float = 0.0
    entered: bool = False
    prepared: Future | None = None
    prepare_started: float | None = None  # show time its prepare() was seen running (or last seen working)
    prepare_cpu: float | None = None  # its prepare thread's CPU time then
    overdue: bool = False  # set aside past PREPARE_DEADLINE_S, its prepare still running
    warming: Iterator[None] | None = None
    warmed: bool = False
    transition: Transition | None = None  # asked for with the switch to this slot
