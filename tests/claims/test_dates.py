from datetime import date

import pytest

from briefing.claims.dates import find_dates, resolve_date

ANCHOR = date(2021, 7, 9)  # a Friday


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("on July 7th", date(2021, 7, 7)),
        ("July 7", date(2021, 7, 7)),
        ("7 July", date(2021, 7, 7)),
        ("the 7th of July", date(2021, 7, 7)),
        ("on Thursday", date(2021, 7, 8)),
        ("on Friday", date(2021, 7, 9)),
        ("last Friday", date(2021, 7, 2)),
        ("on Monday night", date(2021, 7, 5)),
        ("yesterday", date(2021, 7, 8)),
        ("last night", date(2021, 7, 8)),
        ("today", date(2021, 7, 9)),
        ("three days ago", date(2021, 7, 6)),
        ("9 July 2021", date(2021, 7, 9)),
        ("July 9, 2021", date(2021, 7, 9)),
        ("2021-07-09", date(2021, 7, 9)),
        ("on December 28", date(2020, 12, 28)),
        ("on August 20", date(2021, 8, 20)),
        ("last week", None),
        ("in recent days", None),
    ],
)
def test_resolve_date(phrase, expected):
    assert resolve_date(phrase, ANCHOR) == expected


def test_future_context_keeps_the_anchor_year():
    sentence = (
        "The Taliban warned Ankara against keeping troops in the country after September 11th."
    )
    start = sentence.index("September 11th")
    assert find_dates(sentence, ANCHOR) == [((start, start + 14), date(2021, 9, 11))]


def test_a_far_month_day_without_future_context_is_last_year():
    assert resolve_date("Fighting began on September 11th.", ANCHOR) == date(2020, 9, 11)


def test_relative_phrases_count_from_the_reference_date():
    reference = date(2021, 7, 7)
    assert [
        resolve_date(p, ANCHOR, reference=reference)
        for p in ("two days later", "two days after", "the next day", "a week earlier")
    ] == [date(2021, 7, 9), date(2021, 7, 9), date(2021, 7, 8), date(2021, 6, 30)]


def test_relative_phrases_without_reference_resolve_to_nothing():
    assert resolve_date("two days later", ANCHOR) is None


def test_without_anchor_only_dates_with_years_resolve():
    assert [resolve_date(p, None) for p in ("9 July 2021", "July 7th", "on Thursday", "today")] == [
        date(2021, 7, 9),
        None,
        None,
        None,
    ]


def test_find_dates_gives_spans_in_reading_order():
    sentence = "On July 7th the town was stormed, and on Thursday it was retaken."
    assert find_dates(sentence, ANCHOR) == [
        ((3, 11), date(2021, 7, 7)),
        ((41, 49), date(2021, 7, 8)),
    ]


def test_impossible_dates_resolve_to_nothing():
    assert resolve_date("February 30", ANCHOR) is None
