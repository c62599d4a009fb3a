"""Typefaces and text layout for readable captions at gallery distance.

Source Serif Pro and Source Sans Pro (SIL OFL) ship as wheels; when they are missing
the engine falls back to pygame's bundled font rather than failing. Sizes are given
as pixels at 1080 lines and scaled to the show's height, so a scene file reads the
same on a 720p test window and a 4K wall. Rendered lines are cached: text is drawn
every frame but rasterised once.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from functools import cache
from pathlib import Path

import pygame

log = logging.getLogger("bayard.typography")

_FACES = {
    "serif": ("font_source_serif_pro", "SourceSerifPro-Regular.ttf"),
    "serif-semibold": ("font_source_serif_pro", "SourceSerifPro-Semibold.ttf"),
    "serif-bold": ("font_source_serif_pro", "SourceSerifPro-Bold.ttf"),
    "serif-light": ("font_source_serif_pro", "SourceSerifPro-Light.ttf"),
    "sans": ("font_source_sans_pro", "SourceSansPro-Regular.ttf"),
    "sans-light": ("font_source_sans_pro", "SourceSansPro-Light.ttf"),
    "sans-semibold": ("font_source_sans_pro", "SourceSansPro-Semibold.ttf"),
    "sans-bold": ("font_source_sans_pro", "SourceSansPro-Bold.ttf"),
    "sans-italic": ("font_source_sans_pro", "SourceSansPro-It.ttf"),
}
# Source Serif Pro has no italic in this package: the serif italic is synthesised.
_SYNTH_ITALIC = {"serif-italic": "serif"}


@cache
def font_file(role: str) -> Path | None:
    module_name, filename = _FACES.get(role, _FACES["sans"])
    try:
        module = __import__(module_name)
    except ImportError:
        return None
    base = Path(module.__file__).parent / "files" / filename
    return base if base.exists() else None


class Fonts:
    """Fonts by role and size; size is in pixels at a 1080-line screen."""

    def __init__(self, screen_height: int = 1080) -> None:
        if not pygame.font.get_init():
            pygame.font.init()
        self.scale = screen_height / 1080.0
        self._fonts: dict[tuple[str, int], pygame.font.Font] = {}
        self._lines: OrderedDict[tuple, pygame.Surface] = OrderedDict()
        self._warned = False

    def px(self, size_at_1080: float) -> int:
        return max(6, round(size_at_1080 * self.scale))

    def get(self, role: str, size_at_1080: float) -> pygame.font.Font:
        size = self.px(size_at_1080)
        key = (role, size)
        font = self._fonts.get(key)
        if font is None:
            base_role = _SYNTH_ITALIC.get(role, role)
            path = font_file(base_role)
            if path is None and not self._warned:
                log.warning("typefaces from font-source-serif-pro/sans-pro are not installed; "
                            "using pygame's default font (pip install font-source-serif-pro font-source-sans-pro)")
                self._warned = True
            font = pygame.font.Font(str(path) if path else None, size)
            if role in _SYNTH_ITALIC:
                font.italic = True
            self._fonts[key] = font
        return font

    def line(self, text: str, role: str, size_at_1080: float, color: tuple[int, int, int]) -> pygame.Surface:
        """A rasterised line of text (cached; the cache is bounded)."""
        key = (text, role, self.px(size_at_1080), color)
        surface = self._lines.get(key)
        if surface is None:
            surface = self.get(role, size_at_1080).render(text, True, color)
            self._lines[key] = surface
            if len(self._lines) > 512:
                self._lines.popitem(last=False)
        else:
            self._lines.move_to_end(key)
        return surface

    def wrap(self, text: str, role: str, size_at_1080: float, width: int) -> list[str]:
        """Greedy word wrap; paragraphs separated by blank lines stay separate ('' lines)."""
        font = self.get(role, size_at_1080)
        lines: list[str] = []
        for paragraph_index, paragraph in enumerate(text.strip().split("\n\n")):
            if paragraph_index:
                lines.append("")
            words = paragraph.split()
            current = ""
            for word in words:
                trial = f"{current} {word}" if current else word
                if font.size(trial)[0] <= width or not current:
                    current = trial
                else:
                    lines.append(current)
                    current = word
            if current:
                lines.append(current)
        return lines

    def block(self, text: str, role: str, size_at_1080: float, color: tuple[int, int, int], width: int,
              line_spacing: float = 1.35, align: str = "left") -> pygame.Surface:
        """A wrapped paragraph rendered onto one transparent surface (cached by content)."""
        key = ("block", text, role, self.px(size_at_1080), color, width, line_spacing, align)
        cached = self._lines.get(key)
        if cached is not None:
            self._lines.move_to_end(key)
            return cached
        font = self.get(role, size_at_1080)
        step = round(font.get_linesize() * line_spacing)
        lines = self.wrap(text, role, size_at_1080, width)
        height = max(step, step * len(lines))
        surface = pygame.Surface((width, height), pygame.SRCALPHA)
        for index, line in enumerate(lines):
            if not line:
                continue
            rendered = font.render(line, True, color)
            x = {"left": 0, "center": (width - rendered.get_width()) // 2,
                 "right": width - rendered.get_width()}[align]
            surface.blit(rendered, (x, index * step))
        self._lines[key] = surface
        if len(self._lines) > 512:
            self._lines.popitem(last=False)
        return surface


def blit_alpha(target: pygame.Surface, source: pygame.Surface, pos: tuple[int, int], alpha: float) -> None:
    """Blit a per-pixel-alpha surface with an extra overall opacity (0..1)."""
    if alpha <= 0.0:
        return
    if alpha >= 1.0:
        target.blit(source, pos)
        return
    source.set_alpha(round(alpha * 255))
    target.blit(source, pos)
    source.set_alpha(None)
