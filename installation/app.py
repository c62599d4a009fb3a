"""Playing a show on a screen: the window, pygame events and the frame pacing.

The engine draws into a show-sized surface; this module presents it (scaled and
rotated to the window), turns pygame events into Commands, and paces frames.
"""

from __future__ import annotations

import logging
import os
import signal
import time
import warnings
from pathlib import Path

import pygame

from .clock import Clock, SystemClock
from .commands import Command
from .config.loader import Show
from .engine import Engine, init_pygame
from .inputs.keys import command_for_key
from .runtime.display_check import viewport, window_size

log = logging.getLogger("bayard.app")


def display_available() -> bool:
    """Whether a real screen can be opened (X11/Wayland/KMS), without opening one."""
    if os.environ.get("SDL_VIDEODRIVER") in ("dummy", "offscreen"):
        return True
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return True
    return Path("/dev/dri").exists() and os.environ.get("SDL_VIDEODRIVER") == "kmsdrm"


class Presenter:
    """The window the show is presented in."""

    def __init__(self, show: Show, fullscreen: bool, headless: bool) -> None:
        self.show_size = show.config.display.size
        self.rotation = show.config.display.rotation
        self.headless = headless
        caption = f"Bayard: {show.config.show.title}"
        pygame.display.set_caption(caption)
        width, height = self.show_size
        if self.rotation in (90, 270):
            width, height = height, width
        flags = 0
        if fullscreen and not headless:
            flags |= pygame.FULLSCREEN
            size = (0, 0)
        else:
            size = (width, height) if headless else self._fit_window((width, height))
        vsync = 1 if show.config.display.vsync and not headless else 0
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                self.window = pygame.display.set_mode(size, flags, vsync=vsync)
            except pygame.error:
                # Some drivers refuse vsync without an accelerated renderer: show without it.
                self.window = pygame.display.set_mode(size, flags)
        for warning in caught:  # pygame's "no fast renderer available": a fact for the log
            log.info("display: %s; frames are paced by the show's own timer", warning.message)
        if show.config.display.hide_cursor and fullscreen:
            pygame.mouse.set_visible(False)
        self.viewport = self._viewport()
        if self.viewport.size != self.window.get_size():
            log.info("showing the %dx%d show on a %dx%d screen: scaled to %dx%d, %s", *self.show_size,
                     *self.window.get_size(), *self.viewport.size,
                     "with bars where the shapes differ" if self._has_bars() else "filling it")

    def _rotated_show_size(self) -> tuple[int, int]:
        width, height = self.show_size
        return (height, width) if self.rotation in (90, 270) else (width, height)

    def _viewport(self) -> pygame.Rect:
        """Where the show lands in the window: as large as fits, at the show's own shape,
        centred. A 16:9 show on a 16:10 or 4:3 screen was stretched to fill it, faces and
        circles with it; now it keeps its shape with bars, as a film on television does."""
        self._laid_out_for = self.window.get_size()
        return pygame.Rect(viewport(self._laid_out_for, self._rotated_show_size()))

    def _has_bars(self) -> bool:
        return self.viewport.size != self.window.get_size()

    @staticmethod
    def _fit_window(size: tuple[int, int]) -> tuple[int, int]:
        try:
            desktop = pygame.display.get_desktop_sizes()[0]
        except (pygame.error, IndexError):
            return size
        return window_size(desktop, size)

    def adopt(self, engine) -> None:
        """Let the engine draw straight into the window when no scaling or rotation is
        needed: saves copying a whole frame (8 MB at 1080p) every frame."""
        if not self.rotation and self.window.get_size() == tuple(self.show_size):
            engine.frame = self.window

    def present(self, frame: pygame.Surface) -> None:
        if frame is self.window:
            pygame.display.flip()
            return
        if self.window.get_size() != self._laid_out_for:
            self.viewport = self._viewport()  # the screen changed size under us (a new mode)
        image = frame
        if self.rotation:
            image = pygame.transform.rotate(frame, -self.rotation)
        if image.get_size() != self.viewport.size:
            image = pygame.transform.smoothscale(image, self.viewport.size)
        if self._has_bars():
            self.window.fill((0, 0, 0))
        self.window.blit(image, self.viewport.topleft)
        pygame.display.flip()

    def to_view(self, u: float, v: float) -> tuple[float, float]:
        """Fractions of the window -> fractions of the shown picture (before rotation), so
        a touch on a letterboxed screen lands where the finger is; the bars clamp to the edge."""
        window_w, window_h = self.window.get_size()
        view = self.viewport
        return (u * window_w - view.x) / max(view.width, 1), (v * window_h - view.y) / max(view.height, 1)

    def from_view(self, a: float, b: float) -> tuple[float, float]:
        """Fractions of the shown picture -> fractions of the window (the inverse of to_view)."""
        window_w, window_h = self.window.get_size()
        view = self.viewport
        return (view.x + a * view.width) / window_w, (view.y + b * view.height) / window_h

    def to_show(self, x: float, y: float) -> tuple[float, float]:
        """Window pixels -> show pixels (undoing scale, bars and rotation), clamped to the show."""
        win_w, win_h = self.window.get_size()
        u, v = self.to_view(x / win_w, y / win_h)
        u, v = min(max(u, 0.0), 1.0), min(max(v, 0.0), 1.0)
        if self.rotation == 90:
            u, v = v, 1.0 - u
        elif self.rotation == 180:
            u, v = 1.0 - u, 1.0 - v
        elif self.rotation == 270:
            u, v = 1.0 - v, u
        return u * self.show_size[0], v * self.show_size[1]


def pump_events(engine: Engine, presenter: Presenter | None) -> None:
    """Turn this frame's pygame events into Commands on the engine's queue."""
    inputs = engine.show.config.inputs
    for event in pygame.event.get():
        if event.type == pygame.QUIT:
            engine.post(Command("quit", source="window"))
        elif event.type == pygame.KEYDOWN and inputs.keyboard:
            command = command_for_key(event.key, event.mod, engine.paused)
            if command is not None:
                engine.post(command)
        elif inputs.touch:
            touch = engine.services.get("touch")
            if touch is not None:
                touch.feed_pygame(event, engine)
            elif event.type == pygame.MOUSEBUTTONUP and event.button == 1 and not getattr(event, "touch", False):
                pos = presenter.to_show(*event.pos) if presenter else event.pos
                engine.post(Command("tap", pos=pos, source="mouse"))


def run(show: Show, *, fullscreen: bool, headless: bool, seconds: float | None = None,
        clock: Clock | None = None, engine_setup=None) -> int:
    """Play the show until quit (or for `seconds`)."""
    init_pygame(headless)
    clock = clock or SystemClock()
    presenter = Presenter(show, fullscreen, headless)
    engine = Engine(show, clock)
    presenter.adopt(engine)
    if engine_setup is not None:
        engine_setup(engine, presenter)
    fps = show.config.display.fps
    frame_budget = 1.0 / fps
    started = time.monotonic()
    restore_sigterm = _quit_on_sigterm(engine)
    try:
        while engine.running:
            tick = time.monotonic()
            pump_events(engine, presenter)
            frame = engine.step()
            presenter.present(frame)
            if seconds is not None and time.monotonic() - started >= seconds:
                break
            # vsync paces a real screen (flip waits for it, so nothing is left over); without
            # it (headless, or a driver with no accelerated renderer, which grants no vsync
            # even when asked) sleep the rest. Asked-for vsync was once trusted: the loop then
            # spun, a whole core drawing frames nobody saw while the portrait needed it.
            spare = frame_budget - (time.monotonic() - tick)
            if spare > 0.001:
                time.sleep(spare)
    except KeyboardInterrupt:
        log.info("interrupted")
    finally:
        engine.shutdown()
        restore_sigterm()
    return 0


def _quit_on_sigterm(engine: Engine):
    """systemd stops the show with SIGTERM: quit at the next frame, a clean exit. Ours, not
    SDL's: SDL turns it into a window event only when nobody else handles it."""

    def stop(signum, frame) -> None:
        log.info("SIGTERM: stopping")
        engine.post(Command("quit", source="signal"))

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread (an embedding): leave signals alone
        return lambda: None
    # None: the handler before was not Python's (SDL's); the default ends the process.
    return lambda: signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
