"""Web pages: the article's text, title and date, without menus, ads and comments.

trafilatura does the boilerplate removal. The publication date is read from the page's own
metadata first (Open Graph, JSON-LD, microdata, `<time>`), because those carry a time and a
zone, and trafilatura's date guess is used only when it is not just the URL's date in
disguise: a date read from the URL must be labelled as such.

`html_to_text` also lives here: feeds carry HTML fragments and need them as plain text, and
that has to be fast (thousands of items per second), so it is a few regular expressions
rather than a parser.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import trafilatura
from lxml.html import HtmlElement

from briefing.models import ParsedArticle
from briefing.parse.dates import date_from_url, parse_timestamp, resolve_published, start_of_day
from briefing.parse.detect import ParseError
from briefing.parse.reports import title_from_text

log = logging.getLogger(__name__)

_DROP = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_LINE_BREAK = re.compile(r"<br\s*/?>", re.I)
_BLOCK = re.compile(
    r"</?(?:p|div|li|ul|ol|dl|dt|dd|h[1-6]|blockquote|pre|table|tr|section|article|header"
    r"|footer|aside|figure|figcaption|hr)\b[^>]*>",
    re.I,
)
_TAG = re.compile(r"</?[A-Za-z][^>]*>|<![^>]*>")
_SPACES = re.compile(r"[ \t\r\f\v\xa0\u2009\u202f]+")
_PARAGRAPH_GAP = re.compile(r"\n[ \t\r\f\v\xa0]*\n\s*")

MIN_PARAGRAPH_WORDS = 8

# Meta tags that state when an article was first published, most trusted first.
_META_KEYS = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "dc.date.issued",
    "dcterms.created",
    "citation_publication_date",
    "pubdate",
    "publishdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date",
    "date",
)


def tidy_text(text: str) -> str:
    """Collapse runs of spaces, drop empty lines, keep paragraphs apart by one blank line."""
    paragraphs = []
    for block in _PARAGRAPH_GAP.split(text):
        lines = (_SPACES.sub(" ", line).strip() for line in block.split("\n"))
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


def html_to_text(markup: str) -> str:
    """Plain text from an HTML fragment: tags gone, entities decoded, paragraphs kept."""
    if "<" not in markup and "&" not in markup:
        return tidy_text(markup)
    text = _DROP.sub("", markup).replace("\r", " ").replace("\n", " ")
    text = _LINE_BREAK.sub("\n", text)
    text = _BLOCK.sub("\n\n", text)
    text = html.unescape(_TAG.sub("", text))
    return tidy_text(text)


def _json_ld_dates(tree: HtmlElement) -> Iterator[str]:
    def walk(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            value = node.get("datePublished")
            if isinstance(value, str):
                yield value
            for child in node.values():
                yield from walk(child)
        elif isinstance(node, list):
            for child in node:
                yield from walk(child)

    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            yield from walk(json.loads(script.text))
        except ValueError:
            log.debug("unreadable JSON-LD block ignored")


def _time_dates(tree: HtmlElement) -> Iterator[str]:
    for element in tree.iter("time"):
        stamp = element.get("datetime")
        if not stamp:
            continue
        marked = element.get("itemprop") == "datePublished" or element.get("pubdate") is not None
        if marked or any(parent.tag == "article" for parent in element.iterancestors()):
            yield stamp


def metadata_published(tree: HtmlElement) -> datetime | None:
    """When the page says it was published: meta tags, then JSON-LD, then `<time>`."""
    best: tuple[int, datetime] | None = None
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in _META_KEYS:
            rank = _META_KEYS.index(key)
            if best is None or rank < best[0]:
                moment = parse_timestamp(meta.get("content"))
                if moment is not None:
                    best = (rank, moment)
    if best is not None:
        return best[1]
    for stamp in (*_json_ld_dates(tree), *_time_dates(tree)):
        moment = parse_timestamp(stamp)
        if moment is not None:
            return moment
    return None


def _is_article(text: str) -> bool:
    """At least one real paragraph, not just menu items and button labels."""
    return any(len(paragraph.split()) >= MIN_PARAGRAPH_WORDS for paragraph in text.split("\n\n"))


def _extractor_date(value: str | None, page_url: str | None) -> datetime | None:
    """trafilatura's date, unless it merely repeats the URL's date (that is labelled "url")."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return None
    if page_url and date_from_url(page_url) == day:
        return None
    return start_of_day(day)


def parse_page(
    body: bytes,
    *,
    url: str | None = None,
    published: datetime | None = None,
    source_name: str | None = None,
) -> ParsedArticle:
    """The article in an HTML page; `ParseError` when the page holds no article text."""
    tree = trafilatura.load_html(body)
    if tree is None:
        raise ParseError("no article found in the HTML page")
    page_date = metadata_published(tree)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    # bare_extraction works on the tree we give it and never fetches anything itself.
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_images=False,
        include_links=False,
        date_extraction_params={
            "original_date": True,
            "extensive_search": False,
            "deferred_url_extractor": True,
            "max_date": tomorrow,
        },
    )
    text = _paragraphs_from_lines(getattr(document, "text", None) or "")
    if not _is_article(text):
        raise ParseError("no article found in the HTML page")
    page_url = getattr(document, "url", None) or url
    title = (getattr(document, "title", None) or "").strip() or title_from_text(text)
    first, _, rest = text.partition("\n\n")
    if rest and first.strip() == title:  # the page's own <h1> repeats the title
        text = rest
    if page_date is None:
        page_date = _extractor_date(getattr(document, "date", None), page_url)
    moment, moment_from = resolve_published(
        page_date, "page", option=published, option_overrides=True, url=page_url, text=text
    )
    description = (getattr(document, "description", None) or "").strip() or None
    return ParsedArticle(
        title=title,
        text=text,
        url=page_url,
        published=moment,
        published_from=moment_from,
        source_name=source_name or getattr(document, "sitename", None) or None,
        kind="html",
        summary_hint=description,
    )


def _paragraphs_from_lines(extracted: str) -> str:
    """trafilatura puts one paragraph per line; the engine wants blank lines between them."""
    return tidy_text(extracted.replace("\n", "\n\n"))
