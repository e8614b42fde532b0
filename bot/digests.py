"""Scheduled digests and watch alerts, posted exactly once through the platforms' Posters.

The database decides what is due, never the timer that woke us: `deliver_due(now)` looks at
each subscription's latest due instant, and the delivery log says whether that period was
already posted, is being posted by someone else, failed and may be retried, or was missed
for longer than the grace and is to be skipped. Each post follows one protocol:

1. claim the (subscription, period) row in a transaction; no row won means someone else
   has it, so stop;
2. build the digest for (last period covered .. due instant);
3. post it;
4. mark it posted and move the subscription's covered-up-to mark, in one transaction.

A process that dies between 1 and 3 leaves a claim that the next run takes over once the
lease has passed. One that dies between 3 and 4 leaves the same claim, so that digest is
posted a second time after the lease: the protocol trades that narrow window (one local
SQLite commit wide) for never losing a digest.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.delivery import DeliveryError, Poster
from briefing.schedule import Schedule, from_key, local_label, period_key
from briefing.stories import Briefing, build_briefing
from handlers.base import Citation, Field, Reply
from handlers.brief import briefing_reply
from handlers.subscribe import filter_lines, schedule_for
from storage.database import Database
from storage.subscriptions import Subscription, Watch

log = logging.getLogger(__name__)

LATE_AFTER = timedelta(minutes=1)
DEFAULT_GRACE = timedelta(hours=6)
DEFAULT_LEASE = timedelta(minutes=10)
POSTS_PER_PLATFORM = 5
MAX_BACKOFF = timedelta(minutes=30)
MAX_ALERT_ATTEMPTS = 5
ALERT_ITEMS = 10


@dataclass(frozen=True)
class DeliveryResult:
    """What one subscription's due digest came to in this run."""

    subscription_id: int
    period_key: str
    status: str  # posted | empty | failed | skipped
    late: bool = False
    story_count: int = 0
    error: str | None = None


def digest_title(schedule: Schedule, due: datetime, *, late: bool) -> str:
    """`Daily briefing — 24 Nov 2026`, with `(late: scheduled 08:00)` when posted late."""
    local = due.astimezone(schedule.zone)
    title = f"{schedule.cadence.title()} briefing — {local.day} {local:%b %Y}"
    if schedule.cadence == "hourly":
        title += f" {local:%H:%M}"
    if late:
        title += f" (late: scheduled {local:%H:%M})"
    return title


def digest_reply(sub: Subscription, briefing: Briefing, due: datetime, *, late: bool) -> Reply:
    """The digest message: the briefing as `brief` shows it, titled, with its filters."""
    reply = briefing_reply(
        briefing, title=digest_title(schedule_for(sub), due, late=late),
        empty_text=f"Nothing new since {local_label(briefing.since, sub.timezone)}.",
    )
    filters = filter_lines(sub)
    if filters:
        reply.fields.append(Field("Filters", "\n".join(filters)))
    reply.data.update(subscription=sub.id, period=period_key(due), late=late)
    return reply


def period_briefing(db: Database, sub: Subscription, due: datetime,
                    builds: dict[tuple, asyncio.Future]) -> asyncio.Future:
    """The briefing from what the channel last got up to `due`, built off the event loop.

    Channels with the same filters and period (the common case at 08:00) share one build,
    even while it is still running.
    """
    since = from_key(sub.last_period_end or sub.created_at)
    key = (since, due, sub.places, sub.keywords)
    if key not in builds:
        builds[key] = asyncio.ensure_future(asyncio.to_thread(
            build_briefing, db, since=since, until=due, place_ids=sub.places,
            keywords=sub.keywords))
    return builds[key]


def is_empty(briefing: Briefing) -> bool:
    return not briefing.stories and not briefing.changes


async def deliver_due(
    db: Database, posters: Mapping[str, Poster], now: datetime, *,
    grace: timedelta = DEFAULT_GRACE, lease: timedelta = DEFAULT_LEASE,
    concurrency: int = POSTS_PER_PLATFORM,
) -> list[DeliveryResult]:
    """Deliver every digest that is due and not yet delivered; one result per action taken.

    Subscriptions of platforms without a Poster here are left to a process that has one.
    A period missed by more than `grace` (at least a minute) is recorded as skipped.
    """
    store = db.subscriptions
    plans = []
    for sub in store.all(platforms=posters):
        due = schedule_for(sub).previous(now)
        if due > from_key(sub.created_at):
            plans.append((sub, due))
    known = store.deliveries.for_keys(period_key(due) for _, due in plans)
    gates = {platform: asyncio.Semaphore(concurrency) for platform in posters}
    builds: dict[tuple, asyncio.Future] = {}
    results: list[DeliveryResult] = []
    jobs = []
    for sub, due in plans:
        key = period_key(due)
        row = known.get((sub.id, key))
        if now - due > max(grace, LATE_AFTER):
            if row is None and store.record_skipped(sub.id, key, now=now):
                log.warning("skipped digest %s of subscription %d: %s late", key, sub.id, now - due)
                results.append(DeliveryResult(sub.id, key, "skipped", late=True))
            continue
        if row is None or row.claimable(now, lease):
            jobs.append(_deliver_one(db, sub, due, now, lease, posters[sub.platform],
                                     gates[sub.platform], builds))
    results.extend(await _each(jobs))
    return results


async def _deliver_one(
    db: Database, sub: Subscription, due: datetime, now: datetime, lease: timedelta,
    poster: Poster, gate: asyncio.Semaphore, builds: dict[tuple, asyncio.Future],
) -> DeliveryResult | None:
    """Claim, build, post, mark. The gate (per platform) is held throughout, so only a few
    claims are ever in flight and none can outlive its lease while waiting its turn."""
    store, key, late = db.subscriptions, period_key(due), now - due > LATE_AFTER
    async with gate:
        attempt = store.claim_delivery(sub.id, key, now=now, lease=lease, late=late)
        if attempt is None:
            return None  # another firing or process owns this period
        try:
            briefing = await period_briefing(db, sub, due, builds)
            reply = digest_reply(sub, briefing, due, late=late)
        except Exception as exc:
            log.exception("building digest %s of subscription %d failed", key, sub.id)
            error = f"build failed: {exc}"
            store.deliveries.fail(sub.id, key, attempt, error, retry_time(now, attempt, None))
            return DeliveryResult(sub.id, key, "failed", late, error=error)
        count = len(briefing.stories)
        if is_empty(briefing) and not sub.post_empty:
            store.mark_posted(sub.id, key, now=now, story_count=0, status="empty")
            return DeliveryResult(sub.id, key, "empty", late)
        error = await post_once(poster, sub.channel, reply)
    if error is None:
        store.mark_posted(sub.id, key, now=now, story_count=count)
        return DeliveryResult(sub.id, key, "posted", late, count)
    retry_at = None if error.permanent else retry_time(now, attempt, error.retry_after)
    store.deliveries.fail(sub.id, key, attempt, str(error), retry_at)
    log.warning("digest %s to %s:%s failed (attempt %d): %s", key, sub.platform, sub.channel,
                attempt, error)
    return DeliveryResult(sub.id, key, "failed", late, count, str(error))


async def _each(jobs: list) -> list:
    """Run the jobs together; one that breaks (a database error, say) is logged and the
    others' outcomes are kept."""
    outcomes = []
    for outcome in await asyncio.gather(*jobs, return_exceptions=True):
        if isinstance(outcome, BaseException):
            log.error("a delivery broke", exc_info=outcome)
        elif outcome is not None:
            outcomes.append(outcome)
    return outcomes


async def post_once(poster: Poster, channel: str, reply: Reply) -> DeliveryError | None:
    """Post; a failure comes back as a DeliveryError instead of being raised.

    Anything else an adapter raises is a bug there, but it must not stop the other
    channels: it is logged and treated as a failure worth retrying.
    """
    try:
        await poster.post(channel, reply)
    except DeliveryError as exc:
        return exc
    except Exception as exc:
        log.exception("posting to %s:%s raised", poster.platform, channel)
        return DeliveryError(f"{type(exc).__name__}: {exc}")
    return None


def retry_time(now: datetime, attempt: int, retry_after: float | None) -> datetime:
    """Back off 1, 2, 4 … minutes (at most 30), never sooner than the platform asked."""
    backoff = min(MAX_BACKOFF, timedelta(minutes=2 ** (attempt - 1)))
    return now + max(backoff, timedelta(seconds=retry_after or 0))


@dataclass(frozen=True)
class AlertResult:
    """What one watch's alert came to in this run."""

    watch_id: int
    place_name: str
    status: str  # posted | failed
    items: int
    error: str | None = None


def _clip(text: str, limit: int = 240) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _cite(row: dict) -> str:
    label = row["article_source"] or row["article_title"] or "source"
    return f"[{label}]({row['article_url']})" if row["article_url"] else label


def watch_alert_reply(place: str, claims: list[dict], casualties: list[dict]) -> Reply:
    """One message for everything new about a watched place, each line with its source."""
    lines = []
    for c in claims[:ALERT_ITEMS]:
        who = f" by {c['controller']}" if c["controller"] else ""
        when = f", {c['event_date']}" if c["event_date"] else ""
        lines.append(f"- **{c['kind']}**{who}{when}: “{_clip(c['quote'])}” — {_cite(c)}")
    for c in casualties[:ALERT_ITEMS]:
        counts = ", ".join(f"{c[k]} {k}" for k in ("killed", "wounded", "captured") if c[k])
        whose = f" ({c['whose']})" if c["whose"] else ""
        per = f", per {c['reported_by']}" if c["reported_by"] else ""
        when = f", {c['event_date']}" if c["event_date"] else ""
        lines.append(f"- **{counts or 'casualties reported'}**{whose}{per}{when}:"
                     f" “{_clip(c['quote'])}” — {_cite(c)}")
    hidden = max(0, len(claims) - ALERT_ITEMS) + max(0, len(casualties) - ALERT_ITEMS)
    if hidden:
        lines.append(f"…and {hidden} more. `status {place}` has the full picture.")
    citations, seen = [], set()
    for row in [*claims, *casualties]:
        if row["article_url"] and row["article_url"] not in seen:
            seen.add(row["article_url"])
            citations.append(Citation(row["article_title"], row["article_url"],
                                      row["article_source"], (row["article_published"] or "")[:10]
                                      or None))
    return Reply(
        title=f"Watch: {place}", text="\n".join(lines), citations=citations,
        data={"place": place, "claims": [c["id"] for c in claims],
              "casualties": [c["id"] for c in casualties]},
    )


async def deliver_watch_alerts(
    db: Database, posters: Mapping[str, Poster], now: datetime, *,
    lease: timedelta = DEFAULT_LEASE, concurrency: int = POSTS_PER_PLATFORM,
) -> list[AlertResult]:
    """Post, once per watch, whatever new claims and casualty reports arrived for its place."""
    gates = {platform: asyncio.Semaphore(concurrency) for platform in posters}
    jobs = [
        _alert_one(db, watch, now, lease, posters[watch.platform], gates[watch.platform])
        for watch in db.subscriptions.watches() if watch.platform in posters
    ]
    return await _each(jobs)


async def _alert_one(db: Database, watch: Watch, now: datetime, lease: timedelta,
                     poster: Poster, gate: asyncio.Semaphore) -> AlertResult | None:
    new = db.situation.new_since(watch.place_id, watch.last_claim_id, watch.last_casualty_id)
    claims, casualties = new["claims"], new["casualties"]
    if not claims and not casualties:
        return None
    store = db.subscriptions
    place = watch.place_name or (claims or casualties)[0]["place_name"] or str(watch.place_id)
    items = len(claims) + len(casualties)
    upto = {
        "claim_id": max((c["id"] for c in claims), default=watch.last_claim_id),
        "casualty_id": max((c["id"] for c in casualties), default=watch.last_casualty_id),
    }
    async with gate:
        attempt = store.alerts.claim(watch.id, watch.alert_key, now=now, lease=lease)
        if attempt is None:
            return None
        error = await post_once(poster, watch.channel,
                                watch_alert_reply(place, claims, casualties))
    if error is None:
        store.mark_alert_done(watch, now=now, status="posted", item_count=items, **upto)
        return AlertResult(watch.id, place, "posted", items)
    if error.permanent or attempt >= MAX_ALERT_ATTEMPTS:
        log.warning("giving up the %s alert for %s:%s: %s", place, watch.platform, watch.channel,
                    error)
        store.mark_alert_done(watch, now=now, status="failed", item_count=items,
                              error=str(error), **upto)
    else:
        store.alerts.fail(watch.id, watch.alert_key, attempt, str(error),
                          retry_time(now, attempt, error.retry_after))
    return AlertResult(watch.id, place, "failed", items, str(error))
