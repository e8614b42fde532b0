"""What happened where: storming, prison breaks, clashes, airstrikes, talks, ….

An event is the raw material of a `/status` timeline. Unlike a control claim it changes
nobody's hold on a place ("The fighters stormed key government buildings" is not a capture),
so the bar is lower, but a generic "clashes throughout the country" pins nothing to a place
and is left out.
"""

from __future__ import annotations

import re

from briefing.claims.actors import canonical_actor
from briefing.claims.casualties import NUMBER, QUALIFIER
from briefing.claims.cues import TEXT_CUES
from briefing.claims.view import SentenceView
from briefing.models import Event

# (kind, trigger, whether an armed actor must be named for the trigger to count)
_TRIGGERS: list[tuple[str, re.Pattern, bool]] = [
    (kind, re.compile(pattern, re.I), needs_actor)
    for kind, pattern, needs_actor in [
        ("stormed", r"\bstorm(?:ed|ing)\b|\b(?:broke|burst|forced (?:their|its) way) into\b", True),
        (
            "prison break",
            r"\b(?:freed|freeing|broke out|escaped)\b[^.;]{0,40}?\b(?:prisoners"
            r"|inmates|detainees)\b|\b(?:prison|jail) ?break\b|\b(?:stormed|attacked"
            r"|broke into) (?:the |a )?(?:\w+ ){0,3}(?:prison|jail)\b",
            False,
        ),
        (
            "airstrike",
            r"\bair ?strikes?\b|\bair ?raids?\b|\bdrone (?:strikes?|attacks?)\b"
            r"|\bwarplanes?\b|\bbombing raids?\b",
            False,
        ),
        (
            "shelling",
            r"\bshell(?:ed|ing)\b|\bartillery (?:fire|strikes?|barrages?|shells?)\b"
            r"|\bmortar (?:fire|rounds?|shells?|attacks?)\b|\brocket (?:fire|attacks?)\b"
            r"|\bmissile (?:strikes?|attacks?)\b",
            False,
        ),
        (
            "explosion",
            r"\bexplosions?\b|\bblasts?\b|\bbombings?\b|\bcar bombs?\b|\bsuicide "
            r"(?:attack|bomber|bombing)s?\b|\bIEDs?\b|\bexploded\b|\bdetonated\b",
            False,
        ),
        (
            "attack",
            r"\battack(?:ed|s|ing)?\b|\bassault(?:ed)?\b|\bambush(?:ed)?\b|\boffensive\b",
            True,
        ),
        (
            "clashes",
            r"\bclash(?:es|ed)?\b|\bfirefights?\b|\bgun ?battles?\b|\bskirmish(?:es)?\b"
            r"|\bfighting\b(?! (?:corruption|poverty|fires?|crime|disease|the virus))",
            False,
        ),
        ("clashes", r"\bbattles?\b|\bcombat\b", True),
        ("evacuation", r"\bevacuat(?:ed|ion|ions|ing|e)\b", False),
        ("protest", r"\bprotest(?:s|ers|ed|ing)?\b|\bdemonstrat(?:ion|ions|ors)\b", False),
        (
            "talks",
            r"\btalks\b|\bnegotiations?\b|\bpeace (?:conference|deal|process|summit)\b"
            r"|\bmeeting between\b|\bsummit\b",
            False,
        ),
        (
            "weapons seized",
            r"\b(?:weapons|arms|ammunition|munitions|explosives)\b[^.;]{0,40}?"
            r"\b(?:captured|seized|confiscated|recovered)\b|\b(?:captured|seized"
            r"|confiscated|recovered)\b(?: \w+){0,3} (?:weapons|arms|ammunition"
            r"|munitions|explosives)\b",
            False,
        ),
    ]
]
_CUES = TEXT_CUES.register(_TRIGGERS, lambda trigger: trigger[1])
_AGENT_KINDS = {"stormed", "prison break", "airstrike", "shelling", "attack"}
_GENERIC = re.compile(
    r"\b(?:throughout|across|around) (?:much of )?the (?:country|region)\b|\bnationwide\b"
    r"|\bin (?:many|several|most) provinces\b",
    re.I,
)
_PRISONERS = re.compile(
    rf"\b(?P<q>{QUALIFIER}){NUMBER} (?P<who>prisoners|inmates|detainees)\b", re.I
)
_ONGOING = re.compile(r"\b(?:ongoing|continu\w*|still)\b", re.I)
_OBJECT_REACH = 40  # how far after "stormed" its object may start, in characters


def events(view: SentenceView) -> list[Event]:
    """The events one sentence reports, at most one of each kind."""
    found: list[Event] = []
    kinds: set[str] = set()
    has_actor = any(s.kind == "actor" and s.actor for s in view.slots)
    for kind, trigger, needs_actor in _CUES.select(view.text):
        match = trigger.search(view.text)
        if kind in kinds or match is None or (needs_actor and not has_actor):
            continue
        place = _place(view, kind, match.start(), match.end())
        if _GENERIC.search(view.text) and (place is None or place.kind == "country"):
            continue
        kinds.add(kind)
        found.append(
            Event(
                place=place,
                kind=kind,
                event_date=view.default_date(match.start(), place),
                quote=view.quote,
                detail=_detail(view.text, view.clause(match.start()), kind),
                actor=_actor(view, match.start()) if kind in _AGENT_KINDS else None,
                attributed_to=view.attribution_at(view.tpos(match.start())),
                sentence_index=view.index,
            )
        )
    return found


def _place(view: SentenceView, kind: str, start: int, end: int):
    """The object of "stormed X", else the most specific place named, else the topic."""
    if kind in ("stormed", "attack"):
        after = [s for s in view.places() if end <= s.start <= end + _OBJECT_REACH]
        if after:
            return after[0].place
    return view.best_place(near=start) or view.topic_place


def _actor(view: SentenceView, pos: int) -> str | None:
    """Whoever was named last before the trigger, or the adjective on it ("Russian shelling")."""
    adjective = re.search(r"\b([A-Z][a-z]+) $", view.text[:pos])
    side = canonical_actor(f"{adjective.group(1)} forces") if adjective else None
    if side and side != adjective.group(1):  # a known side, not any capitalised word
        return side
    before = [s.actor for s in view.slots if s.kind == "actor" and s.actor and s.start < pos]
    return before[-1] if before else None


def _detail(text: str, clause: str, kind: str) -> str | None:
    if kind == "prison break":
        count = _PRISONERS.search(text)
        if count:
            return f"{count['q']}{count['n']} {count['who'].lower()} freed"
    if kind == "clashes":
        ongoing = bool(_ONGOING.search(clause))
        outskirts = "outskirts" in clause.lower()
        if ongoing or outskirts:
            return " ".join(
                filter(
                    None, ["ongoing" if ongoing else "", "on the outskirts" if outskirts else ""]
                )
            )
    return None
