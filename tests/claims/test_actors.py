import pytest

from briefing.claims.actors import canonical_actor, find_actors, opponent
from briefing.claims.sources import find_attributions


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("government forces", "government forces"),
        ("Afghan forces", "government forces"),
        ("security forces", "government forces"),
        ("the ANDSF", "government forces"),
        ("the army", "government forces"),
        ("Afghan National Army", "government forces"),
        ("Afghan armies", "government forces"),
        ("the Interior Ministry", "government forces"),
        ("Afghan Defense Ministry", "government forces"),
        ("Taliban", "Taliban"),
        ("Taliban fighters", "Taliban"),
        ("Russian forces", "Russian forces"),
        ("Russia's Defense Ministry", "Russian forces"),
        ("Ukrainian troops", "Ukrainian forces"),
        ("Ukraine's military", "Ukrainian forces"),
        ("rebels", "rebels"),
        ("Houthi rebels", "Houthis"),
        ("Islamic State", "Islamic State"),
        ("ISIS fighters", "Islamic State"),
        ("al-Shabaab militants", "al-Shabaab"),
        ("HTS", "HTS"),
        ("HTS-led rebels", "HTS"),
        ("the SDF", "SDF"),
        ("the military junta", "junta"),
        ("Myanmar's military", "junta"),
        ("the Rapid Support Forces", "RSF"),
        ("Sudan's army", "SAF"),
        ("Tigrayan forces", "Tigrayan"),
        ("Karenni Army fighters", "Karenni Army"),
        ("Taliban spokesman Zabihullah Mujahid", "Taliban"),
        ("key government buildings", None),
        ("Kabul Bank team", None),
        ("Special forces", "government forces"),
    ],
)
def test_canonical_actor(phrase, expected):
    assert canonical_actor(phrase) == expected


def test_anaphors_name_their_antecedent():
    assert [
        canonical_actor(p, "Taliban") for p in ("the group", "the insurgents", "the militants")
    ] == [
        "Taliban",
        "Taliban",
        "Taliban",
    ]
    assert canonical_actor("the group") is None


def test_government_alone_is_an_actor_only_where_it_holds_something():
    assert [a.actor for a in find_actors("the area under government control")] == [
        "government forces"
    ]
    assert find_actors("The fighters stormed key government buildings.")[0].phrase == "The fighters"
    assert len(find_actors("The fighters stormed key government buildings.")) == 1


def test_opponents():
    assert [
        opponent("Taliban"),
        opponent("Russian forces"),
        opponent("government forces", ["Houthis", "government forces"]),
        opponent("government forces"),
    ] == ["government forces", "Ukrainian forces", "Houthis", None]


@pytest.mark.parametrize(
    ("sentence", "sources"),
    [
        (
            "According to the Afghan Defense Ministry, 69 Taliban fighters were killed.",
            ["Afghan Defense Ministry"],
        ),
        ("The district fell on Monday, local officials said.", ["local officials"]),
        (
            "Taliban spokesman Zabihullah Mujahid said the group had seized the town.",
            ["Taliban spokesman Zabihullah Mujahid"],
        ),
        (
            "Zabihullah Mujahid, a Taliban spokesman, said the town fell.",
            ["Taliban spokesman Zabihullah Mujahid"],
        ),
        (
            '"We hold the city," said Zabihullah Mujahid, a Taliban spokesman.',
            ["Taliban spokesman Zabihullah Mujahid"],
        ),
        (
            "The Taliban said they captured it; the Interior Ministry said the attack failed.",
            ["Taliban", "Interior Ministry"],
        ),
        ("Officials in Badakhshan denied that the city had fallen.", ["Officials in Badakhshan"]),
        ("Clashes were reported in the Nawur district.", []),
        ("He said the road was closed.", []),
    ],
)
def test_attributions(sentence, sources):
    assert [source for _, _, source in find_attributions(sentence)] == sources
