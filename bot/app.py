"""Assembling a Sitrep process: database, engine, handlers, and whichever adapters are set up.

One `App` serves Discord, Slack and the console at once through the same registry, so a
command gives the same answer wherever it is typed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING

from bot.settings import Settings
from briefing.fetch import Fetcher
from briefing.ingest import Ingestor
from handlers.base import Command, Reply, UserError
from handlers.commands import build_registry
from handlers.registry import parse_line
from handlers.services import Services
from storage.database import Database

if TYPE_CHECKING:
    from briefing.places import Gazetteer, MentionFinder

log = logging.getLogger(__name__)


class App:
    def __init__(
        self,
        settings: Settings,
        *,
        clock: Callable[[], datetime] | None = None,
        with_places: bool = True,
    ) -> None:
        self.settings = settings
        self.clock = clock or (lambda: datetime.now(UTC))
        self.with_places = with_places
        self.db = Database(settings.database_path)
        self.fetcher = Fetcher(
            allow_private=settings.allow_private_urls,
            max_bytes=settings.max_response_bytes,
            timeout=settings.fetch_timeout,
            user_agent=settings.user_agent,
            per_host=settings.per_host_concurrency,
        )
        self.registry = build_registry()
        self._schedule_listeners: list[Callable[[], None]] = []

    # The gazetteer takes a moment to open (and longer the very first time, when it is
    # built), so commands that do not need places never pay for it.
    @cached_property
    def gazetteer(self) -> Gazetteer | None:
        if not self.with_places:
            return None
        from briefing.places import open_gazetteer

        seeds = self.settings.seeds_dir / "places.csv"
        return open_gazetteer(self.settings.gazetteer_path, seeds if seeds.exists() else None)

    @cached_property
    def finder(self) -> MentionFinder | None:
        if self.gazetteer is None:
            return None
        from briefing.places import MentionFinder

        return MentionFinder(self.gazetteer)

    @cached_property
    def ingestor(self) -> Ingestor:
        return Ingestor(self.db, finder=self.finder, fetcher=self.fetcher, clock=self.clock)

    @cached_property
    def services(self) -> Services:
        return Services(
            db=self.db,
            registry=self.registry,
            ingestor=self.ingestor,
            fetcher=self.fetcher,
            gazetteer=self.gazetteer,
            clock=self.clock,
            default_timezone=self.settings.timezone,
            poll_minutes=self.settings.default_poll_minutes,
            schedule_changed=self._schedule_changed,
        )

    def on_schedule_change(self, listener: Callable[[], None]) -> None:
        self._schedule_listeners.append(listener)

    def _schedule_changed(self) -> None:
        for listener in self._schedule_listeners:
            listener()

    async def dispatch(self, command: Command) -> Reply:
        return await self.registry.dispatch(command, self.services)

    async def ask(
        self,
        line: str,
        *,
        user: str = "console",
        is_admin: bool = True,
        platform: str = "console",
        channel: str = "console",
    ) -> Reply:
        """Run one typed command line as `user` (the local operator is an admin)."""
        try:
            command = parse_line(
                line,
                user=user,
                channel=channel,
                guild=platform,
                platform=platform,
                is_admin=is_admin,
            )
        except UserError as exc:
            return Reply.failure(str(exc))
        return await self.dispatch(command)

    async def complete_places(self, prefix: str) -> list[str]:
        """Autocomplete: places in the news first, then the gazetteer's biggest matches."""
        prefix = prefix.strip()
        names = [name for _, name, _ in self.db.situation.places_in_news(prefix, limit=25)]
        if self.gazetteer is not None and prefix:
            places = await asyncio.to_thread(self.gazetteer.complete, prefix, 25)
            for place in places:
                label = ", ".join(p for p in (place.name, place.admin1, place.country) if p)
                if place.name not in names and label not in names:
                    names.append(label)
        return [n[:100] for n in names[:25]]

    async def close(self) -> None:
        await self.fetcher.close()
        self.db.close()
