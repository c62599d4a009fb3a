"""Opening hours: windows, overnight, exceptions, DST and wall-clock jumps."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from installation.clock import FakeClock
from installation.runtime.hours import OpeningHours, OpeningHoursConfig, Schedule, parse_window

PARIS = ZoneInfo("Europe/Paris")


def at(y, mo, d, h, mi=0, zone=PARIS) -> float:
    return dt.datetime(y, mo, d, h, mi, tzinfo=zone).timestamp()


def museum(**extra) -> OpeningHoursConfig:
    base = dict(
        enabled=True,
        timezone="Europe/Paris",
        mon=[],
        tue=["10:00-18:00"],
        wed=["10:00-12:30", "14:00-18:00"],
        thu=["10:00-18:00"],
        fri=["10:00-18:00", "20:00-02:00"],
        sat=["10:00-19:00"],
        sun=["10:00-19:00"],
    )
    base.update(extra)
    return OpeningHoursConfig(**base)


def test_parse_window_overnight_and_whole_day():
    assert parse_window("10:00-18:00") == (600, 1080)
    assert parse_window("20:00-02:00") == (1200, 1560)
    assert parse_window("00:00-24:00") == (0, 1440)
    for bad in ("10-18", "25:00-26:00", "10:00-10:00", "10:61-11:00"):
        with pytest.raises(ValueError):
            parse_window(bad)


def test_weekly_windows_several_per_day():
    hours = OpeningHours(museum())
    # 2026-03-04 is a Wednesday.
    assert hours.is_open(at(2026, 3, 4, 11))
    assert not hours.is_open(at(2026, 3, 4, 13))  # lunch break
    assert hours.is_open(at(2026, 3, 4, 14))  # start is inclusive
    assert not hours.is_open(at(2026, 3, 4, 18))  # end is exclusive
    assert not hours.is_open(at(2026, 3, 2, 12))  # Monday closed
    assert hours.next_change(at(2026, 3, 4, 11)) == at(2026, 3, 4, 12, 30)
    assert hours.next_change(at(2026, 3, 4, 13)) == at(2026, 3, 4, 14)


def test_overnight_window_reaches_into_next_day():
    hours = OpeningHours(museum())
    # Friday 2026-03-06 late opening 20:00-02:00 -> Saturday 01:30 still open.
    assert hours.is_open(at(2026, 3, 6, 23))
    assert hours.is_open(at(2026, 3, 7, 1, 30))
    assert not hours.is_open(at(2026, 3, 7, 2, 0))
    assert hours.next_change(at(2026, 3, 7, 1)) == at(2026, 3, 7, 2)
    # Monday closed: from Sunday evening the next change is Tuesday 10:00.
    assert hours.next_change(at(2026, 3, 8, 20)) == at(2026, 3, 10, 10)


def test_exceptions_close_a_day_and_give_special_hours():
    hours = OpeningHours(
        museum(
            exceptions=[
                {"date": "2026-12-25", "closed": True, "note": "Christmas"},
                {"date": "2026-03-02", "hours": ["18:00-23:00"], "note": "Museum night"},
            ]
        )
    )
    assert not hours.is_open(at(2026, 12, 25, 12))  # a Friday, normally open
    assert hours.is_open(at(2026, 3, 2, 19))  # a Monday, normally closed
    assert not hours.is_open(at(2026, 3, 2, 12))
    # The technician's note says why, in status, on the day itself only.
    assert hours.describe(at(2026, 12, 25, 12)) == "closed until Sat 26 Dec 10:00 (today: Christmas)"
    assert hours.describe(at(2026, 3, 2, 19)) == "open until 23:00 (today: Museum night)"
    assert hours.describe(at(2026, 3, 3, 12)) == "open until 18:00"


def test_touching_windows_are_not_a_change():
    hours = OpeningHours(museum(tue=["10:00-14:00", "14:00-18:00"]))
    assert hours.next_change(at(2026, 3, 3, 11)) == at(2026, 3, 3, 18)


def test_always_open_and_disabled_have_no_change():
    always = OpeningHours(OpeningHoursConfig(enabled=True, **{d: ["00:00-24:00"] for d in
                                                               ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}))
    assert always.is_open(at(2026, 6, 1, 3)) and always.next_change(at(2026, 6, 1, 3)) is None
    disabled = OpeningHours(OpeningHoursConfig())
    assert disabled.is_open(at(2026, 6, 1, 3)) and disabled.next_change(at(2026, 6, 1, 3)) is None


def test_dst_change_keeps_local_hours():
    hours = OpeningHours(museum(sun=["01:00-04:00", "10:00-19:00"]))
    # 2026-03-29: Paris springs forward 02:00 -> 03:00. The 10:00-19:00 window still opens at 10:00 local.
    open_at = hours.next_change(at(2026, 3, 29, 5))
    assert dt.datetime.fromtimestamp(open_at, PARIS).hour == 10
    assert dt.datetime.fromtimestamp(open_at, dt.UTC).hour == 8  # CEST = UTC+2
    # The night window 01:00-04:00 lasts only 2 real hours that night.
    start, end = at(2026, 3, 29, 1), at(2026, 3, 29, 4)
    assert end - start == 2 * 3600
    assert hours.is_open(start + 3600 * 1.5) and not hours.is_open(end)
    # Autumn: 2026-10-25 falls back; 10:00 is still 10:00 local (UTC+1 now).
    open_at = hours.next_change(at(2026, 10, 25, 5))
    assert dt.datetime.fromtimestamp(open_at, PARIS).hour == 10
    assert dt.datetime.fromtimestamp(open_at, dt.UTC).hour == 9


def test_wall_clock_jumps_are_followed_at_the_next_check():
    schedule = Schedule(museum())
    clock = FakeClock(wall_start=at(2026, 3, 3, 17))  # Tuesday 17:00, open
    assert schedule.state(clock.wall()) == "open"
    clock.jump_wall(2 * 3600)  # NTP finds we were 2 h behind: 19:00, closed
    assert schedule.state(clock.wall()) == "closed"
    clock.jump_wall(-3600)  # and back one hour: 18:00, exactly closing time
    assert schedule.state(clock.wall()) == "closed"
    clock.jump_wall(-3600)
    assert schedule.state(clock.wall()) == "open"


def test_an_override_ends_where_a_technician_expects():
    """Forced open at 17:00 for an evening event, the show went dark at the 18:00 closing;
    forced open at 18:30 it ran all night (from a Sunday evening through the closed Monday,
    38 hours). Open lasts until midnight, or the schedule's own opening if sooner; closed
    until the schedule next changes; either until a given HH:MM."""
    schedule = Schedule(museum())
    monday_noon = at(2026, 3, 2, 12)  # Monday: closed all day
    assert schedule.state(monday_noon) == "closed"
    assert schedule.override("open", monday_noon) == "open"
    assert schedule.state(at(2026, 3, 2, 23, 59)) == "open"
    assert schedule.state(at(2026, 3, 3, 0, 1)) == "closed"  # not all night
    assert schedule.status(at(2026, 3, 3, 0, 1))["override"] is None
    tuesday_evening = at(2026, 3, 3, 17)  # open until 18:00
    schedule.override("open", tuesday_evening)
    assert schedule.state(at(2026, 3, 3, 21)) == "open"  # the event goes on past closing
    assert schedule.status(at(2026, 3, 3, 21))["override_until_local"].startswith("Wed 04 Mar 00:00")
    schedule.override("open", tuesday_evening, until="23:00")
    assert schedule.state(at(2026, 3, 3, 22, 59)) == "open" and schedule.state(at(2026, 3, 3, 23, 1)) == "closed"
    early = at(2026, 3, 4, 8)  # Wednesday before the 10:00 opening: forced open only until then
    schedule.override("open", early)
    assert schedule.status(early)["override_until"] == at(2026, 3, 4, 10)
    with pytest.raises(ValueError, match="HH:MM"):
        schedule.override("open", early, until="11pm")
    schedule.override("closed", at(2026, 3, 4, 11))
    assert schedule.state(at(2026, 3, 4, 11, 5)) == "closed"
    assert schedule.override("auto", at(2026, 3, 4, 11, 5)) == "open"
    with pytest.raises(ValueError):
        schedule.override("maybe", monday_noon)


def test_an_override_without_opening_hours_ends_at_midnight():
    """"closed" sent to a show with no opening hours kept the room dark until someone sent
    "auto": there is no scheduled change to end it."""
    schedule = Schedule(OpeningHoursConfig(timezone="Europe/Paris"))
    evening = at(2026, 3, 2, 21)
    assert schedule.override("closed", evening) == "closed"
    assert schedule.status(evening)["override_until"] == at(2026, 3, 3, 0)
    assert schedule.state(at(2026, 3, 2, 23, 59)) == "closed"
    assert schedule.state(at(2026, 3, 3, 0, 1)) == "open"


def test_config_errors_name_the_fix():
    with pytest.raises(ValidationError, match="Europe/Paris"):
        OpeningHoursConfig(timezone="Paris")
    with pytest.raises(ValidationError, match="HH:MM-HH:MM"):
        OpeningHoursConfig(mon=["10h-18h"])
    with pytest.raises(ValidationError, match="extra"):
        OpeningHoursConfig(monday=["10:00-18:00"])
    with pytest.raises(ValidationError, match="never play"):
        OpeningHoursConfig(enabled=True)
    with pytest.raises(ValidationError, match="not both"):
        OpeningHoursConfig(exceptions=[{"date": "2026-01-01", "closed": True, "hours": ["10:00-12:00"]}])
    for name, field in OpeningHoursConfig.model_fields.items():
        assert field.description, name


def test_no_override_lasts_more_than_twelve_hours():
    """`open` sent at 01:00 lasted "until midnight": 23 hours."""
    schedule = Schedule(museum())
    late = at(2026, 3, 7, 1)  # Saturday 01:00
    schedule.override("open", late)
    assert schedule.status(late)["override_until"] <= late + 12 * 3600
    schedule.override("closed", late, until="00:30")  # 23.5 h away
    assert schedule.status(late)["override_until"] <= late + 12 * 3600


def test_a_museum_night_forced_open_in_the_morning_is_cut_at_the_settings_cap_and_says_so():
    """`hours open 02:00` sent at 10:00 for a museum night ended at 22:00, four hours early,
    and nothing said so: the 12 h cap was fixed in the code. It is `[hours] override_max_h`
    now (1-24 h), and status says the end the override would have had."""
    morning = at(2026, 5, 16, 10)
    schedule = Schedule(museum())
    schedule.override("open", morning, until="02:00")
    status = schedule.status(morning)
    assert status["override_until"] == at(2026, 5, 16, 22)
    assert status["override_cut_from_local"].startswith("Sun 17 May 02:00")
    assert schedule.state(at(2026, 5, 16, 22, 30)) == "closed"  # (Saturday closes at 19:00)

    longer = Schedule(museum(override_max_h=18))
    longer.override("open", morning, until="02:00")
    assert longer.state(at(2026, 5, 17, 1, 59)) == "open" and longer.state(at(2026, 5, 17, 2, 1)) == "closed"
    assert longer.status(morning)["override_cut_from_local"] is None
    longer.override("auto", morning)
    assert longer.status(morning)["override_cut_from_local"] is None
    # A long weekend's closure is no override: days go in `exceptions`, which a restart keeps.
    with pytest.raises(ValidationError, match="less than or equal to 24"):
        museum(override_max_h=72)
    with pytest.raises(ValidationError, match="greater than or equal to 1"):
        museum(override_max_h=0)


def test_a_window_ending_inside_the_spring_forward_gap_ends_at_the_jump():
    """Closing at 02:30 on the night Paris goes 02:00 -> 03:00, the show stayed open until
    03:30: 02:30 was read with the winter offset. The clock never reads 02:30 that night; the
    window ends when it jumps past it, at 03:00 CEST (01:00 UTC)."""
    schedule = Schedule(museum(sat=["20:00-02:30"]))  # Saturday 2026-03-28, into Sunday
    jump = dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC).timestamp()
    clock = FakeClock(wall_start=at(2026, 3, 29, 1, 30))  # 01:30 CET, half an hour before
    assert schedule.state(clock.wall()) == "open"
    assert schedule.hours.next_change(clock.wall()) == jump
    clock.advance(30 * 60 - 1)
    assert schedule.state(clock.wall()) == "open"
    clock.advance(1)  # the clocks jump to 03:00
    assert dt.datetime.fromtimestamp(clock.wall(), PARIS).strftime("%H:%M %Z") == "03:00 CEST"
    assert schedule.state(clock.wall()) == "closed"
    clock.advance(30 * 60)  # 03:30 CEST: the old end
    assert schedule.state(clock.wall()) == "closed"
    assert schedule.hours.describe(at(2026, 3, 29, 1, 30)) == "open until 03:00"


def test_times_inside_the_gap_start_and_end_things_at_the_jump():
    hours = OpeningHours(museum(sun=["02:30-05:00"]))  # opens inside the gap
    jump = dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC).timestamp()
    assert hours.next_change(at(2026, 3, 29, 1)) == jump
    assert not hours.is_open(jump - 1) and hours.is_open(jump)
    # An override "until 02:15" sent that night ends at the jump too, not at 03:15.
    schedule = Schedule(museum())
    schedule.override("open", at(2026, 3, 29, 1), until="02:15")
    assert schedule.status(at(2026, 3, 29, 1))["override_until"] == jump
    # The autumn's repeated hour is untouched: 02:30 is its first occurrence (CEST).
    autumn = OpeningHours(museum(sat=["20:00-02:30"]))
    end = autumn.next_change(at(2026, 10, 25, 1))
    assert dt.datetime.fromtimestamp(end, dt.UTC).strftime("%H:%M") == "00:30"


@pytest.mark.parametrize(("zone", "day", "end"), [
    ("America/New_York", dt.date(2026, 3, 8), "02:30"),  # 02:00 -> 03:00
    ("Australia/Lord_Howe", dt.date(2026, 10, 4), "02:15"),  # 02:00 -> 02:30, half an hour
    ("Europe/London", dt.date(2026, 3, 29), "01:30"),  # 01:00 -> 02:00
])
def test_the_jump_is_where_each_zone_moves_its_clocks(zone, day, end):
    tz = ZoneInfo(zone)
    config = OpeningHoursConfig(enabled=True, timezone=zone, **{("mon", "tue", "wed", "thu", "fri", "sat",
                                                                  "sun")[day.weekday()]: [f"00:00-{end}"]})
    hours = OpeningHours(config)
    closes = hours.next_change(dt.datetime.combine(day, dt.time(0, 10), tz).timestamp())
    before, after = (dt.datetime.fromtimestamp(t, tz) for t in (closes - 1, closes))
    assert before.utcoffset() != after.utcoffset()  # the moment the clocks move
    assert before.strftime("%H:%M") < end < after.strftime("%H:%M")


def first_and_second(y, mo, d, h, mi=0, zone=PARIS) -> tuple[float, float]:
    """The two moments a repeated autumn time names (summer time, then winter time)."""
    return tuple(dt.datetime(y, mo, d, h, mi, tzinfo=zone, fold=fold).timestamp() for fold in (0, 1))


def test_the_schedule_takes_the_first_of_a_repeated_autumn_time():
    """2026-10-25, Paris: 03:00 CEST falls back to 02:00 CET, so 02:00-02:59 happens twice.
    A window boundary there is its first occurrence, whichever side of the window it is."""
    hours = OpeningHours(museum(sun=["02:30-05:00", "10:00-19:00"], sat=["20:00-02:10"]))
    closes, _ = first_and_second(2026, 10, 25, 2, 10)
    opens, second_opening = first_and_second(2026, 10, 25, 2, 30)
    assert hours.next_change(at(2026, 10, 24, 23)) == closes
    assert hours.next_change(closes) == opens  # 20 minutes closed, not 80
    assert hours.is_open(opens) and hours.is_open(second_opening)  # open through the second 02:30
    # The second 02:20 comes after the first 02:30: open, though the clock reads 20 to 02:30 again.
    assert hours.is_open(first_and_second(2026, 10, 25, 2, 20)[1])


def test_an_override_until_a_repeated_time_ends_the_next_time_the_clock_reads_it():
    """Sent at the second 02:10, "until 02:30" meant the first 02:30, already past, so the
    next day's: the show stayed open to the 12-hour cap."""
    ends = first_and_second(2026, 10, 25, 2, 30)
    for sent, end in zip(first_and_second(2026, 10, 25, 2, 10), ends, strict=True):
        schedule = Schedule(museum())
        schedule.override("open", sent, until="02:30")
        status = schedule.status(sent)
        assert status["override_until"] == end and end - sent == 20 * 60
    assert status["override_until_local"] == "Sun 25 Oct 02:30 CET"


def test_status_says_which_of_a_repeated_time_a_change_falls_on():
    hours = OpeningHours(museum(sat=["20:00-02:30"]))
    assert hours.describe(first_and_second(2026, 10, 25, 2, 15)[0]) == "open until 02:30 CEST"
    assert hours.describe(at(2026, 10, 24, 21)) == "open until Sun 25 Oct 02:30 CEST"
    assert hours.describe(at(2026, 6, 6, 21)) == "open until Sun 07 Jun 02:30"  # no need on other nights
    new_york = ZoneInfo("America/New_York")  # 2026-11-01: 02:00 EDT falls back to 01:00 EST
    config = OpeningHoursConfig(enabled=True, timezone="America/New_York", sat=["20:00-01:30"])
    said = OpeningHours(config).describe(dt.datetime(2026, 11, 1, 1, 0, tzinfo=new_york).timestamp())
    assert said == "open until 01:30 EDT"
