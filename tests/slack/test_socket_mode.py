"""`/sitrep` over Socket Mode: the fake pushes envelopes down a real WebSocket."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.slack_adapter import SlackAdapter, SlackStartupError
from handlers.base import Command, Reply
from tests.fakes.slack import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, FakeSlack, slash_command_payload


async def test_envelope_is_acked_and_answered(start_adapter, fake_slack: FakeSlack, dispatched):
    adapter = await start_adapter(slack_app_token=APP_TOKEN, slack_signing_secret=None)
    assert adapter.bound_port is None
    await fake_slack.wait_connected()
    payload = slash_command_payload(
        "echo over the socket", response_url=fake_slack.response_url("s1")
    )
    envelope_id = await fake_slack.push(payload)

    (ack,) = await fake_slack.wait_for("socket_ack")
    assert (ack.target, ack.body) == (envelope_id, {"envelope_id": envelope_id})
    (answer,) = await fake_slack.wait_for("response_url")
    assert (answer.target, answer.body) == (
        "s1",
        {
            "text": "You said: over the socket",
            "blocks": [
                {"type": "section", "text": {"type": "mrkdwn", "text": "You said: over the socket"}}
            ],
            "response_type": "in_channel",
            "replace_original": False,
            "unfurl_links": False,
        },
    )
    assert dispatched == [
        Command(
            "echo",
            ("over", "the", "socket"),
            user="U0ALICE",
            channel="C0NEWS",
            guild="T0SITREP",
            platform="slack",
            is_admin=False,
        )
    ]
    (opened,) = fake_slack.calls_to("apps.connections.open")
    assert opened.headers["Authorization"] == f"Bearer {APP_TOKEN}"


async def test_envelope_is_acked_before_the_answer_is_ready(start_adapter, fake_slack: FakeSlack):
    release = asyncio.Event()

    async def slow(command: Command) -> Reply:
        await release.wait()
        return Reply(text="done")

    await start_adapter(slow, slack_app_token=APP_TOKEN)
    await fake_slack.wait_connected()
    envelope_id = await fake_slack.push(
        slash_command_payload("echo", response_url=fake_slack.response_url())
    )
    (ack,) = await fake_slack.wait_for("socket_ack")
    assert ack.target == envelope_id
    assert fake_slack.calls_to("response_url") == []
    release.set()
    (answer,) = await fake_slack.wait_for("response_url")
    assert answer.body["text"] == "done"


async def unreachable(command: Command) -> Reply:  # pragma: no cover - start-up fails first
    raise AssertionError("dispatch called")


@pytest.mark.parametrize(
    ("token", "code"), [("xapp-wrong", "invalid_auth"), (BOT_TOKEN, "not_allowed_token_type")]
)
async def test_bad_app_token_fails_start_with_a_clear_message(
    make_settings, fake_slack, token, code
):
    adapter = SlackAdapter(make_settings(slack_app_token=token), unreachable)
    with pytest.raises(SlackStartupError) as caught:
        await adapter.start()
    assert str(caught.value) == (
        f"Slack rejected SLACK_APP_TOKEN ({code}); it must be an app-level xapp- token "
        "with the connections:write scope"
    )
    await adapter.stop()


async def test_no_secret_reaches_the_logs(start_adapter, send, fake_slack: FakeSlack, caplog):
    caplog.set_level(logging.DEBUG)
    await start_adapter(slack_app_token=APP_TOKEN)
    await fake_slack.wait_connected()
    await fake_slack.push(slash_command_payload("echo hi", response_url=fake_slack.response_url()))
    await fake_slack.wait_for("response_url")
    http = await start_adapter()
    await send(http, "echo hi")
    await send(http, "echo hi", secret="forged")
    await fake_slack.wait_for("response_url", count=2)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Authorization" in logged  # the SDK's request logging was on, and redacted
    for secret in (BOT_TOKEN, APP_TOKEN, SIGNING_SECRET):
        assert secret not in logged
