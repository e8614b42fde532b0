"""The rules that turn a sentence template into control claims, and how each is read.

Each rule is a pattern over the template (see `briefing.claims.control_patterns`) and a
handler that decides the kind and the controller: "X fell" names no winner, so its handler
looks for the armed group the article was following; "G failed to capture X" says nothing
about G holding X, so its handler credits G's opponent. Order matters: a match blocks any
later rule's match that overlaps it, so the specific rules (denials, negations) come first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from briefing.claims.actors import actor_for_country, canonical_actor, opponent
from briefing.claims.control_patterns import (
    ACT,
    ADJ,
    ADV,
    AFTER,
    AGENT,
    ATTACK,
    ATTACK_ON,
    AUX,
    BE,
    CAPTURE,
    CLAIM,
    DENY,
    EXPEL,
    FELL_TO,
    HOLDS,
    NOT_FIGURATIVE,
    OBJ,
    OBJ_OR_IT,
    PASSIVE,
    PL,
    PLACE,
    PRESENT_BE,
    PRESENT_VERB,
    REPEL,
    RETAKE,
    SCOPE,
    SIEGE_STATE,
    SUBJ,
    THE,
    WHEN,
    WHICH,
)
from briefing.claims.view import SentenceView


@dataclass
class Hit:
    """What a rule read: the kind of claim, who controls, and whether it is said of today."""

    kind: str
    controller: str | None
    present: bool = False
    negative: bool = False  # the rule reads a negation itself; do not veto it for one


Handler = Callable[[re.Match, SentenceView], "Hit | None"]


def _a(match: re.Match, view: SentenceView, *names: str) -> str | None:
    """The actor behind the first group of `names` that matched."""
    for name in names:
        if name in match.re.groupindex and match[name]:
            slot = view.slot(match[name])
            if slot.kind == "place":
                return actor_for_country(slot.place.name) if slot.place else None
            return slot.actor
    return None


def _subject(match: re.Match, view: SentenceView) -> str | None:
    """The subject: a named side, a country standing for its army, or "they" resolved."""
    if "pron" in match.re.groupindex and match["pron"]:
        actors = view.actors_before(match.start())
        return actors[-1] if actors else None
    return _a(match, view, "a", "c")


def _denied(m: re.Match, view: SentenceView) -> Hit | None:
    """ "X denied that Y fell": the controller is whoever Y was said to have fallen to."""
    claimed = _a(m, view, "a", "a2")
    if claimed is None:
        denier = canonical_actor(view.attribution_at(m.start("v")) or "")
        others = [a for a in view.actors_before(m.start()) if a != denier]
        claimed = others[-1] if others else opponent(denier)
    return Hit("denied", claimed, negative=True) if claimed else None


def _held_against(m: re.Match, view: SentenceView) -> Hit | None:
    """ "The attack on X was repelled": the defender, named or the attacker's opponent, holds."""
    attacker = _a(m, view, "b", "b2", "b3") or view.insurgent_near(m.start())
    defender = _a(m, view, "a") or opponent(attacker, view.actors_before(m.start()))
    return Hit("holds", defender, negative=True) if defender else None


def _held_out(m: re.Match, view: SentenceView) -> Hit | None:
    """ "X did not fall", "G failed to capture X": whoever G fights still holds X."""
    attacker = _a(m, view, "a") or view.insurgent_near(m.start())
    defender = opponent(attacker, view.actors_before(m.start()))
    return Hit("holds", defender, negative=True) if defender else None


def _expelled(m: re.Match, view: SentenceView) -> Hit | None:
    """ "G were pushed out of X": whoever pushed them, or their opponent, retook it."""
    expelled = _a(m, view, "b") or view.insurgent_near(m.start())
    winner = _a(m, view, "a") or opponent(expelled, view.actors_before(m.start()))
    return Hit("retaken", winner) if winner else None


def _lost(m: re.Match, view: SentenceView) -> Hit | None:
    """ "G lost X (to H)": H took it, or whoever G was fighting."""
    winner = _a(m, view, "a") or opponent(_a(m, view, "b"), view.actors_before(m.start()))
    return Hit("captured", winner) if winner else None


def _passive(m: re.Match, view: SentenceView) -> Hit | None:
    """ "X was captured (by G)", "X was retaken": without G, the side the article implies."""
    verb = m["v"].lower()
    agent = _a(m, view, "a")
    retaken = verb in ("recaptured", "retaken", "regained", "taken back", "won back",
                       "reclaimed", "liberated")  # fmt: skip
    if agent is None and retaken:
        actors = view.actors_before(m.start())
        agent = opponent(view.insurgent_near(m.start()) or (actors[-1] if actors else None), actors)
    elif agent is None:
        agent = view.insurgent_near(m.start())
    return Hit("retaken" if retaken else "captured", agent) if agent else None


def _fell(m: re.Match, view: SentenceView) -> Hit | None:
    """ "X fell (to G)": without G, only when the article names who was attacking."""
    winner = _a(m, view, "a", "a2", "a3", "a4") or view.insurgent_near(m.start())
    return Hit("captured", winner) if winner else None


def _present_state(m: re.Match) -> bool:
    """ "is in Taliban hands", "remains contested": true as of the day of publication."""
    be = m["be"]
    if be:
        return bool(PRESENT_BE.match(be))
    return bool(re.search(r"\b(?:now|still|currently)\b", m.group(0)))


def _holding(m: re.Match, view: SentenceView) -> Hit | None:
    """ "X is in the hands of G", "X is under G control", "X is held by G"."""
    holder = _a(m, view, "a", "a2", "a3", "a4", "a5", "a6")
    return Hit("holds", holder, present=_present_state(m)) if holder else None


def _siege(m: re.Match, view: SentenceView) -> Hit:
    """ "X is contested" names no holder; "X is besieged by G" names the besieger."""
    state = m["state"].lower()
    if state.startswith(("contested", "disputed", "under attack", "under heavy", "under assault",
                         "under fire")):  # fmt: skip
        return Hit("contested", None, present=_present_state(m))
    return Hit("besieged", _a(m, view, "a"), present=_present_state(m))


def _active(kind: str) -> Handler:
    """A rule whose grammatical subject is the controller ("G captured X")."""

    def handle(m: re.Match, view: SentenceView) -> Hit | None:
        verb = (m["v"] or "").lower() if "v" in m.re.groupindex else ""
        subject = _subject(m, view)
        if subject is None:  # "they took the town", and nobody named: no claim
            return None
        return Hit(kind, subject, present=bool(PRESENT_VERB.match(verb)))

    return handle


def _fixed(kind: str) -> Handler:
    """A rule whose kind is in its words and whose controller, if any, is the `a` group."""

    def handle(m: re.Match, view: SentenceView) -> Hit:
        return Hit(kind, _a(m, view, "a") if kind != "contested" else None)

    return handle


def _rule(handler: Handler, *parts: str) -> tuple[re.Pattern, Handler]:
    return re.compile("".join(parts), re.I), handler


# Most specific first: a match blocks any later one that overlaps it.
RULES: list[tuple[re.Pattern, Handler]] = [
    _rule(
        _denied,
        rf"{DENY}(?: that)? {SCOPE}{PLACE}{WHICH} (?:had |has |was |have |were )?(?:been )?",
        rf"{ADV}(?:fallen|fell|captured|taken|overrun|seized|lost)",
        rf"(?: to {THE}(?P<a>{ACT})| by {THE}(?P<a2>{ACT}))?",
    ),
    _rule(
        _denied,
        rf"{DENY} (?:of|about) the (?:fall|capture|loss) of {PLACE}(?: to {THE}(?P<a>{ACT}))?",
    ),
    _rule(
        _held_out,
        rf"{SCOPE}{PLACE} (?:did not|didn't|has not|hasn't|had not|hadn't|have not|haven't|never) ",
        rf"{ADV}(?P<v>fall|fallen)(?: to {THE}(?P<a>{ACT}))?",
    ),
    _rule(
        _held_out,
        rf"(?P<a>{ACT}) {ADV}(?:failed to|could not|couldn't|were unable to|was unable to",
        rf"|did not|didn't) {ADV}(?P<v>capture|take|seize|overrun|enter|break into|breach) {OBJ}",
    ),
    _rule(
        _held_against,
        rf"(?:(?:a|an|the|their|its) )?(?:\w+ )?(?:(?P<b>{ACT})(?:'s|')? )?(?:\w+ )?{ATTACK}",
        rf"(?: by {THE}(?P<b2>{ACT}))?(?: {ATTACK_ON} {OBJ})?(?: by {THE}(?P<b3>{ACT}))?",
        rf"(?: {WHEN})?,? (?:was|were|had been|has been|have been) {ADV}(?P<v>{REPEL})",
        rf"(?: by {THE}(?P<a>{ACT}))?",
    ),
    _rule(
        _held_against,
        rf"{AGENT} {WHEN}{CLAIM}{AUX}{ADV}(?P<v>{REPEL}|beat back|drove back|defeated) ",
        rf"(?:(?:a|an|the|several|multiple|two|three) )?(?:\w+ )?(?:(?P<b>{ACT})(?:'s|')? )?",
        rf"(?:\w+ )?{ATTACK}(?: by {THE}(?P<b2>{ACT}))?(?: {ATTACK_ON} {OBJ})?",
    ),
    _rule(
        _expelled,
        rf"{AGENT} {WHEN}{AUX}{ADV}{EXPEL} {THE}(?P<b>{ACT}) (?:back )?(?:out of|from) {OBJ}",
    ),
    _rule(_expelled, rf"(?P<a>{ACT}) {WHEN}{AUX}{ADV}(?P<v>cleared) {OBJ} of {THE}(?P<b>{ACT})"),
    _rule(
        _expelled,
        rf"(?:(?P<b>{ACT}) (?:(?:were|was|have been|had been|has been|got) )?",
        r"|(?:were|was|have been|had been|has been) )",
        rf"{ADV}{EXPEL} (?:back )?(?:out of|from) {OBJ}(?: by {THE}(?P<a>{ACT}))?",
    ),
    _rule(
        _lost,
        rf"(?P<b>{ACT}) {WHEN}{AUX}{ADV}(?P<v>lost) (?:control (?:of|over) )?{OBJ}",
        rf"(?: to {THE}(?P<a>{ACT}))?",
    ),
    _rule(_active("retaken"), rf"{SUBJ} {WHEN}{AUX}{ADV}{CLAIM}{ADV}{RETAKE} {OBJ_OR_IT}"),
    _rule(
        _active("retaken"),
        rf"{SUBJ} {WHEN}{AUX}{ADV}declared {OBJ} {ADV}",
        r"(?P<v>liberated|retaken|recaptured|cleared)",
    ),
    _rule(_active("captured"), rf"{SUBJ} {WHEN}{AUX}{ADV}{CLAIM}{ADV}{CAPTURE} {OBJ_OR_IT}"),
    _rule(
        _active("retaken"),
        rf"(?P<a>{ACT}) {AFTER}(?P<v>retaking|recapturing|regaining control of) {OBJ}",
    ),
    _rule(
        _active("captured"),
        rf"(?P<a>{ACT}) {AFTER}(?P<v>capturing|seizing|taking control of|overrunning) {OBJ}",
    ),
    _rule(
        _passive,
        rf"{SCOPE}{PLACE}{WHICH} (?:was|were|has been|had been|have been|is|is now) {ADV}",
        rf"{PASSIVE}(?: {WHEN})?(?: (?:by|to) {THE}(?P<a>{ACT}))?",
    ),
    _rule(
        _fell,
        rf"(?<!in )(?<!of )(?<!at )(?<!from )(?<!near )(?<!to ){SCOPE}{PLACE}{WHICH} ",
        r"(?:(?:has|had|have|finally|eventually|reportedly|also|quickly|already|effectively) )*",
        rf"(?P<v>fell|fallen|falls|falling){NOT_FIGURATIVE}(?: {WHEN})?{FELL_TO}",
    ),
    _rule(
        _fixed("captured"),
        rf"(?P<v>fall|capture|seizure|takeover) of {THE}{ADJ}(?P<p>{PL}) ",
        rf"(?:to|by) {THE}(?P<a>{ACT})",
    ),
    _rule(_fixed("captured"), rf"(?P<a>{ACT})(?:'s|') (?P<v>capture|seizure|takeover) of {OBJ}"),
    _rule(_holding, rf"{SCOPE}{PLACE}{WHICH} (?:{BE})?{ADV}{HOLDS}"),
    _rule(_fixed("holds"), rf"(?P<a>{ACT})-(?P<v>held|controlled) {OBJ}"),
    _rule(
        _active("holds"),
        rf"{SUBJ} {AUX}{ADV}(?P<v>holds?|held|controls?|controlled",
        r"|retain(?:s|ed)?(?: control of)?|kept control of|keeps? control of",
        r"|maintain(?:s|ed)? control (?:of|over)",
        rf"|(?:is|are|was|were|remains?|remained) {ADV}in (?:full |firm )?control of) {OBJ_OR_IT}",
    ),
    _rule(_siege, rf"{SCOPE}{PLACE}{WHICH} (?:{BE})?{ADV}{SIEGE_STATE}"),
    _rule(
        _fell,
        rf"{SCOPE}{PLACE}{WHICH} (?:{BE})?{ADV}became the \w+ [^,;@]{{0,40}}?to (?P<v>fall)",
        rf"(?: to {THE}(?P<a>{ACT}))?",
    ),
    _rule(
        _fixed("contested"),
        r"(?P<v>fighting|clashes|battles?) (?:continues?|continued|is continuing|rages?|raged",
        r"|is raging|is ongoing|are ongoing|persists?) (?:in|inside|across|for) ",
        rf"(?:(?:the )?(?:\w+ )?(?:part|parts|centre|center|streets) of )?{OBJ}",
    ),
    _rule(
        _active("besieged"),
        rf"{SUBJ} {AUX}{ADV}(?P<v>besieged|besiege|encircled|encircle|surrounded|surround",
        rf"|laid siege to|lay siege to|are besieging|are encircling) {OBJ}",
    ),
    _rule(
        _fixed("contested"),
        r"(?P<v>fight|fighting|battle|battles|struggle) (?:for|over) ",
        rf"(?:(?:control|possession) (?:of|over) )?{OBJ}",
    ),
    _rule(_fixed("contested"), rf"(?P<v>contested) {ADJ}(?P<p>{PL})"),
]
