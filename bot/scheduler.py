"""The clockwork: every minute deliver what is due, poll sources, alert watchers.

APScheduler only wakes us up. Its jobs hold no subscription state (a memory job store,
nothing pickled): each run asks the database what is due, so a restart, a missed minute, a
second process or a change of subscriptions needs no job bookkeeping to stay correct. Two
jobs run: `deliveries` at the top of every minute (digests and watch alerts) and `poll`
every minute with jitter (sources, then admin notices and watch alerts). A catch-up run at
start-up posts what fell due while the bot was down, within the grace.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.delivery import DeliveryError, Poster
from bot.digests import (
    DEFAULT_GRACE,
    DEFAULT_LEASE,
    AlertResult,
    DeliveryResult,
    deliver_due,
    deliver_watch_alerts,
)
from handlers.base import Reply
from handlers.subscribe import schedule_for
from storage.database import Database
from storage.sources import Source
from storage.subscriptions import Subscription

if TYPE_CHECKING:
    from briefing.poll import PollReport

log = logging.getLogger(__name__)

PollFunction = Callable[..., Awaitable["PollReport"]]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class TickReport:
    """What one minute did; `tick()` returns it so tests and the CLI can show it."""

    deliveries: list[DeliveryResult] = field(default_factory=list)
    alerts: list[AlertResult] = field(default_factory=list)
    poll: PollReport | None = None
    notices: list[tuple[str, str, str]] = field(default_factory=list)  # platform, url, status


def paused_notice(source: Source) -> Reply:
    text = (
        f"Paused source {source.url} after {source.failures} failures in a row:"
        f" {source.last_error or 'unknown error'}. Resume with `source resume {source.url}`."
    )
    return Reply(title="Source paused", text=text, data={"paused": source.url})


async def notify_paused(
    db: Database, posters: Mapping[str, Poster], admin_channels: Mapping[str, str],
    sources: list[Source],
) -> list[tuple[str, str, str]]:
    """Tell each platform's admin channel about sources a poll has just paused.

    The poll that paused a source is the only one that lists it, so each notice goes out
    once. A notice that cannot be posted is logged, not retried: the source stays paused
    and `source list` shows it.
    """
    sent = []
    for paused in sources:
        source = db.sources.get(paused.id) or paused  # fresh failure count and last error
        for platform, channel in admin_channels.items():
            poster = posters.get(platform)
            if poster is None or not channel:
                continue
            try:
                await poster.post(channel, paused_notice(source))
            except DeliveryError as exc:
                log.warning("could not post the pause notice for %s to %s: %s",
                            source.url, platform, exc)
                sent.append((platform, source.url, "failed"))
            else:
                sent.append((platform, source.url, "posted"))
    return sent


class Scheduler:
    """Owns the APScheduler instance; `tick()` is one minute's work, callable directly."""

    def __init__(
        self, db: Database, posters: Mapping[str, Poster], *,
        clock: Callable[[], datetime] = utc_now, timezone_default: str = "UTC",
        grace: timedelta = DEFAULT_GRACE, poll: PollFunction | None = None,
        admin_channels: Mapping[str, str] | None = None, lease: timedelta = DEFAULT_LEASE,
        poll_jitter: int = 20,
    ) -> None:
        """`poll` is awaited as `poll(now=…)` and returns a PollReport, e.g.
        `functools.partial(poll_due, ingestor, pause_after=settings.pause_after_failures)`."""
        self.db = db
        self.posters = dict(posters)
        self.clock = clock
        self.timezone_default = timezone_default
        self.grace = grace
        self.lease = lease
        self.poll = poll
        self.poll_jitter = poll_jitter
        self.admin_channels = dict(admin_channels or {})
        self.upcoming: list[tuple[datetime, Subscription]] = []
        self._scheduler: AsyncIOScheduler | None = None

    def start(self) -> None:
        """Start the jobs on the running loop and run a catch-up straight away."""
        self._scheduler = AsyncIOScheduler(
            event_loop=asyncio.get_running_loop(),
            jobstores={"default": MemoryJobStore()},
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": max(1, int(self.grace.total_seconds())),
            },
            timezone=ZoneInfo(self.timezone_default),
        )
        self._scheduler.start()
        self.rebuild()
        self._scheduler.add_job(self._deliveries_job, id="catch-up", next_run_time=utc_now())

    def rebuild(self) -> None:
        """Re-read the database after a change of subscriptions or watches.

        The jobs themselves never change (they ask the database each minute), so this makes
        sure they exist and refreshes the view of what is coming, for logs and status.
        """
        now = self.clock()
        upcoming = [(schedule_for(s).next(now), s) for s in self.db.subscriptions.all()]
        self.upcoming = sorted(upcoming, key=lambda pair: (pair[0], pair[1].id))
        if self._scheduler is not None:
            if self._scheduler.get_job("deliveries") is None:
                self._scheduler.add_job(self._deliveries_job, CronTrigger(second=0),
                                        id="deliveries")
            if self.poll is not None and self._scheduler.get_job("poll") is None:
                self._scheduler.add_job(self._poll_job, IntervalTrigger(
                    minutes=1, jitter=self.poll_jitter), id="poll")
        if self.upcoming:
            due, sub = self.upcoming[0]
            log.info("%d subscription(s); next digest #%d at %s", len(self.upcoming), sub.id,
                     due.isoformat())

    def jobs(self) -> list[str]:
        return sorted(job.id for job in self._scheduler.get_jobs()) if self._scheduler else []

    async def catch_up(self, now: datetime | None = None) -> list[DeliveryResult]:
        """Deliver (or skip, beyond the grace) every period that fell due and was not posted."""
        return await deliver_due(self.db, self.posters, now or self.clock(), grace=self.grace,
                                 lease=self.lease)

    async def alerts(self, now: datetime | None = None) -> list[AlertResult]:
        return await deliver_watch_alerts(self.db, self.posters, now or self.clock(),
                                          lease=self.lease)

    async def poll_sources(self, now: datetime | None = None) -> TickReport:
        """Poll due sources and tell the admins about any this poll paused."""
        report = TickReport()
        if self.poll is None:
            return report
        report.poll = await self.poll(now=now or self.clock())
        if report.poll.paused:
            report.notices = await notify_paused(self.db, self.posters, self.admin_channels,
                                                 report.poll.paused)
        return report

    async def tick(self, now: datetime | None = None) -> TickReport:
        """One minute's work in order: poll, admin notices, watch alerts, digests."""
        now = now or self.clock()
        report = await self.poll_sources(now)
        report.alerts = await self.alerts(now)
        report.deliveries = await self.catch_up(now)
        return report

    def shutdown(self) -> None:
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        self._scheduler = None

    async def _deliveries_job(self) -> None:
        try:
            digests = await self.catch_up()
            alerts = await self.alerts()
        except Exception:
            log.exception("delivery run failed")
            return
        if digests or alerts:
            counts = Counter(r.status for r in digests)
            log.info("digests: %s; watch alerts: %d", dict(sorted(counts.items())), len(alerts))

    async def _poll_job(self) -> None:
        try:
            report = await self.poll_sources()
            await self.alerts()
        except Exception:
            log.exception("poll run failed")
            return
        if report.poll is not None:
            log.info(report.poll.line())
