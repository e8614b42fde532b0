"""The database: migrations safe to re-run, atomic transactions, dedup at the unique indexes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from storage.articles import ArticleRecord, fts_query
from storage.database import Database
from storage.migrations import MIGRATIONS

NOW = datetime(2021, 7, 9, 12, 0, tzinfo=UTC)


def record(n: int, **changes) -> ArticleRecord:
    values = dict(
        title=f"Title {n}",
        text=f"Body of article number {n} about Kunduz.",
        summary=f"Summary {n}",
        content_hash=f"hash{n}",
        fetched="2021-07-09T12:00:00+00:00",
        kind="feed",
        url=f"https://example.org/{n}",
        guid_key=f"https://example.org/guid/{n}",
        published="2021-07-08T10:00:00+00:00",
        source_name="Example",
    )
    values.update(changes)
    return ArticleRecord(**values)


def test_migrations_run_once_and_are_safe_to_repeat(tmp_path):
    path = tmp_path / "s.db"
    first = Database(path)
    assert first.query("SELECT name FROM _migrations ORDER BY name") != []
    applied = [row[0] for row in first.query("SELECT name FROM _migrations ORDER BY name")]
    assert applied == [name for name, _ in MIGRATIONS]
    first.close()
    again = Database(path)
    assert again.migrate() == []
    # Every step is written with if_not_exists: running them all again changes nothing.
    for _name, step in MIGRATIONS:
        with again.transaction():
            step(again.db)
    assert [row[0] for row in again.query("SELECT name FROM _migrations ORDER BY name")] == applied
    assert again.query_one("PRAGMA journal_mode")[0] == "wal"


def test_transaction_rolls_back_everything_on_error(tmp_path):
    db = Database(tmp_path / "s.db")
    with pytest.raises(RuntimeError):
        with db.transaction():
            db.articles.insert(record(1), None)
            db.sources.add("https://example.org/feed", "Example", now=NOW)
            raise RuntimeError("crash halfway")
    assert db.articles.count() == 0
    assert db.sources.list() == []
    assert db.query("SELECT count(*) FROM stories")[0][0] == 0


def test_unique_indexes_refuse_the_same_article_twice(tmp_path):
    db = Database(tmp_path / "s.db")
    first = db.articles.insert(record(1), None)
    assert first == 1
    assert db.articles.insert(record(2, url="https://example.org/1"), None) is None
    assert db.articles.insert(record(3, guid_key="https://example.org/guid/1"), None) is None
    assert db.articles.insert(record(4, content_hash="hash1"), None) is None
    assert db.articles.insert(record(5, url=None, guid_key=None), None) == 2
    assert db.articles.insert(record(6, url=None, guid_key=None), None) == 3
    assert db.articles.count() == 3
    assert db.articles.find_duplicate("https://example.org/1", None, "zzz") == 1
    assert db.articles.find_duplicate(None, "https://example.org/guid/5", "zzz") is None


def test_story_grows_with_each_member(tmp_path):
    db = Database(tmp_path / "s.db")
    a = db.articles.insert(record(1), None)
    story = db.articles.get(a).story_id
    b = db.articles.insert(record(2, published="2021-07-09T10:00:00+00:00"), story)
    assert db.articles.get(b).story_id == story
    row = db.query_one("SELECT size, first_seen, last_seen FROM stories WHERE id = ?", (story,))
    assert tuple(row) == (2, "2021-07-08T10:00:00+00:00", "2021-07-09T10:00:00+00:00")
    grouped = db.articles.story_sources([story])
    assert [x.id for x in grouped[story]] == [a, b]


def test_full_text_search_ranks_titles_and_survives_syntax(tmp_path):
    db = Database(tmp_path / "s.db")
    db.articles.insert(
        record(1, title="Prison break in Qala-e-Naw", text="Fighters freed inmates."), None
    )
    db.articles.insert(
        record(2, title="Markets", text="Qala-e-Naw traders and a prison story."), None
    )
    hits = db.articles.search("qala-e-naw prison")
    assert [a.id for a, _ in hits] == [1, 2]
    assert hits[0][1] == "Fighters freed inmates."
    assert db.articles.search('AND OR ( "') == []
    assert [a.id for a, _ in db.articles.search('prison" (')] == [1, 2]
    assert fts_query('Qala-e-Naw "prison') == '"Qala" "e" "Naw" "prison"'


def test_source_failures_count_and_reset(tmp_path):
    db = Database(tmp_path / "s.db")
    source, created = db.sources.add("https://example.org/feed", "Example", now=NOW)
    assert created is True
    assert db.sources.add("https://example.org/feed", "Other", now=NOW) == (source, False)
    assert db.sources.record_failure(source.id, "boom", now=NOW, next_poll=NOW) == 1
    assert db.sources.record_failure(source.id, "boom again", now=NOW, next_poll=NOW) == 2
    db.sources.record_success(source.id, now=NOW, next_poll=NOW, etag='"v2"', last_modified=None)
    fresh = db.sources.get(source.id)
    assert (fresh.failures, fresh.last_error, fresh.etag) == (0, "boom again", '"v2"')
    assert [s.id for s in db.sources.due(NOW)] == [source.id]
    db.sources.set_paused(source.id, True)
    assert db.sources.due(NOW) == []
    assert db.sources.remove(source.id) is True
    assert db.sources.list() == []


def test_readers_in_other_threads_do_not_wait_for_a_writer(tmp_path):
    import threading

    db = Database(tmp_path / "s.db")
    db.articles.insert(record(1), None)
    inside, release = threading.Event(), threading.Event()

    def writer() -> None:
        with db.transaction():
            db.articles.insert(record(2), None)
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=writer)
    thread.start()
    inside.wait(5)
    seen = []
    reader = threading.Thread(target=lambda: seen.append(db.articles.count()))
    reader.start()
    reader.join(5)
    finished_while_writing = not reader.is_alive()
    release.set()
    thread.join(5)
    assert (finished_while_writing, seen) == (True, [1])  # the committed state, not the batch
    assert db.articles.count() == 2


def test_place_counts_and_sort_keys_follow_inserts(tmp_path):
    db = Database(tmp_path / "s.db")
    first = db.articles.insert(record(1, published="2021-07-08T10:00:00+00:00"), None)
    second = db.articles.insert(record(2, published=None), None)
    claim = dict(key="k1", place_id=7, place_name="Qala i Naw", kind="holds",
                 controller="government forces", event_date=None, attributed_to=None,
                 scope=None, quote="q", sentence_index=0)
    db.situation.add(first, mentions=[(7, "Qala i Naw", 2)], claims=[claim])
    db.situation.add(first, mentions=[(7, "Qala i Naw", 2)])  # the same again: replaced
    db.situation.add(second, mentions=[(7, "Qala i Naw", 1), (9, "Badghis", 1)],
                     claims=[{**claim, "key": "k2", "event_date": "2021-07-10"}])
    assert db.situation.places_in_news() == [(7, "Qala i Naw", 2), (9, "Badghis", 1)]
    assert db.situation.places_in_news("Bad") == [(9, "Badghis", 1)]
    days = [(c["key"], c["day"]) for c in db.situation.claims_for(7)]
    assert days == [("k2", "2021-07-10"), ("k1", "2021-07-08")]
    assert [a["id"] for a in db.situation.articles_for(7)] == [second, first]
