"""The chat side: subscribe, unsubscribe, subscriptions, watch and unwatch, through the
registry exactly as an adapter dispatches them."""

from __future__ import annotations

import shlex
from datetime import timedelta

import pytest

from handlers.base import Command
from handlers.registry import Registry
from handlers.services import Services
from handlers.subscribe import SPECS
from tests.schedule.conftest import FakeGazetteer, at

NOW = at("2026-11-24 09:00")


@pytest.fixture
def services(db) -> Services:
    registry = Registry()
    for spec in SPECS:
        registry.add(spec)
    changes = []
    found = Services(db=db, registry=registry, gazetteer=FakeGazetteer(), clock=lambda: NOW,
                     default_timezone="Europe/London",
                     schedule_changed=lambda: changes.append("changed"))
    found.changes = changes
    return found


async def run(services: Services, line: str, *, channel="C1", guild="G1", admin=True):
    words = shlex.split(line)
    command = Command(name=words[0], args=tuple(words[1:]), user="U1", channel=channel,
                      guild=guild, platform="slack", is_admin=admin)
    return await services.registry.dispatch(command, services)


async def test_subscribe_defaults_to_daily_at_eight_in_the_bots_zone(services):
    reply = await run(services, "subscribe")
    assert (reply.ok, reply.title, reply.text) == (True, "Subscribed", "\n".join([
        "Subscription #1: daily at 08:00 (Europe/London).",
        "A period with no news gets a one-line “nothing new” (`--quiet` skips those).",
        "Next delivery: Wed 25 Nov 2026 08:00 GMT.",
    ]))
    assert reply.data == {"subscription": {
        "id": 1, "schedule": "daily at 08:00 (Europe/London)", "cadence": "daily", "at": "08:00",
        "weekday": None, "timezone": "Europe/London", "places": [], "keywords": [],
        "quiet": False, "next": "2026-11-25T08:00:00+00:00"}}
    assert services.changes == ["changed"]


async def test_weekly_with_day_time_zone_filters_and_quiet(services, db):
    reply = await run(services, "subscribe weekly mon 09:30 asia/kabul --place Qala-e-Naw "
                      "--place Kunduz --keyword prison --quiet")
    assert reply.text == "\n".join([
        "Subscription #1: weekly on Monday at 09:30 (Asia/Kabul).",
        "Places: Qala-e-Naw, Kunduz",
        "Keywords: prison",
        "Quiet: nothing is posted for a period with no news.",
        "Next delivery: Mon 30 Nov 2026 09:30 +0430.",
    ])
    sub = db.subscriptions.get(1)
    assert (sub.cadence, sub.at_time, sub.weekday, sub.timezone, sub.places, sub.place_names,
            sub.keywords, sub.post_empty, sub.channel, sub.guild) == (
        "weekly", "09:30", 0, "Asia/Kabul", (1, 2), ("Qala-e-Naw", "Kunduz"), ("prison",),
        False, "C1", "G1")


async def test_a_server_timezone_is_the_default_for_new_subscriptions_there(services):
    reply = await run(services, "subscribe --server-timezone europe/berlin")
    assert (reply.title, reply.text) == ("Server timezone set", "New subscriptions here use "
                                         "Europe/Berlin unless they name another zone. Existing "
                                         "subscriptions keep their own.")
    here = await run(services, "subscribe hourly 07:15")
    elsewhere = await run(services, "subscribe", guild="G2", channel="C2")
    assert here.data["subscription"]["schedule"] == "hourly at :15 (Europe/Berlin)"
    assert here.data["subscription"]["next"] == "2026-11-24T09:15:00+00:00"
    assert elsewhere.data["subscription"]["timezone"] == "Europe/London"


@pytest.mark.parametrize("line, message", [
    ("subscribe daily Europe/Londn",
     "Unknown timezone 'Europe/Londn'. Use an IANA name such as Europe/London."),
    ("subscribe --server-timezone Mars/Olympus",
     "Unknown timezone 'Mars/Olympus'. Use an IANA name such as Europe/London."),
    ("subscribe dayly", "Unexpected `dayly`: did you mean `daily`? Usage: `subscribe "
     "[daily|weekly [DAY]|hourly] [HH:MM] [TIMEZONE] [--place PLACE]… [--keyword WORD]… "
     "[--quiet]  ·  subscribe --server-timezone ZONE`"),
    ("subscribe 25:00", "Could not read the time `25:00`: use 24-hour HH:MM, such as 08:00."),
    ("subscribe daily mon", "A weekday goes with `weekly`, as in `subscribe weekly mon 09:00`."),
    ("subscribe --place Qala-e-Nau", "Unknown place `Qala-e-Nau`. Did you mean Qala-e-Naw?"),
    ("subscribe --server-timezone UTC daily",
     "`--server-timezone` goes on its own: `subscribe --server-timezone ZONE`."),
])
async def test_bad_subscriptions_are_clear_errors_and_store_nothing(services, db, line, message):
    reply = await run(services, line)
    assert (reply.ok, reply.text) == (False, message)
    assert db.subscriptions.all() == []


async def test_subscribing_needs_an_admin_but_listing_does_not(services):
    refused = await run(services, "subscribe", admin=False)
    assert (refused.ok, refused.text) == (False, "Only admins can use `subscribe`.")
    listed = await run(services, "subscriptions", admin=False)
    assert (listed.ok, listed.text) == (True, "No subscriptions or watches in this channel. "
                                        "`subscribe` sets up a daily briefing at 08:00 "
                                        "(Europe/London).")
    assert {s.name: s.admin for s in SPECS} == {
        "subscribe": True, "unsubscribe": True, "subscriptions": False, "watch": True,
        "unwatch": True}


async def test_the_same_subscription_twice_is_refused(services):
    await run(services, "subscribe daily 08:00 --keyword prison")
    again = await run(services, "subscribe 08:00 daily --keyword prison")
    assert again.text == "This channel already has that subscription (#1)."


async def test_subscriptions_lists_schedules_filters_next_times_and_watches(services, db):
    await run(services, "subscribe --place Kunduz")
    await run(services, "subscribe weekly fri 17:00 UTC --keyword prison --quiet")
    await run(services, "watch Qala-e-Naw")
    db.subscriptions.claim_delivery(1, "2026-11-24T08:00:00+00:00", now=NOW,
                                    lease=timedelta(minutes=10), late=True)
    db.subscriptions.mark_posted(1, "2026-11-24T08:00:00+00:00", now=NOW, story_count=3)
    reply = await run(services, "subscriptions", admin=False)
    assert (reply.title, reply.text) == ("Subscriptions in this channel",
                                         "Server timezone: Europe/London.")
    assert [(f.name, f.value) for f in reply.fields] == [
        ("#1 · daily at 08:00 (Europe/London)",
         "Places: Kunduz\nNext: Wed 25 Nov 2026 08:00 GMT\n"
         "Last: posted (Tue 24 Nov 2026 08:00 GMT)"),
        ("#2 · weekly on Friday at 17:00 (UTC)",
         "Keywords: prison\nQuiet when there is no news\nNext: Fri 27 Nov 2026 17:00 UTC"),
        ("Watching", "Qala-e-Naw"),
    ]


async def test_unsubscribe_only_touches_this_channel(services, db):
    await run(services, "subscribe", channel="C1")
    await run(services, "subscribe 09:00", channel="C1")
    await run(services, "subscribe", channel="C2")
    other = await run(services, "unsubscribe 3", channel="C1")
    assert (other.ok, other.text) == (False, "No subscription #3 in this channel (here: #1, #2).")
    which = await run(services, "unsubscribe", channel="C1")
    assert which.text == "Which one? `unsubscribe ID` or `unsubscribe all` (here: #1, #2)."
    one = await run(services, "unsubscribe #2", channel="C1")
    assert (one.ok, one.text) == (True, "Removed subscription #2.")
    last = await run(services, "unsubscribe", channel="C1")
    assert last.text == "Removed subscription #1."
    assert [s.id for s in db.subscriptions.all()] == [3]
    everything = await run(services, "unsubscribe all", channel="C2")
    assert everything.text == "Removed subscription #3."
    assert (await run(services, "unsubscribe all", channel="C2")).text == \
        "This channel has no subscriptions."


async def test_unsubscribing_forgets_the_delivery_log_too(services, db):
    await run(services, "subscribe")
    db.subscriptions.record_skipped(1, "2026-11-24T08:00:00+00:00", now=NOW)
    await run(services, "unsubscribe all")
    assert db.query("SELECT count(*) FROM deliveries")[0][0] == 0


async def test_watch_and_unwatch(services, db):
    first = await run(services, "watch Qala-e-Naw")
    assert (first.title, first.text) == ("Watching", "Watching **Qala-e-Naw (Badghis, "
                                         "Afghanistan)**: new control claims and casualty reports "
                                         "about it are posted here as soon as they are read.")
    again = await run(services, "watch qala-e-naw")
    assert (again.ok, again.text) == (True, "This channel already watches Qala-e-Naw.")
    unknown = await run(services, "watch Kunduzz")
    assert unknown.text == "Unknown place `Kunduzz`. Did you mean Kunduz?"
    missing = await run(services, "unwatch Kunduz")
    assert missing.text == "This channel is not watching `Kunduz`. It watches: Qala-e-Naw."
    gone = await run(services, "unwatch qala-e-naw")
    assert (gone.ok, gone.text) == (True, "No more alerts here about Qala-e-Naw.")
    assert db.subscriptions.watches() == []
    assert services.changes == ["changed", "changed"]


async def test_every_command_has_a_summary_and_usage():
    assert [(s.name, bool(s.summary), s.usage.split()[0]) for s in SPECS] == [
        ("subscribe", True, "subscribe"), ("unsubscribe", True, "unsubscribe"),
        ("subscriptions", True, "subscriptions"), ("watch", True, "watch"),
        ("unwatch", True, "unwatch")]
