"""Digest subscriptions, place watches, per-server settings and their delivery logs.

The delivery logs (`deliveries` for digests, `watch_alerts` for watches) are what makes a
post happen once. A sender first *claims* a row keyed by what it is about to post; a second
process, or a second firing in this one, finds the row taken and stops. The claim, and the
"posted" mark together with the subscription's or watch's progress, are each one
transaction. A claim whose owner died is taken over once its lease has run out.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.database import Database

log = logging.getLogger(__name__)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Subscription:
    id: int
    platform: str
    channel: str
    guild: str | None
    cadence: str
    at_time: str
    weekday: int | None
    timezone: str
    places: tuple[int, ...]
    place_names: tuple[str, ...]
    keywords: tuple[str, ...]
    post_empty: bool
    created_by: str | None
    created_at: str
    last_period_end: str | None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Subscription:
        data = {name: row[name] for name in cls.__dataclass_fields__}  # a later column is fine
        for name in ("places", "place_names", "keywords"):
            data[name] = tuple(json.loads(data[name] or "[]"))
        data["post_empty"] = bool(data["post_empty"])
        return cls(**data)


@dataclass(frozen=True)
class Delivery:
    """One row of a delivery log: a digest period or a watch alert, and how it went."""

    owner_id: int
    key: str
    status: str  # claimed | posted | empty | failed | skipped
    claimed_at: str | None
    posted_at: str | None
    attempts: int
    error: str | None
    retry_at: str | None

    def claimable(self, now: datetime, lease: timedelta) -> bool:
        """A failed row whose retry time has come, or a claim whose owner has had its lease
        and more (it died between claim and post). Posted, skipped and fresh claims are not."""
        if self.status == "failed":
            return self.retry_at is not None and self.retry_at <= _iso(now)
        if self.status == "claimed":
            return self.claimed_at is not None and self.claimed_at <= _iso(now - lease)
        return False


@dataclass(frozen=True)
class Watch:
    id: int
    platform: str
    channel: str
    place_id: int
    place_name: str | None
    created_by: str | None
    created_at: str
    last_claim_id: int
    last_casualty_id: int

    @property
    def alert_key(self) -> str:
        """What the next alert starts after; two senders reading the same watch agree on it."""
        return f"{self.last_claim_id}:{self.last_casualty_id}"

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Watch:
        return cls(**{name: row[name] for name in cls.__dataclass_fields__})


class _Ledger:
    """Claim / fail bookkeeping shared by both delivery logs (table names are constants)."""

    def __init__(self, database: Database, table: str, owner: str, key: str) -> None:
        self._db, self._table, self._owner, self._key = database, table, owner, key

    def recent(self, owner_id: int, limit: int = 20) -> list[Delivery]:
        """The newest rows for one owner, newest key first."""
        rows = self._db.query(
            f"SELECT * FROM {self._table} WHERE {self._owner} = ? ORDER BY {self._key} DESC"
            f" LIMIT ?",
            (owner_id, limit),
        )
        return [self._delivery(r) for r in rows]

    def _delivery(self, row: sqlite3.Row) -> Delivery:
        return Delivery(
            row[self._owner],
            row[self._key],
            row["status"],
            row["claimed_at"],
            row["posted_at"],
            row["attempts"],
            row["error"],
            row["retry_at"],
        )

    def get(self, owner_id: int, key: str) -> Delivery | None:
        row = self._db.query_one(
            f"SELECT * FROM {self._table} WHERE {self._owner} = ? AND {self._key} = ?",
            (owner_id, key),
        )
        return self._delivery(row) if row else None

    def for_keys(self, keys: Iterable[str]) -> dict[tuple[int, str], Delivery]:
        """Every row for these keys, in one query per 500 keys."""
        wanted, found = sorted(set(keys)), {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = self._db.query(
                f"SELECT * FROM {self._table} WHERE {self._key} IN ({','.join('?' * len(chunk))})",
                tuple(chunk),
            )
            for row in rows:
                found[(row[self._owner], row[self._key])] = self._delivery(row)
        return found

    def claim(
        self,
        owner_id: int,
        key: str,
        *,
        now: datetime,
        lease: timedelta,
        extra: dict[str, object] | None = None,
    ) -> int | None:
        """Take the row for (owner, key); returns the attempt number, or None if not ours.

        A new row is ours. So is a failed row whose retry time has come, and a claimed row
        older than `lease` (its owner died between claim and post). Anything else belongs
        to someone else or is finished.
        """
        extra = extra or {}
        with self._db.transaction() as conn:
            cols = ", ".join([self._owner, self._key, "status", "claimed_at", "attempts", *extra])
            marks = ", ".join("?" * (5 + len(extra)))
            cur = conn.execute(
                f"INSERT OR IGNORE INTO {self._table} ({cols}) VALUES ({marks})",
                (owner_id, key, "claimed", _iso(now), 1, *extra.values()),
            )
            if cur.rowcount == 1:
                return 1
            current = self._delivery(
                conn.execute(
                    f"SELECT * FROM {self._table} WHERE {self._owner} = ? AND {self._key} = ?",
                    (owner_id, key),
                ).fetchone()
            )
            if not current.claimable(now, lease):
                return None
            if current.status == "claimed":
                log.warning("taking over a stale claim on %s %s/%s", self._table, owner_id, key)
            sets = ", ".join(
                [
                    "status = 'claimed'",
                    "claimed_at = ?",
                    "attempts = attempts + 1",
                    "retry_at = NULL",
                    *(f"{name} = ?" for name in extra),
                ]
            )
            conn.execute(
                f"UPDATE {self._table} SET {sets} WHERE {self._owner} = ? AND {self._key} = ?",
                (_iso(now), *extra.values(), owner_id, key),
            )
            return current.attempts + 1

    def fail(
        self, owner_id: int, key: str, attempt: int, error: str, retry_at: datetime | None
    ) -> bool:
        """Record a failed post; `retry_at` None means never retry. Keeps a later 'posted'."""
        with self._db.transaction() as conn:
            cur = conn.execute(
                f"UPDATE {self._table} SET status = 'failed', error = ?, retry_at = ?"
                f" WHERE {self._owner} = ? AND {self._key} = ? AND status = 'claimed'"
                f" AND attempts = ?",
                (error[:500], _iso(retry_at) if retry_at else None, owner_id, key, attempt),
            )
            return cur.rowcount == 1


class SubscriptionStore:
    def __init__(self, database: Database) -> None:
        self._db = database
        self.deliveries = _Ledger(database, "deliveries", "subscription_id", "period_key")
        self.alerts = _Ledger(database, "watch_alerts", "watch_id", "alert_key")

    # Subscriptions -----------------------------------------------------------------------

    def add(
        self,
        *,
        platform: str,
        channel: str,
        guild: str | None,
        cadence: str,
        at_time: str,
        weekday: int | None,
        timezone: str,
        places: Sequence[tuple[int, str]] = (),
        keywords: Sequence[str] = (),
        post_empty: bool = True,
        created_by: str | None = None,
        now: datetime,
    ) -> Subscription:
        with self._db.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO subscriptions (platform, channel, guild, cadence, at_time, weekday,"
                " timezone, places, place_names, keywords, post_empty, created_by, created_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    platform,
                    channel,
                    guild,
                    cadence,
                    at_time,
                    weekday,
                    timezone,
                    json.dumps([p for p, _ in places]),
                    json.dumps([n for _, n in places]),
                    json.dumps(list(keywords)),
                    int(post_empty),
                    created_by,
                    _iso(now),
                ),
            )
            new_id = int(cur.lastrowid)
        found = self.get(new_id)
        assert found is not None
        return found

    def get(self, subscription_id: int) -> Subscription | None:
        row = self._db.query_one("SELECT * FROM subscriptions WHERE id = ?", (subscription_id,))
        return Subscription.from_row(row) if row else None

    def for_channel(self, platform: str, channel: str) -> list[Subscription]:
        rows = self._db.query(
            "SELECT * FROM subscriptions WHERE platform = ? AND channel = ? ORDER BY id",
            (platform, channel),
        )
        return [Subscription.from_row(r) for r in rows]

    def all(self, platforms: Iterable[str] | None = None) -> list[Subscription]:
        rows = self._db.query("SELECT * FROM subscriptions ORDER BY id")
        wanted = set(platforms) if platforms is not None else None
        subs = [Subscription.from_row(r) for r in rows]
        return [s for s in subs if wanted is None or s.platform in wanted]

    def remove(self, subscription_ids: Iterable[int]) -> int:
        """Delete subscriptions and their delivery log; returns how many were deleted."""
        ids = [(i,) for i in subscription_ids]
        with self._db.transaction() as conn:
            conn.executemany("DELETE FROM deliveries WHERE subscription_id = ?", ids)
            return conn.executemany("DELETE FROM subscriptions WHERE id = ?", ids).rowcount

    def guild_timezone(self, platform: str, guild: str) -> str | None:
        row = self._db.query_one(
            "SELECT timezone FROM guild_settings WHERE platform = ? AND guild = ?",
            (platform, guild),
        )
        return row[0] if row else None

    def set_guild_timezone(self, platform: str, guild: str, timezone: str) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO guild_settings (platform, guild, timezone) VALUES (?, ?, ?)"
                " ON CONFLICT (platform, guild) DO UPDATE SET timezone = excluded.timezone",
                (platform, guild, timezone),
            )

    # Digest delivery log -----------------------------------------------------------------

    def claim_delivery(
        self, subscription_id: int, period_key: str, *, now: datetime, lease: timedelta, late: bool
    ) -> int | None:
        return self.deliveries.claim(
            subscription_id, period_key, now=now, lease=lease, extra={"late": int(late)}
        )

    def mark_posted(
        self,
        subscription_id: int,
        period_key: str,
        *,
        now: datetime,
        story_count: int,
        status: str = "posted",
    ) -> None:
        """The post went out (or, with status 'empty', was rightly not made): record it and
        move the subscription's covered-up-to mark to this period, in one transaction."""
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE deliveries SET status = ?, posted_at = ?, story_count = ?, error = NULL,"
                " retry_at = NULL WHERE subscription_id = ? AND period_key = ?",
                (status, _iso(now), story_count, subscription_id, period_key),
            )
            conn.execute(
                "UPDATE subscriptions SET last_period_end = ? WHERE id = ?"
                " AND (last_period_end IS NULL OR last_period_end < ?)",
                (period_key, subscription_id, period_key),
            )

    def record_skipped(self, subscription_id: int, period_key: str, *, now: datetime) -> bool:
        """Note a period missed beyond the grace; the next digest covers its news instead."""
        with self._db.transaction() as conn:
            cur = conn.execute(
                "INSERT OR IGNORE INTO deliveries (subscription_id, period_key, status,"
                " claimed_at, attempts, late) VALUES (?, ?, 'skipped', ?, 0, 1)",
                (subscription_id, period_key, _iso(now)),
            )
            return cur.rowcount == 1

    # Watches ------------------------------------------------------------------------------

    def add_watch(
        self,
        *,
        platform: str,
        channel: str,
        place_id: int,
        place_name: str,
        created_by: str | None,
        now: datetime,
    ) -> tuple[Watch, bool]:
        """Watch a place from now on: what is already stored about it is not news."""
        with self._db.transaction() as conn:
            cur = conn.execute(
                "INSERT OR IGNORE INTO watches (platform, channel, place_id, place_name,"
                " created_by, created_at, last_claim_id, last_casualty_id) VALUES (?,?,?,?,?,?,"
                " (SELECT COALESCE(MAX(id), 0) FROM claims WHERE place_id = ?),"
                " (SELECT COALESCE(MAX(id), 0) FROM casualties WHERE place_id = ?))",
                (
                    platform,
                    channel,
                    place_id,
                    place_name,
                    created_by,
                    _iso(now),
                    place_id,
                    place_id,
                ),
            )
            row = conn.execute(
                "SELECT * FROM watches WHERE platform = ? AND channel = ? AND place_id = ?",
                (platform, channel, place_id),
            ).fetchone()
        return Watch.from_row(row), cur.rowcount == 1

    def watches(self, platform: str | None = None, channel: str | None = None) -> list[Watch]:
        rows = self._db.query(
            "SELECT * FROM watches WHERE (? IS NULL OR platform = ?) AND (? IS NULL OR channel = ?)"
            " ORDER BY id",
            (platform, platform, channel, channel),
        )
        return [Watch.from_row(r) for r in rows]

    def remove_watch(self, watch_id: int) -> bool:
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM watch_alerts WHERE watch_id = ?", (watch_id,))
            return conn.execute("DELETE FROM watches WHERE id = ?", (watch_id,)).rowcount == 1

    def mark_alert_done(
        self,
        watch: Watch,
        *,
        now: datetime,
        status: str,
        item_count: int,
        claim_id: int,
        casualty_id: int,
        error: str | None = None,
    ) -> None:
        """Record an alert as posted (or given up) and move the watch past what it covered."""
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE watch_alerts SET status = ?, posted_at = ?, item_count = ?, error = ?,"
                " retry_at = NULL WHERE watch_id = ? AND alert_key = ?",
                (status, _iso(now), item_count, error, watch.id, watch.alert_key),
            )
            conn.execute(
                "UPDATE watches SET last_claim_id = MAX(last_claim_id, ?),"
                " last_casualty_id = MAX(last_casualty_id, ?) WHERE id = ?",
                (claim_id, casualty_id, watch.id),
            )
