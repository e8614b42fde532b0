"""Due instants: wall-clock times in a zone, through clock changes, as UTC instants."""

from __future__ import annotations

from datetime import time

import pytest

from briefing.schedule import (
    Schedule,
    ScheduleError,
    canonical_timezone,
    from_key,
    local_label,
    parse_time,
    parse_weekday,
    period_key,
)
from tests.schedule.conftest import at


def labels(schedule: Schedule, instants: list) -> list[str]:
    return [local_label(t, schedule.timezone) for t in instants]


def test_daily_london_stays_at_eight_local_across_the_march_change():
    daily = Schedule("daily", time(8, 0), "Europe/London")
    instants = daily.between(at("2026-03-27 12:00"), at("2026-03-31 12:00"))
    assert instants == [at("2026-03-28 08:00"), at("2026-03-29 07:00"), at("2026-03-30 07:00"),
                        at("2026-03-31 07:00")]
    assert labels(daily, instants) == [
        "Sat 28 Mar 2026 08:00 GMT", "Sun 29 Mar 2026 08:00 BST", "Mon 30 Mar 2026 08:00 BST",
        "Tue 31 Mar 2026 08:00 BST",
    ]


def test_daily_london_stays_at_eight_local_across_the_october_change():
    daily = Schedule("daily", time(8, 0), "Europe/London")
    instants = daily.between(at("2026-10-23 12:00"), at("2026-10-27 12:00"))
    assert instants == [at("2026-10-24 07:00"), at("2026-10-25 08:00"), at("2026-10-26 08:00"),
                        at("2026-10-27 08:00")]
    assert labels(daily, instants) == [
        "Sat 24 Oct 2026 08:00 BST", "Sun 25 Oct 2026 08:00 GMT", "Mon 26 Oct 2026 08:00 GMT",
        "Tue 27 Oct 2026 08:00 GMT",
    ]


def test_a_time_skipped_by_the_clock_change_falls_due_an_hour_later_on_the_new_clock():
    nightly = Schedule("daily", time(1, 30), "Europe/London")
    instants = nightly.between(at("2026-03-28 00:00"), at("2026-03-30 12:00"))
    assert labels(nightly, instants) == [
        "Sat 28 Mar 2026 01:30 GMT", "Sun 29 Mar 2026 02:30 BST", "Mon 30 Mar 2026 01:30 BST",
    ]


def test_a_time_that_happens_twice_falls_due_once_at_its_first_occurrence():
    nightly = Schedule("daily", time(1, 30), "Europe/London")
    instants = nightly.between(at("2026-10-24 12:00"), at("2026-10-26 12:00"))
    assert instants == [at("2026-10-25 00:30"), at("2026-10-26 01:30")]


def test_previous_and_next_around_a_due_instant():
    daily = Schedule("daily", time(8, 0), "Europe/Berlin")
    assert daily.previous(at("2026-11-24 07:00")) == at("2026-11-24 07:00")
    assert daily.next(at("2026-11-24 07:00")) == at("2026-11-25 07:00")
    assert daily.previous(at("2026-11-24 06:59")) == at("2026-11-23 07:00")


def test_weekly_on_the_chosen_day_at_local_time_across_the_us_change():
    weekly = Schedule("weekly", time(9, 0), "America/New_York", weekday=0)
    instants = weekly.between(at("2026-10-20 00:00"), at("2026-11-10 00:00"))
    assert instants == [at("2026-10-26 13:00"), at("2026-11-02 14:00"), at("2026-11-09 14:00")]
    assert labels(weekly, instants) == [
        "Mon 26 Oct 2026 09:00 EDT", "Mon 2 Nov 2026 09:00 EST", "Mon 9 Nov 2026 09:00 EST",
    ]
    assert weekly.previous(at("2026-11-05 00:00")) == at("2026-11-02 14:00")


def test_hourly_uses_the_local_minute_even_with_a_half_hour_offset():
    hourly = Schedule("hourly", time(8, 15), "Asia/Kolkata")
    assert hourly.between(at("2026-03-01 00:00"), at("2026-03-01 03:00")) == [
        at("2026-03-01 00:45"), at("2026-03-01 01:45"), at("2026-03-01 02:45"),
    ]


def test_hourly_keeps_every_hour_through_the_october_night():
    hourly = Schedule("hourly", time(0, 0), "Europe/London")
    instants = hourly.between(at("2026-10-24 23:00"), at("2026-10-25 02:00"))
    assert labels(hourly, instants) == [
        "Sun 25 Oct 2026 01:00 BST", "Sun 25 Oct 2026 01:00 GMT", "Sun 25 Oct 2026 02:00 GMT",
    ]


def test_describe():
    assert Schedule("daily", time(8, 0), "Europe/London").describe() == \
        "daily at 08:00 (Europe/London)"
    assert Schedule("weekly", time(9, 30), "UTC", weekday=4).describe() == \
        "weekly on Friday at 09:30 (UTC)"
    assert Schedule("hourly", time(8, 5), "UTC").describe() == "hourly at :05 (UTC)"


def test_period_keys_are_utc_iso_and_read_back():
    key = period_key(at("2026-03-29 07:00"))
    assert key == "2026-03-29T07:00:00+00:00"
    assert from_key(key) == at("2026-03-29 07:00")


def test_timezones_are_validated_and_spelled_canonically():
    assert canonical_timezone("europe/london") == "Europe/London"
    assert canonical_timezone("UTC") == "UTC"
    with pytest.raises(ScheduleError) as typo:
        canonical_timezone("Europe/Londn")
    assert str(typo.value) == "Unknown timezone 'Europe/Londn'. Use an IANA name such as " \
        "Europe/London."
    with pytest.raises(ScheduleError) as city:
        canonical_timezone("Asia/Kabol")
    assert str(city.value) == "Unknown timezone 'Asia/Kabol'. Use an IANA name such as Asia/Kabul."
    with pytest.raises(ScheduleError) as nonsense:
        canonical_timezone("../../etc/passwd")
    assert str(nonsense.value) == "Unknown timezone '../../etc/passwd'. Use an IANA name such " \
        "as Europe/London."


def test_times_and_weekdays():
    assert [parse_time(t) for t in ("08:00", "8:05", "18h15", "23.59", "24:00", "8am", "8")] == [
        time(8, 0), time(8, 5), time(18, 15), time(23, 59), None, None, None]
    assert [parse_weekday(d) for d in ("mon", "Tuesday", "SUN", "mo", "monk")] == [
        0, 1, 6, None, None]


def test_a_bad_cadence_is_refused():
    with pytest.raises(ScheduleError):
        Schedule("fortnightly")
