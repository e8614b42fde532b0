"""Posting digests and alerts to a channel, and what Discord's refusals become."""

from __future__ import annotations

from unittest.mock import ANY

import pytest

from bot.delivery import DeliveryError
from bot.discord_adapter import DiscordAdapter
from bot.render_discord import OK_COLOUR
from handlers.base import Reply
from tests.fakes.discord import CHANNEL_ID, FakeDiscord, Recorded

MESSAGES = f"/channels/{CHANNEL_ID}/messages"


async def test_post_disables_every_mention(adapter: DiscordAdapter, fake: FakeDiscord) -> None:
    await adapter.post(
        str(CHANNEL_ID), Reply(title="Digest", text="@everyone <@&123> @here Kunduz quiet.")
    )
    assert fake.requests_to("POST", MESSAGES) == [
        Recorded(
            "POST",
            MESSAGES,
            {},
            {
                "embeds": [
                    {
                        "flags": 0,
                        "color": OK_COLOUR,
                        "type": "rich",
                        "description": "@\u200beveryone <@&123> @\u200bhere Kunduz quiet.",
                        "title": "Digest",
                    }
                ],
                "content": None,
                "components": [],
                "nonce": ANY,  # discord.py sends a fresh random nonce with every message
                "enforce_nonce": True,
                "tts": False,
                "allowed_mentions": {"parse": []},
            },
        )
    ]


async def test_a_long_reply_is_posted_as_several_messages(
    adapter: DiscordAdapter, fake: FakeDiscord
) -> None:
    text = " ".join(f"word{n}" for n in range(2000))  # 16,889 characters: five descriptions
    await adapter.post(str(CHANNEL_ID), Reply(text=text))
    posted = fake.requests_to("POST", MESSAGES)
    descriptions = [e["description"] for r in posted for e in r.body["embeds"]]
    assert [len(r.body["embeds"]) for r in posted] == [
        1,
        1,
        1,
        2,
    ]  # the short tail shares a message
    assert " ".join(descriptions).split() == text.split()


async def test_a_long_rate_limit_is_reported_with_its_advice(
    adapter: DiscordAdapter, fake: FakeDiscord
) -> None:
    fake.fail_channel(CHANNEL_ID, 429, retry_after=60.0)
    with pytest.raises(DeliveryError) as raised:
        await adapter.post(str(CHANNEL_ID), Reply(text="digest"))
    assert (raised.value.retry_after, raised.value.permanent) == (60.0, False)
    assert len(fake.requests_to("POST", MESSAGES)) == 1


async def test_a_persistent_short_rate_limit_is_not_retried_forever(
    adapter: DiscordAdapter, fake: FakeDiscord
) -> None:
    fake.fail_channel(CHANNEL_ID, 429, retry_after=0.2)
    with pytest.raises(DeliveryError) as raised:
        await adapter.post(str(CHANNEL_ID), Reply(text="digest"))
    assert (str(raised.value), raised.value.retry_after, raised.value.permanent) == (
        f"Discord kept answering 429 for channel {CHANNEL_ID}; gave up after 0.5 s",
        0.2,
        False,
    )


async def test_missing_access_is_permanent(adapter: DiscordAdapter, fake: FakeDiscord) -> None:
    fake.fail_channel(CHANNEL_ID, 403)
    with pytest.raises(DeliveryError) as raised:
        await adapter.post(str(CHANNEL_ID), Reply(text="digest"))
    assert (str(raised.value), raised.value.retry_after, raised.value.permanent) == (
        f"Discord refused the post to channel {CHANNEL_ID} (Missing Access); "
        "check that the bot can view the channel and send messages and embeds there",
        None,
        True,
    )


async def test_an_unknown_channel_is_permanent(adapter: DiscordAdapter, fake: FakeDiscord) -> None:
    fake.fail_channel(1234, 404)
    with pytest.raises(DeliveryError) as raised:
        await adapter.post("1234", Reply(text="digest"))
    assert (str(raised.value), raised.value.retry_after, raised.value.permanent) == (
        "Discord channel 1234 was not found (Unknown Channel)",
        None,
        True,
    )


async def test_server_errors_surface_quickly_and_are_temporary(
    adapter: DiscordAdapter, fake: FakeDiscord
) -> None:
    fake.fail_channel(CHANNEL_ID, 500)
    with pytest.raises(DeliveryError) as raised:
        await adapter.post(str(CHANNEL_ID), Reply(text="digest"))
    assert (str(raised.value), raised.value.retry_after, raised.value.permanent) == (
        f"Discord kept answering 500 for channel {CHANNEL_ID}; gave up after 0.5 s",
        None,
        False,
    )


async def test_a_channel_that_is_not_an_id_is_permanent(adapter: DiscordAdapter) -> None:
    with pytest.raises(DeliveryError) as raised:
        await adapter.post("general", Reply(text="digest"))
    assert (str(raised.value), raised.value.permanent) == (
        "'general' is not a Discord channel id",
        True,
    )


async def test_posting_before_start_is_a_delivery_error(make_adapter) -> None:
    with pytest.raises(DeliveryError) as raised:
        await make_adapter().post(str(CHANNEL_ID), Reply(text="digest"))
    assert (str(raised.value), raised.value.permanent) == ("Discord is not connected", False)
