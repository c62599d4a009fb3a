"""What plays when: the playlist, scene lifetimes, transitions and the fault boundary.

The sequencer plays the playlist forever. Each scene runs for its duration (from the
scene file, else the scene's own length, else the show's default), unless a visitor
is using it (`holding`) and has touched it within the idle timeout. Scenes are built
fresh each time they play, and the next one is built and prepared on a worker thread
while the current one shows, so a transition never waits on disk.

Navigation (next, prev, goto) is an intent: within one frame it collapses to its net
effect, and a switch happens only once the target scene is ready (installation.readying);
until then the scene on screen keeps playing and the frame never waits.

Every call into a scene goes through `_guarded`: an exception there is logged once
with its traceback, the scene is marked faulted and skipped, and it is retried later
with a growing back-off (installation.fault_boundary). If nothing can play, a safe card
plays instead; the screen is never left black by a fault. What the sequencer reports is
in installation.sequencer_status, how it draws a frame (a crossfade) in
installation.sequencer_draw, how next, prev and goto become one intent a frame in
installation.sequencer_navigation, and the Slot it moves through the playlist in
installation.slot.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

from .commands import Command
from .config.common import Transition
from .fault_boundary import Fault, FaultBoundary, exit_unshown
from .inputs.osc.pattern import scene_matches
from .readying import Readying
from .safecard import SafeCard
from .scenes.base import SCENE_KINDS, Scene, SceneContext
from .sequencer_draw import SequencerDrawing
from .sequencer_navigation import Navigating
from .sequencer_status import SequencerReporting
from .slot import Slot

if TYPE_CHECKING:
    from .config.loader import Show

log = logging.getLogger("bayard.sequencer")

# The next scene is built and prepared this long after a transition has finished, not
# during it: on two cores, decoding the next scene's media while two scenes are being
# blended is what made crossfades stutter.
PREBUILD_AFTER_S = 0.5


class Sequencer(FaultBoundary, Navigating, SequencerDrawing, SequencerReporting):
    def __init__(
        self,
        show: Show,
        context_for: Callable[[str], SceneContext],
        clock_now: Callable[[], float],
        on_change: Callable[[str, str], None] = lambda scene_id, title: None,
        on_fault: Callable[[str, str, str], None] = lambda scene_id, phase, message: None,
        synchronous_prepare: bool = False,
        raise_faults: bool = False,
        work_clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.show = show
        self.context_for = context_for
        self.now = clock_now
        self.on_change = on_change
        self.on_fault = on_fault
        self.synchronous_prepare = synchronous_prepare
        self.raise_faults = raise_faults
        self.caught: list[BaseException] = []
        self.faults: dict[str, Fault] = {}
        self.pending_show: Show | None = None
        self.last_input = -math.inf
        self.readying = Readying(self._fault, synchronous_prepare, work_clock, now=clock_now)
        self.current: Slot | None = None
        self.outgoing: Slot | None = None
        self.upcoming: Slot | None = None  # the next scene in the playlist, readied ahead
        self.pending: Slot | None = None  # a switch asked for, waiting until its scene is ready
        self._wanted: tuple[int, int] | None = None  # (index, step) navigated to this frame
        self.transition = Transition(kind="cut", duration=0.0)
        self.transition_t = 0.0
        self._safe: SafeCard | None = None
        self.resume_index = 0
        self._buffers: dict[int, pygame.Surface] = {}
        self.size = show.config.display.size

    # -- building scenes --------------------------------------------------------
    def _build(self, index: int) -> Slot | None:
        playlist = self.show.playlist
        if not playlist:
            return None
        index %= len(playlist)
        scene_id = playlist[index]
        config = self.show.scenes[scene_id]
        def build() -> Scene:
            return SCENE_KINDS.get(config.type)(config, self.context_for(scene_id))

        scene = self._guarded(scene_id, "build", build)
        if scene is None:
            return None
        slot = Slot(scene_id, scene, index)
        return slot if self.readying.begin(slot) else None

    def _playable(self, index: int) -> bool:
        playlist = self.show.playlist
        scene_id = playlist[index % len(playlist)]
        fault = self.faults.get(scene_id)
        if fault is not None and fault.retry_at > self.now():
            return False
        # Its back-off may end while its last prepare still hangs on a drive: wait for that one.
        return not self.readying.stuck(scene_id, self.show.scenes.get(scene_id))

    def _next_playable(self, start: int, step: int) -> int | None:
        playlist = self.show.playlist
        for offset in range(len(playlist)):
            index = (start + step * offset) % len(playlist)
            if self._playable(index):
                return index
        return None

    # -- moving through the playlist --------------------------------------------
    def start(self) -> None:
        self.goto_index(self.resume_index, Transition(kind="cut", duration=0.0))

    def suspend(self) -> None:
        """Exit every scene (closed hours): cameras, workers and models are released.
        `start()` later resumes at the scene that was showing."""
        if self.current is not None and self.current.index >= 0:
            self.resume_index = self.current.index
        self._wanted = None
        for slot in (self.pending, self.upcoming, self.outgoing, self.current):
            self._drop(slot)
        self.pending = self.upcoming = self.outgoing = self.current = None

    def goto_index(self, index: int, transition: Transition | None = None, step: int = 1) -> None:
        """Switch to the playlist entry at `index` (or the next playable one in the
        direction of `step`) as soon as its scene is ready; never waits for it."""
        if self.pending_show is not None:
            self.show, self.pending_show = self.pending_show, None
            self.faults.clear()
            self._drop(self.upcoming)
            self._drop(self.pending)
            self.upcoming = self.pending = None
        playlist = self.show.playlist
        if not playlist:
            self._enter_safe("nothing to play")
            return
        target = self._next_playable(index, step)
        if target is None:
            self._enter_safe("every scene is faulted")
            return
        if self.pending is not None and self.pending.index == target and self.pending.scene is not None:
            self.pending.transition = transition  # already on its way: the newest intent's transition
            self._settle_pending()
            return
        self._drop(self.pending)
        self.pending = None
        slot = None
        if self.upcoming is not None and self.upcoming.index == target % len(playlist) and self.upcoming.scene:
            slot, self.upcoming = self.upcoming, None
        else:
            self._drop(self.upcoming)
            self.upcoming = None
            for _ in range(len(playlist)):
                slot = self._build(target)
                if slot is not None:
                    break
                target = self._next_playable(target + step, step)
                if target is None:
                    break
        if slot is None:
            self._enter_safe("every scene is faulted")
            return
        slot.transition = transition
        self.pending = slot
        self._settle_pending()

    def _settle_pending(self, deadline: float | None = None) -> None:
        """Switch to the pending slot if it is ready (or has failed); otherwise leave the
        current scene on screen and try again next frame."""
        slot = self.pending
        if slot is None:
            return
        if not self.readying.ready(slot, deadline if deadline is not None else self.readying.deadline()):
            return
        self.pending = None
        if slot.scene is None:  # it failed while getting ready: already reported
            self.goto_index(slot.index + 1)
            return
        self._switch_to(slot, slot.transition)

    def settle(self) -> None:
        """Once per frame, after the frame's commands: carry out this frame's net
        navigation, release abandoned scenes, and ready what comes next in a time slice."""
        if self._wanted is not None:
            index, step = self._wanted
            self._wanted = None
            self.goto_index(index, step=step)
        self.readying.reap(self._release)
        deadline = self.readying.deadline()
        self._settle_pending(deadline)
        if self.pending is None and self.upcoming is not None and self.outgoing is None:
            # Warm the next scene while this one plays, so its switch costs nothing. Not
            # during a crossfade: two scenes are being drawn then.
            self.readying.ready(self.upcoming, deadline)

    def _switch_to(self, slot: Slot, transition: Transition | None) -> None:
        config = self.show.scenes[slot.scene_id]
        transition = transition or config.transition or self.show.config.transitions.default
        # (a crossfade cut short: the scene that leaves now had its words only part way in)
        self.words_leaving_from = self.words_now()[1]
        if self.outgoing is not None:
            self._drop(self.outgoing)
        self.outgoing = self.current if transition.kind == "crossfade" and transition.duration > 0 else None
        if self.outgoing is not None and self.outgoing.scene is not None:
            out = self.outgoing
            self._guarded(out.scene_id, "leaving", lambda: out.scene.leaving(transition.duration), slot=out)
        if self.outgoing is None:
            self._drop(self.current)
        self.current = slot
        self.transition = transition
        self.transition_t = 0.0
        self._guarded(slot.scene_id, "enter", slot.scene.enter, slot=slot)
        slot.entered = slot.scene is not None
        if slot.scene is None:
            self.current = self.outgoing
            self.outgoing = None
            self.goto_index(slot.index + 1)
            return
        self.on_change(slot.scene_id, config.title)

    def _prebuild_next(self) -> None:
        playlist = self.show.playlist
        if self.pending_show is not None:
            return  # the next scene comes from the reloaded show, built at the switch
        if self.current is None or not playlist or len(playlist) < 2:
            return
        target = self._next_playable(self.current.index + 1, 1)
        if target is None or target == self.current.index:
            return
        self.upcoming = self._build(target)

    def hold_safe(self, reason: str) -> None:
        """Play only the safe card until the show is reloaded (crash-loop safe mode): an
        empty playlist cannot fail in a scene. A later reload brings the full show back."""
        self.show = dataclasses.replace(self.show, scenes={}, scene_files={})
        self._wanted = None
        self._drop(self.pending)
        self._drop(self.upcoming)
        self.pending = self.upcoming = None
        self._enter_safe(reason)

    def _enter_safe(self, why: str) -> None:
        log.error("safe mode: %s; the safe card plays and scenes are retried as their back-off ends", why)
        if self._safe is None:
            self._safe = SafeCard(self.context_for("safe-mode"), why)
        self._drop(self.pending)
        self.pending = None
        self._drop(self.current)
        self._drop(self.outgoing)
        self.outgoing = None
        self.current = Slot("safe-mode", self._safe, -1, entered=True)
        self.on_change("safe-mode", "Safe mode")

    def _drop(self, slot: Slot | None) -> None:
        if slot is None or slot.scene is None or slot.scene is self._safe:
            return
        if slot.entered:
            self._release(slot)
        else:
            self.readying.abandon(slot, self._release)

    def _release(self, slot: Slot) -> None:
        """exit() a scene that was entered or prepared: a prepared film holds a decoder. One never
        shown is let go as the fault boundary lets it go (exit_unshown): quietly."""
        if not slot.entered:
            exit_unshown(slot)
            return
        scene, slot.scene = slot.scene, None
        if scene is not None and scene is not self._safe:
            self._guarded(slot.scene_id, "exit", scene.exit, slot=slot)

    # -- per frame -------------------------------------------------------------
    @property
    def in_transition(self) -> bool:
        return self.outgoing is not None

    def note_input(self) -> None:
        self.last_input = self.now()

    def scene_duration(self, slot: Slot) -> float | None:
        config = self.show.scenes.get(slot.scene_id)
        if config is not None and config.duration:
            return config.duration
        natural = self._guarded(slot.scene_id, "natural_duration", slot.scene.natural_duration, slot=slot)
        if natural is not None:
            return natural
        return self.show.config.attract.default_duration

    def update(self, dt: float) -> None:
        current = self.current
        if current is None:
            self.start()
            return
        if current.scene is None:
            self.goto_index(current.index + 1)
            return
        current.elapsed += dt
        self._guarded(current.scene_id, "update", lambda: current.scene.update(dt), slot=current)
        if self.outgoing is not None:
            out = self.outgoing
            if out.scene is not None:
                self._guarded(out.scene_id, "update", lambda: out.scene.update(dt), slot=out)
            self.transition_t += dt
            if self.transition_t >= self.transition.duration or out.scene is None:
                self._drop(self.outgoing)
                self.outgoing = None
        if current.scene is self._safe:
            # Leave safe mode once something can play again (a fixed show was reloaded,
            # or a faulted scene's back-off ended).
            candidate = self.pending_show or self.show
            if candidate.playlist and current.elapsed > 5.0 and (
                    self.pending_show is not None or self._next_playable(0, 1) is not None):
                self.goto_index(0)
            return
        if self.pending is not None or self._wanted is not None:
            return  # a switch is on its way: neither advance nor read ahead past it
        if self.current is current and current.scene is not None and self._should_advance(current):
            self.goto_index(current.index + 1)
            return
        if (self.upcoming is None and self.outgoing is None and self.current is current
                and current.elapsed >= self.transition.duration + PREBUILD_AFTER_S):
            self._prebuild_next()

    def _should_advance(self, slot: Slot) -> bool:
        scene = slot.scene
        idle_timeout = self._guarded(slot.scene_id, "idle_limit", scene.idle_limit, slot=slot)
        if idle_timeout is None:
            idle_timeout = self.show.config.attract.idle_timeout
        if (self._guarded(slot.scene_id, "holding", lambda: scene.holding, False, slot)
                and self.now() - self.last_input < idle_timeout):
            return False
        if self._guarded(slot.scene_id, "finished", lambda: scene.finished, False, slot):
            return True
        duration = self.scene_duration(slot)
        return duration is not None and slot.elapsed >= duration

    def handle(self, command: Command) -> bool:
        current = self.current
        if current is None or current.scene is None:
            return False
        if command.scene is not None and not scene_matches(command.scene, current.scene_id):
            return False
        return bool(self._guarded(current.scene_id, "handle", lambda: current.scene.handle(command), False, current))

    def shutdown(self) -> None:
        for slot in (self.pending, self.upcoming, self.outgoing, self.current):
            self._drop(slot)
        self.readying.shutdown(self._release)

    def wait_prepared(self, timeout: float = 10.0) -> None:
        """Block until the upcoming scene is prepared (deterministic renders and tests)."""
        deadline = time.monotonic() + timeout
        for slot in (self.upcoming, self.pending):
            if slot is not None and slot.prepared is not None:
                with contextlib.suppress(Exception):  # surfaced when the slot is switched to
                    slot.prepared.result(timeout=max(0.0, deadline - time.monotonic()))
