"""The Scheduler: one minute's work, two processes on one database, pause notices, jobs."""

from __future__ import annotations

import asyncio
import functools
import threading
from datetime import timedelta

from bot.digests import DeliveryResult
from bot.scheduler import Scheduler
from briefing.fetch import FetchError
from briefing.ingest import Ingestor
from briefing.poll import PollReport, poll_due
from storage.database import Database
from tests.schedule.conftest import RecordingPoster, add_article, add_claim, at, subscribe

NOW = at("2026-11-24 08:00")
KEY = "2026-11-24T08:00:00+00:00"


def test_two_schedulers_on_one_database_file_post_each_digest_once(db_path):
    setup = Database(db_path)
    subs = [subscribe(setup, created=at("2026-11-23 12:00"), channel=f"C{n}") for n in range(30)]
    setup.close()
    posters = [RecordingPoster("slack"), RecordingPoster("slack")]
    start = threading.Barrier(2)
    reports = [None, None]

    def process(index: int) -> None:
        database = Database(db_path)
        scheduler = Scheduler(database, {"slack": posters[index]}, clock=lambda: NOW)
        start.wait()
        reports[index] = asyncio.run(scheduler.tick())
        database.close()

    threads = [threading.Thread(target=process, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    channels = sorted(c for poster in posters for c, _ in poster.posts)
    assert channels == sorted(f"C{n}" for n in range(30))
    statuses = sorted((r.subscription_id, r.status) for rep in reports for r in rep.deliveries)
    assert statuses == [(s.id, "posted") for s in subs]


async def test_two_schedulers_in_one_loop_post_once(db_path):
    first, second = Database(db_path), Database(db_path)
    sub = subscribe(first, created=at("2026-11-23 12:00"))
    a, b = RecordingPoster("slack"), RecordingPoster("slack")
    reports = await asyncio.gather(Scheduler(first, {"slack": a}).tick(NOW),
                                   Scheduler(second, {"slack": b}).tick(NOW))
    assert [r.deliveries for r in reports] == [
        [DeliveryResult(sub.id, KEY, "posted", False, 0)], []]
    assert (len(a.posts), len(b.posts)) == (1, 0)
    first.close()
    second.close()


class DeadFeed:
    """A fetcher whose every fetch fails the way an unreachable feed does."""

    async def fetch(self, url: str, *, etag=None, last_modified=None):
        raise FetchError("HTTP 503 from feed.example", status=503)


async def test_a_source_paused_by_a_poll_gets_one_admin_notice_per_platform(db, slack, discord):
    db.sources.add("https://feed.example/rss", "Feed", every_minutes=30, now=NOW)
    poll = functools.partial(poll_due, Ingestor(db, fetcher=DeadFeed()), pause_after=3)
    admin = {"slack": "CADMIN", "discord": "DADMIN"}
    scheduler = Scheduler(db, {"slack": slack, "discord": discord}, poll=poll,
                          admin_channels=admin)

    notices = []
    for day in range(5):  # a day apart: past every back-off
        report = await scheduler.tick(NOW + timedelta(days=day))
        notices.append(report.notices)

    assert notices == [[], [], [("slack", "https://feed.example/rss", "posted"),
                                ("discord", "https://feed.example/rss", "posted")], [], []]
    text = ("Paused source https://feed.example/rss after 3 failures in a row: HTTP 503 from "
            "feed.example. Resume with `source resume https://feed.example/rss`.")
    assert [(c, r.title, r.text) for c, r in slack.posts + discord.posts] == [
        ("CADMIN", "Source paused", text), ("DADMIN", "Source paused", text)]


async def test_a_tick_polls_alerts_then_delivers(db, slack):
    sub = subscribe(db, created=at("2026-11-23 12:00"))
    db.subscriptions.add_watch(platform="slack", channel="C9", place_id=1,
                               place_name="Qala-e-Naw", created_by="U1", now=NOW)
    calls = []

    async def poll(*, now):
        calls.append(now)
        article, _ = add_article(db, "Qala-e-Naw stormed", source="Wire", fetched=now)
        add_claim(db, article, (1, "Qala-e-Naw"))
        return PollReport()

    report = await Scheduler(db, {"slack": slack}, poll=poll).tick(NOW)

    assert calls == [NOW]
    assert [(a.place_name, a.status) for a in report.alerts] == [("Qala-e-Naw", "posted")]
    assert report.deliveries == [DeliveryResult(sub.id, KEY, "posted", False, 0)]
    assert slack.titles() == [("C9", "Watch: Qala-e-Naw"), ("C1", "Daily briefing — 24 Nov 2026")]


async def test_start_builds_the_jobs_from_nothing_but_the_database(db, slack):
    subscribe(db, created=at("2026-11-23 12:00"), channel="C1", at_time="09:00")
    later = subscribe(db, created=at("2026-11-23 12:00"), channel="C2", at_time="08:30")
    scheduler = Scheduler(db, {"slack": slack}, clock=lambda: NOW, grace=timedelta(hours=6),
                          poll=lambda *, now: None)
    scheduler.start()
    try:
        assert scheduler.jobs() == ["catch-up", "deliveries", "poll"]
        job = scheduler._scheduler.get_job("deliveries")
        assert (job.coalesce, job.misfire_grace_time, job.max_instances) == (True, 21600, 1)
        assert [(due, sub.id) for due, sub in scheduler.upcoming][:1] == [
            (at("2026-11-24 08:30"), later.id)]
        scheduler.rebuild()
        assert scheduler.jobs() == ["catch-up", "deliveries", "poll"]
    finally:
        scheduler.shutdown()
        await asyncio.sleep(0)
    assert scheduler.jobs() == []
