"""The [hours] table of install.toml: weekly windows, dated exceptions, the override cap.

The schema and its checks only (what `bayard check` and the show's loader read); what the
windows mean at a given instant is hours.py's.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WINDOW = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
def parse_window(text: str) -> tuple[int, int]:
    """'10:00-18:00' -> (600, 1080) minutes after local midnight.

    An end at or before the start means the window runs past midnight ('20:00-02:00').
    '00:00-24:00' is a whole day.
    """
    match = _WINDOW.match(text)
    if not match:
        raise ValueError(f"'{text}' is not a time window; write it as 'HH:MM-HH:MM', e.g. '10:00-18:00'")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2 != 0):
        raise ValueError(f"'{text}' has an impossible time; hours go 00-23 (24:00 only as an end), minutes 00-59")
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if start == end:
        raise ValueError(f"'{text}' starts and ends at the same time; for a whole day write '00:00-24:00'")
    if end < start:
        end += 24 * 60  # overnight: ends the next morning
    return start, end


def _check_windows(windows: list[str]) -> list[str]:
    for window in windows:
        parse_window(window)
    return windows


class DateException(BaseModel):
    """One dated exception: a holiday (closed) or special hours (a late opening)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)  # TOML has inf and nan

    date: dt.date = Field(description="the local date this exception applies to, e.g. 2026-12-25")
    closed: bool = Field(default=False, description="true: closed all day (a holiday)")
    hours: list[str] = Field(
        default_factory=list,
        description="windows replacing the weekly ones on that date, e.g. ['10:00-22:00'] for a late opening",
    )
    note: str = Field(default="", description="why (shown in status), e.g. 'Christmas' or 'Museum night'")

    _hours_ok = field_validator("hours")(_check_windows)

    @model_validator(mode="after")
    def _closed_or_hours(self) -> DateException:
        if self.closed and self.hours:
            raise ValueError(f"{self.date}: give either closed = true or hours = [...], not both")
        if not self.closed and not self.hours:
            raise ValueError(f"{self.date}: say closed = true, or give hours = ['HH:MM-HH:MM', ...]")
        return self


# The longest an override lasts unless [hours] override_max_h says otherwise: long enough for
# an evening event forced open from mid-afternoon to past midnight (14:00 to 02:00), short
# enough that one forgotten at closing time ends before the next morning's opening. Not more
# than 24 h (override_max_h's limit): "HH:MM" means the next time the clock reads it, never
# further, and days go in `exceptions`, which are written down and survive a restart (an
# override lives in memory only).
DEFAULT_OVERRIDE_MAX_H = 12.0


class OpeningHoursConfig(BaseModel):
    """When the show plays. Outside these hours the display goes dark."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)  # TOML has inf and nan

    enabled: bool = Field(default=False, description="false: the show plays around the clock")
    timezone: str = Field(default="UTC", description="the museum's time zone (IANA name), e.g. 'Europe/Paris'")
    mon: list[str] = Field(default_factory=list, description="Monday windows, e.g. ['10:00-18:00']; empty: closed")
    tue: list[str] = Field(default_factory=list,
                           description="Tuesday windows; several allowed, e.g. ['10:00-12:00', '14:00-18:00']")
    wed: list[str] = Field(default_factory=list, description="Wednesday windows")
    thu: list[str] = Field(default_factory=list, description="Thursday windows")
    fri: list[str] = Field(default_factory=list, description="Friday windows; overnight allowed, e.g. ['20:00-02:00']")
    sat: list[str] = Field(default_factory=list, description="Saturday windows")
    sun: list[str] = Field(default_factory=list, description="Sunday windows")
    exceptions: list[DateException] = Field(
        default_factory=list, description="dated exceptions (holidays, late openings) replacing that day's windows"
    )
    override_max_h: float = Field(
        default=DEFAULT_OVERRIDE_MAX_H, ge=1, le=24,
        description="the longest a technician's `hours open` or `hours closed` lasts, in hours (1-24), so a "
                    "forgotten one ends; an evening event sent its HH:MM in the morning may need more. Days "
                    "closed (a long weekend) go in `exceptions`, which a restart keeps",
    )

    _windows_ok = field_validator(*DAYS)(_check_windows)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone '{value}'; use an IANA name such as 'Europe/Paris' or 'America/New_York'"
            ) from None
        return value

    @model_validator(mode="after")
    def _unique_dates(self) -> OpeningHoursConfig:
        seen: set[dt.date] = set()
        for exception in self.exceptions:
            if exception.date in seen:
                raise ValueError(f"the date {exception.date} has two exceptions; keep one")
            seen.add(exception.date)
        if self.enabled and not any(getattr(self, d) for d in DAYS) and not any(
            e.hours for e in self.exceptions
        ):
            raise ValueError("opening hours are enabled but no day has a window: the show would never play")
        return self
