"""The gazetteer's SQLite file, written from a handful of rows into a fresh file per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.gazetteer import GazetteerStore, PlaceRecord, read_meta, write_gazetteer

HERAT = PlaceRecord(
    1, "Herāt", "city", "AF", "Afghanistan", "Herat", 34.3, 62.2, 574300, 574300.0, None
)
PROVINCE = PlaceRecord(
    2, "Herat", "admin1", "AF", "Afghanistan", "Herat", 34.3, 62.2, 0, 516870.0, 1
)
HARAT = PlaceRecord(3, "Harat", "city", "IR", "Iran", None, 30.0, 54.0, 900, 900.0, None)
NAMES = [
    ("hirat", 1, "Herāt", "herat"),
    ("hirat", 2, "Herat", "herat"),
    ("harat", 3, "Harat", "harat"),
    ("hiratu", 3, "Heratu", "heratu"),
]


@pytest.fixture
def store(tmp_path: Path):
    path = tmp_path / "gazetteer.db"
    write_gazetteer(path, [HERAT, PROVINCE, HARAT], NAMES, {"fingerprint": "abc"})
    opened = GazetteerStore(path)
    yield opened
    opened.close()


def test_lookup_returns_every_place_with_the_key(store: GazetteerStore) -> None:
    assert sorted(store.lookup("hirat")) == [(HERAT, "herat"), (PROVINCE, "herat")]
    assert store.lookup("nowhere") == []


def test_place_and_places(store: GazetteerStore) -> None:
    assert (store.place(3), store.place(99)) == (HARAT, None)
    assert sorted(store.places([3, 1, 3])) == [HERAT, HARAT]


def test_prefix_queries(store: GazetteerStore) -> None:
    assert store.with_key_prefix("hi", "", 10) == [HERAT, PROVINCE, HARAT]
    assert store.with_key_prefix("hi", "heratu", 10) == [HARAT, HERAT, PROVINCE]
    assert store.with_key_prefix("hi", "herat", 10) == [HERAT, PROVINCE, HARAT]
    assert sorted(store.forms_in_range("ha", "hb")) == [("harat", 3)]


def test_names_of_kind_and_matchable_keys(store: GazetteerStore) -> None:
    assert store.names_of_kind("admin1") == [(PROVINCE, "Herat")]
    assert sorted(store.matchable_keys(1000, [])) == ["hirat"]
    assert sorted(store.matchable_keys(1000, ["IR"])) == ["harat", "hirat", "hiratu"]


def test_meta_count_and_read_only(store: GazetteerStore) -> None:
    assert (store.meta(), store.count()) == ({"fingerprint": "abc", "schema": "1"}, 3)
    with pytest.raises(Exception, match="readonly|read-only"):
        store.conn.execute("DELETE FROM places")


def test_rewrite_replaces_the_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "gazetteer.db"
    write_gazetteer(path, [HERAT, PROVINCE, HARAT], NAMES, {"fingerprint": "old"})
    write_gazetteer(path, [HARAT], [("harat", 3, "Harat", "harat")], {"fingerprint": "new"})
    store = GazetteerStore(path)
    try:
        assert (store.count(), read_meta(path)) == (1, {"fingerprint": "new", "schema": "1"})
    finally:
        store.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gazetteer.db"]


def test_read_meta_of_a_missing_or_foreign_file(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    assert (read_meta(tmp_path / "missing.db"), read_meta(junk)) == ({}, {})
