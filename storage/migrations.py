"""The schema, declared up front as an ordered list of migrations.

Each step is recorded in `_migrations` once applied and is itself written with
`if_not_exists`, so a half-applied database or a second run never fails. A new column or
table is a new step at the end; steps already shipped are never edited.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils


def _initial(db: sqlite_utils.Database) -> None:
    db["sources"].create(
        {
            "id": int,
            "url": str,
            "name": str,
            "kind": str,  # feed | page | file
            "every_minutes": int,
            "paused": int,
            "etag": str,
            "last_modified": str,
            "last_polled": str,
            "last_success": str,
            "last_error": str,
            "last_error_at": str,
            "failures": int,
            "next_poll_at": str,
            "added_by": str,
            "added_at": str,
        },
        pk="id",
        not_null={"url", "name", "kind", "every_minutes", "paused", "failures", "added_at"},
        defaults={"paused": 0, "failures": 0, "every_minutes": 30, "kind": "feed"},
        if_not_exists=True,
    )
    db["sources"].create_index(["url"], unique=True, if_not_exists=True)

    db["stories"].create(
        {"id": int, "title": str, "first_seen": str, "last_seen": str, "size": int},
        pk="id",
        defaults={"size": 1},
        if_not_exists=True,
    )
    db["articles"].create(
        {
            "id": int,
            "source_id": int,
            "source_name": str,
            "story_id": int,
            "url": str,
            "guid_key": str,
            "title": str,
            "published": str,
            "published_from": str,
            "fetched": str,
            "text": str,
            "summary": str,
            "content_hash": str,
            "kind": str,
            "minhash": bytes,
        },
        pk="id",
        foreign_keys=[("source_id", "sources", "id"), ("story_id", "stories", "id")],
        not_null={"title", "text", "fetched", "content_hash", "kind"},
        if_not_exists=True,
    )
    articles = db["articles"]
    articles.create_index(["content_hash"], unique=True, if_not_exists=True)
    articles.create_index(["published"], if_not_exists=True)
    articles.create_index(["story_id"], if_not_exists=True)
    articles.create_index(["source_id"], if_not_exists=True)
    # Partial unique indexes: many articles have no URL or guid, and NULLs must not clash.
    db.execute(
        "CREATE UNIQUE INDEX IF NOT EXISTS idx_articles_url ON articles(url) WHERE url IS NOT NULL"
    )
    db.execute(
        "CREATE UNIQUE INDEX IF NOT EXISTS idx_articles_guid ON articles(guid_key)"
        " WHERE guid_key IS NOT NULL"
    )
    db["article_bands"].create(
        {"band": str, "article_id": int},
        pk=("band", "article_id"),
        foreign_keys=[("article_id", "articles", "id")],
        if_not_exists=True,
    )

    # Full-text search over title and text, kept in step by triggers. Written by hand because
    # sqlite-utils' enable_fts uses executescript, which would commit this migration halfway.
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
        "title, text, content='articles', content_rowid='id', tokenize='porter unicode61')"
    )
    db.execute(
        "CREATE TRIGGER IF NOT EXISTS articles_ai AFTER INSERT ON articles BEGIN "
        "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END"
    )
    db.execute(
        "CREATE TRIGGER IF NOT EXISTS articles_ad AFTER DELETE ON articles BEGIN "
        "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
        "VALUES ('delete', old.id, old.title, old.text); END"
    )
    db.execute(
        "CREATE TRIGGER IF NOT EXISTS articles_au AFTER UPDATE OF title, text ON articles BEGIN "
        "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
        "VALUES ('delete', old.id, old.title, old.text); "
        "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END"
    )


def _situation(db: sqlite_utils.Database) -> None:
    """Places named in articles and the claims made about them, stored at ingest."""
    fk = [("article_id", "articles", "id")]
    db["mentions"].create(
        {"article_id": int, "place_id": int, "place_name": str, "count": int},
        pk=("article_id", "place_id"),
        foreign_keys=fk,
        if_not_exists=True,
    )
    db["mentions"].create_index(["place_id"], if_not_exists=True)
    db["claims"].create(
        {
            "id": int,
            "key": str,
            "article_id": int,
            "place_id": int,
            "place_name": str,
            "kind": str,
            "controller": str,
            "event_date": str,
            "attributed_to": str,
            "scope": str,
            "quote": str,
            "sentence_index": int,
        },
        pk="id",
        foreign_keys=fk,
        not_null={"key", "article_id", "place_id", "kind", "quote"},
        if_not_exists=True,
    )
    db["claims"].create_index(["key"], unique=True, if_not_exists=True)
    db["claims"].create_index(["place_id", "event_date"], if_not_exists=True)
    db["casualties"].create(
        {
            "id": int,
            "key": str,
            "article_id": int,
            "place_id": int,
            "place_name": str,
            "killed": int,
            "wounded": int,
            "captured": int,
            "whose": str,
            "reported_by": str,
            "event_date": str,
            "quote": str,
        },
        pk="id",
        foreign_keys=fk,
        not_null={"key", "article_id", "quote"},
        if_not_exists=True,
    )
    db["casualties"].create_index(["key"], unique=True, if_not_exists=True)
    db["casualties"].create_index(["place_id"], if_not_exists=True)
    db["events"].create(
        {
            "id": int,
            "key": str,
            "article_id": int,
            "place_id": int,
            "place_name": str,
            "kind": str,
            "detail": str,
            "actor": str,
            "attributed_to": str,
            "event_date": str,
            "quote": str,
        },
        pk="id",
        foreign_keys=fk,
        not_null={"key", "article_id", "kind", "quote"},
        if_not_exists=True,
    )
    db["events"].create_index(["key"], unique=True, if_not_exists=True)
    db["events"].create_index(["place_id"], if_not_exists=True)
    db["related_places"].create(
        {"place_id": int, "other_id": int, "other_name": str, "article_id": int},
        pk=("place_id", "other_id", "article_id"),
        foreign_keys=fk,
        if_not_exists=True,
    )


def _subscriptions(db: sqlite_utils.Database) -> None:
    """Channels' digest subscriptions, watches, per-server settings and the delivery log."""
    db["subscriptions"].create(
        {
            "id": int,
            "platform": str,
            "channel": str,
            "guild": str,
            "cadence": str,  # hourly | daily | weekly
            "at_time": str,  # HH:MM local
            "weekday": int,  # 0=Monday, for weekly
            "timezone": str,
            "places": str,  # JSON list of place ids
            "place_names": str,  # JSON list of names, for display
            "keywords": str,  # JSON list
            "post_empty": int,
            "created_by": str,
            "created_at": str,
            "last_period_end": str,  # ISO UTC instant the last delivered digest covered up to
        },
        pk="id",
        not_null={"platform", "channel", "cadence", "at_time", "timezone", "created_at"},
        defaults={"post_empty": 1, "places": "[]", "keywords": "[]", "place_names": "[]"},
        if_not_exists=True,
    )
    db["subscriptions"].create_index(["platform", "channel"], if_not_exists=True)
    db["deliveries"].create(
        {
            "subscription_id": int,
            "period_key": str,  # the scheduled instant this digest is for (UTC ISO)
            "status": str,  # claimed | posted | failed | skipped
            "claimed_at": str,
            "posted_at": str,
            "late": int,
            "attempts": int,
            "error": str,
            "story_count": int,
        },
        pk=("subscription_id", "period_key"),
        foreign_keys=[("subscription_id", "subscriptions", "id")],
        defaults={"attempts": 0, "late": 0},
        if_not_exists=True,
    )
    db["watches"].create(
        {
            "id": int,
            "platform": str,
            "channel": str,
            "place_id": int,
            "place_name": str,
            "created_by": str,
            "created_at": str,
            "last_claim_id": int,
            "last_casualty_id": int,
        },
        pk="id",
        not_null={"platform", "channel", "place_id", "created_at"},
        defaults={"last_claim_id": 0, "last_casualty_id": 0},
        if_not_exists=True,
    )
    db["watches"].create_index(["platform", "channel", "place_id"], unique=True, if_not_exists=True)
    db["guild_settings"].create(
        {"platform": str, "guild": str, "timezone": str},
        pk=("platform", "guild"),
        if_not_exists=True,
    )


def _delivery_retries(db: sqlite_utils.Database) -> None:
    """When a failed delivery may be retried, and the watch-alert log.

    `retry_at` NULL on a failed delivery means retrying cannot help (a permanent error).
    `watch_alerts` is to watches what `deliveries` is to subscriptions: the claim that makes
    an alert post once.
    """
    if "retry_at" not in db["deliveries"].columns_dict:
        db["deliveries"].add_column("retry_at", str)
    db["watch_alerts"].create(
        {
            "watch_id": int,
            "alert_key": str,  # "<last_claim_id>:<last_casualty_id>" the alert starts after
            "status": str,  # claimed | posted | failed
            "claimed_at": str,
            "posted_at": str,
            "attempts": int,
            "error": str,
            "retry_at": str,
            "item_count": int,
        },
        pk=("watch_id", "alert_key"),
        foreign_keys=[("watch_id", "watches", "id")],
        defaults={"attempts": 0},
        if_not_exists=True,
    )


def _situation_sort_keys(db: sqlite_utils.Database) -> None:
    """Stored sort keys and per-place counts, so `status` reads a few index entries.

    Ordering claims by COALESCE(event date, article date) sorted every claim of a place
    (tens of thousands for a busy one); counting places in the news grouped every mention.
    Triggers fill the keys and counts at insert, whoever inserts.
    """
    for table in ("claims", "casualties", "events"):
        if "day" not in db[table].columns_dict:
            db[table].add_column("day", str)
    if "seen" not in db["mentions"].columns_dict:
        db["mentions"].add_column("seen", str)
    claim_day = (
        "COALESCE({row}.event_date, (SELECT COALESCE(substr(published, 1, 10),"
        " substr(fetched, 1, 10)) FROM articles WHERE id = {row}.article_id))"
    )
    other_day = (
        "COALESCE({row}.event_date, (SELECT COALESCE(published, fetched) FROM articles"
        " WHERE id = {row}.article_id))"
    )
    seen = "(SELECT COALESCE(published, fetched) FROM articles WHERE id = {row}.article_id)"
    db.execute(f"UPDATE claims SET day = {claim_day.format(row='claims')}")
    for table in ("casualties", "events"):
        db.execute(f"UPDATE {table} SET day = {other_day.format(row=table)}")
    db.execute(f"UPDATE mentions SET seen = {seen.format(row='mentions')}")
    db.execute(
        f"CREATE TRIGGER IF NOT EXISTS claims_day AFTER INSERT ON claims BEGIN "
        f"UPDATE claims SET day = {claim_day.format(row='new')} WHERE id = new.id; END"
    )
    for table in ("casualties", "events"):
        db.execute(
            f"CREATE TRIGGER IF NOT EXISTS {table}_day AFTER INSERT ON {table} BEGIN "
            f"UPDATE {table} SET day = {other_day.format(row='new')} WHERE id = new.id; END"
        )
    db["place_counts"].create(
        {"place_id": int, "place_name": str, "n": int}, pk="place_id", if_not_exists=True
    )
    db["place_counts"].create_index(["n"], if_not_exists=True)
    db.execute("DELETE FROM place_counts")
    db.execute(
        "INSERT INTO place_counts (place_id, place_name, n)"
        " SELECT place_id, place_name, count(*) FROM mentions GROUP BY place_id"
    )
    db.execute(
        f"CREATE TRIGGER IF NOT EXISTS mentions_ai AFTER INSERT ON mentions BEGIN "
        f"UPDATE mentions SET seen = {seen.format(row='new')}"
        f" WHERE article_id = new.article_id AND place_id = new.place_id; "
        f"INSERT INTO place_counts (place_id, place_name, n) VALUES (new.place_id,"
        f" new.place_name, 1) ON CONFLICT(place_id) DO UPDATE SET n = n + 1; END"
    )
    db.execute(
        "CREATE TRIGGER IF NOT EXISTS mentions_ad AFTER DELETE ON mentions BEGIN "
        "UPDATE place_counts SET n = n - 1 WHERE place_id = old.place_id; END"
    )
    db["claims"].create_index(["place_id", "day", "article_id", "sentence_index"],
                              if_not_exists=True)
    db["claims"].create_index(["article_id"], if_not_exists=True)
    for table in ("casualties", "events"):
        db[table].create_index(["place_id", "day", "id"], if_not_exists=True)
        db[table].create_index(["article_id"], if_not_exists=True)
    db["mentions"].create_index(["place_id", "seen", "article_id"], if_not_exists=True)
    db["articles"].create_index(["fetched"], if_not_exists=True)


Migration = Callable[[sqlite_utils.Database], None]

MIGRATIONS: list[tuple[str, Migration]] = [
    ("0001_initial", _initial),
    ("0002_situation", _situation),
    ("0003_subscriptions", _subscriptions),
    ("0004_delivery_retries", _delivery_retries),
    ("0005_situation_sort_keys", _situation_sort_keys),
]
