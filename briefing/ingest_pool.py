"""Parsing and analysing many files on several cores, for `Ingestor.ingest_many`.

Analysis (summary, hashes, places, claims) is nearly all of the CPU an article costs and
needs no database, so worker processes parse and analyse whole files while the calling
process only writes. On Linux the workers are forked: each starts with the place automaton
already in memory and opens nothing but its own read-only gazetteer connection (SQLite
connections must not cross a fork). Workers send back records and situation rows ready to
write, and results come back in the order the files were given, so the caller stores them
in that order and duplicates and stories come out as they would in one process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.ingest import Analysed, IngestReport, analyse_article, read_articles
from briefing.parse import ParseError

if TYPE_CHECKING:
    from briefing.places import MentionFinder

log = logging.getLogger(__name__)

# Starting workers costs tens of milliseconds; below this much input one process is faster.
POOL_MIN_BYTES = 512 * 1024
# Files handed out ahead of the one being stored: enough to keep every worker busy, few
# enough that results waiting to be stored stay small. Results that are ready together are
# handed back together, to be stored in one transaction.
AHEAD_PER_WORKER = 4

FileResult = tuple[list[Analysed], IngestReport] | Exception

_finder: MentionFinder | None = None  # the worker's own, made by `_start_worker`


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worth_a_pool(paths: Sequence[Path], workers: int | None) -> bool:
    """True when several workers would finish these files sooner than this process."""
    if (workers if workers is not None else available_cpus()) < 2 or len(paths) < 2:
        return False
    total = 0
    for path in paths:
        try:
            total += path.stat().st_size
        except OSError:
            continue  # reported when the file is read
        if total >= POOL_MIN_BYTES:
            return True
    return False


def analyse_in_workers(
    paths: Sequence[Path],
    finder: MentionFinder | None,
    *,
    workers: int | None = None,
    published: datetime | None = None,
    source_name: str | None = None,
) -> Iterator[list[tuple[Path, FileResult]]]:
    """Groups of (path, result), together in the order of `paths`: each file's analysed
    articles and a report of those that failed, or the ParseError/OSError that kept it from
    being read. A group is the next file and those after it that are already done."""
    count = max(1, min(workers or available_cpus(), len(paths)))
    gazetteer = finder.gazetteer.store.path if finder is not None else None
    fork = "fork" in multiprocessing.get_all_start_methods()
    # A forked worker shares the parent's automaton; a spawned one loads it from its cache.
    automaton = finder.automaton if finder is not None and fork else None
    context = multiprocessing.get_context("fork" if fork else "spawn")
    pool = ProcessPoolExecutor(
        count, mp_context=context, initializer=_start_worker, initargs=(gazetteer, automaton)
    )
    pending: list[tuple[Path, Future]] = []
    queue = iter(paths)
    try:
        ahead = count * AHEAD_PER_WORKER
        for path in queue:
            pending.append((path, pool.submit(_analyse_file, path, published, source_name)))
            if len(pending) >= ahead:
                break
        while pending:
            group: list[tuple[Path, FileResult]] = []
            while pending and (not group or pending[0][1].done()) and len(group) < ahead:
                path, future = pending.pop(0)
                try:
                    result: FileResult = future.result()
                except (ParseError, OSError) as exc:
                    result = exc
                except BrokenProcessPool:
                    log.warning("a worker process died; analysing the remaining files here")
                    if group:
                        yield group
                    rest = [path, *(p for p, _ in pending), *queue]
                    yield from ([done] for done in _here(rest, finder, published, source_name))
                    return
                group.append((path, result))
                following = next(queue, None)
                if following is not None:
                    submitted = pool.submit(_analyse_file, following, published, source_name)
                    pending.append((following, submitted))
            yield group
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _here(
    paths: Sequence[Path],
    finder: MentionFinder | None,
    published: datetime | None,
    source_name: str | None,
) -> Iterator[tuple[Path, FileResult]]:
    """The same work in this process, for when the pool cannot go on."""
    for path in paths:
        try:
            yield path, analyse_file(path, finder, published, source_name)
        except (ParseError, OSError) as exc:
            yield path, exc


def _start_worker(gazetteer: Path | None, automaton: object | None) -> None:
    global _finder
    if gazetteer is None:
        _finder = None
        return
    from briefing.places import Gazetteer, MentionFinder
    from storage.gazetteer import GazetteerStore

    _finder = MentionFinder(Gazetteer(GazetteerStore(gazetteer)), automaton)  # type: ignore[arg-type]


def _analyse_file(
    path: Path, published: datetime | None, source_name: str | None
) -> tuple[list[Analysed], IngestReport]:
    return analyse_file(path, _finder, published, source_name)


def analyse_file(
    path: Path, finder: MentionFinder | None, published: datetime | None, source_name: str | None
) -> tuple[list[Analysed], IngestReport]:
    """A file's articles analysed, with the failures counted as `ingest_articles` counts
    them. `fetched` is left empty: the storing process stamps it, in order."""
    articles = read_articles(path, published=published, source_name=source_name)
    analysed: list[Analysed] = []
    report = IngestReport()
    for article in articles:
        try:
            analysed.append(analyse_article(article, finder, fetched="").compact())
        except Exception as exc:  # one bad article must not sink the rest
            log.exception("could not analyse %r", article.title[:80])
            report.failed += 1
            report.errors.append(f"{article.title[:80]!r}: {exc}")
    return analysed, report
