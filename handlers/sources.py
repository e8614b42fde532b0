"""`source add|remove|list|test|pause|resume|import|export`: managing what Sitrep reads.

Everything but `list` and `test` changes what the whole server receives, so it is for
admins only. `add` reads the feed once before saving it, so a typo is caught at once.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from briefing.fetch import FetchError
from briefing.opml import build_opml, parse_opml
from briefing.parse import ParseError, parse_document
from briefing.urlguard import UnsafeURL
from handlers.base import Command, Field, Reply, UserError
from handlers.options import human_minutes, parse_minutes, parse_options
from handlers.registry import Spec
from handlers.services import Services
from storage.sources import Source

USAGE = (
    "source add URL [--every 30m] [--name NAME] | remove URL | list | test URL | "
    "pause URL | resume URL | import URL_OR_FILE | export"
)
ADMIN = frozenset({"add", "remove", "pause", "resume", "import"})


async def _read(services: Services, url: str):
    """Fetch and parse a URL once; any failure becomes a one-line UserError."""
    if services.fetcher is None:
        raise UserError("Fetching is not available here.")
    try:
        result = await services.fetcher.fetch(url)
        articles = await asyncio.to_thread(
            parse_document, result.body, url=result.url, content_type=result.content_type
        )
    except (FetchError, ParseError, UnsafeURL) as exc:
        raise UserError(str(exc)) from None
    return result, articles


def _find(services: Services, ref: str) -> Source:
    sources = services.db.sources
    found = sources.get(int(ref)) if ref.isdigit() else sources.get_by_url(ref.strip("<>"))
    if found is None:
        raise UserError(f"No source `{ref[:80]}`. See `source list`.")
    return found


def _need(parsed_args: list[str], what: str) -> str:
    if not parsed_args:
        raise UserError(f"Which {what}? Usage: `{USAGE}`")
    return parsed_args[0].strip("<>")  # Slack wraps links in <>


async def _add(command: Command, services: Services, rest: tuple[str, ...]) -> Reply:
    parsed = parse_options(rest, usage=USAGE, valued={"every", "name"})
    url = _need(parsed.positional, "URL")
    every = (
        parse_minutes(parsed.one("every"), usage=USAGE, low=5)
        if parsed.one("every")
        else services.poll_minutes
    )
    existing = services.db.sources.get_by_url(url)
    if existing:
        raise UserError(f"Already a source: {existing.name} ({existing.url}).")
    result, articles = await _read(services, url)
    kind = articles[0].kind if articles else "feed"
    name = parsed.one("name") or (
        articles[0].source_name if articles and articles[0].source_name else result.url
    )
    source, _ = services.db.sources.add(
        url,
        name[:200],
        kind="page" if kind == "html" else kind,
        every_minutes=every,
        added_by=f"{command.platform}:{command.user}",
        now=services.now(),
    )
    report_line = ""
    if services.ingestor is not None:
        report = await asyncio.to_thread(
            services.ingestor.ingest_articles, articles, source_id=source.id
        )
        services.db.sources.record_success(
            source.id,
            now=services.now(),
            etag=result.etag,
            last_modified=result.last_modified,
            next_poll=services.now() + timedelta(minutes=every),
        )
        report_line = f" Read {len(articles)} item(s): {report.line()}."
    services.schedule_changed()
    return Reply(
        title="Source added",
        text=f"Added **{source.name}** ({source.url}), polled every {human_minutes(every)}."
        + report_line,
        data={"source": _source_data(source)},
    )


def _source_data(source: Source) -> dict:
    return {
        "id": source.id,
        "url": source.url,
        "name": source.name,
        "kind": source.kind,
        "every_minutes": source.every_minutes,
        "paused": source.paused,
        "last_success": source.last_success,
        "last_error": source.last_error,
        "failures": source.failures,
    }


def _health(source: Source) -> str:
    state = "paused" if source.paused else "active"
    parts = [f"{state}, every {human_minutes(source.every_minutes)}"]
    parts.append(
        f"last success {source.last_success[:16].replace('T', ' ')}"
        if source.last_success
        else "never read yet"
    )
    if source.failures:
        parts.append(f"{source.failures} failure(s) in a row")
    if source.last_error:
        parts.append(f"last error: {source.last_error[:150]}")
    return "; ".join(parts)


async def _list(services: Services) -> Reply:
    sources = services.db.sources.list()
    if not sources:
        return Reply(
            title="Sources",
            text="No sources yet. An admin can add one with `source add URL`.",
            data={"sources": []},
        )
    fields = [Field(f"{s.id}. {s.name}"[:250], f"{s.url}\n{_health(s)}") for s in sources]
    return Reply(
        title=f"Sources ({len(sources)})",
        fields=fields,
        data={"sources": [_source_data(s) for s in sources]},
    )


async def _test(services: Services, rest: tuple[str, ...]) -> Reply:
    url = _need(list(rest), "URL")
    result, articles = await _read(services, url)
    lines = [
        f"- {a.title[:120]} ({a.published:%Y-%m-%d})" if a.published else f"- {a.title[:120]}"
        for a in articles[:5]
    ]
    kind = articles[0].kind if articles else "unknown"
    return Reply(
        title="Source test",
        text=f"{result.url} is readable: a {kind} with {len(articles)} item(s).\n"
        + "\n".join(lines),
        data={
            "url": result.url,
            "kind": kind,
            "items": len(articles),
            "titles": [a.title for a in articles[:5]],
        },
    )


async def _toggle(services: Services, rest: tuple[str, ...], paused: bool) -> Reply:
    source = _find(services, _need(list(rest), "source"))
    services.db.sources.set_paused(source.id, paused, now=services.now())
    services.schedule_changed()
    word = "Paused" if paused else "Resumed"
    return Reply(title=f"Source {word.lower()}", text=f"{word} **{source.name}** ({source.url}).")


async def _remove(services: Services, rest: tuple[str, ...]) -> Reply:
    source = _find(services, _need(list(rest), "source"))
    services.db.sources.remove(source.id)
    services.schedule_changed()
    return Reply(
        title="Source removed",
        text=f"Removed **{source.name}** ({source.url}). Articles already read stay searchable.",
    )


async def _import(command: Command, services: Services, rest: tuple[str, ...]) -> Reply:
    ref = _need(list(rest), "OPML URL or file")
    if ref.startswith(("http://", "https://")):
        result, _ = await _read_raw(services, ref)
        body = result.body
    elif command.platform == "console":
        path = Path(ref).expanduser()
        if not path.is_file():
            raise UserError(f"{ref}: no such file")
        body = path.read_bytes()
    else:
        raise UserError("In chat, import from an http(s) URL of an OPML file.")
    try:
        entries = parse_opml(body)
    except ValueError as exc:
        raise UserError(f"Could not read the OPML: {exc}") from None
    added = 0
    for url, title in entries:
        _, created = services.db.sources.add(
            url,
            (title or url)[:200],
            every_minutes=services.poll_minutes,
            added_by=f"{command.platform}:{command.user}",
            now=services.now(),
        )
        added += created
    services.schedule_changed()
    return Reply(
        title="Sources imported",
        text=f"Imported {added} new source(s) of {len(entries)}"
        " in the OPML; they are read at the next poll.",
        data={"added": added},
    )


async def _read_raw(services: Services, url: str):
    if services.fetcher is None:
        raise UserError("Fetching is not available here.")
    try:
        return await services.fetcher.fetch(url), None
    except (FetchError, UnsafeURL) as exc:
        raise UserError(str(exc)) from None


async def _export(services: Services) -> Reply:
    sources = services.db.sources.list()
    opml = build_opml([(s.url, s.name) for s in sources])
    return Reply(
        title=f"OPML export ({len(sources)} sources)", text=f"```\n{opml}\n```", data={"opml": opml}
    )


async def handle(command: Command, services: Services) -> Reply:
    if not command.args:
        raise UserError(f"Usage: `{USAGE}`")
    action, rest = command.args[0].lower(), command.args[1:]
    if action == "add":
        return await _add(command, services, rest)
    if action in ("remove", "rm", "delete"):
        return await _remove(services, rest)
    if action in ("list", "ls"):
        return await _list(services)
    if action == "test":
        return await _test(services, rest)
    if action in ("pause", "resume"):
        return await _toggle(services, rest, action == "pause")
    if action == "import":
        return await _import(command, services, rest)
    if action == "export":
        return await _export(services)
    raise UserError(f"Unknown `source {action[:30]}`. Usage: `{USAGE}`")


SPECS = [
    Spec(
        name="source",
        summary="Manage news sources: add, remove, list, test, pause, resume, import, export.",
        usage=USAGE,
        handler=handle,
        admin_subcommands=ADMIN | {"rm", "delete"},
        details="`add` reads the URL once (feeds, web pages) and saves it with its title. "
        "`list` shows each source's health: last success, last error, failures in a row. "
        "A source that fails 10 times in a row is paused and the admins are told.",
    )
]
