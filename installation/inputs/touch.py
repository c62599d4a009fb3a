"""Visitor touch: finger events become tap, long_press and swipe Commands.

`GestureRecognizer` is pure logic (no pygame): it is fed finger down/move/up with a
finger id, window-normalised x, y and a time from the injected clock, and returns the
Commands it recognised. `poll()` (called once a frame) fires long presses while the
finger is still down and forgets fingers whose "up" never came. `from_pygame()`
translates pygame events: FINGER* events are used; mouse events that SDL synthesises
from touches (`event.touch`) are dropped so a tap counts once; a real mouse acts as
finger -1 for development.

Positions are in show pixels: the normalised window position is clamped to 0..1 and,
when the show is rotated onto the panel, turned back into the show's own orientation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..clock import Clock, SystemClock
from ..commands import Command

# A fingertip at kiosk distance: about 20 mm (a 15 mm adult finger pad plus margin for
# children, gloves and a hurried reach). On the smallest common kiosk panel, a 21.5-inch
# 1080p screen with 0.248 mm pixels, that is 80 px. Scale with `min_target_px(short_side)`.
MIN_TARGET_PX = 80
REFERENCE_HEIGHT = 1080

LONG_PRESS_S = 0.6
TAP_MAX_S = 0.5  # a press this short is a tap; between this and LONG_PRESS_S, nothing
SWIPE_MAX_S = 0.8
# Distances in px at 1080p (scaled to the show's height).
SLOP_PX = 24  # a finger wobbles this much and still "did not move"
SWIPE_MIN_PX = 120
DEBOUNCE_S = 0.08  # a second tap this soon at the same place is a panel bounce
# Operator gesture: three or more fingers held still for a while. Visitors rarely hold
# three fingers still for three seconds; the overlay may also ask for a PIN.
OPERATOR_FINGERS = 3
OPERATOR_HOLD_S = 3.0
# A finger whose "up" never came (a flaky panel) is forgotten after this long, so the
# next gesture is not blocked by a ghost.
STUCK_S = 20.0
MOUSE_FINGER = -1


def min_target_px(short_side: int) -> int:
    """The smallest hit target for a show whose shorter side is this many pixels (the
    short side, so a portrait 1080x1920 show gets the same 80 px as a landscape one)."""
    return max(1, round(MIN_TARGET_PX * short_side / REFERENCE_HEIGHT))


@dataclass
class _Finger:
    start: tuple[float, float]
    last: tuple[float, float]
    t0: float
    source: str
    long_fired: bool = False


class GestureRecognizer:
    def __init__(
        self, size: tuple[int, int] = (1920, 1080), rotation: int = 0, clock: Clock | None = None
    ) -> None:
        if rotation not in (0, 90, 180, 270):
            raise ValueError(f"rotation must be 0, 90, 180 or 270 degrees, not {rotation}")
        self.size = size
        self.rotation = rotation
        self.clock = clock or SystemClock()
        scale = min(size) / REFERENCE_HEIGHT
        self.slop = SLOP_PX * scale
        self.swipe_min = SWIPE_MIN_PX * scale
        self._fingers: dict[Any, _Finger] = {}
        self._multi = False  # more than one finger joined this touch: no visitor gesture
        self._operator_fired = False
        self._multi_since: float | None = None
        self._last_tap: tuple[float, tuple[float, float]] | None = None

    # -- mapping ------------------------------------------------------------------------
    def to_show(self, x: float, y: float) -> tuple[float, float]:
        """Window-normalised (x, y), possibly outside 0..1, to show pixels."""
        u = 0.0 if not math.isfinite(x) else min(1.0, max(0.0, x))
        v = 0.0 if not math.isfinite(y) else min(1.0, max(0.0, y))
        if self.rotation == 90:  # show turned clockwise onto the panel
            u, v = v, 1.0 - u
        elif self.rotation == 180:
            u, v = 1.0 - u, 1.0 - v
        elif self.rotation == 270:
            u, v = 1.0 - v, u
        w, h = self.size
        return (min(u * w, w - 1.0), min(v * h, h - 1.0))

    # -- events -------------------------------------------------------------------------
    def down(
        self, finger: Any, x: float, y: float, t: float | None = None, source: str = "touch"
    ) -> list[Command]:
        t = self.clock.now() if t is None else t
        out = self.poll(t)
        pos = self.to_show(x, y)
        if not self._fingers:
            self._multi = False
            self._operator_fired = False
            self._multi_since = None
        # A repeated "down" for a finger already down (some panels) restarts it.
        self._fingers[finger] = _Finger(pos, pos, t, source)
        if len(self._fingers) > 1:
            self._multi = True
            if len(self._fingers) >= OPERATOR_FINGERS:
                self._multi_since = t
        return out

    def move(self, finger: Any, x: float, y: float, t: float | None = None) -> list[Command]:
        t = self.clock.now() if t is None else t
        f = self._fingers.get(finger)
        if f is not None:
            f.last = self.to_show(x, y)
            if len(self._fingers) >= OPERATOR_FINGERS and _dist(f.start, f.last) > self.slop * 3:
                self._multi_since = t  # the operator hold restarts when the hand slides
        return self.poll(t)

    def up(self, finger: Any, x: float, y: float, t: float | None = None) -> list[Command]:
        t = self.clock.now() if t is None else t
        f = self._fingers.get(finger)
        if f is not None:
            # Where the finger left counts before any long press is judged: a panel
            # without FINGERMOTION reports the whole drag only now.
            f.last = self.to_show(x, y)
        out = self.poll(t)
        f = self._fingers.pop(finger, None)
        if f is None:
            return out
        if len(self._fingers) < OPERATOR_FINGERS:
            self._multi_since = None
        if self._multi:
            return out
        held = t - f.t0
        moved = _dist(f.start, f.last)
        if moved <= self.slop:
            if held >= LONG_PRESS_S:
                if not f.long_fired:
                    out.append(Command("long_press", pos=f.start, source=f.source))
            elif held <= TAP_MAX_S:
                last = self._last_tap
                if last is not None and t - last[0] < DEBOUNCE_S and _dist(last[1], f.start) <= self.slop:
                    return out  # a bounce of the same tap
                self._last_tap = (t, f.start)
                out.append(Command("tap", pos=f.start, source=f.source))
        elif moved >= self.swipe_min and held <= SWIPE_MAX_S and not f.long_fired:
            dx, dy = f.last[0] - f.start[0], f.last[1] - f.start[1]
            if abs(dx) >= abs(dy):  # noqa: SIM108 - two levels of ternary read worse
                direction = "right" if dx > 0 else "left"
            else:
                direction = "down" if dy > 0 else "up"
            out.append(
                Command(
                    "swipe",
                    (direction,),
                    pos=f.start,
                    source=f.source,
                    extra={"end": f.last, "speed_px_s": moved / max(held, 1e-3)},
                )
            )
        return out

    def poll(self, t: float | None = None) -> list[Command]:
        """Once a frame: long presses while held, the operator gesture, stuck fingers."""
        t = self.clock.now() if t is None else t
        out: list[Command] = []
        for key in [k for k, f in self._fingers.items() if t - f.t0 > STUCK_S]:
            del self._fingers[key]
        if (
            self._multi_since is not None
            and not self._operator_fired
            and len(self._fingers) >= OPERATOR_FINGERS
            and t - self._multi_since >= OPERATOR_HOLD_S
        ):
            self._operator_fired = True
            source = next(iter(self._fingers.values())).source
            out.append(Command("overlay", (1,), source=source))
        if not self._multi:
            for f in self._fingers.values():
                if not f.long_fired and t - f.t0 >= LONG_PRESS_S and _dist(f.start, f.last) <= self.slop:
                    f.long_fired = True
                    out.append(Command("long_press", pos=f.start, source=f.source))
        return out

    def reset(self) -> None:
        """Forget every finger (the window lost focus, the scene changed)."""
        self._fingers.clear()
        self._multi = False
        self._multi_since = None


def _dist(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def from_pygame(
    recognizer: GestureRecognizer, event: Any, window_size: tuple[int, int], t: float | None = None
) -> list[Command] | None:
    """Feed one pygame event; returns the Commands, or None when the event is not
    pointer input (so the caller can handle it otherwise). Synthesised mouse events from
    touches return [] (dropped)."""
    import pygame

    kind = event.type
    if kind in (pygame.FINGERDOWN, pygame.FINGERMOTION, pygame.FINGERUP):
        finger = (getattr(event, "touch_id", 0), event.finger_id)
        # `pressure` is filled from dy in pygame and pygame-ce: never read it.
        if kind == pygame.FINGERDOWN:
            return recognizer.down(finger, event.x, event.y, t)
        if kind == pygame.FINGERMOTION:
            return recognizer.move(finger, event.x, event.y, t)
        return recognizer.up(finger, event.x, event.y, t)
    if kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION):
        if getattr(event, "touch", False):
            return []  # SDL's copy of a finger event: the FINGER* event already counted
        w, h = window_size
        x, y = event.pos[0] / max(w, 1), event.pos[1] / max(h, 1)
        if kind == pygame.MOUSEBUTTONDOWN:
            if event.button != 1:
                return []
            return recognizer.down(MOUSE_FINGER, x, y, t, source="mouse")
        if kind == pygame.MOUSEBUTTONUP:
            if event.button != 1:
                return []
            return recognizer.up(MOUSE_FINGER, x, y, t)
        if event.buttons[0]:
            return recognizer.move(MOUSE_FINGER, x, y, t)
        return []
    return None


class TouchService:
    """The `touch` service the engine's event pump and the test harness call.

    The engine's app hands it every pygame event (`feed_pygame`); a frame hook polls it
    for long presses and the operator gesture. Window pixels of mouse events are turned
    into fractions of the window, so a scaled or rotated window maps correctly."""

    def __init__(self, engine: Any, presenter: Any = None) -> None:
        display = engine.show.config.display
        self.presenter = presenter
        self.recognizer = GestureRecognizer(tuple(display.size), int(display.rotation), engine.clock)
        self.posted = 0

    def _window_size(self) -> tuple[int, int]:
        window = getattr(self.presenter, "window", None)
        if window is not None:
            return window.get_size()
        w, h = self.recognizer.size
        return (h, w) if self.recognizer.rotation in (90, 270) else (w, h)

    def _post(self, engine: Any, commands: list[Command] | None) -> None:
        for command in commands or []:
            self.posted += 1
            engine.post(command)

    def feed_pygame(self, event: Any, engine: Any) -> None:
        self._post(engine, from_pygame(self.recognizer, self._in_view(event), self._window_size()))

    def _in_view(self, event: Any) -> Any:
        """The event with its position taken to the shown picture, where the presenter
        letterboxes the show (bars beside or above it); unchanged otherwise."""
        import pygame

        to_view = getattr(self.presenter, "to_view", None)
        if to_view is None:
            return event
        if event.type in (pygame.FINGERDOWN, pygame.FINGERMOTION, pygame.FINGERUP):
            x, y = to_view(event.x, event.y)
            return pygame.event.Event(event.type, {**event.dict, "x": x, "y": y})
        if event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION):
            w, h = self._window_size()
            u, v = to_view(event.pos[0] / max(w, 1), event.pos[1] / max(h, 1))
            return pygame.event.Event(event.type, {**event.dict, "pos": (u * w, v * h)})
        return event

    def poll(self, engine: Any) -> None:
        self._post(engine, self.recognizer.poll())

    def to_panel(self, x: float, y: float) -> tuple[float, float]:
        """Show pixels -> window fractions (the inverse of `to_show`), for synthetic input."""
        w, h = self.recognizer.size
        a, b = x / w, y / h
        a, b = {0: (a, b), 90: (1 - b, a), 180: (1 - a, 1 - b), 270: (b, 1 - a)}[self.recognizer.rotation]
        from_view = getattr(self.presenter, "from_view", None)
        return from_view(a, b) if from_view is not None else (a, b)

    def tap_for_test(self, engine: Any, x: float, y: float, clock: Any) -> None:
        """A finger tap at show pixels exactly as SDL delivers one on a touch screen:
        FINGERDOWN with its synthesised mouse copy, 50 ms, FINGERUP with its copy."""
        import pygame

        u, v = self.to_panel(x, y)
        ww, wh = self._window_size()
        pixel = (int(u * ww), int(v * wh))
        finger = {"touch_id": 1, "finger_id": 0, "x": u, "y": v, "dx": 0.0, "dy": 0.0, "pressure": 1.0}
        self.feed_pygame(pygame.event.Event(pygame.FINGERDOWN, finger), engine)
        self.feed_pygame(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pixel, button=1, touch=True), engine)
        clock.advance(0.05)
        self.feed_pygame(pygame.event.Event(pygame.FINGERUP, finger), engine)
        self.feed_pygame(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pixel, button=1, touch=True), engine)

    def status(self) -> dict[str, Any]:
        return {"gestures": self.posted}


def attach(engine: Any, presenter: Any = None) -> TouchService:
    """Register the `touch` service and poll it once a frame."""
    service = engine.services.get("touch")
    if service is None:
        service = TouchService(engine, presenter)
        engine.services["touch"] = service
        engine.frame_hooks.append(service.poll)
    return service
