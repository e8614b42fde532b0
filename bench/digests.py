"""Bench: many subscriptions due in the same minute, on a database of many articles.

    python bench/digests.py                      # 100,000 articles, 1,000 subscriptions
    python bench/digests.py --articles 5000 --subs 100 --workers 1

Articles are generated straight through `ArticleStore.insert` (in large transactions) with
place mentions, spread over the week before the due minute. Subscriptions alternate between
two platforms and carry no filter, a place or a keyword (`--filters unique` gives every one
its own place-and-keyword pair, so no two digests can share a build). `--workers` runs that
many deliverers at once, each with its own database connection, the way several bot
processes would; each posts through an in-process Poster that records what it was given
and waits `--post-latency-ms` like a network call. The bench then checks that every
subscription was posted exactly once, and that a second run posts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import random
import resource
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.digests import deliver_due  # noqa: E402
from handlers.base import Reply  # noqa: E402
from storage.articles import ArticleRecord  # noqa: E402
from storage.database import Database  # noqa: E402

DUE = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
WORDS = ("clashes", "prison", "convoy", "ceasefire", "airstrike", "election", "floods", "talks",
         "checkpoint", "market", "refugees", "protest", "bridge", "hospital", "school",
         "militants", "governor", "curfew", "evacuation", "aid", "drought", "border", "police",
         "army", "district", "road", "village", "camp", "court", "budget")
SOURCES = [f"Outlet {n}" for n in range(20)]
PLACES = [(1000 + n, f"Place {n}") for n in range(50)]


class RecordingPoster:
    def __init__(self, platform: str, latency: float) -> None:
        self.platform = platform
        self.latency = latency
        self.posts: list[tuple[str, str | None]] = []

    async def post(self, channel: str, reply: Reply) -> None:
        if self.latency:
            await asyncio.sleep(self.latency)
        self.posts.append((channel, reply.title))


def generate_articles(db: Database, count: int, rng: random.Random) -> None:
    week = timedelta(days=7).total_seconds()
    story = None
    for start in range(0, count, 10_000):
        with db.transaction():
            for n in range(start, min(count, start + 10_000)):
                words = rng.sample(WORDS, 4)
                fetched = DUE - timedelta(seconds=week * (n + 1) / (count + 1))
                title = f"{words[0].title()} and {words[1]} near {rng.choice(PLACES)[1]} ({n})"
                record = ArticleRecord(
                    title=title, text=f"{title}. Reports of {' '.join(words)}. " * 5,
                    summary=f"Reports of {words[2]} and {words[3]}.",
                    content_hash=hashlib.sha1(str(n).encode()).hexdigest(),
                    fetched=fetched.isoformat(timespec="seconds"), kind="feed",
                    url=f"https://news.example/{n}", source_name=rng.choice(SOURCES),
                    published=fetched.isoformat(timespec="seconds"),
                )
                article_id = db.articles.insert(record, story if n % 3 else None)
                story = db.articles.get(article_id).story_id if n % 3 == 0 else story
                mentioned = rng.sample(PLACES, rng.choice((1, 2)))
                db.situation.add(article_id, mentions=[(pid, name, 1) for pid, name in mentioned])


def generate_subscriptions(db: Database, count: int, filters: str) -> None:
    created = DUE - timedelta(days=1)
    for n in range(count):
        places, keywords = (), ()
        if filters == "unique":
            places = (PLACES[n % len(PLACES)],)
            keywords = (WORDS[(n // len(PLACES)) % len(WORDS)],)
        elif n % 3 == 1:
            places = (PLACES[n % len(PLACES)],)
        elif n % 3 == 2:
            keywords = (WORDS[n % len(WORDS)],)
        db.subscriptions.add(
            platform=("slack", "discord")[n % 2], channel=f"C{n}", guild="G", cadence="daily",
            at_time="08:00", weekday=None, timezone="UTC", places=places, keywords=keywords,
            post_empty=True, created_by="bench", now=created,
        )


def deliver_in_workers(path: Path, workers: int,
                       latency: float) -> tuple[list, list, float, float]:
    """Run `workers` deliverers at once, each on its own connection; returns results,
    posters, the wall time until the last one finished and the longest loop stall."""
    posters = [{p: RecordingPoster(p, latency) for p in ("slack", "discord")}
               for _ in range(workers)]
    results: list = [None] * workers
    barrier = threading.Barrier(workers)

    stalls: list[float] = []

    async def deliver_watching_the_loop(db: Database, index: int) -> list:
        """Deliver while a heartbeat notes the longest time the loop could not run it:
        what a chat command waiting to be acknowledged would have waited."""
        longest = 0.0

        async def heartbeat() -> None:
            nonlocal longest
            while True:
                before = time.perf_counter()
                await asyncio.sleep(0.005)
                longest = max(longest, time.perf_counter() - before - 0.005)

        beat = asyncio.create_task(heartbeat())
        try:
            return await deliver_due(db, posters[index], DUE)
        finally:
            beat.cancel()
            stalls.append(longest)

    def work(index: int) -> None:
        db = Database(path)
        barrier.wait()
        results[index] = asyncio.run(deliver_watching_the_loop(db, index))
        db.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, posters, time.perf_counter() - started, max(stalls)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--subs", type=int, default=1_000)
    parser.add_argument("--filters", choices=("shared", "unique"), default="shared")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--post-latency-ms", type=float, default=50.0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        db = Database(path)
        started = time.perf_counter()
        generate_articles(db, args.articles, random.Random(args.seed))
        generate_subscriptions(db, args.subs, args.filters)
        print(f"generated {db.articles.count():,} articles and {args.subs:,} subscriptions "
              f"in {time.perf_counter() - started:.1f} s")
        db.close()

        results, posters, elapsed, stall = deliver_in_workers(path, args.workers,
                                                              args.post_latency_ms / 1000)
        statuses = Counter(r.status for batch in results for r in batch)
        per_channel = Counter(c for group in posters for p in group.values() for c, _ in p.posts)
        twice = sorted(c for c, n in per_channel.items() if n > 1)
        missing = args.subs - len(per_channel)
        print(f"delivered in {elapsed:.2f} s with {args.workers} worker(s), "
              f"{args.post_latency_ms:.0f} ms per post, filters {args.filters}: "
              f"{dict(sorted(statuses.items()))}")
        print(f"longest event-loop stall while delivering: {stall * 1000:.0f} ms")
        print(f"posts per worker: {[sum(len(p.posts) for p in g.values()) for g in posters]}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory (max RSS): {peak:.0f} MB")

        again, _, _, _ = deliver_in_workers(path, 1, 0)
        print(f"second run at the same minute: {sum(len(b) for b in again)} action(s)")
        ok = not twice and not missing and not any(again) and elapsed < 60
        print(f"posted exactly once each: {'yes' if not twice and not missing else 'NO'} "
              f"(twice: {twice[:5]}, missing: {missing}); within 60 s: "
              f"{'yes' if elapsed < 60 else 'NO'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
