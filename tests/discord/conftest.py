"""Fixtures that run the real discord.py client against the fake Discord in tests/fakes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import discord
import pytest

from bot.discord_adapter import DiscordAdapter
from bot.discord_respond import needs_admin_from
from bot.settings import load_settings
from handlers.base import Command, Reply
from handlers.registry import Registry, Spec
from tests.fakes.discord import ADMIN_ROLE_NAME, GUILD_ID, FakeDiscord

ADMIN_SUBCOMMANDS = frozenset({"add", "remove", "test", "pause", "resume"})


async def _status(command: Command, services: object) -> Reply:
    return Reply(title=command.text, text="Held by government forces.")


async def _echo(command: Command, services: object) -> Reply:
    return Reply(text=f"{command.name} {' '.join(command.args)}".strip())


async def _boom(command: Command, services: object) -> Reply:
    raise RuntimeError("handler bug")


async def _slow(command: Command, services: object) -> Reply:
    await asyncio.sleep(30)
    return Reply(text="too late")


def make_registry() -> Registry:
    registry = Registry()
    registry.add(Spec("status", "Status of a place", "status PLACE", _status))
    registry.add(
        Spec(
            "source", "Manage sources", "source add URL", _echo, admin_subcommands=ADMIN_SUBCOMMANDS
        )
    )
    registry.add(Spec("search", "Search (fails in tests)", "search QUERY", _boom))
    registry.add(Spec("brief", "Brief (too slow in tests)", "brief", _slow))
    registry.add(Spec("subscriptions", "This channel's subscriptions", "subscriptions", _echo))
    return registry


@pytest.fixture(autouse=True)
def restore_discord_endpoints() -> object:
    """The adapter points discord.py at the fake through class attributes; put them back."""
    base, gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    yield
    discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = base, gateway


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        yield server


@pytest.fixture
def registry() -> Registry:
    return make_registry()


@pytest.fixture
def dispatched() -> list[Command]:
    """Every Command the adapter handed to the registry, in order."""
    return []


@pytest.fixture
def make_adapter(
    fake: FakeDiscord, registry: Registry, dispatched: list[Command]
) -> Callable[..., DiscordAdapter]:
    async def dispatch(command: Command) -> Reply:
        dispatched.append(command)
        return await registry.dispatch(command, services=None)  # type: ignore[arg-type]

    def make(
        token: str | None = None,
        guild_id: int | None = GUILD_ID,
        complete_places: Callable[[str], Awaitable[list[str]]] | None = None,
        dispatch: Callable[[Command], Awaitable[Reply]] = dispatch,
        **options: object,
    ) -> DiscordAdapter:
        settings = load_settings(
            DISCORD_TOKEN=token or fake.token,
            DISCORD_GUILD_ID=guild_id,
            SITREP_DISCORD_API_URL=fake.api_url,
            SITREP_DISCORD_GATEWAY_URL=fake.gateway_url,
            SITREP_ADMIN_ROLE=ADMIN_ROLE_NAME,
            _env_file=None,
        )
        options.setdefault("guild_ready_timeout", 0.05)
        options.setdefault("needs_admin", needs_admin_from(registry))
        return DiscordAdapter(settings, dispatch, complete_places, **options)  # type: ignore[arg-type]

    return make


async def _places(current: str) -> list[str]:
    names = ["Qala-e-Naw", "Qala-e-Naw", "Qadis", "Q" + "x" * 150] + [
        f"Qarya {n}" for n in range(30)
    ]
    return [name for name in names if name.lower().startswith(current.lower())]


@pytest.fixture
async def adapter(make_adapter: Callable[..., DiscordAdapter]) -> AsyncIterator[DiscordAdapter]:
    """A connected adapter whose commands are synced to the fake's guild, with short timeouts."""
    instance = make_adapter(complete_places=_places, command_timeout=0.5, post_timeout=0.5)
    await instance.start()
    try:
        await instance.wait_ready(timeout=10)
        yield instance
    finally:
        await instance.stop()
