"""The engine: one frame at a time, on the main thread.

Each frame: drain the command queue (keys, touch, OSC, file watcher, schedule all
post Commands), advance the sequencer by the clock's delta (clamped, so a hitch such
as a model loading does not make animations jump), draw into the show-sized frame,
then hand the frame to whoever presents it (a window, a video encoder, a test).
What a command does is in installation.engine_commands, the reload of the show files in
installation.engine_reload and what the engine reports in installation.engine_status.
"""

from __future__ import annotations

import logging
import os
import queue
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pygame

from . import __version__, faults
from .clock import Clock
from .commands import Command, CommandQueue
from .config.loader import Show
from .config.media_check import named_media
from .counted import counted
from .engine_commands import Commanding
from .engine_reload import Reloading
from .engine_status import Reporting, closed_report
from .face_looks import FaceLooks, see_faces
from .missing_looks import MissingLooks
from .missing_said import MissingSaid
from .models.device import use_show_device
from .scenes.base import SceneContext
from .screenshots import Screenshots
from .sequencer import Sequencer
from .textlog import type_side
from .typefaces import show_faces
from .typography import Fonts
from .words import use_show_words

log = logging.getLogger("bayard.engine")

MAX_STEP_S = 0.1  # a longer frame (a hitch) advances animations by at most this much
RECENT_ERRORS = 20
# A closure at least this long (closing time overnight) reopens at the playlist's first
# scene; a shorter one (an override for a few minutes) resumes where it was.
FROM_THE_TOP_AFTER_S = 600.0


def init_pygame(headless: bool) -> None:
    """Initialise only what we use: no audio device needed, and none on a kiosk is assumed."""
    if headless:
        os.environ["SDL_VIDEODRIVER"] = "dummy"
        # No sound device is assumed without a screen (servers, CI); on a kiosk SDL picks
        # the real output, so films with `audio = true` are heard.
        os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    # Touches arrive as FINGER events; SDL's synthesised mouse events would double them.
    os.environ.setdefault("SDL_TOUCH_MOUSE_EVENTS", "0")
    if not pygame.display.get_init():
        pygame.display.init()
    if not pygame.font.get_init():
        pygame.font.init()


@dataclass
class FrameStats:
    """Frame times over a sliding window, for status and the overlay."""

    window: deque

    @classmethod
    def create(cls, size: int = 240) -> FrameStats:
        return cls(deque(maxlen=size))

    def add(self, seconds: float) -> None:
        self.window.append(seconds)

    @property
    def fps(self) -> float:
        total = sum(self.window)
        return len(self.window) / total if total > 0 else 0.0


class Engine(Commanding, Reloading, Reporting):
    def __init__(
        self,
        show: Show,
        clock: Clock,
        *,
        services: dict[str, Any] | None = None,
        synchronous_prepare: bool = False,
        raise_faults: bool = False,
    ) -> None:
        self.show = show
        use_show_words(getattr(show, "words", None))  # the words scenes choose as they play
        use_show_device(show.config.models.device)
        self.clock = clock
        self.size = show.config.display.size
        self.queue = CommandQueue()
        self.fonts = Fonts(type_side(self.size), extra_faces=show_faces(show.root))
        self._face_looks = FaceLooks()
        self.frame = pygame.Surface(self.size)
        self.frame.fill((0, 0, 0))
        self.services = services if services is not None else {}
        self.listeners: list[Callable[[str, tuple[Any, ...]], None]] = []
        self.frame_hooks: list[Callable[[Engine], None]] = []
        # Called with (old show, new show) after a reload is accepted: settings their owners
        # apply at once (opening hours, the overlay's PIN).
        self.reload_hooks: list[Callable[[Show, Show], None]] = []
        self.overlays: list[Any] = []  # objects with draw(surface) and handle(command) -> bool
        self.errors: deque[dict[str, Any]] = deque(maxlen=RECENT_ERRORS)
        self.last_reload: dict[str, Any] | None = None  # when, and whether it applied (status)
        self.screenshots = Screenshots()
        self._reports: queue.SimpleQueue[tuple[str, str, str]] = queue.SimpleQueue()  # from SceneContext.report
        self._found: queue.SimpleQueue[str] = queue.SimpleQueue()  # from SceneContext.found
        self._missing_looks = MissingLooks(clock.now)  # (a file copied in leaves the list without a reload)
        self._resting: set[str] = set()  # scenes with nothing to play at their last showing (SceneContext.resting)
        # A reload may bring a resting scene's film in (or name another folder): what its last
        # showing found no longer holds, and a loop with its card up waited its whole duration
        # before handing over to the scene that now had something to play. Each scene says again
        # at its next showing.
        self.reload_hooks.append(lambda old, new: self._resting.clear())
        # What `bayard run` logged of the show's missing media at its start: a reload says again
        # only what changed since.
        self.missing_said = MissingSaid(show.missing_media)
        self.paused = False
        self.blackout = False
        self.dark_reason: str | None = None  # "closed" outside opening hours, set by the schedule
        self._suspended = False
        self._suspended_at = 0.0
        self.running = True
        self.started = clock.now()
        self.deterministic = synchronous_prepare
        self.frames = 0
        self.stats = FrameStats.create()
        self._last = clock.now()
        self.sequencer = Sequencer(
            show,
            self._context_for,
            clock.now,
            on_change=self._on_change,
            on_fault=self._on_fault,
            synchronous_prepare=synchronous_prepare,
            raise_faults=raise_faults,
        )
        for problem in show.problems:
            self.record_error("config", str(problem), severity=problem.severity)
        self.say_last_good_trouble()  # (the copy `bayard run` made before the show started)
        # The title is "shown in logs, status and the overlay": a log read later (or from
        # several kiosks) says which show it was.
        log.info("bayard %s: show '%s' from %s: %s in the playlist", __version__,
                 show.config.show.title, show.path, counted(len(show.playlist), "scene"))

    # -- wiring ------------------------------------------------------------------
    def _context_for(self, scene_id: str) -> SceneContext:
        # A face replaced on the show's stick is used from the scene being built on; looked at
        # off the render thread in a live show (a stick that hangs froze the screen here).
        seen = see_faces(self.show.root) if self.deterministic else self._face_looks.latest(self.show.root)
        if seen is not None:
            self.fonts.refresh(seen.faces, seen.stats)
        return SceneContext(
            clock=self.clock,
            size=self.size,
            content_root=self.show.content_root,
            state_dir=self.show.state_dir,
            fonts=self.fonts,
            emit=lambda event, args: self.emit(f"{event}", *args),
            services=self.services,
            log=logging.getLogger("bayard.scene"),
            show_config=self.show.config,
            models_dir=self.show.models_dir,
            show_root=self.show.root,
            scene_file=self.show.scene_files.get(scene_id),
            deterministic=self.deterministic,
            manifest=self.show.manifest,
            report=lambda message, severity="error": self._reports.put((scene_id, message, severity)),
            found=self._found.put,
            listed_missing=lambda relative: any(p.missing == relative for p in self.show.missing_media),
            named_media=frozenset(named_media(self.show)),
            another_to_show=lambda: self._another_to_show(scene_id),
            resting=lambda nothing: (self._resting.add if nothing else self._resting.discard)(scene_id),
        )

    def _another_to_show(self, scene_id: str) -> bool:
        """SceneContext.another_to_show: a scene other than `scene_id` the sequencer would play next
        (the show's loaded playlist, not install.toml's: a scene whose file has errors is left out)
        that is neither in its fault back-off nor known to have nothing to play."""
        sequencer = self.sequencer
        show = sequencer.pending_show or sequencer.show
        now = self.clock.now()
        for other in show.playlist:
            fault = sequencer.faults.get(other)
            if other != scene_id and other not in self._resting and (fault is None or fault.retry_at <= now):
                return True
        return False

    def post(self, command: Command) -> None:
        """Thread-safe: queue a command for the next frame."""
        self.queue.post(command)

    def emit(self, event: str, *args: Any) -> None:
        """Push an event (/bayard/event/<event>) to listeners such as OSC subscribers."""
        for listener in list(self.listeners):
            try:
                listener(event, args)
            except Exception:  # a listener (network push) must never stop a frame
                log.exception("event listener failed for %s", event)

    def _on_change(self, scene_id: str, title: str) -> None:
        log.info("scene: %s%s", scene_id, f" ({title})" if title else "")
        self.emit("scene", scene_id)

    def _on_fault(self, scene_id: str, phase: str, message: str) -> None:
        self.record_error(scene_id, f"{phase}: {message}")
        self.emit("error", scene_id, message)

    def record_error(self, where: str, message: str, severity: str = "error") -> None:
        """Remember a problem for /bayard/status and the operator overlay."""
        self.errors.append({"time": round(self.clock.wall(), 3), "where": where, "message": message,
                            "severity": severity})

    def _collect_reports(self) -> None:
        while not self._found.empty():
            self._media_found(self._found.get_nowait())
        missing = [p.missing for p in self.show.missing_media if p.missing]
        for relative in self._missing_looks.found(self.show.content_root, missing):
            self._media_found(relative)
        while not self._reports.empty():
            where, message, severity = self._reports.get_nowait()
            # A scene built anew each loop reports the same missing file each time: once
            # in the list is enough while it is still there (and not mended, or let go, since).
            if any(e["where"] == where and e["message"] == message and not closed_report(e) for e in self.errors):
                continue
            warning = severity == "warning"
            (log.warning if warning else log.error)("scene '%s': %s", where, message)
            self.record_error(where, message, "warning" if warning else "error")
            self.emit("warning" if warning else "error", where, message)

    def _media_found(self, relative: str) -> None:
        """A media file a scene found there is no longer missing: the show's files listed it when
        they were read, and a technician who copied it in (no reload: the watcher reloads for
        the show's own files, not content) saw it on the overlay as missing while it played."""
        said = f"media file '{relative}' not found in "
        missing = self.show.missing_media
        if any(p.missing == relative for p in missing):
            # (A new list, not one changed in place: status reads it from the OSC thread.)
            self.show.missing_media = [p for p in missing if p.missing != relative]
            kept = [e for e in self.errors if not e["message"].startswith(said)]  # (its scene's report)
            self.errors.clear()
            self.errors.extend(kept)
            log.info("%s is there again", relative)
            self.missing_said.found(relative)  # (should it go missing again, it is said again)

    # -- one frame ---------------------------------------------------------------
    def seconds_since_frame(self) -> float:
        """How long ago the last frame was drawn (thread-safe: one float read)."""
        return self.clock.now() - self._last

    def step(self) -> pygame.Surface:
        now = self.clock.now()
        raw_dt = max(0.0, now - self._last)
        self._last = now
        if self.frames:
            self.stats.add(raw_dt)
        dt = min(raw_dt, MAX_STEP_S)
        self.fonts.log.begin_frame()
        self._collect_reports()
        for command in self.queue.drain():
            self.dispatch(command)
        self.land_reload()  # (a live reload lands at the first frame after its files were read)
        self.say_last_good_trouble()  # (copies are made on a thread of their own)
        if self.dark_reason and not self._suspended:
            # Closed: release scenes (camera, model workers) rather than run them unseen.
            self.sequencer.suspend()
            self._suspended = True
            self._suspended_at = now
        elif not self.dark_reason and self._suspended:
            self._suspended = False
            if now - self._suspended_at >= FROM_THE_TOP_AFTER_S:
                # A morning's opening starts the show from its first scene (it resumed at
                # whatever was showing at closing time); a short closure resumes.
                self.sequencer.resume_index = 0
        if not self._suspended:
            if self.sequencer.current is None:
                self.sequencer.start()
            # Navigation asked for in this frame's commands, as one net move; scenes on
            # their way get ready in a time slice. Also while paused: a technician's goto works.
            self.sequencer.settle()
        if not self.paused and not self.dark_reason:
            self.sequencer.update(dt)
        self.note_standing()  # (for the pong's count and the status line: they may not ask a scene)
        if self.blackout or self.dark_reason:
            self.frame.fill((0, 0, 0))
            for overlay in self.overlays:
                if getattr(overlay, "draw_when_dark", False):
                    overlay.draw(self.frame)
        else:
            self.sequencer.draw(self.frame)
            for overlay in self.overlays:
                try:
                    overlay.draw(self.frame)
                except Exception as exc:  # an overlay is a helper, never a reason to lose the show
                    log.exception("overlay failed to draw; removed")
                    self.overlays.remove(overlay)
                    faults.report("overlay", "draw", exc)
        self.frames += 1
        for hook in self.frame_hooks:
            try:
                hook(self)
            except Exception as exc:  # watchdog/metrics hooks are best-effort per frame
                log.exception("frame hook failed")
                faults.report("engine", "frame hook", exc)
        return self.frame

    # -- operations --------------------------------------------------------------
    def screenshot(self, folder: Path | None = None) -> Path:
        configured = self.show.config.osc.screenshots
        if folder is None and configured:
            folder = Path(configured) if Path(configured).is_absolute() else self.show.root / configured
        folder = folder or (self.show.state_dir / "screenshots")
        return self.screenshots.take(self._shareable_frame(), folder, self.clock.now(), self.clock.wall(),
                                     self.frames)

    def _shareable_frame(self) -> pygame.Surface:
        """The frame with every camera picture of a visitor left out (the portrait's mirror):
        a screenshot is a file a technician may send anywhere, and camera frames never reach
        disk unless recording is on (and recordings hold the portrait, never the camera)."""
        private = []
        for slot in (self.sequencer.current, self.sequencer.outgoing):
            if slot is not None and slot.scene is not None:
                rects = self.sequencer._guarded(slot.scene_id, "private_rects", slot.scene.private_rects, slot=slot)
                if rects is None:  # a scene that cannot say: no picture rather than a visitor's face
                    raise OSError(f"scene '{slot.scene_id}' could not say where camera pictures are; "
                                  "no screenshot was saved")
                private += rects
        if not private:
            return self.frame
        frame = self.frame.copy()
        for rect in private:
            frame.fill((40, 38, 36), rect)
        return frame

    def shutdown(self) -> None:
        self.sequencer.shutdown()
        self.keep_last_good_at_exit()
        use_show_words(None)  # (the next show in this process starts from the built-in words)
        for service in self.services.values():
            close = getattr(service, "close", None)
            if callable(close):
                try:
                    close()
                except Exception:  # closing is best-effort at exit
                    log.exception("service failed to close")
