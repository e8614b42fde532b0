"""Shared pieces for the Slack tests: a running fake Slack, a small real registry, and an
adapter factory that starts the real bolt app against the fake and always stops it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from bot.settings import Settings
from bot.slack_adapter import SlackAdapter
from handlers.base import Command, Reply, UserError
from handlers.registry import Registry, Spec
from tests.fakes.slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack, signed_slash_command


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack()
    await fake.start()
    yield fake
    await fake.close()


async def _echo(command: Command, services: Any) -> Reply:
    return Reply(text=f"You said: {command.text}")


async def _help(command: Command, services: Any) -> Reply:
    return Reply(
        title="Sitrep commands", text="- `echo TEXT`\n- `source add URL` (admins)", ephemeral=True
    )


async def _source(command: Command, services: Any) -> Reply:
    return Reply(text=f"Source added: {command.text}")


async def _boom(command: Command, services: Any) -> Reply:
    raise RuntimeError("database on fire")


async def _picky(command: Command, services: Any) -> Reply:
    raise UserError("Name a place, e.g. `status Kunduz`.")


@pytest.fixture
def registry() -> Registry:
    registry = Registry()
    registry.add(Spec("echo", "Repeat the text", "echo TEXT", _echo))
    registry.add(Spec("help", "List commands", "help", _help))
    registry.add(Spec("source", "Manage sources", "source add URL", _source, admin=True))
    registry.add(Spec("boom", "Always fails", "boom", _boom))
    registry.add(Spec("picky", "Always refuses", "picky", _picky))
    return registry


@pytest.fixture
def dispatched() -> list[Command]:
    """Every Command the adapter handed to dispatch, in order."""
    return []


@pytest.fixture
def make_settings(fake_slack: FakeSlack) -> Callable[..., Settings]:
    def build(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "slack_bot_token": BOT_TOKEN,
            "slack_signing_secret": SIGNING_SECRET,
            "slack_app_token": None,
            "slack_api_url": fake_slack.api_url,
            "slack_http_host": "127.0.0.1",
            "slack_http_port": 0,
            "admin_user_ids": "",
        }
        values.update(overrides)
        return Settings(_env_file=None, **values)

    return build


@pytest.fixture
async def start_adapter(
    make_settings: Callable[..., Settings], registry: Registry, dispatched: list[Command]
) -> AsyncIterator[Callable[..., Awaitable[SlackAdapter]]]:
    """Start a SlackAdapter (HTTP mode unless told otherwise) dispatching into `registry`."""
    adapters: list[SlackAdapter] = []

    async def dispatch(command: Command) -> Reply:
        dispatched.append(command)
        return await registry.dispatch(command, services=None)  # type: ignore[arg-type]

    async def start(dispatcher: Any = None, **overrides: Any) -> SlackAdapter:
        adapter = SlackAdapter(make_settings(**overrides), dispatcher or dispatch)
        adapters.append(adapter)
        await adapter.start()
        return adapter

    yield start
    for adapter in adapters:
        await adapter.stop()


@pytest.fixture
def send(fake_slack: FakeSlack) -> Callable[..., Awaitable[tuple[int, str]]]:
    """POST a signed `/sitrep TEXT` to an adapter; returns the ack's (status, body).

    The reply goes to the fake's response URL named `r1` unless `response_url` is given;
    other keywords go to `signed_slash_command` (`secret`, `age_seconds`, `user_id`, ...).
    """

    async def post(adapter: SlackAdapter, text: str, **options: Any) -> tuple[int, str]:
        options.setdefault("response_url", fake_slack.response_url("r1"))
        body, headers = signed_slash_command(text, **options)
        url = f"http://127.0.0.1:{adapter.bound_port}/slack/events"
        async with aiohttp.ClientSession() as session:
            async with session.post(url, data=body, headers=headers) as resp:
                return resp.status, await resp.text()

    return post
