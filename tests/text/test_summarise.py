"""summarise picks whole sentences: the lead, what the text keeps returning to, the title."""

from pathlib import Path

import pytest

from briefing.summarise import summarise
from briefing.text import clean_report

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_ff1d0953de1980e2.txt"

BORDER_STORY = """HERAT, Afghanistan — Taliban fighters captured the Islam Qala border crossing with Iran on Thursday, officials said, cutting one of Afghanistan's main trade routes as the insurgents pressed their offensive in the west of the country.

Two security officials in Herat province said government forces and customs staff withdrew toward the provincial capital after several hours of fighting. Some soldiers crossed into Iran, an Iranian border official told state media.

The crossing handles a large share of the fuel and food imported from Iran, and traders said hundreds of lorries were stuck on both sides of the border by Thursday evening.

A Taliban spokesman, Zabihullah Mujahid, said on Twitter that the group had taken control of the crossing and that trade would continue. He said customs revenue would now be collected by the group.

The Afghan Defense Ministry said troops had been sent to retake the area. It said 109 Taliban fighters had been killed in operations across Herat, Badghis and Faryab provinces in the past 24 hours, a figure that could not be independently verified.

Herat's governor said the city of Herat itself remained calm and in government hands, but residents described long queues at banks and petrol stations.

Read more: Taliban claim control of 85 percent of Afghanistan

Subscribe to our newsletter for daily updates.
"""  # noqa: E501

REWRITTEN = """Afghan forces push Taliban out of Badghis capital after prison break

Afghan security forces have regained control of Qala-e-Naw, the capital of Badghis province, a day after Taliban fighters stormed the city and freed around 600 prisoners from the central prison, officials said.

The Defense Ministry said in a statement on Thursday that 69 Taliban fighters were killed and 23 others wounded in operations on the outskirts of Qala-e-Naw. Clashes were still going on in the outskirts of the city, a provincial council member said.

On Wednesday the insurgents seized key government buildings, among them the police headquarters and the intelligence office, before government forces launched a counter-attack with air support.

It was the first time the Taliban had entered a provincial capital since foreign forces began their final withdrawal in May. Most of the rest of Badghis province is in Taliban hands.

https://example.org/video/badghis.mp4

Follow our live coverage of the war in Afghanistan. Sign up for our morning newsletter.
"""  # noqa: E501


def test_seed_report_summary_says_who_holds_qala_e_naw():
    if not SEED.exists():
        pytest.skip(f"{SEED.parent} not beside the clone; the original report is only there")
    summary = summarise(clean_report(SEED.read_text(encoding="utf-8")))
    assert summary == (
        "The knot in Afghanistan is tying up ever tighter, as clashes between government forces "
        "and the Taliban are happening throughout the country. On July 7th, Taliban fighters "
        "stormed the capital city – Qala-e-Naw, expecting to easily “liberate” it. Qala-e-Naw "
        "is currently in the hands of government forces."
    )


def test_seed_report_with_a_title_leans_to_the_title():
    if not SEED.exists():
        pytest.skip(f"{SEED.parent} not beside the clone; the original report is only there")
    text = clean_report(SEED.read_text(encoding="utf-8"))
    assert summarise(text, title="Taliban storm Qala-e-Naw") == (
        "On July 7th, Taliban fighters stormed the capital city – Qala-e-Naw, expecting to "
        "easily “liberate” it. Qala-e-Naw is currently in the hands of government forces. "
        "According to the Afghan Defense Ministry, 69 Taliban fighters were killed and 23 "
        "others were wounded in recent operations in the outskirts of Qala-e-Naw."
    )


def test_news_story_keeps_its_lead_and_skips_page_furniture():
    summary = summarise(BORDER_STORY, title="Taliban seize border crossing with Iran")
    assert summary == (
        "HERAT, Afghanistan — Taliban fighters captured the Islam Qala border crossing with Iran "
        "on Thursday, officials said, cutting one of Afghanistan's main trade routes as the "
        "insurgents pressed their offensive in the west of the country. Two security officials "
        "in Herat province said government forces and customs staff withdrew toward the "
        "provincial capital after several hours of fighting. Some soldiers crossed into Iran, "
        "an Iranian border official told state media."
    )


def test_headline_link_and_promotion_lines_are_never_picked():
    assert summarise(REWRITTEN) == (
        "Afghan security forces have regained control of Qala-e-Naw, the capital of Badghis "
        "province, a day after Taliban fighters stormed the city and freed around 600 "
        "prisoners from the central prison, officials said. The Defense Ministry said in a "
        "statement on Thursday that 69 Taliban fighters were killed and 23 others wounded in "
        "operations on the outskirts of Qala-e-Naw. Clashes were still going on in the "
        "outskirts of the city, a provincial council member said."
    )


def test_max_sentences_limits_the_pick():
    assert summarise(REWRITTEN, max_sentences=1) == (
        "Afghan security forces have regained control of Qala-e-Naw, the capital of Badghis "
        "province, a day after Taliban fighters stormed the city and freed around 600 "
        "prisoners from the central prison, officials said."
    )


def test_overlong_sentence_gives_way_to_the_next_best():
    sprawling = (
        "The ministry listed the shelled districts, "
        + ", ".join(f"district number {i} in the north" for i in range(30))
        + "."
    )
    text = (
        f"{sprawling} Officials said the city was calm on Friday. Residents said shops had "
        "reopened in the city. Police patrolled the city market."
    )
    assert summarise(text) == (
        "Officials said the city was calm on Friday. Residents said shops had reopened in the "
        "city. Police patrolled the city market."
    )


def test_only_overlong_sentences_still_give_one():
    sprawling = "Shelling hit " + ", ".join(f"village {i}" for i in range(60)) + "."
    assert summarise(sprawling) == sprawling


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("   \n\n  ", ""),
        ("https://example.org/video.mp4", ""),
        ("Read more about this.\n\nSubscribe to our newsletter today.", ""),
        ("Follow our live coverage of the war. Sign up for our morning newsletter.", ""),
        ("Taliban fighters took the city on Friday.", "Taliban fighters took the city on Friday."),
        ("Taliban capture Kunduz city\n\nLive updates", "Taliban capture Kunduz city"),
    ],
)
def test_short_and_empty_inputs(text, expected):
    assert summarise(text) == expected


def test_summary_is_deterministic():
    assert {summarise(BORDER_STORY) for _ in range(5)} == {summarise(BORDER_STORY)}
