"""Scheduled digests and place watches for a channel: `subscribe`, `unsubscribe`,
`subscriptions`, `watch` and `unwatch`.

The commands only read what was typed, check it and store it, then tell the scheduler that
something changed. When digests fall due is `briefing.schedule`'s business; posting them,
once, is `bot.digests`'.
"""

from __future__ import annotations

import asyncio
import difflib
import logging
import re
from datetime import datetime, time
from typing import Any

from briefing.models import Place
from briefing.schedule import (
    CADENCES,
    DEFAULT_TIME,
    WEEKDAYS,
    Schedule,
    ScheduleError,
    canonical_timezone,
    from_key,
    local_label,
    parse_time,
    parse_weekday,
)
from handlers.base import Command, Field, Reply, UserError
from handlers.options import parse_options
from handlers.registry import Spec
from handlers.services import Services
from storage.subscriptions import Subscription

log = logging.getLogger(__name__)

SUBSCRIBE_USAGE = (
    "subscribe [daily|weekly [DAY]|hourly] [HH:MM] [TIMEZONE] [--place PLACE]… "
    "[--keyword WORD]… [--quiet]  ·  subscribe --server-timezone ZONE"
)
UNSUBSCRIBE_USAGE = "unsubscribe [ID|all]"
WATCH_USAGE = "watch PLACE"
UNWATCH_USAGE = "unwatch PLACE"
MAX_PER_CHANNEL = 10
MAX_FILTERS = 10
MAX_WATCHES = 25
_TIMEISH = re.compile(r"^\d{1,2}([:.h]\d{1,2})?\s*(am|pm)?$", re.I)


def _place_label(place: Place) -> str:
    where = ", ".join(p for p in (place.admin1, place.country) if p and p != place.name)
    return f"{place.name} ({where})" if where else place.name


async def resolve_place(services: Services, name: str) -> Place:
    """A gazetteer place for a typed name; an unknown name is a UserError with suggestions."""
    if services.gazetteer is None:
        raise UserError("Places cannot be looked up: the gazetteer is not loaded.")
    found = await asyncio.to_thread(services.gazetteer.resolve, name)
    if found.place is None:
        names = [getattr(s, "name", s) for s in found.suggestions][:3]
        hint = f" Did you mean {', '.join(names)}?" if names else ""
        raise UserError(f"Unknown place `{name[:60]}`.{hint}")
    return found.place


def server_timezone(services: Services, command: Command) -> str:
    """The zone set for this server or workspace, else the bot's default, else UTC."""
    chosen = services.db.subscriptions.guild_timezone(command.platform, command.guild)
    return chosen or services.default_timezone or "UTC"


def schedule_for(sub: Subscription) -> Schedule:
    return Schedule.stored(sub.cadence, sub.at_time, sub.timezone, sub.weekday)


def _read_when(words: list[str]) -> tuple[str | None, time | None, int | None, str | None]:
    """Cadence, time, weekday and zone from the positional words, in any order."""
    cadence = at = weekday = zone = None
    for word in words:
        low = word.lower()
        if low in CADENCES:
            if cadence and cadence != low:
                raise UserError(f"Choose one cadence. Usage: `{SUBSCRIBE_USAGE}`")
            cadence = low
        elif (clock := parse_time(word)) is not None:
            at = clock
        elif _TIMEISH.match(word):
            raise UserError(
                f"Could not read the time `{word[:20]}`: use 24-hour HH:MM, such as 08:00."
            )
        elif (day := parse_weekday(word)) is not None:
            weekday = day
        elif zone is None:
            try:
                zone = canonical_timezone(word)
            except ScheduleError as exc:
                close = difflib.get_close_matches(low, [*CADENCES, *WEEKDAYS], n=1, cutoff=0.7)
                if close and "/" not in word:
                    raise UserError(
                        f"Unexpected `{word[:30]}`: did you mean `{close[0]}`? "
                        f"Usage: `{SUBSCRIBE_USAGE}`"
                    ) from None
                raise UserError(str(exc)) from None
        else:
            raise UserError(f"Unexpected `{word[:30]}`. Usage: `{SUBSCRIBE_USAGE}`")
    return cadence, at, weekday, zone


def _describe(sub: Subscription, now: datetime) -> dict[str, Any]:
    schedule = schedule_for(sub)
    return {
        "id": sub.id,
        "schedule": schedule.describe(),
        "cadence": sub.cadence,
        "at": sub.at_time,
        "weekday": sub.weekday,
        "timezone": sub.timezone,
        "places": list(sub.place_names),
        "keywords": list(sub.keywords),
        "quiet": not sub.post_empty,
        "next": schedule.next(now).isoformat(),
    }


def filter_lines(sub: Subscription) -> list[str]:
    lines = []
    if sub.place_names:
        lines.append("Places: " + ", ".join(sub.place_names))
    if sub.keywords:
        lines.append("Keywords: " + ", ".join(sub.keywords))
    return lines


async def subscribe(command: Command, services: Services) -> Reply:
    parsed = parse_options(
        command.args,
        usage=SUBSCRIBE_USAGE,
        valued={"place", "keyword", "server-timezone"},
        flags={"quiet"},
    )
    if parsed.one("server-timezone"):
        if parsed.positional or len(parsed.options) > 1 or parsed.flags:
            raise UserError(
                "`--server-timezone` goes on its own: `subscribe --server-timezone ZONE`."
            )
        return _set_server_timezone(command, services, parsed.one("server-timezone") or "")
    cadence, at, weekday, zone = _read_when(parsed.positional)
    if weekday is not None and cadence not in (None, "weekly"):
        raise UserError("A weekday goes with `weekly`, as in `subscribe weekly mon 09:00`.")
    cadence = cadence or ("weekly" if weekday is not None else "daily")
    names, keywords = parsed.all("place"), parsed.all("keyword")
    if len(names) > MAX_FILTERS or len(keywords) > MAX_FILTERS:
        raise UserError(f"At most {MAX_FILTERS} places and {MAX_FILTERS} keywords.")
    if any(len(k) > 60 for k in keywords):
        raise UserError("A keyword can be at most 60 characters long.")
    schedule = Schedule(
        cadence,
        at or DEFAULT_TIME,
        zone or server_timezone(services, command),
        weekday if cadence == "weekly" else 0,
    )
    found = [await resolve_place(services, name) for name in names]
    places = list({place.id: place for place in found}.values())
    store, now = services.db.subscriptions, services.now()
    existing = store.for_channel(command.platform, command.channel)
    if len(existing) >= MAX_PER_CHANNEL:
        raise UserError(
            f"This channel already has {MAX_PER_CHANNEL} subscriptions; `unsubscribe ID` one first."
        )
    for sub in existing:
        if (
            schedule_for(sub) == schedule
            and set(sub.places) == {p.id for p in places}
            and sorted(sub.keywords) == sorted(keywords)
        ):
            raise UserError(f"This channel already has that subscription (#{sub.id}).")
    sub = store.add(
        platform=command.platform,
        channel=command.channel,
        guild=command.guild,
        cadence=cadence,
        at_time=f"{schedule.at:%H:%M}",
        weekday=schedule.weekday if cadence == "weekly" else None,
        timezone=schedule.timezone,
        places=[(p.id, p.name) for p in places],
        keywords=keywords,
        post_empty="quiet" not in parsed.flags,
        created_by=command.user,
        now=now,
    )
    services.schedule_changed()
    lines = [f"Subscription #{sub.id}: {schedule.describe()}.", *filter_lines(sub)]
    lines.append(
        "Quiet: nothing is posted for a period with no news."
        if not sub.post_empty
        else "A period with no news gets a one-line “nothing new” (`--quiet` skips those)."
    )
    lines.append(f"Next delivery: {local_label(schedule.next(now), schedule.timezone)}.")
    return Reply(
        title="Subscribed", text="\n".join(lines), data={"subscription": _describe(sub, now)}
    )


def _set_server_timezone(command: Command, services: Services, name: str) -> Reply:
    try:
        zone = canonical_timezone(name)
    except ScheduleError as exc:
        raise UserError(str(exc)) from None
    services.db.subscriptions.set_guild_timezone(command.platform, command.guild, zone)
    return Reply(
        title="Server timezone set",
        text=f"New subscriptions here use {zone} unless they name another zone. "
        "Existing subscriptions keep their own.",
        data={"timezone": zone},
    )


async def unsubscribe(command: Command, services: Services) -> Reply:
    store = services.db.subscriptions
    subs = store.for_channel(command.platform, command.channel)
    word = command.text.lstrip("#").lower()
    ids = ", ".join(f"#{s.id}" for s in subs)
    if not subs:
        raise UserError("This channel has no subscriptions.")
    if word == "all" or (not word and len(subs) == 1):
        targets = subs
    elif not word:
        raise UserError(f"Which one? `unsubscribe ID` or `unsubscribe all` (here: {ids}).")
    elif word.isdigit() and any(s.id == int(word) for s in subs):
        targets = [s for s in subs if s.id == int(word)]
    elif word.isdigit():
        raise UserError(f"No subscription #{word} in this channel (here: {ids}).")
    else:
        raise UserError(f"Usage: `{UNSUBSCRIBE_USAGE}` (here: {ids}).")
    store.remove(s.id for s in targets)
    services.schedule_changed()
    removed = ", ".join(f"#{s.id}" for s in targets)
    return Reply(
        title="Unsubscribed",
        text=f"Removed subscription {removed}.",
        data={"removed": [s.id for s in targets]},
    )


async def subscriptions(command: Command, services: Services) -> Reply:
    store, now = services.db.subscriptions, services.now()
    subs = store.for_channel(command.platform, command.channel)
    watches = store.watches(command.platform, command.channel)
    zone = server_timezone(services, command)
    data = {
        "subscriptions": [_describe(s, now) for s in subs],
        "timezone": zone,
        "watches": [w.place_name for w in watches],
    }
    if not subs and not watches:
        return Reply(
            text=f"No subscriptions or watches in this channel. `subscribe` sets up a "
            f"daily briefing at 08:00 ({zone}).",
            data=data,
        )
    fields = []
    for sub in subs:
        schedule = schedule_for(sub)
        lines = filter_lines(sub)
        if not sub.post_empty:
            lines.append("Quiet when there is no news")
        lines.append(f"Next: {local_label(schedule.next(now), sub.timezone)}")
        last = store.deliveries.recent(sub.id, limit=1)
        if last:
            period = local_label(from_key(last[0].key), sub.timezone)
            lines.append(f"Last: {last[0].status} ({period})")
        fields.append(Field(f"#{sub.id} · {schedule.describe()}", "\n".join(lines)))
    if watches:
        names = ", ".join(w.place_name or str(w.place_id) for w in watches)
        fields.append(Field("Watching", names))
    return Reply(
        title="Subscriptions in this channel",
        text=f"Server timezone: {zone}.",
        fields=fields,
        data=data,
    )


async def watch(command: Command, services: Services) -> Reply:
    name = command.text.strip("\"'“” ")
    if not name:
        raise UserError(f"Which place? Usage: `{WATCH_USAGE}`")
    place = await resolve_place(services, name)
    store = services.db.subscriptions
    if len(store.watches(command.platform, command.channel)) >= MAX_WATCHES:
        raise UserError(f"This channel already watches {MAX_WATCHES} places; `unwatch` one first.")
    found, created = store.add_watch(
        platform=command.platform,
        channel=command.channel,
        place_id=place.id,
        place_name=place.name,
        created_by=command.user,
        now=services.now(),
    )
    data = {"watch": found.id, "place": place.name, "place_id": place.id, "created": created}
    if not created:
        return Reply(text=f"This channel already watches {place.name}.", data=data)
    services.schedule_changed()
    return Reply(
        title="Watching",
        data=data,
        text=f"Watching **{_place_label(place)}**: new control claims and casualty "
        "reports about it are posted here as soon as they are read.",
    )


async def unwatch(command: Command, services: Services) -> Reply:
    name = command.text.strip("\"'“” ")
    if not name:
        raise UserError(f"Which place? Usage: `{UNWATCH_USAGE}`")
    store = services.db.subscriptions
    watches = store.watches(command.platform, command.channel)
    match = [w for w in watches if (w.place_name or "").casefold() == name.casefold()]
    if not match and services.gazetteer is not None:
        found = await asyncio.to_thread(services.gazetteer.resolve, name)
        if found.place is not None:
            match = [w for w in watches if w.place_id == found.place.id]
    if not match:
        here = ", ".join(w.place_name or str(w.place_id) for w in watches)
        raise UserError(
            f"This channel is not watching `{name[:60]}`."
            + (f" It watches: {here}." if here else "")
        )
    store.remove_watch(match[0].id)
    services.schedule_changed()
    return Reply(
        title="Stopped watching",
        text=f"No more alerts here about {match[0].place_name}.",
        data={"removed": match[0].place_name},
    )


SPECS = [
    Spec(
        name="subscribe",
        summary="Post a scheduled briefing in this channel (admins only).",
        usage=SUBSCRIBE_USAGE,
        handler=subscribe,
        admin=True,
        details="Defaults: daily at 08:00 in the server's timezone (else the bot's, else UTC). "
        "Times are local wall-clock times and follow daylight saving. `weekly` takes a day "
        "(`weekly mon 09:00`); `hourly` uses only the minute. `--place` and `--keyword` narrow "
        "the stories; `--quiet` posts nothing for a period without news. "
        "`subscribe --server-timezone Europe/Berlin` sets the server's default zone.",
    ),
    Spec(
        name="unsubscribe",
        summary="Stop a scheduled briefing in this channel (admins only).",
        usage=UNSUBSCRIBE_USAGE,
        handler=unsubscribe,
        admin=True,
        details="`subscriptions` shows the IDs. Only this channel's subscriptions can be removed.",
    ),
    Spec(
        name="subscriptions",
        summary="List this channel's scheduled briefings and watches.",
        usage="subscriptions",
        handler=subscriptions,
        details="Shows each subscription's schedule, filters and next delivery time.",
    ),
    Spec(
        name="watch",
        summary="Alert this channel when a place changes hands (admins only).",
        usage=WATCH_USAGE,
        handler=watch,
        admin=True,
        details="Posts here as soon as a new control claim or casualty report about the place "
        "is read: at most one post per place per poll.",
    ),
    Spec(
        name="unwatch",
        summary="Stop alerts about a place in this channel (admins only).",
        usage=UNWATCH_USAGE,
        handler=unwatch,
        admin=True,
    ),
]
