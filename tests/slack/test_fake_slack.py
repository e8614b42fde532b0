"""The fake's own promises, checked against slack-sdk so tests built on it can be trusted."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes.slack import (
    APP_TOKEN,
    BOT_TOKEN,
    SIGNING_SECRET,
    FakeSlack,
    sign,
    signed_slash_command,
)


def test_signature_is_the_one_slack_sdk_verifies():
    verifier = SignatureVerifier(SIGNING_SECRET)
    body, headers = signed_slash_command("status Kunduz", response_url="http://127.0.0.1:1/r")
    assert verifier.is_valid_request(body, headers)

    forged_body, forged = signed_slash_command(
        "x", response_url="http://127.0.0.1:1/r", secret="nope"
    )
    assert not verifier.is_valid_request(forged_body, forged)

    stale_body, stale = signed_slash_command(
        "x", response_url="http://127.0.0.1:1/r", age_seconds=600
    )
    assert not verifier.is_valid_request(stale_body, stale)


def test_sign_uses_the_v0_basestring():
    digest = hmac.new(b"s", b"v0:1531420618:a=1", hashlib.sha256).hexdigest()
    assert sign("a=1", secret="s", timestamp=1531420618) == {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": "1531420618",
        "X-Slack-Signature": f"v0={digest}",
    }


async def test_tokens_are_checked_like_slack(fake_slack: FakeSlack):
    good = AsyncWebClient(token=BOT_TOKEN, base_url=fake_slack.api_url)
    bad = AsyncWebClient(token="xoxb-wrong", base_url=fake_slack.api_url)
    app = AsyncWebClient(token=APP_TOKEN, base_url=fake_slack.api_url)

    assert (await good.auth_test()).data == {
        "ok": True,
        "url": "https://sitrep-test.slack.com/",
        "team": "Sitrep Test",
        "user": "sitrep",
        "team_id": "T0SITREP",
        "user_id": "U0SITREPBOT",
        "bot_id": "B0SITREP",
        "is_enterprise_install": False,
    }
    with pytest.raises(SlackApiError) as refused:
        await bad.auth_test()
    assert refused.value.response.data == {"ok": False, "error": "invalid_auth"}
    with pytest.raises(SlackApiError) as wrong_kind:
        await app.auth_test()
    assert wrong_kind.value.response.data == {"ok": False, "error": "not_allowed_token_type"}
    opened = await app.apps_connections_open(app_token=APP_TOKEN)
    assert opened.data == {"ok": True, "url": f"ws://127.0.0.1:{fake_slack.port}/socket"}
    assert [call.method for call in fake_slack.calls] == [
        "auth.test",
        "auth.test",
        "auth.test",
        "apps.connections.open",
    ]
