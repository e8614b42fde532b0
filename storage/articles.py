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
_MAX_ARMS = 200  # bands per compound SELECT; SQLite allows 500 terms
_FIRST_LOOK = 8  # how deep `BandLookup` first reads a band; most hold one or two articles


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
        """(article id, story id, minhash) of the `limit` newest stored articles (with a
        minhash) sharing a near-duplicate band, newest first.

        Boilerplate makes some bands common to thousands of articles, and reading those
        whole made each look-up slower as the database grew. The `limit` newest of the
        union are among the `limit` newest of each band, so no band is read deeper.
        """
        if not bands:
            return []
        if limit < 1 or len(bands) > _MAX_ARMS:
            return self._all_sharing(bands, limit)
        arm = (
            "SELECT article_id FROM (SELECT article_id FROM article_bands WHERE band = ?"
            " ORDER BY article_id DESC LIMIT ?)"
        )
        params: list[object] = []
        for band in bands:
            params += [band, limit]
        rows = self._db.query(
            "SELECT u.article_id, a.id, a.story_id, a.minhash FROM ("
            + " UNION ".join([arm] * len(bands))
            + " ORDER BY 1 DESC LIMIT ?) u LEFT JOIN articles a ON a.id = u.article_id"
            " ORDER BY u.article_id DESC",
            (*params, limit),
        )
        if any(r[1] is None or r[3] is None for r in rows):
            return self._all_sharing(bands, limit)  # older articles take the place of these
        return [(r[0], r[2], r[3]) for r in rows]

    def _all_sharing(self, bands: Sequence[str], limit: int) -> list[tuple[int, int, bytes]]:
        """`band_candidates` read the plain way, every sharing article considered."""
        marks = ",".join("?" * len(bands))
        rows = self._db.query(
            f"SELECT a.id, a.story_id, a.minhash FROM articles a WHERE a.id IN ("
            f"SELECT DISTINCT article_id FROM article_bands WHERE band IN ({marks})) "
            f"AND a.minhash IS NOT NULL ORDER BY a.id DESC LIMIT ?",
            (*bands, limit),
        )
        return [(r[0], r[1], r[2]) for r in rows]

    def band_lookup(self, limit: int = 50) -> BandLookup:
        """`band_candidates` and `insert` for a batch written in one transaction."""
        return BandLookup(self, limit)

    def insert(self, record: ArticleRecord, story_id: int | None) -> int | None:
        """Store one article (and a new story for it unless `story_id` is given).

        Returns the new id, or None when a unique index says it is already there. Call it
        inside `Database.transaction()` together with the article's claims.
        """
        stored = self._insert(record, story_id)
        return stored[0] if stored else None

    def _insert(self, record: ArticleRecord, story_id: int | None) -> tuple[int, int] | None:
        """`insert`, returning (article id, story id)."""
        seen = record.published or record.fetched
        with self._db.transaction() as conn:
            # A new story is made first so the article is written once, with its story; if
            # the article turns out to be there already, the story goes again (and its id
            # with it: ids are reused from the top).
            new_story = None
            if story_id is None:
                new_story = int(
                    conn.execute(
                        "INSERT INTO stories (title, first_seen, last_seen, size)"
                        " VALUES (?, ?, ?, 1)",
                        (record.title, seen, seen),
                    ).lastrowid
                )
            cur = conn.execute(
                "INSERT OR IGNORE INTO articles (source_id, source_name, url, guid_key, title,"
                " published, published_from, fetched, text, summary, content_hash, kind, minhash,"
                " story_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
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
                    story_id if new_story is None else new_story,
                ),
            )
            if cur.rowcount != 1:
                if new_story is not None:
                    conn.execute("DELETE FROM stories WHERE id = ?", (new_story,))
                return None
            article_id = int(cur.lastrowid)
            if new_story is not None:
                story_id = new_story
            else:
                conn.execute(
                    "UPDATE stories SET size = size + 1, last_seen = MAX(last_seen, ?),"
                    " first_seen = MIN(first_seen, ?) WHERE id = ?",
                    (seen, seen, story_id),
                )
            conn.executemany(
                "INSERT OR IGNORE INTO article_bands (band, article_id) VALUES (?, ?)",
                [(band, article_id) for band in record.bands],
            )
            return article_id, story_id

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


class BandLookup:
    """`band_candidates` for many articles written in one transaction, remembering reads.

    While the transaction lasts nobody else can write (it holds the write lock), so what
    was read of a band stays true as long as the articles inserted through `insert` are
    added to it, and articles of one batch share many boilerplate bands. Bands are read
    only `_FIRST_LOOK` deep at first, and deeper only where that could change the answer:
    a large database has many bands shared by thousands of articles, and reading `limit`
    of each for every article cost more than all the rest of storing it.
    """

    def __init__(self, store: ArticleStore, limit: int) -> None:
        self._store = store
        self._limit = limit
        self._newest: dict[str, list[int]] = {}  # band -> its newest ids known, newest first
        self._partial: set[str] = set()  # bands with older ids than those read, not `limit`
        self._rows: dict[int, tuple[int, bytes | None]] = {}  # id -> (story id, minhash)

    def candidates(self, bands: Sequence[str]) -> list[tuple[int, int, bytes]]:
        """What `band_candidates(bands, limit)` returns at this point of the transaction."""
        limit = self._limit
        if not bands or limit < 1 or len(bands) > _MAX_ARMS:
            return self._store.band_candidates(bands, limit)
        unread = [band for band in dict.fromkeys(bands) if band not in self._newest]
        if unread:
            self._read(unread, min(_FIRST_LOOK, limit))
        ids = self._newest_ids(bands)
        # A band read only in part hides older ids; they matter only if they could be
        # newer than the last of the `limit` found so far.
        floor = ids[-1] if len(ids) == limit else 0
        deeper = [
            b for b in dict.fromkeys(bands) if b in self._partial and self._newest[b][-1] > floor
        ]
        if deeper:
            self._read(deeper, limit)
            ids = self._newest_ids(bands)
        missing = [i for i in ids if i not in self._rows]
        if missing:
            marks = ",".join("?" * len(missing))
            for row in self._store._db.query(
                f"SELECT id, story_id, minhash FROM articles WHERE id IN ({marks})",
                tuple(missing),
            ):
                self._rows[row[0]] = (row[1], row[2])
        rows = [(i, *self._rows[i]) for i in ids if i in self._rows]
        if len(rows) < len(ids) or any(minhash is None for _, _, minhash in rows):
            return self._store._all_sharing(bands, limit)  # older articles take their place
        return rows  # type: ignore[return-value]

    def insert(self, record: ArticleRecord, story_id: int | None) -> int | None:
        """`ArticleStore.insert`, keeping what was read up to date."""
        stored = self._store._insert(record, story_id)
        if stored is None:
            return None
        article_id, story = stored
        for band in dict.fromkeys(record.bands):
            newest = self._newest.get(band)
            if newest is not None:
                newest.insert(0, article_id)  # the newest of all: what was known stays a prefix
                if len(newest) >= self._limit:
                    del newest[self._limit :]
                    self._partial.discard(band)
        self._rows[article_id] = (story, record.minhash)
        return article_id

    def _newest_ids(self, bands: Sequence[str]) -> list[int]:
        found: set[int] = set()
        for band in bands:
            found.update(self._newest[band])
        return sorted(found, reverse=True)[: self._limit]

    def _read(self, bands: list[str], depth: int) -> None:
        """Each band's `depth` newest ids (one statement for all the bands)."""
        arm = (
            "SELECT ? AS band, article_id FROM (SELECT article_id FROM article_bands"
            " WHERE band = ? ORDER BY article_id DESC LIMIT ?)"
        )
        params: list[object] = []
        for band in bands:
            self._newest[band] = []
            params += [band, band, depth]
        rows = self._store._db.query(" UNION ALL ".join([arm] * len(bands)), tuple(params))
        for band, article_id in rows:
            self._newest[band].append(article_id)
        for band in bands:
            newest = self._newest[band]
            newest.sort(reverse=True)
            if len(newest) == depth < self._limit:
                self._partial.add(band)
            else:
                self._partial.discard(band)
