"""What the screen shows outside opening hours when the monitor cannot be switched off.

Where DPMS is not available (no X, a monitor that ignores it), the engine draws black
while closed; `ClosedClock` adds a tiny dim clock that moves to a new place every
minute: staff can see the kiosk is alive and its clock right, visitors see nothing worth
noticing, and no pixel stays lit long enough to burn in. It is an engine overlay with
`draw_when_dark`, drawn only for "closed" (a technician's blackout stays fully black).
"""

from __future__ import annotations

import datetime as dt
import random
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

CLOCK_MOVE_S = 60.0
CLOCK_COLOUR = (48, 48, 48)


@lru_cache(maxsize=8)
def _font(size: int):
    import pygame

    if not pygame.font.get_init():
        pygame.font.init()
    try:
        import font_source_sans_pro

        path = font_source_sans_pro.font_files_ttf.get("SourceSansPro")
        if path:
            return pygame.font.Font(path, size)
    except (ImportError, OSError, AttributeError):
        pass
    return pygame.font.Font(None, size)  # pygame's own font: always there


class ClosedClock:
    """Draws HH:MM (local time of the opening hours) small and dim, moving each minute."""

    draw_when_dark = True

    def __init__(self, wall: Any, timezone: str = "UTC", active: Any = lambda: True) -> None:
        self._wall = wall  # callable -> epoch seconds (the engine clock's wall())
        self.zone = ZoneInfo(timezone)
        self._active = active  # callable -> bool: draw only while closed and the monitor is on
        self._shown: tuple[str, int, tuple[int, int]] | None = None
        self._text = None
        self._where = (0, 0)

    def _refresh(self, size: tuple[int, int]) -> None:
        wall = self._wall()
        label = dt.datetime.fromtimestamp(wall, self.zone).strftime("%H:%M")
        slot = int(wall // CLOCK_MOVE_S)
        if self._shown == (label, slot, size):
            return
        self._shown = (label, slot, size)
        self._text = _font(max(10, size[1] // 60)).render(label, True, CLOCK_COLOUR)
        rng = random.Random(slot)  # the same minute draws in the same place (reproducible frames)
        self._where = (
            rng.randrange(0, max(1, size[0] - self._text.get_width())),
            rng.randrange(0, max(1, size[1] - self._text.get_height())),
        )

    def draw(self, surface) -> None:
        if not self._active():
            return
        self._refresh(surface.get_size())
        surface.blit(self._text, self._where)

    def handle(self, command) -> bool:
        return False
