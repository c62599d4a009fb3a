"""Every fault the fault boundary catches, in one process-wide record.

The sequencer keeps the show alive when a scene raises; that is right on the gallery
floor and wrong everywhere else. A fault that the boundary swallowed once hid a scene
that failed on every exit while the tests and a 24 h soak passed. So each caught fault
is also reported here, and tests (tests/conftest.py), the soak and `bayard render
--strict` fail on any fault they did not inject themselves.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RecordedFault:
    scene_id: str
    phase: str
    message: str

    def __str__(self) -> str:
        return f"scene '{self.scene_id}' failed in {self.phase}: {self.message}"


_listeners: list[Callable[[RecordedFault], None]] = []
_lock = threading.Lock()


def report(scene_id: str, phase: str, exc: BaseException) -> None:
    """Called by the fault boundary for each fault it catches."""
    fault = RecordedFault(scene_id, phase, f"{type(exc).__name__}: {exc}")
    with _lock:
        listeners = list(_listeners)
    for listener in listeners:
        listener(fault)


class FaultRecorder:
    """Collects every fault reported while it is active (a context manager)."""

    def __init__(self) -> None:
        self.faults: list[RecordedFault] = []

    def __enter__(self) -> FaultRecorder:
        with _lock:
            _listeners.append(self.faults.append)
        return self

    def __exit__(self, *exc_info: object) -> None:
        with _lock:
            _listeners.remove(self.faults.append)

    def summary(self, limit: int = 5) -> str:
        lines = [str(f) for f in self.faults[:limit]]
        if len(self.faults) > limit:
            lines.append(f"... and {len(self.faults) - limit} more")
        return "\n".join(lines)
