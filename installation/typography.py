"""Text set for readable captions at gallery distance: sizes, leading, wrapped blocks and
where they are placed.

The faces are typefaces.py's (the house faces, Source Serif Pro and Source Sans Pro, cover
accented Latin, Greek and Cyrillic; faces for other scripts (CJK, Arabic, Hebrew) are added
as files in the show's `fonts/` folder, docs/languages.md). Sizes are given as pixels at a
1080-pixel type side (textlog.type_side) and scaled, so a scene file reads the same on a 720p test
window, a portrait screen and a 4K wall. Rendered lines are cached: text is drawn every
frame but rasterised once. Visitor text is drawn with `place()`, which logs its box
(installation/textlog.py) for the kiosk checks. Where lines break is linebreak.py's.
Lines are set at a leading chosen by the type's size (`leading_for`): open for captions and
reading text, close for display type, as a museum's wall text is set.
"""

from __future__ import annotations

import contextlib
import logging
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path

import pygame

from .linebreak import paragraph_lines
from .linebreak_word import as_drawn
from .textlog import MIN_CAP, TextInfo, TextLog
from .typefaces import ITALIC_FALLBACK, SYNTH_ITALIC, faces_changed, font_file, has_glyph, open_face, readable_face

log = logging.getLogger("bayard.typography")



# Leading, baseline to baseline as a multiple of the type's size, by size (design px at
# 1080): captions and credits 1.3, reading text 1.4, display type 1.12, in between along
# a straight line. Lines once stepped by the face's own line height times a factor, and
# Source Serif's line height is already 1.375 times its size: the show's body text stood
# 1.7-1.9 times its size apart (a wall text's is 1.3-1.5) and its headings 1.5.
LEADINGS_BY_SIZE = ((28.0, 1.3), (36.0, 1.4), (40.0, 1.4), (56.0, 1.12))


def leading_for(size_at_1080: float) -> float:
    """The leading type of this size (design px) is set at, as a multiple of its size."""
    sizes = [size for size, _ in LEADINGS_BY_SIZE]
    if size_at_1080 <= sizes[0]:
        return LEADINGS_BY_SIZE[0][1]
    for (low, at_low), (high, at_high) in zip(LEADINGS_BY_SIZE, LEADINGS_BY_SIZE[1:], strict=False):
        if size_at_1080 <= high:
            return at_low + (at_high - at_low) * (size_at_1080 - low) / (high - low)
    return LEADINGS_BY_SIZE[-1][1]


class Fonts:
    """Fonts by role and size; size is in pixels at a 1080-pixel type side (textlog.type_side:
    a landscape screen's height, an upright screen's geometric mean, `short_side` here).

    Sizes scale with that side: an upright 1080x1920 screen sets type 1.19 times as large as a
    1920x1080 one (by its height it would be 78% larger, lines of a few words), as large as
    its width's line length allows. Every request is raised to the
    tier's minimum cap height (textlog.MIN_CAP): "body" for what visitors read, "small"
    for credits and labels, "operator" (no floor) for the maintenance overlay.
    """

    def __init__(self, short_side: int = 1080, extra_faces: list[Path] | tuple[Path, ...] = ()) -> None:
        if not pygame.font.get_init():
            pygame.font.init()
        self.short_side = short_side
        self.scale = short_side / 1080.0
        self.extra_faces = [Path(p) for p in extra_faces]
        self.log = TextLog()
        self._fonts: dict[tuple[str | None, int, bool], pygame.font.Font] = {}
        self._lines: OrderedDict[tuple, pygame.Surface] = OrderedDict()
        self._info: dict[int, TextInfo] = {}
        self._floors: dict[tuple[str, str], int] = {}
        self._warned = False
        # How much of every word placed now shows (0..1): the sequencer fades a scene's words
        # on a curve of their own during a crossfade (words_faded), apart from its pictures.
        self.words_opacity = 1.0

    @contextlib.contextmanager
    def words_faded(self, opacity: float) -> Iterator[None]:
        """Words placed inside the block show at `opacity` of what their scene asks: the
        crossfade's own curve for words, so the outgoing scene's captions and the incoming
        scene's title are not both half there, one over the other (sequencer_draw). Nothing
        is drawn twice or on another surface for it: a word's opacity is its blit's alpha."""
        before = self.words_opacity
        self.words_opacity = before * max(0.0, min(1.0, opacity))
        try:
            yield
        finally:
            self.words_opacity = before

    def refresh(self, faces: list[Path] | None = None, seen: dict[str, tuple[int, int]] | None = None) -> list[str]:
        """Called as each scene is built: a show's own face replaced under the same name (or a
        face added to its fonts/ folder, `faces`) is used from that scene on, not from the
        next start. `seen`: the faces' (size, mtime) looked at elsewhere (typefaces.faces_changed).
        Returns the faces that changed."""
        changed = faces_changed(self.extra_faces, seen)
        if faces and [Path(p) for p in faces] != self.extra_faces:
            self.extra_faces = [Path(p) for p in faces]
            changed.append("fonts/")
        if changed:
            log.info("the show's faces changed (%s): text is set in them from this scene on", ", ".join(changed))
            self._fonts.clear()
            self._lines.clear()
            self._floors.clear()
        return changed

    def px(self, size_at_1080: float) -> int:
        return max(6, round(size_at_1080 * self.scale))

    def size(self, role: str, size_at_1080: float, tier: str = "body") -> int:
        """Pixel size for a role, never under the tier's minimum cap height."""
        size = self.px(size_at_1080)
        if tier not in MIN_CAP:
            return size
        floor = self._floors.get((role, tier))
        if floor is None:
            need = MIN_CAP[tier] * self.short_side
            floor = max(6, int(need / 0.7))
            while _cap(self._font(self._face(role, "H"), floor, role in SYNTH_ITALIC)) < need:
                floor += 1
            self._floors[(role, tier)] = floor
        return max(size, floor)

    # -- faces ---------------------------------------------------------------------
    def _face(self, role: str, text: str) -> str | None:
        """The file to set `text` in: the role's face, else (for a script it lacks) the
        upright face of its family, else the first extra face that has every glyph."""
        chain = [font_file(SYNTH_ITALIC.get(role, role))]
        if role in ITALIC_FALLBACK:
            chain.append(font_file(ITALIC_FALLBACK[role]))
        chain += self.extra_faces
        chain = [p for p in chain if p is not None]
        if not chain:
            if not self._warned:
                log.warning("typefaces from font-source-serif-pro/sans-pro are not installed; "
                            "using pygame's default font (pip install font-source-serif-pro font-source-sans-pro)")
                self._warned = True
            return None
        for path in chain:
            if readable_face(str(path)) and all(has_glyph(str(path), ch) for ch in set(text) if not ch.isspace()):
                return str(path)
        # (The first face that can be read: the house faces are installed, a show's own may be out of reach.)
        return next((str(path) for path in chain if readable_face(str(path))), None)

    def _font(self, path: str | None, size: int, italic: bool) -> pygame.font.Font:
        key = (path, size, italic)
        font = self._fonts.get(key)
        if font is None:
            font = open_face(path, size)
            font.italic = italic
            self._fonts[key] = font
        return font

    def get(self, role: str, size_at_1080: float, tier: str = "body", text: str = "H") -> pygame.font.Font:
        path = self._face(role, text)
        italic = role in SYNTH_ITALIC or (role in ITALIC_FALLBACK and path != _str(font_file(role)))
        return self._font(path, self.size(role, size_at_1080, tier), italic)

    # -- rasterising ---------------------------------------------------------------
    @staticmethod
    def _render(font: pygame.font.Font, text: str, color) -> pygame.Surface:
        """One line, shaped in its own direction: Hebrew and Arabic run right to left
        (HarfBuzz in SDL_ttf orders and joins the glyphs), everything else left to right."""
        text = as_drawn(font, text)
        script = rtl_script(text)
        if script is None:
            return font.render(text, True, color)
        font.set_direction(pygame.DIRECTION_RTL)
        font.set_script(script)
        try:
            return font.render(text, True, color)
        finally:
            font.set_direction(pygame.DIRECTION_LTR)
            font.set_script("Zyyy")

    def _remember(self, key: tuple, surface: pygame.Surface, info: TextInfo) -> pygame.Surface:
        self._lines[key] = surface
        self._info[id(surface)] = info
        if len(self._lines) > 512:
            _, old = self._lines.popitem(last=False)
            self._info.pop(id(old), None)
        return surface

    def _info_for(self, text: str, font: pygame.font.Font, colour, tier: str, surface,
                  last_line_top: int = 0) -> TextInfo:
        return TextInfo(text, tier, _cap(font), tuple(colour[:3]), surface.get_bounding_rect(min_alpha=32),
                        font.get_ascent() - _cap(font), last_line_top + font.get_ascent())

    def ink(self, text: pygame.Surface) -> pygame.Rect:
        """The part of text made by line() or block() that holds its glyphs, on the text's own
        surface: what a layout centres or keeps inside the screen, whatever room the type's
        line leaves above and below them."""
        info = self._info.get(id(text))
        return info.ink.copy() if info is not None else text.get_rect()

    def cap_top(self, text: pygame.Surface) -> int:
        """How far below the top of text made by line() or block() its first capitals
        begin: place it at y - cap_top(...) to hang its capitals on a grid line at y."""
        info = self._info.get(id(text))
        return info.cap_top if info is not None else 0

    def baseline(self, text: pygame.Surface) -> int:
        """How far below the top of text made by line() or block() its last line stands:
        place it at y - baseline(...) to set that line on a grid line at y."""
        info = self._info.get(id(text))
        return info.baseline if info is not None else text.get_height()

    def line(self, text: str, role: str, size_at_1080: float, color: tuple[int, int, int],
             tier: str = "body") -> pygame.Surface:
        """A rasterised line of text (cached; the cache is bounded)."""
        key = (text, role, self.size(role, size_at_1080, tier), color, tier)
        surface = self._lines.get(key)
        if surface is not None:
            self._lines.move_to_end(key)
            return surface
        font = self.get(role, size_at_1080, tier, text)
        surface = self._render(font, text, color)
        return self._remember(key, surface, self._info_for(text, font, color, tier, surface))

    def wrap(self, text: str, role: str, size_at_1080: float, width: int, tier: str = "body",
             balanced: bool = False) -> list[str]:
        """Word wrap; paragraphs separated by blank lines stay separate ('' lines). A
        paragraph never ends on a lone word where the line above can spare one (a heading
        read "Move, and the portrait moves with / you"); `balanced` (centred text) makes
        its lines as even as the width allows, as a typesetter sets a title."""
        font = self.get(role, size_at_1080, tier, text)
        lines: list[str] = []
        for paragraph_index, paragraph in enumerate(text.strip().split("\n\n")):
            if paragraph_index:
                lines.append("")
            lines.extend(paragraph_lines(font, paragraph, width, balanced))
        return lines

    def block(self, text: str, role: str, size_at_1080: float, color: tuple[int, int, int], width: int,
              leading: float | None = None, align: str = "left", tier: str = "body",
              paragraph_gap: float = 1.0, balanced: bool | None = None) -> pygame.Surface:
        """A wrapped paragraph rendered onto one transparent surface (cached by content).
        `leading`: baseline to baseline as a multiple of the type's size (by default the
        one its size is set at, leading_for). `paragraph_gap`: the share of a line the space
        between paragraphs takes (a whole empty line by default; a layout short of room sets
        paragraphs closer). `balanced`: its lines as even as the width allows (wrap); by
        default only centred text's."""
        size = self.size(role, size_at_1080, tier)
        leading = leading_for(size_at_1080) if leading is None else leading
        balanced = align == "center" if balanced is None else balanced
        key = ("block", text, role, size, color, width, leading, align, tier, paragraph_gap, balanced)
        cached = self._lines.get(key)
        if cached is not None:
            self._lines.move_to_end(key)
            return cached
        font = self.get(role, size_at_1080, tier, text)
        step = round(size * leading)
        lines = self.wrap(text, role, size_at_1080, width, tier, balanced=balanced)
        # Each line's top: an empty line (between paragraphs) advances by its share of a step.
        tops, y = [], 0
        for line in lines:
            tops.append(y)
            y += step if line else round(step * paragraph_gap)
        # The last line needs only its own height, not a whole step: measured layouts
        # then put the next block exactly where the gap says.
        last_top = tops[-1] if tops else 0
        height = max(font.get_height(), last_top + font.get_height())
        surface = pygame.Surface((width, height), pygame.SRCALPHA)
        if rtl_script(text) is not None:
            # A right-to-left text starts at the right: the layout's "left" is its "right".
            align = {"left": "right", "right": "left"}.get(align, align)
        for top, line in zip(tops, lines, strict=True):
            if not line:
                continue
            rendered = self._render(font, line, color)
            x = {"left": 0, "center": (width - rendered.get_width()) // 2,
                 "right": width - rendered.get_width()}[align]
            surface.blit(rendered, (x, top))
        return self._remember(key, surface, self._info_for(text, font, color, tier, surface, last_top))

    def place(self, target: pygame.Surface, text: pygame.Surface, pos: tuple[int, int],
              alpha: float = 1.0) -> pygame.Rect:
        """Draw text made by line() or block() at `pos` with an overall opacity (0..1), times
        the words' opacity of the moment (words_faded), and log its box for the kiosk checks.
        Returns the glyphs' box on the target."""
        info = self._info.get(id(text))
        pos = (round(pos[0]), round(pos[1]))
        if alpha <= 0.0:
            return pygame.Rect(pos, (0, 0))
        # The box returned is the same however faded the words are: scenes hang the next
        # block under it and keep buttons' rects from it, and a crossfade's words must not move.
        shown = alpha * self.words_opacity
        if shown > 0.0:
            if info is not None:
                self.log.add(target, text, info, pos, shown)
            blit_alpha(target, text, pos, shown)
        ink = info.ink if info is not None else text.get_rect()
        return ink.move(pos)


def _str(path: Path | None) -> str | None:
    return str(path) if path is not None else None


def _cap(font: pygame.font.Font) -> int:
    """Cap height in pixels: how far an 'H' rises above the baseline."""
    return font.metrics("H")[0][3]


# Strong right-to-left letters by Unicode block, with the script HarfBuzz needs for them.
_RTL_BLOCKS = ((0x0590, 0x05FF, "Hebr"), (0xFB1D, 0xFB4F, "Hebr"), (0x0600, 0x06FF, "Arab"),
               (0x0750, 0x077F, "Arab"), (0x08A0, 0x08FF, "Arab"), (0xFB50, 0xFDFF, "Arab"),
               (0xFE70, 0xFEFF, "Arab"))


def rtl_script(text: str) -> str | None:
    """'Hebr' or 'Arab' when the text's first strong letter is right-to-left, else None."""
    for ch in text:
        code = ord(ch)
        for low, high, script in _RTL_BLOCKS:
            if low <= code <= high:
                return script
        if ch.isalpha():
            return None
    return None


def blit_alpha(target: pygame.Surface, source: pygame.Surface, pos: tuple[int, int], alpha: float) -> None:
    """Blit a per-pixel-alpha surface with an extra overall opacity (0..1)."""
    if alpha <= 0.0:
        return
    if alpha >= 1.0:
        target.blit(source, pos)
        return
    source.set_alpha(round(alpha * 255))
    target.blit(source, pos)
    # Not set_alpha(None): on a per-pixel-alpha surface that switches blending off, and
    # the next full-opacity blit would paint the glyphs' transparent box as well.
    source.set_alpha(255)
