"""Load and validate a show: install.toml plus one TOML file per scene.

A broken install.toml stops loading (ShowError), and so does one without a playlist
(an empty or half-written file once played every scene file as "Untitled exhibition").
A broken scene file does not: it is reported as a problem and left out, so the show
still runs what is valid, or, for a running show, its last good version is played. Media that
is missing is reported with the line that names it; media the content manifest lists
as optional is reported as "not installed" with how to install it.

Reading a TOML file with located errors is in toml_file.py; finding and checking the
media a show names (check_media, probe_media) in media_check.py, whose names this module
re-exports for the CLI and tests.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..runtime.files import read_text
from ..scenes import SCENE_KINDS
from .check_paths import camera_film_missing
from .common import SceneConfig
from .errors import Problem, ShowError, did_you_mean
from .field_types import strict_types, without_default
from .locate import key_path, line_of
from .media_check import (
    IMAGE_SUFFIXES,
    KNOWN_SUFFIXES,
    VIDEO_SUFFIXES,
    check_media,
    is_media_field,
    media_references,
    probe_media,
    read_manifest,
)
from .show import ShowConfig
from .show_words import read_show_words, scene_defaults
from .toml_file import _read_toml, syntax_hint
from .validate import problems_from

__all__ = [
    "IMAGE_SUFFIXES",
    "KNOWN_SUFFIXES",
    "LAST_GOOD",
    "VIDEO_SUFFIXES",
    "Show",
    "check_media",
    "is_media_field",
    "last_good_folder",
    "last_good_folders",
    "load_scene_file",
    "load_show",
    "media_references",
    "probe_media",
    "read_manifest",
    "syntax_hint",
]

LAST_GOOD = "last-good"  # <state>/last-good/: the last copy of the show that loaded cleanly


def last_good_folder(state_dir: Path) -> Path:
    """Where the last good copy is read: <state>/last-good/, or the copy moved aside for a new
    one where the new one never moved in (config/lastgood.py swaps them by two renames: a power
    cut between them, or a reading while a copy is swapped). The copy moved aside is whole."""
    folder = Path(state_dir) / LAST_GOOD
    aside = Path(state_dir) / f".{LAST_GOOD}.old"
    return aside if not folder.is_dir() and aside.is_dir() else folder


def last_good_folders(state_dir: Path) -> tuple[Path, ...]:
    """Where to read a file of the last good copy, tried in turn: the folder last_good_folder
    names, the copy moved aside, then last-good again. A swap under way on another thread or
    process moves last-good aside between a look that found it and the reading (a broken scene
    then dropped out of the playlist); the copy aside is removed only once the new one is in."""
    folder = last_good_folder(state_dir)
    return (folder, Path(state_dir) / f".{LAST_GOOD}.old", Path(state_dir) / LAST_GOOD)


@dataclass
class Show:
    path: Path
    config: ShowConfig
    scenes: dict[str, SceneConfig] = field(default_factory=dict)
    scene_files: dict[str, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # Media its scenes name that is not there (or of a kind the show cannot open), as `check`
    # says it: kept apart from `problems`, which decide the last good copy and a reload's
    # verdict over the show's own files, but listed with them in status and the overlay.
    missing_media: list[Problem] = field(default_factory=list)
    manifest: dict[str, dict[str, Any]] = field(default_factory=dict)  # content path -> manifest entry
    # Set when this is the remembered last-good copy standing in for a broken show file:
    # that file (reloads read it, the watcher watches its folder) and when the copy was saved.
    stands_in_for: Path | None = None
    # The show file as it was named (absolute, symlinks kept): reloads read it there. `path` has
    # its symlinks resolved, and a technician's `current -> show-v2` flip followed by a reload
    # read show-v1 again, and said "reloaded".
    named: Path | None = None
    saved: str = ""
    kept: set[Path] = field(default_factory=set)  # broken scene files whose last good version plays
    # install.toml's values of the wrong kind, playing their defaults: at start that beats the
    # safe card, but a running show refuses such a reload and plays on as it was.
    defaulted: list[Problem] = field(default_factory=list)
    words: dict[str, Any] = field(default_factory=dict)  # the show's own words ([show] words), dotted keys
    # Set where a running show keeps its state in another folder than this show's [show] state
    # names (keep_state): the folder kept, and the one named.
    state_kept: Path | None = None
    state_named: Path | None = None

    @property
    def root(self) -> Path:
        return self.path.parent

    # Folders resolved once, by the reading that loaded the show (a reload's, off the render
    # thread): resolve() stats its folder, and the render thread asked each frame, in scenes and
    # status, where a stick hung in its reads held the screen for every look.
    _resolved: dict[tuple[Path, str], Path] = field(default_factory=dict, init=False, repr=False, compare=False)

    def _folder(self, relative: str | Path) -> Path:
        key = (self.root, str(relative))
        if key not in self._resolved:
            self._resolved[key] = (self.root / relative).resolve()
        return self._resolved[key]

    @property
    def content_root(self) -> Path:
        return self._folder(self.config.show.content)

    @property
    def scenes_dir(self) -> Path:
        return self._folder(self.config.show.scenes)

    @property
    def state_dir(self) -> Path:
        return self.state_kept or self._folder(self.config.show.state)

    def keep_state(self, folder: Path) -> None:
        """Keep the state in `folder` (resolved: the one the running show started with, a
        start-only setting) where this show's own [show] state names another (after a `current
        -> show-v2` flip, show-v2's `var/`); that one is then `state_named`."""
        own = self._folder(self.config.show.state)
        self.state_kept, self.state_named = (None, None) if own == folder else (folder, own)

    @property
    def models_dir(self) -> Path:
        return self._folder(self.config.models.folder)

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


def _not_played(problems: list[Problem]) -> list[Problem]:
    return [replace(p, message=without_default(p.message)) for p in problems]


def _validated(model: type[Any], data: dict[str, Any], path: Path, source: str, defaulted: list[Problem] | None,
               context: dict[str, Any] | None = None, before: Any = None) -> Any:
    """`data` as `model`, held to its fields' kinds (field_types.py): a value of the wrong kind
    that has a default is left out and reported in `defaulted`; any other problem raises ShowError."""
    played_default, refusing = strict_types(model, data, path, source)
    if before is not None:
        before(data)  # (defaults filled in after the check: only the file's own values are held to it)
    try:
        config = model.model_validate(data, context=context)
    except ValidationError as exc:
        keys = {p.key for p in refusing}
        found = [p for p in problems_from(exc, model, path, source) if p.key not in keys]
        raise ShowError(sorted([*_not_played(played_default), *refusing, *found], key=Problem.reading_place)) from None
    if refusing:
        raise ShowError(sorted([*_not_played(played_default), *refusing], key=Problem.reading_place))
    if defaulted is not None:
        defaulted.extend(played_default)
    return config


def load_scene_file(path: Path, content_root: Path, show_words: dict[str, Any] | None = None,
                    defaulted: list[Problem] | None = None) -> SceneConfig:
    """A scene file's settings. A value of the wrong kind (duration = "10") plays its field's
    default and is added to `defaulted`; any other problem raises ShowError."""
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

    def show_words_under(data: dict[str, Any]) -> None:
        for name, text in scene_defaults(config_cls, show_words or {}).items():
            data.setdefault(name, text)  # the show's own words, under the scene file's

    return _validated(config_cls, data, path, source, defaulted, {"content_root": content_root}, show_words_under)


def declared_id(path: Path) -> str | None:
    """The id a scene file gives itself, read even where the file does not load: from its
    tables, or where its TOML is broken elsewhere, from a plain `id = "..."` line."""
    try:
        data, _ = _read_toml(path)
    except ShowError:
        try:
            source = read_text(path)
        except (OSError, UnicodeDecodeError):
            return None
        found = re.search(r'^[ \t]*id[ \t]*=[ \t]*"([^"\n]*)"', source, re.MULTILINE)
        return found.group(1) if found else None
    return data.get("id") if isinstance(data.get("id"), str) else None


def _last_good_scene(show: Show, broken: Path) -> tuple[SceneConfig, Path] | None:
    """The remembered copy of a scene file that no longer loads, if it still does."""
    for folder in last_good_folders(show.state_dir):
        copy = folder / "scenes" / broken.name
        if not copy.is_file():
            continue
        try:
            return load_scene_file(copy, show.content_root, show.words), copy
        except (ShowError, OSError):
            if copy.is_file():  # (a copy that does not load; not one moved while it was read)
                return None
    return None


def load_show(path: Path | str, folders: dict[str, str] | None = None, keep_good: bool = False,
              last_words: dict[str, Any] | None = None, state: Path | None = None) -> Show:
    """Load install.toml and every scene file. Raises ShowError only for install.toml itself.

    `folders` overrides [show] content/state and [models] folder (used to play a
    remembered last-good copy against the live content). `state`: a running show's state
    folder, kept whatever this show's [show] state says (Show.keep_state), its last good scene
    files read there. `keep_good` (a running show):
    a scene file that fails to load is replaced by its copy in <state>/last-good/, so
    one bad edit does not drop the scene (`goto` it then landed elsewhere).
    Every problem names its file from the show folder (see errors.Problem.where)."""
    named = Path(os.path.abspath(path))
    path = Path(path).resolve()
    try:
        show = _load_show(path, folders, keep_good, last_words, state)
    except ShowError as exc:
        raise exc.within(path.parent) from None
    show.problems = [p.within(show.root) for p in show.problems]
    show.defaulted = [p.within(show.root) for p in show.defaulted]
    # (Looked for here, on the loading thread: a status request never waits on a slow stick.)
    # Errors only: an optional print not installed yet is check's warning, and a stand-in on
    # the wall by design; under the overlay's red heading it made a sound kiosk look broken.
    # The camera's stand-in film too: only `check` said it was missing, and the running show
    # told of it only from the portrait's camera, without install.toml's line.
    missing = [p for p in check_media(show, decode=False) if p.severity == "error"] + camera_film_missing(show)
    show.missing_media = [p.within(show.root) for p in missing]
    show.named = named
    return show


def _load_show(path: Path, folders: dict[str, str] | None, keep_good: bool,
               last_words: dict[str, Any] | None, state: Path | None = None) -> Show:
    data, source = _read_toml(path)
    if folders:
        data.setdefault("show", {})
        for key in ("content", "state"):
            if key in folders:
                data["show"][key] = folders[key]
        if "models" in folders:
            data.setdefault("models", {})["folder"] = folders["models"]
    defaulted: list[Problem] = []
    config = _validated(ShowConfig, data, path, source, defaulted)
    show = Show(path=path, config=config, problems=defaulted, defaulted=list(defaulted))
    if state is not None:
        show.keep_state(state)
    if not config.show.playlist:
        if any(p.key == "show.playlist" for p in defaulted):  # (playlist = "opening": its own words say it)
            raise ShowError(_not_played(defaulted))
        found = sorted(f.stem for f in show.scenes_dir.glob("*.toml")) if show.scenes_dir.is_dir() else []
        example = ", ".join(f'"{name}"' for name in found[:5]) or '"opening"'
        raise ShowError([Problem(path, line_of(source, ("show", "playlist")) or None, "show.playlist",
                                 "no playlist: the show file must list the scenes to play, in order, "
                                 f"under [show], e.g. playlist = [{example}]"), *_not_played(defaulted)])
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
        defaulted: list[Problem] = []
        try:
            scene, broken = load_scene_file(file, show.content_root, show.words, defaulted), None
        except ShowError as exc:
            scene, broken = None, exc.problems
        # A running show keeps its last good state: a value of the wrong kind typed into a
        # playing scene (duration = "30") leaves the scene as it was, not at a default.
        kept = _last_good_scene(show, file) if keep_good and (broken or defaulted) else None
        if kept is None:
            show.problems.extend(broken or defaulted)
            if scene is None:
                continue
        else:
            show.kept.add(file)
            scene, file = kept
            # Still errors (status, alerts and check say so); only the copy is good.
            show.problems.extend(Problem(p.file, p.line, p.key, f"{p.message}; the last good version of "
                                         f"'{scene.id}' plays until this is fixed")
                                 for p in (broken or _not_played(defaulted)))
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
    # A broken file is known by its name and by the id it declares: loop.toml says id = "faces",
    # and one typo in it had the playlist's 'faces' reported as "no scene file has this id".
    broken_files = {p.file for p in show.problems if p.file.parent == show.scenes_dir}
    broken_ids = {declared_id(file): file for file in sorted(broken_files)}
    broken_ids.update({file.stem: file for file in broken_files})  # (the file named after an id plays it)
    for index, scene_id in enumerate(config.show.playlist):
        if scene_id not in show.scenes:
            valid = sorted(show.scenes)
            if scene_id in broken_ids:
                why = (f"its scene file {broken_ids[scene_id].name} has errors (listed under that file); "
                       "the show skips it until they are fixed")
            else:
                why = f"no scene file has this id{did_you_mean(scene_id, valid)}; scene ids: {', '.join(valid)}"
            show.problems.append(Problem(path, line_of(source, ("show", "playlist")),
                                         key_path(("show", "playlist", index)), f"'{scene_id}': {why}"))
    if not show.playlist:
        show.problems.append(Problem(path, line_of(source, ("show", "playlist")), "show.playlist",
                                     "nothing to play: no valid scene is in the playlist"))
    return show
