"""The ingest pipeline: parse -> clean -> summarise -> dedup -> places and claims -> store.

CPU work (`analyse`) is separated from writing (`store`) so a batch is analysed first and
written in one transaction: an article, its story, its mentions and its claims land together
or not at all, and a failure in one article never loses the others. Because analysis needs
no database, `ingest_many` can run it for many files on several cores (see
`briefing.ingest_pool`) while this process alone writes.
"""

from __future__ import annotations

import asyncio
import logging
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing import claims as claim_engine
from briefing.dedup import SAME_STORY, canonical_url, fingerprints, lsh_keys, stored_similarities
from briefing.models import Extraction, Mention, ParsedArticle
from briefing.parse import ParseError, parse_document
from briefing.sentences import split_sentences
from briefing.situation_records import extraction_rows
from briefing.summarise import summarise
from storage.articles import ArticleRecord, BandLookup
from storage.database import Database

if TYPE_CHECKING:
    from briefing.fetch import Fetcher
    from briefing.places import MentionFinder

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass
class Analysed:
    """An article with everything the engine computed for it, ready to be stored.

    `rows` are the situation rows (`extraction_rows`) when they were made beforehand, as
    worker processes do so that only plain rows travel back to the writing process.
    """

    record: ArticleRecord
    mentions: list[Mention] = field(default_factory=list)
    extraction: Extraction = field(default_factory=Extraction)
    rows: dict[str, Any] | None = None

    def compact(self) -> Analysed:
        """The same article with its findings already turned into rows (cheap to pickle)."""
        return Analysed(self.record, rows=extraction_rows(self.mentions, self.extraction))


@dataclass
class IngestReport:
    added: int = 0
    duplicates: int = 0
    failed: int = 0
    article_ids: list[int] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def merge(self, other: IngestReport) -> None:
        self.added += other.added
        self.duplicates += other.duplicates
        self.failed += other.failed
        self.article_ids += other.article_ids
        self.titles += other.titles
        self.errors += other.errors

    def line(self) -> str:
        parts = [f"{self.added} new", f"{self.duplicates} already known"]
        if self.failed:
            parts.append(f"{self.failed} failed")
        return ", ".join(parts)


def guid_key(guid: str | None, source_name: str | None) -> str | None:
    """A guid that means the same article everywhere.

    URL- or URN-like guids are global; short ones ("42") only mean something within the
    feed that issued them, so they are scoped by the source's name.
    """
    if not guid or not guid.strip():
        return None
    guid = guid.strip()
    if ":" in guid or "/" in guid:
        return guid
    return f"{source_name or ''}#{guid}"


@dataclass
class FileOutcome:
    """What became of one file given to `Ingestor.ingest_many`: a report, or the error
    (a ParseError or OSError) that kept it from being read at all."""

    path: Path
    report: IngestReport | None = None
    error: Exception | None = None


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat(timespec="seconds") if moment else None


def read_articles(
    path: Path, *, published: datetime | None = None, source_name: str | None = None
) -> list[ParsedArticle]:
    """The articles in a file; ParseError (one line, naming the file) if it has none."""
    if not path.exists():
        raise ParseError(f"{path}: no such file")
    if path.is_dir():
        raise ParseError(f"{path}: is a directory; name the files to ingest")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ParseError(f"{path}: file is {size // (1024 * 1024)} MB; the limit is 50 MB")
    articles = parse_document(path.read_bytes(), published=published, source_name=source_name)
    for article in articles:
        # A feed names itself and a page its site; a bare report is known by its file.
        article.source_name = article.source_name or path.stem
    return articles


def analyse_article(
    article: ParsedArticle,
    finder: MentionFinder | None,
    *,
    fetched: str,
    source_id: int | None = None,
) -> Analysed:
    """Everything the engine computes for one article; pure CPU, no database."""
    text = article.text.strip()
    title = (article.title or "").strip() or text[:80]
    sentences = split_sentences(text)
    summary = summarise(text, title=title, sentences=sentences)
    digest, signature = fingerprints(title, text)
    url = canonical_url(article.url) if article.url else None
    record = ArticleRecord(
        title=title,
        text=text,
        summary=summary,
        content_hash=digest,
        fetched=fetched,
        kind=article.kind,
        url=url,
        guid_key=guid_key(article.guid, article.source_name),
        published=_iso(article.published),
        published_from=article.published_from,
        source_id=source_id,
        source_name=article.source_name,
        minhash=array("Q", signature).tobytes(),
        bands=tuple(lsh_keys(signature)),
    )
    if finder is None:
        return Analysed(record)
    mentions = finder.find(text)
    anchor = article.published.date() if article.published else None
    extraction = claim_engine.extract(text, mentions, anchor, sentences=sentences)
    return Analysed(record, mentions, extraction)


class Ingestor:
    def __init__(
        self,
        db: Database,
        *,
        finder: MentionFinder | None = None,
        fetcher: Fetcher | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.db = db
        self.finder = finder
        self.fetcher = fetcher
        self.clock = clock

    # -- analysis (pure CPU, no database) ---------------------------------------------
    def analyse(self, article: ParsedArticle, *, source_id: int | None = None) -> Analysed:
        fetched = _iso(self.clock()) or ""
        return analyse_article(article, self.finder, fetched=fetched, source_id=source_id)

    # -- storing ------------------------------------------------------------------------
    def store(self, batch: Sequence[Analysed]) -> IngestReport:
        """Write a batch in one transaction; duplicates are counted, never stored twice."""
        return self.store_batches([batch])[0]

    def store_batches(self, batches: Sequence[Sequence[Analysed]]) -> list[IngestReport]:
        """Write several batches (one per file) in one transaction, with a report for each.

        A commit writes every page the transaction touched, and the near-duplicate index
        touches pages all over the file, so one commit for several files costs little more
        than one for a single file.
        """
        reports = []
        found: list[tuple[int, dict[str, Any]]] = []
        with self.db.transaction():
            bands = self.db.articles.band_lookup()
            for batch in batches:
                report = IngestReport()
                for item in batch:
                    rec = item.record
                    if self.db.articles.find_duplicate(rec.url, rec.guid_key, rec.content_hash):
                        report.duplicates += 1
                        continue
                    article_id = bands.insert(rec, self._story_for(rec, bands))
                    if article_id is None:
                        report.duplicates += 1
                        continue
                    rows = item.rows
                    if rows is None:
                        rows = extraction_rows(item.mentions, item.extraction)
                    found.append((article_id, rows))
                    report.added += 1
                    report.article_ids.append(article_id)
                    report.titles.append(rec.title)
                reports.append(report)
            # Nothing in the transaction reads these rows, so they are written together last.
            self.db.situation.add_many(found)
        return reports

    def _story_for(self, record: ArticleRecord, bands: BandLookup | None = None) -> int | None:
        """The story of the most similar stored article, if it is the same story rewritten."""
        if record.minhash is None:
            return None
        if bands is None:
            candidates = self.db.articles.band_candidates(record.bands)
        else:
            candidates = bands.candidates(record.bands)
        scores = stored_similarities(record.minhash, [other for _, _, other in candidates])
        best, best_score = None, SAME_STORY
        for (_article_id, story_id, _other), score in zip(candidates, scores, strict=True):
            if score >= best_score:
                best, best_score = story_id, score
        return best

    # -- entry points -------------------------------------------------------------------
    def ingest_articles(
        self, articles: Iterable[ParsedArticle], *, source_id: int | None = None
    ) -> IngestReport:
        report = IngestReport()
        batch: list[Analysed] = []
        for article in articles:
            try:
                batch.append(self.analyse(article, source_id=source_id))
            except Exception as exc:  # one bad article must not sink the rest
                log.exception("could not analyse %r", article.title[:80])
                report.failed += 1
                report.errors.append(f"{article.title[:80]!r}: {exc}")
        report.merge(self.store(batch))
        return report

    def ingest_bytes(
        self,
        body: bytes,
        *,
        url: str | None = None,
        content_type: str | None = None,
        published: datetime | None = None,
        source_name: str | None = None,
        source_id: int | None = None,
    ) -> IngestReport:
        """Parse one document (feed, page or report) and store its articles.

        Raises ParseError with a one-line reason when nothing can be read from it.
        """
        articles = parse_document(
            body, url=url, content_type=content_type, published=published, source_name=source_name
        )
        return self.ingest_articles(articles, source_id=source_id)

    def ingest_path(
        self, path: Path, *, published: datetime | None = None, source_name: str | None = None
    ) -> IngestReport:
        articles = read_articles(path, published=published, source_name=source_name)
        return self.ingest_articles(articles)

    def ingest_many(
        self,
        paths: Sequence[Path],
        *,
        workers: int | None = None,
        published: datetime | None = None,
        source_name: str | None = None,
    ) -> Iterator[FileOutcome]:
        """Ingest files in order, yielding each file's outcome as soon as it is stored.

        With more than one file and enough bytes to repay starting them, `workers` processes
        (default: one per available CPU) parse and analyse while this process stores the
        files in the given order, so the database ends up exactly as `ingest_path` file by
        file would leave it. Files whose analysis is ready together are stored in one
        transaction (see `store_batches`). Small inputs stay in this process.
        """
        from briefing.ingest_pool import analyse_in_workers, worth_a_pool

        if not worth_a_pool(paths, workers):
            for path in paths:
                try:
                    report = self.ingest_path(path, published=published, source_name=source_name)
                except (ParseError, OSError) as exc:
                    yield FileOutcome(path, error=exc)
                else:
                    yield FileOutcome(path, report)
            return
        groups = analyse_in_workers(
            paths, self.finder, workers=workers, published=published, source_name=source_name
        )
        for group in groups:
            analysed = [(path, result) for path, result in group if isinstance(result, tuple)]
            # The clock is read here, in file order, as the single-process path reads it.
            batches = [
                [Analysed(replace(a.record, fetched=_iso(self.clock()) or ""), rows=a.rows)
                 for a in articles]
                for _, (articles, _) in analysed
            ]  # fmt: skip
            stored = iter(self.store_batches(batches))
            for path, result in group:
                if isinstance(result, Exception):
                    yield FileOutcome(path, error=result)
                    continue
                report = result[1]
                report.merge(next(stored))
                yield FileOutcome(path, report)

    async def ingest_url(
        self,
        url: str,
        *,
        published: datetime | None = None,
        source_name: str | None = None,
        source_id: int | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> tuple[IngestReport, object]:
        """Fetch a URL (guarded, size-capped, conditional) and ingest it.

        Returns the report and the fetch result (for its ETag/Last-Modified); a 304 is an
        empty report. Raises FetchError or ParseError with a one-line reason.
        """
        if self.fetcher is None:
            raise RuntimeError("no fetcher configured")
        result = await self.fetcher.fetch(url, etag=etag, last_modified=last_modified)
        if result.not_modified:
            return IngestReport(), result
        # Parsing and analysis are CPU work: keep them off the event loop so chat commands
        # are still acknowledged within the platforms' three seconds while a feed is read.
        report = await asyncio.to_thread(
            self.ingest_bytes,
            result.body,
            url=result.url,
            content_type=result.content_type,
            published=published,
            source_name=source_name,
            source_id=source_id,
        )
        return report, result
