"""Decide whether bytes are a feed, a web page or a plain-text report by looking at them.

Servers mislabel content all the time (feeds served as text/html, reports as
application/octet-stream, files named .txt holding RSS), so the content decides and the
declared type is ignored for this choice.
"""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)

SNIFF_BYTES = 4096

_FEED_ROOTS = frozenset({"rss", "feed", "rdf", "channel"})
# Whole documents, and the fragments people save from a page.
_HTML_ROOTS = frozenset(
    {"html", "head", "body", "title", "meta", "link", "script", "style", "header", "nav", "main"}
    | {"article", "section", "div", "p", "span", "a", "table", "ul", "ol", "h1", "h2", "h3"}
)
_PROLOG_NOISE = re.compile(
    r"\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]*\[.*?\])?[^>]*>", re.DOTALL | re.IGNORECASE
)
_FIRST_TAG = re.compile(r"<([A-Za-z_][\w.\-]*)(?::([A-Za-z_][\w.\-]*))?")
_HTML_DOCTYPE = re.compile(r"<!DOCTYPE\s+html", re.IGNORECASE)
WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_ENCODING_DECLARATION = re.compile(r"""^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*["'][^"']*["']""")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class ParseError(ValueError):
    """Content that cannot become articles; the message is one line, fit to show a user."""


def sniff_text(body: bytes, limit: int = SNIFF_BYTES) -> str:
    """The start of `body` as text, good enough to look at markup (not for content)."""
    head = body[:limit]
    for bom, codec in WIDE_BOMS:
        if head.startswith(bom):
            return head.decode(codec, errors="replace").lstrip("\ufeff")
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a character cut by the sniff limit
            return head[: exc.start].decode("utf-8")
        return head.decode("latin-1")


def as_utf8(body: bytes) -> bytes:
    """UTF-16/32 markup re-encoded as UTF-8 (declaration adjusted), so byte-level checks
    and repairs see the markup and cannot corrupt a wide encoding by inserting single bytes."""
    for bom, codec in WIDE_BOMS:
        if body.startswith(bom):
            text = body.decode(codec, errors="replace").lstrip("\ufeff")
            return _ENCODING_DECLARATION.sub(r"\1", text, count=1).encode("utf-8")
    return body


def _root_tag(text: str) -> tuple[str, bool] | None:
    """The local name of the first element, lower-cased, and whether an XML prolog was seen."""
    position = 0
    saw_prolog = False
    while True:
        noise = _PROLOG_NOISE.match(text, position)
        if noise is None or noise.end() == position:
            break
        saw_prolog = saw_prolog or noise.group().startswith("<?xml")
        position = noise.end()
    tag = _FIRST_TAG.match(text, position)
    if tag is None:
        return None
    local = tag.group(2) or tag.group(1)
    return local.lower(), saw_prolog


def _looks_binary(text: str, body: bytes) -> bool:
    if b"\x00" in body[:SNIFF_BYTES] and not body.startswith(tuple(b for b, _ in WIDE_BOMS)):
        return True
    sample = text[:SNIFF_BYTES]
    return len(_CONTROL.findall(sample)) > max(2, len(sample) // 50)


def detect(body: bytes, content_type: str | None = None) -> str:
    """Return "feed", "html" or "text"; raise `ParseError` for empty or binary content.

    `content_type` is accepted for symmetry with the fetcher but does not decide anything.
    """
    if not body or not body.strip():
        raise ParseError("not a feed, page or report: the content is empty")
    text = sniff_text(body)
    if _looks_binary(text, body):
        raise ParseError("not a feed, page or report: the content looks binary")
    stripped = text.lstrip()
    if stripped.startswith("<"):
        if _HTML_DOCTYPE.match(stripped):
            return "html"
        # A long comment or DTD can push the root element past the first few KB.
        root = _root_tag(stripped) or _root_tag(sniff_text(body, 16 * SNIFF_BYTES).lstrip())
        if root is not None:
            name, saw_prolog = root
            if name in _FEED_ROOTS:
                return "feed"
            if name in _HTML_ROOTS:
                return "html"
            if saw_prolog:
                # Some other XML dialect: only the feed reader has a chance with it, and it
                # says clearly when it cannot.
                return "feed"
    log.debug("sniffed plain text (declared %s)", content_type)
    return "text"
