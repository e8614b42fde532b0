"""The situation at a place: who holds it, since when, who disagrees, what happened there.

Everything here is read from claims stored at ingest, so answering is a few indexed
look-ups. The rules, in order:

- A claim's day is its event date, else the day its article was published (or received).
- The newest day with a control claim decides. If the claims of that day name different
  controllers (the Taliban say they took the town, the ministry says the attack was
  repelled), the status is *disputed*, until a claim on a later day settles it.
- `controller` is the controller of the newest undisputed day; `contested` and `besieged`
  claims describe fighting, not a new controller.
- Claims about part of a place ("the rest of the province") are shown as such, never as
  the controller of the whole place while claims about the whole exist.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from briefing.models import Place
from storage.database import Database

HOLDING = {"captured", "holds", "retaken"}
FIGHTING = {"contested", "besieged"}


def claim_day(row: dict[str, Any]) -> str | None:
    day = (
        row.get("event_date")
        or (row.get("article_published") or "")[:10]
        or (row.get("article_fetched") or "")[:10]
    )
    return day or None


@dataclass
class Situation:
    place: Place
    controller: str | None = None
    as_of: str | None = None
    scope: str | None = None
    disputed: bool = False
    disputed_day: str | None = None
    settled_day: str | None = None  # an older day when sources disagreed, settled since
    contested: bool = False
    claims: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    casualties: list[dict[str, Any]] = field(default_factory=list)
    around: list[dict[str, Any]] = field(default_factory=list)  # claims about the province etc.
    within: list[dict[str, Any]] = field(default_factory=list)  # places inside it in the news
    related: list[dict[str, Any]] = field(default_factory=list)
    articles: list[dict[str, Any]] = field(default_factory=list)

    @property
    def has_reports(self) -> bool:
        return bool(self.claims or self.events or self.casualties or self.articles)


def assess(claims: list[dict[str, Any]]) -> dict[str, Any]:
    """Controller, as-of day, dispute and fighting state from a place's control claims."""
    whole = [c for c in claims if not c.get("scope")]
    ruling = whole or claims
    scope = None if whole else (claims[0].get("scope") if claims else None)
    by_day: dict[str, list[dict[str, Any]]] = {}
    for claim in ruling:
        by_day.setdefault(claim_day(claim) or "", []).append(claim)
    result: dict[str, Any] = {
        "controller": None,
        "as_of": None,
        "disputed": False,
        "disputed_day": None,
        "contested": False,
        "scope": scope,
        "settled_day": None,
    }
    for day in sorted(by_day, reverse=True):
        todays = by_day[day]
        holders = {c["controller"] for c in todays if c["kind"] in HOLDING and c["controller"]}
        denials = [c for c in todays if c["kind"] == "denied"]
        fighting = [c for c in todays if c["kind"] in FIGHTING]
        if len(holders) > 1 or (denials and any(c["kind"] == "captured" for c in todays)):
            if result["controller"] is None and not result["disputed"]:
                result["disputed"], result["disputed_day"] = True, day or None
            continue
        if result["controller"] is None and not holders and fighting:
            if not result["disputed"]:
                result["contested"] = True
            continue
        if holders:
            # After a dispute or fighting, this older undisputed day says who held it before.
            result["controller"], result["as_of"] = holders.pop(), day or None
            break
    if result["controller"] and not result["disputed"]:
        result["settled_day"] = _last_disputed_day(by_day, before=result["as_of"] or "")
    return result


def _last_disputed_day(by_day: dict[str, list[dict[str, Any]]], *, before: str) -> str | None:
    """The newest day, older than `before`, on which sources disagreed (since settled)."""
    for day in sorted((d for d in by_day if d and d < before), reverse=True):
        holders = {c["controller"] for c in by_day[day] if c["kind"] in HOLDING and c["controller"]}
        if len(holders) > 1:
            return day
    return None


def _distance_km(a: Place, b: Place) -> float:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return math.inf
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, h)))


def situation(db: Database, gazetteer: Any, place: Place) -> Situation:
    """Everything stored about a place, with its province's claims and places inside it."""
    store = db.situation
    result = Situation(place=place)
    result.claims = store.claims_for(place.id)
    result.events = store.events_for(place.id)
    result.casualties = store.casualties_for(place.id)
    result.articles = store.articles_for(place.id)
    state = assess(result.claims)
    for key, value in state.items():
        setattr(result, key, value)
    result.related = store.related_for([place.id])
    if place.kind != "admin1" and place.admin1 and gazetteer is not None:
        province = gazetteer.resolve(f"{place.admin1} province", country=place.country_code)
        if province.place is not None and province.place.id != place.id:
            for claim in store.claims_for(province.place.id, limit=10):
                result.around.append({**claim, "place_name": province.place.name})
    if place.kind in ("admin1", "country"):
        for other in result.related:
            other_claims = store.claims_for(other["other_id"], limit=20)
            if not other_claims:
                continue
            inner = assess(other_claims)
            if inner["controller"] or inner["disputed"] or inner["contested"]:
                result.within.append(
                    {"name": other["other_name"], **inner, "claim": other_claims[0]}
                )
    return result


def nearest_in_news(
    db: Database, gazetteer: Any, place: Place, limit: int = 5
) -> list[tuple[Place, float]]:
    """Places in the news closest to `place`, for an answer about a quiet place."""
    found = []
    for place_id, _name, _n in db.situation.places_in_news("", limit=300):
        other = gazetteer.get(place_id)
        if other is None or other.id == place.id or other.kind == "country":
            continue
        found.append((other, _distance_km(place, other)))
    found.sort(key=lambda pair: pair[1])
    return [pair for pair in found[:limit] if pair[1] < 1500]
