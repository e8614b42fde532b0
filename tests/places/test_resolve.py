"""Resolving typed names against the real gazetteer (built once per test run)."""

from __future__ import annotations

import pytest

from briefing.models import Place
from briefing.places import Gazetteer, Resolution

QALA_I_NAW = Place(
    1129867, "Qala i Naw", "city", "AF", "Afghanistan", "Badghis", 34.98735, 63.12891, 9000
)


def resolved(gazetteer: Gazetteer, name: str, **hints: str) -> tuple[str, str, str, str | None]:
    place = gazetteer.resolve(name, **hints).place
    assert place is not None, name
    return place.name, place.kind, place.country_code, place.admin1


@pytest.mark.parametrize(
    "spelling",
    ["Qala-e-Naw", "Qala i Naw", "Qala-i-Naw", "Qal'eh-ye Now", "Kala-i-Nau", "Qalaenaw"],
)
def test_spellings_of_qala_i_naw(gazetteer: Gazetteer, spelling: str) -> None:
    assert gazetteer.resolve(spelling).place == QALA_I_NAW


@pytest.mark.parametrize(
    "spellings", [["Mazar-e-Sharif", "Mazar-i-Sharif", "Mazār-e Sharīf"], ["Kunduz", "Kondoz"]]
)
def test_spellings_meet(gazetteer: Gazetteer, spellings: list[str]) -> None:
    ids = {gazetteer.resolve(s).place.id for s in spellings}  # type: ignore[union-attr]
    assert len(ids) == 1


def test_city_province_and_explicit_kind(gazetteer: Gazetteer) -> None:
    assert [
        resolved(gazetteer, "Herat"),
        resolved(gazetteer, "Herat province"),
        resolved(gazetteer, "province of Herat"),
        resolved(gazetteer, "Badghis"),
        resolved(gazetteer, "Balkh"),
        resolved(gazetteer, "Kabul"),
        resolved(gazetteer, "Donetsk"),
        resolved(gazetteer, "Donetsk Oblast"),
    ] == [
        ("Herāt", "city", "AF", "Herat"),
        ("Herat", "admin1", "AF", "Herat"),
        ("Herat", "admin1", "AF", "Herat"),
        ("Badghis", "admin1", "AF", "Badghis"),
        ("Balkh", "admin1", "AF", "Balkh"),  # its capital is Mazar-i-Sharif, not Balkh town
        ("Kabul", "city", "AF", "Kabul"),
        ("Donetsk", "city", "UA", "Donetsk Oblast"),
        ("Donetsk Oblast", "admin1", "UA", "Donetsk Oblast"),
    ]


def test_curated_districts_and_sites(gazetteer: Gazetteer) -> None:
    assert [
        resolved(gazetteer, "Zendah Jan district"),
        resolved(gazetteer, "Zendah Jan"),
        resolved(gazetteer, "Nawur"),
        resolved(gazetteer, "Nawur district"),
        resolved(gazetteer, "Kabul airport"),
        resolved(gazetteer, "Torghundi"),
        resolved(gazetteer, "Nagorno-Karabakh"),
    ] == [
        ("Zendah Jan", "district", "AF", "Herat"),
        ("Zendah Jan", "district", "AF", "Herat"),
        ("Nawur", "district", "AF", "Ghazni"),
        ("Nawur", "district", "AF", "Ghazni"),
        ("Hamid Karzai International Airport", "site", "AF", "Kabul"),
        ("Torghundi", "site", "AF", "Herat"),
        ("Nagorno-Karabakh", "site", "AZ", None),
    ]


def test_country_hints_pick_the_namesake(gazetteer: Gazetteer) -> None:
    assert [
        resolved(gazetteer, "Tripoli"),
        resolved(gazetteer, "Tripoli", country="LB"),
        resolved(gazetteer, "Tripoli", country="Lebanon"),
        resolved(gazetteer, "Hyderabad"),
        resolved(gazetteer, "Hyderabad", country="Pakistan"),
        resolved(gazetteer, "Herat", country="IR"),
    ] == [
        ("Tripoli", "city", "LY", "Tripoli District"),
        ("Tripoli", "city", "LB", None),
        ("Tripoli", "city", "LB", None),
        ("Hyderabad", "city", "IN", None),
        ("Hyderabad", "city", "PK", "Sindh"),
        ("Herāt", "city", "IR", None),
    ]


def test_admin1_hint(gazetteer: Gazetteer) -> None:
    assert resolved(gazetteer, "Muqur", admin1="Ghazni") == ("Muqur", "district", "AF", "Ghazni")


def test_candidates_are_ranked_alternatives(gazetteer: Gazetteer) -> None:
    found = gazetteer.resolve("Herat", limit=3)
    assert [(p.name, p.kind, p.country_code) for p in found.candidates] == [
        ("Herāt", "city", "AF"),
        ("Herat", "admin1", "AF"),
        ("Herāt", "city", "IR"),
    ]
    assert found.suggestions == []


def test_garbled_name_gets_suggestions(gazetteer: Gazetteer) -> None:
    found = gazetteer.resolve("Qala-e-Nwa")
    assert (found.place, found.suggestions, found.candidates) == (
        None,
        ["Qala i Naw"],
        [QALA_I_NAW],
    )
    assert gazetteer.resolve("Kandahr").suggestions[:2] == ["Kandahār", "Kondor"]


def test_a_spelling_met_only_by_folding_also_gets_suggestions(gazetteer: Gazetteer) -> None:
    assert gazetteer.resolve("Kundzu").suggestions[0] == "Kunduz"
    assert gazetteer.resolve("Qala-e-Naw").suggestions == []  # only connectors differ


def test_unknown_name(gazetteer: Gazetteer) -> None:
    assert gazetteer.resolve("Xyzzyville") == Resolution(None, [], [])
    assert gazetteer.resolve("  ") == Resolution(None, [], [])


def test_get_and_complete(gazetteer: Gazetteer) -> None:
    assert gazetteer.get(QALA_I_NAW.id) == QALA_I_NAW
    assert gazetteer.get(-1) is None
    assert gazetteer.complete("Qala-i-N", limit=1) == [QALA_I_NAW]
    assert [(p.name, p.kind) for p in gazetteer.complete("Kab", limit=2)] == [
        ("Kabul", "city"),
        ("Kabul", "admin1"),
    ]
    assert [p.name for p in gazetteer.complete("Badg", limit=1)] == ["Badghis"]
    assert gazetteer.complete("") == []


def test_country_code(gazetteer: Gazetteer) -> None:
    assert [gazetteer.country_code(c) for c in ("lb", "Lebanon", "UK", "Burma", "Narnia")] == [
        "LB",
        "LB",
        "GB",
        "MM",
        None,
    ]
