"""The operator overlay: a panel drawn over the show for the technician standing at the
kiosk. It shows status, fps and recent errors, and has big buttons for next, previous,
reload, blackout and close; an optional PIN pad guards it.

It is opened by the operator gesture (three fingers held, `Command("overlay", (1,))`),
a maintenance key, or OSC, and handles taps itself while open: nothing reaches the
scene underneath. It closes itself after `IDLE_CLOSE_S` without a touch, so a visitor
never finds it left open. Buttons post ordinary Commands (source "overlay"), so the
engine treats them exactly like the same command from a key or OSC.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .clock import Clock, SystemClock
from .commands import Command
from .inputs.touch import min_target_px
from .overlay_lines import panel_lines
from .overlay_words import status_blocks

log = logging.getLogger("bayard.overlay")

IDLE_CLOSE_S = 60.0
PIN_TRIES = 3
PIN_LOCKOUT_S = 60.0
MAX_ERRORS_SHOWN = 5

BACKDROP = (10, 12, 16, 215)
PANEL = (28, 31, 38)
TEXT = (235, 235, 230)
DIM = (150, 155, 160)
BUTTON = (58, 64, 76)
BUTTON_DOWN = (90, 98, 116)
ACCENT = (200, 70, 60)
OK = (90, 170, 110)
WARNING = (225, 165, 60)  # amber: advice, the show plays as meant (errors are ACCENT's red)


@dataclass
class Button:
    label: str
    rect: Any  # pygame.Rect
    action: Callable[[], None]


def _default_font(size: int, bold: bool = False):
    import pygame

    from .typefaces import font_file

    if not pygame.font.get_init():
        pygame.font.init()
    path = font_file("sans-semibold" if bold else "sans")
    return pygame.font.Font(str(path) if path else None, size)  # None: pygame's own face


class Overlay:
    # The engine draws overlays over a blackout too when this is set: the technician must
    # be able to end a blackout from the kiosk.
    draw_when_dark = True

    def __init__(
        self,
        size: tuple[int, int],
        post: Callable[[Command], None],
        status: Callable[[], dict[str, Any]] = dict,
        clock: Clock | None = None,
        pin: str | None = None,
        font: Callable[[int, bool], Any] | None = None,
    ) -> None:
        """size: show pixels; post: where button Commands go (the engine's queue);
        status: returns the engine's status dictionary (as /bayard/status sends);
        pin: digits, or None for no PIN pad; font(size, bold): a pygame Font."""
        if pin is not None and (not pin.isdigit() or not 3 <= len(pin) <= 8):
            raise ValueError("the overlay PIN must be 3 to 8 digits")
        self.size = size
        self.post = post
        self.status = status
        self.clock = clock or SystemClock()
        self.pin = pin
        self._font_factory = font or _default_font
        self._fonts: dict[tuple[int, bool], Any] = {}
        self.is_open = False
        self.unlocked = pin is None
        self._entered = ""
        self._tries = 0
        self._locked_until = -1.0
        self._last_touch = 0.0
        self._flash: tuple[str, float] | None = None
        self._pressed: tuple[str, float] | None = None
        self.target = min_target_px(min(size))
        self.buttons: list[Button] = []
        self._layout()

    # -- control ----------------------------------------------------------------------------
    def open(self) -> bool:
        now = self.clock.now()
        if now < self._locked_until:
            log.warning("overlay: locked after wrong PINs for %.0f s more", self._locked_until - now)
            return False
        self.is_open = True
        self.unlocked = self.pin is None
        self._entered = ""
        self._last_touch = now
        self._layout()
        log.info("overlay opened")
        return True

    def set_pin(self, pin: str | None) -> None:
        """A reloaded [inputs] operator_pin. A changed PIN locks an open overlay at once:
        whoever unlocked it knew the old one."""
        if pin is not None and (not pin.isdigit() or not 3 <= len(pin) <= 8):
            raise ValueError("the overlay PIN must be 3 to 8 digits")
        if pin != self.pin:
            self.pin = pin
            self.close()
            log.info("overlay PIN %s by a reload", "changed" if pin else "removed")

    def close(self) -> None:
        if self.is_open:
            log.info("overlay closed")
        self.is_open = False
        self.unlocked = self.pin is None
        self._entered = ""

    def handle(self, command: Command) -> bool:
        """Offer a command; True when the overlay used it (the scene must not see it)."""
        if command.name == "overlay":
            want = bool(command.args[0]) if command.args else not self.is_open
            if want and not self.is_open:
                self.open()
            elif not want:
                self.close()
            return True
        if not self.is_open:
            return False
        if command.name in ("tap", "long_press", "swipe"):
            self._last_touch = self.clock.now()
            if command.name == "tap" and command.pos is not None:
                self._tap(command.pos)
            return True  # every gesture is the overlay's while it is open
        return False

    def update(self) -> None:
        """Once a frame: close when left alone."""
        if self.is_open and self.clock.now() - self._last_touch >= IDLE_CLOSE_S:
            log.info("overlay: closing after %.0f s untouched", IDLE_CLOSE_S)
            self.close()

    # -- layout -----------------------------------------------------------------------------
    def _layout(self) -> None:
        import pygame

        w, h = self.size
        t = self.target
        gap = max(8, t // 4)
        bw = max(int(t * 2.4), t)
        bh = max(int(t * 1.1), t)
        if self.is_open and not self.unlocked:
            self.buttons = self._pin_layout(pygame, w, h, t, gap)
            return
        specs: list[tuple[str, Callable[[], None]]] = [
            ("Previous", lambda: self._send("prev")),
            ("Next", lambda: self._send("next")),
            ("Reload", lambda: self._send("reload")),
            ("End blackout" if self._blackout() else "Blackout", self._toggle_blackout),
            ("Close", self.close),
        ]
        big = self._font(max(18, int(t * 0.42)), True)
        bw = max(bw, max(big.size(label)[0] for label, _ in specs) + t // 2)  # labels never spill
        total_w = len(specs) * bw + (len(specs) - 1) * gap
        per_row = 3 if total_w > w - 2 * gap else len(specs)  # narrow screens: two rows
        rows = [specs[i : i + per_row] for i in range(0, len(specs), per_row)]
        y = h - gap - len(rows) * bh - (len(rows) - 1) * gap
        self.buttons = []
        for row in rows:
            row_w = len(row) * bw + (len(row) - 1) * gap
            x = (w - row_w) // 2
            for label, action in row:
                self.buttons.append(Button(label, pygame.Rect(x, y, bw, bh), action))
                x += bw + gap
            y += bh + gap

    def _pin_layout(self, pygame, w: int, h: int, t: int, gap: int) -> list[Button]:
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "Clear", "0", "OK"]
        side = int(t * 1.2)
        grid_w = 3 * side + 2 * gap
        grid_h = 4 * side + 3 * gap
        x0 = (w - grid_w) // 2
        y0 = max(gap, (h - grid_h) // 2 + t // 2)
        out = []
        for i, key in enumerate(keys):
            r, c = divmod(i, 3)
            rect = pygame.Rect(x0 + c * (side + gap), y0 + r * (side + gap), side, side)
            out.append(Button(key, rect, lambda k=key: self._pin_key(k)))
        cancel = pygame.Rect(w - gap - int(t * 2.4), gap, int(t * 2.4), int(t * 1.1))
        out.append(Button("Cancel", cancel, self.close))
        return out

    # -- actions ----------------------------------------------------------------------------
    def _tap(self, pos: tuple[float, float]) -> None:
        for button in self.buttons:
            if button.rect.collidepoint(pos):
                self._pressed = (button.label, self.clock.now())
                button.action()
                return

    def _send(self, name: str, *args: Any) -> None:
        self.post(Command(name, args, source="overlay"))
        self._flash = (f"sent: {name}", self.clock.now())

    def _blackout(self) -> bool:
        return bool(self._safe_status().get("blackout", False))

    def _toggle_blackout(self) -> None:
        on = not self._blackout()
        self._send("blackout", 1 if on else 0)

    def _pin_key(self, key: str) -> None:
        if key == "Clear":
            self._entered = ""
        elif key == "OK":
            assert self.pin is not None
            if hmac.compare_digest(self._entered.encode(), self.pin.encode()):
                self.unlocked = True
                self._tries = 0
                self._layout()
            else:
                self._tries += 1
                self._entered = ""
                self._flash = ("wrong PIN", self.clock.now())
                log.warning("overlay: wrong PIN (%d of %d)", self._tries, PIN_TRIES)
                if self._tries >= PIN_TRIES:
                    self._tries = 0
                    self._locked_until = self.clock.now() + PIN_LOCKOUT_S
                    self.close()
        elif len(self._entered) < 8:
            self._entered += key

    def _safe_status(self) -> dict[str, Any]:
        try:
            status = self.status()
            return status if isinstance(status, dict) else {}
        except Exception:  # the overlay must draw even when status is broken
            log.exception("overlay: status provider failed")
            return {}

    # -- drawing ----------------------------------------------------------------------------
    def _font(self, size: int, bold: bool = False):
        key = (size, bold)
        if key not in self._fonts:
            self._fonts[key] = self._font_factory(size, bold)
        return self._fonts[key]

    def draw(self, surface) -> None:
        self.update()  # the engine draws overlays once a frame: the idle timer lives here
        if not self.is_open:
            return
        import pygame

        self._layout()  # labels follow the status (Blackout / End blackout)
        w, h = self.size
        veil = pygame.Surface((w, h), pygame.SRCALPHA)
        veil.fill(BACKDROP)
        surface.blit(veil, (0, 0))
        t = self.target
        big = self._font(max(18, int(t * 0.42)), True)
        small = self._font(max(14, int(t * 0.3)))
        now = self.clock.now()
        if not self.unlocked:
            title = big.render("Operator PIN", True, TEXT)
            surface.blit(title, ((w - title.get_width()) // 2, t // 2))
            dots = big.render("\u2022 " * len(self._entered) or "-", True, TEXT)
            surface.blit(dots, ((w - dots.get_width()) // 2, t // 2 + title.get_height() + 8))
        else:
            self._draw_status(surface, big, small, t)
        for button in self.buttons:
            pressed = (
                self._pressed is not None
                and self._pressed[0] == button.label
                and now - self._pressed[1] < 0.2
            )
            color = BUTTON_DOWN if pressed else (ACCENT if "lackout" in button.label else BUTTON)
            pygame.draw.rect(surface, color, button.rect, border_radius=max(6, t // 8))
            label = big.render(button.label, True, TEXT)
            surface.blit(label, label.get_rect(center=button.rect.center))
        if self._flash is not None and now - self._flash[1] < 2.0:
            text = small.render(self._flash[0], True, OK if self._flash[0].startswith("sent") else ACCENT)
            surface.blit(text, (w - text.get_width() - t // 3, h - text.get_height() - t // 3 - 2 * t))

    def _draw_status(self, surface, big, small, t: int) -> None:
        import pygame

        w, h = self.size
        status = self._safe_status()
        margin = t // 3
        width = w - 4 * margin
        fonts = {"big": big, "small": small}
        colours = {"title": TEXT, "alert": ACCENT, "warning": WARNING, "fact": DIM, "text": TEXT, "ok": OK}
        # Never run into the buttons: drop lines that do not fit above them, and say so on the
        # last line that fits (the film cache's and the portrait's lines come last, and went
        # without a word on a small screen with errors listed).
        limit = min(b.rect.top for b in self.buttons) - 2 * margin if self.buttons else h
        shown, left_out = panel_lines(status_blocks(status, IDLE_CLOSE_S, MAX_ERRORS_SHOWN), fonts, colours,
                                      width, room=limit - 3 * margin)
        if shown and left_out:
            shown[-1] = (f"\u2026 {left_out + 1} more lines: /bayard/status has them all", small, DIM)
        height = 2 * margin + sum(font.get_linesize() for _, font, _ in shown)
        panel = pygame.Rect(margin, margin, w - 2 * margin, height)
        pygame.draw.rect(surface, PANEL, panel, border_radius=max(6, t // 8))
        x, y = panel.x + margin, panel.y + margin
        for text, font, color in shown:
            surface.blit(font.render(text, True, color), (x, y))
            y += font.get_linesize()


def attach(engine: Any, presenter: Any = None) -> Overlay | None:
    """Put the overlay over the engine's frames; it opens on `Command("overlay", (1,))`
    (the three-finger hold, the O/F1 keys) and takes its PIN from [inputs] operator_pin."""
    for existing in engine.overlays:
        if isinstance(existing, Overlay):
            return existing
    pin = getattr(engine.show.config.inputs, "operator_pin", "") or None
    try:
        overlay = Overlay(tuple(engine.size), engine.post, engine.status, clock=engine.clock, pin=pin)
    except ValueError as exc:
        # Never fall back to no PIN when one was meant: no overlay, and say why.
        log.error(
            "install.toml [inputs] operator_pin: %s; the operator overlay is off until it is fixed", exc
        )
        return None

    engine.overlays.append(overlay)

    def on_reload(old_show: Any, new_show: Any) -> None:
        try:
            overlay.set_pin(getattr(new_show.config.inputs, "operator_pin", "") or None)
        except ValueError as exc:  # the schema refuses such a show; kept as a second guard
            log.error("install.toml [inputs] operator_pin: %s; the old PIN stays in force", exc)

    if hasattr(engine, "reload_hooks"):
        engine.reload_hooks.append(on_reload)
    return overlay
