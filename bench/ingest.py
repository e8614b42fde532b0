"""Ingest throughput: the whole pipeline beside feedparser alone and a reference summariser.

    python bench/ingest.py                       # 5,000 articles, places and claims on
    python bench/ingest.py --articles 20000 --workers 2
    python bench/ingest.py --no-places --reference-texts 500

Writes N synthetic articles (bench/corpus.py) as RSS files in a temporary directory, then,
in one run:
  1. the pipeline as `sitrep ingest FILE...` runs it (`Ingestor.ingest_many`: parse ->
     analyse with places and claims -> store with the full-text index), on a fresh database;
  2. the same pipeline in one process with a timer around each stage (the stage table);
  3. feedparser.parse alone on the same files;
  4. sumy's LexRank and TextRank, and our `summarise`, on the same texts (3 sentences);
  5. the pipeline once more under tracemalloc, for the writing process's peak memory.
Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import io
import resource
import sys
import tempfile
import time
import tracemalloc
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import Ticker, bench_settings, write_feeds  # noqa: E402
from bot.app import App  # noqa: E402
from briefing.ingest import Ingestor  # noqa: E402
from briefing.ingest_pool import available_cpus  # noqa: E402

# Stage -> the names the pipeline calls, as (module, attribute) looked up at call time.
STAGES = {
    "parse": [("briefing.ingest", "parse_document")],
    "sentences": [("briefing.ingest", "split_sentences")],
    "summarise": [("briefing.ingest", "summarise")],
    "dedup hashes": [
        ("briefing.ingest", name) for name in ("fingerprints", "lsh_keys", "canonical_url")
    ],
    "places": [],  # the finder's `find`, wrapped on the instance
    "claims": [("briefing.claims", "extract")],
    "store": [("briefing.ingest.Ingestor", "store")],
}
SUB_STAGES = {"store": [("story grouping", "briefing.ingest.Ingestor", "_story_for")]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--per-feed", type=int, default=100, help="items per RSS file")
    parser.add_argument(
        "--workers", type=int, default=None, help="worker processes (default: one per CPU)"
    )
    parser.add_argument("--no-places", action="store_true", help="skip places and claims")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--reference-texts",
        type=int,
        default=2000,
        help="texts given to sumy (it runs at a few hundred a second)",
    )
    args = parser.parse_args()
    workers = args.workers or available_cpus()
    with tempfile.TemporaryDirectory(prefix="sitrep-bench-") as tmp:
        run(Path(tmp), args, workers)


def run(tmp: Path, args: argparse.Namespace, workers: int) -> None:
    n, places = args.articles, not args.no_places
    paths = write_feeds(n, tmp / "feeds", per_feed=args.per_feed, seed=args.seed)
    megabytes = sum(p.stat().st_size for p in paths) / 2**20
    print(
        f"{n} articles in {len(paths)} RSS files ({megabytes:.1f} MB); {available_cpus()} CPUs;"
        f" {workers} workers; places and claims {'on' if places else 'off'}"
    )

    # 1. The pipeline, end to end.
    app = fresh_app(tmp / "pipeline.db", n, places)
    started = time.perf_counter()
    ingestor = app.ingestor  # opens the gazetteer and loads the place automaton
    startup = time.perf_counter() - started
    cpu_before = cpu_seconds()
    started = time.perf_counter()
    totals = ingest(ingestor, paths, workers)
    pipeline_s = time.perf_counter() - started
    cpu_parent, cpu_workers = (
        after - before for after, before in zip(cpu_seconds(), cpu_before, strict=True)
    )
    rss_parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rss_worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    app.db.close()

    # 2. One process, a timer around each stage.
    app = fresh_app(tmp / "stages.db", n, places)
    clock = StageClock()
    with clock.installed(app.ingestor.finder):
        started = time.perf_counter()
        ingest(app.ingestor, paths, workers=1)
        single_s = time.perf_counter() - started
    texts = texts_of(paths)
    app.db.close()

    # 3. feedparser alone on the same files.
    feedparser_s, feedparser_items = time_feedparser(paths)

    # 4. Summarisers on the same texts.
    ours_s = time_ours(texts)
    sample = texts[: args.reference_texts]
    sumy = time_sumy(sample)

    # 5. Peak traced memory of the writing process.
    app = fresh_app(tmp / "traced.db", n, places)
    app.ingestor  # noqa: B018  (loaded before tracing: start-up is not the pipeline)
    tracemalloc.start()
    ingest(app.ingestor, paths, workers)
    traced_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    app.db.close()

    rate = n / pipeline_s
    print(f"\nstart-up (gazetteer, place automaton): {startup:.2f} s, not counted below")
    print("\npipeline, as `sitrep ingest FILE...` (parse, analyse, store + FTS; fresh database)")
    print(
        f"  {n} items in {pipeline_s:.2f} s = {rate:,.0f} items/s with {workers} workers"
        f"  ({totals[0]} stored, {totals[1]} duplicates, {totals[2]} failed)"
    )
    print(
        f"  CPU: {cpu_parent:.2f} s in this process (storing), {cpu_workers:.2f} s in workers"
        f" = {(cpu_parent + cpu_workers) / n * 1000:.2f} ms per item"
    )
    print(f"  one process: {n / single_s:,.0f} items/s; per stage (CPU seconds, one process):")
    print(f"    {'stage':<22}{'seconds':>9}{'items/s':>11}{'share':>8}")
    for name, seconds in clock.rows(single_s):
        share = f"{seconds / single_s:7.0%}" if not name.startswith("  ") else ""
        print(f"    {name:<22}{seconds:9.2f}{n / seconds if seconds else 0:11,.0f}{share:>8}")
    print("\nreference, on the same files and texts")
    fp_rate = feedparser_items / feedparser_s
    print(
        f"  feedparser.parse alone     {feedparser_items} items in {feedparser_s:.2f} s"
        f" = {fp_rate:,.0f} items/s"
    )
    ours_rate = len(texts) / ours_s
    print(
        f"  our summarise()            {len(texts)} texts in {ours_s:.2f} s"
        f" = {ours_rate:,.0f} texts/s"
    )
    for name, (seconds, _) in sumy.items():
        print(
            f"  sumy {name:<21} {len(sample)} texts in {seconds:.2f} s"
            f" = {len(sample) / seconds:,.0f} texts/s"
        )
    if sumy:
        print(f"  (sumy tokenizer: {next(iter(sumy.values()))[1]})")
    print("\nratios")
    print(
        f"  pipeline / feedparser alone          {rate / fp_rate:5.2f}x"
        f"  ({'at least as fast' if rate >= fp_rate else 'slower'})"
    )
    print(
        f"  pipeline, items/s                    {rate:,.0f}"
        f"  ({'meets' if rate >= 1000 else 'misses'} the 1,000/s goal)"
    )
    for name, (seconds, _) in sumy.items():
        print(f"  summarise() / sumy {name:<17} {ours_rate / (len(sample) / seconds):5.0f}x faster")
        print(f"  whole pipeline / sumy {name:<14} {rate / (len(sample) / seconds):5.1f}x")
    print("\nmemory")
    print(
        f"  peak RSS: this process {rss_parent:,.0f} MB (after the pipeline pass),"
        f" largest worker {rss_worker:,.0f} MB"
    )
    print(f"  tracemalloc peak, writing process, pipeline pass: {traced_peak:,.1f} MB")


def cpu_seconds() -> tuple[float, float]:
    """User + system CPU of this process and of its finished children (the workers)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, children.ru_utime + children.ru_stime


def fresh_app(path: Path, n: int, places: bool) -> App:
    return App(bench_settings(path), clock=Ticker(n), with_places=places)


def ingest(ingestor: Ingestor, paths: list[Path], workers: int) -> tuple[int, int, int]:
    added = duplicates = failed = 0
    for outcome in ingestor.ingest_many(paths, workers=workers):
        if outcome.error is not None:
            raise outcome.error
        added += outcome.report.added
        duplicates += outcome.report.duplicates
        failed += outcome.report.failed
    return added, duplicates, failed


class StageClock:
    """Wall time spent inside the functions of each stage (they never nest across stages)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def installed(self, finder: object | None) -> _Installed:
        return _Installed(self, finder)

    def timed(self, stage: str, function):  # noqa: ANN001, ANN201
        seconds = self.seconds

        @functools.wraps(function)
        def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[stage] += time.perf_counter() - started

        return wrapper

    def rows(self, total: float) -> list[tuple[str, float]]:
        rows = [(stage, self.seconds[stage]) for stage in STAGES]
        for stage, subs in SUB_STAGES.items():
            at = [name for name, _ in rows].index(stage) + 1
            rows[at:at] = [(f"  of which {name}", self.seconds[name]) for name, _, _ in subs]
        timed = sum(self.seconds[stage] for stage in STAGES)
        rows.append(("other (glue, pickling)", max(0.0, total - timed)))
        return rows


class _Installed:
    def __init__(self, clock: StageClock, finder: object | None) -> None:
        self.clock, self.finder, self.saved = clock, finder, []

    def __enter__(self) -> None:
        targets = [(stage, m, a) for stage, names in STAGES.items() for m, a in names]
        targets += [(name, m, a) for subs in SUB_STAGES.values() for name, m, a in subs]
        for stage, module, attribute in targets:
            owner = resolve(module)
            self.saved.append((owner, attribute, owner.__dict__[attribute]))
            setattr(owner, attribute, self.clock.timed(stage, getattr(owner, attribute)))
        if self.finder is not None:
            self.finder.find = self.clock.timed("places", self.finder.find)

    def __exit__(self, *exc: object) -> None:
        for owner, attribute, original in reversed(self.saved):
            setattr(owner, attribute, original)
        if self.finder is not None:
            del self.finder.find


def resolve(dotted: str) -> object:
    """A module, or a class inside one ("briefing.ingest.Ingestor")."""
    try:
        return importlib.import_module(dotted)
    except ModuleNotFoundError:
        module, name = dotted.rsplit(".", 1)
        return getattr(importlib.import_module(module), name)


def texts_of(paths: list[Path]) -> list[str]:
    from briefing.parse import parse_document

    return [a.text.strip() for p in paths for a in parse_document(p.read_bytes())]


def time_feedparser(paths: list[Path]) -> tuple[float, int]:
    import feedparser

    items = 0
    started = time.perf_counter()
    for path in paths:
        items += len(feedparser.parse(io.BytesIO(path.read_bytes())).entries)
    return time.perf_counter() - started, items


def time_ours(texts: list[str]) -> float:
    from briefing.summarise import summarise

    started = time.perf_counter()
    for text in texts:
        summarise(text)
    return time.perf_counter() - started


def sumy_tokenizer() -> tuple[object, str]:
    """sumy's English tokenizer, or, without NLTK's punkt data (none offline), the same class
    with NLTK's untrained Punkt sentence splitter and its Treebank word tokenizer, which need
    no data files."""
    from sumy.nlp.tokenizers import Tokenizer

    try:
        tokenizer = Tokenizer("english")
        tokenizer.to_sentences("A test. Another one.")
        return tokenizer, "sumy Tokenizer('english') with NLTK punkt data"
    except LookupError:
        pass
    from nltk.tokenize import NLTKWordTokenizer
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    class OfflineTokenizer(Tokenizer):
        def _get_sentence_tokenizer(self, language: str) -> object:
            return PunktSentenceTokenizer()

        def _get_word_tokenizer(self, language: str) -> object:
            return NLTKWordTokenizer()

    return OfflineTokenizer("english"), (
        "punkt data not installed (offline), so sumy's Tokenizer with NLTK's untrained"
        " PunktSentenceTokenizer and NLTKWordTokenizer, which need no data"
    )


def time_sumy(texts: list[str]) -> dict[str, tuple[float, str]]:
    try:
        from sumy.nlp.stemmers import Stemmer
        from sumy.parsers.plaintext import PlaintextParser
        from sumy.summarizers.lex_rank import LexRankSummarizer
        from sumy.summarizers.text_rank import TextRankSummarizer
        from sumy.utils import get_stop_words
    except ImportError:
        print("  sumy is not installed (pip install -e '.[bench]'): reference skipped")
        return {}
    tokenizer, note = sumy_tokenizer()
    results = {}
    for name, kind in (("LexRank", LexRankSummarizer), ("TextRank", TextRankSummarizer)):
        summarizer = kind(Stemmer("english"))
        summarizer.stop_words = get_stop_words("english")
        started = time.perf_counter()
        for text in texts:
            summarizer(PlaintextParser.from_string(text, tokenizer).document, 3)
        results[f"{name} (3 sentences)"] = (time.perf_counter() - started, note)
    return results


if __name__ == "__main__":
    main()
