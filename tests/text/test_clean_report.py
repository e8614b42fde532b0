"""clean_report on the kinds of text people paste in: PDF extracts, pasted pages, wraps."""

from pathlib import Path

import pytest

from briefing.text import clean_report, paragraphs, plain_quotes

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_ff1d0953de1980e2.txt"


@pytest.fixture
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip(f"{SEED.parent} not beside the clone; the original report is only there")
    return SEED.read_text(encoding="utf-8")


def test_seed_report_becomes_one_paragraph_per_statement(seed_text):
    assert paragraphs(clean_report(seed_text)) == [
        "The knot in Afghanistan is tying up ever tighter, as clashes between government "
        "forces and the Taliban are happening throughout the country.",
        "Generally, the Taliban come out on top, but on July 8th, in Badghis it was different.",
        "On July 7th, Taliban fighters stormed the capital city – Qala-e-Naw, expecting to "
        "easily “liberate” it.",
        "https://southfront.org/wp-content/uploads/video/09.07.2021_IMR_Afghanistan.mp4",
        "The fighters stormed key government buildings and freed around 600 prisoners from "
        "the provicial central prison.",
        "However, the group met with heavy resistance from government forces.",
        "Qala-e-Naw is currently in the hands of government forces.",
        "Clashes with Taliban fighters are still ongoing in the city’s outskirts.",
        "According to the Afghan Defense Ministry, 69 Taliban fighters were killed and 23 "
        "others were wounded in recent operations in the outskirts of Qala-e-Naw.",
        "Loads of weapons and ammunition were also captured from the group.",
        "The rest of the province is in Taliban hands, and likely it is just a matter of time "
        "until the capital falls.",
        "Government forces have lost many of the contested districts in recent days, with the "
        "Zendah Jan district in Herat province falling into the insurgents’ hands.",
        "Clashes between the Taliban and Afghan armies were reported in the Nawur district in "
        "Ghazni province, which is still heavily contested in the central region.",
        "Iran is attempting to assist the negotiations between the Afghan government and the "
        "Taliban, by hosting a meeting between both delegations in Tehran.",
        "Iranian Foreign Minister Javad Zarif called the talks “substantive” saying that no "
        "impediment remains for Afghans of all political stripes to chart a peaceful and "
        "prosperous future for the next generation.",
        "In a six-point joint statement issued by Taliban spokesman Mohammad Naeem, the two "
        "sides agreed that continuing the war was dangerous for the country and all efforts "
        "must be made to find a peaceful solution.",
        "However, as far as Turkey is concerned it is ready to throw a wrench in those plans.",
        "On July 6th, the Syrian Observatory for Human Rights reported that Ankara was "
        "preparing to send Syrian militants to Afghanistan.",
        "What role they will fill remains unclear, as Turkey is currently priming to provide "
        "security to the Kabul airport and nothing more.",
        "Turkey appears to be heading to a military adventure in Afghanistan.",
        "The Taliban has already warned Ankara against keeping any troops in the country "
        "after September 11th.",
        "Judging by Turkey’s recent operations in Libya, Nagorno-Karabakh and its successive "
        "operations in Syria and Iraq, Ankara is unlikely to listen to any reason or warnings.",
    ]


def test_seed_paragraphs_are_separated_by_exactly_one_blank_line(seed_text):
    cleaned = clean_report(seed_text)
    assert (cleaned.count("\n"), cleaned.count("\n\n\n"), cleaned.count("  ")) == (42, 0, 0)


PDF_EXTRACT = (
    "\ufeffKUNDUZ  PROVINCE  BRIEFING\r\n"
    "Situation as of 14 July\r\n"
    "\r\n"
    "The  provincial  gov-\r\n"
    "ernment said the well-\r\n"
    "known commander of the Qala-i-\r\n"
    "Naw garrison had withdrawn to\u00a0\u00a0Taliban-\r\n"
    "held territory near the city\u2019s airport, and that pro-\r\n"
    "government militias were hol-\r\n"
    "ding the main road.\x0c"
    "Officials  said  the  cease-\r\n"
    "fire talks, first reported as a cease-fire offer in June, had stalled.\r\n"
    "___\r\n"
    "\u2022 Two bridges were destroyed.\r\n"
    "\u2022 Power lines to the north are cut\x07 again.\r\n"
)


def test_pdf_extract_is_reflowed_and_dehyphenated_conservatively():
    assert clean_report(PDF_EXTRACT) == (
        "KUNDUZ PROVINCE BRIEFING\n\n"
        "Situation as of 14 July\n\n"
        "The provincial government said the well-known commander of the Qala-i-Naw garrison "
        "had withdrawn to Taliban-held territory near the city’s airport, and that "
        "pro-government militias were holding the main road.\n\n"
        "Officials said the cease-fire talks, first reported as a cease-fire offer in June, "
        "had stalled.\n\n"
        "• Two bridges were destroyed.\n\n"
        "• Power lines to the north are cut again."
    )


def test_hyphen_kept_when_the_document_spells_the_word_with_one():
    raw = (
        "Both sides said the anti-drone shield and the sea-\n"
        "wall would hold, and the sea-wall is older than the town.\n"
    )
    assert clean_report(raw) == (
        "Both sides said the anti-drone shield and the sea-wall would hold, and the sea-wall "
        "is older than the town."
    )


def test_connector_hyphen_before_a_lowercase_line_is_kept():
    raw = "Fighting was reported near Mazar-i-\nsharif and in the town of Qala-e-\nnaw today.\n"
    assert clean_report(raw) == (
        "Fighting was reported near Mazar-i-sharif and in the town of Qala-e-naw today."
    )


def test_text_pasted_from_a_page_keeps_one_paragraph_per_line():
    raw = (
        "Taliban take Spin Boldak crossing\n"
        "Taliban fighters captured the Spin Boldak border crossing with Pakistan on Wednesday, "
        "officials said.\n"
        "A Pakistani security official said the insurgents raised their flag over the crossing.\n"
        "Afghan officials denied the report and said government forces were still in control.\n"
        "Read more: Fighting spreads in Kandahar\n"
    )
    assert paragraphs(clean_report(raw)) == [
        "Taliban take Spin Boldak crossing",
        "Taliban fighters captured the Spin Boldak border crossing with Pakistan on Wednesday, "
        "officials said.",
        "A Pakistani security official said the insurgents raised their flag over the crossing.",
        "Afghan officials denied the report and said government forces were still in control.",
        "Read more: Fighting spreads in Kandahar",
    ]


def test_heading_rules_and_short_last_lines_break_wrapped_text():
    raw = (
        "Fighting in Badghis\n"
        "The knot in Afghanistan is tying up ever tighter, as clashes between government\n"
        "forces and the Taliban are happening throughout the country. Generally, the\n"
        "Taliban come out on top.\n"
        "* * *\n"
        "On July 7th, Taliban fighters stormed the capital city. They freed around 600\n"
        "prisoners.\n"
        "---\n"
        "Source: local officials\n"
    )
    assert paragraphs(clean_report(raw)) == [
        "Fighting in Badghis",
        "The knot in Afghanistan is tying up ever tighter, as clashes between government "
        "forces and the Taliban are happening throughout the country. Generally, the Taliban "
        "come out on top.",
        "On July 7th, Taliban fighters stormed the capital city. They freed around 600 prisoners.",
        "Source: local officials",
    ]


def test_bare_url_between_wrapped_lines_is_its_own_paragraph():
    raw = (
        "Video of the assault was posted by the group\n"
        "  https://example.org/video/clip-07.mp4  \n"
        "and shared widely on Thursday.\n"
    )
    assert paragraphs(clean_report(raw)) == [
        "Video of the assault was posted by the group",
        "https://example.org/video/clip-07.mp4",
        "and shared widely on Thursday.",
    ]


def test_characters_are_normalised_but_quotes_and_dashes_kept():
    raw = "Cafe\u0301 owners in Herat\x92s old city  said\t“business – slow”.\x00\u200b"
    assert clean_report(raw) == "Café owners in Herat’s old city said “business – slow”."


def test_soft_hyphens_split_at_line_ends_and_vanish_elsewhere():
    raw = "The provincial gov\u00ad\nernment said Qala\u00ad-e-Naw was calm.\n"
    assert clean_report(raw) == "The provincial government said Qala-e-Naw was calm."


def test_empty_and_decoration_only_input():
    assert [clean_report(""), clean_report(" \n\n***\n  \n* * *\n")] == ["", ""]


def test_plain_quotes_maps_one_for_one():
    s = "“Qala-e-Naw” is the city’s ‘capital’ – «really»"
    assert plain_quotes(s) == '"Qala-e-Naw" is the city\'s \'capital\' – "really"'
    assert len(plain_quotes(s)) == len(s)


def test_paragraphs_splits_on_blank_lines_only():
    text = "One line\nstill one.\n\n  \n\nTwo.\n \nThree."
    assert paragraphs(text) == ["One line\nstill one.", "Two.", "Three."]
