"""The delivery log's claim rules, straight against the store."""

from __future__ import annotations

from datetime import timedelta

from storage.subscriptions import Delivery
from tests.schedule.conftest import at, subscribe

KEY = "2026-11-24T08:00:00+00:00"
LEASE = timedelta(minutes=10)


def test_a_claim_is_won_once_then_only_after_a_failure_or_the_lease(db):
    sub = subscribe(db, created=at("2026-11-23 12:00"))
    store = db.subscriptions
    claim = store.claim_delivery
    assert claim(sub.id, KEY, now=at("2026-11-24 08:00"), lease=LEASE, late=False) == 1
    assert claim(sub.id, KEY, now=at("2026-11-24 08:00"), lease=LEASE, late=False) is None
    assert claim(sub.id, KEY, now=at("2026-11-24 08:09:59"), lease=LEASE, late=True) is None
    assert claim(sub.id, KEY, now=at("2026-11-24 08:10"), lease=LEASE, late=True) == 2

    assert store.deliveries.fail(sub.id, KEY, 1, "stale attempt", None) is False
    assert store.deliveries.fail(sub.id, KEY, 2, "HTTP 500", at("2026-11-24 08:12")) is True
    assert claim(sub.id, KEY, now=at("2026-11-24 08:11"), lease=LEASE, late=True) is None
    assert claim(sub.id, KEY, now=at("2026-11-24 08:12"), lease=LEASE, late=True) == 3
    assert store.deliveries.fail(sub.id, KEY, 3, "channel_not_found", None) is True
    assert claim(sub.id, KEY, now=at("2026-11-24 12:00"), lease=LEASE, late=True) is None
    assert store.deliveries.get(sub.id, KEY) == Delivery(
        sub.id, KEY, "failed", "2026-11-24T08:12:00+00:00", None, 3, "channel_not_found", None)


def test_marking_posted_moves_the_covered_mark_forward_only(db):
    sub = subscribe(db, created=at("2026-11-23 12:00"))
    store = db.subscriptions
    later, earlier = "2026-11-25T08:00:00+00:00", KEY
    for key in (later, earlier):
        store.claim_delivery(sub.id, key, now=at("2026-11-25 08:00"), lease=LEASE, late=False)
        store.mark_posted(sub.id, key, now=at("2026-11-25 08:00"), story_count=2)
    assert store.get(sub.id).last_period_end == later
    assert [(d.key, d.status) for d in store.deliveries.recent(sub.id)] == [
        (later, "posted"), (earlier, "posted")]


def test_a_skip_never_overwrites_a_delivery(db):
    sub = subscribe(db, created=at("2026-11-23 12:00"))
    store = db.subscriptions
    store.claim_delivery(sub.id, KEY, now=at("2026-11-24 08:00"), lease=LEASE, late=False)
    assert store.record_skipped(sub.id, KEY, now=at("2026-11-24 20:00")) is False
    assert store.deliveries.get(sub.id, KEY).status == "claimed"


def test_migrations_run_twice_without_harm(db):
    assert db.migrate() == []
    assert "retry_at" in db.db["deliveries"].columns_dict
    assert "watch_alerts" in db.table_names()
