"""The keys of a `video` scene file (docs/reference.md is generated from them)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..config.common import MediaPath, SceneConfig
from .style import Colour


class VideoConfig(SceneConfig):
    file: MediaPath = Field(description="the film, relative to the content folder (mp4, mov, mkv, webm)")
    subtitles: MediaPath | None = Field(
        default=None, description="an .srt file of subtitles to show over the film"
    )
    on_end: Literal["advance", "loop"] = Field(
        default="advance", description="advance: the show moves on when the film ends; loop: play it again"
    )
    fit: Literal["contain", "cover"] = Field(
        default="contain", description="contain: whole film, bars if needed; cover: fill the screen, cropping"
    )
    caption: str = Field(
        default="", description="a title line shown at the start, e.g. the work and its maker"
    )
    credit: str = Field(default="", description="small print shown with the caption")
    caption_seconds: float = Field(default=8.0, ge=0, le=600, description="how long caption and credit stay")
    subtitle_size: float = Field(default=40, ge=16, le=96, description="subtitle size in pixels at 1080p")
    background: Colour = Field(default="#000000", description="colour of the bars around the film '#rrggbb'")
    foreground: Colour = Field(default="#f4efe6", description="subtitle and caption colour '#rrggbb'")
    accent: Colour = Field(default="#b89a72", description="credit colour '#rrggbb'")
    audio: bool = Field(
        default=False,
        description="play the film's sound (films up to 10 min); off by default: most galleries are silent",
    )
    volume: float = Field(
        default=1.0, ge=0.0, le=1.0, description="sound level from 0 (silent) to 1 (the film's own level)"
    )
