"""`bayard preview`: one scene in a window, reloaded whenever its file is saved.

An invalid save shows the error over the last good version, which keeps playing;
the next valid save replaces it at once. A valid save that names media not there (a
mistyped picture, a folder where a file goes) plays without it, and the window says which
line and what to write, as `bayard check` would: the artist saw an empty mat and no word.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import replace
from pathlib import Path

import pygame

from .config.errors import ShowError
from .config.field_types import without_default
from .config.loader import Show, check_media, load_scene_file

log = logging.getLogger("bayard.preview")

POLL_S = 0.4


class ScenePreview:
    """Watches one scene file (a cheap stat per poll on the main thread) and swaps it in."""

    draw_when_dark = False

    def __init__(self, engine, scene_file: Path) -> None:
        self.engine = engine
        self.scene_file = scene_file
        self.mtime = self._mtime()
        self.errors: list[str] = []
        self.media: list = []  # Problems: what the version playing names that is not there
        self.last_poll = engine.clock.now()
        self._look_at_media()

    def _mtime(self) -> float | None:
        try:
            return self.scene_file.stat().st_mtime_ns
        except OSError:
            return None

    def poll(self, engine) -> None:
        now = engine.clock.now()
        if now - self.last_poll < POLL_S:
            return
        self.last_poll = now
        mtime = self._mtime()
        if mtime == self.mtime:
            # A missing picture copied in: played at once, as a save would (a stat per file).
            if any(p.missing and (self.engine.show.content_root / p.missing).exists() for p in self.media):
                self.reload()
            return
        self.mtime = mtime
        self.reload()

    def reload(self) -> None:
        show = self.engine.show
        try:
            single_scene_show(show, self.scene_file)
        except ShowError as exc:
            self.errors = [str(p) for p in exc.problems]
            log.error("not reloaded, the last good version keeps playing:\n%s", exc)
            return
        self.errors = []
        # A save that names a file not there says it once, as a reload of the running show does.
        for problem in self.engine.missing_said.to_say(show.missing_media):
            log.error("%s", problem)
        self.engine.sequencer.show = show
        self.engine.sequencer.goto_index(0)
        log.info("reloaded %s", self.scene_file.name)
        self._look_at_media()

    def _look_at_media(self) -> None:
        """The media of the version playing that is not there, or not of its kind (without
        decoding it: a save reloads at once); said in the window, named from the show folder."""
        show = self.engine.show
        # (Not logged here: the scene logs what it cannot find as it plays, once.)
        self.media = [p.within(show.root) for p in check_media(show, decode=False) if p.severity == "error"]

    def handle(self, command) -> bool:
        return False

    def draw(self, surface: pygame.Surface) -> None:
        if self.errors:
            text = "This save has errors; the last good version is playing.\n\n" + "\n\n".join(self.errors)
        elif self.media:
            text = "This save plays without what these lines name:\n\n" + "\n\n".join(str(p) for p in self.media)
        else:
            return
        fonts = self.engine.fonts
        width, height = surface.get_size()
        block = fonts.block(text, "sans", 26, (255, 236, 230), width - fonts.px(160))
        panel = pygame.Surface((width, block.get_height() + fonts.px(60)), pygame.SRCALPHA)
        panel.fill((120, 20, 16, 225))
        surface.blit(panel, (0, height - panel.get_height()))
        surface.blit(block, (fonts.px(80), height - panel.get_height() + fonts.px(30)))


def single_scene_show(show: Show, scene_file: Path) -> Show:
    """The show reduced to one scene file (preview, `render --scene`); raises ShowError
    with located problems and leaves the show untouched when the file is invalid."""
    scene_file = Path(scene_file)  # a caller's str path too: check_media asks the file if it exists
    defaulted: list = []
    try:
        config = load_scene_file(scene_file, show.content_root, show.words, defaulted)
        if defaulted:
            # An artist previewing a file sees a value of the wrong kind as the error it is, and
            # the last good version keeps playing, rather than the field's default without a word.
            raise ShowError([replace(p, message=without_default(p.message)) for p in defaulted])
    except ShowError as exc:
        raise exc.within(show.root) from None
    show.scenes = {config.id: config}
    show.scene_files = {config.id: scene_file}
    show.config = show.config.model_copy(update={"show": show.config.show.model_copy(
        update={"playlist": [config.id]})})
    show.missing_media = _missing_media(show, config)
    return show


def _missing_media(show: Show, config) -> list:
    """The media this scene names that is not there, in check's words with its file's line, as
    the show's loader lists the whole show's (the preview's status and overlay list it, and
    its start says it). Not the other scenes' of the show, which this preview does not play;
    the camera's stand-in film only where the scene opens the camera."""
    from .config.check_paths import camera_film_missing
    from .config.media_check import check_media

    missing = [p for p in check_media(show, decode=False) if p.severity == "error"]
    if config.type == "portrait":
        missing += camera_film_missing(show)
    return [p.within(show.root) for p in missing]


def say_missing_media(show: Show) -> None:
    """At a preview's start, as `bayard run` does at its own: what the scene names that is not
    there, with the scene file's line and the fix. The artist saw the scene without its
    picture and no word why (the scene's own words, where it has them, name no line)."""
    for problem in show.missing_media:
        log.error("%s", problem)


def preview(show: Show, scene_file: Path, headless: bool = False, seconds: float | None = None) -> int:
    from .app import display_available, run

    try:
        show = single_scene_show(show, scene_file)
    except ShowError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if not headless and not display_available():
        print("No display found: preview needs a screen (or --headless to check it plays).", file=sys.stderr)
        return 3
    show.set_display(fullscreen=False)
    say_missing_media(show)

    def setup(engine, presenter) -> None:
        watcher = ScenePreview(engine, scene_file)
        engine.overlays.append(watcher)
        engine.frame_hooks.append(watcher.poll)

    return run(show, fullscreen=False, headless=headless, seconds=seconds, engine_setup=setup)
