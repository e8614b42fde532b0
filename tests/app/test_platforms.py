"""One question, three places to ask it: Slack, Discord and the console give the same facts.

The real App (database, engine, registry) answers through the real slack-bolt and discord.py
code, which talk to the fakes in tests/fakes on 127.0.0.1.
"""

from __future__ import annotations

import json

import aiohttp
import discord
import pytest

from bot.discord_adapter import DiscordAdapter
from bot.discord_respond import needs_admin_from
from bot.render_text import render_text
from bot.settings import load_settings
from bot.slack_adapter import SlackAdapter
from tests.conftest import SEEDS
from tests.fakes.discord import APP_ID, FakeDiscord
from tests.fakes.slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack, signed_slash_command

FACTS = [
    "Held by government forces",
    "9 Jul 2021",
    "Qala-e-Naw is currently in the hands of government forces.",
    "69 Taliban fighters killed, 23 wounded",
    "Afghan Defense Ministry",
    "Frontline Notes",
    "Kabul Ledger",
    "Frontline Wire",
    "rest of province",
]


@pytest.fixture
def restore_discord_endpoints():
    base, gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    yield
    discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = base, gateway


@pytest.fixture
def seeded(app):
    for name in ("frontline-wire.xml", "kabul-ledger-qala-e-naw.html"):
        app.ingestor.ingest_path(SEEDS / name)
    app.ingestor.ingest_path(SEEDS / "badghis-report.txt", source_name="Frontline Notes")
    return app


def facts_in(text: str) -> list[str]:
    return [fact for fact in FACTS if fact in text]


async def test_console_slack_and_discord_tell_the_same_facts(
    seeded, settings, restore_discord_endpoints
):
    console = render_text(await seeded.ask("status Qala-e-Naw"))
    assert facts_in(console) == FACTS

    fake_slack = FakeSlack()
    await fake_slack.start()
    slack = SlackAdapter(
        type(settings)(
            _env_file=None,
            **{
                **settings.model_dump(),
                "slack_bot_token": BOT_TOKEN,
                "slack_signing_secret": SIGNING_SECRET,
                "slack_app_token": None,
                "slack_api_url": fake_slack.api_url,
                "slack_http_host": "127.0.0.1",
                "slack_http_port": 0,
            },
        ),
        seeded.dispatch,
    )
    try:
        await slack.start()
        body, headers = signed_slash_command(
            "status Qala-e-Naw", response_url=fake_slack.response_url("r1")
        )
        async with aiohttp.ClientSession() as session:
            url = f"http://127.0.0.1:{slack.bound_port}/slack/events"
            async with session.post(url, data=body, headers=headers) as resp:
                assert resp.status == 200
        (call,) = await fake_slack.wait_for("response_url")
    finally:
        await slack.stop()
        await fake_slack.close()
    slack_text = json.dumps(call.body["blocks"], ensure_ascii=False)
    assert call.body["response_type"] == "in_channel"
    assert facts_in(slack_text) == FACTS

    async with FakeDiscord() as fake:
        adapter = DiscordAdapter(
            load_settings(
                DISCORD_TOKEN=fake.token,
                DISCORD_GUILD_ID=None,
                SITREP_DISCORD_API_URL=fake.api_url,
                SITREP_DISCORD_GATEWAY_URL=fake.gateway_url,
                _env_file=None,
            ),
            seeded.dispatch,
            seeded.complete_places,
            needs_admin=needs_admin_from(seeded.registry),
            guild_ready_timeout=0.05,
        )
        await adapter.start()
        try:
            await adapter.wait_ready(timeout=10)
            payload = fake.command_interaction(
                "status", [{"type": 3, "name": "place", "value": "Qala-e-Naw"}]
            )
            await fake.dispatch_interaction(payload)
            posts = await fake.wait_for("POST", f"/webhooks/{APP_ID}/{payload['token']}")
            completion = fake.command_interaction(
                "status", [{"type": 3, "name": "place", "value": "Qala", "focused": True}], kind=4
            )
            await fake.dispatch_interaction(completion)
            callbacks = await fake.wait_for(
                "POST", f"/interactions/{completion['id']}/{completion['token']}/callback"
            )
        finally:
            await adapter.stop()
    discord_text = json.dumps([p.body for p in posts], ensure_ascii=False)
    assert all(p.body["allowed_mentions"] == {"parse": []} for p in posts)
    assert facts_in(discord_text) == FACTS
    choices = [c["name"] for c in callbacks[0].body["data"]["choices"]]
    assert choices[0] == "Qala i Naw"
