"""`search QUERY`: full-text search over every stored article, best matches first."""

from __future__ import annotations

from handlers.base import Citation, Command, Reply, UserError
from handlers.registry import Spec
from handlers.services import Services, run_heavy

USAGE = "search QUERY"
LIMIT = 8


async def handle(command: Command, services: Services) -> Reply:
    query = command.text
    if not query or not any(ch.isalnum() for ch in query):
        raise UserError(f"Search for what? Usage: `{USAGE}`")
    hits = await run_heavy(services.db.articles.search, query, limit=LIMIT)
    if not hits:
        return Reply(
            title=f"Search: {query[:80]}",
            text=f"No stored article matches `{query[:80]}`.",
            data={"query": query, "results": []},
        )
    blocks, citations, results = [], [], []
    for number, (article, snippet) in enumerate(hits, 1):
        day = (article.published or "")[:10] or "date unknown"
        source = article.source_name or "unknown source"
        head = (
            f"**{number}. [{article.title}]({article.url})**"
            if article.url
            else f"**{number}. {article.title}**"
        )
        blocks.append(f"{head}\n{source}, {day}\n{' '.join(snippet.split())}")
        citations.append(
            Citation(article.title, article.url, source, (article.published or "")[:10] or None)
        )
        results.append(
            {
                "title": article.title,
                "url": article.url,
                "source": source,
                "published": article.published,
                "snippet": snippet,
            }
        )
    return Reply(
        title=f"Search: {query[:80]}",
        text="\n\n".join(blocks),
        citations=citations,
        data={"query": query, "results": results},
    )


SPECS = [
    Spec(
        name="search",
        summary="Search every stored article; best matches first, with the matching words.",
        usage=USAGE,
        handler=handle,
        details="Every word must appear (in any order); titles weigh more than body text.",
    )
]
