"""Fault isolation at the scene boundary: one broken scene never stops the show.

The engine runs each scene's enter/update/draw through `FaultTracker.call()`. An
exception there is caught (the one place a broad except is right: an appliance must
degrade, not crash), logged once with its traceback, and the scene is marked faulted:
the sequencer skips it and tries it again later, waiting longer after each failure
(30 s, 1 min, 2 min ... up to 15 min), so a scene broken by a missing file recovers
once the file is back, and a scene that is simply broken costs almost nothing.
If every scene is faulted, `all_faulted()` tells the engine to play the safe-mode card.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

log = logging.getLogger("bayard.runtime.faults")


@dataclass
class Fault:
    scene: str
    phase: str  # "load", "enter", "update", "draw", "handle", "exit"
    error: str  # "ZeroDivisionError: division by zero"
    count: int  # consecutive faults
    at: float  # clock time of the last fault
    retry_at: float

    def as_dict(self) -> dict[str, Any]:
        return {"phase": self.phase, "error": self.error, "count": self.count, "retry_at": round(self.retry_at, 1)}


class FaultTracker:
    def __init__(
        self,
        clock: Callable[[], float],
        base_backoff_s: float = 30.0,
        max_backoff_s: float = 15 * 60.0,
        on_fault: Callable[[Fault], None] | None = None,
        logger: logging.Logger = log,
    ) -> None:
        self._clock = clock
        self.base_backoff_s = base_backoff_s
        self.max_backoff_s = max_backoff_s
        self.on_fault = on_fault  # e.g. push an OSC event, count in Health
        self.log = logger
        self.faults: dict[str, Fault] = {}
        self.total = 0

    def call(self, scene: str, phase: str, fn: Callable[..., T], *args: Any) -> tuple[bool, T | None]:
        """Run fn(*args); on an exception record a fault and return (False, None)."""
        try:
            return True, fn(*args)
        except Exception as error:  # the scene boundary: degrade, never crash the show
            self.fault(scene, phase, error)
            return False, None

    def fault(self, scene: str, phase: str, error: BaseException) -> Fault:
        now = self._clock()
        text = f"{type(error).__name__}: {error}"
        previous = self.faults.get(scene)
        count = previous.count + 1 if previous else 1
        wait = min(self.base_backoff_s * 2 ** (count - 1), self.max_backoff_s)
        fault = Fault(scene, phase, text, count, now, now + wait)
        self.faults[scene] = fault
        self.total += 1
        same = previous is not None and previous.error == text and previous.phase == phase
        if same:
            # The traceback was logged the first time; a one-line reminder is enough.
            self.log.warning("scene '%s' failed again in %s (%d times in a row): %s; next try in %.0f s",
                             scene, phase, count, text, wait)
        else:
            where = "".join(traceback.format_exception(type(error), error, error.__traceback__)).rstrip()
            self.log.error("scene '%s' failed in %s: %s; it is skipped and tried again in %.0f s\n%s",
                           scene, phase, text, wait, where)
        if self.on_fault is not None:
            try:
                self.on_fault(fault)
            except Exception:  # a broken listener must not turn a scene fault into a crash
                self.log.exception("fault listener failed")
        return fault

    def available(self, scene: str) -> bool:
        """May the sequencer show this scene now? True if healthy or its retry is due."""
        fault = self.faults.get(scene)
        return fault is None or self._clock() >= fault.retry_at

    def recovered(self, scene: str) -> None:
        """Call after a scene played a while without failing: forget its faults."""
        fault = self.faults.pop(scene, None)
        if fault is not None:
            self.log.warning("scene '%s' is playing again after %d failure(s)", scene, fault.count)

    def all_faulted(self, scenes: Iterable[str]) -> bool:
        """True when no scene of the playlist may be shown now (time for the safe-mode card)."""
        scenes = list(scenes)
        return not scenes or not any(self.available(s) for s in scenes)

    def forget(self, keep: Iterable[str]) -> None:
        """After a reload: drop faults of scenes that no longer exist; the rest keep their
        backoff (an edited scene is a new scene: the engine calls `recovered` for it)."""
        keep = set(keep)
        for scene in [s for s in self.faults if s not in keep]:
            del self.faults[scene]

    def status(self) -> dict[str, Any]:
        return {scene: fault.as_dict() for scene, fault in self.faults.items()}
