"""`quiz`: "Real or generated?", the visitor against the machine.

Two modes: "single" shows one face and asks real or generated (two large buttons);
"pair" shows two faces, one real, and asks which (touch it), as whichfaceisreal.com does.
A round draws N questions without repeats. After each answer the reveal shows the
truth, the visitor's answer, the detector's verdict with its confidence, and what the
detector saw: the image's noise spectrum with tell-tale peaks ringed, and its averaged
curve against typical photographs and generated images. A running score pits the
visitor against the machine; the round ends with what other visitors did per item and a
short card on how to spot generated faces.

Answers come by touch or by OSC (/bayard/scene/<id>/answer real|fake, or left|right in
pair mode, upper|lower too as an upright screen stacks the pair; /bayard/scene/<id>/start).
Per-item counts (no personal data) persist in the show's state folder, appear in
/bayard/status and are pushed as "quiz" events.
With no detector available the quiz still runs and says the machine is not playing.
This module holds the game; its items are made ready in quiz_prepared and its screens are
drawn by quiz_asking (start card, questions), quiz_screens (the reveal) and quiz_summary.
"""

from __future__ import annotations

import logging
import math
import random
from typing import Any

import numpy as np
import pygame

from ..commands import Command, echo, reply_to
from ..words import words
from . import quiz_asking as asking
from . import quiz_layout
from . import quiz_screens as screens
from . import quiz_summary as summary
from .base import Scene, Verb, register_scene
from .quiz_answers import EXPECTED, RELEASE_S, is_release, read_answer
from .quiz_check import check_quiz_faces
from .quiz_config import QuizConfig
from .quiz_items import Item, QuizStats, draw_round
from .quiz_prepared import Prepared, Preparing
from .style import rgb

log = logging.getLogger("bayard.quiz")


@register_scene("quiz")
class QuizScene(Preparing, Scene):
    Config = QuizConfig
    config: QuizConfig
    verbs = (
        Verb("start", "", "start a round from the start card or the summary (a round in play goes on)"),
        Verb("answer", "<real|fake> or <left|right>",
             "answer the question showing, as a visitor's touch would: in single mode real or fake (also photo, "
             "photograph, generated, synthetic; no number); in pair mode which picture is real: left (upper, top, "
             "0 or 0.0) or right (lower, bottom, 1 or 1.0). On the start card or the summary any answer starts a "
             "round, during a reveal it moves on; a number 0 within 0.6 s of an answer is a desk button's release "
             "and is ignored; an answer not understood is answered with an error naming what the mode takes"),
    )
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
        self.verdicts: dict[str, int] = {}  # the machine's verdicts: read back from disk, judged, remembered
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
        self.machine_at_chance = False
        self.history: list[dict[str, Any]] = []
        self.rounds_played = 0
        self.answered_at = -math.inf  # self.t of the last answer from outside (see quiz_answers.is_release)

    def enter(self) -> None:
        if self.stats is None:
            self.prepare()

    # -- what the sequencer asks ---------------------------------------------------
    @property
    def holding(self) -> bool:
        return self.state != "attract"

    def natural_duration(self) -> float | None:
        return 40.0

    def idle_limit(self) -> float | None:
        # The scene's own idle_timeout holds the show as long as it holds the round: with
        # the show's shorter one the show moved on mid-round.
        return self.config.idle_timeout

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
            "verdicts": dict(self.verdicts),
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

    def machine_answer(self, question: tuple[Item, ...]) -> str | None:
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
        machine = self.machine_answer(question)
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
    def handle(self, command: Command) -> bool:
        if command.name == "tap" and command.pos is not None:
            return self._tap(command.pos)
        if command.name == "start":
            if self.state in ("attract", "summary"):
                self.idle_t = 0.0
                self.start_round()
            return True
        if command.name == "answer":
            if command.args and is_release(command.args[0], self.t - self.answered_at):
                return True  # the button that answered, let go: not a second answer
            self.answered_at = self.t
            self.idle_t = 0.0
            if self.state in ("attract", "summary"):
                self.start_round()
                return True
            if self.state == "reveal":
                self._after_reveal()
                return True
            answer = read_answer(command.args[0], self.config.mode) if command.args else None
            if answer is None:
                expected = EXPECTED[self.config.mode]
                self.log.warning("answer %s not understood; expected %s", echo(command.args), expected)
                # The desk that sent it is told, not only the log.
                reply_to(command, "error", f"answer {echo(command.args)} not understood; expected {expected}")
                return True
            self.submit(self.round[self.index][answer].key if isinstance(answer, int) else answer)
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
            if self.state_t >= RELEASE_S:  # the finger that answered may still be on the glass
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
        return quiz_layout.geometry(self)

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
            asking.draw_attract(self, surface)
        elif self.state == "question":
            asking.draw_question(self, surface)
        elif self.state == "reveal":
            screens.draw_reveal(self, surface)
        else:
            summary.draw_summary(self, surface)

    def previews(self) -> list[str]:
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

    def score_line(self, number: int | None = None, you: int | None = None, machine: int | None = None) -> str:
        """The running score (or, given `number`, `you` and `machine`, the score as it would
        read then). Where it takes two lines, it breaks between its parts, each kept whole
        (at 1280x1024 it read "... you 1 · the" over "machine 0")."""
        fields = {"number": self.index + 1 if number is None else number, "total": len(self.round),
                  "you": self.visitor_score if you is None else you}
        if self.machine_playing:
            line = words("quiz.score", machine=self.machine_score if machine is None else machine, **fields)
        else:
            line = words("quiz.score_machine_off", **fields)
        parts = [part.strip().replace(" ", "\u00a0") for part in line.split("·")]
        return "\u00a0·  ".join(parts) if len(parts) > 1 else line
