"""`/sitrep` over HTTP: the real bolt app, signed requests, replies through response_url."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.slack_adapter import APOLOGY
from handlers.base import Command, Reply
from tests.fakes.slack import FakeSlack


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def response(text: str, *, ephemeral: bool, blocks: list[dict] | None = None) -> dict:
    """The JSON bolt's respond() posts for one of our replies."""
    return {
        "text": text,
        "blocks": blocks if blocks is not None else [section(text)],
        "response_type": "ephemeral" if ephemeral else "in_channel",
        "replace_original": False,
        "unfurl_links": False,
    }


async def reply_body(fake: FakeSlack) -> dict:
    (call,) = await fake.wait_for("response_url")
    assert call.target == "r1"
    return call.body


async def test_command_is_acked_then_answered_in_channel(
    start_adapter, send, fake_slack, dispatched
):
    adapter = await start_adapter()
    # Slack sends `&`, `<` and `>` in the typed text as entities.
    assert await send(adapter, 'echo "Qala-e-Naw" AT&amp;T &lt;!channel&gt;') == (200, "")
    assert await reply_body(fake_slack) == response(
        "You said: Qala-e-Naw AT&amp;T &lt;!channel&gt;", ephemeral=False
    )
    assert dispatched == [
        Command(
            "echo",
            ("Qala-e-Naw", "AT&T", "<!channel>"),
            user="U0ALICE",
            channel="C0NEWS",
            guild="T0SITREP",
            platform="slack",
            is_admin=False,
        )
    ]


async def test_ack_does_not_wait_for_the_answer(start_adapter, send, fake_slack):
    release = asyncio.Event()

    async def slow(command: Command) -> Reply:
        await release.wait()
        return Reply(text="done")

    adapter = await start_adapter(slow)
    assert await send(adapter, "status Kunduz") == (200, "")
    assert fake_slack.calls_to("response_url") == []
    release.set()
    assert await reply_body(fake_slack) == response("done", ephemeral=False)


async def test_empty_command_shows_help(start_adapter, send, fake_slack, dispatched):
    adapter = await start_adapter()
    await send(adapter, "   ")
    assert [c.name for c in dispatched] == ["help"]
    assert await reply_body(fake_slack) == response(
        "Sitrep commands",
        ephemeral=True,
        blocks=[
            {
                "type": "header",
                "text": {"type": "plain_text", "text": "Sitrep commands", "emoji": True},
            },
            section("• `echo TEXT`\n• `source add URL` (admins)"),
        ],
    )


async def test_admin_command_refused_for_ordinary_user(start_adapter, send, fake_slack):
    fake_slack.add_user("U0ALICE")
    adapter = await start_adapter()
    await send(adapter, "source add https://ex.org/feed")
    assert await reply_body(fake_slack) == response(
        "Only admins can use `source add`.", ephemeral=True
    )


@pytest.mark.parametrize("flag", ["is_admin", "is_owner"])
async def test_workspace_admin_or_owner_is_allowed(start_adapter, send, fake_slack, flag):
    fake_slack.add_user("U0BOSS", **{flag: True})
    adapter = await start_adapter()
    await send(adapter, "source add https://ex.org/feed", user_id="U0BOSS")
    assert await reply_body(fake_slack) == response(
        "Source added: add https://ex.org/feed", ephemeral=False
    )
    assert [c.body for c in fake_slack.calls_to("users.info")] == [{"user": "U0BOSS"}]


async def test_configured_admin_ids_are_allowed_without_asking_slack(
    start_adapter, send, fake_slack
):
    adapter = await start_adapter(admin_user_ids="U0OTHER, U0ALICE")
    await send(adapter, "source add https://ex.org/feed")
    assert await reply_body(fake_slack) == response(
        "Source added: add https://ex.org/feed", ephemeral=False
    )
    assert fake_slack.calls_to("users.info") == []


async def test_admin_lookup_is_cached_per_user(start_adapter, send, fake_slack):
    fake_slack.add_user("U0BOSS", is_admin=True)
    adapter = await start_adapter()
    await send(adapter, "echo one", user_id="U0BOSS")
    await send(adapter, "echo two", user_id="U0BOSS")
    await fake_slack.wait_for("response_url", count=2)
    assert [c.body for c in fake_slack.calls_to("users.info")] == [{"user": "U0BOSS"}]


async def test_failed_admin_lookup_means_not_admin(start_adapter, send, fake_slack, caplog):
    adapter = await start_adapter()  # U0ALICE is unknown to users.info: user_not_found
    with caplog.at_level(logging.WARNING, logger="bot.slack_adapter"):
        await send(adapter, "source add https://ex.org/feed")
        assert await reply_body(fake_slack) == response(
            "Only admins can use `source add`.", ephemeral=True
        )
    assert caplog.messages == [
        "users.info failed for U0ALICE (user_not_found); treating as not an admin"
    ]


async def test_badly_signed_request_is_refused_unseen(start_adapter, send, fake_slack, dispatched):
    adapter = await start_adapter()
    status, _ = await send(adapter, "echo hi", secret="not-the-secret")
    assert status == 401
    assert dispatched == []
    assert fake_slack.calls_to("response_url") == []


async def test_stale_request_is_refused(start_adapter, send, fake_slack, dispatched):
    adapter = await start_adapter()
    status, _ = await send(adapter, "echo hi", age_seconds=6 * 60)
    assert status == 401
    assert dispatched == []


async def test_unbalanced_quote_gets_an_ephemeral_explanation(
    start_adapter, send, fake_slack, dispatched
):
    adapter = await start_adapter()
    await send(adapter, 'status "Qala-e-Naw')
    assert await reply_body(fake_slack) == response(
        "Could not read that command: No closing quotation (check your quotes).", ephemeral=True
    )
    assert dispatched == []


async def test_user_error_from_a_handler_is_shown_to_the_user(start_adapter, send, fake_slack):
    adapter = await start_adapter()
    await send(adapter, "picky")
    assert await reply_body(fake_slack) == response(
        "Name a place, e.g. `status Kunduz`.", ephemeral=True
    )


async def test_crashing_handler_gets_the_generic_apology(start_adapter, send, fake_slack):
    adapter = await start_adapter()
    await send(adapter, "boom")
    assert await reply_body(fake_slack) == response(APOLOGY, ephemeral=True)


async def test_crashing_dispatch_is_still_answered(start_adapter, send, fake_slack):
    async def broken(command: Command) -> Reply:
        raise RuntimeError("wiring bug")

    adapter = await start_adapter(broken)
    await send(adapter, "echo hi")
    assert await reply_body(fake_slack) == response(APOLOGY, ephemeral=True)


async def test_a_burst_from_one_user_asks_slack_once(start_adapter, send, fake_slack):
    fake_slack.add_user("U0BOSS", is_admin=True)
    adapter = await start_adapter()
    await asyncio.gather(*(send(adapter, f"echo {n}", user_id="U0BOSS") for n in range(5)))
    await fake_slack.wait_for("response_url", count=5)
    assert [c.body for c in fake_slack.calls_to("users.info")] == [{"user": "U0BOSS"}]
