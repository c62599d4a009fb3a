"""What the portrait scene draws: the framed portrait, its words, the visitor's mirror
and prompts. Kept apart from the visit's logic (portrait.py), which it reads."""

from __future__ import annotations

import math

import numpy as np
import pygame

from ..imaging import fit_rgb, surface_sharing
from ..words import words
from .layout import (
    GRID_SHARE,
    SCALES,
    beyond_lines,
    fit,
    giving_way,
    hang,
    hung_in,
    layout_key,
    overrun_message,
    picture_and_column,
    portrait_screen,
    stand,
    title_scale,
)
from .portrait_record import NOTICE_ACTIVE, NOTICE_IDLE
from .style import rgb, smoothstep

WORDS = "the heading, texts and credit"  # what the technician is told to shorten


def _gap(face: str, k: float) -> float:
    """Space below a block (design px): more below the heading than between texts."""
    return (40 if face == "serif-semibold" else 28) * k


class PortraitDrawing:
    """Mixed into PortraitScene: every method here only draws or measures."""

    # -- drawing -------------------------------------------------------------------
    def _layout(self, width: int, height: int) -> tuple[pygame.Rect, pygame.Rect]:
        """The portrait's box and the column on a screen of this size: the show's grid
        (layout.GRID_SHARE), the portrait taking less where the column's longest words (any state, any portrait's
        credit) would not fit at the smallest type (layout.giving_way)."""
        showing = (width, height, tuple((e.title, e.credit) for e in self.entries))
        cached = getattr(self, "_laid_out", None)
        if cached is None or cached[0] != showing:
            def boxes(share: float) -> tuple[pygame.Rect, pygame.Rect]:
                return picture_and_column((width, height), share=share)

            key = (*layout_key("portrait", self.config, self.context.fonts, (width, height)), showing)
            picture, column, overrun = giving_way(boxes, GRID_SHARE, self._longest_column, key=key)
            if overrun:
                self.context.report(overrun_message(overrun, (width, height), WORDS), severity="warning")
            self.words_overrun = overrun
            cached = self._laid_out = (showing, (picture, column))
        picture, column = cached[1]
        return picture.copy(), column.copy()

    def _area(self, width: int, height: int) -> pygame.Rect:
        """Where the portrait sits on a screen of this size."""
        return self._layout(width, height)[0]

    def _longest_column(self, col: pygame.Rect) -> int:
        k = SCALES[-1]
        return max(self._column_height(col, k, state, camera_ok, entry)
                   for state, camera_ok in (("card", True), ("attract", False), ("attract", True))
                   for entry in self.entries or [None])

    def _view_box(self, shape: tuple[int, ...], box: pygame.Rect) -> tuple[int, int, int, int] | None:
        """The part of the picture shown, as (x0, y0, x1, y1): head and shoulders around the
        painted face, as wide as the display box's aspect allows, kept inside the image;
        None: all of it. A picture narrower than the box is shown narrower (in its frame)
        rather than cut shorter: filling a wide box cut Thoreau's crown and chest off."""
        if self.config.view == "picture" or self.worker is None or not self.entries[self.index].installed:
            return None  # (the drawn portrait is composed as a whole oval picture)
        face = self.worker.animator.face
        h, w = shape[:2]
        vh = min(h, face.size * 3.6)
        vw = min(w, vh * box.width / box.height)
        x0 = int(round(min(max(face.cx - vw / 2, 0), w - vw)))
        y0 = int(round(min(max(face.cy - vh * 0.4, 0), h - vh)))
        return x0, y0, x0 + int(round(vw)), y0 + int(round(vh))

    def _view(self, image: np.ndarray, box: pygame.Rect) -> np.ndarray:
        crop = self._view_box(image.shape, box)
        if crop is None:
            return image
        x0, y0, x1, y1 = crop
        return image[y0:y1, x0:x1]

    @staticmethod
    def _mirror_size(screen: tuple[int, int], box: pygame.Rect, column: pygame.Rect,
                     camera: tuple[int, ...]) -> tuple[int, int]:
        """(width, height) of the visitor's mirror for a camera picture of this shape. Beside
        the portrait (landscape) it is a third of the portrait's width, and the column's words
        sit under it. Below the portrait (a screen turned to portrait) the column is as wide as
        the screen: a mirror that size left the lower third empty, and a visitor framing their
        face is better served by 0.6 of the column, at most half its height (a camera on its
        side gives a tall picture), so the countdown still fits beneath."""
        aspect = camera[0] / max(1, camera[1])
        if portrait_screen(screen):
            width = min(column.width * 0.6, column.height * 0.5 / aspect)
        else:
            width = box.width * 0.34
        width = max(1, round(width))
        return width, max(1, round(width * aspect))

    def _portrait_surface(self, box: pygame.Rect, column: pygame.Rect,
                          screen: tuple[int, int]) -> tuple[pygame.Surface, pygame.Rect]:
        """The portrait at its size in `box`, and where it hangs. Each new result comes cut
        and resized by the animator's worker (Showing tells it how) and is only wrapped here,
        without a copy: the render loop must never stall, and at 4K resizing and copying
        each result here cost it tens of milliseconds. Only the first result after the
        screen changes, or the still picture without a worker, is resized here."""
        entry = self.entries[self.index]
        r = self.worker.latest() if self.worker is not None else None
        whole = r.image if r is not None else entry.image
        crop = self._view_box(whole.shape, box)
        w, h = (crop[2] - crop[0], crop[3] - crop[1]) if crop is not None else (whole.shape[1], whole.shape[0])
        scale = min(box.width / w, box.height / h)
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        camera = self.worker.last_frame if self.worker is not None and self.state != "attract" else None
        mirror_size = self._mirror_size(screen, box, column, camera.image.shape) if camera is not None else None
        if self.worker is not None:
            from ..models.motion.animator_worker import Showing  # (loaded with the worker)

            showing = Showing(whole.shape, crop, size, camera.image.shape if camera is not None else None,
                              mirror_size)
            if showing != self.worker.showing:
                self.worker.showing = showing
        key = (id(r), size, screen)
        if key != self._surface_key:
            shown = r.shown if r is not None else None
            fitted = shown is not None and shown.showing.image_shape == whole.shape and shown.showing.crop == crop \
                and shown.showing.size == size
            # The surface shares the array's memory; keeping the array beside it says so.
            self._surface_pixels = shown.portrait if fitted else fit_rgb(self._view(whole, box), size)
            self._surface = surface_sharing(self._surface_pixels)
            self._surface_key = key
            # Held so its id cannot pass to a newer result while it is the key (a freed
            # result's id, reused, would leave the old picture on screen).
            self._surface_result = r
            if camera is not None:
                # Already mirrored by the worker, like a looking-glass: visitors expect their
                # left on the left, and the portrait answers the same way.
                if shown is not None and shown.mirror is not None and shown.showing.mirror_size == mirror_size:
                    self._thumb_pixels = shown.mirror
                else:
                    import cv2

                    self._thumb_pixels = cv2.resize(camera.image, mirror_size, interpolation=cv2.INTER_AREA)
                self._thumb = surface_sharing(self._thumb_pixels)
        return self._surface, hung_in(box, self._surface.get_size())

    def _words(self, k: float, state: str | None = None,
               camera_ok: bool | None = None) -> list[tuple[str, str, float, str]]:
        """The column's texts in the attract and card states: (text, face, size, colour name);
        by default for the scene's own state."""
        c = self.config
        state = self.state if state is None else state
        camera_ok = self.camera_ok if camera_ok is None else camera_ok
        heading = c.heading if camera_ok or state == "card" else c.heading_no_camera
        out = [(heading, "serif-semibold", 54 * title_scale(self.context.fonts, k, "serif", 40), "fg")]
        if state == "card":
            out.append((c.card or self._default_card(), "serif", 40 * k, "fg"))
        elif not camera_ok:
            out.append((c.about_no_camera, "serif", 40 * k, "fg"))
        else:
            out += [(c.about, "serif", 40 * k, "fg"), (words("portrait.step_in"), "serif-italic", 40 * k, "accent")]
        return out

    def _credit(self, col: pygame.Rect, k: float, colour, entry=None) -> pygame.Surface | None:
        if entry is None:
            entry = self.entries[self.index] if self.entries else None
        text = " · ".join(x for x in (entry.title, entry.credit) if x) if entry is not None else ""
        return self.context.fonts.block(text, "sans", 30 * k, colour, col.width, tier="small") if text else None

    def _column_height(self, col: pygame.Rect, k: float, state: str | None = None,
                       camera_ok: bool | None = None, entry=None) -> int:
        fonts = self.context.fonts
        blocks = [(fonts.block(t, face, size, (0, 0, 0), col.width), face)
                  for t, face, size, _ in self._words(k, state, camera_ok)]
        height = sum(block.get_height() + fonts.px(_gap(face, k)) for block, face in blocks)
        credit = self._credit(col, min(k, 1.0), (0, 0, 0), entry)
        height += credit.get_height() if credit is not None else 0
        # Measured between the grid's lines (the first capitals, the credit's baseline).
        return height - beyond_lines(fonts, blocks[0][0] if blocks else None, credit)

    def private_rects(self) -> list:
        return [self._camera_rect] if getattr(self, "_camera_rect", None) is not None else []

    def draw(self, surface: pygame.Surface) -> None:
        c = self.config
        fonts = self.context.fonts
        width, height = surface.get_size()
        self._camera_rect = None  # where the visitor's own picture is drawn, if it is
        fg, accent = rgb(c.foreground), rgb(c.accent)
        colours = {"fg": fg, "accent": accent}
        surface.fill(rgb(c.background))
        area, col = self._layout(width, height)
        disclosure = None
        if self.worker is not None:
            # Synthetic media is labelled where it is shown (and in recorded clips' metadata):
            # the picture's box gives up the room the label needs, so they never collide.
            # Each note says what moves it now: the visitor's face only once live (in attract
            # and the countdown "live" was shown over the portrait's own idle motion).
            if not self.camera_ok:
                note = c.disclosure_no_camera
            else:
                note = c.disclosure if self.state == "live" else c.disclosure_idle
            disclosure = fonts.block(note, "sans", 30, accent, area.width, align="center", tier="small")
            area.height -= disclosure.get_height() + fonts.px(24)
        # A plain frame, its outer edge on the picture box's lines (the grid's top line, where
        # the column's first capitals hang): the portrait is set inside it.
        border = fonts.px(7)
        portrait, rect = self._portrait_surface(area.inflate(-2 * border, -2 * border), col, (width, height))
        framed = rect.inflate(2 * border, 2 * border)
        pygame.draw.rect(surface, (8, 7, 6), framed.move(fonts.px(6), fonts.px(8)))
        pygame.draw.rect(surface, (92, 74, 48), framed)
        surface.blit(portrait, rect)
        if disclosure is not None:
            fonts.place(surface, disclosure, (area.x, rect.bottom + fonts.px(24)))
        # The recording notice takes the column's top line when the operator switched it on.
        if self._recording_settings() is not None:
            writing = self.recorder is not None and self.recorder.writing
            red, dot = (236, 116, 96), fonts.px(8)
            rec = fonts.block(NOTICE_ACTIVE if writing else NOTICE_IDLE, "sans-semibold", 30, red,
                              col.width - 3 * dot, tier="small")
            line_h = fonts.get("sans-semibold", 30, "small").get_linesize()
            pygame.draw.circle(surface, red, (col.x + dot, col.y + line_h // 2), dot)
            box = fonts.place(surface, rec, (col.x + 3 * dot, col.y))
            col = pygame.Rect(col.x, box.bottom + fonts.px(30), col.width, col.bottom - box.bottom - fonts.px(30))
        k = 1.0
        if self.state in ("attract", "card"):
            # Never past scale 1, upright too: grown into the room under an upright screen's
            # picture (up to 1.2), the words read larger than every other scene's body text
            # (at 1080x1920 capitals of 39 px, where the photograph's story, the composite
            # faces' and the quiz's are 29-32); walking the show, the portrait shouted.
            k = fit(lambda s: self._column_height(col, s), col.height, SCALES)
            y = None
            for text, face, size, colour in self._words(k):
                block = fonts.block(text, face, size, colours[colour], col.width)
                # The first capitals hang on the column's top line, as in every scene.
                box = fonts.place(surface, block, (col.x, hang(fonts, block, col.y) if y is None else y))
                y = box.bottom + fonts.px(_gap(face, k))
        else:
            self._draw_visitor(surface, col, fonts, fg, accent)
        # (The credit keeps the size every scene's credit has on the grid's foot line.)
        credit = self._credit(col, min(k, 1.0), accent)
        if credit is not None:
            fonts.place(surface, credit, (col.x, stand(fonts, credit, col.bottom)))
        if len(self.entries) > 1:
            for i in range(len(self.entries)):
                colour = fg if i == self.index else (70, 62, 52)
                pygame.draw.circle(
                    surface,
                    colour,
                    (
                        area.centerx + (i - (len(self.entries) - 1) / 2) * fonts.px(26),
                        min(area.bottom + fonts.px(22) + (disclosure.get_height() + fonts.px(24) if disclosure else 0),
                            height - fonts.px(8)),
                    ),
                    fonts.px(6),
                )

    @staticmethod
    def _prompt(face, otherwise: str) -> str:
        """What to ask the visitor: the tracker's concern if it has one, else `otherwise`."""
        if face is not None and face.prompt and face.state in ("too_far", "off_axis", "several"):
            return words(f"portrait.prompts.{face.state}")
        return words(otherwise)

    def _draw_visitor(self, surface, col, fonts, fg, accent) -> None:
        face = self._face()
        y = col.y
        if self._thumb is not None:
            thumb = self._thumb
            surface.blit(thumb, (col.x, y))
            frame = pygame.Rect(col.x, y, thumb.get_width(), thumb.get_height())
            self._camera_rect = frame.copy()
            pygame.draw.rect(surface, (60, 52, 44), frame, 2)
            if self.state in ("framing", "countdown"):
                # The framing guide: an oval where the face should sit.
                guide = pygame.Rect(0, 0, round(frame.width * 0.38), round(frame.height * 0.7))
                guide.center = frame.center
                ok = face is not None and face.state == "ok"
                pygame.draw.ellipse(surface, accent if ok else (150, 140, 128), guide, 3)
            y = frame.bottom + fonts.px(30)
        if self.state == "framing":
            prompt = self._prompt(face, "portrait.look")
            fonts.place(surface, fonts.block(prompt, "serif-semibold", 44, fg, col.width), (col.x, y))
        elif self.state == "countdown":
            left = max(1, math.ceil(self.config.countdown - self.state_t))
            pulse = smoothstep(1 - (self.state_t % 1.0))
            number = fonts.line(str(left), "serif-semibold", 96 + 24 * pulse, fg)
            fonts.place(surface, number, (col.x, y))
            fonts.place(
                surface,
                fonts.block(words("portrait.neutral"), "serif-italic", 40, accent, col.width),
                (col.x, y + fonts.get("serif-semibold", 120).get_height() + fonts.px(10)),
            )
        elif self.state == "live":
            prompt = (
                self._prompt(face, "portrait.now_move")
            )
            fonts.place(surface, fonts.block(prompt, "serif-italic", 40, accent, col.width), (col.x, y))
