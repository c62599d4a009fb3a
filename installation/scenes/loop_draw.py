"""What the loop scene draws: the current face (its crossfade or morph) and its words.
Kept apart from the loop's logic (loop.py), which it reads."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from ..imaging import draw_missing
from ..words import words
from .layout import SCALES, beyond_lines, fit, hang, hung_in, picture_and_column, stand, title_scale
from .style import fade, rgb

if TYPE_CHECKING:
    from .loop_playlist import Slot


class LoopDrawing:
    """Mixed into LoopScene: every method here only draws or measures."""

    def _frame_and_column(self, share: float) -> tuple[pygame.Rect, pygame.Rect]:
        """A square frame for the faces in the picture's box, the words beside it (below it
        on a portrait screen) in the show's column (layout.GRID_SHARE): the column no longer
        follows the frame's edge, which set these words apart from every other scene's."""
        size = self.context.size
        picture, column = picture_and_column(size, share=share)
        side = min(picture.size)
        return hung_in(picture, (side, side)), column

    def _words_need(self, column: pygame.Rect) -> int:
        """The most any item's words need in `column` at the smallest type scale: every
        caption and credit the scene file gives, and the reveal."""
        c = self.config
        captions = {c.caption, c.reveal} | {i.caption for i in c.items if i.caption}
        credits = {c.credit, words("loop.prerendered")} | {i.credit for i in c.items if i.credit}
        def need(caption: str, credit: str) -> int:
            return self._text_height(caption, credit, column.width, SCALES[-1], with_reveal=False)

        credit = max(credits, key=lambda text: need("", text))
        return max(need(caption, credit) for caption in captions)

    def _surface(self, slot: Slot) -> pygame.Surface | None:
        frame = slot.source.frame_at(max(0.0, self.t - slot.start), block=self.block)
        if frame is None:
            return slot.surface  # not decoded yet: keep what we had (never black)
        if frame.index != slot.surface_index or slot.surface is None:
            image = frame.image
            slot.surface = pygame.image.frombuffer(image, (image.shape[1], image.shape[0]), "RGB")
            slot.surface_index = frame.index
            slot._frame = frame  # keep the pixels alive while the surface refers to them
        return slot.surface

    def _blit_media(self, surface: pygame.Surface, slot: Slot, alpha: float) -> None:
        image = self._surface(slot)
        if image is None:
            return
        rect = image.get_rect(center=self.frame_rect.center)
        if round(alpha * 255) < 255:  # 255 would take pygame's slow opaque-blend path
            image.set_alpha(round(alpha * 255))
            surface.blit(image, rect)
            image.set_alpha(None)
        else:
            surface.blit(image, rect)

    def draw(self, surface: pygame.Surface) -> None:
        self._settle_layout()
        c = self.config
        surface.fill(rgb(c.background))
        if self.current is None:
            self._draw_placeholder(surface)
            return
        fade_s = c.change_duration if c.change != "cut" else 0.0
        morph = self.current.morph if self.fading_out is not None else None
        if morph and fade_s > 0:
            mix = min(1.0, max(0.0, (self.t - self.current.start) / fade_s))
            index = min(len(morph) - 1, int(mix * len(morph)))
            image = self.current.morph_cache.get(index)
            if image is None:
                small = morph[index]
                image = pygame.transform.smoothscale(
                    pygame.image.frombuffer(small, (small.shape[1], small.shape[0]), "RGB"),
                    self.frame_rect.size,
                )
                self.current.morph_cache = {index: image}
            surface.blit(image, self.frame_rect)
        elif self.fading_out is not None:
            self._blit_media(surface, self.fading_out, 1.0)
            mix = min(1.0, (self.t - self.current.start) / fade_s) if fade_s > 0 else 1.0
            self._blit_media(surface, self.current, mix)
        else:
            self._blit_media(surface, self.current, 1.0)
        self._draw_text(surface)

    def _draw_text(self, surface: pygame.Surface) -> None:
        c = self.config
        fonts = self.context.fonts
        fg, accent = rgb(c.foreground), rgb(c.accent)
        slot = self.current
        item = slot.item
        local = self.t - slot.start
        duration = slot.duration(c.item_duration)
        fade_s = max(0.4, c.change_duration)
        # Text belongs to its item: it fades in after the picture arrives and out before it leaves.
        visible = fade(
            local, 0.3, duration - 0.2 if self.next is not None or self.fading_out is None else None, fade_s
        )
        if self.mode == "live" or (len(self.items) <= 1 and not c.folder):
            visible = fade(self.t, 0.5, None, 1.5)
        caption = item.caption or c.caption
        credit = item.credit or c.credit
        if self.mode == "fallback":
            credit = credit or words("loop.prerendered")
        full = c.layout == "full"
        column = (
            self.column
            if not full
            else pygame.Rect(
                fonts.px(80),
                surface.get_height() - fonts.px(260),
                surface.get_width() - fonts.px(160),
                fonts.px(200),
            )
        )
        if full:  # a soft dark band so captions read over any picture
            band = pygame.Surface((surface.get_width(), fonts.px(300)), pygame.SRCALPHA)
            for y in range(band.get_height()):
                band.fill((0, 0, 0, round(150 * y / band.get_height())), (0, y, band.get_width(), 1))
            surface.blit(band, (0, surface.get_height() - band.get_height()))
        k = 1.0 if full else fit(lambda scale: self._text_height(caption, credit, column.width, scale), column.height)
        size = (56 if not full else 48) * title_scale(fonts, k, "serif-light", 40)
        # The first capitals hang on the column's top line, as in every scene (layout.hang).
        first = (fonts.block(c.heading.upper(), "sans-semibold", 30 * k, accent, column.width, tier="small")
                 if c.heading else fonts.block(caption, "serif", size, fg, column.width))
        y = hang(fonts, first, column.y)
        if c.heading:
            head = first
            box = fonts.place(surface, head, (column.x, y), fade(self.t, 0.2, None, 1.2))
            y = box.bottom + fonts.px(30 * k)
        if item.real:
            turn = c.reveal_at * duration
            before = fonts.block(caption, "serif", size, fg, column.width)
            after = fonts.block(c.reveal, "serif-semibold", size, accent, column.width)
            a_before = visible * (1.0 - fade(local, turn, None, 0.9))
            a_after = visible * fade(local, turn + 0.5, None, 0.9)
            for block, alpha in ((before, a_before), (after, a_after)):
                fonts.place(surface, block, (column.x, y), alpha)
            y += max(before.get_height(), after.get_height())
            credit_alpha = a_after
        else:
            block = fonts.block(caption, "serif", size, fg, column.width)
            fonts.place(surface, block, (column.x, y), visible)
            y += block.get_height()
            credit_alpha = visible
        if c.body and not full:
            body = fonts.block(c.body, "serif-light", 40 * k, fg, column.width)
            fonts.place(surface, body, (column.x, y + fonts.px(40 * k)), fade(self.t, 1.0, None, 1.5))
        if credit and credit_alpha > 0:
            block = fonts.block(credit, "sans", 30 * k, accent, column.width, tier="small")
            if full:
                fonts.place(surface, block, (column.x, surface.get_height() - fonts.px(40) - block.get_height()),
                            credit_alpha)
            else:  # its last baseline on the column's bottom line, as every scene's credit
                fonts.place(surface, block, (column.x, stand(fonts, block, column.bottom)), credit_alpha)

    def _text_height(self, caption: str, credit: str, width: int, k: float,
                     with_reveal: bool | None = None) -> int:
        """The column's height at type scale k: heading, caption, body and credit with
        their gaps; with the reveal's height where it is taller than the caption (by
        default, when any item is a real person)."""
        c, fonts, ink = self.config, self.context.fonts, (0, 0, 0)
        height = 0
        first = last = None
        if c.heading:
            first = fonts.block(c.heading.upper(), "sans-semibold", 30 * k, ink, width, tier="small")
            height += first.get_height() + fonts.px(30 * k)
        if with_reveal is None:
            with_reveal = any(i.real for i in self.items)
        size = 56 * title_scale(fonts, k, "serif-light", 40)  # (above its body, however long: draw's)
        captions = [fonts.block(t, "serif", size, ink, width)
                    for t in [caption] + ([c.reveal] if with_reveal else [])]
        first = first or captions[0]
        height += max(block.get_height() for block in captions)
        if c.body:
            body = fonts.block(c.body, "serif-light", 40 * k, ink, width)
            height += fonts.px(40 * k) + body.get_height()
        if credit:
            last = fonts.block(credit, "sans", 30 * k, ink, width, tier="small")
            height += fonts.px(30 * k) + last.get_height()
        # (Measured between the grid's lines: above the first capitals and below the last
        # baseline is the column's margin, not its room.)
        return height - beyond_lines(fonts, first, last)

    def _draw_placeholder(self, surface: pygame.Surface) -> None:
        # Visitors read the exhibition's own line; the small print tells staff what to do.
        draw_missing(
            surface,
            self.context.fonts,
            self.config.caption,
            f"{self.config.placeholder}\n{words('loop.placeholder_more')}",
            self.t,
        )
