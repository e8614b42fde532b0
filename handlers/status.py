"""`status PLACE`: the latest known situation at a place, every line cited to its source."""

from __future__ import annotations

import asyncio
import re
from datetime import date
from typing import Any

from rapidfuzz import fuzz, process

from briefing.places import name_key
from briefing.situation import Situation, claim_day, nearest_in_news, situation
from handlers.base import Citation, Command, Field, Reply, UserError
from handlers.registry import Spec
from handlers.services import Services

USAGE = "status PLACE"
_MAX_LINES = 8
_SENSIBLE = re.compile(r"[^\W\d_]", re.UNICODE)

KIND_LABELS = {
    "admin1": "province",
    "site": "site",
    "city": "city",
    "district": "district",
    "country": "country",
}

KIND_WORDS = {
    "captured": "captured by {c}",
    "holds": "held by {c}",
    "retaken": "retaken by {c}",
    "contested": "contested",
    "besieged": "besieged",
    "denied": "capture denied by {c}",
}


def human_day(iso: str | None) -> str:
    if not iso:
        return "date unknown"
    try:
        return date.fromisoformat(iso[:10]).strftime("%-d %b %Y")
    except ValueError:
        return iso


def _cite(row: dict[str, Any]) -> str:
    source = row.get("article_source") or row.get("article_title") or "unknown source"
    label = f"{source}, {human_day(row.get('article_published') or row.get('article_fetched'))}"
    url = row.get("article_url")
    return f"[{label}]({url})" if url else label


def _scope_words(scope: str) -> str:
    """ "rest of province" -> "the rest of the province"."""
    head, sep, tail = scope.partition(" of ")
    return f"the {head} of the {tail}" if sep and not tail.startswith("the ") else f"the {scope}"


def _claim_phrase(row: dict[str, Any]) -> str:
    phrase = KIND_WORDS.get(row["kind"], row["kind"]).format(c=row.get("controller") or "unknown")
    if row.get("scope"):
        phrase += f" ({row['scope']})"
    if row.get("attributed_to"):
        phrase += f", says {row['attributed_to']}"
    return phrase


def _quote(text: str, limit: int = 220) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + " …"
    return f"“{text}”"


def _headline(sit: Situation) -> str:
    name = sit.place.name
    if sit.disputed:
        before = (
            f" Last undisputed report: held by {sit.controller}, as of {human_day(sit.as_of)}."
            if sit.controller
            else ""
        )
        return (
            f"**Disputed**: sources disagree about who holds {name} "
            f"({human_day(sit.disputed_day)}).{before}"
        )
    if sit.contested:
        before = (
            f" Last reported held by {sit.controller}, as of {human_day(sit.as_of)}."
            if sit.controller
            else ""
        )
        return f"**Contested**: fighting reported for control of {name}.{before}"
    if sit.controller:
        part = f"{_scope_words(sit.scope)} is" if sit.scope else f"{name} is"
        settled = (
            f" Sources disagreed on {human_day(sit.settled_day)}; later reports settle it."
            if sit.settled_day
            else ""
        )
        return (
            f"**Held by {sit.controller}**: {part} held by {sit.controller}, as of "
            f"{human_day(sit.as_of)}, as reported.{settled}"
        )
    return f"No report says who holds {name}."


def _casualty_line(row: dict[str, Any]) -> str:
    parts = []
    whose = row.get("whose") or "people"
    if row.get("killed") is not None:
        parts.append(f"{row['killed']} {whose} killed")
    if row.get("wounded") is not None:
        parts.append(f"{row['wounded']} wounded")
    if row.get("captured") is not None:
        parts.append(f"{row['captured']} captured")
    who = (
        f" — {row['reported_by']}, via {_cite(row)}"
        if row.get("reported_by")
        else f" — {_cite(row)}"
    )
    return f"- {human_day(claim_day(row))}: {', '.join(parts) or 'casualties reported'}{who}"


def _event_line(row: dict[str, Any]) -> str:
    what = row["kind"]
    if row.get("actor"):
        what += f" by {row['actor']}"
    if row.get("detail"):
        what += f"; {row['detail']}"
    return f"- {human_day(claim_day(row))}: {what} — {_cite(row)}"


def _place_data(place) -> dict[str, Any]:
    return {
        "id": place.id,
        "name": place.name,
        "kind": place.kind,
        "admin1": place.admin1,
        "country": place.country,
        "lat": place.lat,
        "lon": place.lon,
    }


def _source_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "source": row.get("article_source"),
        "url": row.get("article_url"),
        "title": row.get("article_title"),
        "published": row.get("article_published"),
    }


def render(sit: Situation) -> Reply:
    place = sit.place
    where = ", ".join(
        p for p in (place.admin1 if place.admin1 != place.name else None, place.country) if p
    )
    coords = f" ({place.lat:.2f}, {place.lon:.2f})" if place.lat is not None else ""
    kind = KIND_LABELS.get(place.kind, place.kind)
    lines = [f"{place.name} — {kind}{', ' + where if where else ''}{coords}", "", _headline(sit)]
    fields: list[Field] = []
    if sit.claims:
        history = [
            f"- {human_day(claim_day(c))}: {_claim_phrase(c)} — {_quote(c['quote'])} {_cite(c)}"
            for c in sit.claims[:_MAX_LINES]
        ]
        fields.append(Field("Control reports, newest first", "\n".join(history)))
    if sit.events:
        fields.append(
            Field("Recent events", "\n".join(_event_line(e) for e in sit.events[:_MAX_LINES]))
        )
    if sit.casualties:
        fields.append(
            Field(
                "Casualties reported",
                "\n".join(_casualty_line(c) for c in sit.casualties[:_MAX_LINES]),
            )
        )
    around = [
        f"- {c['place_name']}: {_claim_phrase(c)} — {_quote(c['quote'], 160)} {_cite(c)}"
        for c in sit.around[:4]
    ]
    around += [
        f"- {w['name']}: "
        + (
            f"held by {w['controller']}"
            if w["controller"] and not w["disputed"]
            else "disputed"
            if w["disputed"]
            else "contested"
        )
        + f" — {_cite(w['claim'])}"
        for w in sit.within[:6]
    ]
    if around:
        fields.append(Field("Around it", "\n".join(around)))
    if sit.related:
        fields.append(Field("Mentioned with", ", ".join(r["other_name"] for r in sit.related[:10])))
    cited: dict[str, dict[str, Any]] = {}
    for row in [*sit.claims, *sit.events, *sit.casualties, *sit.around]:
        key = row.get("article_url") or f"{row.get('article_source')}|{row.get('article_title')}"
        cited.setdefault(key, _source_row(row))
    for article in sit.articles:
        key = article.get("url") or f"{article.get('source_name')}|{article.get('title')}"
        cited.setdefault(
            key,
            {
                "source": article.get("source_name"),
                "url": article.get("url"),
                "title": article.get("title"),
                "published": article.get("published"),
            },
        )
    citations = [
        Citation(
            s["title"] or s["source"] or "source",
            s["url"],
            s["source"],
            (s["published"] or "")[:10] or None,
        )
        for s in cited.values()
    ]
    claim_rows = [
        {
            "controller": c["controller"],
            "kind": c["kind"],
            "date": claim_day(c),
            "scope": c.get("scope"),
            "attributed_to": c.get("attributed_to"),
            "source": c.get("article_source"),
            "url": c.get("article_url"),
            "quote": c["quote"],
        }
        for c in sit.claims
    ]
    data = {
        "place": _place_data(place),
        "controller": sit.controller,
        "as_of": sit.as_of,
        "disputed": sit.disputed,
        "settled_dispute": sit.settled_day,
        "contested": sit.contested,
        "scope": sit.scope,
        "claims": claim_rows,
        "events": [
            {
                "kind": e["kind"],
                "date": claim_day(e),
                "detail": e.get("detail"),
                "actor": e.get("actor"),
                "source": e.get("article_source"),
                "url": e.get("article_url"),
                "quote": e["quote"],
            }
            for e in sit.events
        ],
        "casualties": [
            {
                "killed": c.get("killed"),
                "wounded": c.get("wounded"),
                "captured": c.get("captured"),
                "whose": c.get("whose"),
                "reported_by": c.get("reported_by"),
                "date": claim_day(c),
                "source": c.get("article_source"),
                "url": c.get("article_url"),
                "quote": c["quote"],
            }
            for c in sit.casualties
        ],
        "around": [
            {
                "place": c["place_name"],
                "controller": c["controller"],
                "kind": c["kind"],
                "scope": c.get("scope"),
                "date": claim_day(c),
                "source": c.get("article_source"),
                "url": c.get("article_url"),
                "quote": c["quote"],
            }
            for c in sit.around
        ],
        "related": [{"id": r["other_id"], "name": r["other_name"]} for r in sit.related],
        "sources": list(cited.values()),
    }
    return Reply(
        title=f"Status: {place.name}",
        text="\n".join(lines),
        fields=fields,
        citations=citations,
        data=data,
    )


def _namesake(place, near: list) -> tuple | None:
    """A place in the news that is the asked one under another kind: the town of Spin Boldak
    and its border crossing, the city of Kunduz and its province."""
    key = name_key(place.name)
    for other, km in near:
        other_key = name_key(other.name)
        if km <= 30 and (other_key.startswith(key) or key.startswith(other_key)):
            return other, km
    return None


def _empty_data(**extra: Any) -> dict[str, Any]:
    data = {
        "place": None,
        "controller": None,
        "as_of": None,
        "disputed": False,
        "claims": [],
        "events": [],
        "casualties": [],
        "sources": [],
    }
    data.update(extra)
    return data


def _suggest(services: Services, name: str, gazetteer_suggestions: list[str]) -> list[str]:
    in_news = [n for _, n, _ in services.db.situation.places_in_news("", limit=500)]
    close = [
        m[0] for m in process.extract(name, in_news, scorer=fuzz.WRatio, limit=3, score_cutoff=70)
    ]
    return list(dict.fromkeys([*close, *gazetteer_suggestions]))[:5]


async def handle(command: Command, services: Services) -> Reply:
    name = command.text.strip().strip("\"'“”")
    if not name or not _SENSIBLE.search(name) or len(name) > 120:
        raise UserError(f"Which place? Usage: `{USAGE}` (for example `status Qala-e-Naw`).")
    if services.gazetteer is None:
        raise UserError("The gazetteer is not loaded, so places cannot be looked up.")
    found = await asyncio.to_thread(services.gazetteer.resolve, name)
    if found.place is None:
        suggestions = await asyncio.to_thread(_suggest, services, name, list(found.suggestions))
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        reply = Reply.failure(f"No place called `{name}` is known.{hint}", ephemeral=False)
        reply.data = _empty_data(suggestions=suggestions)
        return reply
    sit = await asyncio.to_thread(situation, services.db, services.gazetteer, found.place)
    if not sit.has_reports:
        near = await asyncio.to_thread(
            nearest_in_news, services.db, services.gazetteer, found.place
        )
        namesake = _namesake(found.place, near)
        if namesake is not None:
            other, km = namesake
            sit = await asyncio.to_thread(situation, services.db, services.gazetteer, other)
            reply = render(sit)
            asked_kind = KIND_LABELS.get(found.place.kind, found.place.kind)
            other_kind = KIND_LABELS.get(other.kind, other.kind)
            reply.text = (
                f"No report names {found.place.name} ({asked_kind}) itself; "
                f"this is {other.name} ({other_kind}, {km:.0f} km away).\n\n" + reply.text
            )
            reply.data["asked"] = _place_data(found.place)
            return reply
        near_text = "; ".join(f"{p.name} ({km:.0f} km)" for p, km in near)
        where = ", ".join(p for p in (found.place.admin1, found.place.country) if p)
        text = f"No reports about {found.place.name} ({where}) yet."
        if near_text:
            text += f" Nearest places in the news: {near_text}."
        return Reply(
            title=f"Status: {found.place.name}",
            text=text,
            data=_empty_data(
                place=_place_data(found.place),
                nearest=[{"name": p.name, "km": round(km)} for p, km in near],
            ),
        )
    return render(sit)


SPECS = [
    Spec(
        name="status",
        summary="The latest known situation at a place: who holds it, events, casualties, cited.",
        usage=USAGE,
        handler=handle,
        details="Spellings are forgiving (Qala-e-Naw, Qala i Naw, Qal'eh-ye Now). When sources "
        "contradict each other both are shown and the status is marked disputed until a later "
        "report settles it.",
    )
]
