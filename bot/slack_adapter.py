"""The Slack edge: `/sitrep` slash commands in, Block Kit replies and channel posts out.

slack-bolt does the protocol work (signature checks, acks, Socket Mode); this module only
translates. A slash-command payload becomes a `Command` here and nowhere else, and every
`Reply` goes through `render_blocks`. Slack wants an acknowledgement within three seconds,
so the handler acks before doing anything else and answers later through `response_url`.

Two ways in, chosen by configuration:
- Socket Mode when `SLACK_APP_TOKEN` is set: no public URL needed, Slack pushes over a
  WebSocket the bot opens.
- HTTP otherwise: an aiohttp server on `SITREP_SLACK_HTTP_HOST:SITREP_SLACK_HTTP_PORT`
  receives signed POSTs at `/slack/events`, which needs `SLACK_SIGNING_SECRET`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery import DeliveryError
from bot.render_slack import render_blocks
from bot.settings import Settings
from handlers.base import Command, Reply, UserError
from handlers.registry import parse_line

log = logging.getLogger(__name__)

SLASH_COMMAND = "/sitrep"
EVENTS_PATH = "/slack/events"
ADMIN_CACHE_SECONDS = 300.0
SOCKET_CONNECT_TIMEOUT = 30.0
APOLOGY = "Sorry, something went wrong while answering that. It has been logged."
PERMANENT_ERRORS = frozenset({"channel_not_found", "not_in_channel", "is_archived"})
NETWORK_ERRORS = (aiohttp.ClientError, OSError, asyncio.TimeoutError)

Dispatch = Callable[[Command], Awaitable[Reply]]


class SlackStartupError(RuntimeError):
    """Slack cannot be used as configured; the message is one line meant for the operator."""


class SlackAdapter:
    """Runs the `/sitrep` command on Slack and posts digests to Slack channels."""

    platform = "slack"

    def __init__(self, settings: Settings, dispatch: Dispatch) -> None:
        self._settings = settings
        self._dispatch = dispatch
        token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
        self._client = AsyncWebClient(token=token, base_url=settings.slack_api_url)
        self._admin_cache: dict[str, tuple[float, bool]] = {}
        self._admin_lookups: dict[str, asyncio.Future[bool]] = {}
        self._app: AsyncApp | None = None
        self._runner: web.AppRunner | None = None
        self._socket: AsyncSocketModeHandler | None = None
        self._port: int | None = None

    # --- lifecycle -------------------------------------------------------------------------

    @property
    def bound_port(self) -> int | None:
        """The HTTP port actually listened on (useful with port 0); None in Socket Mode."""
        return self._port

    async def start(self) -> None:
        """Check the configuration and the token, then start receiving commands.

        Raises SlackStartupError with a one-line explanation instead of a traceback when the
        token is wrong, a needed secret is missing or Slack cannot be reached.
        """
        settings = self._settings
        if settings.slack_bot_token is None:
            raise SlackStartupError("SLACK_BOT_TOKEN is not set; add the xoxb- token to .env")
        socket_mode = settings.slack_app_token is not None
        if not socket_mode and settings.slack_signing_secret is None:
            raise SlackStartupError(
                "SLACK_SIGNING_SECRET is not set; HTTP mode needs it "
                "(or set SLACK_APP_TOKEN to use Socket Mode)"
            )
        await self._check_token()
        secret = settings.slack_signing_secret
        self._app = AsyncApp(
            client=self._client,
            signing_secret=secret.get_secret_value() if secret else "",
            name="sitrep",
        )
        self._app.command(SLASH_COMMAND)(self._on_command)
        if socket_mode:
            await self._start_socket_mode()
        else:
            await self._start_http()

    async def stop(self) -> None:
        """Stop receiving; safe to call twice or after a failed start."""
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
            self._port = None

    async def _check_token(self) -> None:
        try:
            auth = await self._client.auth_test()
        except SlackApiError as exc:
            code = exc.response.get("error", "unknown_error")
            raise SlackStartupError(
                f"Slack rejected SLACK_BOT_TOKEN ({code}); check the token in .env"
            ) from None
        except NETWORK_ERRORS as exc:
            raise SlackStartupError(
                f"Could not reach the Slack API at {self._settings.slack_api_url} "
                f"({type(exc).__name__}); check the network or SITREP_SLACK_API_URL"
            ) from None
        log.info("Slack token accepted for team %s as %s", auth.get("team_id"), auth.get("user_id"))

    async def _start_http(self) -> None:
        app = web.Application()
        app.router.add_post(EVENTS_PATH, self._handle_http)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        host, port = self._settings.slack_http_host, self._settings.slack_http_port
        try:
            await web.TCPSite(self._runner, host, port).start()
        except OSError as exc:
            await self.stop()
            raise SlackStartupError(
                f"Cannot listen on {host}:{port} for Slack ({exc.strerror})"
            ) from None
        self._port = self._runner.addresses[0][1]
        log.info("Slack HTTP mode listening on %s:%s%s", host, self._port, EVENTS_PATH)

    async def _handle_http(self, request: web.Request) -> web.Response:
        assert self._app is not None
        response = await self._app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(response)

    async def _start_socket_mode(self) -> None:
        assert self._app is not None and self._settings.slack_app_token is not None
        self._socket = AsyncSocketModeHandler(
            self._app, app_token=self._settings.slack_app_token.get_secret_value()
        )
        client = self._socket.client
        try:
            # Asking for the URL here, rather than inside connect(), turns a bad app token
            # into a clear error; connect() itself would keep retrying forever.
            client.wss_uri = await client.issue_new_wss_url()
            await asyncio.wait_for(self._socket.connect_async(), SOCKET_CONNECT_TIMEOUT)
        except SlackApiError as exc:
            await self.stop()
            code = exc.response.get("error", "unknown_error")
            raise SlackStartupError(
                f"Slack rejected SLACK_APP_TOKEN ({code}); it must be an app-level xapp- token "
                "with the connections:write scope"
            ) from None
        except NETWORK_ERRORS as exc:
            await self.stop()
            raise SlackStartupError(
                f"Could not open the Slack Socket Mode connection ({type(exc).__name__})"
            ) from None
        log.info("Slack Socket Mode connected")

    # --- slash commands --------------------------------------------------------------------

    async def _on_command(
        self, ack: Callable[[], Awaitable[None]], body: dict[str, Any], respond: AsyncRespond
    ) -> None:
        await ack()
        reply = await self._answer(body)
        text, blocks = render_blocks(reply)
        try:
            result = await respond(
                text=text,
                blocks=blocks,
                response_type="ephemeral" if reply.ephemeral else "in_channel",
                replace_original=False,
                unfurl_links=False,
            )
        except NETWORK_ERRORS:
            log.exception("could not deliver a /sitrep reply to response_url")
            return
        if result.status_code != 200:
            log.warning(
                "response_url refused a /sitrep reply: HTTP %s %s", result.status_code, result.body
            )

    async def _answer(self, body: dict[str, Any]) -> Reply:
        """Turn a slash-command payload into a Command, dispatch it, and never raise."""
        user = str(body.get("user_id", ""))
        text = _unescape(str(body.get("text") or "")).strip() or "help"
        try:
            command = parse_line(
                text,
                user=user,
                channel=str(body.get("channel_id", "")),
                guild=str(body.get("team_id", "")),
                platform="slack",
                is_admin=False,
            )
        except UserError as exc:
            return Reply.failure(str(exc))
        command = dataclasses.replace(command, is_admin=await self.is_admin(user))
        try:
            return await self._dispatch(command)
        except Exception:
            log.exception("dispatching /sitrep %s failed", command.name)
            return Reply.failure(APOLOGY)

    async def is_admin(self, user_id: str) -> bool:
        """SITREP_ADMIN_USER_IDS, or a workspace admin/owner per users.info (cached a while).

        A failed lookup counts as "not an admin" and is not cached, so a passing Slack
        hiccup does not lock an admin out for the whole cache period.
        """
        if user_id in self._settings.admin_ids:
            return True
        now = time.monotonic()
        cached = self._admin_cache.get(user_id)
        if cached is not None and now - cached[0] < ADMIN_CACHE_SECONDS:
            return cached[1]
        # A burst of commands from one user shares one users.info call.
        pending = self._admin_lookups.get(user_id)
        if pending is None:
            pending = asyncio.ensure_future(self._lookup_admin(user_id, now))
            self._admin_lookups[user_id] = pending
            pending.add_done_callback(lambda _: self._admin_lookups.pop(user_id, None))
        return await asyncio.shield(pending)

    async def _lookup_admin(self, user_id: str, now: float) -> bool:
        try:
            response = await self._client.users_info(user=user_id)
        except SlackApiError as exc:
            log.warning(
                "users.info failed for %s (%s); treating as not an admin",
                user_id,
                exc.response.get("error", "unknown_error"),
            )
            return False
        except NETWORK_ERRORS as exc:
            log.warning(
                "users.info unreachable for %s (%s); treating as not an admin",
                user_id,
                type(exc).__name__,
            )
            return False
        profile = response.get("user") or {}
        admin = bool(profile.get("is_admin") or profile.get("is_owner"))
        self._admin_cache[user_id] = (now, admin)
        return admin

    # --- posting ---------------------------------------------------------------------------

    async def post(self, channel: str, reply: Reply) -> None:
        """Post `reply` to a channel with mentions and link previews off (the Poster protocol)."""
        text, blocks = render_blocks(reply)
        try:
            await self._client.chat_postMessage(
                channel=channel, text=text, blocks=blocks, unfurl_links=False, link_names=False
            )
        except SlackApiError as exc:
            raise _delivery_error(channel, exc) from None
        except NETWORK_ERRORS as exc:
            raise DeliveryError(
                f"Slack unreachable posting to {channel} ({type(exc).__name__})"
            ) from None


def _unescape(text: str) -> str:
    """Undo the entity escaping Slack applies to `&`, `<` and `>` in slash-command text."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _delivery_error(channel: str, exc: SlackApiError) -> DeliveryError:
    """Map Slack's answer to what the scheduler needs: wait, give up, or try later."""
    response = exc.response
    code = response.get("error") if isinstance(response.data, dict) else None
    if response.status_code == 429:
        retry_after = float(response.headers.get("Retry-After", 1))
        return DeliveryError(f"Slack rate-limited posts to {channel}", retry_after=retry_after)
    if code in PERMANENT_ERRORS:
        return DeliveryError(f"Slack cannot post to {channel}: {code}", permanent=True)
    detail = code or f"HTTP {response.status_code}"
    return DeliveryError(f"Slack refused a post to {channel}: {detail}")
