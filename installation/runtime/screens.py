"""The two screens the runtime shows when the show itself cannot or must not play.

- `SafeModeScene` (scene kind "safe"): a calm card that cannot fail - no media, no
  model, no file read after construction. The engine plays it when every scene is
  faulted or when the crash guard starts in safe mode. It drifts slowly over the whole
  screen and its brightness breathes, so no pixel stays lit for hours (burn-in on OLED
  and plasma panels), and it never draws a black frame.
- `ClosedScene`: outside opening hours, where the display cannot be switched off
  (no DPMS), a black screen with a tiny dim clock that moves to a new place every minute:
  the staff can see the kiosk is alive, visitors see nothing worth noticing.

Both use only pygame and the bundled Source Sans Pro font, loaded at construction.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import Field

from ..config.common import SceneConfig
from ..scenes.base import Scene, SceneContext, register_scene

# Slow incommensurate periods: the card's path takes hours to repeat exactly.
DRIFT_PERIODS_S = (97.0, 131.0)
BREATH_PERIOD_S = 23.0
BACKGROUND = (14, 18, 24)  # not black: a black frame means "broken" to a visitor
CLOCK_MOVE_S = 60.0


@lru_cache(maxsize=16)
def _font(size: int, weight: str = "Regular"):
    import pygame

    if not pygame.font.get_init():
        pygame.font.init()
    try:
        import font_source_sans_pro

        path = font_source_sans_pro.font_files_ttf.get(
            "SourceSansPro" if weight == "Regular" else f"SourceSansPro{weight}"
        )
        if path:
            return pygame.font.Font(path, size)
    except (ImportError, OSError, AttributeError):
        pass
    return pygame.font.Font(None, size)  # pygame's own font: always there


class SafeConfig(SceneConfig):
    message: str = Field(
        default="This display will be back shortly.", description="the line visitors read on the safe-mode card"
    )
    detail: str = Field(
        default="", description="a small second line for the technician (the engine fills in why)"
    )


@register_scene("safe")
class SafeModeScene(Scene):
    """A minimal card that cannot fail. Build it with `SafeModeScene.build(context, detail=...)`."""

    Config = SafeConfig

    def __init__(self, config: SafeConfig, context: SceneContext) -> None:
        super().__init__(config, context)
        self.t = 0.0
        self._card = self._render_card()

    @classmethod
    def build(cls, context: SceneContext, detail: str = "", title: str = "Bayard") -> SafeModeScene:
        return cls(SafeConfig(type="safe", id="safe-mode", title=title, detail=detail), context)

    def _render_card(self):
        import pygame

        width, height = self.context.size
        big = _font(max(14, height // 18), "Light")
        small = _font(max(10, height // 48))
        title = big.render(self.config.title or "Bayard", True, (200, 196, 186))
        message = small.render(self.config.message, True, (170, 168, 160))
        lines = [title, message]
        if self.config.detail:
            lines.append(small.render(self.config.detail, True, (110, 112, 116)))
        gap = max(6, height // 90)
        card_w = max(s.get_width() for s in lines) + 4 * gap
        card_h = sum(s.get_height() for s in lines) + gap * (len(lines) + 3)
        card = pygame.Surface((min(card_w, width), min(card_h, height)))
        card.fill((30, 34, 42))
        pygame.draw.rect(card, (70, 74, 82), card.get_rect(), width=max(1, height // 400))
        y = 2 * gap
        for surface in lines:
            card.blit(surface, ((card.get_width() - surface.get_width()) // 2, y))
            y += surface.get_height() + gap
        return card

    def position(self) -> tuple[int, int]:
        width, height = self.context.size
        free_x = max(0, width - self._card.get_width())
        free_y = max(0, height - self._card.get_height())
        fx = 0.5 + 0.5 * math.sin(2 * math.pi * self.t / DRIFT_PERIODS_S[0])
        fy = 0.5 + 0.5 * math.sin(2 * math.pi * self.t / DRIFT_PERIODS_S[1] + 1.0)
        return round(free_x * fx), round(free_y * fy)

    def update(self, dt: float) -> None:
        self.t += dt

    def draw(self, surface) -> None:
        surface.fill(BACKGROUND)
        # Brightness breathes between 70% and 100% so the card's pixels are never static.
        level = 0.85 + 0.15 * math.sin(2 * math.pi * self.t / BREATH_PERIOD_S)
        self._card.set_alpha(round(255 * level))
        surface.blit(self._card, self.position())

    def handle(self, command) -> bool:
        return False  # visitors' touches do nothing here; show commands still reach the engine

    def status(self) -> dict[str, Any]:
        return {"safe_mode": True, "detail": self.config.detail}


class ClosedScene(Scene):
    """Black with a tiny clock that moves every minute. Not a scene kind for scene files:
    the engine shows it outside opening hours when it cannot switch the display off."""

    Config = SceneConfig

    def __init__(self, config: SceneConfig, context: SceneContext, timezone: str = "UTC") -> None:
        super().__init__(config, context)
        self.zone = ZoneInfo(timezone)
        self._font = _font(max(10, context.size[1] // 60))
        self._shown: tuple[str, int] | None = None
        self._text = None
        self._where = (0, 0)

    @classmethod
    def build(cls, context: SceneContext, timezone: str = "UTC") -> ClosedScene:
        return cls(SceneConfig(type="closed", id="closed", title="closed"), context, timezone)

    def _refresh(self) -> None:
        wall = self.context.clock.wall()
        label = dt.datetime.fromtimestamp(wall, self.zone).strftime("%H:%M")
        slot = int(wall // CLOCK_MOVE_S)
        if self._shown == (label, slot):
            return
        self._shown = (label, slot)
        self._text = self._font.render(label, True, (48, 48, 48))
        width, height = self.context.size
        rng = random.Random(slot)  # the same minute draws in the same place (reproducible frames)
        self._where = (
            rng.randrange(0, max(1, width - self._text.get_width())),
            rng.randrange(0, max(1, height - self._text.get_height())),
        )

    def draw(self, surface) -> None:
        surface.fill((0, 0, 0))
        self._refresh()
        surface.blit(self._text, self._where)

    def status(self) -> dict[str, Any]:
        return {"closed": True}
