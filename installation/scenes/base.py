"""The scene contract and the registry of scene kinds.

A scene kind is a class registered under its TOML `type` with a pydantic `Config`.
The engine owns the scene's life: `enter()` when it starts showing, `update(dt)` and
`draw(surface)` every frame while visible (crossfades included), `handle(command)` for
input, `exit()` when it is gone. Scenes never read the wall clock; they get time from
`dt` and from `context.clock`.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from ..commands import Command
from ..config.common import SceneConfig
from ..config.media_names import missing_media_words
from ..media import looks
from ..registry import Registry

if TYPE_CHECKING:
    import pygame

    from ..clock import Clock

SCENE_KINDS: Registry[type[Scene]] = Registry("scene type")


def register_scene(type_name: str):
    """Class decorator: `@register_scene("photograph")` on a Scene subclass."""

    def decorator(cls: type[Scene]) -> type[Scene]:
        cls.type_name = type_name
        return SCENE_KINDS.register(type_name)(cls)

    return decorator


def label_credit(credit: str, licence: str) -> str:
    """A credit line as a museum label sets it: the credit, then the licence's name as a
    sentence of its own ("Société française de photographie, Paris. Public domain"). The
    licence's own note in brackets (why the picture is in the public domain) is for staff,
    who read it in the manifest and `bayard assets`: set in brackets after the credit, the
    print's label read "... Paris. (Public domain (photograph made in 1840; author died in
    1887))". A credit that already names its licence is left as it is."""
    credit, name = credit.strip(), _without_note(licence.strip()) or licence.strip()
    if not name or name.lower() in credit.lower():
        return credit
    if not credit:
        return name
    return f"{credit} {name}" if credit.endswith((".", "!", "?")) else f"{credit}. {name}"


def _without_note(text: str) -> str:
    """`text` less the note in brackets that closes it, brackets within it too
    ("Public domain (made in 1840 (Paris))" -> "Public domain")."""
    if not text.endswith(")"):
        return text
    depth = 0
    for at in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[at], 0)
        if depth == 0:
            return text[:at].rstrip()
    return text  # unbalanced: left as written


@dataclass
class SceneContext:
    """What a scene may use from the show around it (injected, never global)."""

    clock: Clock
    size: tuple[int, int]
    content_root: Path
    state_dir: Path
    fonts: Any  # installation.typography.Fonts
    emit: Callable[[str, tuple[Any, ...]], None] = lambda event, args: None
    services: dict[str, Any] = field(default_factory=dict)
    log: logging.Logger = field(default_factory=lambda: logging.getLogger("bayard.scene"))
    show_config: Any = None  # installation.config.show.ShowConfig: camera, models, attract settings
    models_dir: Path | None = None
    show_root: Path | None = None  # the folder of install.toml (paths in the show file are relative to it)
    scene_file: Path | None = None  # the scene's own file, for messages that name its lines
    # True for renders and tests: media workers must deliver every frame in time even if
    # that means waiting; live shows never wait on a decoder.
    deterministic: bool = False
    manifest: dict[str, dict[str, Any]] = field(default_factory=dict)  # content/manifest.toml by media path
    # A problem for /bayard/status errors and the overlay, not only the log. Safe from any
    # thread (prepare() runs on a worker): the engine collects reports once per frame.
    # severity "warning": the show plays as meant but the technician has something to set
    # (logged as a warning; /bayard/event/warning), "error": something is missing or broken.
    report: Callable[..., None] = lambda message, severity="error": None
    # Media files `media` has reported missing (content-relative): a scene that then fails to
    # open one need not say so again (a loop told the overlay twice of one film gone).
    said_missing: set[str] = field(default_factory=set)
    # A media file `media` found there (content-relative), told to the engine from any thread:
    # one copied in after the show's files listed it missing leaves that list (the watcher
    # reloads for the show's own files, not content, and the overlay said it missing for good).
    found: Callable[[str], None] = lambda relative: None
    # Whether the show's files list this media file (content-relative) as missing now, said there
    # with its file's line and its fix (render thread): a scene need not say it again in its own
    # words (the portrait told of the camera's missing film under "Until it is mended:" too).
    listed_missing: Callable[[str], bool] = lambda relative: False
    # Every media path the show's files name (its scene files', install.toml's camera film): a
    # missing file's "did you mean" offers none of them (another line's file, not a misspelling
    # of this one).
    named_media: frozenset[str] = frozenset()
    # Whether the show has another scene to go to that may show something (render thread): in the
    # playlist it plays (a scene whose file failed to load is not), out of its fault back-off, and
    # not found with nothing to play at its last showing. A loop with nothing to play moves on
    # only then: it restarted itself every 5 s where the other scene's file had errors, and two
    # loops with their films missing flipped every 5 s for ever, each start a decoder and a log line.
    another_to_show: Callable[[], bool] = lambda: False
    # A scene tells the show it has nothing to play (True), or plays again (False) (render thread).
    resting: Callable[[bool], None] = lambda nothing: None

    def credit_for(self, relative: str) -> str:
        """The credit (with licence) the content manifest requires beside this media, or '',
        set as a label's credit line (see label_credit)."""
        entry = self.manifest.get(relative)
        if not entry:
            return ""
        return label_credit(str(entry.get("credit", "")), str(entry.get("licence", "")))

    def media(self, relative: str) -> Path:
        path = self.content_root / relative
        entry = self.manifest.get(relative) or {}
        if not entry.get("required", True):
            return path
        there = looked_at(path)
        if there is None:
            return path  # (a drive that does not answer: neither missing nor found)
        if there:
            self.found(relative)
        else:
            # An optional asset the operator has not installed yet (the 1840 print) is not a
            # fault (returned above): `bayard check` lists it, and the scene shows its stand-in.
            # A file deleted from content/ once showed only in the log; the scene still
            # draws its designed stand-in, and status now says what is missing.
            self.said_missing.add(relative)
            # (In check's words: status leaves it out of its errors while the show's
            # files list it, so one missing file is not told twice.)
            self.report(missing_media_words(relative, self.content_root, self.show_root, self.named_media))
        return path


def media_there(path: Path) -> bool:
    """Whether a scene's media file is there; a drive that does not answer counts as there
    (looked_at)."""
    return looked_at(path) is not False


def looked_at(path: Path) -> bool | None:
    """Whether a scene's media file is there, asked with one shared, bounded look (media/looks.py):
    scenes ask in prepare(), and a stick hung in its reads held the one prepare worker, and every
    scene queued behind it, until the kernel gave up on the drive. A drive that does not answer
    is not a file taken away (None): the scene's own media says why it does not show."""
    try:
        looks.look(path)
    except looks.NoAnswer:
        return None
    except (FileNotFoundError, NotADirectoryError):
        return False
    return True


@dataclass(frozen=True)
class Verb:
    """A command a scene kind takes by name from outside (OSC `/bayard/scene/<id>/<name> args`).
    The kind's table decides what reaches it over OSC and is what docs/osc.md lists, so the
    document cannot name a verb the scene does not take, nor miss one it does."""

    name: str
    args: str  # as a technician types them; [..] optional
    description: str


class Scene(ABC):
    type_name: ClassVar[str] = ""
    Config: ClassVar[type[SceneConfig]] = SceneConfig
    # What OSC may ask of this kind (gestures from the screen reach handle() regardless).
    verbs: ClassVar[tuple[Verb, ...]] = ()

    def __init__(self, config: SceneConfig, context: SceneContext) -> None:
        self.config = config
        self.context = context
        self.log = context.log.getChild(config.id)

    # The hooks the sequencer calls, which no instance attribute may hide.
    _CONTRACT: ClassVar[frozenset[str]] = frozenset(
        {"prepare", "warm", "enter", "leaving", "exit", "update", "draw", "handle", "natural_duration", "status"})

    def __setattr__(self, name: str, value: Any) -> None:
        # A scene once stored its fading item as `self.leaving`, hiding the `leaving()`
        # hook: every crossfade away raised TypeError in the sequencer. Refuse it where it
        # is written, with a message that names the scene kind.
        if name in Scene._CONTRACT:
            raise AttributeError(f"{type(self).__name__}.{name} would hide the scene hook {name}(); "
                                 "choose another attribute name")
        super().__setattr__(name, value)

    @property
    def id(self) -> str:
        return self.config.id

    # -- life cycle -----------------------------------------------------------
    def prepare(self) -> None:
        """Load media ahead of time. Runs on a worker thread a few seconds before the
        scene is shown, so it must not call pygame (decode to numpy here, make surfaces
        in warm() or enter()). The constructor must stay cheap: all I/O belongs here."""

    def warm(self) -> Iterator[None]:
        """Main-thread work between prepare() and enter(): make the surfaces the first
        frames need (rasterised text, images from prepare()'s arrays). Yield between
        pieces: the sequencer runs a few milliseconds of this per frame while the scene
        before keeps playing, so no single frame pays for it all."""
        return iter(())

    def enter(self) -> None:
        """Called when the scene starts showing (also at the start of a crossfade)."""

    def leaving(self, seconds: float) -> None:
        """The scene will be gone in `seconds` (the transition out has begun): fade sound,
        stop starting new work. It is still updated and drawn until exit()."""

    def exit(self) -> None:
        """Called when the scene is no longer visible; release cameras, workers, files."""

    def update(self, dt: float) -> None:
        """Advance by dt seconds (already clamped by the engine)."""

    @abstractmethod
    def draw(self, surface: pygame.Surface) -> None:
        """Paint the whole surface (it is not cleared for you)."""

    def handle(self, command: Command) -> bool:
        """Return True when the command was handled (stops further handling)."""
        return False

    # -- what the sequencer asks ----------------------------------------------
    @property
    def finished(self) -> bool:
        """True when the scene has reached its natural end (a film that ended)."""
        return False

    @property
    def holding(self) -> bool:
        """True while a visitor is using the scene: the sequencer does not move on."""
        return False

    def idle_limit(self) -> float | None:
        """Seconds without input after which a holding scene lets the show go on; None:
        the show's [attract] idle_timeout."""
        return None

    def natural_duration(self) -> float | None:
        """Seconds the scene lasts by itself when the file gives no duration (None: forever/ends itself)."""
        return None

    def private_rects(self) -> list:
        """Rects of the last frame drawn (show pixels) that show a camera picture of a
        visitor: screenshots leave them out, as recordings do."""
        return []

    def status(self) -> dict[str, Any]:
        """Extra fields for /bayard/status."""
        return {}
