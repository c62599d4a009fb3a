"""`portrait`: a visitor's face moves an old portrait, live.

Attract mode: the portrait breathes, blinks and glances (idle motion through the same
backend). A visitor arrives: a short card says what will happen and that nothing is
recorded; a framing guide and a countdown take their neutral pose (calibration); then the
portrait follows them, composited back into the whole picture, with their own camera
image small beside it, mirrored like a looking-glass. When they leave, it eases back to
attract mode. Swipe or tap the arrows to choose among several portraits.

Privacy: camera frames live in memory only (the camera thread, the animator worker and
this scene); nothing is written to disk or sent anywhere. `camera.recording = true` in
install.toml is the only switch that writes anything: then each live visit's animated
portrait (never the camera image) is kept as a clip in `<state folder>/recordings`
(see portrait_record.py), the card says so, and a red notice stays on screen.

With no camera (or an unplugged one) the scene stays in attract mode and says
"camera unavailable" discreetly; it never stops the show. With no portrait listed, or none
that can be animated, it animates the show's own sitter (Thoreau's 1856 daguerreotype,
public domain), and a drawn sitter if even that file is missing.

Here: the scene's lifetime and the visit's states. Its keys are in portrait_config.py;
loading the pictures, the camera and the animator in portrait_loading.py; the backend
choice in portrait_backend.py; what it draws in portrait_draw.py.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pygame

from ..words import words
from .base import Scene, Verb, register_scene
from .layout import overrun_message
from .portrait_backend import BackendChoice
from .portrait_check import check_portraits
from .portrait_config import PortraitConfig, PortraitItem
from .portrait_draw import WORDS, PortraitDrawing
from .portrait_loading import HOUSE_SITTER, HOUSE_SITTER_CREDIT, HOUSE_SITTER_TITLE, PortraitLoading, _Entry
from .portrait_record import VisitRecorder
from .portrait_sitter import draw_house_portrait

# Names tests, benches and other modules import from here.
__all__ = ["ARRIVE_S", "HOUSE_SITTER", "LEAVE_S", "STEADY_S", "PortraitConfig", "PortraitItem", "PortraitScene",
           "draw_house_portrait"]

# Seconds a face must be seen before the show reacts (a passer-by is not a visitor).
ARRIVE_S = 0.8
# Seconds without a face before the visit ends.
LEAVE_S = 2.5
# Seconds the visitor must hold a usable pose before the countdown starts.
STEADY_S = 0.6


@register_scene("portrait")
class PortraitScene(PortraitLoading, BackendChoice, PortraitDrawing, Scene):
    Config = PortraitConfig
    verbs = (
        Verb("tap", "", "on the resting card: start framing the visitor, as a touch would"),
        Verb("swipe", "<left|right>",
             "with several portraits listed: left (up, next) shows the next portrait, right (down, prev) the "
             "previous one"),
    )
    config: PortraitConfig
    check_content = staticmethod(check_portraits)  # `bayard check`: pictures that cannot animate

    def __init__(self, config: PortraitConfig, context) -> None:
        super().__init__(config, context)
        self.entries: list[_Entry] = []
        self.words_overrun = 0  # pixels the column's words need beyond it (portrait_draw._layout)
        self.index = 0
        self._ready = None  # (portrait index, (backend choice, animator)) built by prepare()
        self.state = "attract"  # attract / card / framing / countdown / live
        self.state_t = 0.0
        self.t = 0.0
        self.seen_s = 0.0
        self.missing_s = 0.0
        self.steady_s = 0.0
        self.camera = None
        self._own_camera = False
        self.worker = None
        self._no_other_backend = False
        self._replacing = None  # (failed backend, why, its successor once built) after a failure
        self.backend_name = ""
        self.backend_reason = ""
        self.problem = ""
        self.problems: list[str] = []
        self._backend_choice = None
        self._surface: pygame.Surface | None = None
        self._surface_key = None
        self._thumb: pygame.Surface | None = None
        # The arrays those two surfaces share their memory with (portrait_draw._portrait_surface).
        self._surface_pixels = None
        self._thumb_pixels = None
        self.recorder: VisitRecorder | None = None  # only when [camera] recording = true
        self._told_turned = False  # the technician has been told the camera seems turned
        self._fps_mark: tuple[float, int] | None = None  # (clock, worker frames) where the count began
        self.model_fps: float | None = None  # portraits made per second (_count_frames)
        # Renders and tests step the model with the clock; a live show runs it on a worker.
        self.synchronous = context.deterministic or bool(context.services.get("synchronous_models", False))

    def check_words(self) -> str:
        """`bayard check`: what to shorten when the words cannot fit this screen, else ''.
        Without prepare() (no pictures read) the portraits' titles and credits come from
        the scene file."""
        if not self.entries:
            named = [SimpleNamespace(title=item.title, credit=item.credit) for item in self.config.portraits]
            self.entries = named or [SimpleNamespace(title=HOUSE_SITTER_TITLE, credit=HOUSE_SITTER_CREDIT)]
        self._layout(*self.context.size)
        return overrun_message(self.words_overrun, self.context.size, WORDS) if self.words_overrun else ""

    def warm(self):
        """Where the portrait and its words go, measured off the first frame (the words'
        room at the smallest type: portrait_draw._layout)."""
        if self.context.fonts is not None:
            self._layout(*self.context.size)
        yield

    def enter(self) -> None:
        if not self.entries:
            self.prepare()
        self._start_camera()
        rec = self._recording_settings()
        if rec is not None and self.recorder is None:
            fps, seconds, total_mb = rec
            self.recorder = VisitRecorder(
                Path(self.context.state_dir) / "recordings",
                self.log,
                wall=self.context.clock.wall,
                fps=fps,
                max_seconds=seconds,
                max_total_mb=total_mb,
                # Renders and tests wait for the encoder; a live show drops frames instead.
                block=self.synchronous,
            )
        self._switch_to(self.index)

    def _switch_to(self, index: int) -> None:
        if self.worker is not None:
            self.worker.stop()
        self._fps_mark, self.model_fps = None, None
        self.index = index % len(self.entries)
        try:
            self._build_worker()
        except Exception as exc:  # boundary: a portrait the pipeline refuses (no face found)
            # A PortraitError is the portrait's (no face, too small); anything else is the
            # backend's (FOMM out of GPU memory, a GPU this machine lacks): the next is tried.
            from ..models.motion.pipeline import PortraitError

            failed = self._choice().name
            if not isinstance(exc, PortraitError) and self._pass_over(failed, f"{type(exc).__name__}: {exc}"):
                self._tell_passed_over(failed, f"{type(exc).__name__}: {exc}", "could not start")
                self._switch_to(index)
                return
            self.problem = f"{exc}"
            self.log.warning("portrait %d cannot be animated: %s", self.index, exc)
            self.worker = None
        self._surface_key = None
        self._go("attract")

    def exit(self) -> None:
        if self.recorder is not None:
            self.recorder.stop()  # the encoder finishes the file on its own thread
        if self.worker is not None:
            self.worker.stop()
            self.worker = None
        if self._own_camera and self.camera is not None:
            self.camera.stop()
        self.camera = None
        self._thumb = self._thumb_pixels = None

    # -- the visit -----------------------------------------------------------------
    def _go(self, state: str) -> None:
        if self.recorder is not None:
            # One clip per visit: from calibration (live) to the visitor leaving.
            if state == "live" and self.state != "live":
                self.recorder.start()
            elif state != "live" and self.state == "live":
                self.recorder.stop()
        self.state, self.state_t = state, 0.0
        self.steady_s = 0.0
        self._asked = False
        if state == "attract":
            # The visitor's mirror goes with them, as the screen promises: kept, their face
            # stayed in memory until the next visitor or the end of the scene's stay.
            self._thumb = self._thumb_pixels = None
        # Surfaces made afresh for the new state: the next visitor's mirror is made on their
        # first frame, not only once the worker has a new portrait.
        self._surface_key = None
        if self.worker is not None and state == "attract":
            self.worker.go_idle()

    @property
    def camera_ok(self) -> bool:
        return self.camera is not None and getattr(self.camera, "state", "") == "live"

    @property
    def finished(self) -> bool:
        # The curator's choice for a kiosk without a camera: move on rather than invite
        # visitors to something that cannot happen. A camera still starting gets a moment.
        if self.config.without_camera != "skip" or self.camera_ok or self.t < 1.0:
            return False
        return self.camera is None or getattr(self.camera, "state", "") != "starting"

    @property
    def holding(self) -> bool:
        return self.state != "attract"

    def _face(self):
        r = self.worker.latest() if self.worker is not None else None
        return r.face if r is not None else None

    def update(self, dt: float) -> None:
        self.t += dt
        self.state_t += dt
        if self.worker is None:
            return
        if self.synchronous:
            self.worker.poll()
        self._count_frames()
        if self._replaced():
            return
        if self._failing_too_long():
            self._fail_over()
        self._tell_if_turned()
        self._tell_camera_trouble()
        face = self._face() if self.camera_ok else None
        present = face is not None and face.state != "none"
        # A face the tracker only holds (lost a moment ago: a blink, a blurred frame) keeps
        # a visitor, but does not turn a passer-by into one: counted, half a second of
        # someone walking past showed the card after they had gone.
        seen_now = present and getattr(face, "raw", True) is not None
        self.seen_s = self.seen_s + dt if seen_now else (self.seen_s if present else 0.0)
        self.missing_s = 0.0 if present else self.missing_s + dt
        if self.state == "attract":
            if self.seen_s >= ARRIVE_S:
                self._go("card")
            return
        if self.missing_s >= LEAVE_S:
            self._go("attract")  # the visitor left: back to attract, motion eases to rest
            return
        if self.state == "card" and self.state_t >= self.config.card_seconds:
            self._go("framing")
        elif self.state == "framing":
            usable = face is not None and face.state == "ok" and self._centred(face)
            self.steady_s = self.steady_s + dt if usable else 0.0
            if self.steady_s >= STEADY_S:
                self._go("countdown")
        elif self.state == "countdown":
            if face is None or face.state != "ok":
                self._go("framing")  # they moved away mid-count: start again, gently
            elif self.state_t >= self.config.countdown and not self._asked:
                self.worker.request_calibration()  # the next frame with a face becomes "neutral"
                self._asked = True
            if self._asked and self.worker.calibrated.is_set():
                self._go("live")
        if self.state == "live" and self.recorder is not None:
            self._record()

    @property
    def camera_said(self) -> str:
        """Why its camera cannot be used, said until it is back ('' while it can): a standing
        condition in the engine's status, the overlay and the problems count."""
        return getattr(self, "_camera_said", "")

    def _tell_camera_trouble(self) -> None:
        """A camera that cannot be used is the technician's to fix: its reason goes to the
        overlay and status, not only the log (once per reason: a camera that keeps failing
        the same way is one problem)."""
        reason = getattr(self.camera, "reason", "") if getattr(self.camera, "state", "") == "unavailable" else ""
        cam_cfg, _ = self._settings()
        film = getattr(cam_cfg, "file", "") if self.context.services.get("camera") is None else ""
        if reason and film and self.context.listed_missing(film):
            # The show's files list the film missing, in the technician's words with install.toml's
            # line and the fix; said here too, it stood twice on the overlay. (Once the list lets
            # it go, a camera that still cannot use it is said here.)
            reason = ""
        if reason and reason != getattr(self, "_camera_told", ""):
            source = getattr(self.camera, "source", "")
            # A video standing in for the camera has no cable to check: its setting does.
            fix = ("[camera] file in install.toml names a film in the content folder" if getattr(cam_cfg, "file", "")
                   else "check the camera's cable, or [camera] device in install.toml")
            # A warning: the scene plays as its curator planned for a kiosk without a camera
            # (`without_camera`), and a technician filtering on errors sees what is broken.
            self._camera_said = (f"camera {source}: {reason}; the portrait stirs by itself until it is back "
                                 f"({fix}; the scene's without_camera = \"skip\" leaves it out meanwhile)")
            self.context.report(self._camera_said, severity="warning")
        self._camera_told = reason
        if not reason:
            self._camera_said = ""  # (back: status stops listing it)

    def _tell_if_turned(self) -> None:
        """Visitors' faces keep appearing turned: tell the technician (status, overlay and
        log, once per scene) which rotation to set. The portrait follows them anyway."""
        turned = self.worker.turn_watch.turned
        if turned and not self._told_turned:
            from ..models.face.orientation import turned_camera_advice

            self._told_turned = True
            setting = (getattr(self.camera, "rotation", 0) + turned) % 360
            self.context.report(turned_camera_advice(turned, setting), severity="warning")

    def _record(self) -> None:
        """Hand the newest portrait to the recorder: a reference and a crop box only, the
        encoder thread does the cutting, scaling and encoding."""
        r = self.worker.latest()
        if r is None:
            return
        w, h = self.context.size
        crop = self._view_box(r.image.shape, self._area(w, h))
        self.recorder.offer(r.image, crop, self.t)

    def _centred(self, face) -> bool:
        frame = self.worker.last_frame
        if frame is None or face.box is None:
            return False
        h, w = frame.image.shape[:2]
        return abs(face.box.cx - w / 2) < 0.22 * w and abs(face.box.cy - h / 2) < 0.25 * h

    def handle(self, command) -> bool:
        if command.name == "swipe" and len(self.entries) > 1:
            direction = command.args[0] if command.args else "left"
            self._switch_to(self.index + (1 if direction in ("left", "up", 1, "next") else -1))
            return True
        if command.name == "tap":
            if self.state == "card":
                self._go("framing")
                return True
            if len(self.entries) > 1 and command.pos is not None:
                x = command.pos[0]
                width = self.context.size[0]
                if x < width * 0.08 or x > width * 0.92:
                    self._switch_to(self.index + (1 if x > width / 2 else -1))
                    return True
        return False

    def _default_card(self) -> str:
        rec = self._recording_settings()
        if rec is None:
            return words("portrait.card")
        seconds = rec[1]
        if seconds >= 60:
            length = f"{seconds / 60:g} minute{'s' if seconds != 60 else ''}"
        else:
            length = f"{seconds:g} seconds"
        return words("portrait.card_recording", seconds=length)

    def status(self) -> dict:
        return {
            "state": self.state,
            "camera": getattr(self.camera, "state", "none") if self.camera is not None else "none",
            "camera_problem": getattr(self.camera, "reason", "") if not self.camera_ok else "",
            # What was said of it, while it holds: status lists it until the camera is back.
            "camera_said": self.camera_said,
            # How far the camera's picture is turned back ([camera] rotation), and how far
            # visitors' faces still appear turned (0 unless 3 s of faces agree).
            "camera_rotation": getattr(self.camera, "rotation", 0),
            "faces_turned": self.worker.turn_watch.turned if self.worker is not None else 0,
            "backend": self.backend_name,
            "backend_reason": self.backend_reason,
            "backend_status": self._backend_status(),
            "portrait": self.index,
            "portrait_installed": self.entries[self.index].installed if self.entries else False,
            # Whether the visitor's neutral face is taken, and how fast the portrait moves.
            "calibrated": self.worker is not None and self.worker.calibrated.is_set(),
            "fps": round(self.model_fps, 1) if self.worker is not None and self.model_fps is not None else None,
            "animator_error": self.worker.error if self.worker is not None else None,
            "problem": self.problem,
            "recording": self.recorder.status() if self.recorder is not None else None,
        }
