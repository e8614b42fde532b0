"""Reading an article in order: what "the province", "the group" and "the fighters" mean.

News prose leans on what came before: "the province", "the group", "two days later" and a
bare "The fighters freed 600 prisoners" only mean something next to the sentences before
them. `Discourse` walks an article sentence by sentence, remembers the places, armed groups
and dates it has seen, and turns each sentence into a `SentenceView` for the extractors.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from briefing.claims.actors import GOVERNMENT, find_actors, is_state_side
from briefing.claims.cues import TEXT_CUES
from briefing.claims.dates import find_dates
from briefing.claims.sources import find_attributions
from briefing.claims.view import SentenceView, Slot, fold, same_name
from briefing.models import Mention, Place

# Where "the army" or "government forces" has a name of its own in the reporting.
_GOVERNMENT_NAMES = {"SD": "SAF", "MM": "junta"}
# "the capital city - X" and "the city of X" are X; "the capital of X" is not.
_PREFIX = re.compile(
    r"(?:(?:capital city|provincial capital|regional capital|capital)(?: -|,)?"
    r"|(?:city|town|district|province|village|port city|border town)(?: of| -|,)?) $"
)
_KIND_NOUN = r"(?:city|province|district|town|village|region|township|oblast|governorate|state)"
_SUFFIX = re.compile(rf"^ {_KIND_NOUN}\b")
# What joins "Zendah Jan district" to "in Herat province" when the second contains the first.
_GROUP_GLUE = re.compile(rf"^(?: {_KIND_NOUN})?(?:,| in| of)? (?:the )?$")
_ANAPHOR = re.compile(
    r"\bthe (?:(?:provincial|regional|northern|southern|eastern|western|central|key|strategic"
    r"|besieged|embattled|border|frontline|coastal) )?"
    r"(?P<word>city|town|capital|district|province)\b"
    r"(?!-| of\b| cent(?:er|re) of\b)",
    re.I,
)
_CONTINUES = re.compile(
    r"\b(?:the|these|those) (?:fighters|group|insurgents|militants|attackers|talks|negotiations"
    r"|meeting|clashes|fighting|attack|assault|offensive|operation|prison|city|town|district"
    r"|province|capital)\b|\balso\b",
    re.I,
)
_CUES = TEXT_CUES.register([_ANAPHOR, _CONTINUES])
_TOPIC_SHIFT = re.compile(r"^(?:Elsewhere|Meanwhile|Separately|In other news|On another front)\b")


class Discourse:
    """Walks one article in order, remembering what each sentence named."""

    def __init__(self, anchor: date | None, mentions: list[Mention]) -> None:
        self.anchor = anchor
        self.admin1 = {
            (m.place.country_code, m.place.name): m.place
            for m in mentions
            if m.place.kind == "admin1"
        }
        countries = Counter(m.place.country_code for m in mentions).most_common(1)
        self.government = _GOVERNMENT_NAMES.get(countries[0][0] if countries else "", GOVERNMENT)
        self.history: list[Place] = []
        self.actors: list[str] = []
        self.focus: Place | None = None
        self.topic_date: date | None = None
        self.reference: date | None = None
        self.paragraph: int | None = None

    def read(self, index: int, quote: str, mentions: list[Mention], paragraph: int) -> SentenceView:
        """Tokenise one sentence; `mentions` carry offsets into `quote`."""
        text = fold(quote)
        possible = _CUES.select(text)
        continues = (
            self.paragraph == paragraph
            or (_CONTINUES in possible and bool(_CONTINUES.search(text)))
        ) and not _TOPIC_SHIFT.match(text)
        slots = self._slots(text, mentions, _ANAPHOR in possible)
        template, tmap = _template(text, slots)
        prior = list(self.actors)
        for slot in slots:
            if slot.kind == "place":
                if slot.anaphor:
                    slot.place = self._resolve(slot.anaphor)
                if slot.place:
                    self.history.extend((slot.place, *slot.members))
            elif slot.kind == "actor":
                if slot.actor == GOVERNMENT:
                    slot.actor = self.government
                if slot.actor is None:
                    slot.actor = self._insurgent() or (self.actors[-1] if self.actors else None)
                if slot.actor:
                    self.actors.append(slot.actor)
        return SentenceView(
            index=index,
            quote=quote,
            text=text,
            template=template,
            tmap=tmap,
            slots=slots,
            anchor=self.anchor,
            attributions=find_attributions(text),
            continues=continues,
            topic_place=self.focus if continues else None,
            topic_date=self.topic_date if continues else None,
            prior_actors=prior,
        )

    def close(self, view: SentenceView, item_dates: list[date | None], paragraph: int) -> None:
        """Carry the sentence's place and date forward as the topic for the next one."""
        place = view.best_place()
        if place is not None:
            self.focus = place
        elif not view.continues:
            self.focus = None
        explicit = [s.day for s in view.slots if s.kind == "date" and s.day]
        dated = [d for d in item_dates if d] + explicit
        if dated:
            self.topic_date = dated[0]
        elif not view.continues:
            self.topic_date = None
        if explicit:
            self.reference = explicit[-1]
        self.paragraph = paragraph

    def _insurgent(self) -> str | None:
        return next((a for a in reversed(self.actors) if not is_state_side(a)), None)

    def _resolve(self, word: str) -> Place | None:
        word = word.lower()
        if word in ("city", "town"):
            kinds = ("city",) if word == "city" else ("city", "district")
            return next((p for p in reversed(self.history) if p.kind in kinds), None)
        if word == "district":
            return next((p for p in reversed(self.history) if p.kind == "district"), None)
        province = self._resolve_province()
        if word == "province":
            return province
        cities = [p for p in reversed(self.history) if p.kind == "city"]
        if province is not None:
            inside = [p for p in cities if same_name(p.admin1, province.name)]
            cities = inside or cities
        return cities[0] if cities else None

    def _resolve_province(self) -> Place | None:
        for place in reversed(self.history):
            if place.kind == "admin1":
                return place
            if place.admin1:
                for (code, name), admin1 in self.admin1.items():
                    if code == place.country_code and same_name(name, place.admin1):
                        return admin1
        return None

    def _slots(self, text: str, mentions: list[Mention], anaphors_possible: bool) -> list[Slot]:
        places = _place_slots(text, mentions)
        actors = [
            Slot("actor", a.start, a.end, actor=a.actor, phrase=a.phrase) for a in find_actors(text)
        ]
        dates = [
            Slot("date", s, e, day=d, phrase=text[s:e])
            for (s, e), d in find_dates(text, self.anchor, reference=self.reference)
        ]
        anaphors = [
            Slot("place", m.start(), m.end(), anaphor=m["word"], phrase=m.group(0))
            for m in (_ANAPHOR.finditer(text) if anaphors_possible else ())
        ]
        # A named armed group that contains a place name ("Arakan Army") is the group.
        named = [
            a
            for a in (actors if places else ())
            if any(
                a.start <= p.start and p.end <= a.end and (a.start, a.end) != (p.start, p.end)
                for p in places
            )
        ]
        chosen: list[Slot] = []
        for group in (named, places, dates, actors, anaphors):
            for slot in sorted(group, key=_longest) if len(group) > 1 else group:
                if not any(slot.start < c.end and c.start < slot.end for c in chosen):
                    chosen.append(slot)
        return sorted(chosen, key=_start) if len(chosen) > 1 else chosen


def _longest(slot: Slot) -> int:
    return slot.start - slot.end


def _start(slot: Slot) -> int:
    return slot.start


def _place_slots(text: str, mentions: list[Mention]) -> list[Slot]:
    """Mentions as slots, "X district in Y province" merged into one slot headed by X."""
    slots: list[Slot] = []
    for mention in sorted(mentions, key=lambda m: m.start):
        last = slots[-1] if slots else None
        if (
            last
            and _GROUP_GLUE.match(text[last.end : mention.start])
            and _contains(mention.place, last.place)
        ):
            suffix = _SUFFIX.match(text[mention.end :])
            last.end = mention.end + (suffix.end() if suffix else 0)
            last.members = (*last.members, mention.place)
            continue
        start, end = mention.start, mention.end
        prefix = _PREFIX.search(text[max(0, start - 40) : start])
        if prefix:
            start -= len(prefix.group(0))
        suffix = _SUFFIX.match(text[end:])
        if suffix:
            end += suffix.end()
        slots.append(Slot("place", start, end, place=mention.place, phrase=text[start:end]))
    return slots


def _contains(outer: Place, inner: Place) -> bool:
    if outer.country_code != inner.country_code or outer.id == inner.id:
        return False
    if outer.kind == "country":
        return True
    return outer.kind == "admin1" and same_name(inner.admin1, outer.name)


def _template(text: str, slots: list[Slot]) -> tuple[str, list[int]]:
    """`text` with each slot replaced by its token, and where each template char came from."""
    parts: list[str] = []
    tmap: list[int] = []
    cursor = 0
    for number, slot in enumerate(slots):
        parts.append(text[cursor : slot.start])
        tmap.extend(range(cursor, slot.start))
        token = f"@{slot.kind[0].upper()}{number}"
        parts.append(token)
        tmap.extend([slot.start] * len(token))
        cursor = slot.end
    parts.append(text[cursor:])
    tmap.extend(range(cursor, len(text) + 1))
    return "".join(parts), tmap
