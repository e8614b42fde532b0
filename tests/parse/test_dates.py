"""Reading timestamps, finding dates in URLs, and the order in which dates are trusted."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from briefing.parse import date_from_url, parse_timestamp, resolve_published
from tests.parse import utc

TOMORROW = date.today() + timedelta(days=1)
IN_A_WEEK = date.today() + timedelta(days=7)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/2021/07/09/qala-e-naw", date(2021, 7, 9)),
        ("https://example.org/2021/7/9/qala-e-naw", date(2021, 7, 9)),
        ("https://example.org/news/2021-07-09-qala-e-naw", date(2021, 7, 9)),
        ("https://example.org/files/report_2021_07_09.pdf", date(2021, 7, 9)),
        ("https://example.org/video/09.07.2021_IMR_Afghanistan.mp4", date(2021, 7, 9)),
        ("https://example.org/archive/20210709/story", date(2021, 7, 9)),
        ("https://example.org/report-20210709.html", date(2021, 7, 9)),
        ("https://example.org/2021/07/qala-e-naw", None),  # no day: never guessed
        ("https://example.org/2021/13/45/story", None),
        ("https://example.org/31.02.2021_clip.mp4", None),
        ("https://example.org/1989/07/09/old", None),
        ("https://example.org/item/ff1d0953de1980e2", None),
        ("https://example.org/p?id=202107091234", None),
        ("https://example.org/x20210709y", None),
        (f"https://example.org/{IN_A_WEEK:%Y/%m/%d}/future", None),
        (f"https://example.org/{TOMORROW:%Y/%m/%d}/timezones", TOMORROW),
        ("https://example.org/about", None),
    ],
)
def test_date_from_url(url: str, expected: date | None) -> None:
    assert date_from_url(url) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Fri, 09 Jul 2021 10:00:00 GMT", utc(2021, 7, 9, 10)),
        ("Fri, 09 Jul 2021 10:00:00 +0430", utc(2021, 7, 9, 5, 30)),
        ("9 Jul 2021 10:00 EST", utc(2021, 7, 9, 15)),
        ("Fri, 09 Jul 2021 10:00:00 -0000", utc(2021, 7, 9, 10)),
        ("2021-07-09T10:00:00Z", utc(2021, 7, 9, 10)),
        ("2021-07-09t10:00:00z", utc(2021, 7, 9, 10)),
        ("2021-07-09T10:00:00+02:00", utc(2021, 7, 9, 8)),
        ("2021-07-09T10:00:00.123Z", utc(2021, 7, 9, 10, 0, 0, 123000)),
        ("2021-07-09 10:00:00 UTC", utc(2021, 7, 9, 10)),
        ("2021-07-09", utc(2021, 7, 9)),
        ("  2021-07-09T10:00:00Z  ", utc(2021, 7, 9, 10)),
        ("2021-07", None),
        ("Thu, 01 Jan 1970 00:00:00 +0000", None),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_timestamp(value: str | None, expected: object) -> None:
    assert parse_timestamp(value) == expected


META = utc(2021, 7, 8, 6)
OPTION = utc(2021, 7, 12, 9)
DOC_URL = "https://example.org/2021/07/10/story"
TEXT_WITH_URL = "See https://cdn.example.org/09.07.2021_clip.mp4 for the video."


@pytest.mark.parametrize(
    ("found", "option", "overrides", "url", "text", "expected"),
    [
        (META, OPTION, False, DOC_URL, TEXT_WITH_URL, (META, "feed")),
        (META, OPTION, True, DOC_URL, TEXT_WITH_URL, (OPTION, "option")),
        (None, OPTION, False, DOC_URL, TEXT_WITH_URL, (OPTION, "option")),
        (None, None, False, DOC_URL, TEXT_WITH_URL, (utc(2021, 7, 10), "url")),
        (None, None, False, None, TEXT_WITH_URL, (utc(2021, 7, 9), "url-in-text")),
        (None, None, False, "https://example.org/story", "No links here.", (None, None)),
    ],
)
def test_date_priority(found, option, overrides, url, text, expected) -> None:  # type: ignore[no-untyped-def]
    assert (
        resolve_published(
            found, "feed", option=option, option_overrides=overrides, url=url, text=text
        )
        == expected
    )


def test_naive_option_is_taken_as_utc() -> None:
    naive = OPTION.replace(tzinfo=None)
    assert resolve_published(
        None, "page", option=naive, option_overrides=True, url=None, text=""
    ) == (OPTION, "option")
