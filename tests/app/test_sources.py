"""`source …` commands and polling, against feeds served on 127.0.0.1."""

from __future__ import annotations

from datetime import datetime, timedelta

from briefing.poll import poll_due
from tests.conftest import SEEDS, Page

FEED = (SEEDS / "frontline-wire.xml").read_bytes()
ONE_ITEM = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Tiny Wire</title>
<item><title>Flooding closes the Salang tunnel</title><link>https://tiny.example/salang</link>
<guid>https://tiny.example/salang</guid><pubDate>Sat, 10 Jul 2021 08:00:00 +0000</pubDate>
<description>Heavy rain closed the Salang tunnel north of Kabul on Saturday, officials said.
Traffic was diverted for most of the day.</description></item></channel></rss>"""


async def test_add_reads_the_feed_once_and_lists_its_health(app, feed_site):
    feed_site.pages["/wire.xml"] = Page(FEED, etag='"v1"')
    url = feed_site.url("/wire.xml")
    reply = await app.ask(f"source add {url} --every 15m")
    assert (reply.ok, reply.title) == (True, "Source added")
    assert reply.text == (
        f"Added **Frontline Wire** ({url}), polled every 15m. "
        "Read 5 item(s): 5 new, 0 already known."
    )
    listing = await app.ask("source list")
    assert [
        (s["name"], s["every_minutes"], s["failures"], s["paused"]) for s in listing.data["sources"]
    ] == [("Frontline Wire", 15, 0, False)]
    again = await app.ask(f"source add {url}")
    assert (again.ok, again.text) == (False, f"Already a source: Frontline Wire ({url}).")


async def test_members_cannot_change_sources(app, feed_site):
    feed_site.pages["/wire.xml"] = Page(FEED)
    url = feed_site.url("/wire.xml")
    for line in (f"source add {url}", f"source remove {url}", f"source pause {url}"):
        reply = await app.ask(line, user="U1", is_admin=False)
        assert (reply.ok, reply.ephemeral) == (False, True)
        assert reply.text == f"Only admins can use `source {line.split()[1]}`."
    assert feed_site.hits == []
    listing = await app.ask("source list", user="U1", is_admin=False)
    assert listing.ok is True


async def test_bad_sources_are_refused_with_one_line(app, feed_site):
    feed_site.pages["/empty.html"] = Page(
        b"<html><body><nav>Home | Log in</nav></body></html>", content_type="text/html"
    )
    feed_site.pages["/broken"] = Page(b"oops", status=500, content_type="text/plain")
    cases = {
        "source add file:///etc/passwd": "refusing file:///etc/passwd: only http and https URLs can be fetched",
        f"source add {feed_site.url('/missing.xml')}": f"{feed_site.url('/missing.xml')}: server answered 404 Not Found",
        f"source add {feed_site.url('/broken')}": f"{feed_site.url('/broken')}: server answered 500 Internal Server Error",
        f"source test {feed_site.url('/empty.html')}": "no article found in the HTML page",
        "source add": "Which URL? Usage: `source add URL [--every 30m] [--name NAME] | remove URL "
        "| list | test URL | pause URL | resume URL | import URL_OR_FILE | export`",
        "source frobnicate x": "Unknown `source frobnicate`. Usage: `source add URL [--every 30m] "
        "[--name NAME] | remove URL | list | test URL | pause URL | resume URL "
        "| import URL_OR_FILE | export`",
    }
    for line, message in cases.items():
        reply = await app.ask(line)
        assert (reply.ok, reply.text) == (False, message), line
    assert app.db.sources.list() == []


async def test_private_addresses_are_refused_unless_allowed(settings, clock, gazetteer, feed_site):
    from bot.app import App

    guarded = App(
        type(settings)(_env_file=None, **{**settings.model_dump(), "allow_private_urls": False}),
        clock=clock,
    )
    guarded.__dict__["gazetteer"] = gazetteer
    feed_site.pages["/wire.xml"] = Page(FEED)
    url = feed_site.url("/wire.xml")
    try:
        reply = await guarded.ask(f"source add {url}")
    finally:
        await guarded.close()
    assert reply.ok is False
    assert reply.text.startswith(f"refusing {url}: 127.0.0.1 is a loopback address")
    assert feed_site.hits == []


async def test_poll_uses_etags_backs_off_and_pauses(app, feed_site, clock):
    feed_site.pages["/wire.xml"] = Page(FEED, etag='"v1"')
    url = feed_site.url("/wire.xml")
    await app.ask(f"source add {url} --every 30m")
    source = app.db.sources.get_by_url(url)
    assert source.etag == '"v1"'

    clock.now += timedelta(minutes=31)
    report = await poll_due(app.ingestor, now=clock.now)
    assert [(o.ok, o.not_modified, o.report.added) for o in report.outcomes] == [(True, True, 0)]
    assert feed_site.hits[-1] == ("/wire.xml", '"v1"')

    feed_site.pages["/wire.xml"] = Page(ONE_ITEM + b" ", etag='"v2"')
    clock.now += timedelta(minutes=31)
    report = await poll_due(app.ingestor, now=clock.now)
    assert [(o.ok, o.report.added) for o in report.outcomes] == [(True, 1)]

    feed_site.pages["/wire.xml"] = Page(b"down", status=503, content_type="text/plain")
    failures = []
    for _ in range(3):
        clock.now += timedelta(days=2)  # past any back-off
        report = await poll_due(app.ingestor, now=clock.now, pause_after=3)
        failures.append((app.db.sources.get(source.id).failures, [s.url for s in report.paused]))
    assert failures == [(1, []), (2, []), (3, [url])]
    paused = app.db.sources.get(source.id)
    assert (paused.paused, paused.last_error) == (
        True,
        f"{url}: server answered 503 Service Unavailable",
    )
    clock.now += timedelta(days=2)
    assert (await poll_due(app.ingestor, now=clock.now)).outcomes == []
    assert app.db.articles.count() == 6

    resumed = await app.ask(f"source resume {url}")
    assert resumed.text == f"Resumed **Frontline Wire** ({url})."
    assert app.db.sources.get(source.id).failures == 0


async def test_backoff_grows_with_failures(app, feed_site, clock):
    feed_site.pages["/down.xml"] = Page(b"no", status=500, content_type="text/plain")
    url = feed_site.url("/down.xml")
    app.db.sources.add(url, "Down", every_minutes=10, now=clock.now)
    delays = []
    for _ in range(3):
        source = app.db.sources.get_by_url(url)
        clock.now = max(clock.now, datetime.fromisoformat(source.next_poll_at))
        await poll_due(app.ingestor, now=clock.now)
        after = app.db.sources.get_by_url(url)
        delays.append(datetime.fromisoformat(after.next_poll_at) - clock.now)
    assert delays == [timedelta(minutes=10), timedelta(minutes=20), timedelta(minutes=40)]
