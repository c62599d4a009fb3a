"""What the portrait scene loads and starts: the pictures (and the show's own sitter when
none can be animated), the painted face in each, the camera, and the motion pipeline and
its worker. A mixin of PortraitScene; the visit itself (attract, card, framing,
countdown, live) is in portrait.py.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..imaging import MediaError, read_rgb
from ..models.motion import PORTRAIT_SIDE
from ..words import words
from .base import media_there
from .portrait_sitter import draw_house_portrait

# The sitter when a scene lists no portrait (or none it can animate): public domain, with
# its provenance in content/manifest.toml.
HOUSE_SITTER = Path(__file__).resolve().parents[2] / "content" / "portraits" / "thoreau-1856.jpg"
HOUSE_SITTER_TITLE = "Henry David Thoreau, 1856"
HOUSE_SITTER_CREDIT = "Daguerreotype by Benjamin D. Maxham. Public domain."


class _Entry:
    def __init__(self, image: np.ndarray, face, title: str, credit: str, installed: bool, problem: str = "",
                 exaggeration: float = 1.0, lips_hidden: bool = False, picture: str = "auto"):
        self.image, self.face, self.title, self.credit = image, face, title, credit
        self.installed, self.problem = installed, problem
        self.exaggeration, self.lips_hidden, self.picture = exaggeration, lips_hidden, picture


class PortraitLoading:
    """Mixed into PortraitScene: reads its config and context, fills its entries, camera,
    worker and problems."""

    def prepare(self) -> None:
        self.entries = []
        self.problems: list[str] = []  # for status and `check`: portraits skipped, and why
        # A missing file is reported once, by context.media() (with the name it may have
        # meant), or deliberately not at all (an optional one not installed yet): reported
        # here as well, one missing portrait took two of the overlay's few lines.
        told_already: list[str] = []
        for item in self.config.portraits:
            path = self.context.media(item.image)
            try:
                image = read_rgb(path, max_side=PORTRAIT_SIDE)
                entry = _Entry(image, item.face, item.title, item.credit, True, exaggeration=item.exaggeration,
                               lips_hidden=item.lips_hidden, picture=item.picture)
                entry.source = item.image
                self.entries.append(entry)
            except MediaError as exc:
                # Not logged here: reported below (the engine logs each report once), or
                # already said by context.media() where the file is missing.
                self.problems.append(f"{exc}; the scene skips it")
                if not media_there(path):  # (the same bounded look: never held by a hung stick)
                    told_already.append(self.problems[-1])
        # Finding a painted face costs up to a tenth of a second: do it here, on the
        # loading thread, not when the scene starts showing. A portrait that cannot be
        # animated is skipped: visitors never meet an invitation that cannot work.
        usable = [e for e in self.entries if self._find_face(e)]
        if not usable:
            usable = [self._house_sitter()]
            self._find_face(usable[0])
        self.entries = usable
        # A missing file is wrong in the show's files (status lists it there, as check does),
        # not the portrait's fault: it read "Portrait's last fault" though nothing failed.
        self.problem = "; ".join(p for p in self.problems if p not in told_already)
        for problem in self.problems:  # for /bayard/status and the overlay, not only the log
            if problem not in told_already:
                self.context.report(problem)
        # Building the first portrait's pipeline (crops, masks, the backend's source
        # caches) also belongs on this thread: enter() then only starts the worker.
        try:
            self._ready = (self.index, self._make_animator(self.index))
        except Exception:  # reported with its reason when enter() builds it again
            self._ready = None

    def _find_face(self, entry: _Entry) -> bool:
        """Whether this portrait can be animated here; records why not."""
        from ..models.face import detect_portrait_face

        name = getattr(entry, "source", "") or entry.title or "portrait"
        if self._choice().name == "mesh":
            from ..models.face import FaceStack
            from ..models.face.mirrored import fit_doubted
            from ..models.face.unsure import UNOBSCURED, models_unsure, softened_doubt
            from ..models.motion.mesh import PortraitProblem, find_portrait_face

            stack = FaceStack.open(self.context.models_dir)
            try:
                face = find_portrait_face(entry.image, stack)
            except PortraitProblem as exc:
                entry.problem = str(exc)
            else:
                # Doubts, not refusals (unsure.py, mirrored.py): said to the operator's log, once per load.
                if (unsure := models_unsure(face)) is not None:
                    self.log.warning("%s: %s; it is animated as it stands (if the mesh `bayard portrait inspect` "
                                     "draws is not on the face, %s)", name, unsure, UNOBSCURED)
                if (doubt := softened_doubt(face)) is not None:
                    self.log.warning("%s: %s; it is animated as it stands", name, doubt)
                if (doubt := fit_doubted(entry.image, face, stack)) is not None:
                    self.log.warning("%s: %s; it is animated as it stands (`bayard portrait inspect` shows "
                                     "the mesh)", name, doubt)
                return True
        elif entry.face is not None:
            return True
        else:
            found = detect_portrait_face(entry.image)
            if found is not None:
                entry.face = (found.cx, found.cy, found.size)
                return True
            entry.problem = "no face found; give face = [x, y, size] for this portrait in the scene file"
        # Reported (prepare), and the engine logs each report once: a line logged here as well
        # said every portrait without a face twice, and again at each of the scene's rounds.
        self.problems.append(f"{name}: {entry.problem}; the scene skips it")
        return False

    def _house_sitter(self) -> _Entry:
        """The portrait the show ships: Thoreau's 1856 daguerreotype (public domain), or
        a drawn sitter when even that file is missing."""
        try:
            image = read_rgb(HOUSE_SITTER, max_side=PORTRAIT_SIDE)
            return _Entry(image, None, HOUSE_SITTER_TITLE, HOUSE_SITTER_CREDIT, True)
        except MediaError as exc:
            self.log.warning("%s; drawing a stand-in sitter", exc)
            image, face = draw_house_portrait()
            return _Entry(image, face, words("portrait.sitter"), "", False)

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
            # Not context.media(): its message sends the reader to the scene file, and this
            # setting is install.toml's (the camera's reason then says the file is missing).
            source: int | str | Path = self.context.content_root / cam_cfg.file
        elif cam_cfg.device is not None:
            source = cam_cfg.device
        else:
            return
        # On the real clock, not the show's: the camera's thread gets frames from a device or a
        # film in real seconds, and a render's stepped clock, running ahead of a film, would judge
        # it hung. (Downstream, frame times are only measured against each other: the tracker's
        # and the blinks' spans.)
        self.camera = Camera(source, size=tuple(cam_cfg.size), rotation=cam_cfg.rotation).start()
        self._own_camera = True

    def _make_animator(self, index: int):
        """The backend and per-portrait pipeline (numpy/OpenCV work only: safe on the loading thread)."""
        from ..models.face import FaceBox
        from ..models.motion.pipeline import PortraitError, build_animator

        models_dir = self.context.models_dir or Path("models")
        choice = self._choice()
        entry = self.entries[index]
        if entry.face is None and choice.name != "mesh":
            raise PortraitError(entry.problem or "no face in this portrait")
        animator = build_animator(choice.name, entry.image, FaceBox(*entry.face) if entry.face else None,
                                  models_dir, exaggeration=entry.exaggeration, lips_hidden=entry.lips_hidden,
                                  picture=entry.picture)
        return choice, animator

    def _build_worker(self) -> None:
        from ..models.motion.animator_worker import AnimatorWorker

        ready, self._ready = self._ready, None
        choice, animator = ready[1] if ready is not None and ready[0] == self.index else self._make_animator(
            self.index)
        self.backend_name = choice.name
        self.backend_reason = choice.summary()
        clock = self.context.clock.now
        cam_cfg, _ = self._settings()
        # Visitors expect a looking-glass; a camera that already mirrors is not flipped back.
        mirror = not getattr(cam_cfg, "mirrored", False)
        self.worker = AnimatorWorker(animator, self.camera, clock=clock, mirror=mirror, fault_scope=self.id)
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
