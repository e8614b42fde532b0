"""A small fake Discord on 127.0.0.1, so the real discord.py client runs in tests.

One aiohttp app serves both halves of Discord that Sitrep touches:

- REST under `/api/v10` (point `discord.http.Route.BASE` at `fake.api_url`): the bot user,
  the application, command sync, interaction callbacks, webhook follow-ups and edits, and
  channel messages. Every request is recorded as a `Recorded` (path without the prefix,
  parsed JSON body) so tests assert whole payloads. Answers are JSON with the content type
  exactly `application/json`, which is the only form discord.py parses.
- The gateway websocket at `/gateway` (point `DiscordWebSocket.DEFAULT_GATEWAY` at
  `fake.gateway_url`): HELLO, IDENTIFY → READY (the test guild unavailable) → GUILD_CREATE,
  heartbeat → ACK, and `dispatch_interaction` to push INTERACTION_CREATE. Frames are plain
  JSON text; discord.py needs no compression for text frames.

Only `token` is accepted as the bot token: anything else gets the 401 Discord gives (REST)
or close code 4004 (gateway). `fail_channel` makes one channel answer 429, 403, 404 or 500.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from dataclasses import dataclass
from typing import Any

from aiohttp import WSMsgType, web

API_PREFIX = "/api/v10"
APP_ID = 900000000000000001  # a bot user's id is its application's id
GUILD_ID = 810000000000000001
CHANNEL_ID = 810000000000000002
ADMIN_ROLE_ID = 810000000000000003
MEMBER_ID = 700000000000000001
OWNER_ID = 700000000000000009
ADMIN_ROLE_NAME = "Sitrep Admins"
EPHEMERAL = 64
TIMESTAMP = "2021-07-08T06:00:00+00:00"
# fmt: off
BOT_USER = {"id": str(APP_ID), "username": "sitrep", "discriminator": "0", "global_name": "Sitrep",
            "avatar": None, "bot": True, "verified": True, "mfa_enabled": False, "flags": 0}
MEMBER_USER = {"id": str(MEMBER_ID), "username": "analyst", "discriminator": "0",
               "global_name": "Analyst", "avatar": None}
CHANNEL = {"id": str(CHANNEL_ID), "type": 0, "guild_id": str(GUILD_ID), "name": "briefings",
           "position": 0, "permission_overwrites": [], "nsfw": False, "parent_id": None,
           "topic": None, "last_message_id": None, "rate_limit_per_user": 0}
APPLICATION = {"id": str(APP_ID), "name": "Sitrep", "description": "", "icon": None,
               "bot_public": False, "bot_require_code_grant": False, "verify_key": "0" * 64,
               "owner": {**MEMBER_USER, "id": str(OWNER_ID)}, "flags": 0, "bot": BOT_USER}
ERRORS = {403: {"message": "Missing Access", "code": 50001},
          404: {"message": "Unknown Channel", "code": 10003},
          500: {"message": "500: Internal Server Error", "code": 0}}
# fmt: on


@dataclass(frozen=True)
class Recorded:
    """One REST request as the fake saw it."""

    method: str
    path: str
    query: dict[str, str]
    body: Any


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """JSON with the bare `application/json` content type (no charset), as Discord sends it."""
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


class FakeDiscord:
    """The fake server. Typical use::

    async with FakeDiscord() as fake:
        # point Sitrep at fake.api_url / fake.gateway_url with token fake.token, start it
        payload = fake.command_interaction("status", [{"type": 3, "name": "place", "value": "X"}])
        await fake.dispatch_interaction(payload)
        [follow_up] = await fake.wait_for("POST", f"/webhooks/{APP_ID}/{payload['token']}")
    """

    def __init__(
        self, *, token: str = "fake-bot-token", heartbeat_interval_ms: int = 41250
    ) -> None:
        self.token = token
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.requests: list[Recorded] = []
        self.identify: dict[str, Any] | None = None
        self._failures: dict[int, tuple[int, float | None]] = {}
        self._interactions: dict[str, dict[str, Any]] = {}  # token → INTERACTION_CREATE payload
        self._sockets: set[web.WebSocketResponse] = set()
        self._ids = itertools.count(950000000000000001)
        self._seq = itertools.count(1)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # lifecycle -------------------------------------------------------------------------

    async def start(self) -> FakeDiscord:
        app = web.Application()
        p = API_PREFIX
        app.router.add_get(f"{p}/users/@me", self._authed(self._get_me))
        app.router.add_get(f"{p}/oauth2/applications/@me", self._authed(self._get_application))
        app.router.add_put(f"{p}/applications/{{app}}/commands", self._authed(self._put_commands))
        app.router.add_put(
            f"{p}/applications/{{app}}/guilds/{{guild}}/commands", self._authed(self._put_commands)
        )
        app.router.add_post(f"{p}/interactions/{{id}}/{{token}}/callback", self._callback)
        app.router.add_post(f"{p}/webhooks/{{app}}/{{token}}", self._webhook_message)
        app.router.add_route(
            "*", f"{p}/webhooks/{{app}}/{{token}}/messages/@original", self._original
        )
        app.router.add_post(f"{p}/channels/{{channel}}/messages", self._authed(self._post_message))
        app.router.add_get(f"{p}/channels/{{channel}}", self._authed(self._get_channel))
        app.router.add_get("/gateway", self._gateway)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def close(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # test controls ---------------------------------------------------------------------

    def fail_channel(
        self, channel_id: int, status: int, *, retry_after: float | None = None
    ) -> None:
        """Make every POST to this channel's messages answer `status` (429 needs retry_after)."""
        self._failures[channel_id] = (status, retry_after)

    def requests_to(self, method: str, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path == path]

    async def wait_for(
        self, method: str, path: str, count: int = 1, timeout: float = 5.0
    ) -> list[Recorded]:
        """Wait until `count` requests matched (a safety net, not a timing assertion)."""
        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: len(self.requests_to(method, path)) >= count),
                timeout,
            )
        return self.requests_to(method, path)

    async def dispatch_interaction(self, payload: dict[str, Any]) -> None:
        """Push INTERACTION_CREATE to every connected client."""
        self._interactions[payload["token"]] = payload
        for ws in list(self._sockets):
            await self._send(ws, 0, payload, "INTERACTION_CREATE")

    def command_interaction(
        self,
        name: str,
        options: list[dict[str, Any]] | None = None,
        *,
        permissions: int = 0,
        roles: tuple[int, ...] = (),
        kind: int = 2,
    ) -> dict[str, Any]:
        """An application-command (kind 2) or autocomplete (kind 4) interaction from MEMBER_ID."""
        interaction_id = str(next(self._ids))
        # fmt: off
        member = {"user": MEMBER_USER, "roles": [str(r) for r in roles],
                  "permissions": str(permissions), "joined_at": TIMESTAMP, "deaf": False,
                  "mute": False, "flags": 0}
        data = {"id": str(next(self._ids)), "name": name, "type": 1, "options": options or [],
                "guild_id": str(GUILD_ID)}
        return {
            "id": interaction_id, "application_id": str(APP_ID), "type": kind, "version": 1,
            "token": f"interaction-token-{interaction_id}", "guild_id": str(GUILD_ID),
            "channel_id": str(CHANNEL_ID), "channel": CHANNEL, "member": member, "data": data,
            "app_permissions": "562949953421311", "attachment_size_limit": 10485760,
            "locale": "en-US", "guild_locale": "en-US", "entitlements": [],
            "authorizing_integration_owners": {"0": str(GUILD_ID)}, "context": 0,
        }
        # fmt: on

    # REST ------------------------------------------------------------------------------

    def _authed(self, handler: Any) -> Any:
        async def check(request: web.Request) -> web.Response:
            if request.headers.get("Authorization") != f"Bot {self.token}":
                await self._record(request)
                return json_response({"message": "401: Unauthorized", "code": 0}, status=401)
            return await handler(request)

        return check

    async def _record(self, request: web.Request) -> Any:
        body = await request.json() if request.can_read_body else None
        async with self._changed:
            self.requests.append(
                Recorded(
                    request.method, request.path.removeprefix(API_PREFIX), dict(request.query), body
                )
            )
            self._changed.notify_all()
        return body

    async def _get_me(self, request: web.Request) -> web.Response:
        await self._record(request)
        return json_response(BOT_USER)

    async def _get_application(self, request: web.Request) -> web.Response:
        await self._record(request)
        return json_response(APPLICATION)

    async def _put_commands(self, request: web.Request) -> web.Response:
        body = await self._record(request)
        guild = request.match_info.get("guild")
        scope = {"guild_id": guild} if guild else {}
        ids = {"application_id": str(APP_ID), "version": "1", **scope}
        return json_response([{**command, "id": str(next(self._ids)), **ids} for command in body])

    async def _callback(self, request: web.Request) -> web.Response:
        body = await self._record(request)
        if request.query.get("with_response") not in ("1", "true"):
            return web.Response(status=204)
        source = self._interactions.get(request.match_info["token"], {})
        flags = (body.get("data") or {}).get("flags", 0)
        interaction = {
            "id": request.match_info["id"],
            "type": source.get("type", 2),
            "response_message_loading": body["type"] == 5,
            "response_message_ephemeral": bool(flags & EPHEMERAL),
        }
        result: dict[str, Any] = {"interaction": interaction}
        if body["type"] in (4, 5):
            message = self._message(CHANNEL_ID, body.get("data") or {}, flags=flags)
            interaction["response_message_id"] = message["id"]
            result["resource"] = {"type": body["type"], "message": message}
        return json_response(result)

    async def _webhook_message(self, request: web.Request) -> web.Response:
        body = await self._record(request)
        if request.query.get("wait") not in ("1", "true"):
            return web.Response(status=204)
        return json_response(self._message(CHANNEL_ID, body, webhook=request.match_info["app"]))

    async def _original(self, request: web.Request) -> web.Response:
        body = await self._record(request)
        if request.method == "DELETE":
            return web.Response(status=204)
        return json_response(
            self._message(CHANNEL_ID, body or {}, webhook=request.match_info["app"])
        )

    async def _post_message(self, request: web.Request) -> web.Response:
        body = await self._record(request)
        channel_id = int(request.match_info["channel"])
        status, retry_after = self._failures.get(channel_id, (200, None))
        if status == 429:
            # fmt: off
            headers = {"Retry-After": str(int(retry_after or 0) + 1), "X-RateLimit-Limit": "5",
                       "X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": str(retry_after),
                       "X-RateLimit-Bucket": "fake-bucket", "X-RateLimit-Scope": "user",
                       "Via": "1.1 google"}  # discord.py treats a 429 without Via as a ban
            # fmt: on
            limited = {"message": "You are being rate limited.", "retry_after": retry_after}
            return json_response({**limited, "global": False}, status=429, headers=headers)
        if status != 200:
            return json_response(ERRORS.get(status, {"message": "Error", "code": 0}), status=status)
        return json_response(self._message(channel_id, body))

    async def _get_channel(self, request: web.Request) -> web.Response:
        await self._record(request)
        if request.match_info["channel"] != str(CHANNEL_ID):
            return json_response(ERRORS[404], status=404)
        return json_response(CHANNEL)

    def _message(
        self, channel_id: int, body: dict[str, Any], *, flags: int = 0, webhook: str | None = None
    ) -> dict[str, Any]:
        # fmt: off
        message = {
            "id": str(next(self._ids)), "channel_id": str(channel_id), "type": 0,
            "content": body.get("content", ""), "author": BOT_USER,
            "embeds": body.get("embeds", []), "attachments": [], "mentions": [],
            "mention_roles": [], "mention_everyone": False, "pinned": False, "tts": False,
            "timestamp": TIMESTAMP, "edited_timestamp": None, "flags": body.get("flags", flags),
            "components": [],
        }
        # fmt: on
        if webhook:
            message["webhook_id"] = webhook
        return message

    # gateway ---------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.add(ws)
        try:
            await self._send(ws, 10, {"heartbeat_interval": self.heartbeat_interval_ms})
            async for frame in ws:
                if frame.type == WSMsgType.TEXT:
                    await self._on_frame(ws, json.loads(frame.data))
        finally:
            self._sockets.discard(ws)
        return ws

    async def _on_frame(self, ws: web.WebSocketResponse, frame: dict[str, Any]) -> None:
        op, data = frame.get("op"), frame.get("d")
        if op == 1:
            await self._send(ws, 11, None)
        elif op == 2:
            if data.get("token") != self.token:
                await ws.close(code=4004, message=b"Authentication failed.")
                return
            self.identify = {k: v for k, v in data.items() if k != "token"}
            ready = {"v": 10, "user": BOT_USER, "session_id": "4f1d2c3b",
                     "resume_gateway_url": self.gateway_url,
                     "guilds": [{"id": str(GUILD_ID), "unavailable": True}],
                     "application": {"id": str(APP_ID), "flags": 0}}  # fmt: skip
            await self._send(ws, 0, ready, "READY")
            await self._send(ws, 0, self._guild(), "GUILD_CREATE")
        elif op == 6:
            await self._send(ws, 0, {}, "RESUMED")

    async def _send(
        self, ws: web.WebSocketResponse, op: int, data: Any, event: str | None = None
    ) -> None:
        frame = {"op": op, "d": data, "s": next(self._seq) if op == 0 else None, "t": event}
        await ws.send_str(json.dumps(frame))

    def _guild(self) -> dict[str, Any]:
        member = {"roles": [], "joined_at": TIMESTAMP, "deaf": False, "mute": False, "flags": 0}
        # fmt: off
        roles = [
            {"id": str(GUILD_ID), "name": "@everyone", "permissions": "104324673", "position": 0},
            {"id": str(ADMIN_ROLE_ID), "name": ADMIN_ROLE_NAME, "permissions": "0",
             "position": 1},
        ]
        return {
            "id": str(GUILD_ID), "name": "Sitrep Test", "owner_id": str(OWNER_ID),
            "unavailable": False, "member_count": 3, "large": False, "features": [], "emojis": [],
            "stickers": [], "roles": roles, "channels": [CHANNEL], "threads": [],
            "voice_states": [], "presences": [],
            "members": [{**member, "user": BOT_USER}, {**member, "user": MEMBER_USER}],
        }
        # fmt: on
