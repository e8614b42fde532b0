"""From a Discord interaction to an answer: acknowledge, dispatch, follow up.

Discord shows "the application did not respond" unless an interaction is acknowledged
within three seconds, so every command is deferred first (a "thinking" response), then
dispatched to the registry with a time limit, then answered with follow-up messages
rendered by `bot.render_discord`. Whether the user is an admin is decided here, because
only the adapter knows Discord's permission model.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable

import discord

from bot.render_discord import render_messages
from handlers.base import Command, Reply
from handlers.registry import Registry

log = logging.getLogger(__name__)

Dispatch = Callable[[Command], Awaitable[Reply]]
NeedsAdmin = Callable[[Command], bool]
Interaction = discord.Interaction

# Mirrors the handlers' specs for when no registry is given (see `needs_admin_from`).
ADMIN_COMMANDS = frozenset({"subscribe", "unsubscribe", "watch", "unwatch"})
ADMIN_SUBCOMMANDS = {"source": frozenset({"add", "remove", "pause", "resume", "import"})}
PRIVATE_COMMANDS = frozenset({"subscriptions"})
TOO_SLOW = "Sorry, that took too long to answer. Please try again in a moment."
FAILED = "Sorry, something went wrong while answering that. It has been logged."


def default_needs_admin(command: Command) -> bool:
    """Which commands are refused to non-admins, so their refusal can be deferred privately."""
    if command.name in ADMIN_COMMANDS:
        return True
    admin_only = ADMIN_SUBCOMMANDS.get(command.name, frozenset())
    return bool(command.args) and command.args[0].lower() in admin_only


def needs_admin_from(registry: Registry) -> NeedsAdmin:
    """Ask the registry, the one place that decides who may run what."""

    def needs_admin(command: Command) -> bool:
        spec = registry.get(command.name)
        return spec is not None and spec.needs_admin(command.args)

    return needs_admin


class Responder:
    """Acknowledge, dispatch, answer: the three steps every slash command goes through."""

    def __init__(
        self,
        dispatch: Dispatch,
        *,
        admin_role: str = "",
        admin_ids: Iterable[str] = (),
        needs_admin: NeedsAdmin = default_needs_admin,
        timeout: float = 12.0,
    ) -> None:
        self._dispatch = dispatch
        self._admin_role = admin_role.strip().casefold()
        self._admin_ids = frozenset(admin_ids)
        self._needs_admin = needs_admin
        self._timeout = timeout

    def is_admin(self, interaction: Interaction) -> bool:
        """Manage Server (or Administrator), the configured admin role, or a listed user id."""
        user = interaction.user
        if str(user.id) in self._admin_ids:
            return True
        if not isinstance(user, discord.Member):
            return False
        permissions = interaction.permissions
        if permissions.administrator or permissions.manage_guild:
            return True
        return bool(self._admin_role) and any(
            role.name.casefold() == self._admin_role for role in user.roles
        )

    def command_for(self, interaction: Interaction, name: str, args: tuple[str, ...]) -> Command:
        """The platform-neutral command; ids become strings, DMs get the guild `dm`."""
        return Command(
            name=name,
            args=args,
            user=str(interaction.user.id),
            channel=str(interaction.channel_id or ""),
            guild=str(interaction.guild_id) if interaction.guild_id else "dm",
            platform="discord",
            is_admin=self.is_admin(interaction),
        )

    async def __call__(self, interaction: Interaction, name: str, args: tuple[str, ...]) -> None:
        command = self.command_for(interaction, name, args)
        # A deferred response fixes the visibility of the first follow-up, so answers known
        # to be private (refusals, personal lists) are deferred privately from the start.
        private = name in PRIVATE_COMMANDS or (self._needs_admin(command) and not command.is_admin)
        try:
            await interaction.response.defer(ephemeral=private, thinking=True)
        except discord.HTTPException as exc:
            log.warning(
                "could not acknowledge /%s (HTTP %s); Discord will show it failed", name, exc.status
            )
            return
        reply = await self._answer(command)
        await self._send(interaction, name, reply, private)

    async def _answer(self, command: Command) -> Reply:
        try:
            return await asyncio.wait_for(self._dispatch(command), timeout=self._timeout)
        except TimeoutError:
            log.warning("/%s did not answer within %.1f s", command.name, self._timeout)
            return Reply.failure(TOO_SLOW)
        except Exception:
            log.exception("/%s failed outside the registry", command.name)
            return Reply.failure(FAILED)

    async def _send(self, interaction: Interaction, name: str, reply: Reply, private: bool) -> None:
        ephemeral = private or reply.ephemeral
        if ephemeral and not private:
            # The first follow-up would take over the public "thinking" message and keep its
            # visibility; removing that message lets the answer arrive as a private one.
            with contextlib.suppress(discord.HTTPException):
                await interaction.delete_original_response()
        for embeds in render_messages(reply):
            try:
                await interaction.followup.send(
                    embeds=[discord.Embed.from_dict(embed) for embed in embeds],
                    ephemeral=ephemeral,
                    allowed_mentions=discord.AllowedMentions.none(),
                )
            except discord.HTTPException as exc:
                log.warning(
                    "could not send the answer to /%s (HTTP %s: %s)",
                    name,
                    exc.status,
                    exc.text[:200],
                )
                return
