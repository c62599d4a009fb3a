"""Time sources. The engine never reads the wall clock itself: it is handed a clock,
so tests and offline renders can step time exactly."""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Monotonic seconds; only differences matter."""

    def wall(self) -> float:
        """Wall-clock seconds since the epoch (for opening hours and logs)."""


class SystemClock:
    """The real clock: monotonic for animation, wall time for schedules."""

    def now(self) -> float:
        return time.monotonic()

    def wall(self) -> float:
        return time.time()


class FakeClock:
    """A clock that only moves when told to; used by tests and deterministic renders."""

    def __init__(self, start: float = 0.0, wall_start: float = 1_767_225_600.0) -> None:
        # wall_start: 2026-01-01 00:00 UTC, a fixed date so renders never depend on today.
        self._now = start
        self._wall = wall_start

    def now(self) -> float:
        return self._now

    def wall(self) -> float:
        return self._wall

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a FakeClock only moves forward; use jump_wall() for wall-clock jumps")
        self._now += seconds
        self._wall += seconds

    def jump_wall(self, seconds: float) -> None:
        """Move only the wall clock (an NTP correction or a DST change)."""
        self._wall += seconds
