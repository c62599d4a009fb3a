"""`photograph`: one historical photograph, slowly explored, with timed captions and
the reveal of what is written on the back of the print.

Made for Bayard's "Self Portrait as a Drowned Man" (1840), whose verso carries his
accusation, but usable for any single image. The picture sits in a mat on the left,
the text in a column on the right at sizes readable from two metres on a 1080p screen.
Pan and zoom are interpolated between keyframes with sub-pixel precision (an affine
warp, not an integer crop, so slow moves never shimmer). When the image is not
installed, a designed stand-in takes its place and says so discreetly.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import pygame
from pydantic import Field, model_validator

from ..config.common import MediaPath, SceneConfig, Strict
from ..imaging import MediaError, paper_texture, read_rgb, surface_from_rgb
from .base import Scene, register_scene
from .style import Colour, fade, lerp, rgb, smoothstep

FLIP_S = 1.2  # seconds the print takes to turn over


class Keyframe(Strict):
    at: float = Field(ge=0, description="seconds from the start of the scene")
    center: tuple[float, float] = Field(default=(0.5, 0.5), description="point of the image at the centre, 0..1 each")
    zoom: float = Field(default=1.0, ge=1.0, le=8.0, description="1 shows the whole image; 2 shows half its width")


class Caption(Strict):
    at: float = Field(ge=0, description="seconds from the start when the caption fades in")
    until: float | None = Field(default=None, gt=0, description="seconds when it fades out; omitted: stays")
    role: Literal["title", "date", "body", "quote", "credit"] = Field(
        default="body", description="where and how it is set: title, date, body, quote or credit"
    )
    text: str = Field(description="the words; a blank line starts a new paragraph")

    @model_validator(mode="after")
    def _until_after_at(self) -> Caption:
        if self.until is not None and self.until <= self.at:
            raise ValueError(f"'until' ({self.until}) must be later than 'at' ({self.at})")
        return self


class Verso(Strict):
    at: float = Field(ge=0, description="seconds when the print turns over")
    until: float | None = Field(default=None, gt=0, description="seconds when it turns back; omitted: stays")
    text: str = Field(description="what is written on the back, in the original language")
    translation: str = Field(default="", description="a translation shown in the text column")
    attribution: str = Field(default="", description="who wrote it and when")


class PhotographConfig(SceneConfig):
    image: MediaPath = Field(description="the photograph, relative to the content folder")
    standin: str = Field(
        default="The original print is not installed on this kiosk.",
        description="note shown on the designed stand-in while the image is not installed",
    )
    keyframes: list[Keyframe] = Field(default_factory=list, description="pan and zoom over time")
    captions: list[Caption] = Field(default_factory=list, description="timed texts beside the photograph")
    verso: Verso | None = Field(default=None, description="the text on the back of the print, revealed by a turn")
    background: Colour = Field(default="#15120f", description="wall colour '#rrggbb'")
    foreground: Colour = Field(default="#efe6d8", description="text colour '#rrggbb'")
    accent: Colour = Field(default="#b89a72", description="date and credit colour '#rrggbb'")
    fade: float = Field(default=1.2, ge=0, le=5, description="seconds captions take to fade")

    @model_validator(mode="after")
    def _keyframes_in_order(self) -> PhotographConfig:
        times = [k.at for k in self.keyframes]
        if times != sorted(times):
            raise ValueError(f"keyframes must be in time order; their 'at' values are {times}")
        return self


def draw_standin(size: tuple[int, int]) -> np.ndarray:
    """A salted-paper print with the composition's masses only (a wall, a slumped
    figure, its head and hands): it reads as a deliberate placeholder, never as a
    broken image, and does not pretend to be the photograph."""
    import cv2

    width, height = size
    paper = paper_texture(size, seed=1840).astype(np.float32)
    shade = np.zeros((height, width), np.float32)

    def ellipse(cx, cy, rx, ry, angle, value):
        cv2.ellipse(shade, (round(width * cx), round(height * cy)), (round(width * rx), round(height * ry)),
                    angle, 0, 360, value, -1, lineType=cv2.LINE_AA)

    cv2.rectangle(shade, (0, 0), (width, round(height * 0.30)), 0.35, -1)   # the dark wall behind
    ellipse(0.80, 0.16, 0.05, 0.035, 0, 0.55)                                # a hat hung on the wall
    ellipse(0.55, 0.66, 0.34, 0.13, -6, 0.45)                                # draped body and legs
    ellipse(0.31, 0.48, 0.085, 0.15, 20, 0.50)                               # slumped shoulders
    ellipse(0.27, 0.34, 0.052, 0.075, 12, 0.75)                              # the head, tilted
    ellipse(0.47, 0.58, 0.045, 0.03, 0, 0.70)                                # folded hands
    shade = cv2.GaussianBlur(shade, (0, 0), sigmaX=width * 0.012)
    image = paper * (1.0 - 0.6 * shade[..., None])
    # A plate mark: the faint border of a hand-coated sheet.
    inset = round(width * 0.03)
    cv2.rectangle(image, (inset, inset), (width - inset, height - inset), (120, 98, 70), 1, lineType=cv2.LINE_AA)
    return np.clip(image, 0, 255).astype(np.uint8)


@register_scene("photograph")
class PhotographScene(Scene):
    Config = PhotographConfig
    config: PhotographConfig

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
        self.mat = pygame.Rect(round(width * 0.05), round(height * 0.08), round(width * 0.55), round(height * 0.84))
        self.column = pygame.Rect(round(width * 0.64), round(height * 0.12), round(width * 0.31), round(height * 0.76))

    # -- loading (worker thread: numpy only) -------------------------------------
    def prepare(self) -> None:
        path = self.context.media(self.config.image)
        max_zoom = max([k.zoom for k in self.config.keyframes] + [1.0])
        longest = round(max(self.mat.size) * max_zoom)
        try:
            self.image = read_rgb(path, max_side=max(256, longest))
            self.installed = True
        except MediaError as exc:
            self.problem = str(exc)
            self.log.warning("%s; showing the designed stand-in", exc)
            aspect = 4 / 3  # Bayard's print is close to 4:3 landscape
            self.image = draw_standin((1200, round(1200 / aspect)))
        if self.config.verso is not None:
            # The back of the print is paper made here, off the render loop (~0.1 s).
            self._back_paper = paper_texture(self._photo_rect().size, seed=1841, tone=(214, 196, 164))

    def enter(self) -> None:
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
        for a, b in zip(frames, frames[1:]):
            if a.at <= self.t <= b.at:
                u = smoothstep((self.t - a.at) / max(b.at - a.at, 1e-6))
                return (lerp(a.center[0], b.center[0], u), lerp(a.center[1], b.center[1], u), lerp(a.zoom, b.zoom, u))
        k = frames[-1]
        return k.center[0], k.center[1], k.zoom

    def _photo_rect(self) -> pygame.Rect:
        h, w = self.image.shape[:2]
        scale = min(self.mat.width / w, self.mat.height / h)
        size = (round(w * scale), round(h * scale))
        rect = pygame.Rect((0, 0), size)
        rect.center = self.mat.center
        return rect

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
        if texture is None or (texture.shape[1], texture.shape[0]) != size:
            texture = paper_texture(size, seed=1841, tone=(214, 196, 164))
        paper = surface_from_rgb(texture)
        verso = self.config.verso
        fonts = self.context.fonts
        margin = round(size[0] * 0.08)
        text = fonts.block(verso.text, "serif-italic", 27, (62, 44, 30), size[0] - 2 * margin, line_spacing=1.3)
        paper.blit(text, (margin, max(margin, (size[1] - text.get_height()) // 2)))
        self._back = paper
        return paper

    # -- drawing -------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
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
        if not self.installed and not showing_back and squeeze >= 0.999:
            note = fonts.line(c.standin, "sans", 20, (90, 72, 52))
            surface.blit(note, (rect.centerx - note.get_width() // 2, rect.bottom - note.get_height() - fonts.px(18)))
        elif self.installed:
            # The manifest's credit and licence travel with the picture wherever it is shown.
            credit = self.context.credit_for(c.image)
            if credit:
                line = fonts.block(credit, "sans", 18, rgb(c.accent), rect.width, align="left")
                surface.blit(line, (rect.x, rect.bottom + fonts.px(16)))

        self._draw_captions(surface, showing_back)

    def _draw_captions(self, surface: pygame.Surface, showing_back: bool) -> None:
        c = self.config
        fonts = self.context.fonts
        fg, accent = rgb(c.foreground), rgb(c.accent)
        col = self.column
        styles = {
            "title": ("serif-semibold", 56, fg, 1.12),
            "date": ("sans-semibold", 26, accent, 1.2),
            "body": ("serif", 31, fg, 1.45),
            "quote": ("serif-italic", 33, fg, 1.45),
            "credit": ("sans", 21, accent, 1.35),
        }
        y = col.y
        # Fixed slots per role: a new body paragraph cross-fades in place of the previous
        # one, so text never jumps around as captions come and go.
        slots: dict[str, int] = {}
        for role in ("title", "date"):
            tallest = 0
            for caption in c.captions:
                if caption.role == role:
                    face, size, colour, spacing = styles[role]
                    tallest = max(tallest, fonts.block(caption.text, face, size, colour, col.width,
                                                       line_spacing=spacing).get_height())
            slots[role] = y
            y += tallest + (fonts.px(18) if tallest else 0)
        slots["body"] = slots["quote"] = y + fonts.px(30)
        for caption in c.captions:
            if caption.role == "credit":
                continue
            alpha = fade(self.t, caption.at, caption.until, c.fade)
            if showing_back and caption.role in ("body", "quote"):
                alpha = min(alpha, 1.0 - fade(self.t, c.verso.at, None, 0.6))
            if alpha <= 0:
                continue
            face, size, colour, spacing = styles[caption.role]
            text = caption.text.upper() if caption.role == "date" else caption.text
            block = fonts.block(text, face, size, colour, col.width, line_spacing=spacing)
            block.set_alpha(round(alpha * 255))
            surface.blit(block, (col.x, slots[caption.role]))
            block.set_alpha(None)
        if c.verso is not None and c.verso.translation:
            alpha = fade(self.t, c.verso.at + FLIP_S * 0.6, c.verso.until, c.fade)
            if alpha > 0:
                block = fonts.block(c.verso.translation, "serif-italic", 30, fg, col.width, line_spacing=1.38)
                block.set_alpha(round(alpha * 255))
                surface.blit(block, (col.x, slots["body"]))
                block.set_alpha(None)
                if c.verso.attribution:
                    attrib = fonts.block(c.verso.attribution, "sans", 22, accent, col.width)
                    attrib.set_alpha(round(alpha * 255))
                    surface.blit(attrib, (col.x, slots["body"] + block.get_height() + fonts.px(20)))
                    attrib.set_alpha(None)
        for caption in c.captions:
            if caption.role != "credit":
                continue
            alpha = fade(self.t, caption.at, caption.until, c.fade)
            if c.verso is not None and c.verso.translation:
                alpha = min(alpha, 1.0 - fade(self.t, c.verso.at, c.verso.until, c.fade))
            if alpha <= 0:
                continue
            block = fonts.block(caption.text, "sans", 21, accent, col.width, line_spacing=1.35)
            block.set_alpha(round(alpha * 230))
            surface.blit(block, (col.x, col.bottom - block.get_height()))
            block.set_alpha(None)
