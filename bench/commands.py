"""Bench: many slash commands at once through Slack and Discord, against a large database.

    python bench/commands.py                           # 100,000 articles, 200 commands at once
    python bench/commands.py --articles 5000 --commands 50 --concurrency 10
    python bench/commands.py --platforms slack --mix status=100

The bot runs in its own process, as in production: one `App` with the Slack adapter (HTTP
mode) and the Discord adapter, both talking to the fakes from `tests/fakes`, which run in
this process together with the load. Every timestamp is taken here, on one clock:

- Slack: a signed POST to the adapter's /slack/events; ack = its HTTP 200 arriving back,
  final = the reply reaching the fake's response_url.
- Discord: `FakeDiscord.dispatch_interaction` pushes INTERACTION_CREATE; ack = the
  interaction callback (the deferral) reaching the fake, final = the first follow-up.

`--concurrency` caps how many commands are in flight (from send to final reply); by default
all of them are sent at once. The mix is `status`, `brief` and `search`. Besides the
percentiles: `late` counts acks after 3 s (the real platforms would have given up on them;
the fakes do not) and `sorry` final replies that were an apology ("took too long") rather
than an answer.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import (  # noqa: E402
    END,
    FREQUENT,
    MISSPELT,
    RARE,
    bench_settings,
    build_database,
    database_path,
)
from tests.fakes import discord as fake_discord  # noqa: E402
from tests.fakes import slack as fake_slack  # noqa: E402

PLACES = FREQUENT * 3 + RARE + MISSPELT  # mostly places in the news, some rare, some misspelt
SEARCHES = [
    "Kunduz prison",
    "ceasefire talks",
    "airstrike market",
    "Kharkiv",
    "flour prices",
    "tram budget",
    "Red Cross",
    "Omdurman shelling",
    "Spin Boldak",
    "mayoral race",
]
KINDS = ("status", "brief", "search")
ACK_DEADLINE_MS = 3000  # both platforms drop a command not acknowledged within 3 s


@dataclass
class Sample:
    kind: str
    sent: float
    ack: float | None = None
    final: float | None = None
    apology: bool = False  # the final reply was an apology ("took too long", "went wrong")


def _apology(body: object) -> bool:
    return "Sorry" in json.dumps(body)[:2000]


class TimedSlack(fake_slack.FakeSlack):
    """The fake Slack, noting when each response_url post arrives."""

    def __init__(self) -> None:
        super().__init__()
        self.waiting: dict[str, asyncio.Future[tuple[float, bool]]] = {}

    async def _record(self, call: fake_slack.Call) -> None:
        now = time.perf_counter()
        future = self.waiting.get(call.target) if call.method == "response_url" else None
        if future is not None and not future.done():
            future.set_result((now, _apology(call.body)))
        self.calls.append(call)  # no Condition: nobody waits on it here


class TimedDiscord(fake_discord.FakeDiscord):
    """The fake Discord, noting when each interaction's callback and first follow-up arrive."""

    def __init__(self) -> None:
        super().__init__()
        self.waiting: dict[tuple[str, str], asyncio.Future[tuple[float, bool]]] = {}

    async def _record(self, request):  # type: ignore[no-untyped-def]
        now = time.perf_counter()
        parts = request.path.removeprefix(fake_discord.API_PREFIX).strip("/").split("/")
        key = None
        if parts[0] == "interactions" and parts[-1] == "callback":
            key = ("ack", parts[2])
        elif parts[0] == "webhooks" and len(parts) == 3:
            key = ("final", parts[2])
        body = await request.json() if request.can_read_body else None
        future = self.waiting.get(key) if key else None
        if future is not None and not future.done():
            future.set_result((now, _apology(body)))
        return body


def plan(count: int, mix: dict[str, int], seed: int) -> list[tuple[str, str]]:
    """(kind, argument) pairs in the mix's proportions, shuffled the same way every run."""
    rng = random.Random(seed)
    total = sum(mix.values())
    chosen: list[tuple[str, str]] = []
    for kind, weight in mix.items():
        pool = PLACES if kind == "status" else SEARCHES if kind == "search" else [""]
        chosen += [(kind, rng.choice(pool)) for _ in range(round(count * weight / total))]
    rng.shuffle(chosen)
    return chosen[:count]


async def slack_command(
    fake: TimedSlack,
    session: aiohttp.ClientSession,
    port: int,
    n: int,
    kind: str,
    arg: str,
    timeout: float,
) -> Sample:
    name = f"b{n}"
    loop = asyncio.get_running_loop()
    fake.waiting[name] = final = loop.create_future()
    body, headers = fake_slack.signed_slash_command(
        f"{kind} {arg}".strip(), response_url=fake.response_url(name), user_id=f"U{n % 20:04d}"
    )
    sample = Sample(kind, time.perf_counter())
    async with session.post(
        f"http://127.0.0.1:{port}/slack/events", data=body, headers=headers
    ) as resp:
        await resp.read()
        if resp.status == 200:
            sample.ack = time.perf_counter()
    sample.final, sample.apology = await _wait(final, timeout)
    return sample


async def discord_command(
    fake: TimedDiscord, n: int, kind: str, arg: str, timeout: float
) -> Sample:
    option = {"status": "place", "search": "query"}.get(kind)
    options = [{"type": 3, "name": option, "value": arg}] if option else []
    payload = fake.command_interaction(kind, options)
    loop = asyncio.get_running_loop()
    acked = fake.waiting[("ack", payload["token"])] = loop.create_future()
    final = fake.waiting[("final", payload["token"])] = loop.create_future()
    sample = Sample(kind, time.perf_counter())
    await fake.dispatch_interaction(payload)
    sample.ack = (await _wait(acked, timeout))[0]
    sample.final, sample.apology = await _wait(final, timeout)
    return sample


async def _wait(future: asyncio.Future, timeout: float) -> tuple[float | None, bool]:
    try:
        return await asyncio.wait_for(asyncio.shield(future), timeout)
    except TimeoutError:
        return None, False


async def burst(send, work: list[tuple[str, str]], concurrency: int) -> list[Sample]:
    gate = asyncio.Semaphore(concurrency or len(work) or 1)

    async def one(n: int, kind: str, arg: str) -> Sample:
        async with gate:
            return await send(n, kind, arg)

    return await asyncio.gather(*(one(n, kind, arg) for n, (kind, arg) in enumerate(work)))


def _ms(values: list[float]) -> str:
    if not values:
        return f"{'-':>31}"
    q = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else values * 99
    return f"{q[49]:9.1f} {q[94]:9.1f} {q[98]:9.1f}"


def report(platform: str, samples: list[Sample], seconds: float, cpu: float) -> None:
    print(
        f"\n{platform}: {len(samples)} commands in {seconds:.2f} s "
        f"(this process, fakes and load, used {cpu:.2f} s of CPU meanwhile)"
    )
    print(
        f"{'':>8} {'n':>4}  {'ack p50':>9} {'p95':>9} {'p99':>9}   {'final p50':>9} "
        f"{'p95':>9} {'p99':>9}  lost late sorry"
    )
    for kind in (*KINDS, "all"):
        rows = [s for s in samples if kind in (s.kind, "all")]
        if not rows:
            continue
        acks = [(s.ack - s.sent) * 1000 for s in rows if s.ack is not None]
        finals = [(s.final - s.sent) * 1000 for s in rows if s.final is not None]
        lost = sum(1 for s in rows if s.ack is None or s.final is None)
        late = sum(1 for ms in acks if ms > ACK_DEADLINE_MS)
        sorry = sum(1 for s in rows if s.apology)
        print(
            f"{kind:>8} {len(rows):>4}  {_ms(acks)}   {_ms(finals)}  {lost:>4} {late:>4} {sorry:>5}"
        )


async def start_bot(
    args: argparse.Namespace, path: Path, slack: TimedSlack, discord: TimedDiscord
) -> tuple[subprocess.Popen, int]:
    command = [
        sys.executable,
        __file__,
        "--serve",
        str(path),
        slack.api_url,
        discord.api_url,
        discord.gateway_url,
        "no-places" if args.no_places else "places",
        "profile" if args.profile_bot else "-",
    ]
    child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = await asyncio.wait_for(asyncio.to_thread(child.stdout.readline), 300)
    if not line.startswith("READY"):
        child.kill()
        raise SystemExit(f"the bot process did not start: {line!r}")
    return child, int(line.split()[1])


async def run(args: argparse.Namespace) -> None:
    path = database_path(args.articles, not args.no_places)
    build_database(path, args.articles, with_places=not args.no_places)
    mix = {k: int(v) for k, v in (part.split("=") for part in args.mix.split(","))}
    slack, discord = TimedSlack(), TimedDiscord()
    await slack.start()
    await discord.start()
    for n in range(20):
        slack.add_user(f"U{n:04d}")
    started = time.perf_counter()
    child, port = await start_bot(args, path, slack, discord)
    print(f"bot process ready in {time.perf_counter() - started:.1f} s (Slack on port {port})")
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        senders = {
            "slack": lambda n, kind, arg: slack_command(
                slack, session, port, n, kind, arg, args.timeout
            ),
            "discord": lambda n, kind, arg: discord_command(discord, n, kind, arg, args.timeout),
        }
        for platform in args.platforms.split(","):
            send = senders[platform]
            await burst(send, plan(10, mix, args.seed + 1), 1)  # warm-up, not counted
            work = plan(args.commands, mix, args.seed)
            began, cpu = time.perf_counter(), time.process_time()
            samples = await burst(lambda n, k, a, s=send: s(n + 1000, k, a), work, args.concurrency)
            report(platform, samples, time.perf_counter() - began, time.process_time() - cpu)
        print(
            f"\nSlack API calls the bot made: users.info {len(slack.calls_to('users.info'))}, "
            f"response_url {len(slack.calls_to('response_url'))}"
        )
    child.stdin.close()
    print(f"\n{(await asyncio.to_thread(child.stdout.read)).strip()}")
    await asyncio.to_thread(child.wait, 30)
    await discord.close()
    await slack.close()


async def serve(
    path: str, slack_api: str, discord_api: str, gateway: str, places: str, profile: str
) -> None:
    """The bot process: one App, Slack over HTTP and Discord, until stdin closes."""
    from bot.app import App
    from bot.discord_adapter import DiscordAdapter
    from bot.discord_respond import needs_admin_from
    from bot.slack_adapter import SlackAdapter

    logging.basicConfig(level=logging.WARNING)
    settings = bench_settings(
        Path(path),
        SLACK_BOT_TOKEN=fake_slack.BOT_TOKEN,
        SLACK_SIGNING_SECRET=fake_slack.SIGNING_SECRET,
        SITREP_SLACK_API_URL=slack_api,
        SITREP_SLACK_HTTP_HOST="127.0.0.1",
        SITREP_SLACK_HTTP_PORT=0,
        DISCORD_TOKEN="fake-bot-token",
        DISCORD_GUILD_ID=fake_discord.GUILD_ID,
        SITREP_DISCORD_API_URL=discord_api,
        SITREP_DISCORD_GATEWAY_URL=gateway,
    )
    app = App(settings, clock=lambda: END, with_places=places == "places")
    app.services  # noqa: B018  (open the gazetteer before serving, as a warm process has)
    slack = SlackAdapter(settings, app.dispatch)
    discord = DiscordAdapter(
        settings, app.dispatch, app.complete_places, needs_admin=needs_admin_from(app.registry)
    )
    await slack.start()
    await discord.start()
    await discord.wait_ready(60)
    if profile == "profile":
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
    cpu = time.process_time()
    print(f"READY {slack.bound_port}", flush=True)
    await asyncio.to_thread(sys.stdin.read)
    if profile == "profile":
        profiler.disable()
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(40)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"bot process: peak RSS {rss / 1024:.0f} MB, {time.process_time() - cpu:.1f} s of CPU "
        "while serving",
        flush=True,
    )
    await discord.stop()
    await slack.stop()
    await app.close()


def main() -> None:
    if len(sys.argv) == 8 and sys.argv[1] == "--serve":
        asyncio.run(serve(*sys.argv[2:]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--commands", type=int, default=200, help="per platform")
    parser.add_argument("--concurrency", type=int, default=0, help="in flight; 0 = all at once")
    parser.add_argument("--mix", default="status=60,brief=20,search=20")
    parser.add_argument("--platforms", default="slack,discord")
    parser.add_argument("--timeout", type=float, default=60.0, help="give up on one reply")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--profile-bot",
        action="store_true",
        help="cProfile the bot process (main thread) and print where time went",
    )
    parser.add_argument(
        "--no-places",
        action="store_true",
        help="a database built without places and claims (status answers fail)",
    )
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
