"""Render a neutral `Reply` as Discord embeds, within Discord's hard limits.

Discord rejects a whole message when any embed limit is exceeded, so the renderer never
relies on the API to trim: long text is split at paragraph, line or word boundaries into
several embeds, and the embeds are packed into as many messages as needed. The result is
plain dicts (`discord.Embed.from_dict` turns them into embeds), which keeps this module a
pure function that tests can compare whole.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from bot import chunks
from handlers.base import Citation, Field, Reply

log = logging.getLogger(__name__)

_ATOMS = chunks.atoms_matching(re.compile(r"\[[^\]\n]*\]\([^)\s]*\)"))

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELDS_PER_EMBED = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
MESSAGE_TOTAL_LIMIT = 6000
EMBEDS_PER_MESSAGE = 10

OK_COLOUR = 0x2F6FDE
ERROR_COLOUR = 0xD92D2D
CONTINUED = "\u200b"  # a field name must not be empty; continuation fields show nothing
ZERO_WIDTH_SPACE = "\u200b"

Embed = dict[str, Any]


def render_messages(reply: Reply) -> list[list[Embed]]:
    """Turn a reply into messages, each a list of embed dicts that Discord will accept."""
    colour = OK_COLOUR if reply.ok else ERROR_COLOUR
    chunks = split_text(neutralise(reply.text), DESCRIPTION_LIMIT) or [""]
    embeds: list[Embed] = []
    for index, chunk in enumerate(chunks):
        embed: Embed = {"type": "rich", "color": colour}
        if index == 0 and reply.title:
            embed["title"] = clip(neutralise(reply.title), TITLE_LIMIT)
        if chunk:
            embed["description"] = chunk
        embeds.append(embed)

    current = embeds[-1]
    for field in _fields(reply.fields, reply.citations):
        fields = current.setdefault("fields", [])
        if (
            len(fields) >= FIELDS_PER_EMBED
            or embed_size(current) + _field_size(field) > MESSAGE_TOTAL_LIMIT
        ):
            if not fields:
                del current["fields"]
            current = {"type": "rich", "color": colour, "fields": []}
            embeds.append(current)
        current["fields"].append(field)

    if reply.image_url:
        embeds[0]["image"] = {"url": reply.image_url}
    if not any(key in embeds[0] for key in ("title", "description", "fields", "image")):
        embeds[0]["description"] = "Done." if reply.ok else "Something went wrong."
    return pack(embeds)


def neutralise(text: str) -> str:
    """Break `@everyone`/`@here` so they cannot ping even if allowed_mentions were lost."""
    return text.replace("@everyone", f"@{ZERO_WIDTH_SPACE}everyone").replace(
        "@here", f"@{ZERO_WIDTH_SPACE}here"
    )


def split_text(text: str, limit: int) -> list[str]:
    """Split text into chunks of at most `limit` characters without cutting words or
    `[label](url)` links; only a single word longer than `limit` is cut."""
    return chunks.split_text(text, limit, _ATOMS)


def clip(text: str, limit: int) -> str:
    """Shorten a one-line label to `limit` characters at a word boundary, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = head.rfind(" ")
    if space > limit // 2:
        head = head[:space]
    return head.rstrip() + "…"


def embed_size(embed: Embed) -> int:
    """Characters Discord counts towards the 6000-per-message total."""
    size = len(embed.get("title", "")) + len(embed.get("description", ""))
    size += sum(_field_size(field) for field in embed.get("fields", []))
    size += len(embed.get("footer", {}).get("text", ""))
    size += len(embed.get("author", {}).get("name", ""))
    return size


def pack(embeds: list[Embed]) -> list[list[Embed]]:
    """Group embeds into messages: at most 10 per message and 6000 characters in total."""
    messages: list[list[Embed]] = []
    current: list[Embed] = []
    total = 0
    for embed in embeds:
        size = embed_size(embed)
        if current and (len(current) >= EMBEDS_PER_MESSAGE or total + size > MESSAGE_TOTAL_LIMIT):
            messages.append(current)
            current, total = [], 0
        current.append(embed)
        total += size
    if current:
        messages.append(current)
    return messages


def citation_line(citation: Citation) -> str:
    """`[title](url) — source, date`, with the label made safe for Markdown link syntax."""
    title = neutralise(citation.title or citation.source or "Source")
    url = citation.url or ""
    if url.startswith(("http://", "https://")):
        label = title.replace("[", "\\[").replace("]", "\\]")
        line = f"[{label}]({_safe_url(url)})"
    else:
        line = title
    extra = (
        [neutralise(citation.source)]
        if citation.source and citation.source != citation.title
        else []
    )
    if citation.published:
        extra.append(citation.published)
    return line + (f" — {', '.join(extra)}" if extra else "")


def _fields(fields: list[Field], citations: list[Citation]) -> list[Embed]:
    """Reply fields plus a "Sources" field, long values continued in further fields."""
    blocks = [(neutralise(f.name), neutralise(f.value), f.inline) for f in fields]
    if citations:
        lines = [f"{n}. {citation_line(c)}" for n, c in enumerate(citations, start=1)]
        blocks.append(("Sources", "\n".join(lines), False))
    result: list[Embed] = []
    for name, value, inline in blocks:
        parts = split_text(value, FIELD_VALUE_LIMIT) or ["-"]
        for index, part in enumerate(parts):
            title = (clip(name, FIELD_NAME_LIMIT) or CONTINUED) if index == 0 else CONTINUED
            result.append({"name": title, "value": part, "inline": inline})
    return result


def _field_size(field: Embed) -> int:
    return len(field["name"]) + len(field["value"])


def _safe_url(url: str) -> str:
    """Escape the characters that would end a Markdown link early."""
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
