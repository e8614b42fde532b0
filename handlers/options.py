"""Reading a command's arguments: `--flag value` options, durations and dates.

Chat users type loosely; every mistake becomes a UserError that says what was wrong and
shows the usage line, never a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from handlers.base import UserError

_DURATION = re.compile(r"(\d+)\s*(m|min|mins|minutes?|h|hrs?|hours?|d|days?|w|weeks?)", re.I)
_UNIT_MINUTES = {"m": 1, "h": 60, "d": 1440, "w": 10080}


@dataclass
class Parsed:
    positional: list[str] = field(default_factory=list)
    options: dict[str, list[str]] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    def one(self, name: str) -> str | None:
        values = self.options.get(name)
        return values[-1] if values else None

    def all(self, name: str) -> list[str]:
        return self.options.get(name, [])


def parse_options(
    args: tuple[str, ...] | list[str],
    *,
    usage: str,
    valued: set[str] = frozenset(),
    flags: set[str] = frozenset(),
) -> Parsed:
    """Split args into positionals, `--name value` options (repeatable) and bare `--flags`.

    Accepts `--name=value` too. Unknown options are a UserError naming the known ones.
    """
    parsed = Parsed()
    items = list(args)
    i = 0
    while i < len(items):
        word = items[i]
        if word.startswith("--") and len(word) > 2:
            name, eq, value = word[2:].partition("=")
            name = name.lower()
            if name in flags and not eq:
                parsed.flags.add(name)
            elif name in valued:
                if not eq:
                    if i + 1 >= len(items):
                        raise UserError(f"`--{name}` needs a value. Usage: `{usage}`")
                    i += 1
                    value = items[i]
                if not value.strip():
                    raise UserError(f"`--{name}` needs a value. Usage: `{usage}`")
                parsed.options.setdefault(name, []).append(value.strip())
            else:
                known = ", ".join(f"--{n}" for n in sorted(valued | flags)) or "none"
                raise UserError(
                    f"Unknown option `--{name[:30]}` (known: {known}). Usage: `{usage}`"
                )
        else:
            parsed.positional.append(word)
        i += 1
    return parsed


def parse_minutes(text: str, *, usage: str, low: int = 1, high: int = 10080) -> int:
    """`15m`, `2h`, `1h30m`, `1d`, `90` (minutes) -> minutes, bounded."""
    text = text.strip().lower()
    if text.isdigit():
        minutes = int(text)
    else:
        pos, minutes = 0, 0
        for match in _DURATION.finditer(text):
            if text[pos : match.start()].strip():
                break
            minutes += int(match.group(1)) * _UNIT_MINUTES[match.group(2)[0].lower()]
            pos = match.end()
        if pos == 0 or text[pos:].strip():
            raise UserError(
                f"Could not read the duration `{text[:30]}` (try 15m, 2h or 1d). Usage: `{usage}`"
            )
    if not low <= minutes <= high:
        raise UserError(f"The duration must be between {_human(low)} and {_human(high)}.")
    return minutes


def parse_since(text: str, *, now: datetime, usage: str) -> datetime:
    """`24h`, `3d`, `1w` ago, or a date `2021-07-09` (midnight UTC)."""
    text = text.strip()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return now - timedelta(minutes=parse_minutes(text, usage=usage, high=366 * 1440))
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _human(minutes: int) -> str:
    if minutes % 1440 == 0:
        return f"{minutes // 1440}d"
    if minutes % 60 == 0:
        return f"{minutes // 60}h"
    return f"{minutes}m"


def human_minutes(minutes: int) -> str:
    return _human(minutes)
