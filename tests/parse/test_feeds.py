"""Feeds in each dialect, read to whole article lists; fallbacks and hostile XML."""

from __future__ import annotations

import pytest

from briefing.models import ParsedArticle
from briefing.parse import ParseError, feeds, parse_document
from tests.parse import fixture_bytes, utc

MONITOR = "https://monitor.example.org"

RSS2_ARTICLES = [
    ParsedArticle(
        title="Taliban storm Qala-e-Naw",
        text=(
            "Fighters entered the provincial capital on July 7th & freed about 600 prisoners."
            "\n\nGovernment forces pushed them back\nto the outskirts."
        ),
        url=f"{MONITOR}/news/qala-e-naw-stormed",
        guid="monitor-1001",
        published=utc(2021, 7, 8, 2, 0),
        published_from="feed",
        source_name="Badghis Monitor",
        kind="feed",
        summary_hint="Fighters entered the provincial capital on July 7th.",
    ),
    ParsedArticle(
        title="Clashes in Nawur & Ghazni",
        text="Clashes were reported in the Nawur district on Friday.",
        url=f"{MONITOR}/2021/07/09/nawur-clashes",
        guid=f"{MONITOR}/?p=1002",
        published=utc(2021, 7, 9),
        published_from="url",
        source_name="Badghis Monitor",
        kind="feed",
        summary_hint="Clashes were reported in the Nawur district on Friday.",
    ),
    ParsedArticle(
        title="Iran hosted talks in Tehran.",
        text="Iran hosted talks in Tehran. Both delegations attended.",
        url=f"{MONITOR}/news/brief-1003",
        guid="monitor-1003",
        published=utc(2021, 7, 10, 8, 15),
        published_from="feed",
        source_name="Badghis Monitor",
        kind="feed",
        summary_hint="Iran hosted talks in Tehran. Both delegations attended.",
    ),
]

RSS1_ARTICLES = [
    ParsedArticle(
        title="Zendah Jan district falls",
        text="The district in Herat province fell to the insurgents. Café owners fled.",
        url="https://herat.example.net/a/zendah-jan",
        guid="https://herat.example.net/a/zendah-jan",
        published=utc(2021, 7, 6, 9, 30),
        published_from="feed",
        source_name="Herat Wire",
        kind="feed",
        summary_hint="The district in Herat province fell to the insurgents. Café owners fled.",
    ),
    ParsedArticle(
        title="Border crossing closed",
        text="Traders waited at Islam Qala cafés.",
        url="https://herat.example.net/a/border",
        guid="https://herat.example.net/a/border",
        published=None,
        published_from=None,
        source_name="Herat Wire",
        kind="feed",
        summary_hint="Traders waited at Islam Qala cafés.",
    ),
]

ATOM_ARTICLES = [
    ParsedArticle(
        title="Talks in Tehran",
        text="Delegations met in Tehran.\n\nA joint statement followed.",
        url="https://kabul.example.com/talks-tehran",
        guid="tag:kabul.example.com,2021:1",
        published=utc(2021, 7, 8, 4, 30),
        published_from="feed",
        source_name="Kabul Notes",
        kind="feed",
        summary_hint="Delegations met in Tehran.",
    ),
    ParsedArticle(
        title="Airport security",
        text="Turkey offered to guard the airport.\n\nThe Taliban warned against it.",
        url="https://kabul.example.com/airport-security",
        guid="tag:kabul.example.com,2021:2",
        published=utc(2021, 7, 9, 11, 30),
        published_from="feed",
        source_name="Kabul Notes",
        kind="feed",
        summary_hint=None,
    ),
    ParsedArticle(
        title="Plain note",
        text="Text with a <tag> kept as written.",
        url="https://kabul.example.com/plain-note",
        guid="tag:kabul.example.com,2021:3",
        published=None,
        published_from=None,
        source_name="Kabul Notes",
        kind="feed",
        summary_hint=None,
    ),
]


@pytest.fixture
def feedparser_calls(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Records every document handed to the feedparser fallback."""
    calls: list[bytes] = []
    original = feeds._read_with_feedparser

    def spy(body: bytes, content_type: str | None):  # type: ignore[no-untyped-def]
        calls.append(body)
        return original(body, content_type)

    monkeypatch.setattr(feeds, "_read_with_feedparser", spy)
    return calls


@pytest.mark.parametrize(
    ("name", "expected"),
    [("rss2.xml", RSS2_ARTICLES), ("rss1.rdf", RSS1_ARTICLES), ("atom.xml", ATOM_ARTICLES)],
)
def test_dialects_take_the_fast_path(
    name: str, expected: list[ParsedArticle], feedparser_calls: list[bytes]
) -> None:
    assert (parse_document(fixture_bytes(name)), feedparser_calls) == (expected, [])


@pytest.mark.parametrize("name", ["rss2.xml", "rss1.rdf", "atom.xml"])
def test_fast_path_reads_what_feedparser_reads(name: str) -> None:
    body = fixture_bytes(name)
    assert feeds._read_fast(body) == feeds._read_with_feedparser(body, None)


def test_html_entities_and_bare_ampersands_are_repaired(feedparser_calls: list[bytes]) -> None:
    assert parse_document(fixture_bytes("malformed.xml")) == [
        ParsedArticle(
            title="Roads closed near Chaghcharan",
            text="Checkpoints went up overnight.",
            url="https://bulletin.example.org/roads?id=7&lang=en",
            guid="bulletin-7",
            published=utc(2021, 7, 7, 18),
            published_from="feed",
            source_name="Ghor & Badghis Bulletin",
            kind="feed",
            summary_hint="Checkpoints went up overnight.",
        )
    ]
    assert feedparser_calls == []


def test_truncated_feed_falls_back_to_feedparser(feedparser_calls: list[bytes]) -> None:
    articles = parse_document(fixture_bytes("truncated.xml"))
    assert articles == [
        ParsedArticle(
            title="Border post changes hands",
            text="The post at Zaranj was taken overnight.",
            url="https://dispatch.example.org/border-post",
            guid="dispatch-1",
            published=utc(2021, 7, 5, 11),
            published_from="feed",
            source_name="Nimroz Dispatch",
            kind="feed",
            summary_hint="The post at Zaranj was taken overnight.",
        )
    ]
    assert len(feedparser_calls) == 1


def test_unusual_dialect_falls_back_to_feedparser(feedparser_calls: list[bytes]) -> None:
    atom03 = (
        b'<?xml version="1.0"?><feed version="0.3" xmlns="http://purl.org/atom/ns#">'
        b"<title>Old</title><entry><title>Legacy entry</title>"
        b'<link rel="alternate" type="text/html" href="https://old.example/1"/><id>old-1</id>'
        b"<issued>2021-07-01T10:00:00Z</issued>"
        b'<content type="text/html" mode="escaped">&lt;p&gt;Hello there&lt;/p&gt;</content>'
        b"</entry></feed>"
    )
    assert parse_document(atom03) == [
        ParsedArticle(
            title="Legacy entry",
            text="Hello there",
            url="https://old.example/1",
            guid="old-1",
            published=utc(2021, 7, 1, 10),
            published_from="feed",
            source_name="Old",
            kind="feed",
        )
    ]
    assert len(feedparser_calls) == 1


def test_published_option_fills_in_only_for_undated_items() -> None:
    articles = parse_document(fixture_bytes("rss2.xml"), published=utc(2021, 7, 11, 12))
    assert [(a.published, a.published_from) for a in articles] == [
        (utc(2021, 7, 8, 2, 0), "feed"),
        (utc(2021, 7, 11, 12), "option"),
        (utc(2021, 7, 10, 8, 15), "feed"),
    ]


def test_source_name_overrides_channel_title() -> None:
    articles = parse_document(fixture_bytes("atom.xml"), source_name="Kabul desk")
    assert [a.source_name for a in articles] == ["Kabul desk"] * 3


def test_valid_empty_feed_has_no_articles() -> None:
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    assert parse_document(body) == []


def test_xml_that_is_not_a_feed() -> None:
    opml = b'<?xml version="1.0"?><opml version="2.0"><body><outline text="a"/></body></opml>'
    with pytest.raises(ParseError) as caught:
        parse_document(opml)
    assert str(caught.value) == "the feed could not be read: no feed items found"


ENTITY_REFUSED = "the feed could not be read: it declares XML entities, which are refused"


def test_billion_laughs_is_refused() -> None:
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">' for n in range(1, 10)
    ]
    body = (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n' + "\n".join(levels) + "\n]>\n"
        '<rss version="2.0"><channel><title>&lol9;</title>'
        "<item><title>&lol9;</title><description>&lol9;</description></item></channel></rss>"
    ).encode()
    with pytest.raises(ParseError) as caught:
        parse_document(body)
    assert str(caught.value) == ENTITY_REFUSED


def test_external_entity_is_refused() -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        b'<rss version="2.0"><channel><title>x</title><item><title>&secret;</title>'
        b"</item></channel></rss>"
    )
    with pytest.raises(ParseError) as caught:
        parse_document(body)
    assert str(caught.value) == ENTITY_REFUSED


def test_fast_path_never_expands_entities_it_is_handed() -> None:
    """Even past the declaration check, lxml is set up not to resolve entities."""
    body = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY boom "BOOM">]>'
        b'<rss version="2.0"><channel><title>T</title><item><title>a&boom;b</title>'
        b"</item></channel></rss>"
    )
    title, items = feeds._read_fast(body)
    assert (title, [item.title for item in items]) == ("T", ["ab"])


WIDE_FEED = (
    '<?xml version="1.0" encoding="utf-16"?><rss version="2.0"><channel><title>Wide</title>'
    "<item><title>Ünïcode &amp; more</title><description>Text&nbsp;here</description></item>"
    "</channel></rss>"
)


@pytest.mark.parametrize("codec", ["utf-16", "utf-32"])
def test_wide_encodings_are_read_and_repaired(codec: str) -> None:
    assert parse_document(WIDE_FEED.encode(codec)) == [
        ParsedArticle(
            title="Ünïcode & more",
            text="Text here",
            source_name="Wide",
            kind="feed",
            summary_hint="Text here",
        )
    ]


def test_entity_declarations_are_found_in_utf16_too() -> None:
    body = (
        '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">]>'
        '<rss version="2.0"><channel><title>&a;</title></channel></rss>'
    ).encode("utf-16")
    with pytest.raises(ParseError) as caught:
        parse_document(body)
    assert str(caught.value) == ENTITY_REFUSED
