"""Schema pieces shared by the show file and every scene kind.

Every model forbids unknown keys, so a typo is reported (with the nearest valid key)
instead of being silently ignored. Media paths are checked against the content root
given in the validation context: anything that escapes it is rejected.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)  # TOML has inf and nan


class Transition(Strict):
    kind: Literal["cut", "crossfade"] = Field(
        default="crossfade",
        description="cut (instant) or crossfade (the pictures blend over the whole of it; the leaving "
                    "scene's words go in its first third, the next scene's come in its last)")
    duration: float = Field(default=1.0, ge=0.0, le=10.0, description="seconds")


def _check_media_path(value: str, info: ValidationInfo) -> str:
    """Reject paths that escape the content root; existence is checked later, with the
    file named, by `bayard check` and at scene load (a missing file is not a schema error
    because the show must still start and show a placeholder)."""
    if not value or not value.strip():
        raise ValueError("a media path may not be empty")
    path = Path(value)
    if path.is_absolute():
        raise ValueError(
            f"'{value}' is an absolute path; media paths are relative to the content folder "
            "(put the file inside content/ and write its path from there)"
        )
    if ".." in path.parts:
        raise ValueError(f"'{value}' leaves the content folder ('..' is not allowed); copy the file into content/")
    context = info.context or {}
    root = context.get("content_root")
    if root is not None:
        try:
            resolved = (Path(root) / path).resolve()
        except (RuntimeError, OSError):  # (Python raises RuntimeError for a symlink loop)
            # A link that leads back to itself once faulted the quiz's manifest reading and
            # `check` alike, instead of naming the one file.
            raise ValueError(f"'{value}' is a link that leads round in a circle (a symlink loop); "
                             "put the file itself there") from None
        if not resolved.is_relative_to(Path(root).resolve()):
            raise ValueError(f"'{value}' resolves outside the content folder (through a link?)")
    return value


class _MediaMark:
    """Marks a field as a media path so `bayard check` can find every media reference."""

    def __repr__(self) -> str:
        return "MEDIA"


MEDIA_MARK = _MediaMark()

MediaPath = Annotated[str, AfterValidator(_check_media_path), MEDIA_MARK]
"""A path to a media file, relative to the show's content root."""


class _FolderMark:
    """Marks a media path that names a folder (a quiz's pictures), not one file: `check` says
    so where the other is named, for either played as nothing (a folder named as a picture hung
    an empty mat; a picture named as the quiz's folder rested the quiz) and check passed both."""

    def __repr__(self) -> str:
        return "FOLDER"


FOLDER_MARK = _FolderMark()

MediaFolder = Annotated[str, AfterValidator(_check_media_path), MEDIA_MARK, FOLDER_MARK]
"""A path to a folder of media files, relative to the show's content root."""


class SceneConfig(Strict):
    """Keys every scene file has. Each scene kind subclasses this with its own keys."""

    type: str = Field(description="the scene kind; selects which keys are valid")
    id: str = Field(pattern=r"^[A-Za-z0-9_-]+$", description="unique name used by the playlist and OSC")
    title: str = Field(default="", description="a human title for logs, status and the operator overlay")
    duration: float | None = Field(
        default=None, gt=0, description="seconds the scene plays; omitted means the scene's own length"
    )
    transition: Transition | None = Field(
        default=None, description="how this scene is entered; omitted means the show's default"
    )

# Backend names, checked when a file is loaded (with its line) rather than when a scene
# starts: a misspelt `backend = "fom"` passed `bayard check` and faulted the portrait on
# the gallery floor. tests/test_config.py holds these to the registries.
MOTION_BACKEND_NAMES = ("mesh", "fomm", "landmarks", "flow")
DETECTOR_NAMES = ("faces", "spectral", "cnn")


_REGISTRIES = {"motion backend": ("installation.models.motion.base", "MOTION_BACKENDS"),
               "detector": ("installation.models.detector.base", "DETECTORS")}


def _registered(kind: str) -> list[str]:
    """Names registered beyond the built-in ones (a gallery's own backend, registered
    before the show loads). The registries' modules are light: no model is imported."""
    import importlib

    module, name = _REGISTRIES[kind]
    return list(getattr(importlib.import_module(module), name).names())


def name_checker(kind: str, names: tuple[str, ...], also: tuple[str, ...] = ()):
    """An AfterValidator that accepts `names`, any name registered since, and `also`
    (e.g. "auto", "" or "none")."""
    from .errors import did_you_mean

    def check(value: str | None) -> str | None:
        allowed = (*also, *names)
        if value is None or value in allowed or value in _registered(kind):
            return value
        shown = ", ".join(repr(n) for n in allowed if n)
        raise ValueError(f"unknown {kind} '{value}'{did_you_mean(value, list(allowed))}; choose {shown}")

    return AfterValidator(check)


MotionBackendName = Annotated[str, name_checker("motion backend", MOTION_BACKEND_NAMES, ("auto", ""))]
DetectorName = Annotated[str, name_checker("detector", DETECTOR_NAMES, ("none",))]
