"""Turn fetched or uploaded bytes into `ParsedArticle`s, whatever kind of document they are.

Callers hand over bytes and whatever they know (URL, declared type, a date the user gave);
the content itself decides whether it is read as a feed, a web page or a plain-text report.
"""

from __future__ import annotations

import logging
from datetime import datetime

from briefing.models import ParsedArticle
from briefing.parse.dates import date_from_url, parse_timestamp, resolve_published
from briefing.parse.detect import ParseError, detect
from briefing.parse.feeds import parse_feed
from briefing.parse.pages import html_to_text, parse_page
from briefing.parse.reports import decode_text, parse_report, title_from_text

log = logging.getLogger(__name__)

__all__ = [
    "ParseError",
    "date_from_url",
    "decode_text",
    "detect",
    "html_to_text",
    "parse_document",
    "parse_feed",
    "parse_page",
    "parse_report",
    "parse_timestamp",
    "resolve_published",
    "title_from_text",
]


def parse_document(
    body: bytes,
    *,
    url: str | None = None,
    content_type: str | None = None,
    published: datetime | None = None,
    source_name: str | None = None,
) -> list[ParsedArticle]:
    """Articles in `body`: one per feed item, or one for a page or report.

    `published` is the date the user vouches for: it wins for a page or report and only
    fills in for feed items that carry no date. Raises `ParseError` (one line) when nothing
    can be read.
    """
    kind = detect(body, content_type)
    log.debug("parsing %s as %s", url or "document", kind)
    if kind == "feed":
        return parse_feed(
            body, content_type=content_type, published=published, source_name=source_name
        )
    if kind == "html":
        return [parse_page(body, url=url, published=published, source_name=source_name)]
    return [
        parse_report(
            body, url=url, content_type=content_type, published=published, source_name=source_name
        )
    ]
