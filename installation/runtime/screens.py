"""What the screen shows outside opening hours when the monitor cannot be switched off.

Where DPMS is not available (no X, a monitor that ignores it), the engine draws black
while closed; `ClosedClock` adds a large grey clock that moves to a new place every
minute: a visitor (or a guard) can read the time from across the room, staff can see the
kiosk is alive and its clock right, and no pixel stays lit long enough to burn in. It is an engine overlay with
`draw_when_dark`, drawn only for "closed" (a technician's blackout stays fully black).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

CLOCK_MOVE_S = 60.0
# Grey, not white: readable (5.3:1 on black, over the kiosk's 4.5:1) without lighting a dark
# gallery. It was grey 48 at 1.6:1, set as staff text at 1/90 of the shorter side: at 720x1280
# its capitals were 8 px, a speck nobody could read from more than an arm's length.
CLOCK_COLOUR = (128, 128, 128)
# Design px at a 1080-pixel type side (typography.Fonts): capitals about a tenth of the
# type side (70 px at 1280x720), about four times a museum label's, which is set to be read
# from two metres: the clock is read from across the room.
CLOCK_SIZE = 150


class ClosedClock:
    """Draws HH:MM (local time of the opening hours) large and grey, moving each minute.

    Set and placed by the typography layer (`fonts`, the engine's), as visitor text: its box
    is logged with the frame's other text and held to the visitor tier's rules (on the
    screen, over nothing else, capitals no smaller than a label's, contrast a visitor can
    read: installation/textlog.py)."""

    draw_when_dark = True

    def __init__(self, wall: Any, timezone: str = "UTC", active: Any = lambda: True, fonts: Any = None) -> None:
        self._wall = wall  # callable -> epoch seconds (the engine clock's wall())
        self.zone = ZoneInfo(timezone)
        self._active = active  # callable -> bool: draw only while closed and the monitor is on
        self.fonts = fonts  # the engine's typography layer; without one (a test), one for the screen drawn on
        self._own = None
        self._shown: tuple[str, int, tuple[int, int]] | None = None
        self._label = ""
        self._where = (0, 0)

    def _fonts_for(self, size: tuple[int, int]):
        if self.fonts is not None:
            return self.fonts
        from ..textlog import type_side

        if self._own is None or self._own.short_side != type_side(size):
            from ..typography import Fonts

            self._own = Fonts(type_side(size))
        return self._own

    def _text(self, fonts):
        return fonts.line(self._label, "sans", CLOCK_SIZE, CLOCK_COLOUR)

    def _refresh(self, size: tuple[int, int], fonts) -> None:
        wall = self._wall()
        label = dt.datetime.fromtimestamp(wall, self.zone).strftime("%H:%M")
        slot = int(wall // CLOCK_MOVE_S)
        if self._shown == (label, slot, size):
            return
        self._shown = (label, slot, size)
        self._label = label
        ink = fonts.ink(self._text(fonts))
        rng = random.Random(slot)  # the same minute draws in the same place (reproducible frames)
        # Anywhere its glyphs stay on the screen (the face's line room above and below them may not).
        self._where = (
            rng.randrange(0, max(1, size[0] - ink.width + 1)) - ink.x,
            rng.randrange(0, max(1, size[1] - ink.height + 1)) - ink.y,
        )

    def draw(self, surface) -> None:
        if not self._active():
            return
        fonts = self._fonts_for(surface.get_size())
        self._refresh(surface.get_size(), fonts)
        fonts.place(surface, self._text(fonts), self._where)

    def handle(self, command) -> bool:
        return False
