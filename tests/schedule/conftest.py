"""Shared pieces for the scheduling tests: a database file per test, recording Posters,
and helpers that store articles, claims and subscriptions the way ingest would."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from briefing.models import Place
from handlers.base import Reply
from storage.articles import ArticleRecord
from storage.database import Database
from storage.subscriptions import Subscription


def at(text: str) -> datetime:
    """`2026-11-24 08:00` as a UTC instant."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "sitrep.db"


@pytest.fixture
def db(db_path: Path) -> Database:
    database = Database(db_path)
    yield database
    database.close()


@dataclass
class RecordingPoster:
    """Records every post; `failures[channel]` lists exceptions to raise, one per attempt."""

    platform: str = "slack"
    posts: list[tuple[str, Reply]] = field(default_factory=list)
    failures: dict[str, list[Exception]] = field(default_factory=dict)

    async def post(self, channel: str, reply: Reply) -> None:
        queue = self.failures.get(channel)
        if queue:
            raise queue.pop(0)
        self.posts.append((channel, reply))

    def titles(self) -> list[tuple[str, str | None]]:
        return [(channel, reply.title) for channel, reply in self.posts]


@pytest.fixture
def slack() -> RecordingPoster:
    return RecordingPoster("slack")


@pytest.fixture
def discord() -> RecordingPoster:
    return RecordingPoster("discord")


def add_article(
    db: Database, title: str, *, source: str, fetched: datetime, story: int | None = None,
    url: str | None = None, places: tuple[tuple[int, str], ...] = (), text: str | None = None,
) -> tuple[int, int]:
    """Store one article (and its place mentions); returns (article id, story id)."""
    record = ArticleRecord(
        title=title, text=text or f"{title}. The full report follows.",
        summary=f"Summary: {title}.",
        content_hash=hashlib.sha1(f"{title}|{source}|{url}".encode()).hexdigest(),
        fetched=fetched.isoformat(timespec="seconds"), kind="feed", url=url,
        source_name=source, published=fetched.isoformat(timespec="seconds"),
    )
    with db.transaction():
        article_id = db.articles.insert(record, story)
        assert article_id is not None
        if places:
            db.situation.add(article_id, mentions=[(pid, name, 1) for pid, name in places])
    stored = db.articles.get(article_id)
    return article_id, stored.story_id


def add_claim(db: Database, article_id: int, place: tuple[int, str], *, kind: str = "captured",
              controller: str = "Taliban", quote: str = "The town fell.") -> None:
    db.situation.add(article_id, claims=[{
        "key": hashlib.sha1(f"{article_id}|{place}|{quote}".encode()).hexdigest(),
        "place_id": place[0], "place_name": place[1], "kind": kind, "controller": controller,
        "event_date": "2026-11-24", "attributed_to": None, "scope": None, "quote": quote,
        "sentence_index": 0,
    }])


def add_casualty(db: Database, article_id: int, place: tuple[int, str], *, killed: int,
                 quote: str) -> None:
    db.situation.add(article_id, casualties=[{
        "key": hashlib.sha1(f"{article_id}|{place}|{quote}".encode()).hexdigest(),
        "place_id": place[0], "place_name": place[1], "killed": killed, "wounded": None,
        "captured": None, "whose": "Taliban fighters", "reported_by": "Defense Ministry",
        "event_date": "2026-11-24", "quote": quote,
    }])


def subscribe(db: Database, *, created: datetime, channel: str = "C1", platform: str = "slack",
              cadence: str = "daily", at_time: str = "08:00", timezone: str = "UTC",
              weekday: int | None = None, places: tuple[tuple[int, str], ...] = (),
              keywords: tuple[str, ...] = (), post_empty: bool = True) -> Subscription:
    return db.subscriptions.add(
        platform=platform, channel=channel, guild="G1", cadence=cadence, at_time=at_time,
        weekday=weekday, timezone=timezone, places=places, keywords=keywords,
        post_empty=post_empty, created_by="U1", now=created,
    )


QALA = Place(1, "Qala-e-Naw", "city", "AF", "Afghanistan", "Badghis")
KUNDUZ = Place(2, "Kunduz", "city", "AF", "Afghanistan", "Kunduz")


class FakeGazetteer:
    """Resolves the two places above; anything else is unknown, with a suggestion or two."""

    def resolve(self, name: str) -> SimpleNamespace:
        for place in (QALA, KUNDUZ):
            if name.casefold() == place.name.casefold():
                return SimpleNamespace(place=place, candidates=[place], suggestions=[])
        close = [p.name for p in (QALA, KUNDUZ) if p.name[:3].casefold() == name[:3].casefold()]
        return SimpleNamespace(place=None, candidates=[], suggestions=close)
