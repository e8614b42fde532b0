"""Story-grouping candidates: the bounded look-up gives what reading every band gives."""

from __future__ import annotations

import random
from array import array
from dataclasses import replace

import pytest

from briefing.dedup import lsh_keys, minhash, similarity, stored_similarities
from storage.articles import ArticleRecord
from storage.database import Database

# A few "boilerplate" bands shared by many articles, as real feeds produce, and rare ones.
HUBS = [f"{band:02d}:hub{band}" for band in range(32)]


def record(n: int, rng: random.Random, *, minhash_bytes: bytes | None = b"") -> ArticleRecord:
    bands = tuple(HUBS[b] if rng.random() < 0.3 else f"{b:02d}:own{n}-{b}" for b in range(32))
    signature = array("Q", [rng.randrange(1 << 32) for _ in range(64)]).tobytes()
    return ArticleRecord(
        title=f"Title {n}",
        text=f"Text {n}",
        summary="",
        content_hash=f"hash{n}",
        fetched="2024-06-30T12:00:00+00:00",
        kind="feed",
        minhash=signature if minhash_bytes == b"" else minhash_bytes,
        bands=bands,
    )


@pytest.fixture
def filled(tmp_path):
    db = Database(tmp_path / "bands.db")
    rng = random.Random(7)
    with db.transaction():
        for n in range(400):
            db.articles.insert(record(n, rng), None)
    return db, rng


def test_candidates_are_the_newest_sharing_a_band(filled):
    db, rng = filled
    for n in range(60):
        bands = record(1000 + n, rng).bands + (HUBS[0],) * (n % 2)  # repeats are harmless
        for limit in (1, 5, 50, 500):
            assert db.articles.band_candidates(bands, limit) == db.articles._all_sharing(
                bands, limit
            )
    assert db.articles.band_candidates(()) == []
    assert db.articles.band_candidates(("00:nobody",)) == []


def test_an_article_without_a_minhash_gives_way_to_an_older_one(filled):
    db, rng = filled
    with db.transaction():
        db.articles.insert(replace(record(500, rng), bands=tuple(HUBS)), None)
        db.articles.insert(replace(record(501, rng, minhash_bytes=None), bands=tuple(HUBS)), None)
    bands = tuple(HUBS)
    assert db.articles.band_candidates(bands, 3) == db.articles._all_sharing(bands, 3)
    assert [c[0] for c in db.articles.band_candidates(bands, 3)][0] == 401


def test_the_batch_lookup_sees_its_own_inserts_like_the_store_does(filled):
    db, rng = filled
    with db.transaction():
        lookup = db.articles.band_lookup(limit=20)
        for n in range(600, 800):
            rec = record(n, rng, minhash_bytes=None if n % 17 == 0 else b"")
            assert lookup.candidates(rec.bands) == db.articles.band_candidates(rec.bands, 20)
            candidates = lookup.candidates(rec.bands)
            story = candidates[0][1] if candidates and n % 3 == 0 else None
            assert lookup.insert(rec, story) is not None
        assert lookup.insert(record(600, rng), None) is None  # already stored
    assert db.articles.count() == 600


def test_stored_signatures_compare_as_similarity_does():
    rng = random.Random(3)
    texts = [" ".join(rng.choice("abcdefgh") for _ in range(rng.randint(0, 60))) for _ in range(80)]
    stored = [array("Q", minhash(t)).tobytes() for t in texts]
    for mine in stored:
        expected = [similarity(array("Q", mine), array("Q", other)) for other in stored]
        assert stored_similarities(mine, stored) == expected
    with pytest.raises(ValueError, match="differ in length"):
        stored_similarities(stored[0], [stored[0][:-8]])
    assert lsh_keys(minhash("")) == []
