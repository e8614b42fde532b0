"""Place mentions in running text, judged in context."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.places import MentionFinder

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_ff1d0953de1980e2.txt"


def found(finder: MentionFinder, text: str) -> list[tuple[str, str, str, str]]:
    mentions = finder.find(text)
    assert all(text[m.start : m.end] == m.surface for m in mentions)
    return [(m.surface, m.place.name, m.place.kind, m.place.country_code) for m in mentions]


@pytest.mark.skipif(not SEED.exists(), reason=f"the original report is not at {SEED}")
def test_the_seed_report(mention_finder: MentionFinder) -> None:
    assert found(mention_finder, SEED.read_text(encoding="utf-8")) == [
        ("Afghanistan", "Afghanistan", "country", "AF"),
        ("Badghis", "Badghis", "admin1", "AF"),
        ("Qala-e-Naw", "Qala i Naw", "city", "AF"),
        ("Qala-e-Naw", "Qala i Naw", "city", "AF"),
        ("Qala-e-Naw", "Qala i Naw", "city", "AF"),
        ("Zendah Jan district", "Zendah Jan", "district", "AF"),
        ("Herat province", "Herat", "admin1", "AF"),
        ("Nawur district", "Nawur", "district", "AF"),
        ("Ghazni province", "Ghazni", "admin1", "AF"),
        ("Iran", "Iran", "country", "IR"),
        ("Tehran", "Tehran", "city", "IR"),
        ("Turkey", "Turkey", "country", "TR"),
        ("Ankara", "Ankara", "city", "TR"),
        ("Afghanistan", "Afghanistan", "country", "AF"),
        ("Turkey", "Turkey", "country", "TR"),
        ("Kabul airport", "Hamid Karzai International Airport", "site", "AF"),
        ("Turkey", "Turkey", "country", "TR"),
        ("Afghanistan", "Afghanistan", "country", "AF"),
        ("Ankara", "Ankara", "city", "TR"),
        ("Turkey", "Turkey", "country", "TR"),
        ("Libya", "Libya", "country", "LY"),
        ("Nagorno-Karabakh", "Nagorno-Karabakh", "site", "AZ"),
        ("Syria", "Syria", "country", "SY"),
        ("Iraq", "Iraq", "country", "IQ"),
        ("Ankara", "Ankara", "city", "TR"),
    ]


def test_another_war(mention_finder: MentionFinder) -> None:
    text = (
        "Ukrainian forces said on Tuesday that they had pushed Russian troops back from the\n"
        "outskirts of Kharkiv, while shelling continued in the Donetsk region. Officials in Kyiv\n"
        "said three civilians were killed in Mykolaiv overnight. In Syria, government aircraft\n"
        "struck villages near Idlib, and the Syrian Observatory for Human Rights reported\n"
        "fighting around Deir ez-Zor."
    )
    assert found(mention_finder, text) == [
        ("Kharkiv", "Kharkiv", "city", "UA"),
        ("Donetsk region", "Donetsk Oblast", "admin1", "UA"),
        ("Kyiv", "Kyiv", "city", "UA"),
        ("Mykolaiv", "Mykolayiv", "city", "UA"),
        ("Syria", "Syria", "country", "SY"),
        ("Idlib", "Idlib", "city", "SY"),
        ("Deir ez-Zor", "Deir ez-Zor", "city", "SY"),
    ]


def test_common_words_are_not_places(mention_finder: MentionFinder) -> None:
    text = (
        "Nice work by the Police in Mobile units. Same as before. Reading the report, March\n"
        "was busy. Of all the options, the Bar association said it would wait. However, the\n"
        "Government and the Taliban met in July. Generally, Loads of Clashes were reported."
    )
    assert found(mention_finder, text) == []


def test_common_words_that_the_text_shows_are_places(mention_finder: MentionFinder) -> None:
    text = "The mayor of Nice, France, met officials from Mobile, Alabama, in Paris."
    assert found(mention_finder, text) == [
        ("Nice", "Nice", "city", "FR"),
        ("France", "France", "country", "FR"),
        ("Mobile", "Mobile", "city", "US"),
        ("Alabama", "Alabama", "admin1", "US"),
        ("Paris", "Paris", "city", "FR"),
    ]


def test_namesakes_follow_the_rest_of_the_text(mention_finder: MentionFinder) -> None:
    assert found(mention_finder, "Clashes erupted in Tripoli, Lebanon's second city.") == [
        ("Tripoli", "Tripoli", "city", "LB"),
        ("Lebanon", "Lebanon", "country", "LB"),
    ]
    assert found(mention_finder, "Floods hit Hyderabad and Karachi in Sindh province.") == [
        ("Hyderabad", "Hyderabad", "city", "PK"),
        ("Karachi", "Karachi", "city", "PK"),
        ("Sindh province", "Sindh", "admin1", "PK"),
    ]
    assert found(mention_finder, "Officials in Tripoli said the port was closed.") == [
        ("Tripoli", "Tripoli", "city", "LY"),
    ]


def test_adjectives_are_evidence_not_mentions(mention_finder: MentionFinder) -> None:
    """ "Afghan" is not reported, but it is enough for an Afghan district town to count."""
    assert found(mention_finder, "Afghan officials said Ghormach had fallen.") == [
        ("Ghormach", "Ghormach", "city", "AF"),
    ]
    assert found(mention_finder, "Officials said Ghormach had fallen.") == []


def test_a_town_inside_a_person_s_name(mention_finder: MentionFinder) -> None:
    text = "In Afghanistan, Foreign Minister Javad Zarif met Mohammad Naeem in Herat."
    assert found(mention_finder, text) == [
        ("Afghanistan", "Afghanistan", "country", "AF"),
        ("Herat", "Herāt", "city", "AF"),
    ]


def test_links_possessives_and_punctuation(mention_finder: MentionFinder) -> None:
    text = (
        "See https://example.org/Kabul_Afghanistan.mp4 for Turkey’s view of Kabul.\n"
        "Officials left Kabul. Airport staff stayed, said ‘Herat’ sources."
    )
    assert found(mention_finder, text) == [
        ("Turkey", "Turkey", "country", "TR"),
        ("Kabul", "Kabul", "city", "AF"),
        ("Kabul", "Kabul", "city", "AF"),
        ("Herat", "Herāt", "city", "AF"),
    ]


def test_lowercase_and_empty_text(mention_finder: MentionFinder) -> None:
    assert found(mention_finder, "the road from kabul to herat") == []
    assert found(mention_finder, "") == []
