"""Web pages: article text and metadata through trafilatura, dates from the page itself."""

from __future__ import annotations

import pytest

from briefing.models import ParsedArticle
from briefing.parse import ParseError, html_to_text, parse_document
from tests.parse import fixture_bytes, utc

ARTICLE_TEXT = (
    "Government forces kept control of Qala-e-Naw, the capital of Badghis province, after "
    "Taliban fighters stormed the city on July 7th and freed around 600 prisoners from the "
    "central prison.\n\n"
    "According to the Afghan Defense Ministry, 69 Taliban fighters were killed and 23 others "
    "were wounded in operations on the outskirts of the city, where clashes are still going on."
    "\n\n"
    "The rest of the province is in Taliban hands, and residents fear it is only a matter of "
    "time until the capital falls."
)
PARAGRAPHS = "".join(
    f"<p>Paragraph {n} says that clashes went on in the district for several more hours.</p>"
    for n in range(1, 4)
)


def _page(head: str = "", body: str = "") -> bytes:
    return (
        f"<!DOCTYPE html><html><head><title>Nawur clashes</title>{head}</head>"
        f"<body><article><h1>Nawur clashes</h1>{PARAGRAPHS}{body}</article></body></html>"
    ).encode()


def test_article_page() -> None:
    assert parse_document(fixture_bytes("article.html")) == [
        ParsedArticle(
            title="Qala-e-Naw holds after Taliban assault",
            text=ARTICLE_TEXT,
            url="https://westerndesk.example.org/2021/07/08/qala-e-naw-holds",
            guid=None,
            published=utc(2021, 7, 9, 3, 15),
            published_from="page",
            source_name="Western Desk",
            kind="html",
            summary_hint="Government forces kept control of the Badghis capital.",
        )
    ]


def test_page_without_an_article() -> None:
    with pytest.raises(ParseError) as caught:
        parse_document(fixture_bytes("no_article.html"), url="https://example.org/login")
    assert str(caught.value) == "no article found in the HTML page"


def test_published_option_overrides_page_metadata() -> None:
    [article] = parse_document(fixture_bytes("article.html"), published=utc(2021, 7, 7, 20))
    assert (article.published, article.published_from) == (utc(2021, 7, 7, 20), "option")


def test_source_name_is_kept_when_given() -> None:
    [article] = parse_document(fixture_bytes("article.html"), source_name="My desk")
    assert article.source_name == "My desk"


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        (
            '<script type="application/ld+json">{"@context": "https://schema.org", '
            '"@type": "NewsArticle", "datePublished": "2021-07-08T16:20:00Z"}</script>',
            "",
            (utc(2021, 7, 8, 16, 20), "page"),
        ),
        (
            '<meta itemprop="datePublished" content="2021-07-06">',
            "",
            (utc(2021, 7, 6), "page"),
        ),
        (
            "",
            '<time datetime="2021-07-05T08:00:00+04:30">5 July</time>',
            (utc(2021, 7, 5, 3, 30), "page"),
        ),
        ("", "", (utc(2021, 7, 4), "url")),
    ],
)
def test_page_date_sources(head: str, body: str, expected: tuple) -> None:  # type: ignore[type-arg]
    [article] = parse_document(
        _page(head, body), url="https://news.example.org/2021/07/04/nawur-clashes"
    )
    assert (article.published, article.published_from) == expected


def test_page_without_any_date_has_none() -> None:
    [article] = parse_document(_page(), url="https://news.example.org/nawur-clashes")
    assert (article.title, article.published, article.published_from, article.url) == (
        "Nawur clashes",
        None,
        None,
        "https://news.example.org/nawur-clashes",
    )


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<p>One &amp; two.</p><p>Three</p>", "One & two.\n\nThree"),
        ("Line one<br>line two<br/>line three", "Line one\nline two\nline three"),
        ("<div>Split\nacross   lines</div>", "Split across lines"),
        ("<script>var x = '<p>';</script><style>p{}</style>Kept", "Kept"),
        ("5 < 6 and 7 > 3", "5 < 6 and 7 > 3"),
        ("no markup\n\nat all", "no markup\n\nat all"),
        ("<!-- note --><ul><li>a</li><li>b</li></ul>", "a\n\nb"),
        ("&lt;b&gt;escaped&lt;/b&gt;&nbsp;text", "<b>escaped</b> text"),
    ],
)
def test_html_to_text(markup: str, text: str) -> None:
    assert html_to_text(markup) == text
