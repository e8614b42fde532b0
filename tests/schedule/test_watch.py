"""Watch alerts: everything new about a watched place, posted once per watch per poll."""

from __future__ import annotations

from bot.delivery import DeliveryError
from bot.digests import AlertResult, deliver_watch_alerts
from tests.schedule.conftest import add_article, add_casualty, add_claim, at

QALA = (1, "Qala-e-Naw")
KUNDUZ = (2, "Kunduz")
NOW = at("2026-11-24 08:00")


def watch(db, place, channel="C1"):
    found, created = db.subscriptions.add_watch(
        platform="slack", channel=channel, place_id=place[0], place_name=place[1],
        created_by="U1", now=at("2026-11-23 12:00"))
    assert created
    return found


async def test_what_was_known_before_watching_is_not_news(db, slack):
    article, _ = add_article(db, "Old report", source="Wire", fetched=at("2026-11-20 10:00"))
    add_claim(db, article, QALA, quote="Government forces hold the town.", kind="holds",
              controller="government forces")
    watch(db, QALA)
    assert await deliver_watch_alerts(db, {"slack": slack}, NOW) == []
    assert slack.posts == []


async def test_new_claims_and_casualties_are_posted_once_in_one_message(db, slack):
    qala = watch(db, QALA)
    watch(db, KUNDUZ)
    first, _ = add_article(db, "Taliban storm Qala-e-Naw", source="Pajhwok",
                           fetched=at("2026-11-24 07:00"), url="https://pajhwok.example/1")
    add_claim(db, first, QALA, quote="Taliban fighters stormed Qala-e-Naw on Wednesday.")
    add_casualty(db, first, QALA, killed=69, quote="69 Taliban were killed, the ministry said.")
    second, _ = add_article(db, "Prison emptied", source="Tolo", fetched=at("2026-11-24 07:30"),
                            url="https://tolo.example/2")
    add_claim(db, second, QALA, quote="The Taliban took the city prison.", kind="captured")

    results = await deliver_watch_alerts(db, {"slack": slack}, NOW)

    assert results == [AlertResult(qala.id, "Qala-e-Naw", "posted", 3)]
    assert len(slack.posts) == 1
    channel, reply = slack.posts[0]
    assert (channel, reply.title) == ("C1", "Watch: Qala-e-Naw")
    assert reply.text == "\n".join([
        "- **captured** by Taliban, 2026-11-24: “Taliban fighters stormed Qala-e-Naw on "
        "Wednesday.” — [Pajhwok](https://pajhwok.example/1)",
        "- **captured** by Taliban, 2026-11-24: “The Taliban took the city prison.” — "
        "[Tolo](https://tolo.example/2)",
        "- **69 killed** (Taliban fighters), per Defense Ministry, 2026-11-24: “69 Taliban were "
        "killed, the ministry said.” — [Pajhwok](https://pajhwok.example/1)",
    ])
    assert [(c.source, c.url) for c in reply.citations] == [
        ("Pajhwok", "https://pajhwok.example/1"), ("Tolo", "https://tolo.example/2")]

    assert await deliver_watch_alerts(db, {"slack": slack}, at("2026-11-24 08:01")) == []
    third, _ = add_article(db, "Counter-attack", source="Wire", fetched=at("2026-11-24 09:00"))
    add_claim(db, third, QALA, quote="Government forces retook the prison.", kind="retaken",
              controller="government forces")
    later = await deliver_watch_alerts(db, {"slack": slack}, at("2026-11-24 09:01"))
    assert later == [AlertResult(qala.id, "Qala-e-Naw", "posted", 1)]
    assert [r.data["claims"] for _, r in slack.posts] == [[1, 2], [3]]


async def test_a_failed_alert_is_retried_then_posted_once_with_what_arrived_meanwhile(db, slack):
    qala = watch(db, QALA)
    first, _ = add_article(db, "Fighting", source="Wire", fetched=at("2026-11-24 07:00"))
    add_claim(db, first, QALA, quote="The town fell.")
    slack.failures["C1"] = [DeliveryError("ratelimited", retry_after=30)]

    failed = await deliver_watch_alerts(db, {"slack": slack}, NOW)
    assert failed == [AlertResult(qala.id, "Qala-e-Naw", "failed", 1, "ratelimited")]
    second, _ = add_article(db, "More fighting", source="Wire", fetched=at("2026-11-24 08:00"))
    add_claim(db, second, QALA, quote="The prison fell too.")
    assert await deliver_watch_alerts(db, {"slack": slack}, at("2026-11-24 08:00:30")) == []

    retried = await deliver_watch_alerts(db, {"slack": slack}, at("2026-11-24 08:01"))
    assert retried == [AlertResult(qala.id, "Qala-e-Naw", "posted", 2)]
    assert await deliver_watch_alerts(db, {"slack": slack}, at("2026-11-24 08:02")) == []
    assert [r.data["claims"] for _, r in slack.posts] == [[1, 2]]


async def test_a_channel_that_is_gone_gives_up_that_alert_but_not_the_watch(db, slack):
    qala = watch(db, QALA)
    first, _ = add_article(db, "Fighting", source="Wire", fetched=at("2026-11-24 07:00"))
    add_claim(db, first, QALA, quote="The town fell.")
    slack.failures["C1"] = [DeliveryError("channel_not_found", permanent=True)]

    assert await deliver_watch_alerts(db, {"slack": slack}, NOW) == [
        AlertResult(qala.id, "Qala-e-Naw", "failed", 1, "channel_not_found")]
    assert await deliver_watch_alerts(db, {"slack": slack}, at("2026-11-24 09:00")) == []
    second, _ = add_article(db, "More", source="Wire", fetched=at("2026-11-24 10:00"))
    add_claim(db, second, QALA, quote="The prison fell too.")
    assert await deliver_watch_alerts(db, {"slack": slack}, at("2026-11-24 10:01")) == [
        AlertResult(qala.id, "Qala-e-Naw", "posted", 1)]
