"""Plain-text reports: decode them, clean them up, and give them a title.

Reports arrive as pasted text or PDF extracts in whatever encoding the author's machine
used, hard-wrapped and without a title line. The cleaning itself is `briefing.text`'s job;
this module only decides the encoding and the title.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime

from briefing.models import ParsedArticle
from briefing.parse.dates import resolve_published
from briefing.parse.detect import ParseError
from briefing.text import clean_report

log = logging.getLogger(__name__)

TITLE_CHARS = 120

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:\-]+)", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"'”’»)\]]*\s+(?=[A-Z0-9\"'“‘«(])")
_HEADLINE_END = re.compile(r"[.,;]$")


def charset_of(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, if any."""
    match = _CHARSET.search(content_type or "")
    return match.group(1) if match else None


def decode_text(body: bytes, content_type: str | None = None) -> str:
    """Decode a text document, trusting a byte order mark, then UTF-8, then the declared
    charset, then Windows-1252 (what "latin-1" text from Windows really is), then Latin-1.

    Valid UTF-8 is tried before the declared charset because mislabelled UTF-8 is far more
    common than text in another encoding that happens to be valid UTF-8.
    """
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    candidates = ["utf-8", charset_of(content_type), "cp1252"]
    for codec in candidates:
        if not codec:
            continue
        try:
            return body.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("latin-1")


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:–—-") + "…"


def title_from_text(text: str, limit: int = TITLE_CHARS) -> str:
    """A title for text that has none: its first sentence, cut at a word near `limit`."""
    first_paragraph = text.strip().split("\n\n", 1)[0]
    first_line = " ".join(first_paragraph.split())
    sentence = _SENTENCE_BREAK.split(first_line, maxsplit=1)[0]
    return _shorten(sentence, limit)


def _looks_like_headline(paragraph: str) -> bool:
    """A short single line that does not end like a sentence: the author's own title."""
    return (
        "\n" not in paragraph
        and len(paragraph) <= TITLE_CHARS
        and len(paragraph.split()) >= 2
        and not _HEADLINE_END.search(paragraph)
        and not _SENTENCE_BREAK.search(paragraph)
        and not paragraph.lower().startswith(("http://", "https://", "www."))
    )


def parse_report(
    body: bytes,
    *,
    url: str | None = None,
    content_type: str | None = None,
    published: datetime | None = None,
    source_name: str | None = None,
) -> ParsedArticle:
    """One article from a plain-text report; `ParseError` if no text is left after cleaning."""
    cleaned = clean_report(decode_text(body, content_type)).strip()
    if not cleaned:
        raise ParseError("not a feed, page or report: no text is left after cleaning")
    first, _, rest = cleaned.partition("\n\n")
    if rest.strip() and _looks_like_headline(first):
        title, text = first, rest.strip()
    else:
        title, text = title_from_text(cleaned), cleaned
    moment, moment_from = resolve_published(
        None, "report", option=published, option_overrides=True, url=url, text=cleaned
    )
    return ParsedArticle(
        title=title,
        text=text,
        url=url,
        published=moment,
        published_from=moment_from,
        source_name=source_name,
        kind="text",
    )
