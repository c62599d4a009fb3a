"""The log's reminders of what still stands, and its word when it is mended.

A condition that holds until a technician mends it (a camera the portrait cannot use, a state
folder the show cannot write, a last good copy that cannot be made: status's `standing`) is said
once, when it is found, and then never again while it fails in the same words: a technician
reading the log an hour later could not tell whether the camera still failed, nor since when,
nor whether it had come back meanwhile. So it is said again at a slow, growing interval (a
minute after it was found, ten minutes after, an hour after, then hourly), with when it began
and how many tries have failed since, and once when it has held clear for SETTLE_S (a camera
that comes and goes every few seconds is one condition, not a line at each turn); a condition its
owner lets go without a fix (its scene taken out by a reload) is said so, never "mended". The
overlay and status list it as it is now all along: this is only the log's memory, as
missing_said.py is for missing media.
Render thread only.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# After the first word (said where the condition was found), reminders this many seconds after
# it: soon enough that a technician fixing it sees whether the fix took, then calmer, so a
# camera left unplugged all season writes one line an hour, not thousands.
REMIND_AFTER_S = (60.0, 600.0, 3600.0)
REMIND_EVERY_S = 3600.0  # ... and then hourly
STALE_S = 60.0  # a condition last looked at longer ago than this says when it was
# Cleared, a condition is said mended once it has held clear this long. A camera on a loose cable
# that came and went every few seconds was said failing and mended at each turn: 100 lines in five
# minutes, 1,200 an hour, where it is one condition standing on and off (bench/camera_flaps.py).
# Back within this, it is the same condition: no new line, its count of returns grows.
SETTLE_S = 30.0


@dataclass
class _Standing:
    began_wall: float  # (wall clock) when it was first listed: "since 10:02"
    began: float  # (monotonic) for the reminders' schedule
    message: str  # its words as status lists them now
    tries: int | None  # how many tries failed since it began, where its owner counts them
    last_seen: float | None = None  # (wall clock) when its owner last looked and found it so
    said: set[str] = field(default_factory=set)  # every wording it was said in (the engine's history)
    reminded: int = 0
    cleared: float | None = None  # (monotonic) when it was last found clear, while it settles
    returns: int = 0  # how often it came back within SETTLE_S of clearing (a camera that flaps)


def clock_time(wall: float, now_wall: float) -> str:
    """10:02, in the kiosk's local time as its journal's stamps are; with the date once it
    began on another day (a camera unplugged over a weekend)."""
    began, today = time.localtime(wall), time.localtime(now_wall)
    same_day = (began.tm_year, began.tm_yday) == (today.tm_year, today.tm_yday)
    return time.strftime("%H:%M" if same_day else "%Y-%m-%d %H:%M", began)


def how_long(seconds: float) -> str:
    """1 h 3 min, 12 min, 40 s."""
    seconds = int(max(0.0, seconds))
    hours, minutes = seconds // 3600, seconds % 3600 // 60
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min" if minutes else f"{seconds} s"


def _due(reminded: int) -> float:
    """Seconds after it began that reminder number `reminded` (from 0) is due."""
    if reminded < len(REMIND_AFTER_S):
        return REMIND_AFTER_S[reminded]
    return REMIND_AFTER_S[-1] + REMIND_EVERY_S * (reminded - len(REMIND_AFTER_S) + 1)


class StandingSaid:
    """What stands, by its `where`, since when; `look()` says what the log should say now.
    `name(where)` names it for the log ("scene 'portrait'", "state folder"); `still` says it
    stands ("still failing", "still missing")."""

    def __init__(self, now: Callable[[], float], wall: Callable[[], float], name: Callable[[str], str],
                 still: str = "still failing") -> None:
        self._now, self._wall, self._name, self._still = now, wall, name, still
        self._standing: dict[str, _Standing] = {}

    def look(self, standing: Iterable[dict[str, Any]], let_go: Mapping[str, str] | None = None,
             ) -> tuple[list[tuple[int, str]], list[tuple[str, set[str]]], list[tuple[str, set[str]]]]:
        """Of what stands now (status's `standing` entries: where, message, and tries where its
        owner counts them): the lines due in the log, (logging level, words); what was mended
        since the last look, (where, every message it was said in); and what its owner let go
        unmended, by the reason in `let_go` (where: why), likewise."""
        now, wall = self._now(), self._wall()
        lines: list[tuple[int, str]] = []
        seen: set[str] = set()
        for entry in standing:
            where, message, tries = entry["where"], entry["message"], entry.get("tries")
            seen.add(where)
            held = self._standing.get(where)
            if held is None:
                # (Said by its owner as it was found: the first reminder is a minute later.)
                self._standing[where] = _Standing(wall, now, message, tries, said={message})
                continue
            if held.cleared is not None:
                held.cleared, held.returns = None, held.returns + 1  # (back before it was said mended)
            held.message, held.tries, held.last_seen = message, tries, entry.get("last_seen")
            held.said.add(message)
            if now - held.began >= _due(held.reminded):
                # (One line however long the frame slept: a suspended kiosk catching up does not
                # say every reminder it slept through.)
                while now - held.began >= _due(held.reminded):
                    held.reminded += 1
                lines.append((logging.WARNING, f"{self._name(where)}: {self._still} since "
                               f"{clock_time(held.began_wall, wall)} ({self._account(held, now, wall)}): {message}"))
        mended, dropped = [], []
        for where in [w for w in self._standing if w not in seen]:
            held = self._standing[where]
            why = (let_go or {}).get(where)
            if why is None and held.cleared is None:
                held.cleared = now  # (said mended once it has held clear SETTLE_S)
            if why is None and now - held.cleared < SETTLE_S:
                continue
            del self._standing[where]
            what = held.message.split(";", 1)[0]  # (its cause; the fix is no longer needed)
            since = f"(failing since {clock_time(held.began_wall, wall)}{self._tries(held)}{self._returns(held)})"
            if why is not None:
                # Not mended: no longer looked at (its scene left the show in a reload). "Mended"
                # here sent a technician away from a camera still unplugged.
                lines.append((logging.INFO, f"{self._name(where)}: no longer looked at after "
                              f"{how_long(now - held.began)}, not mended: {why} {since}: it was: {what}"))
                dropped.append((where, held.said))
                continue
            assert held.cleared is not None
            lines.append((logging.INFO, f"{self._name(where)}: mended after {how_long(held.cleared - held.began)}, "
                          f"clear for {how_long(now - held.cleared)} now {since}: it was: {what}"))
            mended.append((where, held.said))
        return lines, mended, dropped

    def _account(self, held: _Standing, now: float, wall: float) -> str:
        tries = f"{held.tries} tries, " if held.tries is not None else ""
        # A camera is looked at only while its portrait shows: said as of when it last was.
        seen = (f", last seen failing at {clock_time(held.last_seen, wall)}"
                if held.last_seen is not None and wall - held.last_seen >= STALE_S else "")
        return f"{tries}{how_long(now - held.began)}{self._returns(held)}{seen}"

    @staticmethod
    def _returns(held: _Standing) -> str:
        return f", clear and failing again {held.returns} times" if held.returns else ""

    @staticmethod
    def _tries(held: _Standing) -> str:
        return f", {held.tries} tries" if held.tries is not None else ""
