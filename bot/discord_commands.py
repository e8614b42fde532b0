"""Sitrep's native Discord slash commands: typed options in, a neutral argument tuple out.

Each command is a thin translation: typed options become the same argument tuple the
console would produce, so handlers never learn which platform asked. Options the handler
reads positionally stay positional; the others become `--name value` pairs in declaration
order: `/source add url:https://x every:15m` is `source add https://x --every 15m`,
`/brief since:24h place:Kunduz` is `brief --since 24h --place Kunduz`, and
`/subscribe cadence:weekly day:mon time:09:00` is `subscribe weekly mon 09:00`.
What happens to the tuple next (defer, dispatch, follow up) is `bot.discord_respond`.
"""

from __future__ import annotations

import asyncio
import logging
import zoneinfo
from collections.abc import Awaitable, Callable, Iterable
from functools import lru_cache

import discord
from discord import app_commands

log = logging.getLogger(__name__)

Interaction = discord.Interaction
Choices = list[app_commands.Choice[str]]
CompletePlaces = Callable[[str], Awaitable[list[str]]]
Respond = Callable[[Interaction, str, tuple[str, ...]], Awaitable[None]]

MAX_CHOICES = 25
CHOICE_LIMIT = 100
AUTOCOMPLETE_SECONDS = 2.0  # Discord drops autocomplete answers after 3 s


def flags(**options: object) -> tuple[str, ...]:
    """Optional options as `--name value` pairs, skipping the ones left empty."""
    args: list[str] = []
    for name, value in options.items():
        if value is not None and value != "":
            args += [f"--{name}", str(value)]
    return tuple(args)


def place_completer(
    complete_places: CompletePlaces | None,
) -> Callable[[Interaction, str], Awaitable[Choices]]:
    """Autocomplete for place options: at most 25 names, each cut to Discord's 100 characters."""

    async def complete(interaction: Interaction, current: str) -> Choices:
        if complete_places is None:
            return []
        try:
            names = await asyncio.wait_for(complete_places(current), timeout=AUTOCOMPLETE_SECONDS)
        except Exception:
            log.warning("place autocomplete failed for %r", current[:50], exc_info=True)
            return []
        return _choices(names)

    return complete


async def complete_timezone(interaction: Interaction, current: str) -> Choices:
    """IANA zone names containing what was typed, so /subscribe gets a zone the scheduler knows."""
    needle = current.strip().casefold()
    return _choices(zone for zone in _timezones() if needle in zone.casefold())


def _choices(names: Iterable[str]) -> Choices:
    seen: dict[str, None] = {}
    for name in names:
        name = (name or "").strip()[:CHOICE_LIMIT]
        if name:
            seen.setdefault(name)
        if len(seen) >= MAX_CHOICES:
            break
    return [app_commands.Choice(name=name, value=name) for name in seen]


@lru_cache(maxsize=1)
def _timezones() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


Place = app_commands.Range[str, 1, 100]
Url = app_commands.Range[str, 8, 2000]
Query = app_commands.Range[str, 1, 200]
Topic = app_commands.Range[str, 1, 40]
SubscriptionId = app_commands.Range[int, 1]
CADENCES = [app_commands.Choice(name=c, value=c) for c in ("daily", "weekly", "hourly")]
WEEKDAYS = [
    app_commands.Choice(name=d, value=d[:3].lower())
    for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
]


def build_command_tree(
    client: discord.Client, respond: Respond, complete_places: CompletePlaces | None = None
) -> app_commands.CommandTree:
    """Declare every command on a fresh tree for `client`; syncing is the adapter's job."""
    tree = app_commands.CommandTree(client)
    places = place_completer(complete_places)

    @tree.command(name="status", description="What is known about a place, with sources")
    @app_commands.describe(place="Town, district or province, e.g. Qala-e-Naw")
    @app_commands.autocomplete(place=places)
    async def status(interaction: Interaction, place: Place) -> None:
        await respond(interaction, "status", (place,))

    @tree.command(name="brief", description="A briefing of recent news")
    @app_commands.describe(since="How far back, e.g. 24h or 3d", place="Only news about this place")
    @app_commands.autocomplete(place=places)
    async def brief(
        interaction: Interaction, since: str | None = None, place: Place | None = None
    ) -> None:
        await respond(interaction, "brief", flags(since=since, place=place))

    @tree.command(name="search", description="Search the stored articles")
    @app_commands.describe(query="Words to look for")
    async def search(interaction: Interaction, query: Query) -> None:
        await respond(interaction, "search", (query,))

    @tree.command(name="subscribe", description="Post a briefing to this channel on a schedule")
    @app_commands.describe(
        cadence="How often (default daily)",
        day="Day of the week, for weekly",
        time="Local time of day, HH:MM",
        timezone="e.g. Asia/Kabul (default: the server's)",
        place="Only news about this place",
        keyword="Only news mentioning this word",
        quiet="Post nothing for a period with no news",
    )
    @app_commands.choices(cadence=CADENCES, day=WEEKDAYS)
    @app_commands.autocomplete(place=places, timezone=complete_timezone)
    async def subscribe(
        interaction: Interaction,
        cadence: str | None = None,
        day: str | None = None,
        time: str | None = None,
        timezone: str | None = None,
        place: Place | None = None,
        keyword: str | None = None,
        quiet: bool = False,
    ) -> None:
        when = tuple(word for word in (cadence, day, time, timezone) if word)
        options = flags(place=place, keyword=keyword) + (("--quiet",) if quiet else ())
        await respond(interaction, "subscribe", when + options)

    @tree.command(name="unsubscribe", description="Stop a scheduled briefing in this channel")
    @app_commands.describe(
        id="Subscription number from /subscriptions", everything="Stop all of them"
    )
    @app_commands.rename(everything="all")
    async def unsubscribe(
        interaction: Interaction, id: SubscriptionId | None = None, everything: bool = False
    ) -> None:
        which = ("all",) if everything else () if id is None else (str(id),)
        await respond(interaction, "unsubscribe", which)

    @tree.command(name="subscriptions", description="The scheduled briefings of this channel")
    async def subscriptions(interaction: Interaction) -> None:
        await respond(interaction, "subscriptions", ())

    @tree.command(name="watch", description="Alert this channel when news mentions a place")
    @app_commands.describe(place="Town, district or province")
    @app_commands.autocomplete(place=places)
    async def watch(interaction: Interaction, place: Place) -> None:
        await respond(interaction, "watch", (place,))

    @tree.command(name="unwatch", description="Stop alerts about a place")
    @app_commands.describe(place="Town, district or province")
    async def unwatch(interaction: Interaction, place: Place) -> None:
        await respond(interaction, "unwatch", (place,))

    @tree.command(name="help", description="What Sitrep can do")
    @app_commands.describe(command="A command to explain, e.g. status")
    async def help_(interaction: Interaction, command: Topic | None = None) -> None:
        await respond(interaction, "help", () if command is None else (command,))

    tree.add_command(_source_group(respond))
    return tree


URL_SUBCOMMANDS = {
    "remove": "Stop reading a source (admins)",
    "import": "Add every feed of an OPML file at a URL (admins)",
    "test": "Fetch a source once and show what was found (admins)",
    "pause": "Stop polling a source for now (admins)",
    "resume": "Poll a paused source again (admins)",
}


def _source_group(respond: Respond) -> app_commands.Group:
    source = app_commands.Group(name="source", description="The feeds and pages Sitrep reads")

    @source.command(name="add", description="Start reading a feed or page (admins)")
    @app_commands.describe(
        url="RSS/Atom feed or web page", every="How often to check, e.g. 15m", name="A label"
    )
    async def add(
        interaction: Interaction, url: Url, every: str | None = None, name: str | None = None
    ) -> None:
        await respond(interaction, "source", ("add", url, *flags(every=every, name=name)))

    @source.command(name="list", description="The sources Sitrep reads")
    async def list_(interaction: Interaction) -> None:
        await respond(interaction, "source", ("list",))

    @source.command(name="export", description="All sources as an OPML file's text")
    async def export(interaction: Interaction) -> None:
        await respond(interaction, "source", ("export",))

    for action, description in URL_SUBCOMMANDS.items():
        _url_subcommand(source, respond, action, description)
    return source


def _url_subcommand(
    group: app_commands.Group, respond: Respond, action: str, description: str
) -> None:
    """`/source ACTION url`, for the subcommands that take nothing but the source's URL."""

    @group.command(name=action, description=description)
    @app_commands.describe(url="The source's URL")
    async def run(interaction: Interaction, url: Url) -> None:
        await respond(interaction, "source", (action, url))
