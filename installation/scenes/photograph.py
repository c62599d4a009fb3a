"""`photograph`: one historical photograph, slowly explored, with timed captions and
the reveal of what is written on the back of the print.

Made for Bayard's "Self Portrait as a Drowned Man" (1840), whose verso carries his
accusation, but usable for any single image. The picture sits in a mat on the left,
the text in a column on the right at sizes readable from two metres on a 1080p screen.
Pan and zoom are interpolated between keyframes with sub-pixel precision (an affine
warp, not an integer crop, so slow moves never shimmer). When the image is not
installed, a drawing of the scene takes its place with its own caption: it is never
credited as the print (the print's credit comes from the content manifest).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pygame

from ..imaging import MediaError, paper_texture, read_rgb, surface_from_rgb
from .base import Scene, register_scene
from .layout import (
    GRID_SHARE,
    SCALES,
    fit,
    giving_way,
    hung_in,
    layout_key,
    overrun_message,
    picture_and_column,
    stand,
    title_scale,
)
from .photograph_check import check_photograph, closest_zoom
from .photograph_config import FLIP_S, Caption, Keyframe, PhotographConfig, Verso  # noqa: F401  (the kind's schema)
from .photograph_standin import draw_standin, empty_mat
from .style import fade, lerp, rgb, smoothstep

_SAID: set[tuple[str, str]] = set()  # (file, problem) already logged at warning level


@register_scene("photograph")
class PhotographScene(Scene):
    Config = PhotographConfig
    config: PhotographConfig
    check_content = staticmethod(check_photograph)  # `bayard check`: a picture too small to show sharp

    def __init__(self, config: PhotographConfig, context) -> None:
        super().__init__(config, context)
        self.t = 0.0
        self.image: np.ndarray | None = None
        self.installed = False
        self.problem = ""
        self._photo: pygame.Surface | None = None
        self._photo_key: tuple | None = None
        self._back: pygame.Surface | None = None
        self._back_paper: np.ndarray | None = None
        width, height = context.size
        # Until warm() (or enter) has measured the words: see _settle_layout.
        self.mat, self.column = picture_and_column((width, height), share=GRID_SHARE)
        self._laid_out = context.fonts is None
        self.words_overrun = 0  # pixels the captions need beyond their column (see _settle_layout)
        self._scale: float | None = None  # the caption type scale that fits the column

    # -- loading (worker thread: numpy only) -------------------------------------
    def prepare(self) -> None:
        path = self.context.media(self.config.image)
        longest = round(max(self.mat.size) * closest_zoom(self.config))
        try:
            self.image = read_rgb(path, max_side=max(256, longest))
            self.installed = True
        except MediaError as exc:
            self.problem = str(exc)
            # The drawing tells Bayard's story: hung in place of any other picture (a typo in
            # a gallery's file name) it put his drowned man under their title, with a caption
            # about his print. Any other picture leaves its mat empty until it is mended.
            drawing = self.config.standin_drawing == "bayard"
            instead = "showing the designed stand-in" if drawing else "showing an empty mat until it is mended"
            # Once per file and problem while the show runs: the scene is built anew each
            # loop, and an optional print not yet installed said so 350 times a day.
            said = (str(path), str(exc))
            (self.log.debug if said in _SAID else self.log.warning)("%s; %s", exc, instead)
            _SAID.add(said)
            if path.exists():  # a missing file is reported by context.media(); a broken one here
                self.context.report(f"{exc}; {instead}")
            aspect = 4 / 3  # Bayard's print is close to 4:3 landscape
            size = (1200, round(1200 / aspect))
            self.image = draw_standin(size) if drawing else empty_mat(size)
        if self.config.verso is not None:
            # The back of the print is paper made here, off the render loop (~0.1 s).
            self._back_paper = paper_texture(self._photo_rect().size, seed=1841, tone=(214, 196, 164))

    def _settle_layout(self) -> None:
        """The print gives way where the captions would not fit beside it
        (layout.giving_way): measured on the main thread, never in the constructor (which
        must stay cheap). prepare() may have run for the larger mat: the picture it read
        is then only larger than needed, and the back's paper is scaled to the new size.
        Without fonts (a context that only plays, never draws) there is nothing to measure."""
        if self._laid_out:
            return
        self._laid_out = True
        size = self.context.size
        key = layout_key("photograph", self.config, self.context.fonts, size)
        # (On a 5:4 screen the print gives way further than other pictures, to 0.25 of the
        # width: its story, translation and attribution are the show's longest words.)
        self.mat, self.column, overrun = giving_way(
            lambda share: picture_and_column(size, share=share), GRID_SHARE, self._words_need, least=0.25, key=key)
        self._scale = None
        if overrun:
            self.context.report(overrun_message(overrun, size, "the captions"), severity="warning")
        self.words_overrun = overrun

    def check_words(self) -> str:
        """`bayard check`: what to shorten when the captions cannot fit this screen, else ''."""
        self._settle_layout()
        if not self.words_overrun:
            return ""
        return overrun_message(self.words_overrun, self.context.size, "the captions")

    def warm(self):
        """The first frames' surfaces, a piece per slice: where the print and the captions
        go, the caption scale that fits (every caption rasterised at a few sizes), each
        caption, the verso, the photograph."""
        self._settle_layout()
        yield
        if self.image is None:
            return
        if self._scale is None:
            self._scale = fit(lambda k: self._slots(k)[1], self.column.height)
            yield
        for caption in self.config.captions:
            self._block(caption.text, caption.role, self._scale)
            yield
        verso = self.config.verso
        if verso is not None and verso.translation:
            self._block(verso.translation, "translation", self._scale)
            yield
        self._render_photo(self._photo_rect())

    def enter(self) -> None:
        self._settle_layout()
        if self.image is None:  # prepared synchronously when no worker ran
            self.prepare()

    def natural_duration(self) -> float | None:
        ends = [c.until or c.at + 12 for c in self.config.captions]
        if self.config.verso:
            ends.append(self.config.verso.until or self.config.verso.at + 20)
        return (max(ends) + 2.0) if ends else 30.0

    def update(self, dt: float) -> None:
        self.t += dt

    def status(self) -> dict:
        return {"image_installed": self.installed, "problem": self.problem}

    # -- geometry ------------------------------------------------------------------
    def _view(self) -> tuple[float, float, float]:
        frames = self.config.keyframes
        if not frames:
            return 0.5, 0.5, 1.0
        if self.t <= frames[0].at:
            k = frames[0]
            return k.center[0], k.center[1], k.zoom
        for a, b in itertools.pairwise(frames):
            if a.at <= self.t <= b.at:
                u = smoothstep((self.t - a.at) / max(b.at - a.at, 1e-6))
                return (lerp(a.center[0], b.center[0], u), lerp(a.center[1], b.center[1], u), lerp(a.zoom, b.zoom, u))
        k = frames[-1]
        return k.center[0], k.center[1], k.zoom

    def _photo_rect(self) -> pygame.Rect:
        h, w = self.image.shape[:2]
        scale = min(self.mat.width / w, self.mat.height / h)
        size = (round(w * scale), round(h * scale))
        return hung_in(self.mat, size)

    def _render_photo(self, rect: pygame.Rect) -> pygame.Surface:
        import cv2

        cx, cy, zoom = self._view()
        key = (round(cx, 5), round(cy, 5), round(zoom, 5), rect.size)
        if key == self._photo_key and self._photo is not None:
            return self._photo
        h, w = self.image.shape[:2]
        half_w, half_h = 0.5 / zoom, 0.5 / zoom
        cx = min(max(cx, half_w), 1 - half_w)
        cy = min(max(cy, half_h), 1 - half_h)
        scale = rect.width * zoom / w  # destination pixels per source pixel
        # Inverse map: destination (x, y) -> source, centred on (cx, cy), sub-pixel exact.
        matrix = np.array([[1 / scale, 0, cx * w - rect.width / (2 * scale)],
                           [0, 1 / scale, cy * h - rect.height / (2 * scale)]], dtype=np.float64)
        # The source was pre-scaled in prepare() to about the largest size shown, so a
        # bilinear warp never minifies much and needs no area filter.
        warped = cv2.warpAffine(self.image, matrix, rect.size, flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                                borderMode=cv2.BORDER_REFLECT)
        self._photo = surface_from_rgb(warped)
        self._photo_key = key
        return self._photo

    def _render_back(self, size: tuple[int, int]) -> pygame.Surface:
        if self._back is not None and self._back.get_size() == size:
            return self._back
        texture = self._back_paper
        if texture is None:
            texture = paper_texture(size, seed=1841, tone=(214, 196, 164))
        elif (texture.shape[1], texture.shape[0]) != size:  # the print gave way to its words
            import cv2

            texture = cv2.resize(texture, size, interpolation=cv2.INTER_AREA)
        paper = surface_from_rgb(texture)
        verso = self.config.verso
        fonts = self.context.fonts
        margin = round(size[0] * 0.08)
        # The writing fits its paper: on a 5:4 screen the print is smaller and its last line
        # ran off the bottom. Below the credit's floor it is a drawing of handwriting (the
        # words are in the column beside it), so it may go smaller than the floor.
        width, room = size[0] - 2 * margin, size[1] - 2 * margin
        sizes = [(tier, px) for tier in ("small", "drawing") for px in (30, 27, 24, 21, 18, 15, 12)]
        for tier, px in sizes:
            text = fonts.block(verso.text, "serif-italic", px, (62, 44, 30), width, line_spacing=1.3, tier=tier)
            if text.get_height() <= room:
                break
        paper.blit(text, (margin, max(margin, (size[1] - text.get_height()) // 2)))
        self._back = paper
        return paper

    # -- drawing -------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        self._settle_layout()
        c = self.config
        fonts = self.context.fonts
        surface.fill(rgb(c.background))
        rect = self._photo_rect()
        photo = self._render_photo(rect)

        # The turn: width follows |cos| over FLIP_S seconds; the back shows past half-way.
        showing_back = False
        squeeze = 1.0
        verso = c.verso
        if verso is not None:
            for start, to_back in ((verso.at, True), (verso.until, False)):
                if start is None:
                    continue
                if start <= self.t < start + FLIP_S:
                    phase = (self.t - start) / FLIP_S
                    squeeze = abs(math.cos(phase * math.pi))
                    showing_back = (phase >= 0.5) == to_back
                    break
            else:
                showing_back = verso.at + FLIP_S <= self.t and (verso.until is None or self.t < verso.until)
        face = self._render_back(rect.size) if showing_back else photo
        # A soft shadow under the print, then the print itself on its mat.
        shadow = pygame.Rect(rect).inflate(fonts.px(10), fonts.px(10))
        shadow.width = max(2, round(shadow.width * squeeze))
        shadow.centerx = rect.centerx
        pygame.draw.rect(surface, (8, 7, 6), shadow.move(fonts.px(6), fonts.px(8)), border_radius=fonts.px(4))
        if squeeze < 0.999:
            narrow = max(1, round(rect.width * squeeze))
            face = pygame.transform.smoothscale(face, (narrow, rect.height))
        surface.blit(face, (rect.centerx - face.get_width() // 2, rect.y))
        self._draw_captions(surface, showing_back)

    def _styles(self, k: float) -> dict[str, tuple[str, float, tuple[int, int, int], float, str]]:
        fg, accent = rgb(self.config.foreground), rgb(self.config.accent)
        return {
            "title": ("serif-semibold", 58 * title_scale(self.context.fonts, k, "serif", 42), fg, 1.1, "body"),
            "date": ("sans-semibold", 30 * k, accent, 1.2, "small"),
            "body": ("serif", 42 * k, fg, 1.32, "body"),
            "quote": ("serif-italic", 42 * k, fg, 1.32, "body"),
            "translation": ("serif-italic", 40 * k, fg, 1.3, "body"),
            "credit": ("sans", 30 * k, accent, 1.25, "small"),
        }

    def _block(self, text: str, role: str, k: float) -> pygame.Surface:
        face, size, colour, spacing, tier = self._styles(k)[role]
        text = text.upper() if role == "date" else text
        return self.context.fonts.block(text, face, size, colour, self.column.width, line_spacing=spacing, tier=tier)

    def _credits(self) -> list[tuple[str, float, float | None]]:
        """The words in the credit slot, each with when it fades in and out: the print's
        credit only with the print itself; the drawing's own caption while it stands in.
        A credit caption keeps its own `at` and `until` (they were once overridden: a
        credit timed for 30-40 s showed from 2 s on, for good); the manifest's credit and
        the stand-in's caption come with the first credit, by 2 s at the latest, and stay."""
        c = self.config
        first = min([cap.at for cap in c.captions if cap.role == "credit"] + [2.0])
        if not self.installed:
            return [(c.standin_caption, first, None)] if c.standin_caption else []
        found = [(cap.text, cap.at, cap.until) for cap in c.captions if cap.role == "credit"]
        manifest = self.context.credit_for(c.image)
        if manifest and manifest not in [text for text, _, _ in found]:
            found.append((manifest, first, None))
        return found

    def _words_need(self, column: pygame.Rect) -> int:
        """The height the captions need in `column` at the smallest type scale, with the
        drawing's credit or the print's, whichever is taller (the print may be installed
        while the show runs)."""
        installed = self.installed
        self.column = column  # what the measuring reads (the chosen column replaces it)
        needs = []
        try:
            for state in (False, True):  # _credits() reads it
                self.installed = state
                needs.append(self._slots(SCALES[-1])[1])
        finally:
            self.installed = installed
        return max(needs)

    def _slots(self, k: float) -> tuple[dict[str, int], int]:
        """Tops of the title, date, body and credit slots at type scale k, and the height
        they need. Each slot is as tall as the tallest text that will ever fill it, so a
        new paragraph cross-fades in place and nothing jumps or collides."""
        c = self.config
        fonts = self.context.fonts
        gap = fonts.px(22 * k)
        tallest: dict[str, int] = {}
        for caption in c.captions:
            role = caption.role if caption.role != "quote" else "body"
            if role == "credit":
                continue
            tallest[role] = max(tallest.get(role, 0), self._block(caption.text, caption.role, k).get_height())
        verso = 0  # the translation of the back, with its attribution, in the body's place
        if c.verso is not None and c.verso.translation:
            verso = self._block(c.verso.translation, "translation", k).get_height()
            if c.verso.attribution:
                verso += gap + self._block(c.verso.attribution, "credit", k).get_height()
        credits = [text for text, _, _ in self._credits()]
        tallest["credit"] = (sum(self._block(t, "credit", k).get_height() for t in credits)
                             + gap * max(0, len(credits) - 1))
        if c.verso is not None and c.verso.attribution and not c.verso.translation:
            tallest["credit"] = max(tallest["credit"], self._block(c.verso.attribution, "credit", k).get_height())
        slots, y = {}, 0
        for role in ("title", "date", "body"):
            slots[role] = y
            if tallest.get(role):
                y += tallest[role] + (gap if role != "body" else 2 * gap)
        # On the show's grid (layout.GRID_SHARE): the first capitals hang on the column's
        # top, the credit's last baseline stands on its bottom.
        first = next((cap for role in ("title", "date", "body") for cap in c.captions
                      if (cap.role if cap.role != "quote" else "body") == role), None)
        lift = fonts.cap_top(self._block(first.text, first.role, k)) if first is not None else 0
        slots = {role: top - lift for role, top in slots.items()}
        slots["quote"] = slots["body"]
        in_credit_slot = credits or ([c.verso.attribution] if c.verso is not None and c.verso.attribution else [])
        last = self._block(in_credit_slot[-1], "credit", k) if in_credit_slot else None
        drop = last.get_height() - fonts.baseline(last) if last is not None else 0
        # The credit is gone while the back's translation shows (_draw_captions), so that
        # may reach down into the credit's slot.
        need = max(y - lift + tallest["credit"] - drop, slots["body"] + verso)
        slots["credit"] = self.column.height - tallest["credit"] + drop
        return slots, need

    def _draw_captions(self, surface: pygame.Surface, showing_back: bool) -> None:
        c = self.config
        fonts = self.context.fonts
        col = self.column
        if self._scale is None:
            self._scale = fit(lambda k: self._slots(k)[1], col.height)
        k = self._scale
        slots, _ = self._slots(k)
        for caption in c.captions:
            if caption.role == "credit":
                continue
            alpha = fade(self.t, caption.at, caption.until, c.fade)
            if showing_back and caption.role in ("body", "quote"):
                alpha = min(alpha, 1.0 - fade(self.t, c.verso.at, None, 0.6))
            if alpha > 0:
                fonts.place(surface, self._block(caption.text, caption.role, k),
                            (col.x, col.y + slots[caption.role]), alpha)
        verso_alpha = 0.0
        if c.verso is not None and c.verso.translation:
            verso_alpha = fade(self.t, c.verso.at + FLIP_S * 0.6, c.verso.until, c.fade)
            if verso_alpha > 0:
                block = self._block(c.verso.translation, "translation", k)
                box = fonts.place(surface, block, (col.x, col.y + slots["body"]), verso_alpha)
                if c.verso.attribution:
                    # In the credit's place (on the grid's bottom line), never over the translation.
                    attribution = self._block(c.verso.attribution, "credit", k)
                    y = max(col.y + slots["body"] + block.get_height() + fonts.px(22 * k), box.bottom)
                    fonts.place(surface, attribution, (col.x, max(y, stand(fonts, attribution, col.bottom))),
                                verso_alpha)
        # The credit slot: while the back is shown the attribution speaks for the print.
        # The credits are gone before the translation starts to appear, back only once it
        # has gone (a long translated text may fill the column down to the credit slot).
        # Without a translation the attribution takes the credit slot itself.
        verso = c.verso if c.verso is not None and (c.verso.translation or c.verso.attribution) else None
        away = 0.0
        if verso is not None:
            quick = FLIP_S * 0.6
            away = fade(self.t, verso.at, None if verso.until is None else verso.until + quick, quick)
        y = col.y + slots["credit"]
        for text, at, until in self._credits():
            block = self._block(text, "credit", k)
            alpha = min(fade(self.t, at, until, c.fade), 1.0 - away)
            if alpha > 0:  # (a credit not yet in keeps its place: nothing below it jumps)
                fonts.place(surface, block, (col.x, y), alpha)
            y += block.get_height() + fonts.px(22 * k)
        if verso is not None and not verso.translation:
            alpha = fade(self.t, verso.at + FLIP_S * 0.6, verso.until, c.fade)
            if alpha > 0:
                fonts.place(surface, self._block(verso.attribution, "credit", k), (col.x, col.y + slots["credit"]),
                            alpha)
