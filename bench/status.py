"""Bench: `status PLACE` latency on a large database, through the real handler.

    python bench/status.py                               # 100,000 articles, 1,000 requests
    python bench/status.py --articles 5000 --requests 200
    python bench/status.py --profile                     # where the time goes (cProfile)

The database is built (or reused) by `bench/corpus.py`. Requests go through `App.dispatch`
one after another, so each latency is one command's own time: gazetteer look-up, the
situation queries and rendering. The mix: places often in the news, places rarely in it,
places the gazetteer knows but no article mentions (the "nearest in the news" answer),
misspellings and names that are nowhere. Peak memory is the process's maximum resident
set (`ru_maxrss`) and, in a separate smaller pass, tracemalloc's peak of Python allocations.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import resource
import statistics
import sys
import time
import tracemalloc
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import (  # noqa: E402
    END,
    FREQUENT,
    MISSPELT,
    RARE,
    UNKNOWN,
    bench_settings,
    build_database,
    database_path,
)
from bot.app import App  # noqa: E402
from handlers.base import Command  # noqa: E402

# Places the gazetteer knows that the corpus never mentions.
UNREPORTED = [
    "Reykjavik",
    "Timbuktu",
    "Ulaanbaatar",
    "Hobart",
    "Fairbanks",
    "Nuuk",
    "Asmara",
    "Bishkek",
    "Kathmandu",
    "Windhoek",
]
MIX = [
    ("frequent", FREQUENT, 40),
    ("rare", RARE, 20),
    ("unreported", UNREPORTED, 15),
    ("misspelt", MISSPELT, 15),
    ("unknown", UNKNOWN, 10),
]


def queries(count: int, seed: int) -> list[tuple[str, str]]:
    """(category, place) pairs in the proportions of MIX, shuffled the same way every run."""
    rng = random.Random(seed)
    total = sum(weight for _, _, weight in MIX)
    picked = []
    for category, names, weight in MIX:
        picked += [(category, rng.choice(names)) for _ in range(round(count * weight / total))]
    rng.shuffle(picked)
    return picked[:count]


def percentiles(values: list[float]) -> str:
    if len(values) < 2:
        return f"n={len(values)}  " + (f"{values[0]:.1f} ms" if values else "-")
    q = statistics.quantiles(values, n=100, method="inclusive")
    return (
        f"n={len(values):<5} p50 {q[49]:7.1f}  p95 {q[94]:7.1f}  p99 {q[98]:7.1f}  "
        f"max {max(values):7.1f} ms"
    )


def command(place: str) -> Command:
    return Command(name="status", args=(place,), user="bench", channel="bench", platform="console")


async def run(app: App, plan: list[tuple[str, str]]) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = defaultdict(list)
    outcomes: dict[str, int] = defaultdict(int)
    for category, place in plan:
        started = time.perf_counter()
        reply = await app.dispatch(command(place))
        timings[category].append((time.perf_counter() - started) * 1000)
        outcomes[f"{category}:{'answer' if reply.ok else 'not found'}"] += 1
    print("outcomes:", dict(sorted(outcomes.items())))
    return timings


def time_calls(app: App) -> dict[str, list[float]]:
    """Time every query by its SQL text, and the gazetteer's look-ups (worker threads
    included, which cProfile misses)."""
    spent: dict[str, list[float]] = defaultdict(list)

    def timed(method, label=None):  # noqa: ANN001, ANN202
        def run(*args, **kwargs):  # noqa: ANN202
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                sql = " ".join(str(args[0]).split())
                tables = " ".join(re.findall(r"(?:FROM|JOIN) (\w+)", sql))
                key = label or f"{sql[:50]}… [{tables}]"
                spent[key].append((time.perf_counter() - started) * 1000)

        return run

    app.db.query, app.db.query_one = timed(app.db.query), timed(app.db.query_one)
    gazetteer = app.gazetteer
    gazetteer.resolve = timed(gazetteer.resolve, "gazetteer.resolve")
    gazetteer.get = timed(gazetteer.get, "gazetteer.get")
    return spent


def report_sql(spent: dict[str, list[float]], requests: int) -> None:
    print(
        f"\nTime per request by SQL statement or gazetteer call (all threads), {requests} requests:"
    )
    for sql, times in sorted(spent.items(), key=lambda kv: -sum(kv[1]))[:10]:
        print(
            f"{sum(times) / requests:7.2f} ms/request  {len(times):6} calls  "
            f"{statistics.mean(times):7.2f} ms/call  {sql}"
        )


def report(timings: dict[str, list[float]]) -> None:
    every = [t for values in timings.values() for t in values]
    print(f"{'all':>11}  {percentiles(every)}")
    for category, _, _ in MIX:
        print(f"{category:>11}  {percentiles(timings.get(category, []))}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=1_000)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--traced", type=int, default=100, help="requests in the tracemalloc pass (0 to skip)"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the timed requests")
    args = parser.parse_args()

    path = database_path(args.articles)
    build_database(path, args.articles)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    app = App(bench_settings(path), clock=lambda: END)
    started = time.perf_counter()
    app.services  # noqa: B018  (opens the gazetteer, as the first command would)
    print(
        f"gazetteer opened in {(time.perf_counter() - started) * 1000:.0f} ms; "
        f"{app.db.articles.count()} articles in {path.name}"
    )

    sample = await app.dispatch(command(FREQUENT[0]))
    print(
        f"sample answer for {FREQUENT[0]}: {sample.text.splitlines()[-1][:150]!r}, "
        f"{len(sample.fields)} fields, {len(sample.citations)} citations"
    )
    await run(app, queries(args.warmup, args.seed + 1))

    plan = queries(args.requests, args.seed)
    print(f"\n{len(plan)} status requests, one at a time:")
    if args.profile:
        import cProfile
        import pstats

        spent = time_calls(app)
        profiler = cProfile.Profile()
        profiler.enable()
        timings = await run(app, plan)
        profiler.disable()
        report(timings)
        print("(timings above are under cProfile, so slower than without it)")
        report_sql(spent, len(plan))
        print("\ncProfile of the event-loop thread (work sent to threads shows as epoll waits):")
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(15)
    else:
        report(await run(app, plan))

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"\npeak RSS {rss / 1024:.0f} MB (before opening the app {rss_before / 1024:.0f} MB)")
    if args.traced:
        tracemalloc.start()
        for _, place in queries(args.traced, args.seed + 2):
            await app.dispatch(command(place))
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"tracemalloc over {args.traced} more requests: peak {peak / 2**20:.1f} MB of "
            f"Python allocations, {current / 2**20:.1f} MB still held at the end"
        )
    await app.close()


if __name__ == "__main__":
    asyncio.run(main())
