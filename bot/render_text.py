"""Replies as console text and as one JSON object (`sitrep ask --json`)."""

from __future__ import annotations

import json
import re
from typing import Any

from handlers.base import Reply

_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)")
_BOLD = re.compile(r"\*\*([^*\n]+)\*\*")


def plain(markdown: str) -> str:
    """The light Markdown of replies, readable in a terminal: links as `label <url>`."""
    text = _LINK.sub(lambda m: f"{m.group(1)} <{m.group(2)}>", markdown)
    return _BOLD.sub(r"\1", text)


def render_text(reply: Reply) -> str:
    parts: list[str] = []
    if reply.title:
        parts.append(f"{reply.title}\n{'=' * min(len(reply.title), 72)}")
    if reply.text:
        parts.append(plain(reply.text))
    for field in reply.fields:
        parts.append(f"{field.name}\n{plain(field.value)}")
    if reply.citations:
        lines = ["Sources"]
        for number, cite in enumerate(reply.citations, 1):
            where = f" — {cite.url}" if cite.url else ""
            lines.append(f"[{number}] {cite.label()}: {cite.title}{where}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts).strip()


def render_json(reply: Reply) -> dict[str, Any]:
    """One JSON object: ok, error, title, text (the rendered reply), then the reply's data."""
    payload: dict[str, Any] = {
        "ok": reply.ok,
        "error": reply.error,
        "title": reply.title,
        "text": render_text(reply),
    }
    for key, value in reply.data.items():
        payload.setdefault(key, value)
    payload["citations"] = [
        {"title": c.title, "url": c.url, "source": c.source, "published": c.published}
        for c in reply.citations
    ]
    return payload


def dumps(reply: Reply) -> str:
    return json.dumps(render_json(reply), ensure_ascii=False, indent=2, default=str)
