"""`quiz`: "Real or generated?", the visitor against the machine.

Two modes: "single" shows one face and asks real or generated (two large buttons);
"pair" shows two faces, one real, and asks which (touch it), as whichfaceisreal.com does.
A round draws N questions without repeats. After each answer the reveal shows the
truth, the visitor's answer, the detector's verdict with its confidence, and what the
detector saw: the image's noise spectrum with tell-tale peaks ringed, and its averaged
curve against typical photographs and generated images. A running score pits the
visitor against the machine; the round ends with what other visitors did per item and a
short card on how to spot generated faces.

Answers come by touch or by OSC (/bayard/scene/<id>/answer real|fake, or left|right
in pair mode; /bayard/scene/<id>/start). Per-item counts (no personal data) persist in
the show's state folder, appear in /bayard/status and are pushed as "quiz" events.
With no detector available the quiz still runs and says the machine is not playing.
"""

from __future__ import annotations

import dataclasses
import logging
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pygame
from pydantic import Field, model_validator

from ..commands import Command
from ..config.common import MediaPath, SceneConfig
from ..imaging import MediaError, read_rgb, surface_from_rgb
from . import quiz_draw as draw
from . import quiz_explain as explain_words
from .quiz_check import check_quiz_faces
from .base import Scene, register_scene
from ..models.detector.crossfit import sha256_of
from .quiz_items import Item, ItemsError, QuizStats, draw_round, load_folder, load_manifest
from ..words import word_list, words
from .style import Colour, fade, rgb

log = logging.getLogger("bayard.quiz")

DEFAULT_TIPS = word_list("quiz.tips")
PAPER = (250, 248, 244)  # the answer buttons' words
PREVIEW_SIDE = 640  # display copies are kept at most this large (~1.2 MB each; keep sets to ~100 items)
_REPORTED: set[str] = set()  # broken items already logged (scenes are rebuilt on every play)
_DETECTORS: dict[tuple, Any] = {}  # loaded once per process, by (name, folder, its files)
# Judgements by (file, size, mtime, detector): the scene is rebuilt on every showing and
# judging an item costs tens of milliseconds; the cache holds no images, only results.
_JUDGED: dict[tuple[str, int, int, int], Any] = {}


class QuizConfig(SceneConfig):
    mode: Literal["single", "pair"] = Field(
        default="single",
        description="'single': real or generated? on one face; 'pair': which of two faces is real?",
    )
    real: MediaPath | None = Field(
        default="quiz/real", description="folder of real photographs (ignored with a manifest)"
    )
    fake: MediaPath | None = Field(
        default="quiz/fake", description="folder of generated images (ignored with a manifest)"
    )
    manifest: MediaPath | None = Field(
        default=None,
        description="a TOML file of [[item]] tables (image, truth = 'real'|'fake', credit); replaces the folders",
    )

    def unused_media_keys(self) -> set[str]:
        """With a manifest the folders are ignored, so `check` must not ask for them."""
        return {"real", "fake"} if self.manifest is not None else set()
    questions: int = Field(
        default=5, ge=1, le=30, description="questions in one round, each item at most once"
    )
    reveal_seconds: float = Field(
        default=18.0, gt=2, le=120, description="seconds the reveal stays before the next question"
    )
    summary_seconds: float = Field(
        default=25.0, gt=2, le=300, description="seconds the end-of-round card stays"
    )
    idle_timeout: float | None = Field(
        default=None,
        gt=0,
        description="seconds without an answer before an abandoned round returns to the start card; omitted: the show's attract.idle_timeout",
    )
    detector: str | None = Field(
        default=None, description="detector backend; omitted: the show's models.detector; 'none': no machine"
    )
    heading: str = Field(default="Real or generated?", description="the start card's title")
    tips: list[str] = Field(
        default_factory=lambda: list(DEFAULT_TIPS), description="the 'how to spot a generated face' card"
    )
    seed: int | None = Field(
        default=None, description="fixes the order of questions (tests, previews); omitted: random"
    )
    background: Colour = Field(default="#111014", description="background colour '#rrggbb'")
    foreground: Colour = Field(default="#efe9df", description="text colour '#rrggbb'")
    accent: Colour = Field(default="#e0b25c", description="highlight colour '#rrggbb'")

    @model_validator(mode="after")
    def _has_items(self) -> QuizConfig:
        if self.manifest is None and (self.real is None or self.fake is None):
            raise ValueError("give either 'manifest' or both 'real' and 'fake' folders")
        return self


@dataclass
class Prepared:
    """One item decoded and judged, ready to show (numpy only: made on a worker thread)."""

    item: Item
    image: np.ndarray
    verdict: Any = None  # detector Verdict or None
    explanation: Any = None  # detector Explanation or None
    surface: pygame.Surface | None = field(default=None, repr=False)
    spectrum: pygame.Surface | None = field(default=None, repr=False)


def _load_detector(name: str, models_dir: Path | None) -> tuple[Any, str]:
    """A detector, or None with one line saying why the machine is not playing."""
    if name == "none":
        return None, "the machine is not playing today (switched off in the scene file)"
    from ..models.detector import DETECTORS, DetectorUnavailable, load_detector
    from ..models.detector.base import DEFAULT_MODELS_DIR
    from ..registry import UnknownName

    folder = (models_dir / "detector") if models_dir is not None else DEFAULT_MODELS_DIR
    # Keyed by the folder's files and their times too, so a gallery that re-fits the
    # detector is picked up at the next showing without a restart.
    try:
        files = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.iterdir() if p.is_file()))
    except OSError:
        files = ()
    key = (name, str(folder), files)
    if key in _DETECTORS:
        return _DETECTORS[key], ""
    try:
        DETECTORS.get(name)
        detector = load_detector(name, models_dir=folder)
    except (UnknownName, DetectorUnavailable, ImportError, OSError) as error:
        return None, str(error)
    _DETECTORS[key] = detector
    return detector, ""


@register_scene("quiz")
class QuizScene(Scene):
    Config = QuizConfig
    config: QuizConfig
    check_content = staticmethod(check_quiz_faces)  # `bayard check`: items with no face

    def __init__(self, config: QuizConfig, context) -> None:
        super().__init__(config, context)
        self.t = 0.0
        self.state = "attract"  # attract -> question -> reveal -> ... -> summary -> attract
        self.state_t = 0.0
        self.idle_t = 0.0
        self.items: dict[str, Prepared] = {}
        self.problem = ""
        self.detector = None
        self.detector_note = ""
        self.stats: QuizStats | None = None
        self.rng = random.Random(config.seed)
        self.round: list[tuple[Item, ...]] = []
        self.index = 0
        self.answer: str | None = (
            None  # visitor's answer to the current question: real|fake or the chosen key
        )
        self.visitor_score = 0
        self.machine_score = 0
        self.machine_playing = False
        self.history: list[dict[str, Any]] = []
        self.rounds_played = 0

    # -- loading (worker thread: numpy only) -------------------------------------
    def prepare(self) -> None:
        c = self.config
        root = self.context.content_root
        try:
            if c.manifest is not None:
                items = load_manifest(root / c.manifest, root)
            else:
                items = load_folder(c.real, "real", root) + load_folder(c.fake, "fake", root)
        except ItemsError as error:
            self.problem = str(error)
            self.log.warning("%s", error)
            items = []
        name = c.detector or getattr(
            getattr(self.context.show_config, "models", None), "detector", "spectral"
        )
        self.detector, self.detector_note = _load_detector(name, self.context.models_dir)
        if self.detector is None:
            self.log.warning("quiz without a machine: %s", self.detector_note)
        crossfit = {}
        if self.detector is not None:
            from ..models.detector.base import DEFAULT_MODELS_DIR
            from ..models.detector.crossfit import crossfit_verdicts

            models = self.context.models_dir
            crossfit = crossfit_verdicts(models / "detector" if models is not None else DEFAULT_MODELS_DIR)
        for item in items:
            try:
                image = read_rgb(item.path)
            except MediaError as error:
                if str(item.path) not in _REPORTED:
                    _REPORTED.add(str(item.path))
                    self.log.warning("quiz item skipped: %s", error)
                continue
            prepared = Prepared(item, draw.square_crop(image, min(PREVIEW_SIDE, min(image.shape[:2]))))
            if self.detector is not None:
                try:
                    stat = item.path.stat()
                    key = (str(item.path), stat.st_size, stat.st_mtime_ns, id(self.detector))
                    if key not in _JUDGED:
                        # Judged on the full decoded file, not the display copy: resizing
                        # would wash out exactly the traces the detector looks for.
                        _JUDGED[key] = self.detector.explain(image)
                    prepared.explanation = _JUDGED[key]
                    prepared.verdict = prepared.explanation.verdict
                    if crossfit:
                        # a gallery's cross-fitted verdict: from a model that never saw this item
                        own = crossfit.get(sha256_of(item.path))
                        if own is not None:
                            prepared.explanation = _with_crossfit(prepared.explanation, own)
                            prepared.verdict = own
                except Exception as error:  # a detector failing on one item must not stop the quiz
                    if str(item.path) not in _REPORTED:
                        _REPORTED.add(str(item.path))
                        self.log.warning("detector failed on %s: %s", item.path, error)
            self.items[item.key] = prepared
        stats_path = Path(self.context.state_dir) / "quiz" / f"{self.id}.json"
        self.stats = QuizStats(stats_path)
        if not self.items and not self.problem:
            self.problem = "no quiz items could be loaded; put images in the quiz folders"

    def enter(self) -> None:
        if self.stats is None:
            self.prepare()

    def _surface(self, prepared: Prepared) -> pygame.Surface:
        if prepared.surface is None:
            prepared.surface = surface_from_rgb(prepared.image)
        return prepared.surface

    def _spectrum(self, prepared: Prepared, side: int) -> pygame.Surface:
        if prepared.spectrum is None or prepared.spectrum.get_width() != side:
            # the cue that weighed most: the face detector's map, or the spectrum
            picture = getattr(prepared.explanation, "picture", None)
            prepared.spectrum = (
                draw.picture_surface(picture, side)
                if picture is not None
                else draw.spectrum_surface(prepared.explanation, side)
            )
        return prepared.spectrum

    # -- what the sequencer asks ---------------------------------------------------
    @property
    def holding(self) -> bool:
        return self.state != "attract"

    def natural_duration(self) -> float | None:
        return 40.0

    def _idle_limit(self) -> float:
        if self.config.idle_timeout is not None:
            return self.config.idle_timeout
        attract = getattr(self.context.show_config, "attract", None)
        return float(getattr(attract, "idle_timeout", 45.0))

    def status(self) -> dict[str, Any]:
        stats = self.stats.items if self.stats else {}
        return {
            "state": self.state,
            "mode": self.config.mode,
            "items": len(self.items),
            "question": self.index + 1 if self.state in ("question", "reveal") else None,
            "questions": len(self.round),
            "visitor_score": self.visitor_score,
            "machine_score": self.machine_score,
            "machine_playing": self.detector is not None,
            "detector_note": self.detector_note,
            "problem": self.problem,
            "rounds_played": self.rounds_played,
            "totals": self.stats.totals() if self.stats else {},
            "per_item": {k: dict(v) for k, v in stats.items()},
        }

    # -- the round -------------------------------------------------------------------
    def _set(self, state: str) -> None:
        self.state = state
        self.state_t = 0.0

    def start_round(self) -> None:
        usable = [p.item for p in self.items.values()]
        self.round = draw_round(usable, self.config.questions, self.config.mode, self.rng)
        if not self.round:
            self.problem = self.problem or (
                "pair mode needs at least one real and one generated item"
                if self.config.mode == "pair"
                else "no items"
            )
            return
        self.index = 0
        self.visitor_score = self.machine_score = 0
        self.machine_playing = self.detector is not None
        self.history = []
        self._show_question()
        self.context.emit("quiz", (self.id, "round_started", len(self.round)))

    def _show_question(self) -> None:
        self.answer = None
        for item in self.round[self.index]:
            self.stats.shown(item.key)
        self._set("question")

    def _machine_answer(self, question: tuple[Item, ...]) -> str | None:
        verdicts = [self.items[i.key].verdict for i in question]
        if any(v is None for v in verdicts):
            return None
        if self.config.mode == "pair":
            # The machine picks as real the face it finds least likely generated.
            return question[int(np.argmin([v.probability for v in verdicts]))].key
        return verdicts[0].label

    def submit(self, answer: str) -> None:
        """Record the visitor's answer to the current question and show the reveal."""
        question = self.round[self.index]
        if self.config.mode == "pair":
            truth = next(i.key for i in question if i.truth == "real")
        else:
            truth = question[0].truth
        correct = answer == truth
        machine = self._machine_answer(question)
        machine_correct = machine == truth if machine is not None else None
        self.answer = answer
        self.visitor_score += int(correct)
        self.machine_score += int(bool(machine_correct))
        for item in question:
            self.stats.answered(item.key, correct)
        try:
            self.stats.save()
        except OSError as error:  # a full or read-only disk must not stop the visitor's game
            self.log.warning("quiz statistics not saved: %s", error)
        self.history.append({"question": question, "correct": correct, "machine_correct": machine_correct})
        self.context.emit(
            "quiz",
            (
                self.id,
                "answer",
                question[0].key if len(question) == 1 else "|".join(i.key for i in question),
                int(correct),
                -1 if machine_correct is None else int(machine_correct),
            ),
        )
        self._set("reveal")

    def _after_reveal(self) -> None:
        self.index += 1
        if self.index < len(self.round):
            self._show_question()
            return
        self.rounds_played += 1
        self.context.emit(
            "quiz", (self.id, "round_finished", self.visitor_score, self.machine_score, len(self.round))
        )
        self._set("summary")

    # -- input ----------------------------------------------------------------------
    def _normalise(self, value: Any) -> str | None:
        word = str(value).strip().lower()
        if self.config.mode == "single":
            return {
                "real": "real",
                "photo": "real",
                "photograph": "real",
                "fake": "fake",
                "generated": "fake",
                "synthetic": "fake",
            }.get(word)
        question = self.round[self.index]
        index = {"left": 0, "0": 0, "right": 1, "1": 1}.get(word)
        return question[index].key if index is not None else None

    def handle(self, command: Command) -> bool:
        if command.name == "tap" and command.pos is not None:
            return self._tap(command.pos)
        if command.name == "start":
            if self.state in ("attract", "summary"):
                self.idle_t = 0.0
                self.start_round()
            return True
        if command.name == "answer":
            self.idle_t = 0.0
            if self.state in ("attract", "summary"):
                self.start_round()
                return True
            if self.state == "reveal":
                self._after_reveal()
                return True
            answer = self._normalise(command.args[0]) if command.args else None
            if answer is None:
                expected = "real or fake" if self.config.mode == "single" else "left or right"
                self.log.warning("answer %r not understood; expected %s", command.args, expected)
                return True
            self.submit(answer)
            return True
        return False

    def _tap(self, pos: tuple[float, float]) -> bool:
        self.idle_t = 0.0
        x, y = pos
        if self.state in ("attract", "summary"):
            if self.state == "summary" and self.state_t < 1.0:
                return True  # a tap meant for the last reveal must not skip the summary
            self.start_round()
            return True
        if self.state == "reveal":
            if self.state_t >= 0.6:  # the finger that answered may still be on the glass
                self._after_reveal()
            return True
        if self.state == "question":
            for answer, rect in self._answer_targets().items():
                if rect.collidepoint(x, y):
                    self.submit(answer)
                    return True
            return True
        return False

    def update(self, dt: float) -> None:
        self.t += dt
        self.state_t += dt
        if self.state == "attract":
            return
        self.idle_t += dt
        if self.state == "reveal" and self.state_t >= self.config.reveal_seconds:
            self._after_reveal()
        elif self.state == "summary" and self.state_t >= self.config.summary_seconds:
            self._set("attract")
        elif self.state == "question" and self.idle_t >= self._idle_limit():
            self.log.info("round abandoned after %.0f s without an answer", self.idle_t)
            self.context.emit("quiz", (self.id, "round_abandoned", self.index))
            self._set("attract")

    # -- layout -----------------------------------------------------------------------
    def _geometry(self) -> dict[str, pygame.Rect]:
        w, h = self.context.size
        f = self.context.fonts
        g: dict[str, pygame.Rect] = {}
        # A screen turned upright (or nearly square) stacks picture over words: side by side,
        # its words ran off the screen and over one another.
        tall = w < 1.25 * h
        # buttons: at least ~12 mm high on a 1080p 55" screen (~1.6 px/mm); far larger here
        button_h = max(f.px(120), 44)
        if tall:
            side = min(round(w * 0.8), round(h * 0.42))
            g["single_image"] = pygame.Rect((w - side) // 2, round(h * 0.05), side, side)
            column_x, column_w = round(w * 0.08), w - 2 * round(w * 0.08)
            g["column"] = pygame.Rect(column_x, g["single_image"].bottom + round(h * 0.03), column_w,
                                      h - g["single_image"].bottom - round(h * 0.07))
            buttons_y = g["column"].y + f.px(270)
        else:
            # Sizes follow the tighter of width and height, so 16:9, 16:10 and 5:4 screens all fit.
            side = min(round(h * 0.78), round(w * 0.48))
            g["single_image"] = pygame.Rect(round(w * 0.06), (h - side) // 2, side, side)
            column_x = g["single_image"].right + round(w * 0.05)
            column_w = w - column_x - round(w * 0.05)
            g["column"] = pygame.Rect(column_x, round(h * 0.11), column_w, round(h * 0.8))
            buttons_y = round(h * 0.56)
        g["button_real"] = pygame.Rect(column_x, buttons_y, column_w, button_h)
        g["button_fake"] = pygame.Rect(column_x, g["button_real"].bottom + f.px(30), column_w, button_h)
        pair_side = min(round(h * 0.62), round(w * 0.40))
        gap = round(w * 0.04)
        left_x = (w - 2 * pair_side - gap) // 2
        top = round(h * 0.24)
        g["pair_left"] = pygame.Rect(left_x, top, pair_side, pair_side)
        g["pair_right"] = pygame.Rect(left_x + pair_side + gap, top, pair_side, pair_side)
        # reveal: the pictures, what the machine saw below them, and the words beside (or,
        # upright, below that)
        if tall:
            small = min(round(w * 0.42), round(h * 0.24))
            top = round(h * 0.04)
        else:
            small = min(round(h * 0.44), round(w * 0.24))
            top = round(h * 0.08)
        g["reveal_image"] = pygame.Rect(round(w * 0.05), top, small, small)
        g["reveal_spectrum"] = pygame.Rect(g["reveal_image"].right + f.px(24), top, small, small)
        plot_y = g["reveal_image"].bottom + f.px(30)
        plot_w = g["reveal_spectrum"].right - round(w * 0.05)
        if tall:
            g["reveal_plot"] = pygame.Rect(round(w * 0.05), plot_y, plot_w, round(h * 0.2))
            column_y = g["reveal_plot"].bottom + f.px(30)
            g["reveal_column"] = pygame.Rect(round(w * 0.05), column_y, w - 2 * round(w * 0.05),
                                             round(h * 0.97) - column_y)
        else:
            g["reveal_plot"] = pygame.Rect(round(w * 0.05), plot_y, plot_w, round(h * 0.92) - plot_y)
            rx = g["reveal_spectrum"].right + round(w * 0.04)
            g["reveal_column"] = pygame.Rect(rx, top, w - rx - round(w * 0.04), round(h * 0.84))
        return g

    def _answer_targets(self) -> dict[str, pygame.Rect]:
        g = self._geometry()
        if self.config.mode == "single":
            return {"real": g["button_real"], "fake": g["button_fake"]}
        question = self.round[self.index]
        return {question[0].key: g["pair_left"], question[1].key: g["pair_right"]}

    # -- drawing ------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(rgb(self.config.background))
        if self.state == "attract" or not self.round:
            self._draw_attract(surface)
        elif self.state == "question":
            self._draw_question(surface)
        elif self.state == "reveal":
            self._draw_reveal(surface)
        else:
            self._draw_summary(surface)

    def _colours(self):
        c = self.config
        return rgb(c.foreground), rgb(c.accent), tuple(round(v * 0.62) for v in rgb(c.foreground))

    def _previews(self) -> list[str]:
        """Up to four items for the start card, real and generated alternating so the
        card never hints at which is which (items are listed real-first)."""
        real = [k for k, p in self.items.items() if p.item.truth == "real"]
        fake = [k for k, p in self.items.items() if p.item.truth == "fake"]
        picker = random.Random(self.config.seed or 1840)
        picker.shuffle(real)
        picker.shuffle(fake)
        mixed = [k for pair in zip(fake, real, strict=False) for k in pair] + real[len(fake) :] + fake[len(real) :]
        # Never a real picture beside a fake made from it: the pair would give both away.
        chosen, sources = [], set()
        for key in mixed:
            source = self.items[key].item.source or key
            if source not in sources and len(chosen) < 4:
                chosen.append(key)
                sources.add(source)
        picker.shuffle(chosen)
        return chosen

    def _draw_attract(self, surface: pygame.Surface) -> None:
        f = self.context.fonts
        fg, accent, dim = self._colours()
        w, h = surface.get_size()
        previews = [self.items[k] for k in self._previews()]
        side = round(h * 0.26)
        x0 = (w - len(previews) * side - (len(previews) - 1) * f.px(20)) // 2
        for i, p in enumerate(previews):
            rect = pygame.Rect(x0 + i * (side + f.px(20)), round(h * 0.14), side, side)
            draw.picture(surface, self._surface(p), rect)
        heading = f.block(self.config.heading, "serif", 92, fg, round(w * 0.8), align="center")
        box = f.place(surface, heading, ((w - heading.get_width()) // 2, round(h * 0.47)))
        sub = words("quiz.invite_pair") if self.config.mode == "pair" else words("quiz.invite_single")
        line = f.block(sub, "serif-light", 40, fg, round(w * 0.8), align="center")
        box = f.place(surface, line, ((w - line.get_width()) // 2, box.bottom + f.px(24)))
        if self.problem and not self.items:
            # Visitors read that the quiz is resting; why goes to the log, status and `bayard check`.
            note = f.block(words("quiz.no_pictures"), "sans", 30, fg, round(w * 0.8), align="center")
            f.place(surface, note, ((w - note.get_width()) // 2, box.bottom + f.px(40)))
            return
        button = pygame.Rect(0, 0, f.px(520), f.px(120))
        button.top = max(box.bottom + f.px(40), round(h * 0.84) - button.height // 2)
        glow = draw.pulse(self.t)
        fill = tuple(round(a * (0.85 + 0.15 * glow)) for a in accent)
        button.centerx = w // 2
        draw.button(surface, f, button, words("quiz.play"), fill, (20, 18, 16), 44)
        if self.detector is None:
            note = f.line(words("quiz.machine_off"), "sans", 30, fg, tier="small")
            f.place(surface, note, ((w - note.get_width()) // 2, button.bottom + f.px(24)))

    def _score_line(self) -> str:
        fields = {"number": self.index + 1, "total": len(self.round), "you": self.visitor_score}
        if self.machine_playing:
            return words("quiz.score", machine=self.machine_score, **fields)
        return words("quiz.score_machine_off", **fields)

    def _draw_question(self, surface: pygame.Surface) -> None:
        f = self.context.fonts
        fg, accent, dim = self._colours()
        g = self._geometry()
        question = self.round[self.index]
        appear = fade(self.state_t, 0.0, None, 0.5)
        if self.config.mode == "single":
            draw.picture(surface, self._surface(self.items[question[0].key]), g["single_image"])
            col = g["column"]
            score = f.block(self._score_line(), "sans", 26, dim, col.width)
            f.place(surface, score, (col.x, col.y))
            prompt = f.block(
                words("quiz.ask_single"),
                "serif",
                58,
                fg,
                col.width,
                line_spacing=1.15,
            )
            prompt_y = col.y + max(f.px(70), score.get_height() + f.px(20))
            f.place(surface, prompt, (col.x, prompt_y), alpha=appear)
            # White words on these fills read at 5:1 and more (4.5:1 is the kiosk floor).
            draw.button(surface, f, g["button_real"], words("quiz.answer_real"), (60, 112, 150), PAPER, 44)
            draw.button(surface, f, g["button_fake"], words("quiz.answer_fake"), (176, 70, 56), PAPER, 44)
        else:
            w, h = surface.get_size()
            score = f.block(self._score_line(), "sans", 26, dim, w - 2 * g["pair_left"].x)
            f.place(surface, score, (g["pair_left"].x, round(h * 0.05)))
            prompt = f.line(words("quiz.ask_pair"), "serif", 60, fg)
            f.place(surface, prompt, ((w - prompt.get_width()) // 2, round(h * 0.1)), alpha=appear)
            for item, key in zip(question, ("pair_left", "pair_right"), strict=True):
                draw.picture(surface, self._surface(self.items[item.key]), g[key])
            hint = f.line(words("quiz.hint_pair"), "sans", 28, dim)
            f.place(surface, hint, ((w - hint.get_width()) // 2, g["pair_left"].bottom + f.px(30)))

    def _draw_reveal(self, surface: pygame.Surface) -> None:
        f = self.context.fonts
        fg, accent, dim = self._colours()
        g = self._geometry()
        question = self.round[self.index]
        record = self.history[-1]
        col = g["reveal_column"]
        if self.config.mode == "single":
            shown = self.items[question[0].key]
            draw.picture(surface, self._surface(shown), g["reveal_image"])
            truth_text = words(f"quiz.truth_{shown.item.kind}")
            said = words("quiz.said_real" if self.answer == "real" else "quiz.said_fake")
            explained = shown
        else:
            fake_item = next(i for i in question if i.truth == "fake")
            # pair: both faces on the left, stacked small, the real one outlined
            half = g["reveal_image"].height // 2 - f.px(6)
            label_y = g["reveal_image"].y + half + f.px(8)
            label_end = -1  # where the last label ends: a long one ("GENERATED") under a small
            # picture reaches under the next, whose label then goes a line lower
            for n, item in enumerate(question):
                rect = pygame.Rect(
                    g["reveal_image"].x + n * (half + f.px(12)), g["reveal_image"].y, half, half
                )
                draw.picture(
                    surface,
                    self._surface(self.items[item.key]),
                    rect,
                    border=(132, 208, 140) if item.truth == "real" else None,
                    width=f.px(5),
                )
                label = f.line(
                    words(f"quiz.label_{item.kind}"),
                    "sans-semibold",
                    24,
                    (132, 208, 140) if item.truth == "real" else (230, 110, 96),
                )
                if rect.x <= label_end + f.px(8):
                    label_y += label.get_height() + f.px(4)
                f.place(surface, label, (rect.x, label_y))
                label_end = rect.x + label.get_width()
            truth_text = words("quiz.truth_pair_right" if record["correct"] else "quiz.truth_pair_wrong")
            side = words("quiz.left" if question[0].key == self.answer else "quiz.right")
            said = words("quiz.said_side", side=side)
            explained = self.items[fake_item.key]
        # what the detector saw
        if explained.explanation is not None:
            spectrum_rect = g["reveal_spectrum"]
            surface.blit(self._spectrum(explained, spectrum_rect.width), spectrum_rect)
            whose = explain_words.picture_caption(explained.explanation, self.config.mode == "pair",
                                                  explained.item.kind)
            caption = f.line(whose, "sans", 22, dim)
            f.place(surface, caption, (spectrum_rect.x, spectrum_rect.bottom + f.px(4)))
            plot = g["reveal_plot"].copy()
            plot.y += f.px(24)
            plot.height -= f.px(24)
            if getattr(explained.explanation, "cue", "spectrum") == "pixels":
                # the face detector: its curve would not be what weighed; show the eyes instead
                draw.eyes_panel(surface, f, plot, explained.explanation, fg)
            else:
                draw.curve_plot(surface, f, plot, explained.explanation, fg, accent)
        # the words
        y = col.y
        headline = f.block(truth_text, "serif-semibold", 50, fg, col.width, line_spacing=1.12)
        f.place(surface, headline, (col.x, y))
        y += headline.get_height() + f.px(30)
        you = f.block(words("quiz.you_said", said=said), "sans", 32, fg, col.width - f.px(60))
        draw.tick(surface, (col.x + f.px(20), y + f.px(20)), f.px(36), record["correct"])
        f.place(surface, you, (col.x + f.px(56), y))
        y += you.get_height() + f.px(20)
        if record["machine_correct"] is None:
            machine_text = words("quiz.machine_off")
        else:
            verdict = explained.verdict
            word = words("quiz.said_fake" if verdict.fake else "quiz.said_real")
            if self.config.mode == "pair":
                picked = self._machine_answer(question)
                side = words("quiz.left" if question[0].key == picked else "quiz.right")
                machine_text = words("quiz.machine_said_pair", side=side,
                                     kind=words(f"quiz.kind_{explained.item.kind}"),
                                     percent=round(100 * verdict.probability))
            elif getattr(explained.explanation, "unsure", False):
                machine_text = words("quiz.machine_unsure", word=word)
            else:
                machine_text = words("quiz.machine_said", word=word, percent=round(100 * verdict.confidence))
            draw.tick(surface, (col.x + f.px(20), y + f.px(20)), f.px(36), bool(record["machine_correct"]))
        machine = f.block(machine_text, "sans", 32, fg, col.width - f.px(60))
        f.place(surface, machine, (col.x + f.px(56), y))
        y += machine.get_height() + f.px(28)
        # bottom up: the button, the score, the credit; the explanation only where it fits
        nxt = pygame.Rect(col.x, col.bottom - f.px(84), col.width, f.px(84))
        score = f.block(self._score_line(), "sans-semibold", 30, accent, col.width, tier="small")
        limit = nxt.y - f.px(32) - score.get_height()
        credit = explained.item.credit if self.config.mode == "single" else ""
        if credit:
            block = f.block(credit, "sans", 20, dim, col.width)
            limit -= block.get_height()
            f.place(surface, block, (col.x, limit))
            limit -= f.px(16)
        if explained.explanation is not None:
            # the fullest account that fits: what the machine saw first, then the rest
            fitted = None
            for why in explain_words.accounts(explained.explanation, explained.item.kind):
                for size in (40, 34, 30):
                    text = f.block(why, "serif-light", size, fg, col.width, line_spacing=1.3, tier="small")
                    if y + text.get_height() <= limit:
                        fitted = text
                        break
                if fitted is not None:
                    f.place(surface, fitted, (col.x, y))
                    break
        # Bottom up, by measured height: the button, then the score line above it.
        f.place(surface, score, (col.x, nxt.y - f.px(16) - score.get_height()))
        last = self.index + 1 >= len(self.round)
        draw.button(surface, f, nxt, words("quiz.finish" if last else "quiz.next"), (60, 58, 66), fg, 32)

    def _draw_summary(self, surface: pygame.Surface) -> None:
        f = self.context.fonts
        fg, accent, dim = self._colours()
        w, h = surface.get_size()
        n = len(self.round)
        machine = (
            words("quiz.summary_machine", machine=self.machine_score, total=n)
            if self.machine_playing
            else words("quiz.summary_machine_off")
        )
        left = round(w * 0.06)
        heading = f.block(words("quiz.summary", you=self.visitor_score, total=n, machine=machine),
                          "serif-semibold", 60, fg, w - 2 * left)
        f.place(surface, heading, (left, round(h * 0.07)))
        top = max(round(h * 0.2), round(h * 0.07) + heading.get_height() + f.px(30))
        again = pygame.Rect(left, round(h * 0.88), round(w * 0.3), f.px(90))
        # The card on how to spot a generated face: beside the answers, or below them on a
        # screen turned upright (beside them there, the answers wrapped a word to a line).
        tall = w < 1.25 * h
        thumb = round(min(h * 0.105, w * 0.1))
        rows_h = len(self.history) * (thumb + f.px(14))
        if tall:
            card = pygame.Rect(left, top + rows_h + f.px(30), w - 2 * left, 0)
            card.height = again.y - f.px(30) - card.y
            text_right = w - left
        else:
            card = pygame.Rect(round(w * 0.62), top, round(w * 0.33), again.bottom - top)
            text_right = card.x - f.px(40)
        # per question: thumbnail(s) and what other visitors did
        y = top
        for record in self.history:
            x = left
            for item in record["question"]:
                rect = pygame.Rect(x, y, thumb, thumb)
                draw.picture(surface, self._surface(self.items[item.key]), rect)
                x += thumb + f.px(8)
            share = self.stats.share_correct(record["question"][0].key) if self.stats else None
            answered = (
                self.stats.items.get(record["question"][0].key, {}).get("answered", 0) if self.stats else 0
            )
            if share is None or answered <= 1:  # the only answer so far is this visitor's own
                others = words("quiz.first_answer")
            else:
                others = words("quiz.others", percent=round(share * 100), answers=answered)
            if len(record["question"]) == 1:
                truth = words(f"quiz.was_{record['question'][0].kind}")
                others = f"{truth} {others}"
            draw.tick(surface, (x + f.px(24), y + thumb // 2), f.px(34), record["correct"])
            said = f.block(others, "sans", 28, fg, text_right - (x + f.px(60)), tier="small")
            f.place(surface, said, (x + f.px(60), y + (thumb - said.get_height()) // 2))
            y += thumb + f.px(14)
        title = f.block(words("quiz.tips_title"), "serif-semibold", 38, accent, card.width - f.px(60))
        # As many tips as the card holds, in order, at a size a kiosk can read (the five
        # default tips once ran off the card and the bottom of the screen); the card is as
        # tall as what it holds.
        room = card.height - f.px(30 + 20 + 24) - title.get_height()
        tips = []
        for tip in self.config.tips:
            block = f.block(tip, "sans", 25, fg, card.width - f.px(80), line_spacing=1.25, tier="small")
            if block.get_height() > room:
                break
            tips.append(block)
            room -= block.get_height() + f.px(16)
        if room < 0 and not tips:  # not even the title and one tip: no card
            card.height = 0
        card.height -= max(0, room)
        if card.height > 0:
            pygame.draw.rect(surface, (30, 28, 34), card, border_radius=f.px(16))
            cy = card.y + f.px(30)
            f.place(surface, title, (card.x + f.px(30), cy))
            cy += title.get_height() + f.px(20)
            for block in tips:
                pygame.draw.circle(surface, accent, (card.x + f.px(40), cy + f.px(15)), f.px(5))
                f.place(surface, block, (card.x + f.px(56), cy))
                cy += block.get_height() + f.px(16)
        draw.button(surface, f, again, words("quiz.again"), accent, (20, 18, 16), 36)


def _with_crossfit(explanation, verdict):
    """The explanation with a gallery's cross-fitted verdict. Its map, ring and place still
    speak for the shipped detector's side (map_fake), and how sure the machine is now
    follows the new verdict."""
    import math

    from ..models.detector.facedet import UNSURE_BAND

    own = explanation.verdict
    map_fake = own.fake if own is not None else None
    unsure = explanation.unsure
    if verdict.log_odds is not None and 0.0 < verdict.threshold < 1.0:
        line = math.log(verdict.threshold / (1.0 - verdict.threshold))
        unsure = abs(verdict.log_odds - line) < UNSURE_BAND  # as sure as the face detector's
    return dataclasses.replace(explanation, verdict=verdict, map_fake=map_fake, unsure=unsure)

