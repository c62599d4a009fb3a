"""The card that plays when no scene can: a slowly moving, burn-in safe card."""

from __future__ import annotations

import math

import pygame

from .config.common import SceneConfig
from .scenes.base import Scene, SceneContext
from .words import words

MARGIN = 48  # design px the drifting words keep from the screen's edges


class SafeCard(Scene):
    """Plays when no scene can. It cannot fail: it draws only shapes and text already
    rasterised."""

    type_name = "safe"

    def __init__(self, context: SceneContext, message: str = "") -> None:
        super().__init__(SceneConfig(type="safe", id="safe-mode", title="Safe mode"), context)
        self.message = message
        self.t = 0.0

    def update(self, dt: float) -> None:
        self.t += dt

    def draw(self, surface: pygame.Surface) -> None:
        width, height = surface.get_size()
        surface.fill((10, 10, 12))
        fonts = self.context.fonts
        # The show's own title (the software's name read as the photographer's), and the note
        # at a contrast a visitor can read (it was 3.6:1). Both through the typography layer's
        # place, so the kiosk checks see them; wrapped to the screen, as a long title ran off
        # both edges of an upright screen in one line.
        show = getattr(self.context.show_config, "show", None)
        name = getattr(show, "title", "") or ""
        measure = width - 2 * fonts.px(MARGIN)
        title = (fonts.block(name, "serif", 64, (170, 160, 146), measure, align="center")
                 if name and name != "Untitled exhibition" else None)
        note = fonts.block(words("safe.resume"), "sans-light", 28, (150, 142, 132), measure, align="center")
        ink = [fonts.ink(text) for text in (title, note) if text is not None]
        between = fonts.px(24)  # (from the title's lowest ink to the note's capitals)
        group_width = max(box.width for box in ink)
        group_height = sum(box.height for box in ink) + between * (len(ink) - 1)
        # Drift along a slow Lissajous path so no pixel stays lit in one place for long: about
        # the screen's middle, as far as the words keep inside its margins.
        margin = fonts.px(MARGIN)
        centre_x = _drift(0.3 * math.sin(self.t * 0.031), width, group_width, margin)
        top = _drift(0.25 * math.sin(self.t * 0.023 + 1.0), height, group_height, margin) - group_height / 2
        for text, box in zip((t for t in (title, note) if t is not None), ink, strict=True):
            fonts.place(surface, text, (centre_x - measure / 2, top - box.y))
            top += box.height + between


def _drift(offset: float, side: int, extent: int, margin: int) -> float:
    """Where the middle of something `extent` long stands along a side of the screen, moved by
    `offset` (a share of the side) from its middle, but never within `margin` of an edge."""
    room = max(0.0, (side - extent) / 2 - margin)
    return side / 2 + max(-room, min(room, offset * side))
