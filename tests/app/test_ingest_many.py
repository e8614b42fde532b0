"""Many files on several cores: the database ends up as one process, file by file, leaves it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from briefing import ingest_pool
from briefing.ingest import Ingestor
from briefing.parse import ParseError
from briefing.places import MentionFinder
from storage.database import Database
from tests.conftest import SEEDS

FEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"
TABLES = ("articles", "stories", "article_bands", "mentions", "claims", "casualties", "events")


class Ticks:
    """A clock a second later at every reading, the same in every run."""

    def __init__(self) -> None:
        self.now = datetime(2021, 7, 9, 12, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def files(tmp_path: Path) -> list[Path]:
    # The same dispatches retold by another outlet: new links and ids, a word changed, so
    # they are new articles of the same stories.
    text = (SEEDS / "frontline-wire.xml").read_text(encoding="utf-8")
    rewritten = tmp_path / "frontline-rewrite.xml"
    rewritten.write_text(
        text.replace("frontline-wire", "other-wire").replace(" said ", " told reporters "),
        encoding="utf-8",
    )
    return [
        SEEDS / "frontline-wire.xml",
        FEEDS / "rss2.xml",
        tmp_path / "missing.xml",
        FEEDS / "atom.xml",
        SEEDS / "badghis-report.txt",
        FEEDS / "no_article.html",
        FEEDS / "rss1.rdf",
        rewritten,
        SEEDS / "kabul-ledger-qala-e-naw.html",
        SEEDS / "frontline-wire.xml",
    ]


def ingest(tmp_path: Path, gazetteer, name: str, workers: int | None):
    db = Database(tmp_path / name)
    ingestor = Ingestor(db, finder=MentionFinder(gazetteer), clock=Ticks())
    paths = files(tmp_path)
    if workers is None:  # the reference: one file after another, as before
        outcomes = []
        for path in paths:
            try:
                outcomes.append(ingestor.ingest_path(path).line())
            except ParseError as exc:
                outcomes.append(f"error: {exc}")
    else:
        outcomes = [
            o.report.line() if o.error is None else f"error: {o.error}"
            for o in ingestor.ingest_many(paths, workers=workers)
        ]
    rows = {table: [tuple(r) for r in db.query(f"SELECT * FROM {table}")] for table in TABLES}
    return outcomes, rows


def test_workers_store_exactly_what_one_process_stores(tmp_path, gazetteer, monkeypatch):
    monkeypatch.setattr(ingest_pool, "POOL_MIN_BYTES", 0)  # these files are small
    assert ingest_pool.worth_a_pool(files(tmp_path), workers=2)
    one = ingest(tmp_path, gazetteer, "one.db", workers=None)
    many = ingest(tmp_path, gazetteer, "many.db", workers=2)
    assert many == one
    outcomes, rows = many
    assert outcomes[2] == f"error: {tmp_path / 'missing.xml'}: no such file"
    assert outcomes[-1] == "0 new, 5 already known"
    assert outcomes[7] == "4 new, 1 already known"  # one item had no "said" to change
    assert len(rows["stories"]) < len(rows["articles"])  # the rewrites joined their stories


def test_small_inputs_stay_in_this_process(tmp_path):
    assert not ingest_pool.worth_a_pool(files(tmp_path), workers=2)
    assert not ingest_pool.worth_a_pool([SEEDS / "frontline-wire.xml"] * 9, workers=1)


@pytest.mark.parametrize("workers", [1, 2])
def test_without_places_too(tmp_path, monkeypatch, workers):
    monkeypatch.setattr(ingest_pool, "POOL_MIN_BYTES", 0)
    db = Database(tmp_path / "plain.db")
    outcomes = list(Ingestor(db, clock=Ticks()).ingest_many(files(tmp_path), workers=workers))
    assert [o.path for o in outcomes] == files(tmp_path)
    assert db.query_one("SELECT count(*) FROM mentions")[0] == 0
    assert db.articles.count() == sum(o.report.added for o in outcomes if o.report)
