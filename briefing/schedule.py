"""When a subscription's digests fall due: pure functions of a cadence, a time and a zone.

A daily 08:00 Europe/London digest is due at 08:00 *local* time, so its UTC instant moves
by an hour at each clock change. Every due instant is computed from the wall clock of the
subscription's zone and then converted to UTC; the UTC instant (as ISO text) is the
period key that the delivery log uses to post each digest exactly once.

Clock changes: a wall time that does not exist (01:30 on a spring-forward night) falls due
at the same offset as before the change, i.e. an hour later on the new clock; a wall time
that happens twice (01:30 on a fall-back night) falls due at its first occurrence only.
"""

from __future__ import annotations

import difflib
import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

log = logging.getLogger(__name__)

CADENCES = ("daily", "weekly", "hourly")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_TIME = time(8, 0)
EXAMPLE_ZONE = "Europe/London"
_PERIODS = {"hourly": timedelta(hours=1), "daily": timedelta(days=1), "weekly": timedelta(days=7)}
_HHMM = re.compile(r"^([01]?\d|2[0-3])[:.h]([0-5]\d)$")


class ScheduleError(ValueError):
    """A cadence, time, weekday or timezone that cannot be used; the message is for people."""


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    """Lower-cased IANA name -> canonical spelling, so `europe/london` is accepted too."""
    names = {name.lower(): name for name in available_timezones()}
    names.setdefault("utc", "UTC")
    return names


def canonical_timezone(name: str) -> str:
    """The IANA spelling of `name`, or a ScheduleError that suggests the closest zone."""
    found = _zones().get(name.strip().lower())
    if found:
        return found
    raise ScheduleError(
        f"Unknown timezone '{name[:60]}'. Use an IANA name such as {closest_zone(name)}."
    )


def closest_zone(name: str) -> str:
    """The zone a typo most likely meant (`Europe/Londn`, `Kabol`), else the usual example."""
    zones = _zones()
    typed = name.strip().lower()
    match = difflib.get_close_matches(typed, list(zones), n=1, cutoff=0.75)
    if match:
        return zones[match[0]]
    cities = {key.rsplit("/", 1)[-1]: value for key, value in sorted(zones.items())}
    match = difflib.get_close_matches(typed.rsplit("/", 1)[-1], list(cities), n=1, cutoff=0.75)
    return cities[match[0]] if match else EXAMPLE_ZONE


def parse_time(text: str) -> time | None:
    """`08:00`, `8:00`, `8.30` or `18h15` -> a time; anything else -> None."""
    match = _HHMM.match(text.strip())
    return time(int(match.group(1)), int(match.group(2))) if match else None


def parse_weekday(text: str) -> int | None:
    """`mon`, `Monday`, `tue`, … -> 0..6 (Monday is 0); anything else -> None."""
    word = text.strip().lower()
    if len(word) < 3:
        return None
    for number, name in enumerate(WEEKDAYS):
        if name.startswith(word):
            return number
    return None


@dataclass(frozen=True)
class Schedule:
    """A cadence at a wall-clock time in a zone. Hourly digests use only the minute."""

    cadence: str
    at: time = DEFAULT_TIME
    timezone: str = "UTC"
    weekday: int = 0  # weekly only; Monday is 0

    def __post_init__(self) -> None:
        if self.cadence not in CADENCES:
            raise ScheduleError(f"Unknown cadence '{self.cadence}'; use daily, weekly or hourly.")
        if not 0 <= self.weekday <= 6:
            raise ScheduleError("The weekday must be Monday (0) to Sunday (6).")
        object.__setattr__(self, "timezone", canonical_timezone(self.timezone))

    @classmethod
    def stored(cls, cadence: str, at_time: str, timezone: str, weekday: int | None) -> Schedule:
        """The schedule of a stored subscription (`at_time` as HH:MM text)."""
        return cls(cadence, parse_time(at_time) or DEFAULT_TIME, timezone, weekday or 0)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def period(self) -> timedelta:
        """The nominal length of one period (a clock-change day is an hour shorter or longer)."""
        return _PERIODS[self.cadence]

    def previous(self, now: datetime) -> datetime:
        """The latest due instant at or before `now`, in UTC."""
        return max(t for t in self._candidates(now) if t <= now)

    def next(self, now: datetime) -> datetime:
        """The earliest due instant strictly after `now`, in UTC."""
        return min(t for t in self._candidates(now) if t > now)

    def between(self, start: datetime, end: datetime) -> list[datetime]:
        """Every due instant in (start, end], oldest first."""
        found, moment = [], start
        while (moment := self.next(moment)) <= end:
            found.append(moment)
        return found

    def describe(self) -> str:
        """`daily at 08:00 (Europe/London)`, `weekly on Monday at 09:00 (UTC)`, …"""
        if self.cadence == "hourly":
            return f"hourly at :{self.at.minute:02d} ({self.timezone})"
        when = f" on {WEEKDAYS[self.weekday].title()}" if self.cadence == "weekly" else ""
        return f"{self.cadence}{when} at {self.at:%H:%M} ({self.timezone})"

    def _candidates(self, now: datetime) -> list[datetime]:
        """Due instants on both sides of `now`: enough for previous() and next() to choose."""
        if now.tzinfo is None:
            raise ValueError("schedule instants need an aware datetime")
        if self.cadence == "hourly":
            return self._hourly_candidates(now)
        today = now.astimezone(self.zone).date()
        span = 8 if self.cadence == "weekly" else 2
        days = [today + timedelta(days=n) for n in range(-span, span + 1)]
        if self.cadence == "weekly":
            days = [d for d in days if d.weekday() == self.weekday]
        return [local_instant(d, self.at, self.zone) for d in days]

    def _hourly_candidates(self, now: datetime) -> list[datetime]:
        """Instants whose local minute is `at.minute`, hour by hour in UTC.

        Walking UTC hours (not local ones) keeps an hourly digest hourly through a clock
        change, and handles zones whose offset is not a whole number of hours.
        """
        top = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        found = []
        for n in range(-2, 3):
            hour = top + timedelta(hours=n)
            offset = int(hour.astimezone(self.zone).utcoffset().total_seconds() // 60)
            moment = hour + timedelta(minutes=(self.at.minute - offset) % 60)
            if moment.astimezone(self.zone).minute == self.at.minute:
                found.append(moment)
        return found


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a wall-clock time on a local day (first occurrence, gaps shift on)."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def period_key(due: datetime) -> str:
    """The delivery log's key for the period ending at `due`: its UTC instant as ISO text."""
    return due.astimezone(UTC).isoformat(timespec="seconds")


def from_key(key: str) -> datetime:
    return datetime.fromisoformat(key).astimezone(UTC)


def local_label(moment: datetime, timezone: str, *, with_day: bool = True) -> str:
    """`Tue 24 Nov 2026 08:00 GMT` in the given zone (or just `08:00` without the day)."""
    local = moment.astimezone(ZoneInfo(timezone))
    if not with_day:
        return f"{local:%H:%M}"
    return f"{local:%a} {local.day} {local:%b %Y %H:%M} {local.tzname()}"
