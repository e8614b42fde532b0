"""The `sitrep` command line: a thin wrapper over the App and the same handlers chat uses.

The CLI and the console act as the local operator, an admin; `--as-user ID` simulates a
member who is not. Every failure prints one line and exits non-zero.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import shlex
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from bot.app import App
from bot.render_text import dumps, render_text
from bot.settings import Settings, load_settings
from briefing.fetch import FetchError
from briefing.ingest import IngestReport
from briefing.parse import ParseError
from briefing.poll import poll_due
from briefing.urlguard import UnsafeURL
from handlers.base import Reply

log = logging.getLogger(__name__)

EPILOG = "Settings come from the environment and .env (see .env.example)."


def _date(text: str) -> datetime:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitrep",
        description="Sitrep: a self-hosted news briefing bot for Discord, Slack and the console.",
        epilog=EPILOG,
    )
    parser.add_argument(
        "--db", type=Path, help="SQLite database file (default: $SITREP_DB or data/sitrep.db)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser(
        "ingest",
        help="read feeds, web pages or plain-text reports into the database",
        description="Ingest RSS 2.0, RSS 1.0, Atom, an HTML article page or a plain-text "
        "report from files or http(s) URLs. The format is detected from the content.",
    )
    p.add_argument("targets", nargs="+", metavar="PATH_OR_URL")
    p.add_argument(
        "--published",
        type=_date,
        metavar="YYYY-MM-DD",
        help="publication date for pages and reports that carry none",
    )
    p.add_argument(
        "--source",
        metavar="NAME",
        help="source name to cite (default: the feed's title or the file name)",
    )

    p = sub.add_parser(
        "source",
        help="manage feed sources (add, remove, list, test, pause, resume, import, export)",
        description="Manage feed sources, as the `source` chat command does.",
    )
    p.add_argument(
        "action", choices=["add", "remove", "list", "test", "pause", "resume", "import", "export"]
    )
    p.add_argument(
        "rest",
        nargs=argparse.REMAINDER,
        metavar="ARGS",
        help="URL (or id), and for add: --every 30m --name NAME",
    )
    p.add_argument("--as-user", metavar="ID", help="act as a chat member who is not an admin")

    sub.add_parser(
        "poll",
        help="fetch every due source once",
        description="Fetch every due source once "
        "(conditional GET, back-off for failing sources) and ingest what is new.",
    )

    p = sub.add_parser(
        "ask",
        help="run one chat command and print the reply",
        description="Run a chat command (brief, search, status, source …, help) through the "
        "same handlers the chat platforms use.",
    )
    p.add_argument("text", nargs="+", metavar="TEXT", help='the command, e.g. "status Qala-e-Naw"')
    p.add_argument("--json", action="store_true", help="print the reply as one JSON object")
    p.add_argument("--as-user", metavar="ID", help="act as a chat member who is not an admin")

    p = sub.add_parser(
        "console",
        help="interactive prompt for chat commands",
        description="An interactive prompt: type chat commands, `quit` to leave.",
    )
    p.add_argument("--as-user", metavar="ID", help="act as a chat member who is not an admin")

    sub.add_parser(
        "run",
        help="run the bot: Discord and/or Slack (whichever tokens are set), "
        "scheduled polling and digests; the console when no token is set",
        description="Run Sitrep until interrupted.",
    )

    p = sub.add_parser("discord-invite", help="print the URL that adds the bot to a Discord server")
    p.add_argument("--application-id", type=int, help="default: $DISCORD_APPLICATION_ID")

    sub.add_parser("places", help="build the offline gazetteer now (otherwise built on first use)")
    return parser


def _print_reply(reply: Reply, as_json: bool) -> int:
    print(dumps(reply) if as_json else render_text(reply))
    return 0 if reply.ok else 1


async def _ingest(app: App, args: argparse.Namespace) -> int:
    failed = 0
    total = IngestReport()
    is_url = [
        target.startswith(("http://", "https://")) or "://" in target for target in args.targets
    ]
    # Files go through `ingest_many` (several files are analysed on all cores); it yields
    # their outcomes in order, so each line is printed where the loop reaches that file.
    files = app.ingestor.ingest_many(
        [Path(t) for t, url in zip(args.targets, is_url, strict=True) if not url],
        published=args.published,
        source_name=args.source,
    )
    try:
        for target, url in zip(args.targets, is_url, strict=True):
            try:
                if url:
                    report, _ = await app.ingestor.ingest_url(
                        target, published=args.published, source_name=args.source
                    )
                else:
                    outcome = await asyncio.to_thread(next, files)
                    if outcome.error is not None:
                        raise outcome.error
                    report = outcome.report
            except (FetchError, ParseError, UnsafeURL, OSError) as exc:
                print(
                    f"error: {target}: {exc}" if target not in str(exc) else f"error: {exc}",
                    file=sys.stderr,
                )
                failed += 1
                continue
            total.merge(report)
            print(f"{target}: {report.line()}")
            for error in report.errors:
                print(f"  warning: {error}", file=sys.stderr)
    finally:
        files.close()
    if len(args.targets) > 1:
        print(f"total: {total.line()}")
    return 1 if failed else 0


async def console(app: App, as_user: str | None) -> int:
    print("Sitrep console. Type `help` for commands, `quit` to leave.")
    while True:
        try:
            line = await asyncio.to_thread(input, "sitrep> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if line.strip().lower() in {"quit", "exit", ":q"}:
            return 0
        if not line.strip():
            continue
        reply = await app.ask(line, user=as_user or "console", is_admin=as_user is None)
        print(render_text(reply))
        print()


async def _main(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "discord-invite":
        from bot.discord_adapter import invite_url

        app_id = args.application_id or settings.discord_application_id
        if not app_id:
            print("error: give --application-id or set DISCORD_APPLICATION_ID", file=sys.stderr)
            return 2
        print(invite_url(app_id))
        return 0
    if args.command == "run":
        from bot.runner import run

        return await run(settings)
    app = App(settings)
    try:
        if args.command == "places":
            gazetteer = app.gazetteer
            print(f"gazetteer ready: {settings.gazetteer_path} ({gazetteer.count()} places)")
            return 0
        if args.command == "ingest":
            return await _ingest(app, args)
        if args.command == "poll":
            report = await poll_due(
                app.ingestor, now=app.clock(), pause_after=settings.pause_after_failures
            )
            for outcome in report.outcomes:
                state = "ok" if outcome.ok else f"failed: {outcome.error}"
                added = f", {outcome.report.line()}" if outcome.report else ""
                print(f"{outcome.source.url}: {state}{added}")
            print(report.line())
            return 0 if all(o.ok for o in report.outcomes) else 1
        as_user = getattr(args, "as_user", None)
        rest = list(getattr(args, "rest", []) or [])
        if "--as-user" in rest:  # REMAINDER swallows options given after the URL
            at = rest.index("--as-user")
            if at + 1 >= len(rest):
                print("error: --as-user needs an ID", file=sys.stderr)
                return 2
            as_user = rest[at + 1]
            del rest[at : at + 2]
        if args.command == "console":
            return await console(app, as_user)
        if args.command == "source":
            line = shlex.join(["source", args.action, *rest])
            return _print_reply(
                await app.ask(line, user=as_user or "console", is_admin=as_user is None), False
            )
        if args.command == "ask":
            line = args.text[0] if len(args.text) == 1 else shlex.join(args.text)
            reply = await app.ask(line, user=as_user or "console", is_admin=as_user is None)
            return _print_reply(reply, args.json)
    finally:
        await app.close()
    return 2


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    overrides = {"database_path": args.db} if args.db else {}
    try:
        settings = load_settings(**overrides)
    except Exception as exc:  # pydantic's error names the setting and the bad value
        print(f"error: invalid settings: {exc}", file=sys.stderr)
        return 2
    level = (
        logging.DEBUG
        if args.verbose
        else (
            getattr(logging, settings.log_level.upper(), logging.INFO)
            if args.command == "run"
            else logging.WARNING
        )
    )
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return asyncio.run(_main(args, settings))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `sitrep ask … | head`: the reader left, nothing to report
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
