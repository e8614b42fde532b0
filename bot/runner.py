"""`sitrep run`: Discord and Slack (whichever tokens are set) plus the scheduler, in one process.

With no token at all the console takes their place, so the same process can be tried on a
laptop: commands are typed at a prompt and digests are printed there.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import signal
import sys
from datetime import timedelta

from bot.app import App
from bot.delivery import Poster
from bot.render_text import render_text
from bot.scheduler import Scheduler
from bot.settings import Settings
from briefing.poll import poll_due
from handlers.base import Reply

log = logging.getLogger(__name__)


class ConsolePoster:
    """Digests and alerts for console subscriptions are printed to standard output."""

    platform = "console"

    async def post(self, channel: str, reply: Reply) -> None:
        print(f"\n[{channel}] {render_text(reply)}\n", flush=True)


async def start_adapters(app: App, settings: Settings) -> dict[str, Poster]:
    """Start every configured platform; a bad token stops start-up with one clear line."""
    posters: dict[str, Poster] = {}
    if settings.slack_enabled:
        from bot.slack_adapter import SlackAdapter

        slack = SlackAdapter(settings, app.dispatch)
        await slack.start()
        posters["slack"] = slack
    if settings.discord_enabled:
        from bot.discord_adapter import DiscordAdapter
        from bot.discord_respond import needs_admin_from

        discord = DiscordAdapter(
            settings, app.dispatch, app.complete_places, needs_admin=needs_admin_from(app.registry)
        )
        await discord.start()
        posters["discord"] = discord
    return posters


async def _console_loop(app: App, stop: asyncio.Event) -> None:
    from bot.cli import console

    await console(app, None)
    stop.set()


async def run(settings: Settings) -> int:
    from bot.discord_adapter import DiscordStartupError
    from bot.slack_adapter import SlackStartupError

    app = App(settings)
    app.gazetteer  # noqa: B018 - open (or build) it before the first command, not during one
    posters: dict[str, Poster] = {}
    try:
        posters = await start_adapters(app, settings)
    except (SlackStartupError, DiscordStartupError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        for poster in posters.values():
            await poster.stop()  # type: ignore[attr-defined]
        await app.close()
        return 2
    console_mode = not posters
    if console_mode:
        posters["console"] = ConsolePoster()
    scheduler = Scheduler(
        app.db,
        posters,
        clock=app.clock,
        timezone_default=settings.timezone,
        grace=timedelta(hours=settings.delivery_grace_hours),
        poll=functools.partial(poll_due, app.ingestor, pause_after=settings.pause_after_failures),
        admin_channels=settings.admin_channels,
    )
    app.on_schedule_change(scheduler.rebuild)
    scheduler.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    log.info("Sitrep running on %s", ", ".join(sorted(posters)))
    console_task = asyncio.create_task(_console_loop(app, stop)) if console_mode else None
    try:
        await stop.wait()
    finally:
        scheduler.shutdown()
        if console_task is not None:
            console_task.cancel()
        for name, poster in posters.items():
            if name != "console":
                await poster.stop()  # type: ignore[attr-defined]
        await app.close()
    return 0
