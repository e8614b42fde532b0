"""Logging in, connecting over the gateway and registering the slash commands."""

from __future__ import annotations

from collections.abc import Callable

import discord
import pytest

from bot.discord_adapter import (
    TOKEN_REJECTED,
    DiscordAdapter,
    DiscordStartupError,
    fetch_application_id,
    invite_url,
)
from bot.settings import load_settings
from tests.fakes.discord import APP_ID, GUILD_ID, FakeDiscord, Recorded

COMMAND_SHAPE = {
    "status": [("place", 3, True)],
    "brief": [("since", 3, False), ("place", 3, False)],
    "search": [("query", 3, True)],
    "subscribe": [
        ("cadence", 3, False),
        ("day", 3, False),
        ("time", 3, False),
        ("timezone", 3, False),
        ("place", 3, False),
        ("keyword", 3, False),
        ("quiet", 5, False),
    ],
    "unsubscribe": [("id", 4, False), ("all", 5, False)],
    "subscriptions": [],
    "watch": [("place", 3, True)],
    "unwatch": [("place", 3, True)],
    "help": [("command", 3, False)],
    "source": [
        ("add", 1, False),
        ("list", 1, False),
        ("export", 1, False),
        ("remove", 1, False),
        ("import", 1, False),
        ("test", 1, False),
        ("pause", 1, False),
        ("resume", 1, False),
    ],
}
SOURCE_SUBCOMMANDS = {
    "add": [("url", 3, True), ("every", 3, False), ("name", 3, False)],
    "list": [],
    "export": [],
    "remove": [("url", 3, True)],
    "import": [("url", 3, True)],
    "test": [("url", 3, True)],
    "pause": [("url", 3, True)],
    "resume": [("url", 3, True)],
}


def shape(options: list[dict]) -> list[tuple[str, int, bool]]:
    return [(o["name"], o["type"], o.get("required", False)) for o in options]


async def test_connects_and_syncs_commands_to_the_guild(
    adapter: DiscordAdapter, fake: FakeDiscord
) -> None:
    assert (
        fake.identify is not None
        and fake.identify["intents"] == discord.Intents(guilds=True).value == 1
    )
    assert discord.http.Route.BASE == fake.api_url
    assert [(r.method, r.path) for r in fake.requests] == [
        ("GET", "/users/@me"),
        ("GET", "/oauth2/applications/@me"),
        ("PUT", f"/applications/{APP_ID}/guilds/{GUILD_ID}/commands"),
    ]
    commands = fake.requests[2].body
    assert {c["name"]: shape(c["options"]) for c in commands} == COMMAND_SHAPE
    source = next(c for c in commands if c["name"] == "source")
    assert {sub["name"]: shape(sub["options"]) for sub in source["options"]} == SOURCE_SUBCOMMANDS
    assert all(c["description"] and len(c["description"]) <= 100 for c in commands)


async def test_without_a_guild_id_commands_sync_globally(
    make_adapter: Callable[..., DiscordAdapter], fake: FakeDiscord
) -> None:
    adapter = make_adapter(guild_id=None)
    await adapter.start()
    try:
        await adapter.wait_ready(timeout=10)
    finally:
        await adapter.stop()
    assert [(r.method, r.path) for r in fake.requests if r.method == "PUT"] == [
        ("PUT", f"/applications/{APP_ID}/commands")
    ]


async def test_a_wrong_token_is_reported_plainly(
    make_adapter: Callable[..., DiscordAdapter], fake: FakeDiscord
) -> None:
    adapter = make_adapter(token="not-the-token")
    with pytest.raises(DiscordStartupError) as raised:
        await adapter.start()
    assert str(raised.value) == TOKEN_REJECTED
    assert (
        str(raised.value)
        == "Discord rejected DISCORD_TOKEN (401 Unauthorized); check the token in .env"
    )
    assert raised.value.__cause__ is None and raised.value.__suppress_context__
    assert fake.requests == [Recorded("GET", "/users/@me", {}, None)]


async def test_an_unreachable_discord_is_a_startup_error(
    make_adapter: Callable[..., DiscordAdapter], fake: FakeDiscord
) -> None:
    adapter = make_adapter()
    await fake.close()
    with pytest.raises(DiscordStartupError) as raised:
        await adapter.start()
    assert str(raised.value).startswith(f"Could not log in to Discord at {fake.api_url}: ")


def test_invite_url_asks_for_exactly_the_permissions_sitrep_uses() -> None:
    permissions = 1024 + 2048 + 16384 + 65536 + (1 << 38)  # view, send, embed, history, threads
    assert invite_url(APP_ID) == (
        f"https://discord.com/oauth2/authorize?client_id={APP_ID}"
        f"&scope=bot+applications.commands&permissions={permissions}"
    )


async def test_the_application_id_comes_from_settings_or_from_discord(fake: FakeDiscord) -> None:
    common = {"SITREP_DISCORD_API_URL": fake.api_url, "_env_file": None}
    asked = load_settings(DISCORD_TOKEN=fake.token, **common)
    configured = load_settings(DISCORD_TOKEN=fake.token, DISCORD_APPLICATION_ID=42, **common)
    assert await fetch_application_id(asked) == APP_ID
    assert await fetch_application_id(configured) == 42
    assert [(r.method, r.path) for r in fake.requests] == [
        ("GET", "/users/@me"),
        ("GET", "/oauth2/applications/@me"),
    ]


async def test_fetching_the_application_id_with_a_wrong_token_is_a_startup_error(
    fake: FakeDiscord,
) -> None:
    settings = load_settings(
        DISCORD_TOKEN="wrong", SITREP_DISCORD_API_URL=fake.api_url, _env_file=None
    )
    with pytest.raises(DiscordStartupError, match="^Discord rejected DISCORD_TOKEN"):
        await fetch_application_id(settings)
