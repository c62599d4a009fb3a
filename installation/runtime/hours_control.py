"""Opening hours at the kiosk: the `hours` command (OSC, the operator overlay) and the large
clock drawn while the show is closed and the monitor could not be switched off."""

from __future__ import annotations

import logging
from typing import Any

from ..commands import Command, reply_to
from .hours import time_text

log = logging.getLogger("bayard.runtime")


class HoursControl:
    """An engine overlay: handles `Command("hours", (open|closed|auto,))` from OSC or the
    operator overlay, and draws the large closed-hours clock when the screen is dark for
    "closed" and the monitor could not be switched off."""

    draw_when_dark = True

    def __init__(self, runtime: Any, engine: Any) -> None:
        from .screens import ClosedClock

        self.runtime = runtime
        self.engine = engine
        self.clock = ClosedClock(
            runtime.clock.wall, runtime.schedule.hours.config.timezone,
            active=lambda: (engine.dark_reason == "closed" and not engine.blackout
                            and not runtime.display_off),
            fonts=engine.fonts,  # (its text logged and checked with the frame's other text)
        )

    def draw(self, surface: Any) -> None:
        self.clock.draw(surface)

    def handle(self, command: Command) -> bool:
        if command.name != "hours":
            return False
        mode = str(command.args[0]).lower() if command.args else "auto"
        try:
            until_text = time_text(command.args[1]) if len(command.args) > 1 else None
            state = self.runtime.override_hours(mode, until_text)
        except ValueError as error:
            reply_to(command, "error", str(error))
            return True
        self.engine.dark_reason = "closed" if state == "closed" else None
        # In the show's own time zone (the machine's may differ: the log once said 18:00 for 19:00).
        hours = self.runtime.schedule.status(self.runtime.clock.wall())
        when = hours["override_until_local"] or "the schedule's next change"
        if hours["override_cut_from_local"]:
            when += (f", not {hours['override_cut_from_local']}: no override lasts more than "
                     f"{self.runtime.schedule.hours.config.override_max_h:g} h ([hours] override_max_h)")
        log.warning("opening hours overridden by %s: %s (until %s)", command.source, mode,
                    when if mode != "auto" else "further notice: back to the schedule")
        reply_to(command, "ok", self.runtime.schedule.status(self.runtime.clock.wall()))
        self.engine.emit("control", "hours", mode, str(command.extra.get("peer") or command.source))
        return True
