"""Detection looks at the content, never at the declared type or the file name."""

from __future__ import annotations

import pytest

from briefing.parse import ParseError, detect, parse_document
from tests.parse import fixture_bytes

ATOM_UTF16 = (
    '<?xml version="1.0" encoding="utf-16"?><feed xmlns="http://www.w3.org/2005/Atom">'
    "<title>W</title><entry><title>Eins</title><id>1</id></entry></feed>"
).encode("utf-16")


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (fixture_bytes("rss2.xml"), "feed"),
        (fixture_bytes("rss1.rdf"), "feed"),
        (fixture_bytes("atom.xml"), "feed"),
        (fixture_bytes("malformed.xml"), "feed"),
        (fixture_bytes("truncated.xml"), "feed"),
        (fixture_bytes("article.html"), "html"),
        (fixture_bytes("no_article.html"), "html"),
        (fixture_bytes("report.txt"), "text"),
        (b'<rss version="2.0"><channel></channel></rss>', "feed"),
        (b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- generated -->\n<rss/>", "feed"),
        (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "b">]><rss/>', "feed"),
        (b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'/>", "feed"),
        (b'<atom:feed xmlns:atom="http://www.w3.org/2005/Atom"/>', "feed"),
        (b'<?xml version="1.0"?><opml version="2.0"/>', "feed"),
        (ATOM_UTF16, "feed"),
        (b"<!doctype html><title>x</title>", "html"),
        (b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"/>', "html"),
        (b"  <p>A saved paragraph.</p>", "html"),
        (b"<body>text</body>", "html"),
        (b" ***\n\nThe knot in Afghanistan is tying up ever tighter.", "text"),
        ("Zürich – “quoted” text in cp1252".encode("cp1252"), "text"),
        (b"<3 this is not markup", "text"),
    ],
)
def test_kind_comes_from_the_content(body: bytes, kind: str) -> None:
    assert detect(body) == kind


@pytest.mark.parametrize(
    ("name", "content_type", "kind"),
    [
        ("rss2.xml", "text/html; charset=utf-8", "feed"),
        ("article.html", "application/rss+xml", "html"),
        ("report.txt", "application/atom+xml", "text"),
        ("atom.xml", "application/octet-stream", "feed"),
    ],
)
def test_declared_type_is_ignored(name: str, content_type: str, kind: str) -> None:
    assert detect(fixture_bytes(name), content_type) == kind


def test_a_feed_saved_under_a_txt_name_is_still_a_feed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    saved = tmp_path / "todays-news.txt"
    saved.write_bytes(fixture_bytes("atom.xml"))
    articles = parse_document(saved.read_bytes(), content_type="text/plain")
    assert [a.kind for a in articles] == ["feed", "feed", "feed"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "not a feed, page or report: the content is empty"),
        (b" \n\t\r\n ", "not a feed, page or report: the content is empty"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
            "not a feed, page or report: the content looks binary",
        ),
        (bytes(range(1, 32)) * 20, "not a feed, page or report: the content looks binary"),
    ],
)
def test_empty_and_binary_content_are_refused(body: bytes, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_document(body)
    assert str(caught.value) == message
