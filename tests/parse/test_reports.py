"""Plain-text reports: decoding, cleaning, titles and dates, including the seed report."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.models import ParsedArticle
from briefing.parse import ParseError, decode_text, parse_document, title_from_text
from briefing.text import clean_report
from tests.parse import fixture_bytes, utc

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_ff1d0953de1980e2.txt"

REPORT_TEXT = (
    "Government forces kept control of Qala-e-Naw on Thursday after a night of fighting on the "
    "outskirts of the city.\n\nOfficials said 69 fighters were killed and 23 wounded."
)


def test_report_with_a_headline() -> None:
    assert parse_document(fixture_bytes("report.txt"), source_name="report") == [
        ParsedArticle(
            title="BADGHIS: CAPITAL HOLDS AFTER ASSAULT",
            text=REPORT_TEXT,
            source_name="report",
            kind="text",
        )
    ]


def test_published_option_is_used_for_reports() -> None:
    [article] = parse_document(
        fixture_bytes("report.txt"),
        url="https://example.org/reports/2021-07-06-badghis.txt",
        published=utc(2021, 7, 9, 18),
    )
    assert (article.published, article.published_from) == (utc(2021, 7, 9, 18), "option")


def test_report_date_from_its_own_url() -> None:
    [article] = parse_document(
        fixture_bytes("report.txt"), url="https://example.org/reports/2021-07-06-badghis.txt"
    )
    assert (article.url, article.published, article.published_from) == (
        "https://example.org/reports/2021-07-06-badghis.txt",
        utc(2021, 7, 6),
        "url",
    )


def test_seed_report_dates_itself_from_its_video_link() -> None:
    if not SEED.exists():
        pytest.skip(f"seed report not found at {SEED}")
    raw = SEED.read_bytes()
    assert parse_document(raw) == [
        ParsedArticle(
            title=(
                "The knot in Afghanistan is tying up ever tighter, as clashes between government "
                "forces and the Taliban are happening…"
            ),
            text=clean_report(raw.decode("utf-8")).strip(),
            url=None,
            published=utc(2021, 7, 9),
            published_from="url-in-text",
            kind="text",
        )
    ]


def test_seed_text_is_cleaned() -> None:
    if not SEED.exists():
        pytest.skip(f"seed report not found at {SEED}")
    [article] = parse_document(SEED.read_bytes())
    paragraphs = article.text.split("\n\n")
    assert paragraphs[2:4] == [
        "On July 7th, Taliban fighters stormed the capital city – Qala-e-Naw, expecting to "
        "easily “liberate” it.",
        "https://southfront.org/wp-content/uploads/video/09.07.2021_IMR_Afghanistan.mp4",
    ]


def test_nothing_left_after_cleaning() -> None:
    with pytest.raises(ParseError) as caught:
        parse_document(b" ***\n\n   \n * * *\n")
    assert str(caught.value) == "not a feed, page or report: no text is left after cleaning"


@pytest.mark.parametrize(
    ("body", "content_type", "text"),
    [
        ("Kandahar – “quoted” café".encode(), None, "Kandahar – “quoted” café"),
        ("Kandahar – “quoted” café".encode("cp1252"), None, "Kandahar – “quoted” café"),
        ("\ufeffWith a BOM".encode(), None, "With a BOM"),
        ("Двадцать три".encode("koi8-r"), "text/plain; charset=KOI8-R", "Двадцать три"),
        (b"\x81\x8d byte soup", "text/plain; charset=nonsense", "\x81\x8d byte soup"),
    ],
)
def test_decoding(body: bytes, content_type: str | None, text: str) -> None:
    assert decode_text(body, content_type) == text


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Short first sentence. Then more.", "Short first sentence."),
        ("No full stop at all", "No full stop at all"),
        (
            "Clashes between the Taliban and Afghan armies were reported in the Nawur district in "
            "Ghazni province, which is still heavily contested in the central region.",
            "Clashes between the Taliban and Afghan armies were reported in the Nawur district in "
            "Ghazni province, which is still…",
        ),
        ("First paragraph only.\n\nSecond paragraph.", "First paragraph only."),
    ],
)
def test_title_from_text(text: str, title: str) -> None:
    assert title_from_text(text) == title
