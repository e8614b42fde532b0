"""Articles, the stories that group them, their near-duplicate bands and full-text search."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.database import Database

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class ArticleRecord:
    """An article ready to store: every field already computed by the engine."""

    title: str
    text: str
    summary: str
    content_hash: str
    fetched: str
    kind: str
    url: str | None = None
    guid_key: str | None = None
    published: str | None = None
    published_from: str | None = None
    source_id: int | None = None
    source_name: str | None = None
    minhash: bytes | None = None
    bands: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoredArticle:
    id: int
    title: str
    url: str | None
    published: str | None
    published_from: str | None
    fetched: str
    summary: str
    source_name: str | None
    story_id: int | None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> StoredArticle:
        return cls(**{name: row[name] for name in cls.__dataclass_fields__})


_COLUMNS = (
    "a.id, a.title, a.url, a.published, a.published_from, a.fetched, a.summary, "
    "a.source_name, a.story_id"
)


class ArticleStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    def find_duplicate(
        self, url: str | None, guid_key: str | None, content_hash: str
    ) -> int | None:
        """The id of an article already stored under this URL, guid or content, if any."""
        row = self._db.query_one(
            "SELECT id FROM articles WHERE content_hash = ?"
            " OR (url IS NOT NULL AND url = ?) OR (guid_key IS NOT NULL AND guid_key = ?) LIMIT 1",
            (content_hash, url, guid_key),
        )
        return int(row[0]) if row else None

    def band_candidates(
        self, bands: Sequence[str], limit: int = 50
    ) -> list[tuple[int, int, bytes]]:
        """(article id, story id, minhash) of stored articles sharing a near-duplicate band."""
        if not bands:
            return []
        marks = ",".join("?" * len(bands))
        rows = self._db.query(
            f"SELECT a.id, a.story_id, a.minhash FROM articles a WHERE a.id IN ("
            f"SELECT DISTINCT article_id FROM article_bands WHERE band IN ({marks})) "
            f"AND a.minhash IS NOT NULL ORDER BY a.id DESC LIMIT ?",
            (*bands, limit),
        )
        return [(r[0], r[1], r[2]) for r in rows]

    def insert(self, record: ArticleRecord, story_id: int | None) -> int | None:
        """Store one article (and a new story for it unless `story_id` is given).

        Returns the new id, or None when a unique index says it is already there. Call it
        inside `Database.transaction()` together with the article's claims.
        """
        with self._db.transaction() as conn:
            cur = conn.execute(
                "INSERT OR IGNORE INTO articles (source_id, source_name, url, guid_key, title,"
                " published, published_from, fetched, text, summary, content_hash, kind, minhash)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    record.source_id,
                    record.source_name,
                    record.url,
                    record.guid_key,
                    record.title,
                    record.published,
                    record.published_from,
                    record.fetched,
                    record.text,
                    record.summary,
                    record.content_hash,
                    record.kind,
                    record.minhash,
                ),
            )
            if cur.rowcount != 1:
                return None
            article_id = int(cur.lastrowid)
            seen = record.published or record.fetched
            if story_id is None:
                story_id = int(
                    conn.execute(
                        "INSERT INTO stories (title, first_seen, last_seen, size)"
                        " VALUES (?, ?, ?, 1)",
                        (record.title, seen, seen),
                    ).lastrowid
                )
            else:
                conn.execute(
                    "UPDATE stories SET size = size + 1, last_seen = MAX(last_seen, ?),"
                    " first_seen = MIN(first_seen, ?) WHERE id = ?",
                    (seen, seen, story_id),
                )
            conn.execute("UPDATE articles SET story_id = ? WHERE id = ?", (story_id, article_id))
            conn.executemany(
                "INSERT OR IGNORE INTO article_bands (band, article_id) VALUES (?, ?)",
                [(band, article_id) for band in record.bands],
            )
            return article_id

    def get(self, article_id: int) -> StoredArticle | None:
        row = self._db.query_one(f"SELECT {_COLUMNS} FROM articles a WHERE a.id = ?", (article_id,))
        return StoredArticle.from_row(row) if row else None

    def text_of(self, article_id: int) -> str | None:
        row = self._db.query_one("SELECT text FROM articles WHERE id = ?", (article_id,))
        return row[0] if row else None

    def count(self) -> int:
        return int(self._db.query_one("SELECT count(*) FROM articles")[0])

    def arrived(
        self,
        since: str,
        until: str | None = None,
        *,
        place_ids: Iterable[int] = (),
        keywords: Iterable[str] = (),
        limit: int = 500,
    ) -> list[StoredArticle]:
        """Articles that arrived (were fetched) in [since, until), newest publication first.

        `place_ids` keeps articles that mention one of the places; `keywords` keeps articles
        whose title or text matches one of them (full-text, any word order).
        """
        where = ["a.fetched >= ?"]
        params: list[object] = [since]
        if until:
            where.append("a.fetched < ?")
            params.append(until)
        places = list(place_ids)
        if places:
            where.append(
                f"a.id IN (SELECT article_id FROM mentions WHERE place_id IN "
                f"({','.join('?' * len(places))}))"
            )
            params.extend(places)
        terms = [fts_query(k) for k in keywords]
        terms = [t for t in terms if t]
        if terms:
            where.append("a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
            params.append(" OR ".join(f"({t})" for t in terms))
        rows = self._db.query(
            f"SELECT {_COLUMNS} FROM articles a WHERE {' AND '.join(where)}"
            f" ORDER BY COALESCE(a.published, a.fetched) DESC, a.id DESC LIMIT ?",
            (*params, limit),
        )
        return [StoredArticle.from_row(r) for r in rows]

    def search(self, query: str, limit: int = 10) -> list[tuple[StoredArticle, str]]:
        """Full-text search ranked by BM25 (titles weigh more), with a highlighted snippet."""
        match = fts_query(query)
        if not match:
            return []
        rows = self._db.query(
            f"SELECT {_COLUMNS}, snippet(articles_fts, 1, '**', '**', '…', 24) AS snip"
            f" FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
            f" WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, 5.0, 1.0) LIMIT ?",
            (match, limit),
        )
        return [(StoredArticle.from_row(r), r["snip"]) for r in rows]

    def story_sources(self, story_ids: Sequence[int]) -> dict[int, list[StoredArticle]]:
        """Every article of each story, oldest first, so a briefing can list all sources."""
        if not story_ids:
            return {}
        marks = ",".join("?" * len(story_ids))
        rows = self._db.query(
            f"SELECT {_COLUMNS} FROM articles a WHERE a.story_id IN ({marks})"
            f" ORDER BY COALESCE(a.published, a.fetched), a.id",
            tuple(story_ids),
        )
        grouped: dict[int, list[StoredArticle]] = {}
        for row in rows:
            article = StoredArticle.from_row(row)
            grouped.setdefault(article.story_id or 0, []).append(article)
        return grouped


def fts_query(text: str) -> str:
    """A safe FTS5 query from free text: every word quoted, all required.

    Users type things like `Qala-e-Naw "prison` or `AND OR (`; quoting each word keeps FTS5
    syntax out of their hands while hyphenated names still match as phrases.
    """
    words = _WORD.findall(text or "")
    return " ".join(f'"{w}"' for w in words[:20])
