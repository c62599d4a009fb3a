"""The `quiz` scene's settings: its items, the machine it plays against, the round's pace
and the start card's words (the game itself is quiz.py)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from ..config.common import DetectorName, MediaFolder, MediaPath, SceneConfig
from ..words import word_list
from .style import Colour

DEFAULT_TIPS = word_list("quiz.tips")


class QuizConfig(SceneConfig):
    mode: Literal["single", "pair"] = Field(
        default="single",
        description="'single': real or generated? on one face; 'pair': which of two faces is real?",
    )
    real: MediaFolder | None = Field(
        default="quiz/real", description="folder of real photographs (ignored with a manifest)"
    )
    fake: MediaFolder | None = Field(
        default="quiz/fake", description="folder of generated images (ignored with a manifest)"
    )
    manifest: MediaPath | None = Field(
        default=None,
        description="a TOML file of [[item]] tables (image, truth = 'real'|'fake'|'altered', credit, source, "
        "match); replaces the folders",
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
        description="seconds without an answer before an abandoned round returns to the start card; "
                    "omitted: the show's attract.idle_timeout",
    )
    detector: DetectorName | None = Field(
        default=None, description="detector backend; omitted: the show's models.detector; 'none': no machine"
    )
    heading: str = Field(default="Real or generated?", description="the start card's title")
    tips: list[str] = Field(
        default_factory=lambda: list(DEFAULT_TIPS),
        description="the 'how to spot a generated face' card (as many as it holds, in order)"
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
