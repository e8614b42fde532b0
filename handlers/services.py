"""What handlers may use: the engine and the store, handed in by the app at start-up."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from briefing.fetch import Fetcher
    from briefing.ingest import Ingestor
    from briefing.places import Gazetteer
    from handlers.registry import Registry
    from storage.database import Database


T = TypeVar("T")


def utc_now() -> datetime:
    return datetime.now(UTC)


# Briefings and searches read many rows; they get a thread of their own so that quick
# `status` look-ups (in the default pool) never queue behind them.
_HEAVY = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sitrep-heavy")


async def run_heavy(function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Run a long read off the event loop, in the heavy-command lane."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_HEAVY, functools.partial(function, *args, **kwargs))


@dataclass
class Services:
    """Everything a handler can reach. Built once per process by `bot.app`.

    `clock` is injectable so tests drive time; `schedule_changed` is called after a
    subscription or watch changes, so the scheduler rebuilds its jobs from the database.
    """

    db: Database
    registry: Registry
    ingestor: Ingestor | None = None
    fetcher: Fetcher | None = None
    gazetteer: Gazetteer | None = None
    clock: Callable[[], datetime] = utc_now
    default_timezone: str = "UTC"
    poll_minutes: int = 30
    schedule_changed: Callable[[], None] = field(default=lambda: None)

    def now(self) -> datetime:
        return self.clock()
