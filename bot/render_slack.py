"""Render a neutral `Reply` as Slack Block Kit, inside Slack's published limits.

Everything here is a pure function of the reply, so the exact payload Slack receives can be
asserted whole in tests. Two concerns shape the code:

- Limits. Slack rejects a message outright when one block is too long, so text is split at
  paragraph, line or word boundaries (a single word longer than a block is the only thing
  ever cut), and a message that would exceed the block or character budget is shortened with
  a visible notice rather than refused.
- Safety. Article text is untrusted. `&`, `<` and `>` are escaped *before* our own links are
  inserted, so `<!channel>`, `<@U123>` or `<#C1>` copied from an article render as text and
  ping nobody; a bare `@here`/`@channel`/`@everyone` gets a zero-width joiner so Slack's
  mention parsing cannot pick it up either.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urlsplit

from bot import chunks
from handlers.base import Citation, Field, Reply

log = logging.getLogger(__name__)

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_FIELDS_PER_SECTION = 10
MAX_FIELD_TEXT = 2000
MAX_MESSAGE_TEXT = 40_000
MAX_CONTEXT_TEXT = 2000
MAX_CITATIONS = 10
MAX_URL = 1000
FALLBACK_LIMIT = 1000

ZERO_WIDTH_JOINER = "\u200d"
TRUNCATED_NOTICE = "_…shortened to fit Slack's message limits._"

_BARE_MENTION = re.compile(r"(?<![\w@])@(channel|here|everyone)\b", re.IGNORECASE)
_MD_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s)]+)\)")
_MD_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_MD_BULLET = re.compile(r"^([ \t]*)- ", re.MULTILINE)
_SLACK_LINK = re.compile(r"<[^<>\n]*>")
_ATOMS = chunks.atoms_matching(re.compile(r"<[^<>\n]*>|&[#\w]+;"))

Block = dict[str, Any]


def escape(text: str) -> str:
    """Make untrusted text inert in mrkdwn: no entities, links or mentions survive."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BARE_MENTION.sub(lambda m: "@" + ZERO_WIDTH_JOINER + m.group(1), text)


def plain(text: str) -> str:
    """Text for `plain_text` objects, which Slack never parses for links or mentions.

    Entities are left alone there (they would show literally); only the bare mentions are
    defused, in case the text is later reused somewhere that is parsed.
    """
    return _BARE_MENTION.sub(lambda m: "@" + ZERO_WIDTH_JOINER + m.group(1), text)


def safe_url(url: str | None) -> str | None:
    """An http(s) URL made safe to sit inside `<url|label>`, or None if it cannot be."""
    if not url:
        return None
    url = url.strip()
    if len(url) > MAX_URL or urlsplit(url).scheme.lower() not in ("http", "https"):
        return None
    url = url.replace(" ", "%20").replace("|", "%7C").replace("<", "%3C").replace(">", "%3E")
    return url.replace("&", "&amp;")


def link(label: str, url: str | None) -> str:
    """A mrkdwn link with an escaped label; just the label when the URL is unusable."""
    label = escape(" ".join(label.split()))
    target = safe_url(url)
    return f"<{target}|{label}>" if target else label


def to_mrkdwn(text: str) -> str:
    """Convert the Reply's light Markdown to Slack mrkdwn, escaping everything else."""
    text = escape(text)

    def _link(match: re.Match[str]) -> str:
        # The label was escaped above; the URL too, which is what Slack expects in links.
        url = match.group(2).replace("|", "%7C")
        return f"<{url}|{match.group(1)}>"

    text = _MD_LINK.sub(_link, text)
    text = _MD_BOLD.sub(r"*\1*", text)
    return _MD_BULLET.sub("\\1• ", text)


def split_text(text: str, limit: int) -> list[str]:
    """Split mrkdwn into pieces of at most `limit` characters, never inside a `<url|label>`
    link or an `&amp;` entity."""
    return chunks.split_text(text, limit, _ATOMS)


def truncate(text: str, limit: int) -> str:
    """Shorten mrkdwn to `limit` characters at a boundary, marking the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    return split_text(text, limit - 1)[0] + "…"


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _field_text(item: Field) -> str:
    name = escape(" ".join(item.name.split()))
    value = to_mrkdwn(item.value).strip()
    if name and value:
        return f"*{name}*\n{value}"
    return f"*{name}*" if name else value


def _field_blocks(fields: list[Field]) -> list[Block]:
    """Inline fields become two-column section fields; others get sections of their own."""
    blocks: list[Block] = []
    row: list[dict[str, str]] = []

    def flush() -> None:
        if row:
            blocks.append({"type": "section", "fields": list(row)})
            row.clear()

    for item in fields:
        text = _field_text(item)
        if not text:
            continue
        if item.inline:
            row.append({"type": "mrkdwn", "text": truncate(text, MAX_FIELD_TEXT)})
            if len(row) == MAX_FIELDS_PER_SECTION:
                flush()
        else:
            flush()
            blocks.extend(_section(piece) for piece in split_text(text, MAX_SECTION_TEXT))
    flush()
    return blocks


def _citation_block(citations: list[Citation]) -> Block | None:
    """All sources in one context block, packed into as few elements as fit."""
    if not citations:
        return None
    items = [link(c.label(), c.url) for c in citations[:MAX_CITATIONS]]
    if len(citations) > MAX_CITATIONS:
        items.append(f"and {len(citations) - MAX_CITATIONS} more")
    elements: list[dict[str, str]] = []
    current = "Sources: " + items[0]
    for item in items[1:]:
        if len(current) + 3 + len(item) > MAX_CONTEXT_TEXT:
            elements.append({"type": "mrkdwn", "text": current})
            current = item
        else:
            current += " · " + item
    elements.append({"type": "mrkdwn", "text": current})
    return {"type": "context", "elements": elements}


def _text_length(block: Block) -> int:
    """Characters of visible text in a block, for the whole-message budget."""
    total = len(block.get("text", {}).get("text", ""))
    total += sum(len(f["text"]) for f in block.get("fields", []))
    total += sum(len(e.get("text", "")) for e in block.get("elements", []))
    return total


def _fit(body: list[Block], room_blocks: int, room_text: int) -> list[Block]:
    """Keep as much of the body as fits; say so when something had to go."""
    if len(body) <= room_blocks and sum(map(_text_length, body)) <= room_text:
        return body
    kept: list[Block] = []
    used = len(TRUNCATED_NOTICE)
    for block in body:
        size = _text_length(block)
        if len(kept) + 2 > room_blocks or used + size > room_text:
            break
        kept.append(block)
        used += size
    log.info("slack reply shortened from %d to %d blocks", len(body), len(kept))
    return kept + [_context(TRUNCATED_NOTICE)]


def fallback_text(reply: Reply) -> str:
    """The notification and screen-reader text: the title, or else the start of the body."""
    source = reply.title if reply.title else reply.text
    text = truncate(" ".join(to_mrkdwn(source).split()), FALLBACK_LIMIT)
    return text or "Sitrep"


def render_blocks(reply: Reply) -> tuple[str, list[Block]]:
    """Return `(fallback text, blocks)` for `chat.postMessage` or a `response_url`."""
    fallback = fallback_text(reply)
    head: list[Block] = []
    if reply.title and reply.title.strip():
        title = " ".join(plain(reply.title).split())
        if len(title) > MAX_HEADER_TEXT:
            title = split_text(title, MAX_HEADER_TEXT - 1)[0] + "…"
        head.append(
            {"type": "header", "text": {"type": "plain_text", "text": title, "emoji": True}}
        )

    body = [_section(piece) for piece in split_text(to_mrkdwn(reply.text), MAX_SECTION_TEXT)]
    body.extend(_field_blocks(reply.fields))

    tail: list[Block] = []
    image = safe_url(reply.image_url)
    if image:
        alt = (reply.title or "image")[:200]
        url = (reply.image_url or "").strip()
        tail.append({"type": "image", "image_url": url, "alt_text": alt})
    citations = _citation_block(reply.citations)
    if citations:
        tail.append(citations)

    used = len(fallback) + sum(_text_length(b) for b in head + tail)
    body = _fit(body, MAX_BLOCKS - len(head) - len(tail), MAX_MESSAGE_TEXT - used)
    blocks = head + body + tail
    if not blocks:
        blocks = [_section(fallback)]
    return fallback, blocks
