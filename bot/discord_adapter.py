"""The Discord adapter: one discord.py client that answers slash commands and posts digests.

It asks for no privileged intents (slash commands arrive as interactions, not messages),
disables every mention globally and per message, and keeps Discord's failure modes inside
this module: a rejected token becomes `DiscordStartupError`, a failed post becomes
`DeliveryError` with the platform's retry advice.

`SITREP_DISCORD_API_URL` and `SITREP_DISCORD_GATEWAY_URL` are applied by setting
`discord.http.Route.BASE` and `discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY`. discord.py
keeps both in class attributes, so they are process-global: every client in the process
talks to the same Discord (or proxy, or test fake).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import aiohttp
import discord
import yarl

from bot.delivery import DeliveryError
from bot.discord_commands import CompletePlaces, build_command_tree
from bot.discord_respond import Dispatch, NeedsAdmin, Responder, default_needs_admin
from bot.render_discord import render_messages
from bot.settings import Settings
from handlers.base import Reply

log = logging.getLogger(__name__)

TOKEN_REJECTED = "Discord rejected DISCORD_TOKEN (401 Unauthorized); check the token in .env"
NO_MENTIONS = discord.AllowedMentions.none()
INVITE_SCOPES = ("bot", "applications.commands")
INVITE_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    embed_links=True,
    read_message_history=True,
    send_messages_in_threads=True,
)
# discord.py refuses to sleep through a 429 longer than this and raises RateLimited instead
# (30 s is the smallest value it accepts); shorter waits are bounded by `post_timeout`.
MAX_RATELIMIT_WAIT = 30.0
SEND_ERRORS = (discord.HTTPException, discord.RateLimited, aiohttp.ClientError, OSError)
# Sitrep never joins voice; discord.py's warnings about missing voice libraries would only confuse.
discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False


class DiscordStartupError(Exception):
    """Discord could not start for a reason the operator must fix; shown without a traceback."""


def invite_url(application_id: int) -> str:
    """The URL that adds the bot to a server with exactly the permissions Sitrep uses."""
    return discord.utils.oauth_url(
        application_id, permissions=INVITE_PERMISSIONS, scopes=INVITE_SCOPES
    )


def point_discord_at(api_url: str, gateway_url: str) -> None:
    """Send discord.py's REST and gateway traffic to the given URLs (process-global)."""
    discord.http.Route.BASE = api_url.rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


class _FailureLog:
    """The last error status (and retry advice) Discord gave for each URL path.

    discord.py retries 429s and 5xx answers inside its request loop; when `post` stops
    waiting, this is how it can still report what Discord said and when to come back.
    """

    def __init__(self) -> None:
        self.trace = aiohttp.TraceConfig()
        self.trace.on_request_end.append(self._on_request_end)
        self._last: dict[str, tuple[int, float | None]] = {}

    async def _on_request_end(
        self, client: Any, context: Any, params: aiohttp.TraceRequestEndParams
    ) -> None:
        status = params.response.status
        if status >= 400:
            self._last[params.url.path] = (status, retry_after(params.response.headers))

    def pop(self, path: str) -> tuple[int, float | None] | None:
        return self._last.pop(path, None)


async def fetch_application_id(settings: Settings) -> int:
    """The application the token belongs to, for the invite URL (asks Discord if not configured)."""
    if settings.discord_application_id:
        return settings.discord_application_id
    client = discord.Client(intents=discord.Intents.none())
    await _login(client, settings)
    try:
        assert client.application_id is not None  # login fetches the application
        return client.application_id
    finally:
        await client.close()


async def _login(client: discord.Client, settings: Settings) -> None:
    """Log in over REST only, turning discord.py's failures into one-line operator messages."""
    token = settings.discord_token
    if token is None:
        raise DiscordStartupError("DISCORD_TOKEN is not set; add the bot token to .env")
    point_discord_at(settings.discord_api_url, settings.discord_gateway_url)
    try:
        await client.login(token.get_secret_value())
    except discord.LoginFailure:
        await client.close()
        raise DiscordStartupError(TOKEN_REJECTED) from None
    except (discord.HTTPException, aiohttp.ClientError, OSError) as exc:
        await client.close()
        where = settings.discord_api_url
        raise DiscordStartupError(f"Could not log in to Discord at {where}: {exc}") from None


def retry_after(headers: Any) -> float | None:
    """Discord's advice in seconds, from the precise header first."""
    for name in ("X-RateLimit-Reset-After", "Retry-After"):
        value = headers.get(name)
        if value is not None:
            with contextlib.suppress(ValueError):
                return float(value)
    return None


class DiscordAdapter:
    """Connects Sitrep to Discord: slash commands in, replies and digests out."""

    platform = "discord"

    def __init__(
        self,
        settings: Settings,
        dispatch: Dispatch,
        complete_places: CompletePlaces | None = None,
        *,
        needs_admin: NeedsAdmin = default_needs_admin,
        command_timeout: float = 12.0,
        post_timeout: float = 15.0,
        guild_ready_timeout: float = 2.0,
    ) -> None:
        self._settings = settings
        self._complete_places = complete_places
        self._responder = Responder(
            dispatch,
            admin_role=settings.admin_role,
            admin_ids=settings.admin_ids,
            needs_admin=needs_admin,
            timeout=command_timeout,
        )
        self._post_timeout = post_timeout
        self._guild_ready_timeout = guild_ready_timeout
        self._failures = _FailureLog()
        self._client: discord.Client | None = None
        self._tree: discord.app_commands.CommandTree | None = None
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self._synced = False
        self._ended: str | None = None

    async def start(self) -> None:
        """Log in (so a bad token fails here, loudly), then connect in the background."""
        intents = discord.Intents.none()
        intents.guilds = True
        client = discord.Client(
            intents=intents,
            allowed_mentions=NO_MENTIONS,
            application_id=self._settings.discord_application_id,
            guild_ready_timeout=self._guild_ready_timeout,
            max_ratelimit_timeout=MAX_RATELIMIT_WAIT,
            http_trace=self._failures.trace,
        )
        self._tree = build_command_tree(client, self._responder, self._complete_places)
        client.event(self.on_ready)
        await _login(client, self._settings)
        self._client = client
        self._task = asyncio.create_task(client.connect(reconnect=True), name="discord-gateway")
        self._task.add_done_callback(self._connection_ended)

    async def wait_ready(self, timeout: float) -> None:
        """Return once connected and commands are synced; raise DiscordStartupError otherwise."""
        if self._task is None:
            raise DiscordStartupError("The Discord adapter was not started")
        waiter = asyncio.ensure_future(self._ready.wait())
        try:
            await asyncio.wait(
                {waiter, self._task}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            waiter.cancel()
        if self._ready.is_set():
            return
        if self._task.done():
            raise DiscordStartupError(
                f"The Discord connection ended before it was ready: {self._ended}"
            )
        raise DiscordStartupError(f"Discord did not become ready within {timeout:g} s")

    async def stop(self) -> None:
        """Close the gateway and the HTTP session; safe to call twice."""
        if self._client is not None:
            await self._client.close()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        self._ready.clear()

    async def post(self, channel: str, reply: Reply) -> None:
        """Post a reply to a channel, every mention disabled; failures become DeliveryError."""
        if self._client is None or self._client.is_closed():
            raise DeliveryError("Discord is not connected")
        try:
            channel_id = int(channel)
        except ValueError:
            raise DeliveryError(
                f"{channel!r} is not a Discord channel id", permanent=True
            ) from None
        target = self._client.get_partial_messageable(channel_id)
        path = (
            f"{yarl.URL(discord.http.Route.BASE).path.rstrip('/')}/channels/{channel_id}/messages"
        )
        for embeds in render_messages(reply):
            self._failures.pop(path)
            send = target.send(
                embeds=[discord.Embed.from_dict(e) for e in embeds], allowed_mentions=NO_MENTIONS
            )
            try:
                await asyncio.wait_for(send, timeout=self._post_timeout)
            except TimeoutError:
                raise self._gave_up(channel_id, self._failures.pop(path)) from None
            except SEND_ERRORS as exc:
                raise _delivery_error(channel_id, exc) from None

    def _gave_up(self, channel_id: int, last: tuple[int, float | None] | None) -> DeliveryError:
        waited = f"gave up after {self._post_timeout:g} s"
        if last is None:
            return DeliveryError(
                f"Discord did not accept the post to channel {channel_id}; {waited}"
            )
        status, advice = last
        return DeliveryError(
            f"Discord kept answering {status} for channel {channel_id}; {waited}",
            retry_after=advice if status == 429 else None,
        )

    async def on_ready(self) -> None:
        """discord.py's ready event (again after every reconnect that re-identifies): sync once."""
        if not self._synced:
            self._synced = True
            await self._sync_commands()
        client = self._client
        assert client is not None
        log.info("connected to Discord as %s in %d server(s)", client.user, len(client.guilds))
        self._ready.set()

    async def _sync_commands(self) -> None:
        """Register the commands once per process: in one server if configured, else globally."""
        assert self._tree is not None
        guild_id = self._settings.discord_guild_id
        try:
            if guild_id:
                guild = discord.Object(id=guild_id)
                self._tree.copy_global_to(guild=guild)
                synced = await self._tree.sync(guild=guild)
                log.info("registered %d slash commands in server %s", len(synced), guild_id)
            else:
                synced = await self._tree.sync()
                log.info("registered %d global slash commands", len(synced))
        except discord.Forbidden:
            log.error(
                "Discord refused to register slash commands (403); re-invite the bot with the "
                "applications.commands scope (`sitrep discord-invite` prints the URL)"
            )
        except discord.HTTPException as exc:
            log.error("could not register slash commands (HTTP %s: %s)", exc.status, exc.text[:200])

    def _connection_ended(self, task: asyncio.Task[None]) -> None:
        if task.cancelled():
            return
        exc = task.exception()
        if exc is None:
            log.info("Discord connection closed")
            return
        rejected = isinstance(exc, discord.LoginFailure)
        self._ended = TOKEN_REJECTED if rejected else f"{type(exc).__name__}: {exc}"
        log.error("Discord connection stopped: %s", self._ended)


def _delivery_error(channel_id: int, exc: BaseException) -> DeliveryError:
    """Map what discord.py raised to Sitrep's delivery outcome."""
    if isinstance(exc, discord.RateLimited):
        return DeliveryError(
            f"Discord rate-limited channel {channel_id}", retry_after=exc.retry_after
        )
    if isinstance(exc, discord.Forbidden):
        return DeliveryError(
            f"Discord refused the post to channel {channel_id} ({exc.text or 'Forbidden'}); "
            "check that the bot can view the channel and send messages and embeds there",
            permanent=True,
        )
    if isinstance(exc, discord.NotFound):
        return DeliveryError(
            f"Discord channel {channel_id} was not found ({exc.text})", permanent=True
        )
    if isinstance(exc, discord.HTTPException):
        advice = retry_after(exc.response.headers) if exc.status == 429 else None
        return DeliveryError(
            f"Discord answered {exc.status} for channel {channel_id}: {exc.text}",
            retry_after=advice,
        )
    return DeliveryError(f"Could not reach Discord to post to channel {channel_id}: {exc}")
