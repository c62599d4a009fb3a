"""`title`: a typographic card (exhibition title, a section heading, a short text)."""

from __future__ import annotations

import math

import pygame
from pydantic import Field

from ..config.common import SceneConfig
from .base import Scene, register_scene
from .layout import picture_and_column, stand
from .style import Colour, fade, rgb


class TitleConfig(SceneConfig):
    heading: str = Field(description="the large line")
    subheading: str = Field(default="", description="a line under the heading")
    body: str = Field(default="", description="a short paragraph (blank lines separate paragraphs)")
    footer: str = Field(default="", description="a small line at the bottom, e.g. a credit")
    background: Colour = Field(default="#12100e", description="background colour '#rrggbb'")
    foreground: Colour = Field(default="#efe6d8", description="text colour '#rrggbb'")
    accent: Colour = Field(default="#b0916a", description="colour of the rule and subheading '#rrggbb'")
    stagger: float = Field(default=0.6, ge=0, le=5, description="seconds between lines appearing")


@register_scene("title")
class TitleScene(Scene):
    Config = TitleConfig
    config: TitleConfig

    def __init__(self, config: TitleConfig, context) -> None:
        super().__init__(config, context)
        self.t = 0.0

    def natural_duration(self) -> float | None:
        return 10.0 + 0.05 * len(self.config.body)

    def update(self, dt: float) -> None:
        self.t += dt

    def _pieces(self, width: int):
        """The card's text blocks with the gap above each (rasterised once, then cached)."""
        c = self.config
        fonts = self.context.fonts
        fg, accent = rgb(c.foreground), rgb(c.accent)
        column = min(width - fonts.px(240), fonts.px(1280))
        yield fonts.block(c.heading, "serif", 96, fg, column, align="center"), 0
        if c.subheading:
            yield fonts.block(c.subheading.upper(), "sans-semibold", 30, accent, column, align="center",
                              tier="small"), fonts.px(28)
        if c.body:
            yield fonts.block(c.body, "serif-light", 40, fg, column, align="center"), fonts.px(56)
        if c.footer:
            yield fonts.block(c.footer, "sans", 30, accent, column, align="center", tier="small"), 0

    def warm(self):
        # Rasterising a 1080p card takes about 30 ms: one block per slice, before it shows.
        for _ in self._pieces(self.context.size[0]):
            yield
        self._footer_cap()  # the light's measure, so that no frame rasterises text

    def draw(self, surface: pygame.Surface) -> None:
        c = self.config
        fonts = self.context.fonts
        width, height = surface.get_size()
        surface.fill(rgb(c.background))
        accent = rgb(c.accent)
        column = min(width - fonts.px(240), fonts.px(1280))
        left = (width - column) // 2
        pieces: list[tuple[pygame.Surface, int]] = list(self._pieces(width))
        foot = pieces.pop()[0] if c.footer else None
        total = sum(s.get_height() + gap for s, gap in pieces)
        y = (height - total) // 2
        words_bottom = 0  # where the words above the footer end, once they have risen into place
        for index, (piece, gap) in enumerate(pieces):
            y += gap
            alpha = fade(self.t, 0.3 + index * c.stagger, None, 1.2)
            # Lines rise a few pixels as they appear: motion that reads as calm, not busy.
            rise = round((1.0 - alpha) * fonts.px(18))
            fonts.place(surface, piece, (left, y + rise), alpha)
            if index == 0:
                # (the heading's rule: it comes and goes with the words in a crossfade)
                rule_w = round(fonts.px(160) * fade(self.t, 0.8, None, 1.5) * fonts.words_opacity)
                pygame.draw.rect(surface, accent, (width // 2 - rule_w // 2, y + piece.get_height() + fonts.px(14),
                                                   rule_w, max(1, fonts.px(2))))
            words_bottom = y + fonts.ink(piece).bottom
            y += piece.get_height()
        # The footer stands on the show's bottom line, where every scene's credit stands.
        bottom_line = picture_and_column((width, height))[1].bottom
        foot_ink = None
        if foot is not None:
            at = stand(fonts, foot, bottom_line)
            fonts.place(surface, foot, (left, at), fade(self.t, 1.5, None, 2.0))
            foot_ink = fonts.ink(foot).move(left, at)
        # A faint breathing light keeps a static card from looking frozen.
        glow = 0.5 + 0.5 * math.sin(self.t * 0.4)
        centre_y = self._light_y(height, bottom_line, foot_ink, words_bottom)
        pygame.draw.circle(surface, accent, (width // 2, centre_y), max(2, fonts.px(3 + glow * 1.5)))

    def _footer_cap(self) -> int:
        """The footer's capital height (a cached line: warm() makes it before the card shows)."""
        fonts = self.context.fonts
        cap_line = fonts.line("H", "sans", 30, (0, 0, 0), tier="small")
        return fonts.baseline(cap_line) - fonts.cap_top(cap_line)

    def _light_y(self, height: int, bottom_line: int, foot: pygame.Rect | None, words_bottom: int) -> int:
        """Where the breathing light stands: under the footer where the room below the bottom
        line keeps it a capital's height clear of the footer and of the screen's edge (every
        landscape screen), else over the footer (an upright screen's bottom line is 3% of its
        height from the edge, not 8%: there the light sat 20 px under the footer's descenders
        and 18 px from the edge of a 1080x1920 screen)."""
        fonts = self.context.fonts
        radius = max(2, fonts.px(4.5))  # at its largest: the light never moves as it breathes
        under = (bottom_line + height) // 2 + fonts.px(4)
        if foot is None:
            return under
        cap = self._footer_cap()
        if min(under - radius - foot.bottom, height - under - radius) >= cap:
            return under
        # Over it, as far from the footer's words as it stands under them on a 1920x1080
        # screen (one and a half capitals), unless the words above come closer than that.
        over = foot.top - round(1.5 * cap) - radius
        if over - radius - words_bottom >= under - radius - foot.bottom:
            return over
        return under
