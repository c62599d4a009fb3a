"""The keys of a `loop` scene file: its items, an optional generator, and how items
change (docs/reference.md is generated from them)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from ..config.common import MediaPath, SceneConfig, Strict
from ..words import words
from .style import Colour


class LoopItem(Strict):
    file: MediaPath = Field(description="an image or video, relative to the content folder")
    caption: str | None = Field(default=None, description="replaces the scene's caption for this item")
    credit: str = Field(default="", description="small print under the caption: who made it, with what")
    real: bool = Field(default=False, description="a real person: the caption turns into the reveal")
    duration: float | None = Field(
        default=None,
        gt=0,
        le=3600,
        description="seconds on screen; omitted: item_duration for images, the film's length for videos",
    )


class GeneratorSpec(Strict):
    checkpoint: str = Field(
        description="generator checkpoint (.pt) relative to the show folder, e.g. models/generator/faces64.pt"
    )
    fallback: MediaPath | None = Field(
        default=None, description="pre-rendered loop played where live generation cannot run (no GPU)"
    )
    live: Literal["auto", "always", "never"] = Field(
        default="auto",
        description="auto: live only with a CUDA GPU; always: also on a CPU; never: fallback only",
    )
    seconds_per_face: float = Field(
        default=3.0, ge=0.5, le=60, description="walk time from one face to the next"
    )
    faces: int = Field(default=12, ge=2, le=1000, description="faces on the closed walk before it repeats")
    seed: int = Field(default=0, description="which faces the walk visits")
    truncation: float = Field(
        default=0.7, ge=0, le=1, description="StyleGAN2: closer to the average face when lower"
    )
    fps: float = Field(default=30, ge=5, le=120, description="frames generated per second")

    @field_validator("checkpoint")
    @classmethod
    def _relative(cls, value: str) -> str:
        if Path(value).is_absolute() or ".." in Path(value).parts:
            raise ValueError(f"'{value}': give the checkpoint relative to the show folder, without '..'")
        return value


class LoopConfig(SceneConfig):
    folder: str | None = Field(
        default=None,
        description=("a folder in the content folder ('faces': the files in it) or a glob, e.g. 'faces/*.jpg'; "
                     "looked at again as files change. Pictures "
                     "(JPEG, PNG, WebP, TIFF, BMP; a GIF as a still, its first frame) and films (MP4, MOV, MKV, "
                     "WebM...) play; other files are passed over, and `bayard check` names them"),
    )
    items: list[LoopItem] = Field(
        default_factory=list, description="files with their own captions and credits"
    )
    generator: GeneratorSpec | None = Field(
        default=None, description="generate faces instead of playing files"
    )
    item_duration: float = Field(default=8.0, gt=0, le=3600, description="seconds each image stays")
    change: Literal["crossfade", "morph", "cut"] = Field(
        default="crossfade",
        description="how one item gives way to the next; morph (optical flow) between still images, "
        "a crossfade where a video is involved",
    )
    change_duration: float = Field(
        default=1.5, ge=0, le=10, description="seconds a crossfade or morph between items takes"
    )
    shuffle: bool = Field(default=False, description="random order, never the same item twice in a row")
    seed: int | None = Field(
        default=None, description="fix the shuffle order (omitted: different every time)"
    )
    caption: str = Field(default="This person doesn’t exist.", description="shown under generated faces")
    reveal: str = Field(
        default="This person does exist.", description="what the caption becomes for real people"
    )
    reveal_at: float = Field(
        default=0.55, gt=0, lt=1, description="fraction of a real item's time when it is revealed"
    )
    heading: str = Field(default="", description="a small line above the caption, e.g. the work's title")
    body: str = Field(default="", description="a short text in the side column")
    credit: str = Field(default="", description="credit shown for items without their own")
    layout: Literal["beside", "full"] = Field(
        default="beside", description="beside: picture left, text right; full: picture fills the screen"
    )
    fit: Literal["contain", "cover"] = Field(
        default="contain", description="contain shows it whole; cover fills"
    )
    placeholder: str = Field(
        default=words("loop.placeholder"),
        description=("the line visitors read while there is nothing to play: for 5 s, then the show goes on to "
                     "its next scene, where it has one that may show something (`bayard check` tells staff why)"),
    )
    background: Colour = Field(default="#0f0e0d", description="wall colour '#rrggbb'")
    foreground: Colour = Field(default="#efe6d8", description="text colour '#rrggbb'")
    accent: Colour = Field(default="#b89a72", description="heading and credit colour '#rrggbb'")

    def folder_files(self, content_root: Path) -> list[Path]:
        """The pictures and films `folder` matches now, in the order the loop plays them (the
        scene and the films copied ahead off a USB stick read the same list). Links to folders
        are followed, each real folder once (glob.glob walked two links back up the tree
        without end), and the count is bounded, with a warning naming the folder."""
        from ..media.folder_pattern import pattern_files
        from ..media.sources import IMAGE_SUFFIXES, VIDEO_SUFFIXES

        if not self.folder:
            return []
        found = pattern_files(Path(content_root), self.folder)
        return [path for path in found if path.suffix.lower() in IMAGE_SUFFIXES | VIDEO_SUFFIXES]

    @field_validator("folder")
    @classmethod
    def _folder_inside(cls, value: str | None) -> str | None:
        if value is not None and (Path(value).is_absolute() or ".." in Path(value).parts):
            raise ValueError(f"'{value}': the folder glob must stay inside the content folder (no '..')")
        return value

    @model_validator(mode="after")
    def _something_to_play(self) -> LoopConfig:
        if self.folder is None and not self.items and self.generator is None:
            raise ValueError("a loop needs 'folder', 'items' or 'generator' (something to play)")
        return self
