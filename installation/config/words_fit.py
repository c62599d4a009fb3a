"""`bayard check`: scene words that cannot fit the show's screen.

The running show makes room for a scene's words by narrowing its picture
(scenes/layout.giving_way) and warns the technician when even that is not enough. `check`
says the same before the show runs, naming the scene file, so a long translation or a
5:4 monitor is found at the desk rather than on the wall. Scene kinds that lay words
beside a picture offer `check_words()`; building a scene reads no media.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from .errors import Problem

log = logging.getLogger("bayard.check")


def check_words_fit(show: Any) -> list[Problem]:
    from ..clock import FakeClock
    from ..engine import init_pygame
    from ..scenes import SCENE_KINDS
    from ..scenes.base import SceneContext
    from ..textlog import type_side
    from ..typefaces import show_faces
    from ..typography import Fonts

    init_pygame(headless=True)
    size = tuple(show.config.display.size)
    fonts = Fonts(type_side(size), extra_faces=show_faces(show.root))
    problems = []
    for scene_id, config in show.scenes.items():
        kind = SCENE_KINDS.get(config.type)
        if kind is None or not hasattr(kind, "check_words"):
            continue
        context = SceneContext(clock=FakeClock(), size=size, content_root=show.content_root,
                               state_dir=show.state_dir, fonts=fonts, show_config=show.config)
        try:
            message = kind(config, context).check_words()
        except Exception as exc:  # one line of the check is not worth failing the check over
            log.debug("could not lay out scene '%s' for the check: %s", scene_id, exc)
            continue
        if message:
            file = show.scene_files[scene_id]
            key, line = _longest_words(config, file)
            problems.append(Problem(file, line, key, message, severity="warning"))
    return problems


def _longest_words(config: Any, file: Path) -> tuple[str, int | None]:
    """The scene's longest text, as its key and line in the file: the first words to
    shorten. A text the file leaves to its default has no line."""
    from .locate import line_of

    texts: list[tuple[int, tuple]] = []

    def walk(value: Any, path: tuple) -> None:
        if isinstance(value, str):
            texts.append((len(value), path))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, (*path, index))

    walk(config.model_dump(), ())
    if not texts:
        return "", None
    _, path = max(texts)
    try:
        source = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        source = ""
    line = line_of(source, path) if source else None
    return ".".join(str(part) for part in path), line
