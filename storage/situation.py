"""Place mentions, control claims, casualty reports and events, written at ingest.

`status PLACE` is then a handful of indexed look-ups by place id. Each claim carries a
stable `key` computed by the engine, so re-ingesting an article never duplicates one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storage.database import Database

_CITE = (
    "ar.title AS article_title, ar.url AS article_url, ar.published AS article_published,"
    " ar.fetched AS article_fetched, ar.source_name AS article_source"
)


def _rows(rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
    return [dict(r) for r in rows]


class SituationStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    def add(
        self,
        article_id: int,
        *,
        mentions: Iterable[tuple[int, str, int]] = (),
        claims: Iterable[dict[str, Any]] = (),
        casualties: Iterable[dict[str, Any]] = (),
        events: Iterable[dict[str, Any]] = (),
        related: Iterable[tuple[int, int, str]] = (),
    ) -> None:
        """Store what was found in one article; joins the caller's transaction if any."""
        found = dict(
            mentions=mentions, claims=claims, casualties=casualties, events=events, related=related
        )
        self.add_many([(article_id, found)])

    def add_many(self, found: Iterable[tuple[int, Mapping[str, Iterable[Any]]]]) -> None:
        """`add` for several articles, each given as (article id, `add`'s keyword arguments).

        One statement per table for the lot instead of five per article; each table still
        receives its rows in article order, so the result is what `add` one by one gives.
        """
        mentions: list[tuple[int, int, str, int]] = []
        claims: list[dict[str, Any]] = []
        casualties: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        related: list[tuple[int, int, str, int]] = []
        for article_id, rows in found:
            mentions += [(article_id, pid, name, n) for pid, name, n in rows.get("mentions", ())]
            claims += [{**c, "article_id": article_id} for c in rows.get("claims", ())]
            casualties += [{**c, "article_id": article_id} for c in rows.get("casualties", ())]
            events += [{**e, "article_id": article_id} for e in rows.get("events", ())]
            related += [(pid, oid, name, article_id) for pid, oid, name in rows.get("related", ())]
        with self._db.transaction() as conn:
            if mentions:
                conn.executemany(
                    "INSERT OR REPLACE INTO mentions (article_id, place_id, place_name, count)"
                    " VALUES (?, ?, ?, ?)",
                    mentions,
                )
            if claims:
                conn.executemany(
                    "INSERT OR IGNORE INTO claims (key, article_id, place_id, place_name, kind,"
                    " controller, event_date, attributed_to, scope, quote, sentence_index)"
                    " VALUES (:key, :article_id, :place_id, :place_name, :kind, :controller,"
                    " :event_date, :attributed_to, :scope, :quote, :sentence_index)",
                    claims,
                )
            if casualties:
                conn.executemany(
                    "INSERT OR IGNORE INTO casualties (key, article_id, place_id, place_name,"
                    " killed, wounded, captured, whose, reported_by, event_date, quote) VALUES"
                    " (:key, :article_id, :place_id, :place_name, :killed, :wounded, :captured,"
                    " :whose, :reported_by, :event_date, :quote)",
                    casualties,
                )
            if events:
                conn.executemany(
                    "INSERT OR IGNORE INTO events (key, article_id, place_id, place_name, kind,"
                    " detail, actor, attributed_to, event_date, quote) VALUES (:key, :article_id,"
                    " :place_id, :place_name, :kind, :detail, :actor, :attributed_to,"
                    " :event_date, :quote)",
                    events,
                )
            if related:
                conn.executemany(
                    "INSERT OR IGNORE INTO related_places (place_id, other_id, other_name,"
                    " article_id) VALUES (?, ?, ?, ?)",
                    related,
                )

    def claims_for(self, place_id: int, limit: int = 50) -> list[dict[str, Any]]:
        """Control claims about a place, newest event first, each with its article."""
        return _rows(
            self._db.query(
                f"SELECT c.*, {_CITE} FROM claims c JOIN articles ar ON ar.id = c.article_id"
                " WHERE c.place_id = ? ORDER BY c.day DESC, c.article_id DESC, c.sentence_index"
                " LIMIT ?",
                (place_id, limit),
            )
        )

    def casualties_for(self, place_id: int, limit: int = 20) -> list[dict[str, Any]]:
        return _rows(
            self._db.query(
                f"SELECT c.*, {_CITE} FROM casualties c JOIN articles ar ON ar.id = c.article_id"
                " WHERE c.place_id = ? ORDER BY c.day DESC, c.id DESC LIMIT ?",
                (place_id, limit),
            )
        )

    def events_for(self, place_id: int, limit: int = 20) -> list[dict[str, Any]]:
        return _rows(
            self._db.query(
                f"SELECT e.*, {_CITE} FROM events e JOIN articles ar ON ar.id = e.article_id"
                " WHERE e.place_id = ? ORDER BY e.day DESC, e.id DESC LIMIT ?",
                (place_id, limit),
            )
        )

    def related_for(self, place_ids: Sequence[int], limit: int = 10) -> list[dict[str, Any]]:
        """Places named together with these, most often first."""
        if not place_ids:
            return []
        marks = ",".join("?" * len(place_ids))
        return _rows(
            self._db.query(
                f"SELECT other_id, other_name, count(*) AS n FROM related_places"
                f" WHERE place_id IN ({marks}) AND other_id NOT IN ({marks})"
                f" GROUP BY other_id ORDER BY n DESC, other_name LIMIT ?",
                (*place_ids, *place_ids, limit),
            )
        )

    def articles_for(self, place_id: int, limit: int = 10) -> list[dict[str, Any]]:
        return _rows(
            self._db.query(
                "SELECT ar.id, ar.title, ar.url, ar.published, ar.fetched, ar.source_name"
                " FROM mentions m JOIN articles ar ON ar.id = m.article_id WHERE m.place_id = ?"
                " ORDER BY m.seen DESC, m.article_id DESC LIMIT ?",
                (place_id, limit),
            )
        )

    def mention_count(self, place_id: int) -> int:
        row = self._db.query_one("SELECT count(*) FROM mentions WHERE place_id = ?", (place_id,))
        return int(row[0])

    def places_in_news(self, prefix: str = "", limit: int = 25) -> list[tuple[int, str, int]]:
        """(place id, name, article count) of places mentioned in stored articles."""
        rows = self._db.query(
            "SELECT place_id, place_name, n FROM place_counts"
            " WHERE n > 0 AND place_name LIKE ? ESCAPE '\\' ORDER BY n DESC, place_id LIMIT ?",
            (_like_prefix(prefix), limit),
        )
        return [(r[0], r[1], r[2]) for r in rows]

    def claims_arrived(self, since: str, until: str | None = None) -> list[dict[str, Any]]:
        """Control claims from articles that arrived in the period, oldest first."""
        params: list[object] = [since]
        cond = "ar.fetched >= ?"
        if until:
            cond += " AND ar.fetched < ?"
            params.append(until)
        return _rows(
            self._db.query(
                f"SELECT c.*, {_CITE} FROM articles ar CROSS JOIN claims c ON c.article_id = ar.id"
                f" WHERE {cond} ORDER BY c.place_id, COALESCE(c.event_date, ar.published), c.id",
                tuple(params),
            )
        )

    def new_since(self, place_id: int, claim_id: int, casualty_id: int) -> dict[str, list[dict]]:
        """Claims and casualty reports about a place stored after the given ids (for watches)."""
        claims = self._db.query(
            f"SELECT c.*, {_CITE} FROM claims c JOIN articles ar ON ar.id = c.article_id"
            " WHERE c.place_id = ? AND c.id > ? ORDER BY c.id",
            (place_id, claim_id),
        )
        casualties = self._db.query(
            f"SELECT c.*, {_CITE} FROM casualties c JOIN articles ar ON ar.id = c.article_id"
            " WHERE c.place_id = ? AND c.id > ? ORDER BY c.id",
            (place_id, casualty_id),
        )
        return {"claims": _rows(claims), "casualties": _rows(casualties)}


def _like_prefix(prefix: str) -> str:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"
