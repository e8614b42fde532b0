"""The seed report, read end to end: the answers `/status Qala-e-Naw` is judged by."""

from datetime import date

from briefing.claims import claim_key, extract
from briefing.models import Mention
from tests.claims import CORPUS, SEED_PLACES, mentions_for, place, split

SEED = (CORPUS / "seed_badghis.txt").read_text(encoding="utf-8")
PUBLISHED = date(2021, 7, 9)


def seed():
    return extract(SEED, mentions_for(SEED, SEED_PLACES), PUBLISHED, sentences=split(SEED))


def test_seed_control_claims():
    assert [
        (c.place.name, c.kind, c.controller, c.event_date, c.scope, c.attributed_to)
        for c in seed().control
    ] == [
        ("Qala-e-Naw", "holds", "government forces", date(2021, 7, 9), None, None),
        ("Badghis", "holds", "Taliban", date(2021, 7, 9), "rest of province", None),
        ("Zendah Jan", "captured", "Taliban", None, None, None),
        ("Nawur", "contested", None, date(2021, 7, 9), None, None),
    ]


def test_seed_events():
    assert [(e.place.name, e.kind, e.event_date, e.actor, e.detail) for e in seed().events] == [
        ("Qala-e-Naw", "stormed", date(2021, 7, 7), "Taliban", None),
        ("Qala-e-Naw", "prison break", date(2021, 7, 7), "Taliban", "around 600 prisoners freed"),
        ("Qala-e-Naw", "clashes", date(2021, 7, 9), None, "ongoing on the outskirts"),
        ("Qala-e-Naw", "weapons seized", date(2021, 7, 9), None, None),
        ("Nawur", "clashes", None, None, None),
        ("Tehran", "talks", date(2021, 7, 9), None, None),
    ]


def test_seed_casualties():
    assert [
        (c.place.name, c.killed, c.wounded, c.captured, c.whose, c.event_date, c.reported_by)
        for c in seed().casualties
    ] == [
        (
            "Qala-e-Naw",
            69,
            23,
            None,
            "Taliban fighters",
            date(2021, 7, 9),
            "Afghan Defense Ministry",
        ),
    ]


def test_seed_related_places():
    assert [(a.name, b.name) for a, b in seed().related] == [
        ("Qala-e-Naw", "Badghis"),
        ("Zendah Jan", "Herat"),
        ("Nawur", "Ghazni"),
        ("Tehran", "Iran"),
        ("Ankara", "Turkey"),
    ]


def test_every_item_quotes_its_sentence_whitespace_collapsed():
    result = seed()
    assert [(c.sentence_index, c.quote) for c in result.control] == [
        (7, "Qala-e-Naw is currently in the hands of government forces."),
        (
            11,
            "The rest of the province is in Taliban hands, and likely it is just a matter of "
            "time until the capital falls.",
        ),
        (
            12,
            "Government forces have lost many of the contested districts in recent days, with "
            "the Zendah Jan district in Herat province falling into the insurgents’ hands.",
        ),
        (
            13,
            "Clashes between the Taliban and Afghan armies were reported in the Nawur district "
            "in Ghazni province, which is still heavily contested in the central region.",
        ),
    ]
    assert result.casualties[0].quote == (
        "According to the Afghan Defense Ministry, 69 Taliban fighters were killed and 23 others "
        "were wounded in recent operations in the outskirts of Qala-e-Naw."
    )


def test_keys_are_stable_and_distinct():
    first, second = seed(), seed()
    items = [*first.control, *first.casualties, *first.events]
    keys = [claim_key(item) for item in items]
    assert keys == [
        claim_key(item) for item in [*second.control, *second.casualties, *second.events]
    ]
    assert len(set(keys)) == len(keys)


def test_without_a_publication_date_relative_dates_stay_unknown():
    result = extract(SEED, mentions_for(SEED, SEED_PLACES), None, sentences=split(SEED))
    assert [(c.place.name, c.kind, c.event_date) for c in result.control] == [
        ("Qala-e-Naw", "holds", None),
        ("Badghis", "holds", None),
        ("Zendah Jan", "captured", None),
        ("Nawur", "contested", None),
    ]
    assert [e.event_date for e in result.events] == [None] * 6


def test_mentions_inside_links_are_ignored():
    kabul = place("Kabul", "city", "Afghanistan", "AF", admin1="Kabul")
    text = "See https://example.org/kabul/Kabul-fell-to-the-Taliban.html\n\nNo news today."
    at = text.index("Kabul-fell")
    result = extract(text, [Mention(at, at + 5, "Kabul", kabul)], PUBLISHED, sentences=split(text))
    assert (result.control, result.events) == ([], [])


def test_sentences_given_with_other_spacing_are_still_found():
    text = "Kunduz  is  in\nTaliban  hands."
    kunduz = place("Kunduz", "city", "Afghanistan", "AF", admin1="Kunduz")
    result = extract(
        text,
        mentions_for(text, {"Kunduz": kunduz}),
        PUBLISHED,
        sentences=["Kunduz is in Taliban hands."],
    )
    assert [(c.place.name, c.controller, c.quote) for c in result.control] == [
        ("Kunduz", "Taliban", "Kunduz is in Taliban hands.")
    ]


def test_relative_dates_count_from_the_last_date_named():
    kunduz = place("Kunduz", "city", "Afghanistan", "AF", admin1="Kunduz")
    text = "The Taliban attacked Kunduz on July 2. Two days later the city fell to the Taliban."
    result = extract(text, mentions_for(text, {"Kunduz": kunduz}), PUBLISHED, sentences=split(text))
    assert [(c.place.name, c.kind, c.event_date) for c in result.control] == [
        ("Kunduz", "captured", date(2021, 7, 4))
    ]


def test_the_army_is_named_as_the_reporting_on_its_war_names_it():
    names = {
        "Omdurman": place("Omdurman", "city", "Sudan", "SD", admin1="Khartoum"),
        "Lashio": place("Lashio", "city", "Myanmar", "MM", admin1="Shan"),
    }
    sudan = "The army says it now controls most of Omdurman."
    myanmar = "The army regained control of Lashio."
    assert [
        [
            (c.place.name, c.kind, c.controller, c.scope)
            for c in extract(
                text, mentions_for(text, names), PUBLISHED, sentences=split(text)
            ).control
        ]
        for text in (sudan, myanmar)
    ] == [
        [("Omdurman", "holds", "SAF", "most of city")],
        [("Lashio", "retaken", "junta", None)],
    ]


def test_a_topic_shift_stops_dates_carrying_over():
    names = {"Kunduz": place("Kunduz", "city", "Afghanistan", "AF", admin1="Kunduz")}
    text = (
        "Taliban fighters stormed Kunduz on Monday.\n\nElsewhere, the fighters freed 40 prisoners."
    )
    result = extract(text, mentions_for(text, names), PUBLISHED, sentences=split(text))
    assert [(e.place.name if e.place else None, e.kind, e.event_date) for e in result.events] == [
        ("Kunduz", "stormed", date(2021, 7, 5)),
        (None, "prison break", None),
    ]
