"""Feed sources: what to poll, how often, and how healthy each one is."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.database import Database


@dataclass(frozen=True)
class Source:
    id: int
    url: str
    name: str
    kind: str
    every_minutes: int
    paused: bool
    etag: str | None
    last_modified: str | None
    last_polled: str | None
    last_success: str | None
    last_error: str | None
    last_error_at: str | None
    failures: int
    next_poll_at: str | None
    added_by: str | None
    added_at: str

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Source:
        data = dict(row)
        data["paused"] = bool(data["paused"])
        return cls(**data)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


class SourceStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    def add(
        self,
        url: str,
        name: str,
        *,
        kind: str = "feed",
        every_minutes: int = 30,
        added_by: str | None = None,
        now: datetime,
    ) -> tuple[Source, bool]:
        """Add a source; returns (source, created). An existing URL is left as it is."""
        with self._db.transaction() as conn:
            cur = conn.execute(
                "INSERT OR IGNORE INTO sources (url, name, kind, every_minutes, paused, failures,"
                " added_by, added_at, next_poll_at) VALUES (?, ?, ?, ?, 0, 0, ?, ?, ?)",
                (url, name, kind, every_minutes, added_by, _iso(now), _iso(now)),
            )
            created = cur.rowcount == 1
        source = self.get_by_url(url)
        assert source is not None
        return source, created

    def get(self, source_id: int) -> Source | None:
        row = self._db.query_one("SELECT * FROM sources WHERE id = ?", (source_id,))
        return Source.from_row(row) if row else None

    def get_by_url(self, url: str) -> Source | None:
        row = self._db.query_one("SELECT * FROM sources WHERE url = ?", (url,))
        return Source.from_row(row) if row else None

    def list(self) -> list[Source]:
        return [Source.from_row(r) for r in self._db.query("SELECT * FROM sources ORDER BY id")]

    def remove(self, source_id: int) -> bool:
        """Forget a source. Its articles stay (they are news already told), unlinked from it."""
        with self._db.transaction() as conn:
            conn.execute("UPDATE articles SET source_id = NULL WHERE source_id = ?", (source_id,))
            cur = conn.execute("DELETE FROM sources WHERE id = ?", (source_id,))
            return cur.rowcount == 1

    def due(self, now: datetime) -> list[Source]:
        rows = self._db.query(
            "SELECT * FROM sources WHERE paused = 0 AND (next_poll_at IS NULL OR next_poll_at <= ?)"
            " ORDER BY next_poll_at, id",
            (_iso(now),),
        )
        return [Source.from_row(r) for r in rows]

    def record_success(
        self,
        source_id: int,
        *,
        now: datetime,
        next_poll: datetime,
        etag: str | None,
        last_modified: str | None,
        name: str | None = None,
    ) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE sources SET last_polled = ?, last_success = ?, failures = 0,"
                " next_poll_at = ?, etag = ?, last_modified = ?, name = COALESCE(?, name)"
                " WHERE id = ?",
                (_iso(now), _iso(now), _iso(next_poll), etag, last_modified, name, source_id),
            )

    def record_failure(
        self, source_id: int, error: str, *, now: datetime, next_poll: datetime
    ) -> int:
        """Count one more consecutive failure; returns the new count."""
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE sources SET last_polled = ?, last_error = ?, last_error_at = ?,"
                " failures = failures + 1, next_poll_at = ? WHERE id = ?",
                (_iso(now), error[:500], _iso(now), _iso(next_poll), source_id),
            )
            row = conn.execute("SELECT failures FROM sources WHERE id = ?", (source_id,)).fetchone()
        return int(row[0]) if row else 0

    def set_paused(self, source_id: int, paused: bool, *, now: datetime | None = None) -> bool:
        with self._db.transaction() as conn:
            if paused:
                cur = conn.execute("UPDATE sources SET paused = 1 WHERE id = ?", (source_id,))
            else:
                cur = conn.execute(
                    "UPDATE sources SET paused = 0, failures = 0, next_poll_at = ? WHERE id = ?",
                    (_iso(now or datetime.now(UTC)), source_id),
                )
            return cur.rowcount == 1

    def set_interval(self, source_id: int, every_minutes: int) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE sources SET every_minutes = ? WHERE id = ?", (every_minutes, source_id)
            )
