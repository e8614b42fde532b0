"""A fake Slack on 127.0.0.1, spoken over real HTTP and WebSocket.

Tests point `AsyncWebClient(base_url=...)` at `FakeSlack.api_url`, so slack-sdk and
slack-bolt run exactly as in production; only the other end of the wire is ours. The fake
plays three parts of Slack:

- the Web API (`/api/{method}`): `auth.test`, `chat.postMessage`, `users.info` and
  `apps.connections.open`, with Slack's token checks (`invalid_auth`,
  `not_allowed_token_type`) and per-channel failures (429 with Retry-After, 500, or an
  `ok: false` error);
- the `response_url` endpoints (`/response/{name}`) that bolt's `respond()` posts to;
- a Socket Mode WebSocket (`/socket`) that says hello, can push envelopes and records acks.

Every request is recorded as a `Call`, in order, so tests assert whole payloads. `sign()`
and `signed_slash_command()` build inbound requests signed the way Slack signs them.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from aiohttp import WSMsgType, web

BOT_TOKEN = "xoxb-fake-bot-token"
APP_TOKEN = "xapp-fake-app-token"
SIGNING_SECRET = "fake-signing-secret"
TEAM_ID = "T0SITREP"
BOT_USER_ID = "U0SITREPBOT"
BOT_ID = "B0SITREP"
APP_ID = "A0SITREP"


@dataclass
class Call:
    """One request the fake received.

    `method` is the Web API method (`chat.postMessage`), `response_url` for a post to a
    response URL, or `socket_ack` for a message sent back over the Socket Mode WebSocket.
    `target` is the response URL's name or the acked envelope id.
    """

    method: str
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    target: str = ""


@dataclass(frozen=True)
class Failure:
    """How `chat.postMessage` to one channel should fail."""

    status: int = 200
    error: str | None = None
    retry_after: int | None = None


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.bot_tokens = {BOT_TOKEN}
        self.app_tokens = {APP_TOKEN}
        self.users: dict[str, dict[str, Any]] = {}
        self.failures: dict[str, Failure] = {}
        self._ts = itertools.count(1)
        self._envelopes = itertools.count(1)
        self._changed = asyncio.Condition()
        self._sockets: list[web.WebSocketResponse] = []
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response_url)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def close(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        """The Web API base URL, with the trailing slash slack-sdk expects."""
        return f"{self.url}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"{self.url}/response/{name}"

    # --- configuration ---------------------------------------------------------------------

    def add_user(self, user_id: str, *, is_admin: bool = False, is_owner: bool = False) -> None:
        """Make `users.info` know a user; unknown users answer `user_not_found`."""
        self.users[user_id] = {"is_admin": is_admin, "is_owner": is_owner}

    def fail_channel(
        self,
        channel: str,
        *,
        status: int = 200,
        error: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        """Make `chat.postMessage` to `channel` fail (429 needs `retry_after`)."""
        self.failures[channel] = Failure(status=status, error=error, retry_after=retry_after)

    # --- inspection ------------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait until `count` calls to `method` have arrived; the timeout only stops a hang."""
        await self.wait_until(lambda: len(self.calls_to(method)) >= count, timeout)
        return self.calls_to(method)

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(predicate), timeout)

    async def _record(self, call: Call) -> None:
        self.calls.append(call)
        async with self._changed:
            self._changed.notify_all()

    # --- Web API ---------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        body = await _read_body(request)
        await self._record(Call(method, body, dict(request.headers)))
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if method == "apps.connections.open":
            if token not in self.app_tokens:
                return _error(
                    "not_allowed_token_type" if token in self.bot_tokens else "invalid_auth"
                )
            return web.json_response({"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"})
        if token not in self.bot_tokens:
            return _error("not_allowed_token_type" if token in self.app_tokens else "invalid_auth")
        if method == "auth.test":
            return web.json_response(
                {
                    "ok": True,
                    "url": "https://sitrep-test.slack.com/",
                    "team": "Sitrep Test",
                    "user": "sitrep",
                    "team_id": TEAM_ID,
                    "user_id": BOT_USER_ID,
                    "bot_id": BOT_ID,
                    "is_enterprise_install": False,
                }
            )
        if method == "chat.postMessage":
            return self._post_message(body)
        if method == "users.info":
            flags = self.users.get(str(body.get("user")))
            if flags is None:
                return _error("user_not_found")
            user = {"id": body["user"], "team_id": TEAM_ID, "is_bot": False, **flags}
            return web.json_response({"ok": True, "user": user})
        return _error("unknown_method")

    def _post_message(self, body: dict[str, Any]) -> web.Response:
        channel = str(body.get("channel", ""))
        failure = self.failures.get(channel)
        if failure is None:
            ts = f"1700000000.{next(self._ts):06d}"
            message = {k: body[k] for k in ("text", "blocks") if k in body}
            return web.json_response({"ok": True, "channel": channel, "ts": ts, "message": message})
        if failure.retry_after is not None:
            return web.json_response(
                {"ok": False, "error": "ratelimited"},
                status=429,
                headers={"Retry-After": str(failure.retry_after)},
            )
        if failure.status >= 500:
            return web.Response(status=failure.status, text="upstream trouble")
        return _error(failure.error or "internal_error")

    # --- response_url ----------------------------------------------------------------------

    async def _response_url(self, request: web.Request) -> web.Response:
        body = await _read_body(request)
        await self._record(
            Call("response_url", body, dict(request.headers), request.match_info["name"])
        )
        return web.Response(text="ok")

    # --- Socket Mode -----------------------------------------------------------------------

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()  # aiohttp answers the SDK's pings by itself
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_json(
            {
                "type": "hello",
                "num_connections": len(self._sockets),
                "connection_info": {"app_id": APP_ID},
                "debug_info": {"host": "fake"},
            }
        )
        async with self._changed:
            self._changed.notify_all()
        try:
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    data = json.loads(message.data)
                    await self._record(
                        Call("socket_ack", data, {}, str(data.get("envelope_id", "")))
                    )
        finally:
            self._sockets.remove(ws)
        return ws

    async def wait_connected(self, timeout: float = 5.0) -> None:
        await self.wait_until(lambda: bool(self._sockets), timeout)

    async def push(self, payload: dict[str, Any], kind: str = "slash_commands") -> str:
        """Send an envelope to every connected Socket Mode client; returns its envelope id."""
        envelope_id = f"env-{next(self._envelopes)}"
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": 0,
        }
        for ws in self._sockets:
            await ws.send_json(envelope)
        return envelope_id


def _error(code: str) -> web.Response:
    """Slack reports most failures as HTTP 200 with `ok: false`."""
    return web.json_response({"ok": False, "error": code})


async def _read_body(request: web.Request) -> dict[str, Any]:
    """Form, JSON or query string, whichever the SDK used for this method."""
    raw = await request.text()
    if raw.startswith("{"):
        return json.loads(raw)
    if raw:
        return dict(parse_qsl(raw, keep_blank_values=True))
    return dict(request.query)


# --- inbound requests signed as Slack signs them ----------------------------------------


def slash_command_payload(
    text: str,
    *,
    response_url: str,
    user_id: str = "U0ALICE",
    channel_id: str = "C0NEWS",
    team_id: str = TEAM_ID,
    command: str = "/sitrep",
) -> dict[str, str]:
    """The fields Slack sends for a slash command (form-encoded over HTTP, JSON over sockets)."""
    return {
        "token": "deprecated-verification-token",
        "team_id": team_id,
        "team_domain": "sitrep-test",
        "channel_id": channel_id,
        "channel_name": "news",
        "user_id": user_id,
        "user_name": user_id.lower(),
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": "1337.42.abcdef",
    }


def sign(
    body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None
) -> dict[str, str]:
    """Headers Slack adds: v0 HMAC-SHA256 of `v0:{timestamp}:{body}` keyed by the secret."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest}",
    }


def signed_slash_command(
    text: str,
    *,
    response_url: str,
    secret: str = SIGNING_SECRET,
    age_seconds: int = 0,
    **fields: str,
) -> tuple[str, dict[str, str]]:
    """A form body and headers for POST /slack/events.

    Pass another `secret` to forge a bad signature, or `age_seconds` over 300 for a
    timestamp Slack's replay protection must refuse.
    """
    body = urlencode(slash_command_payload(text, response_url=response_url, **fields))
    return body, sign(body, secret=secret, timestamp=int(time.time()) - age_seconds)
