"""What the video scene draws over the film: the caption and credit at the start and
the subtitles, each in a translucent box that hugs its text. Kept apart from the scene's
playing logic (video.py), which draws the film's frames and calls these."""

from __future__ import annotations

import pygame

from ..typography import blit_alpha
from .style import fade, rgb


class VideoDrawing:
    """Mixed into VideoScene: every method here only draws or measures."""

    def _draw_caption(self, surface: pygame.Surface) -> None:
        c = self.config
        if not (c.caption or c.credit) or c.caption_seconds <= 0:
            return
        fonts = self.context.fonts
        # (its box is words too: it leaves and comes with them in a crossfade, Fonts.words_faded)
        alpha = fade(self.t, 0.5, c.caption_seconds, 1.2) * fonts.words_opacity
        if alpha <= 0:
            return
        width = round(surface.get_width() * 0.5)
        pieces = []
        for text, role, size, colour in (
            (c.caption, "serif", 40, rgb(c.foreground)),
            (c.credit, "sans", 22, rgb(c.accent)),
        ):
            if text:
                pieces.append(
                    fonts.block(text, role, size, colour, _tight_width(fonts, text, role, size, width))
                )
        # A translucent box, like the subtitles': legible over any picture.
        pad, gap = fonts.px(22), fonts.px(8)
        box = pygame.Surface(
            (
                max(p.get_width() for p in pieces) + 2 * pad,
                sum(p.get_height() for p in pieces) + gap * (len(pieces) - 1) + 2 * pad,
            ),
            pygame.SRCALPHA,
        )
        box.fill((0, 0, 0, 140))
        y = pad
        for piece in pieces:
            box.blit(piece, (pad, y))
            y += piece.get_height() + gap
        box.set_alpha(round(alpha * 255))
        surface.blit(box, (fonts.px(60), fonts.px(60)))

    def _draw_subtitle(self, surface: pygame.Surface, t: float) -> None:
        if not self.cues:
            return
        period = (self.source.period or self.source.period_hint) if self.source is not None else None
        local = t % period if period and self.config.on_end == "loop" else t
        index = next((i for i, cue in enumerate(self.cues) if cue.start <= local < cue.end), None)
        if index is None:
            return
        cue = self.cues[index]
        fonts = self.context.fonts
        block = self._cue_cache.get(index)
        if block is None:
            width = round(surface.get_width() * 0.8)
            # One block per line: a subtitle's line breaks are the subtitler's, keep them.
            lines = [
                fonts.block(
                    line,
                    "sans-semibold",
                    self.config.subtitle_size,
                    rgb(self.config.foreground),
                    _tight_width(fonts, line, "sans-semibold", self.config.subtitle_size, width),
                    align="center",
                )
                for line in cue.text.split("\n")
            ]
            text = pygame.Surface(
                (max(li.get_width() for li in lines), sum(li.get_height() for li in lines)), pygame.SRCALPHA
            )
            y = 0
            for li in lines:
                text.blit(li, ((text.get_width() - li.get_width()) // 2, y))
                y += li.get_height()
            # A translucent box behind the text: legible over any picture, as broadcast subtitles are.
            pad = fonts.px(14)
            block = pygame.Surface((text.get_width() + 2 * pad, text.get_height() + pad), pygame.SRCALPHA)
            block.fill((0, 0, 0, 150))
            block.blit(text, (pad, pad // 2))
            self._cue_cache = {index: block}
        rect = block.get_rect(
            midbottom=(surface.get_width() // 2, surface.get_height() - self.context.fonts.px(70))
        )
        # (set in its box, not placed word by word: it leaves and comes with the words of a crossfade)
        blit_alpha(surface, block, rect.topleft, fonts.words_opacity)


def _tight_width(fonts, text: str, role: str, size: float, limit: int) -> int:
    """The width the wrapped text really needs (boxes behind text hug it)."""
    font = fonts.get(role, size)
    lines = fonts.wrap(text, role, size, limit)
    return min(limit, max((font.size(line)[0] for line in lines), default=1) + 2)
