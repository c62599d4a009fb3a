"""The media a show names: every media path in a scene's config, whether each file is
there, decodes and is of a kind the show can open (`bayard check`, and the show's own
problems), and content/manifest.toml, which marks media installed separately as optional.
"""

from __future__ import annotations

import typing
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from ..media.kinds import FILM_SUFFIXES, PICTURE_SUFFIXES
from ..runtime.files import read_text
from .common import FOLDER_MARK, MEDIA_MARK
from .errors import Problem, ShowError
from .locate import key_path, line_of
from .media_names import missing_media_words, wrong_kind_words
from .toml_file import _read_toml

if TYPE_CHECKING:
    from .loader import Show

IMAGE_SUFFIXES = PICTURE_SUFFIXES  # what the scenes play (media/kinds.py)
VIDEO_SUFFIXES = FILM_SUFFIXES


def media_references(model: BaseModel, loc: tuple = ()) -> list[tuple[tuple, str]]:
    """Every media path in a validated config with its key path (for located messages)."""
    return [(here, relative) for here, relative, _ in media_kinds(model, loc)]


def media_kinds(model: BaseModel, loc: tuple = ()) -> list[tuple[tuple, str, bool]]:
    """As media_references, each with whether its key names a folder (MediaFolder) rather than a file."""
    found: list[tuple[tuple, str, bool]] = []
    # A config may say which of its media keys it is not using (a quiz with a manifest
    # ignores its default folders): those are not checked, so not reported as missing.
    unused = getattr(model, "unused_media_keys", lambda: set())()
    for name, info in type(model).model_fields.items():
        if name in unused:
            continue
        value = getattr(model, name)
        here = (*loc, name)
        is_media = is_media_field(info)
        folder = is_media and (_annotation_has(info.annotation, FOLDER_MARK) or FOLDER_MARK in info.metadata)
        if isinstance(value, BaseModel):
            found.extend(media_kinds(value, here))
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    found.extend(media_kinds(item, (*here, index)))
                elif is_media and isinstance(item, str) and item:
                    found.append(((*here, index), item, folder))
        elif is_media and isinstance(value, str) and value:
            found.append((here, value, folder))
    return found


def named_media(show: Show) -> set[str]:
    """Every media path the show's files name, its scene files' and install.toml's film standing
    in for the camera (`[camera] file`): a missing file's hint offers none of them."""
    named = {relative for config in show.scenes.values() for _, relative in media_references(config)}
    film = getattr(getattr(show.config, "camera", None), "file", "") or ""
    return named | {film} if film else named


def is_media_field(info: Any) -> bool:
    """Whether a config field (pydantic FieldInfo) holds media paths."""
    return _annotation_has(info.annotation, MEDIA_MARK) or MEDIA_MARK in info.metadata


def _annotation_has(annotation: Any, mark: Any) -> bool:
    if annotation is None:
        return False
    if mark in getattr(annotation, "__metadata__", ()):
        return True
    return any(_annotation_has(arg, mark) for arg in typing.get_args(annotation))


def read_manifest(content_root: Path) -> tuple[dict[str, dict[str, Any]], list[Problem]]:
    """content/manifest.toml: media the show may use that is installed separately."""
    path = content_root / "manifest.toml"
    if not path.exists():
        return {}, []
    try:
        data, _ = _read_toml(path)
    except ShowError as exc:
        return {}, exc.problems
    entries = {}
    for entry in data.get("asset", []):
        if isinstance(entry, dict) and isinstance(entry.get("path"), str):
            entries[entry["path"]] = entry
    return entries, []


def probe_media(path: Path, suffix: str | None = None) -> str | None:
    """None when the file decodes, else one line saying what is wrong with it (`suffix`:
    the kind of file it is to be, for one still named `.part`)."""
    suffix = (suffix or path.suffix).lower()
    try:
        if suffix in IMAGE_SUFFIXES:
            import cv2
            import numpy as np

            from ..imaging import GIF_MAGIC, UNDECODABLE, MediaError, image_size, read_rgb, refuse_oversize

            data = np.fromfile(str(path), dtype=np.uint8)
            if data.size == 0:
                return "is empty"
            size = image_size(path)
            if size is not None:
                try:
                    refuse_oversize(size)
                except MediaError as error:
                    return str(error)
            if data[:6].tobytes() in GIF_MAGIC:  # decoded as the show decodes it (Pillow, first frame)
                try:
                    read_rgb(path)
                except MediaError as error:
                    return str(error).removeprefix(f"{path}: ")
                return None
            # An eighth-size decode is enough to prove the file whole (every coded block is
            # read), and quick for JPEG: 2.6 ms for 2 megapixels against 5.1 ms at a quarter,
            # which counts in a loop folder of hundreds (scenes/loop_check.py); a picture only
            # a few pixels wide is decoded as it is (an eighth of it is nothing).
            small = size is not None and min(size) < 32
            try:
                decoded = cv2.imdecode(data, cv2.IMREAD_COLOR if small else cv2.IMREAD_REDUCED_COLOR_8)
            except cv2.error:
                decoded = None
            if decoded is None:
                return UNDECODABLE
            from ..imaging import transparency_problem

            return transparency_problem(path)
        if suffix in VIDEO_SUFFIXES:
            import imageio_ffmpeg

            from ..media.sources import NOT_A_VIDEO

            reader = imageio_ffmpeg.read_frames(str(path))
            try:
                try:
                    meta = next(reader)
                except OSError:  # ffmpeg found no stream to describe
                    return NOT_A_VIDEO
                if next(reader, None) is None:
                    return "has no decodable video frames"
                if not meta.get("size"):
                    return "has no video stream"
            finally:
                reader.close()
            # Its first frame decodes; is the rest there? (A cut-off faststart MP4 starts well.)
            from ..media.whole import cut_short

            return cut_short(path, meta.get("duration"))
        if suffix == ".srt":
            path.read_text(encoding="utf-8-sig")
            return None
    except Exception as exc:  # a probe must report, never raise: any decoder failure is a finding
        return f"cannot be decoded ({type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''})"
    return None


# Every other kind of file a scene names (HEIC, PDF, PSD...) was "OK" in check and a
# stand-in on the wall.
KNOWN_SUFFIXES = IMAGE_SUFFIXES | VIDEO_SUFFIXES | {".srt", ".toml"}
def check_media(show: Show, decode: bool = True) -> list[Problem]:
    """Missing, undecodable or not-yet-installed media of every loaded scene."""
    problems = []
    named = named_media(show)
    for scene_id, config in show.scenes.items():
        file = show.scene_files[scene_id]
        try:
            source = read_text(file) if file.exists() else ""
        except (OSError, UnicodeDecodeError):
            # Saved over since it loaded (half-written, another encoding): its lines are only
            # for placing a message, and its reload says what is wrong with it.
            source = ""
        for loc, relative, folder in media_kinds(config):
            path = show.content_root / relative
            key = key_path(loc)
            line = line_of(source, loc)
            entry = show.manifest.get(relative)
            if not path.exists():
                if entry is not None:
                    problems.append(Problem(
                        file, line, key,
                        f"'{relative}' is not installed yet (optional: {entry.get('title', entry.get('id', ''))}); "
                        f"install it with `bayard assets fetch {entry.get('id', '')}` or "
                        "`bayard assets import FOLDER`; until then the scene shows a stand-in",
                        severity="warning"))
                else:
                    problems.append(Problem(file, line, key,
                                            missing_media_words(relative, show.content_root, show.root, named,
                                                                folder=folder),
                                            missing=relative))
            elif path.is_dir() != folder:
                name = next(str(part) for part in reversed(loc) if isinstance(part, str))
                problems.append(Problem(file, line, key, wrong_kind_words(relative, name, show.content_root, folder)))
            elif path.is_file() and path.suffix.lower() not in KNOWN_SUFFIXES:
                problems.append(Problem(file, line, key, f"media file '{relative}' is a '{path.suffix}' file, "
                                        "which the show cannot open; export it as JPEG or PNG (a picture) or "
                                        "MP4 (a film)"))
            elif decode:
                from ..imaging import FIRST_FRAME_ONLY, MOVE_AS_FILM, animated_gif

                wrong = probe_media(path)
                if wrong:
                    problems.append(Problem(file, line, key, f"media file '{relative}' {wrong}"))
                elif animated_gif(path):
                    problems.append(Problem(file, line, key, f"'{relative}' {FIRST_FRAME_ONLY}; {MOVE_AS_FILM}",
                                            severity="warning"))
    return problems
