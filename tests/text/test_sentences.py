"""split_sentences on news English: abbreviations, initials, numbers, quotes, links."""

import pytest

from briefing.sentences import split_sentences


def test_ranks_titles_and_dotted_acronyms_do_not_end_sentences():
    text = (
        "Lt. Col. John Smith said the U.S. Army would stay in Kandahar. Gen. Miller agreed. "
        "The U.N. envoy, Dr. Lyons, met Mr. Karzai at St. Mary's on Jan. 12 and Sept. 3."
    )
    assert split_sentences(text) == [
        "Lt. Col. John Smith said the U.S. Army would stay in Kandahar.",
        "Gen. Miller agreed.",
        "The U.N. envoy, Dr. Lyons, met Mr. Karzai at St. Mary's on Jan. 12 and Sept. 3.",
    ]


def test_dotted_acronym_at_sentence_end_splits_before_a_usual_opener():
    text = "The sanctions were imposed by the U.S. The Taliban rejected them at 5 p.m. On Friday."
    assert split_sentences(text) == [
        "The sanctions were imposed by the U.S.",
        "The Taliban rejected them at 5 p.m.",
        "On Friday.",
    ]


def test_initials_numbers_and_lowercase_abbreviations():
    text = (
        "J. R. Smith counted 3.5 million displaced and 1,200 dead in No. 5 district. "
        "Losses were heavy, e.g. the bridge, i.e. the only road, approx. 40 km long. "
        "Aid is due in Feb. Nobody knows when."
    )
    assert split_sentences(text) == [
        "J. R. Smith counted 3.5 million displaced and 1,200 dead in No. 5 district.",
        "Losses were heavy, e.g. the bridge, i.e. the only road, approx. 40 km long.",
        "Aid is due in Feb.",
        "Nobody knows when.",
    ]


def test_quotes_and_brackets_after_the_full_stop_stay_with_the_sentence():
    text = (
        'He said "it fell." Then the fighting stopped. “It is over,” he said. '
        "(The ministry denied it.) A curfew began. Was it safe? “No!” said one man."
    )
    assert split_sentences(text) == [
        'He said "it fell."',
        "Then the fighting stopped.",
        "“It is over,” he said.",
        "(The ministry denied it.)",
        "A curfew began.",
        "Was it safe?",
        "“No!” said one man.",
    ]


def test_question_or_exclamation_before_attribution_does_not_split():
    text = '"Where are the troops?" asked the governor. Nobody answered!'
    assert split_sentences(text) == [
        '"Where are the troops?" asked the governor.',
        "Nobody answered!",
    ]


def test_ellipses():
    text = "The line went dead... Then shelling began. He paused … and went on. Wait…"
    assert split_sentences(text) == [
        "The line went dead...",
        "Then shelling began.",
        "He paused … and went on.",
        "Wait…",
    ]


def test_urls_and_emails_are_never_cut():
    text = (
        "Video: southfront.org/wp-content/uploads/video/09.07.2021_IMR_Afghanistan.mp4 shows "
        "the assault. Write to press@mod.gov.af. See https://example.org/a.b?c=d.e for more."
    )
    assert split_sentences(text) == [
        "Video: southfront.org/wp-content/uploads/video/09.07.2021_IMR_Afghanistan.mp4 shows "
        "the assault.",
        "Write to press@mod.gov.af.",
        "See https://example.org/a.b?c=d.e for more.",
    ]


def test_paragraph_breaks_always_split_and_single_newlines_do_not():
    text = (
        "Qala-e-Naw is in government hands\n\n"
        "https://example.org/clip.mp4\n\n"
        "Clashes go on in the\noutskirts. More later"
    )
    assert split_sentences(text) == [
        "Qala-e-Naw is in government hands",
        "https://example.org/clip.mp4",
        "Clashes go on in the\noutskirts.",
        "More later",
    ]


@pytest.mark.parametrize("text", ["", "   ", "\n\n \n"])
def test_blank_text_has_no_sentences(text):
    assert split_sentences(text) == []


def test_sentences_are_substrings_of_the_input():
    text = "On July 7th, Taliban fighters stormed the capital city – Qala-e-Naw.  Then   calm."
    sentences = split_sentences(text)
    assert sentences == [
        "On July 7th, Taliban fighters stormed the capital city – Qala-e-Naw.",
        "Then   calm.",
    ]
    assert [text.find(s) for s in sentences] == [0, 70]
