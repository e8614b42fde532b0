"""Slash commands arrive as gateway interactions, are deferred, dispatched and answered."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from bot.discord_adapter import DiscordAdapter
from bot.render_discord import ERROR_COLOUR, OK_COLOUR
from handlers.base import Command, Reply
from tests.fakes.discord import (
    ADMIN_ROLE_ID,
    APP_ID,
    CHANNEL_ID,
    GUILD_ID,
    MEMBER_ID,
    FakeDiscord,
    Recorded,
)

MANAGE_GUILD = 1 << 5
NO_MENTIONS = {"parse": []}
EPHEMERAL = 64
FOLLOW_UP_QUERY = {"wait": "1", "with_components": "0"}


def string(name: str, value: str, **extra: Any) -> dict[str, Any]:
    return {"type": 3, "name": name, "value": value, **extra}


def subcommand(name: str, *options: dict[str, Any]) -> dict[str, Any]:
    return {"type": 1, "name": name, "options": list(options)}


def embed(description: str, colour: int = OK_COLOUR, **extra: Any) -> dict[str, Any]:
    """An embed as discord.py puts it on the wire."""
    return {"flags": 0, "color": colour, "type": "rich", "description": description, **extra}


def member_command(name: str, args: tuple[str, ...], is_admin: bool = False) -> Command:
    return Command(
        name,
        args,
        user=str(MEMBER_ID),
        channel=str(CHANNEL_ID),
        guild=str(GUILD_ID),
        platform="discord",
        is_admin=is_admin,
    )


async def run(fake: FakeDiscord, payload: dict[str, Any], follow_ups: int = 1) -> list[Recorded]:
    """Dispatch one interaction and return every request made on its behalf."""
    await fake.dispatch_interaction(payload)
    await fake.wait_for("POST", f"/webhooks/{APP_ID}/{payload['token']}", count=follow_ups)
    return [r for r in fake.requests if payload["token"] in r.path]


def callback(payload: dict[str, Any], body: dict[str, Any]) -> Recorded:
    path = f"/interactions/{payload['id']}/{payload['token']}/callback"
    return Recorded("POST", path, {"with_response": "1"}, body)


def follow_up(payload: dict[str, Any], body: dict[str, Any]) -> Recorded:
    return Recorded("POST", f"/webhooks/{APP_ID}/{payload['token']}", FOLLOW_UP_QUERY, body)


def delete_original(payload: dict[str, Any]) -> Recorded:
    return Recorded("DELETE", f"/webhooks/{APP_ID}/{payload['token']}/messages/@original", {}, None)


async def test_status_is_deferred_then_answered_with_an_embed(
    adapter: DiscordAdapter, fake: FakeDiscord, dispatched: list[Command]
) -> None:
    payload = fake.command_interaction("status", [string("place", "Qala-e-Naw")])
    assert await run(fake, payload) == [
        callback(payload, {"type": 5}),
        follow_up(
            payload,
            {
                "embeds": [embed("Held by government forces.", title="Qala-e-Naw")],
                "tts": False,
                "allowed_mentions": NO_MENTIONS,
            },
        ),
    ]
    assert dispatched == [member_command("status", ("Qala-e-Naw",))]


async def test_a_non_admin_is_refused_privately(
    adapter: DiscordAdapter, fake: FakeDiscord, dispatched: list[Command]
) -> None:
    payload = fake.command_interaction(
        "source", [subcommand("add", string("url", "https://example.org/feed"))]
    )
    assert await run(fake, payload) == [
        callback(payload, {"type": 5, "data": {"flags": EPHEMERAL}}),
        follow_up(
            payload,
            {
                "embeds": [embed("Only admins can use `source add`.", ERROR_COLOUR)],
                "tts": False,
                "flags": EPHEMERAL,
                "allowed_mentions": NO_MENTIONS,
            },
        ),
    ]
    assert dispatched == [member_command("source", ("add", "https://example.org/feed"))]


async def test_manage_server_permission_makes_an_admin(
    adapter: DiscordAdapter, fake: FakeDiscord, dispatched: list[Command]
) -> None:
    options = [subcommand("add", string("url", "https://example.org/feed"), string("every", "15m"))]
    payload = fake.command_interaction("source", options, permissions=MANAGE_GUILD)
    assert await run(fake, payload) == [
        callback(payload, {"type": 5}),
        follow_up(
            payload,
            {
                "embeds": [embed("source add https://example.org/feed --every 15m")],
                "tts": False,
                "allowed_mentions": NO_MENTIONS,
            },
        ),
    ]
    assert dispatched == [
        member_command("source", ("add", "https://example.org/feed", "--every", "15m"), True)
    ]


async def test_the_admin_role_makes_an_admin(
    adapter: DiscordAdapter, fake: FakeDiscord, dispatched: list[Command]
) -> None:
    payload = fake.command_interaction(
        "source",
        [subcommand("pause", string("url", "https://example.org/feed"))],
        roles=(ADMIN_ROLE_ID,),
    )
    requests = await run(fake, payload)
    assert requests[0] == callback(payload, {"type": 5})
    assert dispatched == [member_command("source", ("pause", "https://example.org/feed"), True)]


async def test_subscriptions_are_answered_privately(
    adapter: DiscordAdapter, fake: FakeDiscord, dispatched: list[Command]
) -> None:
    payload = fake.command_interaction("subscriptions")
    assert await run(fake, payload) == [
        callback(payload, {"type": 5, "data": {"flags": EPHEMERAL}}),
        follow_up(
            payload,
            {
                "embeds": [embed("subscriptions")],
                "tts": False,
                "flags": EPHEMERAL,
                "allowed_mentions": NO_MENTIONS,
            },
        ),
    ]


async def test_a_failing_handler_gets_a_private_apology(
    adapter: DiscordAdapter, fake: FakeDiscord
) -> None:
    payload = fake.command_interaction("search", [string("query", "Badghis")])
    apology = "Sorry, something went wrong while answering that. It has been logged."
    assert await run(fake, payload) == [
        callback(payload, {"type": 5}),
        delete_original(payload),
        follow_up(
            payload,
            {
                "embeds": [embed(apology, ERROR_COLOUR)],
                "tts": False,
                "flags": EPHEMERAL,
                "allowed_mentions": NO_MENTIONS,
            },
        ),
    ]


async def test_a_slow_answer_is_replaced_by_an_apology(
    adapter: DiscordAdapter, fake: FakeDiscord, dispatched: list[Command]
) -> None:
    payload = fake.command_interaction("brief", [string("since", "24h"), string("place", "Kunduz")])
    requests = await run(fake, payload)
    assert requests[-1] == follow_up(
        payload,
        {
            "embeds": [
                embed(
                    "Sorry, that took too long to answer. Please try again in a moment.",
                    ERROR_COLOUR,
                )
            ],
            "tts": False,
            "flags": EPHEMERAL,
            "allowed_mentions": NO_MENTIONS,
        },
    )
    assert dispatched == [member_command("brief", ("--since", "24h", "--place", "Kunduz"))]


async def test_a_dispatcher_that_raises_still_gets_an_answer(
    make_adapter: Callable[..., DiscordAdapter], fake: FakeDiscord
) -> None:
    async def broken(command: Command) -> Reply:
        raise RuntimeError("dispatcher bug")

    adapter = make_adapter(dispatch=broken)
    await adapter.start()
    try:
        await adapter.wait_ready(timeout=10)
        payload = fake.command_interaction("status", [string("place", "Kunduz")])
        requests = await run(fake, payload)
    finally:
        await adapter.stop()
    assert requests[-1].body["embeds"] == [
        embed("Sorry, something went wrong while answering that. It has been logged.", ERROR_COLOUR)
    ]


async def test_place_autocomplete_returns_at_most_25_short_choices(
    adapter: DiscordAdapter, fake: FakeDiscord
) -> None:
    payload = fake.command_interaction("status", [string("place", "Q", focused=True)], kind=4)
    await fake.dispatch_interaction(payload)
    path = f"/interactions/{payload['id']}/{payload['token']}/callback"
    [request] = await fake.wait_for("POST", path)
    names = ["Qala-e-Naw", "Qadis", "Q" + "x" * 99] + [f"Qarya {n}" for n in range(22)]
    assert request == callback(
        payload, {"type": 8, "data": {"choices": [{"name": n, "value": n} for n in names]}}
    )


async def test_autocomplete_without_a_place_source_offers_nothing(
    make_adapter: Callable[..., DiscordAdapter], fake: FakeDiscord
) -> None:
    adapter = make_adapter()
    await adapter.start()
    try:
        await adapter.wait_ready(timeout=10)
        payload = fake.command_interaction("watch", [string("place", "Ku", focused=True)], kind=4)
        await fake.dispatch_interaction(payload)
        [request] = await fake.wait_for(
            "POST", f"/interactions/{payload['id']}/{payload['token']}/callback"
        )
    finally:
        await adapter.stop()
    assert request.body == {"type": 8, "data": {"choices": []}}


async def test_two_commands_at_once_are_answered_independently(
    adapter: DiscordAdapter, fake: FakeDiscord, dispatched: list[Command]
) -> None:
    first = fake.command_interaction("status", [string("place", "Kunduz")])
    second = fake.command_interaction("status", [string("place", "Herat")])
    await asyncio.gather(fake.dispatch_interaction(first), fake.dispatch_interaction(second))
    for payload, place in ((first, "Kunduz"), (second, "Herat")):
        [request] = await fake.wait_for("POST", f"/webhooks/{APP_ID}/{payload['token']}")
        assert request.body["embeds"] == [embed("Held by government forces.", title=place)]
    assert sorted(c.args for c in dispatched) == [("Herat",), ("Kunduz",)]


async def test_options_become_the_arguments_the_handlers_read(
    adapter: DiscordAdapter, fake: FakeDiscord, dispatched: list[Command]
) -> None:
    subscribe = [
        string("cadence", "weekly"),
        string("day", "mon"),
        string("time", "09:00"),
        string("place", "Qala-e-Naw"),
        {"type": 5, "name": "quiet", "value": True},
    ]
    for name, options in [
        ("subscribe", subscribe),
        ("unsubscribe", [{"type": 5, "name": "all", "value": True}]),
        ("unsubscribe", [{"type": 4, "name": "id", "value": 3}]),
        ("help", []),
        ("source", [subcommand("list")]),
    ]:
        payload = fake.command_interaction(name, options)
        await run(fake, payload)
    assert [c.args for c in dispatched] == [
        ("weekly", "mon", "09:00", "--place", "Qala-e-Naw", "--quiet"),
        ("all",),
        ("3",),
        (),
        ("list",),
    ]
