"""`sitrep run` start-up: a wrong token is one clear line and exit status 2, never a traceback."""

from __future__ import annotations

import discord
import pytest

from bot.runner import run
from tests.fakes.discord import FakeDiscord
from tests.fakes.slack import SIGNING_SECRET, FakeSlack


@pytest.fixture
def restore_discord_endpoints():
    base, gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    yield
    discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = base, gateway


def with_(settings, **updates):
    return type(settings)(_env_file=None, **{**settings.model_dump(), **updates})


async def test_wrong_slack_token_stops_start_up_with_one_line(settings, capsys):
    fake = FakeSlack()
    await fake.start()
    try:
        code = await run(
            with_(
                settings,
                slack_bot_token="xoxb-wrong",
                slack_api_url=fake.api_url,
                slack_signing_secret=SIGNING_SECRET,
                slack_http_port=0,
                slack_http_host="127.0.0.1",
            )
        )
    finally:
        await fake.close()
    err = capsys.readouterr().err
    assert code == 2
    assert err == (
        "error: Slack rejected SLACK_BOT_TOKEN (invalid_auth); check the token in .env\n"
    )


async def test_wrong_discord_token_stops_start_up_with_one_line(
    settings, capsys, restore_discord_endpoints
):
    async with FakeDiscord() as fake:
        code = await run(
            with_(
                settings,
                discord_token="wrong",
                discord_api_url=fake.api_url,
                discord_gateway_url=fake.gateway_url,
            )
        )
    err = capsys.readouterr().err
    assert code == 2
    assert err == (
        "error: Discord rejected DISCORD_TOKEN (401 Unauthorized); check the token in .env\n"
    )
