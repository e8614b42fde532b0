"""Briefings: the stories that arrived in a period, ranked, each with all its sources.

Used by `brief` on demand and by scheduled digests, so both tell the same news the same way.
A story is a group of near-duplicate articles (see `briefing.dedup`); it is listed once with
every outlet that carried it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from storage.articles import StoredArticle
from storage.database import Database

CONTROL_KINDS = ("captured", "retaken", "holds")


@dataclass
class StoryItem:
    story_id: int
    title: str
    summary: str
    articles: list[StoredArticle]
    score: float

    @property
    def sources(self) -> list[str]:
        names = []
        for article in self.articles:
            name = article.source_name or "unknown source"
            if name not in names:
                names.append(name)
        return names


@dataclass
class ControlChange:
    """A place whose reported controller changed: from `before` (or unknown) to `after`."""

    place_id: int
    place_name: str
    before: str | None
    after: str
    kind: str
    event_date: str | None
    source: str | None
    url: str | None
    quote: str


@dataclass
class Briefing:
    since: datetime
    until: datetime | None
    stories: list[StoryItem] = field(default_factory=list)
    changes: list[ControlChange] = field(default_factory=list)
    article_count: int = 0


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def build_briefing(
    db: Database,
    *,
    since: datetime,
    until: datetime | None = None,
    place_ids: Iterable[int] = (),
    keywords: Iterable[str] = (),
    limit: int = 10,
) -> Briefing:
    """Collect what arrived in [since, until), group it into stories and rank them.

    Ranking favours stories carried by more outlets, then the newest. Filters narrow the
    articles considered, but each listed story still shows all of its sources.
    """
    start, end = _iso(since), (_iso(until) if until else None)
    articles = db.articles.arrived(start, end, place_ids=place_ids, keywords=keywords)
    briefing = Briefing(since=since, until=until, article_count=len(articles))
    by_story: dict[int, list[StoredArticle]] = {}
    for article in articles:
        by_story.setdefault(article.story_id or -article.id, []).append(article)
    all_sources = db.articles.story_sources([sid for sid in by_story if sid > 0])
    items = []
    for rank, (story_id, members) in enumerate(by_story.items()):
        everyone = all_sources.get(story_id, members)
        outlets = {a.source_name or a.url or a.id for a in everyone}
        lead = max(members, key=lambda a: (len(a.summary or ""), -a.id))
        score = len(outlets) * 10 - rank * 0.01
        items.append(StoryItem(story_id, lead.title, lead.summary, everyone, score))
    items.sort(key=lambda item: item.score, reverse=True)
    briefing.stories = items[:limit]
    briefing.changes = control_changes(db, start, end, set(place_ids))
    return briefing


def control_changes(
    db: Database, since: str, until: str | None = None, place_ids: set[int] | None = None
) -> list[ControlChange]:
    """Places whose controller, as reported in the period, differs from what was known before."""
    changes: dict[int, ControlChange] = {}
    for claim in db.situation.claims_arrived(since, until):
        if claim["kind"] not in CONTROL_KINDS or not claim["controller"]:
            continue
        if claim["scope"]:
            continue  # "the rest of the province" says nothing about the province as a whole
        place_id = claim["place_id"]
        if place_ids and place_id not in place_ids:
            continue
        known = changes.get(place_id)
        before = known.after if known else _controller_before(db, place_id, since)
        if before == claim["controller"]:
            continue
        changes[place_id] = ControlChange(
            place_id=place_id,
            place_name=claim["place_name"],
            before=known.before if known else before,
            after=claim["controller"],
            kind=claim["kind"],
            event_date=claim["event_date"],
            source=claim["article_source"],
            url=claim["article_url"],
            quote=claim["quote"],
        )
    # A first "holds" report is news of a situation, not of a change; a capture always is.
    return [
        c
        for c in changes.values()
        if c.before != c.after and (c.before is not None or c.kind != "holds")
    ]


def _controller_before(db: Database, place_id: int, since: str) -> str | None:
    for claim in db.situation.claims_for(place_id, limit=50):
        if claim["article_fetched"] >= since:
            continue
        if claim["kind"] in CONTROL_KINDS and claim["controller"] and not claim["scope"]:
            return claim["controller"]
    return None
