"""`status PLACE` end to end: ingest real-looking reports, then ask as a user would."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.render_text import render_json
from briefing.models import ParsedArticle
from tests.conftest import NO_SHARED, SEEDS, SHARED_SEED

JULY_8 = datetime(2021, 7, 8, 9, 0, tzinfo=UTC)


def ingest_seeds(app) -> None:
    for name in ("frontline-wire.xml", "kabul-ledger-qala-e-naw.html"):
        app.ingestor.ingest_path(SEEDS / name)
    app.ingestor.ingest_path(SEEDS / "badghis-report.txt", source_name="Frontline Notes")


def claims_of(reply) -> list[tuple]:
    return [(c["date"], c["kind"], c["controller"], c["source"]) for c in reply.data["claims"]]


@pytest.mark.skipif(not SHARED_SEED.exists(), reason=NO_SHARED)
async def test_the_original_report_answers_status_qala_e_naw(app):
    report = app.ingestor.ingest_path(SHARED_SEED, source_name="SouthFront")
    assert (report.added, report.errors) == (1, [])
    reply = await app.ask("status Qala-e-Naw")
    payload = render_json(reply)
    assert payload["ok"] is True and payload["error"] is None
    assert payload["place"] == {
        "id": 1129867,
        "name": "Qala i Naw",
        "kind": "city",
        "admin1": "Badghis",
        "country": "Afghanistan",
        "lat": 34.98735,
        "lon": 63.12891,
    }
    assert (payload["controller"], payload["as_of"], payload["disputed"]) == (
        "government forces",
        "2021-07-09",
        False,
    )
    assert claims_of(reply) == [("2021-07-09", "holds", "government forces", "SouthFront")]
    events = {(e["date"], e["kind"], e["actor"], e["detail"]) for e in payload["events"]}
    assert ("2021-07-07", "stormed", "Taliban", None) in events
    assert ("2021-07-07", "prison break", "Taliban", "around 600 prisoners freed") in events
    assert any(kind == "clashes" for _, kind, _, _ in events)
    assert [
        (c["killed"], c["wounded"], c["whose"], c["reported_by"]) for c in payload["casualties"]
    ] == [(69, 23, "Taliban fighters", "Afghan Defense Ministry")]
    assert [(a["place"], a["controller"], a["scope"]) for a in payload["around"]] == [
        ("Badghis", "Taliban", "rest of province")
    ]
    assert [s["source"] for s in payload["sources"]] == ["SouthFront"]
    text = payload["text"]
    assert "Held by government forces" in text
    assert (
        "9 Jul 2021: 69 Taliban fighters killed, 23 wounded — Afghan Defense Ministry, via SouthFront"
        in text
    )

    province = await app.ask("status Badghis")
    assert (province.data["controller"], province.data["scope"]) == ("Taliban", "rest of province")
    assert "the rest of the province is held by Taliban" in province.text
    for name, kind, controller in (
        ("Zendah Jan", "captured", "Taliban"),
        ("Nawur", "contested", None),
    ):
        answer = await app.ask(f"status {name}")
        assert [(c["kind"], c["controller"]) for c in answer.data["claims"]] == [(kind, controller)]


async def test_spellings_of_one_place_give_one_answer(app):
    ingest_seeds(app)
    answers = []
    for spelling in ("Qala-e-Naw", "Qala i Naw", "qala-i-naw", "Qal'eh-ye Now", "Kala-i-Nau"):
        reply = await app.ask(f"status {spelling}")
        answers.append((reply.data["place"]["id"], reply.data["controller"]))
    assert answers == [(1129867, "government forces")] * 5


async def test_sources_that_disagree_make_a_dispute_until_a_later_report_settles_it(app):
    app.ingestor.ingest_path(SEEDS / "frontline-wire.xml")
    reply = await app.ask("status Qala-e-Naw")
    assert (reply.data["disputed"], reply.data["controller"]) == (True, None)
    assert sorted(claims_of(reply)) == [
        ("2021-07-08", "captured", "Taliban", "Frontline Wire"),
        ("2021-07-08", "holds", "government forces", "Frontline Wire"),
    ]
    assert reply.text.splitlines()[2] == (
        "**Disputed**: sources disagree about who holds Qala i Naw (8 Jul 2021)."
    )

    app.ingestor.ingest_path(SEEDS / "badghis-report.txt", source_name="Frontline Notes")
    settled = await app.ask("status Qala-e-Naw")
    assert (
        settled.data["disputed"],
        settled.data["controller"],
        settled.data["as_of"],
        settled.data["settled_dispute"],
    ) == (False, "government forces", "2021-07-09", "2021-07-08")
    assert "Sources disagreed on 8 Jul 2021; later reports settle it." in settled.text


async def test_reingesting_never_duplicates_claims(app):
    ingest_seeds(app)
    before = (await app.ask("status Qala-e-Naw")).data
    ingest_seeds(app)
    again = app.ingestor.ingest_articles(
        [
            ParsedArticle(
                title="Qala-e-Naw held",
                text="Qala-e-Naw is currently in the hands of government forces.",
                published=JULY_8,
                source_name="Wire B",
                url="https://b.example/x",
            )
        ]
    )
    assert again.added == 1
    after = (await app.ask("status Qala-e-Naw")).data
    assert len(after["claims"]) == len(before["claims"]) + 1
    assert (after["events"], after["casualties"]) == (before["events"], before["casualties"])


async def test_unknown_quiet_and_garbled_places(app):
    ingest_seeds(app)
    unknown = await app.ask("status Xyzzyville")
    assert (unknown.ok, unknown.text) == (False, "No place called `Xyzzyville` is known.")
    typo = await app.ask("status Qala-e-Nwa")
    assert typo.text == "No place called `Qala-e-Nwa` is known. Did you mean: Qala i Naw?"
    quiet = await app.ask("status Paris")
    assert (quiet.ok, quiet.text) == (True, "No reports about Paris (France) yet.")
    near = await app.ask("status Farah")
    assert near.text.startswith(
        "No reports about Farah (Farah, Afghanistan) yet. Nearest places in the news:"
    )
    usage = "Which place? Usage: `status PLACE` (for example `status Qala-e-Naw`)."
    for line in ("status", "status !!!", "status ''", 'status "'):
        reply = await app.ask(line)
        assert (reply.ok, reply.text) == (False, usage if line != 'status "' else reply.text), line
    assert (await app.ask('status "')).text.startswith("Could not read that command")


async def test_brief_lists_each_story_once_with_what_changed(app):
    ingest_seeds(app)
    reply = await app.ask("brief --since 1d")
    titles = [s["title"] for s in reply.data["stories"]]
    assert len(titles) == len(set(titles)) == 7
    changes = {(c["place"], c["after"], c["kind"]) for c in reply.data["changes"]}
    assert ("Zendah Jan", "Taliban", "captured") in changes
    assert ("Spin Boldak border crossing", "Taliban", "captured") in changes
    filtered = await app.ask("brief --since 1d --place Badghis")
    assert all(
        "Badghis" in s["summary"]
        or "Qala" in s["title"]
        or "Qala" in s["summary"]
        or "Fighting" in s["title"]
        for s in filtered.data["stories"]
    )
    bad = await app.ask("brief --place Qwxzvtown")
    assert (bad.ok, bad.text.startswith("Unknown place `Qwxzvtown`.")) == (False, True)


async def test_a_rewrite_from_another_outlet_joins_the_story(app):
    first = ParsedArticle(
        title="Taliban seize Spin Boldak crossing",
        text="The Taliban seized the Spin Boldak border crossing with Pakistan on Wednesday, "
        "according to local officials. Trade through the crossing, one of the busiest in the "
        "south, stopped for most of the day. Afghan officials said forces were preparing a "
        "counter-attack to retake the crossing.",
        published=JULY_8,
        source_name="Wire A",
        url="https://a.example/spin",
    )
    rewrite = ParsedArticle(
        title="Spin Boldak crossing falls to Taliban",
        text="According to local officials, the Taliban seized the Spin Boldak border crossing with "
        "Pakistan on Wednesday. Trade through the crossing, one of the busiest in the south, "
        "stopped for most of the day. Afghan officials said forces were preparing a "
        "counter-attack. Read more on our website.",
        published=JULY_8,
        source_name="Wire B",
        url="https://b.example/spin-boldak",
    )
    app.ingestor.ingest_articles([first])
    app.ingestor.ingest_articles([rewrite])
    reply = await app.ask("brief --since 1d")
    assert [[s["source"] for s in story["sources"]] for story in reply.data["stories"]] == [
        ["Wire A", "Wire B"]
    ]
