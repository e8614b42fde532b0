"""Who says so: the sources a sentence quotes ("according to the Afghan Defense Ministry").

A claim is only as good as its source, and outlets quote both sides in one sentence ("the
Taliban said ...; the ministry said ..."), so each source keeps its position in the sentence
and a claim takes the source nearest to it.
"""

from __future__ import annotations

import re

from briefing.claims.cues import TEXT_CUES

_REPORTING = re.compile(
    r"\b(?:said|says|say|reported|reports|claimed|claims|claim|announced|told|confirmed"
    r"|denied|denies|deny|stated|tweeted|wrote|insisted|added)\b"
)
_ACCORDING = re.compile(r"\baccording\s+to\s+(?:the\s+)?(?P<src>[^,;.\"]+)", re.I)
_INVERTED = re.compile(
    r"[,\"] (?:said|says) (?P<name>[A-Z][\w'.-]*(?: [A-Z][\w'.-]*)*)"
    r"(?:, (?:a|an|the) (?P<role>[^,.;\"]{3,60}))?"
)
_APPOSITIVE = re.compile(
    r"(?P<name>[A-Z][\w'.-]*(?: [A-Z][\w'.-]*)*), (?:a|an|the) (?P<role>[^,.;\"]{3,60}),? $"
)
_CUES = TEXT_CUES.register([_ACCORDING, _INVERTED, _REPORTING])
_SOURCE_WORDS = {
    "spokesman", "spokesperson", "spokeswoman", "official", "officials", "sources", "source",
    "ministry", "governor", "police", "chief", "commander", "commanders", "residents",
    "witnesses", "elders", "military", "army", "authorities", "forces", "security", "local",
    "provincial", "district", "government", "defense", "defence", "interior", "foreign",
    "minister", "council", "member", "members", "head", "deputy", "of", "for", "and",
    "fighters", "troops", "staff", "general", "media", "state", "news", "agency",
}  # fmt: skip
_LEADING_NOISE = {"the", "a", "an", "of", "for", "and"}
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you"}
_CLAUSE_OPENERS = {
    "however", "meanwhile", "later", "earlier", "but", "also", "separately", "still", "yet",
    "on", "in", "at", "by", "after", "before", "when", "while", "as", "since", "that",
}  # fmt: skip
_MAX_SOURCE_WORDS = 7


def find_attributions(text: str) -> list[tuple[int, int, str]]:
    """Who a sentence quotes, with the span of the reporting phrase, in reading order.

    A claim is only as good as its source, and outlets quote both sides in one sentence
    ("the Taliban said ...; the ministry said ..."), so each source keeps its position.
    """
    found: list[tuple[int, int, str]] = []
    possible = _CUES.select(text)
    if not possible:
        return found
    if _ACCORDING in possible:
        for match in _ACCORDING.finditer(text):
            source = _trim_source(match["src"])
            if source:
                found.append((match.start(), match.end(), source))
    if _INVERTED in possible:
        for match in _INVERTED.finditer(text):
            source = _with_role(match["name"], match["role"])
            found.append((match.start(), match.end(), source))
    for match in _REPORTING.finditer(text) if _REPORTING in possible else ():
        if any(start <= match.start() < end for start, end, _ in found):
            continue
        source = _subject_before(text[: match.start()])
        if source:
            found.append((match.start(), match.end(), source))
    return sorted(found)


def _with_role(name: str, role: str | None) -> str:
    return f"{role.strip()} {name}" if role else name


def _trim_source(phrase: str) -> str | None:
    phrase = re.sub(r"^(?:a |an )?(?:statement|report|tweet) (?:from|by|issued by) (?:the )?",
                    "", phrase.strip())  # fmt: skip
    words = phrase.split()[:_MAX_SOURCE_WORDS]
    return " ".join(words) or None


def _joins_source(word: str, words: list[str]) -> bool:
    """ "in" / "of" inside a source: "officials in Badakhshan", "head of the council"."""
    return word.lower() in ("in", "of") and bool(words) and words[0][:1].isupper()


def _subject_before(prefix: str) -> str | None:
    """The noun phrase right before a reporting verb: "the Afghan Defense Ministry"."""
    appositive = _APPOSITIVE.search(prefix)
    if appositive:
        return _with_role(appositive["name"], appositive["role"])
    words: list[str] = []
    for word in reversed(prefix.split()):
        bare = word.strip("\"'")
        if word.endswith((",", ";", ":", ".")) or len(words) >= _MAX_SOURCE_WORDS:
            break
        if _joins_source(bare, words):
            words.insert(0, bare)
            continue
        if bare.lower() in _CLAUSE_OPENERS:
            break
        if not (bare[:1].isupper() or bare.lower() in _SOURCE_WORDS or bare.lower() == "the"):
            break
        words.insert(0, bare)
    while words and words[0].lower() in _LEADING_NOISE:
        words.pop(0)
    if not words or (len(words) == 1 and words[0].lower() in _PRONOUNS):
        return None
    return " ".join(words)
