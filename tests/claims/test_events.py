from datetime import date

import pytest

from tests.claims import place, run

AF = ("Afghanistan", "AF")
PLACES = {
    "Qala-e-Naw": place("Qala-e-Naw", "city", *AF, admin1="Badghis"),
    "Kunduz": place("Kunduz", "city", *AF, admin1="Kunduz"),
    "Tehran": place("Tehran", "city", "Iran", "IR", admin1="Tehran"),
    "Iran": place("Iran", "country", "Iran", "IR"),
    "Afghanistan": place("Afghanistan", "country", *AF),
    "Kharkiv": place("Kharkiv", "city", "Ukraine", "UA", admin1="Kharkiv"),
}


def rows(text: str) -> list[tuple]:
    return [
        (e.place.name if e.place else None, e.kind, e.event_date, e.actor, e.detail)
        for e in run(text, PLACES).events
    ]


def test_storming_then_a_prison_break_told_without_naming_the_place():
    text = (
        "On  July  7th,  Taliban  fighters  stormed  the  capital  city  –  Qala-e-Naw,  "
        "expecting  to  easily\n“liberate”  it.\n\n"
        "https://example.org/video/09.07.2021_IMR_Afghanistan.mp4\n\n"
        "The  fighters  stormed  key  government  buildings  and  freed  around  600  "
        "prisoners  from  the\nprovicial central prison."
    )
    assert rows(text) == [
        ("Qala-e-Naw", "stormed", date(2021, 7, 7), "Taliban", None),
        ("Qala-e-Naw", "prison break", date(2021, 7, 7), "Taliban", "around 600 prisoners freed"),
    ]


def test_ongoing_clashes_in_the_city_are_dated_to_publication():
    text = (
        "Qala-e-Naw is held by government forces.\n\n"
        "Clashes with Taliban fighters are still ongoing in the city’s outskirts."
    )
    assert rows(text) == [
        ("Qala-e-Naw", "clashes", date(2021, 7, 9), None, "ongoing on the outskirts")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Iran is attempting to assist the negotiations by hosting a meeting between both "
            "delegations in Tehran.",
            [("Tehran", "talks", date(2021, 7, 9), None, None)],
        ),
        (
            "Russian shelling of Kharkiv on Friday damaged a school.",
            [("Kharkiv", "shelling", date(2021, 7, 9), "Russian forces", None)],
        ),
        (
            "An airstrike hit Kunduz yesterday.",
            [("Kunduz", "airstrike", date(2021, 7, 8), None, None)],
        ),
        (
            "Residents of Kunduz were evacuated on Thursday.",
            [("Kunduz", "evacuation", date(2021, 7, 8), None, None)],
        ),
        ("A car bomb exploded in Kunduz.", [("Kunduz", "explosion", None, None, None)]),
        ("Hundreds joined a protest in Kunduz.", [("Kunduz", "protest", None, None, None)]),
        (
            "Clashes between government forces and the Taliban are happening throughout the "
            "country.",
            [],
        ),
        ("Fans stormed the pitch in Kunduz.", []),
    ],
)
def test_event_kinds(text, expected):
    assert rows(text) == expected


def test_weapons_seized_attach_to_the_topic_place():
    text = (
        "69 Taliban fighters were killed in recent operations in the outskirts of Kunduz.\n\n"
        "Loads of weapons and ammunition were also captured from the group."
    )
    assert rows(text) == [("Kunduz", "weapons seized", date(2021, 7, 9), None, None)]


def test_a_new_topic_without_a_place_has_no_place():
    text = "An airstrike hit Kunduz yesterday.\n\nSeparately, a protest was held."
    assert rows(text) == [
        ("Kunduz", "airstrike", date(2021, 7, 8), None, None),
        (None, "protest", None, None, None),
    ]


def test_a_retold_event_is_kept_once():
    text = "Taliban fighters stormed Kunduz on Monday. The fighters stormed the police station."
    assert rows(text) == [("Kunduz", "stormed", date(2021, 7, 5), "Taliban", None)]
