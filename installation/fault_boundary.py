"""The fault boundary: every call into a scene goes through `_guarded`, and a scene that
raises is logged once with its traceback, reported to the process-wide fault record,
taken off screen and skipped with a growing back-off. A mixin of Sequencer, which owns
the slots, the clock and the callbacks it uses."""

from __future__ import annotations

import contextlib
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import faults as fault_record

log = logging.getLogger("bayard.sequencer")

FAULT_BACKOFF_S = (30.0, 60.0, 120.0, 300.0, 600.0)


@dataclass
class Fault:
    count: int = 0
    retry_at: float = 0.0
    last_message: str = ""
    history: list[str] = field(default_factory=list)


class FaultBoundary:
    """The Sequencer's fault handling (uses its faults, now, on_fault, raise_faults, caught
    and slots)."""

    def _guarded(self, scene_id: str, phase: str, call: Callable[[], Any], default: Any = None) -> Any:
        try:
            return call()
        except Exception as exc:  # the fault boundary: a scene may fail, the show may not
            self._fault(scene_id, phase, exc)
            return default

    def _fault(self, scene_id: str, phase: str, exc: BaseException) -> None:
        if scene_id == "safe-mode":
            return
        fault = self.faults.setdefault(scene_id, Fault())
        backoff = FAULT_BACKOFF_S[min(fault.count, len(FAULT_BACKOFF_S) - 1)]
        fault.count += 1
        fault.retry_at = self.now() + backoff
        message = f"{type(exc).__name__}: {exc}"
        if message != fault.last_message:
            # Log the traceback once per distinct error, not every time it recurs.
            log.error("scene '%s' failed in %s and is skipped for %.0f s: %s\n%s", scene_id, phase, backoff,
                      message, "".join(traceback.format_exception(exc)).rstrip())
        else:
            log.error("scene '%s' failed again in %s (%d times); skipped for %.0f s", scene_id, phase,
                      fault.count, backoff)
        fault.last_message = message
        fault_record.report(scene_id, phase, exc)
        self.on_fault(scene_id, phase, message)
        if self.raise_faults:
            self.caught.append(exc)
        for slot_name in ("current", "outgoing", "upcoming", "pending"):
            slot = getattr(self, slot_name)
            if slot is not None and slot.scene_id == scene_id and slot.scene is not None:
                if slot.entered:
                    with contextlib.suppress(Exception):  # already failing; exit errors add nothing useful
                        slot.scene.exit()
                slot.scene = None
