"""Who is fighting and who is speaking: canonical actor names and attributions.

Outlets name the same side a dozen ways ("Afghan forces", "the ANDSF", "the army", "the
Defense Ministry"), and a `/status` answer must count them as one side, so every phrase maps
to one canonical name. Anaphors ("the group", "the insurgents") name nobody by themselves;
they resolve to the armed group last named in the article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from briefing.claims.cues import TEXT_CUES

GOVERNMENT = "government forces"

# Which side a country's armed forces are, for "Afghan troops" or "Russia's army".
_DEMONYMS = {
    "afghan": GOVERNMENT, "syrian": GOVERNMENT, "iraqi": GOVERNMENT, "yemeni": GOVERNMENT,
    "somali": GOVERNMENT, "malian": GOVERNMENT, "nigerian": GOVERNMENT,
    "ethiopian": GOVERNMENT, "burkinabe": GOVERNMENT, "russian": "Russian forces",
    "ukrainian": "Ukrainian forces", "israeli": "Israeli forces", "turkish": "Turkish forces",
    "sudanese": "SAF", "myanmar": "junta", "burmese": "junta",
}  # fmt: skip
_COUNTRY_SIDES = {
    "afghanistan": GOVERNMENT, "syria": GOVERNMENT, "iraq": GOVERNMENT, "yemen": GOVERNMENT,
    "somalia": GOVERNMENT, "russia": "Russian forces", "ukraine": "Ukrainian forces",
    "israel": "Israeli forces", "turkey": "Turkish forces", "sudan": "SAF", "myanmar": "junta",
}  # fmt: skip
_STATE_SIDES = {GOVERNMENT, "junta", "SAF", "coalition forces"} | set(_DEMONYMS.values())
# Wars where each side's opponent is known without reading the article.
_OPPONENTS = {
    "Russian forces": "Ukrainian forces", "Ukrainian forces": "Russian forces",
    "SAF": "RSF", "RSF": "SAF", "junta": "resistance forces", "resistance forces": "junta",
}  # fmt: skip

_UNIT = (
    r"(?:fighters|militants|forces|troops|insurgents|soldiers|rebels|militias?|militiamen"
    r"|gunmen|members|units|commanders|loyalists|jihadists|separatists)"
)
_DEM = "|".join(_DEMONYMS)
_CTRY = "|".join(_COUNTRY_SIDES)
_SIDE = rf"(?:(?:{_DEM})|(?:{_CTRY})'s)"
_ARMED = (
    r"(?:national\s+|security\s+|special\s+|government\s+|regular\s+)*"
    r"(?:forces|troops|army|armies|soldiers|military|police|commandos|servicemen|units|defenders)"
)
_GOV_CONTEXT = r"(?=-held|-controlled|-run|\s+control\b|\s+hands\b|'s?\s+(?:hands|control))"

# (pattern, canonical or None for an anaphor, flags); the longest match wins, then the first.
_PATTERNS: list[tuple[str, str | None, int]] = [
    (rf"(?:the\s+)?(?:taliban|taleban)(?:\s+{_UNIT})?", "Taliban", re.I),
    (rf"(?:the\s+)?(?:islamic\s+state(?:\s+group)?|daesh)(?:\s+{_UNIT})?", "Islamic State", re.I),
    (rf"\b(?:ISIS(?:-K)?|ISIL|ISKP|IS-K)(?:\s+{_UNIT})?|\bIS\s+{_UNIT}", "Islamic State", 0),
    (rf"(?:the\s+)?al[-\s]shabaa?b(?:\s+{_UNIT})?", "al-Shabaab", re.I),
    (rf"(?:the\s+)?(?:houthis?|ansar\s+allah)(?:\s+{_UNIT})?", "Houthis", re.I),
    (r"(?:the\s+)?hayat\s+tahrir\s+al[-\s]sham", "HTS", re.I),
    (r"(?:the\s+)?syrian\s+democratic\s+forces", "SDF", re.I),
    (r"(?:the\s+)?rapid\s+support\s+forces", "RSF", re.I),
    (r"(?:the\s+)?sudan(?:ese|'s)\s+(?:armed\s+forces|army|military)", "SAF", re.I),
    (rf"\b(?:the\s+)?(?:HTS|SDF|RSF|SAF|M23|TPLF)(?:\s+{_UNIT})?", None, 0),
    (
        r"(?:the\s+)?(?:military\s+)?junta|tatmadaw|myanmar(?:'s)?\s+(?:military|army)",
        "junta",
        re.I,
    ),
    (
        r"\bPDFs?\b|people's\s+defen[cs]e\s+forces?|resistance\s+(?:forces|fighters)",
        "resistance forces",
        re.I,
    ),
    (r"(?:the\s+)?arakan\s+army", "Arakan Army", re.I),
    (r"(?:the\s+)?wagner(?:\s+group)?(?:\s+(?:fighters|mercenaries))?", "Wagner Group", re.I),
    (rf"(?:the\s+)?(?:hamas|hezbollah|al[-\s]qaeda|boko\s+haram)(?:\s+{_UNIT})?", None, re.I),
    (
        r"(?:the\s+)?rebels?(?:\s+(?:forces|fighters|groups?))?|(?:the\s+)?rebel\s+forces",
        "rebels",
        re.I,
    ),
    (rf"(?:the\s+)?{_SIDE}\s+{_ARMED}", "", re.I),
    (r"(?:the\s+)?(?:afghan\s+)?(?:national\s+army|ANDSF|ANSF|\bANA\b)", GOVERNMENT, re.I),
    (r"(?:the\s+)?(?:israel\s+defen[cs]e\s+forces|\bIDF\b)", "Israeli forces", re.I),
    (r"(?:the\s+)?(?:armed\s+forces\s+of\s+ukraine|\bAFU\b)", "Ukrainian forces", re.I),
    (
        rf"(?:the\s+)?(?:{_SIDE}\s+)?(?:ministry\s+of\s+(?:defen[cs]e|interior)"
        r"|(?:defen[cs]e|interior)\s+ministry)",
        "",
        re.I,
    ),
    (
        r"(?:the\s+)?(?:pro-)?government\s+(?:forces|troops|soldiers|army|militias?)"
        r"|(?:the\s+)?(?:security|special|federal|regime|assad)\s+(?:forces|troops)"
        r"|\bthe\s+(?:army|military)\b",
        GOVERNMENT,
        re.I,
    ),
    (rf"(?:the\s+)?(?:afghan\s+)?government{_GOV_CONTEXT}", GOVERNMENT, re.I),
    (r"(?<=hands of )(?:the\s+)?(?:afghan\s+)?government\b", GOVERNMENT, re.I),
    (r"(?<=control of )(?:the\s+)?(?:afghan\s+)?government\b", GOVERNMENT, re.I),
    (r"(?<=held by )(?:the\s+)?(?:afghan\s+)?government\b", GOVERNMENT, re.I),
    (r"(?:the\s+)?coalition\s+(?:forces|troops)", "coalition forces", re.I),
    (r"(?:the\s+)?opposition\s+(?:forces|fighters)", "opposition forces", re.I),
    # Anaphors: resolved against the article, never by themselves.
    (
        r"\bthe\s+(?:group|insurgents|militants|fighters|attackers|jihadists|extremists|militia"
        r"|separatists)\b"
        r"|\b(?:insurgents|militants|jihadists)\b",
        None,
        re.I,
    ),
    (rf"\b(?P<name>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?)\s+{_UNIT}\b", None, 0),
    (
        r"\b(?:[Ff]orces|[Ff]ighters|[Tt]roops|[Mm]ilitias)\s+loyal\s+to\s+(?:the\s+)?"
        r"(?P<loyal>[A-Z][\w'-]*(?:\s+(?:of\s+)?[A-Z][\w'-]*){0,5})",
        None,
        0,
    ),
    # Named armed groups: "the Karen National Liberation Army", "the National Resistance Front".
    (
        r"\b(?:[Tt]he\s+)?(?P<name>(?:[A-Z][\w'-]+\s+){1,4}(?:Army|Front|Movement|Forces|Brigades?"
        r"|Alliance|Militia))\b",
        None,
        0,
    ),
]
_COMPILED = [(re.compile(pattern, flags), canonical) for pattern, canonical, flags in _PATTERNS]
_RANKED = list(enumerate(_COMPILED))  # the rank breaks ties between equally long matches
_CUES = TEXT_CUES.register(_RANKED, lambda ranked: ranked[1][0])
_ANAPHOR = re.compile(r"^(?:the\s+)?(?:group|insurgents|militants|fighters|attackers|jihadists"
                      r"|extremists|militia|separatists)$", re.I)  # fmt: skip
_NOT_NAMES = {
    "government", "security", "special", "coalition", "allied", "foreign", "enemy", "opposition",
    "federal", "regime", "rebel", "local", "armed", "air", "ground", "naval", "elite", "the",
    "these", "those", "some", "many", "several", "our", "their", "its", "his", "her", "militia",
    "islamist", "tribal", "pro-government", "hundreds", "dozens", "thousands", "both", "all",
}  # fmt: skip


@dataclass(frozen=True)
class ActorSpan:
    """An actor phrase in a sentence; `actor` is None for anaphors until resolved."""

    start: int
    end: int
    phrase: str
    actor: str | None
    anaphoric: bool = False


def find_actors(text: str) -> list[ActorSpan]:
    """Actor phrases in `text`, non-overlapping, longest first where they compete."""
    candidates: list[tuple[int, int, int, str | None, bool]] = []
    for rank, (pattern, canonical) in _CUES.select(text):
        for match in pattern.finditer(text):
            resolved = _canonical_for(match, canonical)
            if resolved is None and not _ANAPHOR.match(match.group(0)):
                continue
            candidates.append((match.start(), match.end(), rank, resolved, resolved is None))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    chosen: list[ActorSpan] = []
    for start, end, _rank, actor, anaphoric in candidates:
        if any(start < span.end and span.start < end for span in chosen):
            continue
        chosen.append(ActorSpan(start, end, text[start:end], actor, anaphoric))
    return sorted(chosen, key=lambda span: span.start)


def _canonical_for(match: re.Match, canonical: str | None) -> str | None:
    text = re.sub(r"\s+", " ", match.group(0))
    if canonical:
        return canonical
    if canonical == "":  # a country's forces or ministries: the demonym decides the side
        side = re.search(rf"\b(?:{_DEM})\b|\b(?:{_CTRY})(?='s)", text, re.I)
        if side is None:
            return GOVERNMENT
        name = side.group(0).lower()
        return _DEMONYMS.get(name) or _COUNTRY_SIDES[name]
    if match.groupdict().get("loyal"):  # "forces loyal to the Government of National Accord"
        return match["loyal"]
    if "name" in match.groupdict() and match["name"]:
        name = match["name"]
        if name.endswith("-led"):  # "HTS-led rebels" fight under HTS
            return canonical_actor(name[: -len("-led")]) or name[: -len("-led")]
        if name.endswith("-backed"):  # "US-backed forces" are not the US
            return re.sub(r"^the\s+", "", text, flags=re.I)
        if name.split()[0].lower() in _NOT_NAMES or name.lower() in _DEMONYMS:
            return None
        if name.endswith("ern"):  # "Southern separatists": the adjective alone names no one
            return re.sub(r"^the\s+", "", text, flags=re.I)
        return name
    named = re.sub(rf"^(?:the\s+)|\s+{_UNIT}$", "", text, flags=re.I)
    if _ANAPHOR.match(text) or named.lower() in ("insurgents", "militants", "jihadists"):
        return None
    return {"al qaeda": "al-Qaeda", "al-qaeda": "al-Qaeda", "boko haram": "Boko Haram"}.get(
        named.lower(), named if named.isupper() else named.title()
    )


def canonical_actor(phrase: str, antecedent: str | None = None) -> str | None:
    """The canonical actor a phrase names, or `antecedent` when the phrase is an anaphor.

    A phrase that merely starts with an actor ("Taliban spokesman Zabihullah Mujahid") names
    that actor's side.
    """
    phrase = phrase.strip()
    spans = find_actors(phrase)
    if not spans or spans[0].start != 0:
        return None
    return antecedent if spans[0].anaphoric else spans[0].actor


def actor_for_country(name: str) -> str | None:
    """The side a country stands for when it is the subject ("Russia captured ...")."""
    return _COUNTRY_SIDES.get(name.lower())


def is_state_side(actor: str | None) -> bool:
    """True for armies of a state; insurgents and militias are the other kind."""
    return actor in _STATE_SIDES


def opponent(actor: str | None, seen: Sequence[str] = ()) -> str | None:
    """The side fighting `actor`: a known pairing, else the article's most recent other side.

    `seen` lists the article's actors, most recent last. An insurgent's default opponent is
    the government; a state's is unknown unless the article names one.
    """
    if actor is None:
        return None
    if actor in _OPPONENTS:
        return _OPPONENTS[actor]
    for other in reversed(seen):
        if other != actor and is_state_side(other) != is_state_side(actor):
            return other
    return None if is_state_side(actor) else GOVERNMENT
