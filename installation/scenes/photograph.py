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

from ..imaging import MediaError, paper_texture, surface_from_rgb
from ..media.kept import read_picture
from .base import Scene, register_scene
from .layout import GRID_SHARE, giving_way, hung_in, layout_key, overrun_message, picture_and_column
from .photograph_captions import PRINT_ASPECT, PhotographCaptions
from .photograph_check import check_photograph, closest_zoom
from .photograph_config import FLIP_S, Caption, Keyframe, PhotographConfig, Verso  # noqa: F401  (the kind's schema)
from .photograph_standin import draw_standin, empty_mat
from .style import lerp, rgb, smoothstep

_SAID: set[tuple[str, str]] = set()  # (file, problem) already logged at warning level


@register_scene("photograph")
class PhotographScene(PhotographCaptions, Scene):
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
        self.label = self.column  # the title, date and credits: beside the print on a squarer screen
        self._laid_out = context.fonts is None
        self.words_overrun = 0  # pixels the captions need beyond their column (see _settle_layout)
        self._setting: tuple[float, float] | None = None  # the type scale and leading that fit (_type_setting)

    # -- loading (worker thread: numpy only) -------------------------------------
    def prepare(self) -> None:
        path = self.context.media(self.config.image)
        longest = round(max(self.mat.size) * closest_zoom(self.config))
        try:
            # (A picture on a USB stick is kept decoded: pulled, the last one read is shown.)
            self.image = read_picture(path, max_side=max(256, longest))
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
        self.label = self.column
        # On a squarer screen the label beside the print and the story under both, where
        # that hangs a larger print (photograph_captions.beside_and_below).
        apart = self.beside_and_below(size, key)
        if apart is not None and (overrun or _area(apart[0]) > _area(self.mat)):
            self.mat, self.label, self.column, self.credits_below = apart
            overrun = 0
        self._setting = None
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
        if self._setting is None:
            self._setting = self._type_setting()
            yield
        for caption in self.config.captions:
            self._block(caption.text, caption.role, *self._setting)
            yield
        verso = self.config.verso
        if verso is not None and verso.translation:
            self._block(verso.translation, "translation", *self._setting)
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
            text = fonts.block(verso.text, "serif-italic", px, (62, 44, 30), width, tier=tier)
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


def _area(box: pygame.Rect) -> int:
    """The area of the print hung in `box` (photograph_captions.PRINT_ASPECT)."""
    width = min(box.width, box.height * PRINT_ASPECT)
    return round(width * width / PRINT_ASPECT)
