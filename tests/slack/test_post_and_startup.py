"""Channel posts (the Poster protocol) and start-up checks with clear one-line errors."""

from __future__ import annotations

import pytest

from bot.delivery import DeliveryError
from bot.slack_adapter import SlackAdapter, SlackStartupError
from handlers.base import Citation, Reply
from tests.fakes.slack import BOT_TOKEN, FakeSlack

ZWJ = "\u200d"


async def never_called(command):  # pragma: no cover - a start-up failure must not dispatch
    raise AssertionError("dispatch called")


async def test_post_sends_escaped_blocks_with_mentions_and_previews_off(make_settings, fake_slack):
    adapter = SlackAdapter(make_settings(), never_called)
    reply = Reply(
        title="Daily digest",
        text="Article says <!channel> @everyone <@U1> & more",
        citations=[Citation("Report", "https://ex.org/r", source="Wire")],
    )
    await adapter.post("C0NEWS", reply)
    (call,) = fake_slack.calls_to("chat.postMessage")
    assert call.headers["Authorization"] == f"Bearer {BOT_TOKEN}"
    assert call.body == {
        "channel": "C0NEWS",
        "text": "Daily digest",
        "blocks": [
            {
                "type": "header",
                "text": {"type": "plain_text", "text": "Daily digest", "emoji": True},
            },
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": f"Article says &lt;!channel&gt; @{ZWJ}everyone &lt;@U1&gt; &amp; more",
                },
            },
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": "Sources: <https://ex.org/r|Wire>"}],
            },
        ],
        "unfurl_links": False,
        "link_names": False,
    }


async def test_rate_limit_carries_retry_after(make_settings, fake_slack):
    fake_slack.fail_channel("C0BUSY", retry_after=7)
    adapter = SlackAdapter(make_settings(), never_called)
    with pytest.raises(DeliveryError) as caught:
        await adapter.post("C0BUSY", Reply(text="hi"))
    error = caught.value
    assert (str(error), error.retry_after, error.permanent) == (
        "Slack rate-limited posts to C0BUSY",
        7.0,
        False,
    )


@pytest.mark.parametrize("code", ["channel_not_found", "not_in_channel", "is_archived"])
async def test_gone_channels_are_permanent_failures(make_settings, fake_slack, code):
    fake_slack.fail_channel("C0GONE", error=code)
    adapter = SlackAdapter(make_settings(), never_called)
    with pytest.raises(DeliveryError) as caught:
        await adapter.post("C0GONE", Reply(text="hi"))
    error = caught.value
    assert (str(error), error.retry_after, error.permanent) == (
        f"Slack cannot post to C0GONE: {code}",
        None,
        True,
    )


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        ({"status": 500}, "Slack refused a post to C0FLAKY: HTTP 500"),
        ({"error": "msg_too_long"}, "Slack refused a post to C0FLAKY: msg_too_long"),
    ],
)
async def test_other_failures_may_be_retried(make_settings, fake_slack, failure, message):
    fake_slack.fail_channel("C0FLAKY", **failure)
    adapter = SlackAdapter(make_settings(), never_called)
    with pytest.raises(DeliveryError) as caught:
        await adapter.post("C0FLAKY", Reply(text="hi"))
    error = caught.value
    assert (str(error), error.retry_after, error.permanent) == (message, None, False)


async def test_wrong_token_fails_start_with_a_clear_message(make_settings, fake_slack):
    adapter = SlackAdapter(make_settings(slack_bot_token="xoxb-revoked"), never_called)
    with pytest.raises(SlackStartupError) as caught:
        await adapter.start()
    assert (
        str(caught.value)
        == "Slack rejected SLACK_BOT_TOKEN (invalid_auth); check the token in .env"
    )
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert adapter.bound_port is None


async def test_unreachable_api_fails_start_with_a_clear_message(make_settings):
    closed = FakeSlack()
    await closed.start()
    api_url = closed.api_url
    await closed.close()  # nothing listens on that port any more
    adapter = SlackAdapter(make_settings(slack_api_url=api_url), never_called)
    with pytest.raises(SlackStartupError) as caught:
        await adapter.start()
    assert str(caught.value) == (
        f"Could not reach the Slack API at {api_url} (ClientConnectorError); "
        "check the network or SITREP_SLACK_API_URL"
    )


async def test_http_mode_needs_the_signing_secret(make_settings, fake_slack):
    adapter = SlackAdapter(make_settings(slack_signing_secret=None), never_called)
    with pytest.raises(SlackStartupError) as caught:
        await adapter.start()
    assert str(caught.value) == (
        "SLACK_SIGNING_SECRET is not set; HTTP mode needs it "
        "(or set SLACK_APP_TOKEN to use Socket Mode)"
    )
    assert fake_slack.calls == []


async def test_missing_bot_token_fails_start(make_settings, fake_slack):
    adapter = SlackAdapter(make_settings(slack_bot_token=None), never_called)
    with pytest.raises(SlackStartupError) as caught:
        await adapter.start()
    assert str(caught.value) == "SLACK_BOT_TOKEN is not set; add the xoxb- token to .env"


async def test_stop_is_safe_twice(start_adapter):
    adapter = await start_adapter()
    assert isinstance(adapter.bound_port, int) and adapter.bound_port > 0
    await adapter.stop()
    await adapter.stop()
    assert adapter.bound_port is None
