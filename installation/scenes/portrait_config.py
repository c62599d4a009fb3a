"""The keys of a `portrait` scene file (docs/reference.md is generated from them)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..config.common import MediaPath, MotionBackendName, SceneConfig, Strict
from ..models.motion import PICTURES
from ..words import words
from .style import Colour


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
    lips_hidden: bool = Field(
        default=False,
        description=("the sitter's moustache hides both lips: the mouth opens below its fringe, not through "
                     "it (mesh backend; see docs/portrait.md)"),
    )
    picture: Literal[PICTURES] = Field(  # type: ignore[valid-type]
        default="auto",
        description=("what the picture is, which decides how its closed eyelids and its opening mouth are "
                     "painted: 'auto' reads it from the picture (a painting as a photograph); 'photograph' "
                     "shaded skin; 'painting' (oil, watercolour, a miniature, a pastel) shaded skin, and the "
                     "dark line between its closed lips read as the painter's stroke however small the face "
                     "(a pale miniature's yawn is then a warm mid-dark, not a black hole); 'drawing' (pencil, "
                     "chalk, a wash on paper) its paper with a drawn lash line; 'print' (two-tone ink on "
                     "paper: a woodcut, a monotype) its ink and paper; 'halftone' (a book's printed "
                     "photograph) its dots. `bayard portrait inspect` says what 'auto' reads (mesh backend; "
                     "see docs/portrait.md)"),
    )


class PortraitConfig(SceneConfig):
    portraits: list[PortraitItem] = Field(
        default_factory=list,
        description="portraits a visitor can choose among; empty (or none that can be animated): the show's "
                    "own sitter, Thoreau's 1856 daguerreotype (with that file gone too, a sitter the computer draws)",
    )
    backend: MotionBackendName = Field(default="", description="motion backend for this scene; empty: [models] motion")
    heading: str = Field(default=words("portrait.heading"), description="the invitation")
    heading_no_camera: str = Field(
        default=words("portrait.heading_no_camera"),
        description="said instead of `heading` while the kiosk has no working camera (it must not invite a move)",
    )
    about: str = Field(
        default=words("portrait.about"),
        description="a short text beside the portrait while nobody is in front of it",
    )
    about_no_camera: str = Field(
        default=words("portrait.about_no_camera"),
        description="said instead of `about` while the kiosk has no working camera (it must not promise one)",
    )
    without_camera: Literal["explain", "skip"] = Field(
        default="explain",
        description=(
            "with no working camera: 'explain' shows the portrait with `about_no_camera`; "
            "'skip' moves the show on to the next scene"
        ),
    )
    card: str = Field(
        default="",
        description=(
            "what the visitor reads when they arrive; empty: a built-in text that says nothing is recorded "
            "(installation/words.toml)"
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
        default="Moved by a computer, following your face",
        description=(
            "the small note under the portrait saying it is synthetic media, while a visitor's face moves it "
            "(never empty)"
        ),
        min_length=1,
    )
    disclosure_idle: str = Field(
        default="Moved by a computer, on its own",
        description=(
            "the note while the portrait moves by itself though the camera works: before a visitor comes, "
            "and through the card and the countdown until their face takes over (never empty)"
        ),
        min_length=1,
    )
    disclosure_no_camera: str = Field(
        default="Moved by a computer",
        description="the note while the kiosk has no working camera and the portrait stirs by itself (never empty)",
        min_length=1,
    )
    background: Colour = Field(default="#14110e", description="wall colour '#rrggbb'")
    foreground: Colour = Field(default="#efe6d8", description="text colour '#rrggbb'")
    accent: Colour = Field(default="#b89a72", description="prompt and credit colour '#rrggbb'")
