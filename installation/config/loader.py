"""Load and validate a show: install.toml plus one TOML file per scene.

A broken install.toml stops loading (ShowError), and so does one without a playlist
(an empty or half-written file once played every scene file as "Untitled exhibition").
A broken scene file does not: it is reported as a problem and left out, so the show
still runs what is valid, or, for a running show, its last good version is played. Media that
is missing is reported with the line that names it; media the content manifest lists
as optional is reported as "not installed" with how to install it.
"""

from __future__ import annotations

import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..runtime.files import read_text
from ..scenes import SCENE_KINDS
from .common import MEDIA_MARK, SceneConfig
from .errors import Problem, ShowError, did_you_mean
from .locate import key_path, line_of
from .media_names import nearest_media
from .show import ShowConfig
from .show_words import read_show_words, scene_defaults
from .validate import problems_from

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff"}
VIDEO_SUFFIXES = {".mp4", ".mov", ".mkv", ".webm", ".avi", ".m4v", ".mpg", ".mpeg"}  # as media/sources.py plays
LAST_GOOD = "last-good"  # <state>/last-good/: the last copy of the show that loaded cleanly


@dataclass
class Show:
    path: Path
    config: ShowConfig
    scenes: dict[str, SceneConfig] = field(default_factory=dict)
    scene_files: dict[str, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    manifest: dict[str, dict[str, Any]] = field(default_factory=dict)  # content path -> manifest entry
    # Set when this is the remembered last-good copy standing in for a broken show file:
    # that file (reloads read it, the watcher watches its folder) and when the copy was saved.
    stands_in_for: Path | None = None
    saved: str = ""
    kept: set[Path] = field(default_factory=set)  # broken scene files whose last good version plays
    words: dict[str, Any] = field(default_factory=dict)  # the show's own words ([show] words), dotted keys

    @property
    def root(self) -> Path:
        return self.path.parent

    @property
    def content_root(self) -> Path:
        return (self.root / self.config.show.content).resolve()

    @property
    def scenes_dir(self) -> Path:
        return (self.root / self.config.show.scenes).resolve()

    @property
    def state_dir(self) -> Path:
        return (self.root / self.config.show.state).resolve()

    @property
    def models_dir(self) -> Path:
        return (self.root / self.config.models.folder).resolve()

    @property
    def playlist(self) -> list[str]:
        """Ids to play, in order: the configured playlist less the scenes that failed to load."""
        return [scene_id for scene_id in self.config.show.playlist if scene_id in self.scenes]

    def set_display(self, **changes: Any) -> None:
        """Override [display] keys (tests, renders and previews pick their own size)."""
        self.config = self.config.model_copy(update={"display": self.config.display.model_copy(update=changes)})

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def _read_toml(path: Path) -> tuple[dict[str, Any], str]:
    try:
        source = read_text(path)
    except FileNotFoundError:
        raise ShowError([Problem(path, None, "", "file not found")]) from None
    except UnicodeDecodeError as exc:
        try:  # the line, which an artist can find (a byte offset they cannot)
            line = path.read_bytes()[:exc.start].count(b"\n") + 1
        except OSError:
            line = None
        raise ShowError([Problem(path, line, "", f"not UTF-8 text ({exc.reason}); save the file as UTF-8 "
                                 "(in most editors: Save As, encoding UTF-8)")]) from None
    except OSError as exc:
        raise ShowError([Problem(path, None, "", f"cannot be read: {exc.strerror}")]) from None
    try:
        return tomllib.loads(source), source
    except tomllib.TOMLDecodeError as exc:
        line = None
        text = str(exc)
        if "(at line " in text:
            try:
                line = int(text.split("(at line ")[1].split(",")[0])
            except (IndexError, ValueError):
                line = None
        elif "(at end of document)" in text:  # (a file cut off mid-value: its last line)
            line = max(1, len(source.splitlines()))
        text = text.split(" (at line")[0].split(" (at end of document)")[0]
        lines = source.split("\n")  # (TOML counts lines at \n alone; splitlines also breaks at U+2028)
        said = lines[line - 1] if line is not None and 0 < line <= len(lines) else ""
        raise ShowError([Problem(path, line, "", f"TOML syntax: {text}{syntax_hint(said, text)}")]) from None


CURLY_QUOTES = "\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019"


def syntax_hint(line: str, message: str) -> str:
    """What the artist most likely typed, in their words: TOML's own messages ("Invalid
    value", "Illegal character '\\n'") say nothing of curly quotes from a word processor,
    text without quotes, a quote left open or an accented key."""
    key, equals, value = line.partition("=")
    value = value.strip()
    if equals and value and value[0] in CURLY_QUOTES:
        return ("; the text is in curly quotes (\u201c \u201d), which a word processor or TextEdit types: "
                "write straight quotes \" \" around it, in a plain-text editor")
    if equals and value.count('"') % 2 == 1 and not value.startswith('"""'):
        return '; a quote is not closed on this line: end the text with "'
    if "Invalid value" in message and equals and value.split()[:1] in (["True"], ["False"], ["TRUE"], ["FALSE"]):
        return "; write true or false in small letters"
    if "Invalid value" in message and equals and value[:1].isalpha() and value.split()[0] not in ("true", "false"):
        return ("; text goes between quotes, as in key = \"text\" (numbers, true and false go without); "
                "a number is written in figures, as in duration = 10")
    if "Expected '='" in message and any(c.isalpha() and not c.isascii() for c in key):
        return ("; a key is written in plain letters, digits, - and _ (no accents or spaces): "
                "the keys each scene type knows are in docs/reference.md")
    return ""


def load_scene_file(path: Path, content_root: Path, show_words: dict[str, Any] | None = None) -> SceneConfig:
    data, source = _read_toml(path)
    kind = data.get("type")
    if kind is None:
        raise ShowError([Problem(path, 1, "type", "required key 'type' is missing; it selects the scene kind: "
                                 + ", ".join(SCENE_KINDS.names()))])
    if not isinstance(kind, str) or kind not in SCENE_KINDS:
        raise ShowError([Problem(path, line_of(source, ("type",)), "type",
                                 f"unknown scene type {kind!r}{did_you_mean(str(kind), SCENE_KINDS.names())}; "
                                 f"valid types: {', '.join(SCENE_KINDS.names())}")])
    config_cls = SCENE_KINDS.get(kind).Config
    for name, text in scene_defaults(config_cls, show_words or {}).items():
        data.setdefault(name, text)  # the show's own words, under the scene file's
    try:
        return config_cls.model_validate(data, context={"content_root": content_root})
    except ValidationError as exc:
        raise ShowError(problems_from(exc, config_cls, path, source)) from None


def media_references(model: BaseModel, loc: tuple = ()) -> list[tuple[tuple, str]]:
    """Every media path in a validated config with its key path (for located messages)."""
    found: list[tuple[tuple, str]] = []
    # A config may say which of its media keys it is not using (a quiz with a manifest
    # ignores its default folders): those are not checked, so not reported as missing.
    unused = getattr(model, "unused_media_keys", lambda: set())()
    for name, info in type(model).model_fields.items():
        if name in unused:
            continue
        value = getattr(model, name)
        here = (*loc, name)
        is_media = is_media_field(info)
        if isinstance(value, BaseModel):
            found.extend(media_references(value, here))
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    found.extend(media_references(item, (*here, index)))
                elif is_media and isinstance(item, str) and item:
                    found.append(((*here, index), item))
        elif is_media and isinstance(value, str) and value:
            found.append((here, value))
    return found


def is_media_field(info: Any) -> bool:
    """Whether a config field (pydantic FieldInfo) holds media paths."""
    return _annotation_has_media(info.annotation) or MEDIA_MARK in info.metadata


def _annotation_has_media(annotation: Any) -> bool:
    if annotation is None:
        return False
    if MEDIA_MARK in getattr(annotation, "__metadata__", ()):
        return True
    return any(_annotation_has_media(arg) for arg in typing.get_args(annotation))


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

            from ..imaging import MediaError, image_size, refuse_oversize

            data = np.fromfile(str(path), dtype=np.uint8)
            if data.size == 0:
                return "is empty"
            size = image_size(path)
            if size is not None:
                try:
                    refuse_oversize(size)
                except MediaError as error:
                    return str(error)
            # A quarter-size decode is enough to prove the file whole, and quick for JPEG;
            # a picture only a few pixels wide is decoded as it is (a quarter of it is nothing).
            small = size is not None and min(size) < 16
            try:
                decoded = cv2.imdecode(data, cv2.IMREAD_COLOR if small else cv2.IMREAD_REDUCED_COLOR_4)
            except cv2.error:
                decoded = None
            if decoded is None:
                return "cannot be decoded as an image (corrupt or not an image)"
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
    for scene_id, config in show.scenes.items():
        file = show.scene_files[scene_id]
        source = read_text(file) if file.exists() else ""
        for loc, relative in media_references(config):
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
                                            f"media file '{relative}' not found in {show.content_root}"
                                            f"{nearest_media(show.content_root, relative)}"))
            elif path.is_file() and path.suffix.lower() not in KNOWN_SUFFIXES:
                problems.append(Problem(file, line, key, f"media file '{relative}' is a '{path.suffix}' file, "
                                        "which the show cannot open; export it as JPEG or PNG (a picture) or "
                                        "MP4 (a film)"))
            elif decode:
                wrong = probe_media(path)
                if wrong:
                    problems.append(Problem(file, line, key, f"media file '{relative}' {wrong}"))
    return problems


def _last_good_scene(show: Show, broken: Path) -> tuple[SceneConfig, Path] | None:
    """The remembered copy of a scene file that no longer loads, if it still does."""
    copy = show.state_dir / LAST_GOOD / "scenes" / broken.name
    if not copy.is_file():
        return None
    try:
        return load_scene_file(copy, show.content_root, show.words), copy
    except ShowError:
        return None


def load_show(path: Path | str, folders: dict[str, str] | None = None, keep_good: bool = False,
              last_words: dict[str, Any] | None = None) -> Show:
    """Load install.toml and every scene file. Raises ShowError only for install.toml itself.

    `folders` overrides [show] content/state and [models] folder (used to play a
    remembered last-good copy against the live content). `keep_good` (a running show):
    a scene file that fails to load is replaced by its copy in <state>/last-good/, so
    one bad edit does not drop the scene (`goto` it then landed elsewhere).
    Every problem names its file from the show folder (see errors.Problem.where)."""
    path = Path(path).resolve()
    try:
        show = _load_show(path, folders, keep_good, last_words)
    except ShowError as exc:
        raise exc.within(path.parent) from None
    show.problems = [p.within(show.root) for p in show.problems]
    return show


def _load_show(path: Path, folders: dict[str, str] | None, keep_good: bool,
               last_words: dict[str, Any] | None) -> Show:
    data, source = _read_toml(path)
    if folders:
        data.setdefault("show", {})
        for key in ("content", "state"):
            if key in folders:
                data["show"][key] = folders[key]
        if "models" in folders:
            data.setdefault("models", {})["folder"] = folders["models"]
    try:
        config = ShowConfig.model_validate(data)
    except ValidationError as exc:
        raise ShowError(problems_from(exc, ShowConfig, path, source)) from None
    show = Show(path=path, config=config)
    if not config.show.playlist:
        found = sorted(f.stem for f in show.scenes_dir.glob("*.toml")) if show.scenes_dir.is_dir() else []
        example = ", ".join(f'"{name}"' for name in found[:5]) or '"opening"'
        raise ShowError([Problem(path, line_of(source, ("show", "playlist")) or None, "show.playlist",
                                 "no playlist: the show file must list the scenes to play, in order, "
                                 f"under [show], e.g. playlist = [{example}]")])
    show.manifest, manifest_problems = read_manifest(show.content_root)
    show.problems.extend(manifest_problems)
    show.words, word_problems = read_show_words(show.root, config.show.words, path, source)
    show.problems.extend(word_problems)
    if not show.words and last_words and config.show.words and (show.root / config.show.words).is_file():
        # The table could not be read (half-saved, a typo): its last good words play on, as
        # a broken scene file's last good version does, rather than the show turning English.
        show.words = dict(last_words)
    if not show.content_root.is_dir():
        show.problems.append(Problem(path, line_of(source, ("show", "content")), "show.content",
                                     f"content folder {show.content_root} does not exist"))
    if not show.scenes_dir.is_dir():
        show.problems.append(Problem(path, line_of(source, ("show", "scenes")), "show.scenes",
                                     f"scenes folder {show.scenes_dir} does not exist"))
        return show
    for file in sorted(show.scenes_dir.glob("*.toml")):
        try:
            scene = load_scene_file(file, show.content_root, show.words)
        except ShowError as exc:
            kept = _last_good_scene(show, file) if keep_good else None
            if kept is None:
                show.problems.extend(exc.problems)
                continue
            show.kept.add(file)
            scene, file = kept
            # Still errors (status, alerts and check say so); only the copy is good.
            show.problems.extend(Problem(p.file, p.line, p.key, f"{p.message}; the last good version of "
                                         f"'{scene.id}' plays until this is fixed") for p in exc.problems)
        if scene.id in show.scenes:
            other = show.scene_files[scene.id]
            # The file named after the id plays, whichever sorts first: a copy saved as
            # "opening copy.toml" once took over from opening.toml, and the error blamed
            # the original while edits to it changed nothing on screen.
            if file.stem == scene.id and other.stem != scene.id:
                show.scenes[scene.id], show.scene_files[scene.id] = scene, file
                file, other = other, file
            show.problems.append(Problem(file, line_of(read_text(file), ("id",)), "id",
                                         f"id '{scene.id}' is already used by {other.name}, which plays; ids must "
                                         f"be unique: give {file.name} an id of its own, or remove it"))
            continue
        show.scenes[scene.id] = scene
        show.scene_files[scene.id] = file
    broken_ids = {p.file.stem for p in show.problems if p.file.parent == show.scenes_dir}
    for index, scene_id in enumerate(config.show.playlist):
        if scene_id not in show.scenes:
            valid = sorted(show.scenes)
            if scene_id in broken_ids:
                why = "its scene file has errors (listed under that file); the show skips it until they are fixed"
            else:
                why = f"no scene file has this id{did_you_mean(scene_id, valid)}; scene ids: {', '.join(valid)}"
            show.problems.append(Problem(path, line_of(source, ("show", "playlist")),
                                         key_path(("show", "playlist", index)), f"'{scene_id}': {why}"))
    if not show.playlist:
        show.problems.append(Problem(path, line_of(source, ("show", "playlist")), "show.playlist",
                                     "nothing to play: no valid scene is in the playlist"))
    return show
