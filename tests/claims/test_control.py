"""One test per phrasing the control rules read, and the traps they must not fall into."""

from datetime import date

import pytest

from tests.claims import control_rows, place, run

AF = ("Afghanistan", "AF")
PLACES = {
    "Kunduz": place("Kunduz", "city", *AF, admin1="Kunduz"),
    "Taloqan": place("Taloqan", "city", *AF, admin1="Takhar"),
    "Takhar": place("Takhar", "admin1", *AF, admin1="Takhar"),
    "Ghormach": place("Ghormach", "district", *AF, admin1="Faryab"),
    "Faryab": place("Faryab", "admin1", *AF, admin1="Faryab"),
    "Maimana": place("Maimana", "city", *AF, admin1="Faryab"),
    "Kabul": place("Kabul", "city", *AF, admin1="Kabul"),
    "Afghanistan": place("Afghanistan", "country", *AF),
    "Kherson": place("Kherson", "city", "Ukraine", "UA", admin1="Kherson"),
}
DAY = date(2021, 7, 9)


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        (
            "Kunduz is currently in the hands of government forces.",
            [("Kunduz", "holds", "government forces", DAY, None, None)],
        ),
        ("Kunduz is still in Taliban hands.", [("Kunduz", "holds", "Taliban", DAY, None, None)]),
        (
            "Kunduz was under the control of the Taliban.",
            [("Kunduz", "holds", "Taliban", None, None, None)],
        ),
        (
            "Kunduz remains under government control.",
            [("Kunduz", "holds", "government forces", DAY, None, None)],
        ),
        (
            "Kunduz fell to the Taliban on Sunday.",
            [("Kunduz", "captured", "Taliban", date(2021, 7, 4), None, None)],
        ),
        (
            "Kunduz fell into the Taliban's hands.",
            [("Kunduz", "captured", "Taliban", None, None, None)],
        ),
        ("The Taliban captured Kunduz.", [("Kunduz", "captured", "Taliban", None, None, None)]),
        ("The Taliban seized Kunduz.", [("Kunduz", "captured", "Taliban", None, None, None)]),
        (
            "The Taliban took control of Kunduz.",
            [("Kunduz", "captured", "Taliban", None, None, None)],
        ),
        ("The Taliban overran Kunduz.", [("Kunduz", "captured", "Taliban", None, None, None)]),
        (
            "The Taliban stormed and took Kunduz.",
            [("Kunduz", "captured", "Taliban", None, None, None)],
        ),
        (
            "The Taliban captured Kunduz and Taloqan.",
            [
                ("Kunduz", "captured", "Taliban", None, None, None),
                ("Taloqan", "captured", "Taliban", None, None, None),
            ],
        ),
        (
            "Government forces retook Kunduz.",
            [("Kunduz", "retaken", "government forces", None, None, None)],
        ),
        (
            "Afghan forces recaptured Kunduz on Thursday.",
            [("Kunduz", "retaken", "government forces", date(2021, 7, 8), None, None)],
        ),
        (
            "The army regained control of Kunduz.",
            [("Kunduz", "retaken", "government forces", None, None, None)],
        ),
        (
            "The Taliban were pushed out of Kunduz.",
            [("Kunduz", "retaken", "government forces", None, None, None)],
        ),
        (
            "Taliban pushed out of Kunduz, officials say.",
            [("Kunduz", "retaken", "government forces", None, "officials", None)],
        ),
        (
            "The Taliban attack on Kunduz was repelled.",
            [("Kunduz", "holds", "government forces", None, None, None)],
        ),
        ("Kunduz is contested.", [("Kunduz", "contested", None, DAY, None, None)]),
        (
            "Kunduz, which is still heavily contested, lies in the north.",
            [("Kunduz", "contested", None, DAY, None, None)],
        ),
        ("Kunduz is under siege.", [("Kunduz", "besieged", None, DAY, None, None)]),
        (
            "Kunduz was besieged by the Taliban.",
            [("Kunduz", "besieged", "Taliban", None, None, None)],
        ),
        ("Kunduz is encircled.", [("Kunduz", "besieged", None, DAY, None, None)]),
        (
            "The Taliban have encircled Kunduz.",
            [("Kunduz", "besieged", "Taliban", None, None, None)],
        ),
        (
            "The Taliban fought on. Officials denied that Kunduz fell.",
            [("Kunduz", "denied", "Taliban", None, "Officials", None)],
        ),
        (
            "The Interior Ministry denied that Kunduz had fallen to the Taliban.",
            [("Kunduz", "denied", "Taliban", None, "Interior Ministry", None)],
        ),
        (
            "The Taliban claimed to have captured Kunduz.",
            [("Kunduz", "captured", "Taliban", None, "Taliban", None)],
        ),
        (
            "Taliban spokesman Zabihullah Mujahid said the group had captured Kunduz.",
            [("Kunduz", "captured", "Taliban", None, "Taliban spokesman Zabihullah Mujahid", None)],
        ),
        (
            "According to the Defense Ministry, Afghan forces retook Kunduz.",
            [("Kunduz", "retaken", "government forces", None, "Defense Ministry", None)],
        ),
        (
            "The Taliban said they captured Kunduz; the Interior Ministry said the attack was "
            "repelled.",
            [
                ("Kunduz", "captured", "Taliban", None, "Taliban", None),
                ("Kunduz", "holds", "government forces", None, "Interior Ministry", None),
            ],
        ),
        (
            "The Taliban are fighting in Kunduz. Kunduz did not fall.",
            [("Kunduz", "holds", "government forces", None, None, None)],
        ),
        (
            "The Taliban failed to capture Kunduz.",
            [("Kunduz", "holds", "government forces", None, None, None)],
        ),
        (
            "Russian forces were driven out of Kherson.",
            [("Kherson", "retaken", "Ukrainian forces", None, None, None)],
        ),
    ],
)
def test_phrasings(text, rows):
    assert control_rows(run(text, PLACES)) == rows


@pytest.mark.parametrize(
    "text",
    [
        "Kunduz could fall to the Taliban within days.",
        "It is likely just a matter of time until Kunduz falls.",
        "If Kunduz falls, the north is lost.",
        "The Taliban are attempting to capture Kunduz.",
        "Officials fear the Taliban will take Kunduz.",
        "Kunduz is not under Taliban control.",
        "The fighters stormed key government buildings in Kunduz.",
        'Taliban fighters stormed the capital city - Kunduz, expecting to easily "liberate" it.',
        "Kabul Bank team captured the title in Kabul.",
        "A telecom firm took control of the company's Kabul branch.",
        "Prices in Kabul fell sharply.",
        "Kabul fell silent on Sunday.",
        "Turkey is currently priming to provide security to the Kabul airport.",
        "The knot in Afghanistan is tying up, as clashes between government forces and the "
        "Taliban are happening throughout the country.",
        "Kunduz fell.",
    ],
)
def test_no_claim(text):
    assert control_rows(run(text, PLACES)) == []


def test_the_city_is_the_last_city_named():
    text = "The Taliban attacked Kunduz on Monday.\n\nBy Friday the city was in Taliban hands."
    assert control_rows(run(text, PLACES)) == [
        ("Kunduz", "holds", "Taliban", date(2021, 7, 9), None, None)
    ]


def test_the_province_is_the_province_of_the_last_city():
    text = (
        "Faryab has seen heavy fighting. Maimana is in government hands. "
        "The rest of the province is under Taliban control."
    )
    assert control_rows(run(text, PLACES)) == [
        ("Maimana", "holds", "government forces", DAY, None, None),
        ("Faryab", "holds", "Taliban", DAY, None, "rest of province"),
    ]


def test_the_capital_is_the_named_city_of_the_province():
    text = (
        "Fighting reached Faryab and Kabul. Maimana was calm. "
        "The Taliban captured the rest of the province but not the capital. "
        "The capital remains in government hands."
    )
    assert control_rows(run(text, PLACES)) == [
        ("Faryab", "captured", "Taliban", None, None, "rest of province"),
        ("Maimana", "holds", "government forces", DAY, None, None),
    ]


def test_the_district():
    text = (
        "Ghormach district in Faryab province was attacked overnight.\n\n"
        "The district fell to the Taliban on Thursday."
    )
    assert control_rows(run(text, PLACES)) == [
        ("Ghormach", "captured", "Taliban", date(2021, 7, 8), None, None)
    ]


def test_participle_clause_attaches_to_the_district_not_its_province():
    text = (
        "Government forces have lost many of the contested districts in recent days, with "
        "the Ghormach district in Faryab province falling into the insurgents' hands. "
        "The Taliban keep advancing."
    )
    assert control_rows(run(text, PLACES)) == []
    text = (
        "The Taliban keep advancing. Government forces have lost many of the contested "
        "districts in recent days, with the Ghormach district in Faryab province falling into "
        "the insurgents' hands."
    )
    assert control_rows(run(text, PLACES)) == [
        ("Ghormach", "captured", "Taliban", None, None, None)
    ]
