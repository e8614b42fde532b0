from datetime import date

import pytest

from briefing.claims.casualties import parse_number
from tests.claims import place, run

AF = ("Afghanistan", "AF")
PLACES = {
    "Qala-e-Naw": place("Qala-e-Naw", "city", *AF, admin1="Badghis"),
    "Kunduz": place("Kunduz", "city", *AF, admin1="Kunduz"),
    "Mogadishu": place("Mogadishu", "city", "Somalia", "SO", admin1="Banaadir"),
}


def rows(text: str, published: date | None = date(2021, 7, 9)) -> list[tuple]:
    return [
        (
            c.place.name if c.place else None,
            c.killed,
            c.wounded,
            c.captured,
            c.whose,
            c.event_date,
            c.reported_by,
        )
        for c in run(text, PLACES, published).casualties
    ]


def test_seed_sentence():
    text = (
        "According  to  the  Afghan  Defense  Ministry,  69  Taliban  fighters  were  killed  "
        "and  23  others\nwere  wounded  in  recent  operations  in  the  outskirts  of  "
        "Qala-e-Naw."
    )
    assert rows(text) == [
        (
            "Qala-e-Naw",
            69,
            23,
            None,
            "Taliban fighters",
            date(2021, 7, 9),
            "Afghan Defense Ministry",
        )
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Twelve civilians were killed in Kunduz on Thursday, police said.",
            [("Kunduz", 12, None, None, "civilians", date(2021, 7, 8), "police")],
        ),
        (
            "Al-Shabaab militants stormed a hotel in Mogadishu, killing at least 15 people.",
            [("Mogadishu", 15, None, None, "people", None, None)],
        ),
        (
            "The blast in Kunduz left 5 dead and more than 20 wounded.",
            [("Kunduz", 5, 20, None, None, None, None)],
        ),
        (
            "Government forces captured 10 Taliban fighters near Kunduz.",
            [("Kunduz", None, None, 10, "Taliban fighters", None, None)],
        ),
        (
            "Two soldiers were taken prisoner in Kunduz.",
            [("Kunduz", None, None, 2, "soldiers", None, None)],
        ),
        ("The death toll in Kunduz rose to 31.", [("Kunduz", 31, None, None, None, None, None)]),
        ("Dozens of fighters were killed in Kunduz.", []),
        ("The Taliban captured 10 villages around Kunduz.", []),
    ],
)
def test_casualty_phrasings(text, expected):
    assert rows(text) == expected


def test_a_sentence_without_a_place_takes_the_topic_place():
    text = "Heavy fighting hit Kunduz on Monday. The fighting also killed 12 soldiers."
    assert rows(text) == [("Kunduz", 12, None, None, "soldiers", date(2021, 7, 5), None)]


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("600", 600),
        ("1,200", 1200),
        ("twelve", 12),
        ("a hundred", 100),
        ("two hundred", 200),
        ("twenty-three", 23),
        ("a dozen", 12),
        ("dozens", None),
    ],
)
def test_parse_number(words, value):
    assert parse_number(words) == value
