"""Turn what the engine found in an article into rows for the situation store.

Each row gets a stable key from what it says (place, kind, who, when, the quoted sentence),
so the same claim read twice, from a re-ingest or a re-polled feed, is stored once.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date
from typing import Any

from briefing.models import Extraction, Mention


def row_key(*parts: object) -> str:
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def extraction_rows(mentions: list[Mention], extraction: Extraction) -> dict[str, Any]:
    """Keyword arguments for `SituationStore.add`."""
    counts: Counter[int] = Counter(m.place.id for m in mentions)
    names = {m.place.id: m.place.name for m in mentions}
    claims = [
        {
            "key": row_key(
                "claim", c.place.id, c.kind, c.controller, c.event_date, c.scope, c.quote
            ),
            "place_id": c.place.id,
            "place_name": c.place.name,
            "kind": c.kind,
            "controller": c.controller,
            "event_date": _day(c.event_date),
            "attributed_to": c.attributed_to,
            "scope": c.scope,
            "quote": c.quote,
            "sentence_index": c.sentence_index,
        }
        for c in extraction.control
    ]
    casualties = [
        {
            "key": row_key(
                "casualty",
                c.place.id if c.place else None,
                c.killed,
                c.wounded,
                c.captured,
                c.whose,
                c.quote,
            ),
            "place_id": c.place.id if c.place else None,
            "place_name": c.place.name if c.place else None,
            "killed": c.killed,
            "wounded": c.wounded,
            "captured": c.captured,
            "whose": c.whose,
            "reported_by": c.reported_by,
            "event_date": _day(c.event_date),
            "quote": c.quote,
        }
        for c in extraction.casualties
    ]
    events = [
        {
            "key": row_key("event", e.place.id if e.place else None, e.kind, e.event_date, e.quote),
            "place_id": e.place.id if e.place else None,
            "place_name": e.place.name if e.place else None,
            "kind": e.kind,
            "detail": e.detail,
            "actor": e.actor,
            "attributed_to": e.attributed_to,
            "event_date": _day(e.event_date),
            "quote": e.quote,
        }
        for e in extraction.events
    ]
    related = []
    for place, other in extraction.related:
        related.append((place.id, other.id, other.name))
        related.append((other.id, place.id, place.name))
    return {
        "mentions": [(pid, names[pid], n) for pid, n in counts.items()],
        "claims": claims,
        "casualties": casualties,
        "events": events,
        "related": list(dict.fromkeys(related)),
    }
