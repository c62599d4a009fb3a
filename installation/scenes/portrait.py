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
"camera unavailable" discreetly; it never stops the show. With no portrait installed it
animates a portrait drawn by Bayard itself.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Literal

import numpy as np
import pygame
from pydantic import Field

from ..config.common import MediaPath, SceneConfig, Strict
from ..imaging import MediaError, paper_texture, read_rgb, surface_from_rgb
from .base import Scene, register_scene
from .portrait_record import NOTICE_ACTIVE, NOTICE_IDLE, VisitRecorder
from .style import Colour, rgb, smoothstep

# The sitter when a scene lists no portrait (or none it can animate): public domain, with
# its provenance in content/manifest.toml.
HOUSE_SITTER = Path(__file__).resolve().parents[2] / "content" / "portraits" / "thoreau-1856.jpg"
HOUSE_SITTER_TITLE = "Henry David Thoreau, 1856"
HOUSE_SITTER_CREDIT = "Daguerreotype by Benjamin D. Maxham. Public domain"

# Seconds a face must be seen before the show reacts (a passer-by is not a visitor).
ARRIVE_S = 0.8
# Seconds without a face before the visit ends.
LEAVE_S = 2.5
# Seconds the visitor must hold a usable pose before the countdown starts.
STEADY_S = 0.6


DEFAULT_CARD = (
    "Stand still and look at the camera for a moment, then move your head, blink, "
    "raise your eyebrows, open your mouth. The portrait will follow.\n\n"
    "Nothing is recorded: your image stays in this computer's memory and is gone when you leave."
)
# The card when the operator has switched recording on: it must not say "nothing is recorded".
RECORDING_CARD = (
    "Stand still and look at the camera for a moment, then move your head, blink, "
    "raise your eyebrows, open your mouth. The portrait will follow.\n\n"
    "Recording is on here: the moving portrait is saved as a short video (at most {seconds}). "
    "Your camera image is not saved: it stays in this computer's memory and is gone when you leave."
)


class PortraitItem(Strict):
    image: MediaPath = Field(description="the portrait to animate, relative to the content folder")
    face: tuple[float, float, float] | None = Field(
        default=None,
        description=(
            "the painted face as [centre x, centre y, size] in image pixels; omitted: found automatically"
        ),
    )
    title: str = Field(default="", description="the portrait's title, shown beside it")
    credit: str = Field(default="", description="artist, date and collection, shown small")
    exaggeration: float = Field(
        default=1.0, ge=0.25, le=2.5,
        description="how strongly the visitor's expressions are carried (1.0: faithful; mesh backend)",
    )


class PortraitConfig(SceneConfig):
    portraits: list[PortraitItem] = Field(
        default_factory=list,
        description="portraits a visitor can choose among; empty: a portrait drawn by Bayard",
    )
    backend: str = Field(default="", description="motion backend for this scene; empty: [models] motion")
    heading: str = Field(default="Move, and the portrait moves with you", description="the invitation")
    about: str = Field(
        default=(
            "A camera follows your face and a computer moves the painting to match: the way phone apps "
            "bring old photographs to life, and the way a faked video can make anyone seem to move or speak."
        ),
        description="a short text beside the portrait while nobody is in front of it",
    )
    card: str = Field(
        default="",
        description=(
            "what the visitor reads when they arrive; empty: a built-in text that says nothing is recorded"
        ),
    )
    view: Literal["bust", "picture"] = Field(
        default="bust",
        description=(
            "bust: frame the head and shoulders (a full-length figure's face is otherwise tiny); "
            "picture: the whole image"
        ),
    )
    card_seconds: float = Field(
        default=6.0, gt=0, le=30, description="how long the card shows (a tap skips it)"
    )
    countdown: int = Field(
        default=3, ge=1, le=10, description="seconds counted down before the neutral pose is taken"
    )
    disclosure: str = Field(
        default="Moved by a computer, live",
        description="the small note under a moving portrait saying it is synthetic media (never empty)",
        min_length=1,
    )
    background: Colour = Field(default="#14110e", description="wall colour '#rrggbb'")
    foreground: Colour = Field(default="#efe6d8", description="text colour '#rrggbb'")
    accent: Colour = Field(default="#b89a72", description="prompt and credit colour '#rrggbb'")


def draw_house_portrait(size: tuple[int, int] = (600, 720)) -> tuple[np.ndarray, tuple[float, float, float]]:
    """A portrait Bayard draws itself (may ship anywhere): a sitter in a dark coat on a
    brown ground, in the manner of a 19th-century study. Returns the image and the face
    box (cx, cy, size), since a drawn face need not satisfy a face detector."""
    import cv2

    w, h = size
    rng = np.random.default_rng(1840)
    img = paper_texture(size, seed=1892, tone=(92, 70, 48)).astype(np.float32)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    # A lit ground behind the head, darker towards the edges.
    glow = np.exp(-(((xx - w * 0.55) / (w * 0.5)) ** 2 + ((yy - h * 0.3) / (h * 0.45)) ** 2))
    img *= (0.55 + 0.6 * glow)[..., None]
    layer = np.zeros((h, w), np.float32)

    def shape(draw, colour, blur):
        layer[:] = 0
        draw(layer)
        a = cv2.GaussianBlur(layer, (0, 0), blur)[..., None]
        img[:] = img * (1 - a) + np.array(colour, np.float32) * a

    cx, cy, fw, fh = w * 0.5, h * 0.36, w * 0.16, h * 0.17
    # Coat and shoulders, a white collar.
    shape(
        lambda L: cv2.ellipse(
            L, (int(cx), int(h * 0.93)), (int(w * 0.42), int(h * 0.32)), 0, 180, 360, 1, -1
        ),
        (34, 30, 30),
        3,
    )
    # Neck, then the hair mass behind the face.
    shape(
        lambda L: cv2.rectangle(
            L, (int(cx - fw * 0.42), int(cy + fh * 0.6)), (int(cx + fw * 0.42), int(h * 0.6)), 1, -1
        ),
        (190, 146, 118),
        3,
    )
    shape(
        lambda L: cv2.ellipse(
            L, (int(cx), int(cy + fh * 1.02)), (int(fw * 0.5), int(fh * 0.22)), 0, 0, 360, 1, -1
        ),
        (150, 110, 90),
        4,
    )  # shadow of the jaw on the neck
    shape(
        lambda L: cv2.fillConvexPoly(
            L,
            np.int32(
                [
                    [cx - fw * 0.95, h * 0.58],
                    [cx + fw * 0.95, h * 0.58],
                    [cx + fw * 0.25, h * 0.69],
                    [cx - fw * 0.25, h * 0.69],
                ]
            ),
            1,
        ),
        (226, 218, 200),
        2,
    )
    shape(
        lambda L: cv2.ellipse(
            L, (int(cx), int(cy - fh * 0.22)), (int(fw * 1.2), int(fh * 1.02)), 0, 0, 360, 1, -1
        ),
        (40, 28, 22),
        3.5,
    )
    # Strands: thin lighter strokes following the hair's curve.
    strands = np.zeros((h, w), np.float32)
    for _ in range(70):
        a0 = rng.uniform(190, 350)
        r = rng.uniform(0.75, 1.15)
        cv2.ellipse(
            strands,
            (int(cx), int(cy - fh * 0.22)),
            (int(fw * 1.15 * r), int(fh * 1.0 * r)),
            0,
            a0,
            a0 + rng.uniform(15, 40),
            float(rng.uniform(0.3, 1.0)),
            1,
            lineType=cv2.LINE_AA,
        )
    hair_zone = (((xx - cx) / (fw * 1.2)) ** 2 + ((yy - cy + fh * 0.22) / (fh * 1.02)) ** 2 < 1).astype(
        np.float32
    )
    img += (cv2.GaussianBlur(strands, (0, 0), 0.8) * hair_zone * 26)[..., None] * np.array(
        [1.0, 0.8, 0.6], np.float32
    )

    # The face: an oval with a soft light from the upper left.
    def face_outline(L):
        # An oval narrowing to the chin, not an egg.
        t = np.linspace(0, 2 * np.pi, 90)
        taper = 1 - 0.22 * np.clip(np.sin(t), 0, 1) ** 2
        pts = np.stack([cx + fw * np.cos(t) * taper, cy + fh * np.sin(t)], 1)
        cv2.fillPoly(L, [np.int32(pts)], 1)

    shape(face_outline, (222, 178, 148), 2)
    light = np.clip(
        1.08 - 0.35 * ((xx - (cx - fw * 0.4)) / (fw * 2.2)) ** 2 - 0.2 * ((yy - cy) / (fh * 2)), 0.7, 1.1
    )
    face_zone = cv2.GaussianBlur(
        (((xx - cx) / fw) ** 2 + ((yy - cy) / fh) ** 2 < 1).astype(np.float32), (0, 0), 4
    )
    img *= (1 + (light - 1) * face_zone)[..., None]
    # Modelling: the oval darkens towards its edge, warm cheeks, a shadow under the chin.
    r = np.sqrt(((xx - cx) / fw) ** 2 + ((yy - cy) / fh) ** 2)
    img *= (1 - 0.22 * np.clip(r - 0.55, 0, 0.45) / 0.45 * face_zone)[..., None]
    for side in (-1, 1):
        blush = np.exp(
            -(((xx - cx - side * fw * 0.5) / (fw * 0.22)) ** 2 + ((yy - cy - fh * 0.25) / (fh * 0.14)) ** 2)
        )
        img += (blush * face_zone)[..., None] * np.array([16, -4, -6], np.float32)
    chin = np.exp(-(((xx - cx) / (fw * 0.6)) ** 2 + ((yy - cy - fh * 1.08) / (fh * 0.12)) ** 2))
    img *= (1 - 0.35 * chin)[..., None]
    # A fringe of hair over the forehead.
    shape(
        lambda L: cv2.ellipse(
            L, (int(cx), int(cy - fh * 0.95)), (int(fw * 1.02), int(fh * 0.38)), 0, 0, 360, 1, -1
        ),
        (44, 31, 24),
        4,
    )
    ey = cy - fh * 0.12
    for side in (-1, 1):
        ex = cx + side * fw * 0.4
        shape(
            lambda L, ex=ex, side=side: cv2.ellipse(
                L, (int(ex), int(ey - fh * 0.2)), (int(fw * 0.24), int(fh * 0.05)), -side * 6, 180, 360, 1, 3
            ),
            (70, 48, 36),
            1.5,
        )  # brow
        shape(
            lambda L, ex=ex: cv2.ellipse(
                L, (int(ex), int(ey)), (int(fw * 0.2), int(fh * 0.075)), 0, 0, 360, 1, -1
            ),
            (236, 228, 214),
            1.2,
        )  # eye white
        shape(
            lambda L, ex=ex: cv2.circle(L, (int(ex), int(ey)), int(fh * 0.068), 1, -1), (78, 58, 42), 1.0
        )  # iris
        shape(
            lambda L, ex=ex: cv2.circle(L, (int(ex), int(ey)), int(fh * 0.03), 1, -1), (18, 14, 12), 0.8
        )  # pupil
        shape(
            lambda L, ex=ex: cv2.ellipse(
                L, (int(ex), int(ey)), (int(fw * 0.21), int(fh * 0.08)), 0, 190, 350, 1, 2
            ),
            (96, 62, 48),
            1.0,
        )  # upper lid line
    # Nose: a shadow on the right, a touch of light on the ridge.
    shape(
        lambda L: cv2.ellipse(
            L, (int(cx + fw * 0.09), int(cy + fh * 0.18)), (int(fw * 0.07), int(fh * 0.2)), 0, 0, 360, 1, -1
        ),
        (204, 156, 128),
        5,
    )
    for side in (-1, 1):
        shape(
            lambda L, side=side: cv2.circle(
                L, (int(cx + side * fw * 0.08), int(cy + fh * 0.38)), int(fw * 0.035), 1, -1
            ),
            (140, 92, 76),
            1.5,
        )
    # Lips.
    my = cy + fh * 0.6
    shape(
        lambda L: cv2.ellipse(L, (int(cx), int(my)), (int(fw * 0.32), int(fh * 0.085)), 0, 0, 360, 1, -1),
        (170, 82, 76),
        1.5,
    )
    shape(
        lambda L: cv2.line(L, (int(cx - fw * 0.3), int(my)), (int(cx + fw * 0.3), int(my)), 1, 2),
        (90, 40, 38),
        1.0,
    )
    # Brush texture (noise smeared along one stroke direction), then the painted oval
    # spandrel of a 19th-century portrait, which also says "this is a picture, by design".
    strokes = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), sigmaX=3.0, sigmaY=0.8)
    img += (strokes * 9)[..., None]
    oval = ((xx - w / 2) / (w * 0.47)) ** 2 + ((yy - h * 0.47) / (h * 0.47)) ** 2
    spandrel = cv2.GaussianBlur((oval > 1).astype(np.float32), (0, 0), 2.0)[..., None]
    img = img * (1 - spandrel) + np.array([46, 36, 26], np.float32) * spandrel
    rim = np.exp(-(((np.sqrt(oval) - 1.0) / 0.006) ** 2))[..., None]
    img = img * (1 - rim * 0.6) + np.array([168, 134, 78], np.float32) * rim * 0.6  # a thin gilt line
    img = cv2.GaussianBlur(img, (0, 0), 0.6)
    # The face box in the layout every crop uses (geometry): eyes 0.12 box sides above its
    # centre, so the idle blinks land on the painted eyes.
    side = fw * 2.05
    return np.clip(img, 0, 255).astype(np.uint8), (cx, cy - fh * 0.12 + 0.12 * side, side)


class _Entry:
    def __init__(self, image: np.ndarray, face, title: str, credit: str, installed: bool, problem: str = "",
                 exaggeration: float = 1.0):
        self.image, self.face, self.title, self.credit = image, face, title, credit
        self.installed, self.problem = installed, problem
        self.exaggeration = exaggeration


@register_scene("portrait")
class PortraitScene(Scene):
    Config = PortraitConfig
    config: PortraitConfig

    def __init__(self, config: PortraitConfig, context) -> None:
        super().__init__(config, context)
        self.entries: list[_Entry] = []
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
        self.backend_name = ""
        self.backend_reason = ""
        self.problem = ""
        self.problems: list[str] = []
        self._surface: pygame.Surface | None = None
        self._surface_key = None
        self._thumb: pygame.Surface | None = None
        self.recorder: VisitRecorder | None = None  # only when [camera] recording = true
        # Renders and tests step the model with the clock; a live show runs it on a worker.
        self.synchronous = context.deterministic or bool(context.services.get("synchronous_models", False))

    # -- loading -----------------------------------------------------------------
    def prepare(self) -> None:
        self.entries = []
        self.problems: list[str] = []  # for status and `check`: portraits skipped, and why
        for item in self.config.portraits:
            try:
                image = read_rgb(self.context.media(item.image), max_side=900)
                entry = _Entry(image, item.face, item.title, item.credit, True, exaggeration=item.exaggeration)
                entry.source = item.image
                self.entries.append(entry)
            except MediaError as exc:
                self.log.warning("%s; skipping this portrait", exc)
                self.problems.append(str(exc))
        # Finding a painted face costs up to a tenth of a second: do it here, on the
        # loading thread, not when the scene starts showing. A portrait that cannot be
        # animated is skipped: visitors never meet an invitation that cannot work.
        usable = [e for e in self.entries if self._find_face(e)]
        if not usable:
            usable = [self._house_sitter()]
            self._find_face(usable[0])
        self.entries = usable
        self.problem = "; ".join(self.problems)
        # Building the first portrait's pipeline (crops, masks, the backend's source
        # caches) also belongs on this thread: enter() then only starts the worker.
        try:
            self._ready = (self.index, self._make_animator(self.index))
        except Exception:  # reported with its reason when enter() builds it again
            self._ready = None

    def _backend_name(self) -> str:
        from ..models.motion.choose import choose_backend

        _, models = self._settings()
        requested = self.config.backend or (models.motion if models is not None else "auto")
        return choose_backend(self.context.models_dir or Path("models"), requested).name

    def _find_face(self, entry: _Entry) -> bool:
        """Whether this portrait can be animated here; records why not."""
        from ..models.face import detect_portrait_face

        name = getattr(entry, "source", "") or entry.title or "portrait"
        if self._backend_name() == "mesh":
            from ..models.face import FaceStack
            from ..models.motion.mesh import PortraitProblem, find_portrait_face

            try:
                find_portrait_face(entry.image, FaceStack.open(self.context.models_dir))
                return True
            except PortraitProblem as exc:
                entry.problem = str(exc)
        elif entry.face is not None:
            return True
        else:
            found = detect_portrait_face(entry.image)
            if found is not None:
                entry.face = (found.cx, found.cy, found.size)
                return True
            entry.problem = "no face found; give face = [x, y, size] for this portrait in the scene file"
        self.log.warning("%s: %s; the scene skips it", name, entry.problem)
        self.problems.append(f"{name}: {entry.problem}")
        return False

    def _house_sitter(self) -> _Entry:
        """The portrait the show ships: Thoreau's 1856 daguerreotype (public domain), or
        a drawn sitter when even that file is missing."""
        try:
            image = read_rgb(HOUSE_SITTER, max_side=900)
            return _Entry(image, None, HOUSE_SITTER_TITLE, HOUSE_SITTER_CREDIT, True)
        except MediaError as exc:
            self.log.warning("%s; drawing a stand-in sitter", exc)
            image, face = draw_house_portrait()
            return _Entry(image, face, "A sitter (a drawing)", "", False)

    def _settings(self):
        show = self.context.show_config
        return getattr(show, "camera", None), getattr(show, "models", None)

    def _start_camera(self) -> None:
        service = self.context.services.get("camera")
        if service is not None:
            self.camera = service
            return
        cam_cfg, _ = self._settings()
        if cam_cfg is None:
            return
        from ..inputs.camera import Camera

        if cam_cfg.file:
            source: int | str | Path = self.context.media(cam_cfg.file)
        elif cam_cfg.device is not None:
            source = cam_cfg.device
        else:
            return
        self.camera = Camera(source, size=tuple(cam_cfg.size)).start()
        self._own_camera = True

    def _make_animator(self, index: int):
        """The backend and per-portrait pipeline (numpy/OpenCV work only: safe on the loading thread)."""
        from ..models.face import FaceBox
        from ..models.motion.choose import choose_backend
        from ..models.motion.pipeline import build_animator

        _, models = self._settings()
        requested = self.config.backend or (models.motion if models is not None else "auto")
        models_dir = self.context.models_dir or Path("models")
        choice = choose_backend(models_dir, requested)
        entry = self.entries[index]
        if entry.face is None and choice.name != "mesh":
            raise ValueError(entry.problem or "no face in this portrait")
        animator = build_animator(choice.name, entry.image, FaceBox(*entry.face) if entry.face else None,
                                  models_dir, exaggeration=entry.exaggeration)
        return choice, animator

    def _build_worker(self) -> None:
        from ..models.motion.pipeline import AnimatorWorker

        ready, self._ready = self._ready, None
        choice, animator = ready[1] if ready is not None and ready[0] == self.index else self._make_animator(
            self.index)
        self.backend_name = choice.name
        self.backend_reason = choice.summary()
        clock = self.context.clock.now
        self.worker = AnimatorWorker(animator, self.camera, clock=clock, mirror=True)
        if not self.synchronous:
            self.worker.start()

    def _recording_settings(self) -> tuple[float, float, float] | None:
        """(fps, seconds per clip, total MB) from [camera] when the operator allows recording, else None."""
        cam_cfg, _ = self._settings()
        if cam_cfg is None or not getattr(cam_cfg, "recording", False):
            return None
        return (
            float(cam_cfg.recording_fps),
            float(cam_cfg.recording_seconds),
            float(cam_cfg.recording_max_mb),
        )

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
        self.index = index % len(self.entries)
        try:
            self._build_worker()
        except Exception as exc:  # boundary: a portrait the pipeline refuses (no face found)
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
        self._thumb = None

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
        if self.worker is not None and state == "attract":
            self.worker.go_idle()

    @property
    def camera_ok(self) -> bool:
        return self.camera is not None and getattr(self.camera, "state", "") == "live"

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
        face = self._face() if self.camera_ok else None
        present = face is not None and face.state != "none"
        self.seen_s = self.seen_s + dt if present else 0.0
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
            if self.worker.calibrated.is_set():
                self._go("live")
        if self.state == "live" and self.recorder is not None:
            self._record()

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
            return DEFAULT_CARD
        seconds = rec[1]
        if seconds >= 60:
            length = f"{seconds / 60:g} minute{'s' if seconds != 60 else ''}"
        else:
            length = f"{seconds:g} seconds"
        return RECORDING_CARD.format(seconds=length)

    def status(self) -> dict:
        return {
            "state": self.state,
            "camera": getattr(self.camera, "state", "none") if self.camera is not None else "none",
            "backend": self.backend_name,
            "backend_reason": self.backend_reason,
            "portrait": self.index,
            "portrait_installed": self.entries[self.index].installed if self.entries else False,
            "animator_error": self.worker.error if self.worker is not None else None,
            "problem": self.problem,
            "recording": self.recorder.status() if self.recorder is not None else None,
        }

    # -- drawing -------------------------------------------------------------------
    @staticmethod
    def _area(width: int, height: int) -> pygame.Rect:
        """Where the portrait sits on a screen of this size."""
        return pygame.Rect(
            round(width * 0.06), round(height * 0.06), round(width * 0.5), round(height * 0.88)
        )

    def _view_box(self, shape: tuple[int, ...], box: pygame.Rect) -> tuple[int, int, int, int] | None:
        """The part of the picture shown, as (x0, y0, x1, y1): head and shoulders around the
        painted face, with the display box's aspect, kept inside the image; None: all of it."""
        if self.config.view == "picture" or self.worker is None or not self.entries[self.index].installed:
            return None  # (the drawn portrait is composed as a whole oval picture)
        face = self.worker.animator.face
        h, w = shape[:2]
        vh = min(h, face.size * 3.6)
        vw = min(w, vh * box.width / box.height)
        vh = min(h, vw * box.height / box.width)
        x0 = int(round(min(max(face.cx - vw / 2, 0), w - vw)))
        y0 = int(round(min(max(face.cy - vh * 0.4, 0), h - vh)))
        return x0, y0, x0 + int(round(vw)), y0 + int(round(vh))

    def _view(self, image: np.ndarray, box: pygame.Rect) -> np.ndarray:
        crop = self._view_box(image.shape, box)
        if crop is None:
            return image
        x0, y0, x1, y1 = crop
        return image[y0:y1, x0:x1]

    def _portrait_surface(self, box: pygame.Rect) -> tuple[pygame.Surface, pygame.Rect]:
        entry = self.entries[self.index]
        r = self.worker.latest() if self.worker is not None else None
        image = self._view(r.image if r is not None else entry.image, box)
        h, w = image.shape[:2]
        scale = min(box.width / w, box.height / h)
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        key = (id(r), size)
        if key != self._surface_key:
            import cv2

            interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
            self._surface = surface_from_rgb(cv2.resize(image, size, interpolation=interp))
            self._surface_key = key
            if self.state != "attract" and self.worker is not None and self.worker.last_frame is not None:
                cam = self.worker.last_frame.image
                tw = max(1, round(box.width * 0.34))
                th = max(1, round(tw * cam.shape[0] / cam.shape[1]))
                # Already mirrored by the worker, like a looking-glass: visitors expect their
                # left on the left, and the portrait answers the same way.
                self._thumb = surface_from_rgb(cv2.resize(cam, (tw, th), interpolation=cv2.INTER_AREA))
        rect = self._surface.get_rect(center=box.center)
        return self._surface, rect

    def draw(self, surface: pygame.Surface) -> None:
        c = self.config
        fonts = self.context.fonts
        width, height = surface.get_size()
        fg, accent = rgb(c.foreground), rgb(c.accent)
        surface.fill(rgb(c.background))
        area = self._area(width, height)
        portrait, rect = self._portrait_surface(area)
        pygame.draw.rect(
            surface, (8, 7, 6), rect.inflate(fonts.px(14), fonts.px(14)).move(fonts.px(6), fonts.px(8))
        )
        pygame.draw.rect(surface, (92, 74, 48), rect.inflate(fonts.px(14), fonts.px(14)))  # a plain frame
        surface.blit(portrait, rect)
        col = pygame.Rect(round(width * 0.61), round(height * 0.1), round(width * 0.33), round(height * 0.8))
        entry = self.entries[self.index]
        y = col.y
        if self.state in ("attract", "card"):
            block = fonts.block(c.heading, "serif-semibold", 50, fg, col.width, line_spacing=1.12)
            surface.blit(block, (col.x, y))
            y += block.get_height() + fonts.px(28)
        if self.state == "attract":
            if c.about:
                about = fonts.block(c.about, "serif", 30, fg, col.width, line_spacing=1.45)
                surface.blit(about, (col.x, y))
                y += about.get_height() + fonts.px(28)
            if self.camera_ok:
                hint = fonts.block("Step in front of the screen.", "serif-italic", 32, accent, col.width)
                surface.blit(hint, (col.x, y))
        elif self.state == "card":
            block = fonts.block(c.card or self._default_card(), "serif", 31, fg, col.width, line_spacing=1.45)
            surface.blit(block, (col.x, y))
        else:
            self._draw_visitor(surface, col, fonts, fg, accent)
        if entry.title or entry.credit:
            credit = fonts.block(
                " · ".join(x for x in (entry.title, entry.credit) if x), "sans", 21, accent, col.width
            )
            surface.blit(credit, (col.x, col.bottom - credit.get_height()))
        if len(self.entries) > 1:
            for i in range(len(self.entries)):
                colour = fg if i == self.index else (70, 62, 52)
                pygame.draw.circle(
                    surface,
                    colour,
                    (
                        area.centerx + (i - (len(self.entries) - 1) / 2) * fonts.px(26),
                        area.bottom + fonts.px(22),
                    ),
                    fonts.px(6),
                )
        notes = []
        if not self.camera_ok:
            notes.append("camera unavailable")
        if not entry.installed:
            notes.append("a portrait drawn by Bayard; install one in the scene file")
        if self._recording_settings() is not None:
            # The operator switched recording on: visitors are told plainly what is kept,
            # and "now" for as long as a clip is being written.
            writing = self.recorder is not None and self.recorder.writing
            red, dot, y = (220, 90, 70), fonts.px(7), round(height * 0.015)
            rec = fonts.block(
                NOTICE_ACTIVE if writing else NOTICE_IDLE, "sans-semibold", 21, red,
                round(width * 0.36) - 3 * dot, line_spacing=1.1,
            )
            line_h = fonts.get("sans-semibold", 21).get_linesize()
            pygame.draw.circle(surface, red, (col.x + dot, y + line_h // 2), dot)
            surface.blit(rec, (col.x + 3 * dot, y))
        if notes:
            note = fonts.line(" · ".join(notes), "sans", 18, (110, 96, 80))
            surface.blit(
                note, (width - note.get_width() - fonts.px(24), height - note.get_height() - fonts.px(16))
            )

    def _draw_visitor(self, surface, col, fonts, fg, accent) -> None:
        face = self._face()
        y = col.y
        if self._thumb is not None:
            thumb = self._thumb
            surface.blit(thumb, (col.x, y))
            frame = pygame.Rect(col.x, y, thumb.get_width(), thumb.get_height())
            pygame.draw.rect(surface, (60, 52, 44), frame, 2)
            if self.state in ("framing", "countdown"):
                # The framing guide: an oval where the face should sit.
                guide = pygame.Rect(0, 0, round(frame.width * 0.38), round(frame.height * 0.7))
                guide.center = frame.center
                ok = face is not None and face.state == "ok"
                pygame.draw.ellipse(surface, accent if ok else (150, 140, 128), guide, 3)
            y = frame.bottom + fonts.px(30)
        if self.state == "framing":
            prompt = face.prompt if face is not None and face.prompt else "Look at the camera and keep still"
            surface.blit(fonts.block(prompt, "serif-semibold", 40, fg, col.width), (col.x, y))
        elif self.state == "countdown":
            left = max(1, math.ceil(self.config.countdown - self.state_t))
            pulse = smoothstep(1 - (self.state_t % 1.0))
            number = fonts.line(str(left), "serif-semibold", 96 + 24 * pulse, fg)
            surface.blit(number, (col.x, y))
            surface.blit(
                fonts.block("Keep a neutral face…", "serif-italic", 32, accent, col.width),
                (col.x, y + number.get_height() + fonts.px(10)),
            )
        elif self.state == "live":
            prompt = (
                face.prompt if face is not None and face.prompt else "Now move: the portrait follows you."
            )
            surface.blit(fonts.block(prompt, "serif-italic", 34, accent, col.width), (col.x, y))
