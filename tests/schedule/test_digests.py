"""Digests: due periods posted once, late within the grace, skipped beyond it, retried after
a failure, and taken over after a crash. Time is whatever each call says `now` is."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta

from bot.delivery import DeliveryError
from bot.digests import DeliveryResult, deliver_due
from storage.database import Database
from storage.subscriptions import Delivery
from tests.schedule.conftest import RecordingPoster, add_article, at, subscribe

KEY = "2026-11-24T08:00:00+00:00"
CREATED = at("2026-11-23 12:00")


def stories(reply) -> list[tuple[str, list[str | None]]]:
    return [(s["title"], [a["source"] for a in s["sources"]]) for s in reply.data["stories"]]


async def test_a_due_digest_is_posted_once_with_each_story_once_and_all_its_sources(db, slack):
    sub = subscribe(db, created=CREATED)
    add_article(db, "Old news before the subscription", source="Wire",
                fetched=at("2026-11-23 09:00"))
    _, story = add_article(db, "Taliban storm Qala-e-Naw prison", source="Pajhwok",
                           fetched=at("2026-11-23 20:00"), url="https://pajhwok.example/1")
    add_article(db, "Prison break in Qala-e-Naw", source="Tolo", fetched=at("2026-11-23 21:00"),
                story=story, url="https://tolo.example/2")
    add_article(db, "Kunduz road reopens", source="Wire", fetched=at("2026-11-24 07:59"))
    add_article(db, "After the digest", source="Wire", fetched=at("2026-11-24 08:00"))

    results = await deliver_due(db, {"slack": slack}, at("2026-11-24 08:00"))

    assert results == [DeliveryResult(sub.id, KEY, "posted", False, 2)]
    assert slack.titles() == [("C1", "Daily briefing — 24 Nov 2026")]
    assert stories(slack.posts[0][1]) == [
        ("Taliban storm Qala-e-Naw prison", ["Pajhwok", "Tolo"]),
        ("Kunduz road reopens", ["Wire"]),
    ]
    assert await deliver_due(db, {"slack": slack}, at("2026-11-24 08:00")) == []
    assert await deliver_due(db, {"slack": slack}, at("2026-11-24 09:00")) == []
    assert len(slack.posts) == 1
    assert db.subscriptions.get(sub.id).last_period_end == KEY

    await deliver_due(db, {"slack": slack}, at("2026-11-25 08:00"))
    assert stories(slack.posts[1][1]) == [("After the digest", ["Wire"])]


async def test_a_run_missed_within_the_grace_is_posted_once_and_marked_late(db, slack):
    sub = subscribe(db, created=CREATED, timezone="Europe/London")
    add_article(db, "Clashes on the outskirts", source="Wire", fetched=at("2026-11-23 20:00"))

    results = await deliver_due(db, {"slack": slack}, at("2026-11-24 10:30"))

    assert results == [DeliveryResult(sub.id, KEY, "posted", True, 1)]
    assert slack.titles() == [("C1", "Daily briefing — 24 Nov 2026 (late: scheduled 08:00)")]
    assert await deliver_due(db, {"slack": slack}, at("2026-11-24 10:31")) == []
    assert len(slack.posts) == 1


async def test_a_run_missed_beyond_the_grace_is_skipped_and_its_news_kept_for_the_next(db, slack):
    sub = subscribe(db, created=CREATED)
    add_article(db, "Clashes on the outskirts", source="Wire", fetched=at("2026-11-23 20:00"))

    results = await deliver_due(db, {"slack": slack}, at("2026-11-24 14:30"))

    assert results == [DeliveryResult(sub.id, KEY, "skipped", True)]
    assert slack.posts == []
    assert db.subscriptions.deliveries.get(sub.id, KEY) == Delivery(
        sub.id, KEY, "skipped", "2026-11-24T14:30:00+00:00", None, 0, None, None)
    assert await deliver_due(db, {"slack": slack}, at("2026-11-24 15:00")) == []

    await deliver_due(db, {"slack": slack}, at("2026-11-25 08:00"))
    assert [stories(r) for _, r in slack.posts] == [[("Clashes on the outskirts", ["Wire"])]]


async def test_the_grace_is_configurable(db, slack):
    sub = subscribe(db, created=CREATED)
    results = await deliver_due(db, {"slack": slack}, at("2026-11-24 09:00"),
                                grace=timedelta(minutes=30))
    assert results == [DeliveryResult(sub.id, KEY, "skipped", True)]


async def test_a_claim_left_by_a_process_that_died_is_posted_once_after_the_lease(db_path, slack):
    first = Database(db_path)
    sub = subscribe(first, created=CREATED)
    # The first process claims the period and dies before posting.
    assert first.subscriptions.claim_delivery(sub.id, KEY, now=at("2026-11-24 08:00"),
                                              lease=timedelta(minutes=10), late=False) == 1
    first.close()

    second = Database(db_path)
    assert await deliver_due(second, {"slack": slack}, at("2026-11-24 08:05")) == []
    assert slack.posts == []
    results = await deliver_due(second, {"slack": slack}, at("2026-11-24 08:11"))
    assert results == [DeliveryResult(sub.id, KEY, "posted", True, 0)]
    assert await deliver_due(second, {"slack": slack}, at("2026-11-24 08:30")) == []
    assert slack.titles() == [("C1", "Daily briefing — 24 Nov 2026 (late: scheduled 08:00)")]
    assert second.subscriptions.deliveries.get(sub.id, KEY).attempts == 2
    second.close()


async def test_a_crash_after_posting_but_before_marking_posts_again_after_the_lease(db, slack):
    """The one window claim-then-post cannot close: the platform has the message but the
    database does not know. After the lease the period is posted a second time (at least
    once, never lost); the window is one local SQLite commit wide."""
    sub = subscribe(db, created=CREATED)
    db.subscriptions.claim_delivery(sub.id, KEY, now=at("2026-11-24 08:00"),
                                    lease=timedelta(minutes=10), late=False)
    slack.posts.append(("C1", None))  # the post that went out just before the crash

    results = await deliver_due(db, {"slack": slack}, at("2026-11-24 08:11"))

    assert results == [DeliveryResult(sub.id, KEY, "posted", True, 0)]
    assert [channel for channel, _ in slack.posts] == ["C1", "C1"]


async def test_a_429_is_retried_after_the_platforms_delay_and_posted_once(db, slack):
    sub = subscribe(db, created=CREATED)
    slack.failures["C1"] = [DeliveryError("ratelimited", retry_after=120)]

    failed = await deliver_due(db, {"slack": slack}, at("2026-11-24 08:00"))
    assert failed == [DeliveryResult(sub.id, KEY, "failed", False, 0, "ratelimited")]
    assert db.subscriptions.deliveries.get(sub.id, KEY) == Delivery(
        sub.id, KEY, "failed", "2026-11-24T08:00:00+00:00", None, 1, "ratelimited",
        "2026-11-24T08:02:00+00:00")
    assert await deliver_due(db, {"slack": slack}, at("2026-11-24 08:01")) == []

    retried = await deliver_due(db, {"slack": slack}, at("2026-11-24 08:02"))
    assert retried == [DeliveryResult(sub.id, KEY, "posted", True, 0)]
    assert await deliver_due(db, {"slack": slack}, at("2026-11-24 08:03")) == []
    assert slack.titles() == [("C1", "Daily briefing — 24 Nov 2026 (late: scheduled 08:00)")]


async def test_one_failing_channel_never_blocks_the_others(db, slack):
    one = subscribe(db, created=CREATED, channel="C1")
    two = subscribe(db, created=CREATED, channel="C2")
    gone = subscribe(db, created=CREATED, channel="C3")
    three = subscribe(db, created=CREATED, channel="C4")
    slack.failures["C2"] = [RuntimeError("adapter bug")]
    slack.failures["C3"] = [DeliveryError("channel_not_found", permanent=True)]

    results = await deliver_due(db, {"slack": slack}, at("2026-11-24 08:00"))

    assert results == [
        DeliveryResult(one.id, KEY, "posted", False, 0),
        DeliveryResult(two.id, KEY, "failed", False, 0, "RuntimeError: adapter bug"),
        DeliveryResult(gone.id, KEY, "failed", False, 0, "channel_not_found"),
        DeliveryResult(three.id, KEY, "posted", False, 0),
    ]
    later = await deliver_due(db, {"slack": slack}, at("2026-11-24 08:01"))
    assert later == [DeliveryResult(two.id, KEY, "posted", False, 0)]
    assert await deliver_due(db, {"slack": slack}, at("2026-11-24 09:00")) == []
    assert [channel for channel, _ in slack.posts] == ["C1", "C4", "C2"]


async def test_an_empty_period_says_nothing_new_unless_quiet(db, slack):
    loud = subscribe(db, created=CREATED, channel="C1", timezone="Europe/London")
    quiet = subscribe(db, created=CREATED, channel="C2", post_empty=False)

    results = await deliver_due(db, {"slack": slack}, at("2026-11-24 08:00"))

    assert results == [DeliveryResult(loud.id, KEY, "posted", False, 0),
                       DeliveryResult(quiet.id, KEY, "empty", False, 0)]
    assert [(c, r.title, r.text) for c, r in slack.posts] == [
        ("C1", "Daily briefing — 24 Nov 2026", "Nothing new since Mon 23 Nov 2026 12:00 GMT."),
    ]
    assert db.subscriptions.get(quiet.id).last_period_end == KEY


async def test_filters_narrow_the_stories_and_are_shown(db, slack):
    subscribe(db, created=CREATED, places=((1, "Qala-e-Naw"),), keywords=("prison",))
    add_article(db, "Prison break reported", source="Pajhwok", fetched=at("2026-11-23 20:00"),
                places=((1, "Qala-e-Naw"),))
    add_article(db, "Prison in Kunduz", source="Tolo", fetched=at("2026-11-23 20:00"),
                places=((2, "Kunduz"),))
    add_article(db, "Market in Qala-e-Naw", source="Tolo", fetched=at("2026-11-23 20:00"),
                places=((1, "Qala-e-Naw"),))

    await deliver_due(db, {"slack": slack}, at("2026-11-24 08:00"))

    reply = slack.posts[0][1]
    assert stories(reply) == [("Prison break reported", ["Pajhwok"])]
    assert [(f.name, f.value) for f in reply.fields] == [
        ("Filters", "Places: Qala-e-Naw\nKeywords: prison")]


async def test_each_platform_is_left_to_a_process_that_can_post_there(db, slack, discord):
    on_discord = subscribe(db, created=CREATED, platform="discord", channel="D1")
    assert await deliver_due(db, {"slack": slack}, at("2026-11-24 08:00")) == []
    assert await deliver_due(db, {"slack": slack}, at("2026-11-24 20:00")) == []
    results = await deliver_due(db, {"discord": discord}, at("2026-11-24 08:00"))
    assert results == [DeliveryResult(on_discord.id, KEY, "posted", False, 0)]


async def test_nothing_is_due_before_the_first_instant_after_subscribing(db, slack):
    subscribe(db, created=at("2026-11-24 08:30"))
    assert await deliver_due(db, {"slack": slack}, at("2026-11-24 09:00")) == []
    assert await deliver_due(db, {"slack": slack}, at("2026-11-25 07:59")) == []


async def test_digests_post_a_few_at_a_time_per_platform(db):
    class Counting(RecordingPoster):
        active = peak = 0

        async def post(self, channel, reply):
            Counting.active += 1
            Counting.peak = max(Counting.peak, Counting.active)
            await asyncio.sleep(0)
            Counting.active -= 1
            await super().post(channel, reply)

    for n in range(12):
        subscribe(db, created=CREATED, channel=f"C{n}")
    poster = Counting("slack")
    results = await deliver_due(db, {"slack": poster}, at("2026-11-24 08:00"), concurrency=3)
    assert [r.status for r in results] == ["posted"] * 12
    assert Counting.peak == 3


async def test_across_the_clock_change_the_digest_follows_local_time(db, slack):
    sub = subscribe(db, created=at("2026-03-27 12:00"), timezone="Europe/London")
    posted = []
    for now in ("2026-03-28 08:00", "2026-03-29 07:00", "2026-03-29 08:00", "2026-03-30 07:00"):
        posted.append([(r.period_key, r.status) for r in
                       await deliver_due(db, {"slack": slack}, at(now))])
    assert posted == [[("2026-03-28T08:00:00+00:00", "posted")],
                      [("2026-03-29T07:00:00+00:00", "posted")], [],
                      [("2026-03-30T07:00:00+00:00", "posted")]]
    assert slack.titles() == [("C1", "Daily briefing — 28 Mar 2026"),
                              ("C1", "Daily briefing — 29 Mar 2026"),
                              ("C1", "Daily briefing — 30 Mar 2026")]
    assert db.subscriptions.get(sub.id).last_period_end == "2026-03-30T07:00:00+00:00"


async def test_a_delivery_that_breaks_outright_does_not_lose_the_others(db, slack, monkeypatch):
    broken = subscribe(db, created=CREATED, channel="C1")
    fine = subscribe(db, created=CREATED, channel="C2")
    claim = db.subscriptions.claim_delivery

    def flaky_claim(subscription_id, key, **kwargs):
        if subscription_id == broken.id:
            raise sqlite3.OperationalError("database is locked")
        return claim(subscription_id, key, **kwargs)

    monkeypatch.setattr(db.subscriptions, "claim_delivery", flaky_claim)
    results = await deliver_due(db, {"slack": slack}, at("2026-11-24 08:00"))
    assert results == [DeliveryResult(fine.id, KEY, "posted", False, 0)]
    monkeypatch.undo()
    retried = await deliver_due(db, {"slack": slack}, at("2026-11-24 08:01"))
    assert retried == [DeliveryResult(broken.id, KEY, "posted", False, 0)]
