"""Who controls a place, according to one sentence: captured, holds, retaken, contested, ….

A wrong "fell to the Taliban" is worse than a missing one, so a rule's match only becomes a
claim when nothing in its clause hedges it ("could fall", "a matter of time until") or
negates it, unless the rule reads the negation itself ("did not fall"). Each claim carries
the sentence as its quote, the source the sentence names, and a date only when the sentence
gives one or speaks of the present.
"""

from __future__ import annotations

import re

from briefing.claims.control_patterns import (
    ADJ,
    CHAIN,
    CLAUSE,
    MODAL,
    NEGATION,
    PL,
    THE,
)
from briefing.claims.control_rules import RULES, Hit
from briefing.claims.cues import CueTable
from briefing.claims.view import KIND_RANK, KIND_WORD, SentenceView, Slot
from briefing.models import ControlClaim


def control_claims(view: SentenceView) -> list[ControlClaim]:
    """Every control claim one sentence makes, in reading order, each quoting the sentence."""
    found: list[tuple[int, ControlClaim]] = []
    taken: list[tuple[int, int]] = []
    seen: set[tuple] = set()
    for pattern, handler in _RULE_CUES.select(view.template):
        for match in pattern.finditer(view.template):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            hit = handler(match, view)
            if hit is None or _vetoed(view.template, match, hit):
                continue
            taken.append(match.span())
            for token in _places(view, match):
                claim = _claim(view, match, hit, token)
                key = (claim.place.id, claim.kind, claim.controller, claim.scope) if claim else None
                if claim and key not in seen:
                    seen.add(key)
                    found.append((match.start(), claim))
    return [claim for _, claim in sorted(found, key=lambda pair: pair[0])]


_RULE_CUES = CueTable().register(RULES, lambda rule: rule[0])


def _verb_span(match: re.Match) -> tuple[int, int]:
    for name in ("v", "state"):
        if name in match.re.groupindex and match[name]:
            return match.span(name)
    return match.span()


def _vetoed(template: str, match: re.Match, hit: Hit) -> bool:
    """Hedged claims never count; negated ones only through the rules that read negation."""
    clause_start = 0
    for boundary in CLAUSE.finditer(template):
        if boundary.end() > match.start():
            break
        clause_start = boundary.end()
    window = template[clause_start : _verb_span(match)[1]]
    if hit.kind == "holds" and hit.negative:  # "an attempt to storm X was repulsed" is no hedge
        window = re.sub(r"\b(?:attempt\w*|tr(?:y|ied|ies|ying))\b", "", window)
    return bool(MODAL.search(window)) or (not hit.negative and bool(NEGATION.search(window)))


def _places(view: SentenceView, match: re.Match) -> list[str | None]:
    """The matched place, and places of its kind coordinated with it ("Kunduz and Taloqan").

    Only same-kind places chain, so "Wad Madani, the capital of Gezira state" stays one.
    """
    if not match["p"]:
        return [None]
    head = view.slot(match["p"]).place
    template = view.template

    def same_kind(token: str) -> bool:
        place = view.slot(token).place
        return place is not None and head is not None and place.kind == head.kind

    tokens = [match["p"]]
    cursor = match.end("p")
    while (chained := CHAIN.match(template[cursor:])) and same_kind(chained["p"] or chained["q"]):
        tokens.append(chained["p"] or chained["q"])
        cursor += chained.end()
    before = template[: match.start("p")]
    while (
        chained := re.search(rf"(?P<p>{PL}),?(?: and| as well as)? {THE}{ADJ}$", before)
    ) and same_kind(chained["p"]):
        tokens.insert(0, chained["p"])
        before = before[: chained.start()]
    return tokens


def _claim(view: SentenceView, match: re.Match, hit: Hit, token: str | None) -> ControlClaim | None:
    """The claim a rule's match makes about the place behind `token`, dated and sourced."""
    slot = view.slot(token) if token else _place_before(view, match.start())
    if slot is None or slot.place is None:
        return None
    start, end = _verb_span(match)
    when = view.date_near(start, end) or (view.anchor if hit.present else None)
    scope = None
    if "scope" in match.re.groupindex and match["scope"]:
        word = re.sub(r"^the | of$", "", match["scope"].lower())
        scope = f"{word} of {slot.anaphor or KIND_WORD.get(slot.place.kind, 'area')}"
    return ControlClaim(
        place=slot.place,
        kind=hit.kind,
        controller=hit.controller,
        event_date=when,
        quote=view.quote,
        attributed_to=view.attribution_at(start),
        scope=scope,
        sentence_index=view.index,
    )


def _place_before(view: SentenceView, tpos: int) -> Slot | None:
    """For "the attack was repelled" or "controlled it": the most specific place named before
    in the sentence (the district, not the country it borders), else the topic."""
    slots = [view.slot(t) for t in re.findall(PL, view.template[:tpos])]
    slots = [s for s in slots if s.place is not None]
    if slots:
        return min(reversed(slots), key=lambda s: KIND_RANK.get(s.place.kind, 5))
    if view.topic_place is not None:
        return Slot("place", 0, 0, place=view.topic_place)
    return None
