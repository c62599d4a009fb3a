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
from .slot import Slot

log = logging.getLogger("bayard.sequencer")

FAULT_BACKOFF_S = (30.0, 60.0, 120.0, 300.0, 600.0)


@dataclass
class Fault:
    count: int = 0
    retry_at: float = 0.0
    last_message: str = ""
    history: list[str] = field(default_factory=list)


class FaultBoundary:
    """The Sequencer's fault handling (uses its faults, now, on_fault, raise_faults, caught,
    show, readying and slots).

    A fault is the scene's (its file, its media, its code), so its back-off skips it wherever
    the playlist lists it. The slot that failed leaves the screen, and a copy readied ahead for
    another of its places is let go; a copy on screen that did not fail plays to its end. A
    playlist listing a scene twice had its working copy on screen cut off mid-showing, with no
    transition, when the copy readied for its next place failed its prepare."""

    def _guarded(self, scene_id: str, phase: str, call: Callable[[], Any], default: Any = None,
                 slot: Slot | None = None) -> Any:
        """`call()`, or `default` where it raised; `slot`: the one whose scene was called
        (None where no slot holds it yet: a scene being built)."""
        try:
            return call()
        except Exception as exc:  # the fault boundary: a scene may fail, the show may not
            self._fault(scene_id, phase, exc, slot)
            return default

    def _fault(self, scene_id: str, phase: str, exc: BaseException, failed: Slot | None = None) -> None:
        if scene_id == "safe-mode":
            return
        fault = self.faults.setdefault(scene_id, Fault())
        backoff = FAULT_BACKOFF_S[min(fault.count, len(FAULT_BACKOFF_S) - 1)]
        fault.count += 1
        fault.retry_at = self.now() + backoff
        message = f"{type(exc).__name__}: {exc}"
        playing_on = self._take_off(scene_id, failed)
        places, plays_on = self._skipped_where(scene_id, playing_on)
        where = places + plays_on
        if message != fault.last_message:
            # Log the traceback once per distinct error, not every time it recurs.
            log.error("scene '%s' failed in %s and is skipped for %.0f s%s: %s\n%s", scene_id, phase, backoff,
                      where, message, "".join(traceback.format_exception(exc)).rstrip())
        else:
            log.error("scene '%s' failed again in %s (%d times); skipped for %.0f s%s", scene_id, phase,
                      fault.count, backoff, where)
        fault.last_message = message
        fault_record.report(scene_id, phase, exc)
        self.on_fault(scene_id, phase, message + (f"; skipped{places}" if places else "") + plays_on)
        if self.raise_faults:
            self.caught.append(exc)

    def _take_off(self, scene_id: str, failed: Slot | None) -> Slot | None:
        """Let go of the scene's slots but one on screen that did not fail; returns that one."""
        playing_on = None
        held = [getattr(self, slot_name) for slot_name in ("current", "outgoing", "upcoming", "pending")]
        placed = any(slot is failed for slot in held)
        if failed is not None and failed.scene is not None and not failed.entered and not placed:
            # A slot no place holds yet: a prepare readied at once (renders, tests) that failed
            # in _build, its film perhaps open; its caller only forgot it.
            self._let_go_unshown(failed)
        for slot in held:
            if slot is None or slot.scene_id != scene_id or slot.scene is None:
                continue
            if slot.entered and slot is not failed:
                playing_on = slot  # (on screen and working: it plays to its end)
                continue
            if slot.entered:
                with contextlib.suppress(Exception):  # already failing; exit errors add nothing useful
                    slot.scene.exit()
                slot.scene = None
            else:
                self._let_go_unshown(slot)
        return playing_on

    def _let_go_unshown(self, slot: Slot) -> None:
        """Release a readied scene that never showed, as a dropped slot is released: its prepare
        may have opened a film, whose decoder thread and ffmpeg process (a looping film's never
        ending) ran on for the rest of the show once the slot only forgot the scene. A prepare
        still running is released when it returns. The slot itself says at once that it failed
        (its scene None), as its callers look for."""
        unshown = Slot(slot.scene_id, slot.scene, slot.index, prepared=slot.prepared)
        slot.scene, slot.prepared = None, None
        self.readying.abandon(unshown, exit_unshown)

    def _skipped_where(self, scene_id: str, playing_on: Slot | None) -> tuple[str, str]:
        """Where the playlist skips the scene, said for a scene listed more than once (counted
        as the overlay and the 1-9 keys count), and the showing that plays on, if one does."""
        playlist = self.show.playlist
        places = [str(index + 1) for index, listed in enumerate(playlist) if listed == scene_id]
        said = f" at each of its places in the playlist (scenes {', '.join(places[:-1])} and {places[-1]})"
        return (said if len(places) > 1 else "",
                f"; its showing on screen (scene {playing_on.index + 1}) plays to its end" if playing_on else "")


def exit_unshown(slot: Slot) -> None:
    """exit() a scene that was never shown, wherever it is let go (failed while readied, skipped
    past its prepare's deadline, left by navigation while it prepared): only to close what its
    prepare opened. Its exit failing is no new fault of the show: a scene let go while its prepare
    still ran was exited later through the sequencer's release, where the same error counted as
    a fresh "exit" fault (a second count and a longer back-off for one hung drive). Said once,
    in the log."""
    scene, slot.scene = slot.scene, None
    if scene is None:
        return
    try:
        scene.exit()
    except Exception as exc:  # (never shown: nothing on screen or in the playlist depends on it)
        log.warning("scene '%s', let go before it was shown, failed in its exit (not counted as a fault): %s: %s",
                    slot.scene_id, type(exc).__name__, exc)
