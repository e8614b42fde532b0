"""OPML in and out: how feed readers exchange their lists of subscriptions.

An uploaded OPML file is untrusted XML. It is parsed with entity expansion, DTD loading and
network access all switched off, and a file that declares a DTD at all is refused (the
billion-laughs and external-entity tricks both need one; real OPML never does).
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from lxml import etree

log = logging.getLogger(__name__)

MAX_OPML_BYTES = 2 * 1024 * 1024
MAX_FEEDS = 1000


class OpmlError(ValueError):
    """The file is not OPML we can read; the message is for the person who sent it."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, remove_comments=True, remove_pis=True,
    )


def parse_opml(data: bytes) -> list[tuple[str, str]]:
    """(feed URL, title) of every outline with an http(s) `xmlUrl`, in file order, once each.

    Nested folders are flattened; the title falls back from `title` to `text` to the URL.
    """
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"That OPML file is too large (limit {MAX_OPML_BYTES // 1024} KB).")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise OpmlError(f"That is not valid XML: {exc.msg}.") from None
    doctype = root.getroottree().docinfo
    if doctype.internalDTD is not None or doctype.externalDTD is not None or doctype.doctype:
        raise OpmlError("OPML files with a DOCTYPE are not accepted.")
    if not isinstance(root.tag, str) or etree.QName(root).localname.lower() != "opml":
        raise OpmlError("That file is not OPML (its root element is not <opml>).")
    feeds: dict[str, str] = {}
    for outline in root.iter("{*}outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not url or url in feeds:
            continue
        if urlsplit(url).scheme.lower() not in ("http", "https"):
            log.info("skipping OPML outline with a non-web URL: %.80s", url)
            continue
        title = (outline.get("title") or outline.get("text") or "").strip()
        feeds[url] = " ".join(title.split()) or url
        if len(feeds) >= MAX_FEEDS:
            break
    return list(feeds.items())


def build_opml(feeds: list[tuple[str, str]], *, title: str = "Sitrep sources") -> str:
    """An OPML 2.0 document listing the feeds, ready to import into any feed reader."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    body = etree.SubElement(root, "body")
    for url, name in feeds:
        label = name or url
        etree.SubElement(body, "outline", type="rss", text=label, title=label, xmlUrl=url)
    text = etree.tostring(root, encoding="unicode", pretty_print=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text
