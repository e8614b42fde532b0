"""Casualty figures: how many killed, wounded or captured, whose, where, and who says so.

Casualty numbers are the most disputed facts in war reporting, so a figure is only kept
when it is definite ("at least 15" counts as 15, "dozens" counts as nothing) and always
travels with the source that gave it.
"""

from __future__ import annotations

import re

from briefing.claims.cues import TEXT_CUES
from briefing.claims.view import SentenceView
from briefing.models import CasualtyReport

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen"]  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}  # fmt: skip
_WORD = "|".join([*_TENS, *reversed(_UNITS)])
NUMBER = (
    rf"(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d+|a hundred|a dozen|(?:(?:{_WORD})[- ])?hundred"
    rf"|(?:{'|'.join(_TENS)})-(?:{'|'.join(_UNITS[1:10])})|{_WORD})"
)
QUALIFIER = (
    r"(?:(?:at least|more than|over|around|about|nearly|almost|some|approximately|up to"
    r"|as many as|roughly|an estimated) )?"
)
_PERSON = (
    r"(?:fighters|militants|insurgents|soldiers|troops|civilians|people|persons|policemen"
    r"|police officers|officers|members|children|women|men|rebels|commandos|guards|gunmen"
    r"|attackers|personnel|servicemen|combatants|terrorists|others|more|residents|worshippers"
    r"|students|workers|staff|villagers|pilgrims|protesters|demonstrators|passengers)"
)
_WHO = rf"(?P<who>(?:[\w'-]+ ){{0,3}}?{_PERSON})"
_AUX = r"(?:(?:were|have been|had been|was|are|been|reportedly|also|later|got) )*"
_OUTCOMES = {
    "killed": "killed", "dead": "killed", "died": "killed", "slain": "killed",
    "killing": "killed", "kill": "killed", "wounded": "wounded", "injured": "wounded",
    "hurt": "wounded", "wounding": "wounded", "injuring": "wounded", "captured": "captured",
    "capturing": "captured", "detained": "captured", "arrested": "captured",
    "taken prisoner": "captured", "taken captive": "captured", "took": "captured",
}  # fmt: skip
_PATTERNS = [
    re.compile(
        rf"\b{QUALIFIER}{NUMBER} (?:{_WHO} )?{_AUX}(?P<verb>killed|dead|died|slain|wounded|injured"
        r"|hurt|captured|taken prisoner|taken captive|detained|arrested)\b",
        re.I,
    ),
    re.compile(
        r"\b(?P<verb>killing|killed|wounding|wounded|injuring|injured|capturing|captured|detained"
        rf"|arrested) {QUALIFIER}{NUMBER} {_WHO}\b",
        re.I,
    ),
    re.compile(rf"\b(?P<verb>took) {QUALIFIER}{NUMBER} {_WHO} (?:prisoner|captive)\b", re.I),
    re.compile(
        rf"\bleft {QUALIFIER}{NUMBER} (?:people |persons )?(?P<verb>dead|wounded|injured)", re.I
    ),
    re.compile(
        r"\bdeath toll (?:\w+ ){0,4}?(?:rose|climbed|reached|stands at|stood at|of|is|was|has "
        rf"risen|hit) (?:to )?{QUALIFIER}{NUMBER}",
        re.I,
    ),
]
_CUES = TEXT_CUES.register(_PATTERNS)
_NOT_WHOSE = {"others", "more", "other", "of them"}


def parse_number(text: str) -> int | None:
    """A definite count from digits or words: "600", "1,200", "twelve", "a hundred"."""
    text = text.lower().replace(",", "").strip()
    if text.isdigit():
        return int(text)
    if text in ("a hundred", "hundred"):
        return 100
    if text == "a dozen":
        return 12
    if text.endswith("hundred"):
        head = parse_number(text[: -len("hundred")].strip(" -"))
        return head * 100 if head else None
    if "-" in text:
        tens, unit = text.split("-", 1)
        return _TENS.get(tens, 0) + (_UNITS.index(unit) if unit in _UNITS else 0) or None
    if text in _TENS:
        return _TENS[text]
    return _UNITS.index(text) if text in _UNITS else None


def casualty_reports(view: SentenceView) -> list[CasualtyReport]:
    """The casualty figures of one sentence, folded into one report."""
    counts: dict[str, int] = {}
    whose: str | None = None
    first: int | None = None
    taken: list[tuple[int, int]] = []
    for pattern in _CUES.select(view.text):
        for match in pattern.finditer(view.text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            number = parse_number(match["n"])
            outcome = _OUTCOMES.get((match.groupdict().get("verb") or "killed").lower(), "killed")
            if number is None or outcome in counts:
                continue
            taken.append(match.span())
            counts[outcome] = number
            first = match.start() if first is None else min(first, match.start())
            who = (match.groupdict().get("who") or "").strip()
            if whose is None and who and who.lower() not in _NOT_WHOSE:
                whose = re.sub(r"^(?:the|other) ", "", who)
    if not counts:
        return []
    place = view.best_place(near=first) or view.topic_place
    return [
        CasualtyReport(
            place=place,
            killed=counts.get("killed"),
            wounded=counts.get("wounded"),
            captured=counts.get("captured"),
            whose=whose,
            event_date=view.default_date(first, place),
            quote=view.quote,
            reported_by=view.attribution_at(view.tpos(first)),
            sentence_index=view.index,
        )
    ]
