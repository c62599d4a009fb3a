"""Opening hours: when the show plays and when the screen goes dark.

Everything is computed from the wall time passed in, at every check, never from a
stored "next change" timer: an NTP correction, a DST change or a clock set by hand
simply gives a new answer on the next check instead of leaving a timer pointing at
the wrong hour. Windows are turned into absolute intervals (epoch seconds) per local
day, so a window keeps its local meaning across a DST change ("10:00-18:00" is 8 h
on an ordinary day and 8 h on the day the clocks move, just at a different UTC hour).

Times the clocks skip or repeat, one rule each:
- a time skipped in spring (02:30 when 02:00 jumps to 03:00) takes effect at the jump;
- a time repeated in autumn (02:30 when 03:00 falls back to 02:00) is, in the schedule, its
  first occurrence (summer time): a window "20:00-02:30" closes at the first 02:30, one
  opening at 02:30 opens then; an override "until 02:30" ends the next time the clock reads
  02:30, the second occurrence when sent between the two. Status names the zone (CEST, CET)
  of a change that falls in the repeated hour, so "until 02:30" says which.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from .hours_config import DAYS, DEFAULT_OVERRIDE_MAX_H, DateException, OpeningHoursConfig, parse_window

__all__ = ["DAYS", "DEFAULT_OVERRIDE_MAX_H", "DateException", "OpeningHours", "OpeningHoursConfig", "Schedule",
           "parse_window", "reads_as_time", "time_text"]

# How far ahead next_change() looks. A show closed for a whole season still gets an
# answer (the reopening day) as long as it is within a year.
_HORIZON_DAYS = 370

State = Literal["open", "closed"]


@dataclass(frozen=True)
class _Hours:
    """The config compiled for fast evaluation."""

    zone: ZoneInfo
    weekly: tuple[tuple[tuple[int, int], ...], ...]  # index 0 = Monday
    exceptions: dict[dt.date, tuple[tuple[int, int], ...]]


def _compile(config: OpeningHoursConfig) -> _Hours:
    weekly = tuple(tuple(parse_window(w) for w in getattr(config, d)) for d in DAYS)
    exceptions = {
        e.date: () if e.closed else tuple(parse_window(w) for w in e.hours) for e in config.exceptions
    }
    return _Hours(ZoneInfo(config.timezone), weekly, exceptions)


def _local_epoch(day: dt.date, minutes: int, zone: ZoneInfo) -> float:
    """Epoch seconds of `minutes` after local midnight of `day` (may roll into the next day).

    Wall-clock arithmetic: '18:00' on the day the clocks change is still 18:00 local.
    A time that does not exist (inside a spring-forward gap) maps to the jump itself: the
    first moment the clock has passed it. (Read with the offset from before the jump, a
    window ending at 02:30 on the night the clocks go 02:00 -> 03:00 ended at 03:30.)
    """
    return _local_epochs(day, minutes, zone)[0]


def _local_epochs(day: dt.date, minutes: int, zone: ZoneInfo) -> list[float]:
    """Every moment the local clock reads `minutes` after midnight of `day`, in order: one on
    an ordinary day, two in the autumn's repeated hour, the jump for a time skipped in spring."""
    naive = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minutes)
    early = naive.replace(tzinfo=zone, fold=0).timestamp()  # with the offset in force before
    late = naive.replace(tzinfo=zone, fold=1).timestamp()  # with the offset in force after
    if late > early:
        return [early, late]  # the autumn's repeated hour: summer time first
    if late == early:
        return [early]
    return [_jump(zone, int(late), int(early))]


def _jump(zone: ZoneInfo, before: int, after: int) -> float:
    """The epoch second at which the zone's offset changes, between `before` (old offset)
    and `after` (new one): zoneinfo keeps its transitions to itself, so found by halving."""
    old = dt.datetime.fromtimestamp(before, zone).utcoffset()
    while after - before > 1:
        middle = (before + after) // 2
        if dt.datetime.fromtimestamp(middle, zone).utcoffset() == old:
            before = middle
        else:
            after = middle
    return float(after)


class OpeningHours:
    """Pure evaluation of a config: no state, no timers."""

    def __init__(self, config: OpeningHoursConfig) -> None:
        self.config = config
        self._hours = _compile(config)

    def _intervals(self, day: dt.date) -> list[tuple[float, float]]:
        windows = self._hours.exceptions.get(day, self._hours.weekly[day.weekday()])
        return [
            (_local_epoch(day, start, self._hours.zone), _local_epoch(day, end, self._hours.zone))
            for start, end in windows
        ]

    def _local_date(self, wall: float) -> dt.date:
        return dt.datetime.fromtimestamp(wall, self._hours.zone).date()

    def is_open(self, wall: float) -> bool:
        if not self.config.enabled:
            return True
        today = self._local_date(wall)
        # Yesterday's overnight windows reach into today.
        for day in (today - dt.timedelta(days=1), today):
            for start, end in self._intervals(day):
                if start <= wall < end:
                    return True
        return False

    def next_change(self, wall: float) -> float | None:
        """Epoch seconds of the next open/closed change after `wall`, or None if there is none
        within a year (always open, or disabled)."""
        if not self.config.enabled:
            return None
        now_open = self.is_open(wall)
        today = self._local_date(wall)
        day = today - dt.timedelta(days=1)
        for _ in range(_HORIZON_DAYS + 1):
            # Candidate boundaries of this day's windows; the state is re-evaluated just after
            # each one so that touching windows ('10:00-14:00', '14:00-18:00', or an overnight
            # window meeting the next day's) do not count as a change.
            for start, end in sorted(self._intervals(day)):
                for boundary in (start, end):
                    if boundary > wall and self.is_open(boundary) != now_open:
                        return boundary
            day += dt.timedelta(days=1)
        return None

    def next_local_time(self, wall: float, text: str) -> float:
        """Epoch seconds of the next moment after `wall` when the local clock reads `text`
        ('HH:MM'; within a day). ValueError with the form to use."""
        try:
            hours, minutes = (int(part) for part in text.split(":"))
            if not (0 <= hours <= 23 and 0 <= minutes <= 59):
                raise ValueError
        except ValueError:
            raise ValueError(f"'{text}' is not a time; write it as HH:MM, e.g. 23:00") from None
        today = self._local_date(wall)
        # Both readings of a repeated autumn time: "until 02:30" sent at the second 02:10 ends
        # 20 minutes later (taking the first 02:30 only, it ran to the 12-hour cap).
        for day in (today, today + dt.timedelta(days=1)):
            for moment in _local_epochs(day, hours * 60 + minutes, self._hours.zone):
                if moment > wall:
                    return moment
        return _local_epoch(today + dt.timedelta(days=2), hours * 60 + minutes, self._hours.zone)

    def local_text(self, wall: float) -> str:
        """`wall` as the show's local time, for messages and status: 'Thu 04 Dec 23:00 CET'."""
        return dt.datetime.fromtimestamp(wall, self._hours.zone).strftime("%a %d %b %H:%M %Z")

    def next_midnight(self, wall: float) -> float:
        """Epoch seconds of the next local midnight after `wall`."""
        return _local_epoch(self._local_date(wall) + dt.timedelta(days=1), 0, self._hours.zone)

    def describe(self, wall: float) -> str:
        """A line for status: 'open until 18:00' / 'closed until Tue 10:00'."""
        if not self.config.enabled:
            return "open (no opening hours set)"
        state = "open" if self.is_open(wall) else "closed"
        change = self.next_change(wall)
        if change is None:
            return f"{state} (no change within a year)"
        local = dt.datetime.fromtimestamp(change, self._hours.zone)
        same_day = local.date() == self._local_date(wall)
        when = local.strftime("%H:%M") if same_day else local.strftime("%a %d %b %H:%M")
        if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
            when += local.strftime(" %Z")  # in the repeated hour: which 02:30 (CEST, then CET)
        return f"{state} until {when}{self._why(wall)}"

    def _why(self, wall: float) -> str:
        """Today's dated exception, as the technician wrote it: ' (today: Christmas)'."""
        today = self._local_date(wall)
        for exception in self.config.exceptions:
            if exception.date == today:
                what = exception.note or ("closed all day" if exception.closed else "special hours")
                return f" (today: {what})"
        return ""


def _whole(value: object) -> int | None:
    """An int, or a float with nothing after the point (QLab and faders send floats)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, int) else None


def reads_as_time(value: object) -> bool:
    """A number a technician typed for a clock time, such as 2230 or 930 (HHMM)."""
    whole = _whole(value)
    return whole is not None and 0 <= whole <= 2359 and whole % 100 < 60


def time_text(value: object) -> str:
    """An override's time as 'HH:MM': text as sent, or a number read as HHMM (2230 is
    22:30). The docs say to send text, but an OSC desk sends a number as easily, and 2230
    was once taken for a reply port. ValueError with the form to send for any other number."""
    if isinstance(value, str):
        return value
    if reads_as_time(value):
        whole = _whole(value) or 0
        return f"{whole // 100:02d}:{whole % 100:02d}"
    raise ValueError(f"{value!r} is not a time (a number such as 22.5 could mean 22:30 or 22:50); "
                     'send the time as text, e.g. "22:30"')


class Schedule:
    """What the engine asks each frame (or each second): `state(wall)`.

    The technician can force the show open or closed (OSC, operator overlay), until a time
    they give or as `override` says, never more than `[hours] override_max_h`: a forgotten
    override cannot keep a museum dark (or lit) for long.
    """

    def __init__(self, config: OpeningHoursConfig | None = None) -> None:
        self.hours = OpeningHours(config or OpeningHoursConfig())
        self._override: State | None = None
        self._override_until: float | None = None
        self._override_asked: float | None = None  # the end asked for, when the cap cut it

    def replace_config(self, config: OpeningHoursConfig) -> None:
        """A validated reload: new hours, and any override is dropped (it referred to the old ones)."""
        self.hours = OpeningHours(config)
        self.clear_override()

    def natural_state(self, wall: float) -> State:
        return "open" if self.hours.is_open(wall) else "closed"

    def state(self, wall: float) -> State:
        if self._override is not None:
            if self._override_until is None or wall < self._override_until:
                return self._override
            self.clear_override()
        return self.natural_state(wall)

    def override(self, mode: str, wall: float, until: str | None = None) -> State:
        """mode: 'open', 'closed' or 'auto' (back to the schedule); `until`: 'HH:MM', local
        time, the next time the clock reads it. Returns the state now in force.

        Without `until`: 'closed' lasts until the schedule next changes (the rest of an
        opening period), or midnight with no hours set ("closed" sent to a show without
        hours once kept the room dark until someone sent "auto"). 'open' lasts until local
        midnight, or until the schedule opens anyway if that is sooner: sent at 17:00 for an
        evening event it once ended at the 18:00 closing, and sent at 18:30 it ran all night
        (on a Sunday, 38 hours, through the closed Monday). No override lasts more than
        `[hours] override_max_h` (sent at 01:00, "until midnight" was 23 hours); status then
        says the end asked for, so a technician sees the override was cut."""
        if mode == "auto":
            self.clear_override()
            return self.state(wall)
        if mode not in ("open", "closed"):
            raise ValueError(f"unknown opening-hours override '{mode}'; use open, closed or auto")
        if until is not None:
            ends = self.hours.next_local_time(wall, until)
        elif mode == "closed":
            ends = self.hours.next_change(wall) or self.hours.next_midnight(wall)
        else:
            ends = self.hours.next_midnight(wall)
            change = self.hours.next_change(wall)
            if not self.hours.is_open(wall) and change is not None:
                ends = min(ends, change)
        cap = wall + self.hours.config.override_max_h * 3600
        self._override = mode  # type: ignore[assignment]
        self._override_until = min(ends, cap)
        self._override_asked = ends if ends > cap else None
        return self.state(wall)

    def clear_override(self) -> None:
        self._override = None
        self._override_until = None
        self._override_asked = None

    def status(self, wall: float) -> dict[str, object]:
        return {
            "state": self.state(wall),
            "schedule": self.hours.describe(wall),
            "override": self._override,
            "override_until": self._override_until,
            "override_until_local": (self.hours.local_text(self._override_until)
                                     if self._override_until is not None else None),
            # Set only when [hours] override_max_h cut the override short: the end it would have had.
            "override_cut_from_local": (self.hours.local_text(self._override_asked)
                                        if self._override_asked is not None else None),
            "enabled": self.hours.config.enabled,
        }
