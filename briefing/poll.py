"""Poll feed sources: fetch each due source once, ingest what is new, track its health.

A failing source backs off exponentially and is paused after `pause_after` consecutive
failures; the report lists sources paused by this run so the bot can tell the admins.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from briefing.fetch import FetchError, backoff_delay
from briefing.ingest import Ingestor, IngestReport
from briefing.parse import ParseError
from briefing.urlguard import UnsafeURL
from storage.sources import Source

log = logging.getLogger(__name__)


@dataclass
class SourceOutcome:
    source: Source
    ok: bool
    report: IngestReport | None = None
    not_modified: bool = False
    error: str | None = None


@dataclass
class PollReport:
    outcomes: list[SourceOutcome] = field(default_factory=list)
    paused: list[Source] = field(default_factory=list)

    @property
    def added(self) -> int:
        return sum(o.report.added for o in self.outcomes if o.report)

    def line(self) -> str:
        ok = sum(1 for o in self.outcomes if o.ok)
        failed = len(self.outcomes) - ok
        text = (
            f"polled {len(self.outcomes)} source(s): {ok} ok, {failed} failed,"
            f" {self.added} new article(s)"
        )
        if self.paused:
            text += f", paused {len(self.paused)}"
        return text


async def poll_source(
    ingestor: Ingestor, source: Source, *, now: datetime, pause_after: int = 10
) -> tuple[SourceOutcome, bool]:
    """Poll one source; returns its outcome and whether this poll paused it."""
    db = ingestor.db
    try:
        report, result = await ingestor.ingest_url(
            source.url,
            source_name=source.name,
            source_id=source.id,
            etag=source.etag,
            last_modified=source.last_modified,
        )
    except (FetchError, ParseError, UnsafeURL) as exc:
        failures = source.failures + 1
        delay = backoff_delay(failures, base_minutes=source.every_minutes)
        count = db.sources.record_failure(source.id, str(exc), now=now, next_poll=now + delay)
        paused = count >= pause_after
        if paused:
            db.sources.set_paused(source.id, True)
            log.warning("paused source %s after %d failures: %s", source.url, count, exc)
        return SourceOutcome(source, False, error=str(exc)), paused
    db.sources.record_success(
        source.id,
        now=now,
        next_poll=now + timedelta(minutes=source.every_minutes),
        etag=getattr(result, "etag", None) or source.etag,
        last_modified=getattr(result, "last_modified", None) or source.last_modified,
    )
    return SourceOutcome(
        source, True, report, not_modified=getattr(result, "not_modified", False)
    ), False


async def poll_due(
    ingestor: Ingestor,
    *,
    now: datetime,
    pause_after: int = 10,
    concurrency: int = 8,
    sources: list[Source] | None = None,
) -> PollReport:
    """Poll every due source (or the given ones) once, a few at a time."""
    due = sources if sources is not None else ingestor.db.sources.due(now)
    gate = asyncio.Semaphore(concurrency)

    async def one(source: Source) -> tuple[SourceOutcome, bool]:
        async with gate:
            try:
                return await poll_source(ingestor, source, now=now, pause_after=pause_after)
            except Exception as exc:  # a bug in one source's handling must not stop the rest
                log.exception("polling %s failed", source.url)
                return SourceOutcome(source, False, error=f"internal error: {exc}"), False

    report = PollReport()
    for outcome, paused in await asyncio.gather(*(one(s) for s in due)):
        report.outcomes.append(outcome)
        if paused:
            report.paused.append(outcome.source)
    return report
