"""The `photograph` scene's settings: keyframes, captions and the back of the print."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from ..config.common import MediaPath, SceneConfig, Strict
from ..words import words
from .style import Colour

FLIP_S = 1.2  # seconds the print takes to turn over


class Keyframe(Strict):
    at: float = Field(ge=0, description="seconds from the start of the scene")
    center: tuple[Annotated[float, Field(ge=0.0, le=1.0)], Annotated[float, Field(ge=0.0, le=1.0)]] = Field(
        default=(0.5, 0.5), description="point of the image at the centre, 0..1 each (0, 0 is the top left)")
    zoom: float = Field(default=1.0, ge=1.0, le=8.0, description="1 shows the whole image; 2 shows half its width")


class Caption(Strict):
    at: float = Field(ge=0, description="seconds from the start when the caption fades in")
    until: float | None = Field(default=None, gt=0, description="seconds when it fades out; omitted: stays")
    role: Literal["title", "date", "body", "quote", "credit"] = Field(
        default="body", description="where and how it is set: title, date, body, quote or credit"
    )
    text: str = Field(description="the words; a blank line starts a new paragraph")

    @model_validator(mode="after")
    def _until_after_at(self) -> Caption:
        if self.until is not None and self.until <= self.at:
            raise ValueError(f"'until' ({self.until}) must be later than 'at' ({self.at})")
        return self


class Verso(Strict):
    at: float = Field(ge=0, description="seconds when the print turns over")
    until: float | None = Field(default=None, gt=0, description="seconds when it turns back; omitted: stays")
    text: str = Field(description="what is written on the back, in the original language")
    translation: str = Field(default="", description="a translation shown in the text column")
    attribution: str = Field(default="", description="who wrote it and when (in the credit's place without a "
                                                        "translation)")

    @model_validator(mode="after")
    def _turns_back_after_it_turns(self) -> Verso:
        # An 'until' before 'at' passed, and the print flipped once and never showed its back.
        if self.until is not None and self.until <= self.at + FLIP_S:
            raise ValueError(f"'until' ({self.until}) must be later than 'at' ({self.at}) plus the "
                             f"{FLIP_S:g} s the print takes to turn")
        return self


class PhotographConfig(SceneConfig):
    @property
    def standin_caption(self) -> str:
        """The words beside whatever stands in for a missing image."""
        if self.standin is not None:
            return self.standin
        return words("photograph.standin") if self.standin_drawing == "bayard" else ""

    image: MediaPath = Field(description="the photograph, relative to the content folder")
    standin_drawing: Literal["none", "bayard"] = Field(
        default="none",
        description=(
            "what hangs while the image is missing or unreadable: 'none', an empty mat; 'bayard', the "
            "drawing of Bayard's drowned man made for this show (for his print only: it tells his story)"
        ),
    )
    standin: str | None = Field(
        default=None,
        description=(
            "caption shown while the image is missing or unreadable (default: with the Bayard drawing, "
            "that it is a drawing; with an empty mat, none). Credit captions, which credit the print, "
            "are shown only with the print itself"
        ),
    )
    keyframes: list[Keyframe] = Field(default_factory=list, description="pan and zoom over time")
    captions: list[Caption] = Field(default_factory=list, description="timed texts beside the photograph")
    verso: Verso | None = Field(default=None, description="the text on the back of the print, revealed by a turn")
    background: Colour = Field(default="#15120f", description="wall colour '#rrggbb'")
    foreground: Colour = Field(default="#efe6d8", description="text colour '#rrggbb'")
    accent: Colour = Field(default="#b89a72", description="date and credit colour '#rrggbb'")
    fade: float = Field(default=1.2, ge=0, le=5, description="seconds captions take to fade")

    @model_validator(mode="after")
    def _keyframes_in_order(self) -> PhotographConfig:
        times = [k.at for k in self.keyframes]
        if times != sorted(times):
            raise ValueError(f"keyframes must be in time order; their 'at' values are {times}")
        return self
