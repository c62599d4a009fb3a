"""The card that plays when no scene can: a slowly moving, burn-in safe card."""

from __future__ import annotations

import math

import pygame

from .config.common import SceneConfig
from .scenes.base import Scene, SceneContext
from .words import words


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
        # at a contrast a visitor can read (it was 3.6:1).
        show = getattr(self.context.show_config, "show", None)
        name = getattr(show, "title", "") or ""
        title = fonts.line(name if name and name != "Untitled exhibition" else " ", "serif", 64, (170, 160, 146))
        note = fonts.line(words("safe.resume"), "sans-light", 28, (150, 142, 132))
        # Drift along a slow Lissajous path so no pixel stays lit in one place for long.
        x = (0.5 + 0.3 * math.sin(self.t * 0.031)) * width - title.get_width() / 2
        y = (0.5 + 0.25 * math.sin(self.t * 0.023 + 1.0)) * height - title.get_height()
        surface.blit(title, (x, y))
        surface.blit(note, (x + (title.get_width() - note.get_width()) / 2, y + title.get_height() + 10))
