"""OPML import and export, including the hostile files an upload may contain."""

from __future__ import annotations

import pytest

from briefing.opml import OpmlError, build_opml, parse_opml

READER_EXPORT = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>My feeds</title></head>
  <body>
    <outline text="News" title="News">
      <outline type="rss" text="Pajhwok" title="Pajhwok   Afghan News"
               xmlUrl="https://pajhwok.com/feed/" htmlUrl="https://pajhwok.com"/>
      <outline type="rss" text="Tolo" xmlUrl="https://tolonews.com/rss"/>
    </outline>
    <outline type="rss" xmlUrl="http://example.org/atom.xml"/>
    <outline type="rss" text="Again" xmlUrl="https://tolonews.com/rss"/>
    <outline type="rss" text="Local" xmlUrl="file:///etc/passwd"/>
    <outline type="rss" text="No URL"/>
  </body>
</opml>"""


def test_reads_nested_outlines_once_each_with_titles():
    assert parse_opml(READER_EXPORT) == [
        ("https://pajhwok.com/feed/", "Pajhwok Afghan News"),
        ("https://tolonews.com/rss", "Tolo"),
        ("http://example.org/atom.xml", "http://example.org/atom.xml"),
    ]


def test_round_trip_keeps_urls_and_titles_with_markup_characters():
    feeds = [("https://a.example/feed?x=1&y=2", "A & B <news>"), ("https://b.example/rss", "B")]
    text = build_opml(feeds)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    assert "A &amp; B &lt;news&gt;" in text
    assert parse_opml(text.encode()) == feeds


def test_entity_expansion_is_refused():
    laughs = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY a "haha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<opml version="2.0"><body><outline text="&b;" xmlUrl="https://x.example/"/></body></opml>"""
    with pytest.raises(OpmlError) as refused:
        parse_opml(laughs)
    assert str(refused.value) == "OPML files with a DOCTYPE are not accepted."


def test_external_entities_are_never_read():
    xxe = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
<opml version="2.0"><body><outline text="&secret;" xmlUrl="https://x.example/"/></body></opml>"""
    with pytest.raises(OpmlError):
        parse_opml(xxe)


def test_not_xml_and_not_opml_are_clear_errors():
    with pytest.raises(OpmlError) as broken:
        parse_opml(b"<opml><body>")
    assert str(broken.value).startswith("That is not valid XML: ")
    with pytest.raises(OpmlError) as rss:
        parse_opml(b"<rss version='2.0'><channel/></rss>")
    assert str(rss.value) == "That file is not OPML (its root element is not <opml>)."
