"""`bayard check`: scene words that cannot fit the show's screen.

The running show makes room for a scene's words by narrowing its picture
(scenes/layout.giving_way) and warns the technician when even that is not enough. `check`
says the same before the show runs, naming the scene file, so a long translation or a
5:4 monitor is found at the desk rather than on the wall. Scene kinds that lay words
beside a picture offer `check_words()`; building a scene reads no media.
"""

from __future__ import annotations

import logging
from typing import Any

from .errors import Problem

log = logging.getLogger("bayard.check")


def check_words_fit(show: Any) -> list[Problem]:
    from ..clock import FakeClock
    from ..engine import init_pygame
    from ..scenes import SCENE_KINDS
    from ..scenes.base import SceneContext
    from ..typography import Fonts, show_faces

    init_pygame(headless=True)
    size = tuple(show.config.display.size)
    fonts = Fonts(min(size), extra_faces=show_faces(show.root))
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
            problems.append(Problem(show.scene_files[scene_id], None, "", message, severity="warning"))
    return problems
