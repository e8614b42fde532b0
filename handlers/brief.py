"""`brief`: the top stories that arrived recently, each with its summary and all its sources."""

from __future__ import annotations

from datetime import timedelta

from briefing.stories import Briefing, StoryItem, build_briefing
from handlers.base import Citation, Command, Field, Reply, UserError
from handlers.options import parse_options, parse_since
from handlers.registry import Spec
from handlers.services import Services, run_heavy

USAGE = "brief [--since 24h|3d|YYYY-MM-DD] [--place PLACE]… [--keyword WORD]… [--limit N]"


def _day(iso: str | None) -> str | None:
    return iso[:10] if iso else None


def _story_block(number: int, story: StoryItem) -> str:
    links = []
    for article in story.articles[:6]:
        label = article.source_name or "source"
        links.append(f"[{label}]({article.url})" if article.url else label)
    more = len(story.articles) - 6
    sources = ", ".join(links) + (f" and {more} more" if more > 0 else "")
    lines = [f"**{number}. {story.title}**"]
    if story.summary:
        lines.append(story.summary)
    lines.append(f"Sources: {sources}")
    return "\n".join(lines)


def _change_words(kind: str, controller: str) -> str:
    verb = {"captured": "captured by", "retaken": "retaken by"}.get(kind, "now held by")
    return f"{verb} {controller}"


def briefing_reply(briefing: Briefing, *, title: str, empty_text: str | None = None) -> Reply:
    """Render a Briefing as a neutral Reply (used by `brief` and by scheduled digests)."""
    stories_data = [
        {
            "title": s.title,
            "summary": s.summary,
            "sources": [
                {"source": a.source_name, "title": a.title, "url": a.url, "published": a.published}
                for a in s.articles
            ],
        }
        for s in briefing.stories
    ]
    changes_data = [
        {
            "place": c.place_name,
            "before": c.before,
            "after": c.after,
            "kind": c.kind,
            "date": c.event_date,
            "source": c.source,
            "url": c.url,
            "quote": c.quote,
        }
        for c in briefing.changes
    ]
    data = {"stories": stories_data, "changes": changes_data, "since": briefing.since.isoformat()}
    if not briefing.stories and not briefing.changes:
        text = empty_text or "Nothing new in this period."
        return Reply(title=title, text=text, data=data)
    text = "\n\n".join(_story_block(i, s) for i, s in enumerate(briefing.stories, 1))
    fields = []
    if briefing.changes:
        lines = []
        for c in briefing.changes:
            was = f" (was {c.before})" if c.before else ""
            when = f", {c.event_date}" if c.event_date else ""
            cite = (
                f" — [{c.source or 'source'}]({c.url})" if c.url else f" — {c.source or 'source'}"
            )
            lines.append(f"- **{c.place_name}**: {_change_words(c.kind, c.after)}{was}{when}{cite}")
        fields.append(Field("What changed", "\n".join(lines)))
    citations = []
    seen = set()
    for story in briefing.stories:
        for article in story.articles:
            if article.url and article.url not in seen:
                seen.add(article.url)
                citations.append(
                    Citation(
                        article.title, article.url, article.source_name, _day(article.published)
                    )
                )
    return Reply(title=title, text=text, fields=fields, citations=citations, data=data)


def resolve_place_ids(services: Services, names: list[str]) -> list[int]:
    """Place names to gazetteer ids; an unknown name is a UserError with suggestions."""
    ids = []
    for name in names:
        if services.gazetteer is None:
            raise UserError("Place filters need the gazetteer, which is not loaded.")
        found = services.gazetteer.resolve(name)
        if found.place is None:
            hint = f" Did you mean {', '.join(found.suggestions[:3])}?" if found.suggestions else ""
            raise UserError(f"Unknown place `{name[:60]}`.{hint}")
        ids.append(found.place.id)
    return ids


async def handle(command: Command, services: Services) -> Reply:
    parsed = parse_options(command.args, usage=USAGE, valued={"since", "place", "keyword", "limit"})
    if parsed.positional:
        raise UserError(f"Unexpected `{parsed.positional[0][:40]}`. Usage: `{USAGE}`")
    now = services.now()
    since_text = parsed.one("since")
    since = (
        parse_since(since_text, now=now, usage=USAGE) if since_text else now - timedelta(hours=24)
    )
    limit_text = parsed.one("limit") or "10"
    if not limit_text.isdigit() or not 1 <= int(limit_text) <= 25:
        raise UserError("`--limit` takes a number from 1 to 25.")
    place_ids = resolve_place_ids(services, parsed.all("place"))
    briefing = await run_heavy(
        build_briefing,
        services.db,
        since=since,
        until=None,
        place_ids=place_ids,
        keywords=parsed.all("keyword"),
        limit=int(limit_text),
    )
    window = since_text or "24h"
    is_date = "-" in window
    return briefing_reply(
        briefing,
        title=f"Briefing since {window}" if is_date else f"Briefing: the last {window}",
        empty_text=f"Nothing new since {since:%d %b %Y %H:%M} UTC. Try `brief --since 7d`.",
    )


SPECS = [
    Spec(
        name="brief",
        summary="Top stories that arrived recently, each with a summary and all its sources.",
        usage=USAGE,
        handler=handle,
        details="The period counts from when Sitrep received an article. A story carried by "
        "several outlets is listed once with every source. `What changed` lists places whose "
        "reported controller changed.",
    )
]
