"""One sentence as the claim extractors see it: tokenised, with its places, actors and dates.

The extractors match patterns against a template of the sentence in which every place,
actor and date is a token (`@P0`, `@A1`, `@D2`), so "Qala-e-Naw is currently in the hands of
government forces" reads "@P0 is currently in the hands of @A1". `SentenceView` also answers
the questions every extractor asks: which date, which source, which armed group is meant.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date

from briefing.claims.actors import is_state_side
from briefing.models import Place

_FOLD = str.maketrans({"’": "'", "‘": "'", "´": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
KIND_RANK = {"site": 0, "district": 1, "city": 2, "admin1": 3, "country": 4}
KIND_WORD = {
    "site": "site", "district": "district", "city": "city", "admin1": "province",
    "country": "country",
}  # fmt: skip
_SEGMENT_BREAK = re.compile(r";|, but |, while | whereas |, although ")
_CLAUSE_BREAK = re.compile(
    r"[;:]|, (?:which|who|where|and|but|while|as|with|after|before|when|saying|adding) "
)
PRESENT = re.compile(
    r"\b(?:is|are) \w+ing\b|\b(?:ongoing|still|currently|continu(?:e|es|ing)|now|recent(?:ly)?)\b",
    re.I,
)


def fold(text: str) -> str:
    """Typographic quotes and dashes as ASCII, character for character (offsets survive)."""
    return text if text.isascii() else text.translate(_FOLD)


def same_name(a: str | None, b: str | None) -> bool:
    """Gazetteer spellings differ in case, punctuation and a trailing "Province"."""

    def norm(name: str) -> str:
        return re.sub(r"[^a-z0-9]|province$", "", name.lower())

    return a is not None and b is not None and norm(a) == norm(b)


@dataclass
class Slot:
    """A place, actor or date found in a sentence; offsets are into the folded sentence."""

    kind: str  # place | actor | date
    start: int
    end: int
    place: Place | None = None
    members: tuple[Place, ...] = ()  # the "Herat" of "Zendah Jan district in Herat province"
    anaphor: str | None = None  # "province" when the slot was "the province"
    actor: str | None = None
    phrase: str = ""
    day: date | None = None


@dataclass
class SentenceView:
    """One sentence as the extractors see it, with its tokenised template."""

    index: int
    quote: str  # the sentence, whitespace collapsed: what every item quotes
    text: str  # `quote` folded to ASCII punctuation, same length
    template: str
    tmap: list[int]  # template offset -> offset in `text`
    slots: list[Slot]
    anchor: date | None
    attributions: list[tuple[int, int, str]]
    continues: bool
    topic_place: Place | None
    topic_date: date | None
    prior_actors: list[str] = field(default_factory=list)

    def slot(self, token: str | None) -> Slot | None:
        """The slot behind a template token such as "@P3"."""
        return self.slots[int(token[2:])] if token else None

    def places(self) -> list[Slot]:
        return [slot for slot in self.slots if slot.kind == "place" and slot.place]

    def best_place(self, near: int | None = None) -> Place | None:
        """The most specific place named, the one nearest `near` (a text offset) on ties."""
        places = self.places()
        if not places:
            return None
        return min(
            places,
            key=lambda s: (
                KIND_RANK.get(s.place.kind, 5),
                abs(s.start - near) if near is not None else 0,
            ),
        ).place

    def actors_before(self, tpos: int) -> list[str]:
        """Actors named before template offset `tpos`, the article's first, most recent last."""
        here = [
            s.actor
            for s in self.slots
            if s.kind == "actor" and s.actor and s.start < self.tmap[min(tpos, len(self.tmap) - 1)]
        ]
        return self.prior_actors + here

    def insurgent_before(self, tpos: int) -> str | None:
        """The armed group most recently named: who "the district fell" fell to."""
        for actor in reversed(self.actors_before(tpos)):
            if not is_state_side(actor):
                return actor
        return None

    def insurgent_near(self, tpos: int) -> str | None:
        """`insurgent_before`, else the first armed group named later in the sentence."""
        later = [
            s.actor
            for s in self.slots
            if s.kind == "actor" and s.actor and not is_state_side(s.actor)
        ]
        return self.insurgent_before(tpos) or (later[0] if later else None)

    def segment(self, tpos: int) -> tuple[int, int]:
        """Template bounds of the clause group around `tpos` (split at ";", ", but", …)."""
        start, end = 0, len(self.template)
        for match in _SEGMENT_BREAK.finditer(self.template):
            if match.end() <= tpos:
                start = match.end()
            elif match.start() >= tpos:
                end = match.start()
                break
        return start, end

    def date_near(self, tstart: int, tend: int) -> date | None:
        """The explicit date nearest the words at template [tstart, tend), same clause group."""
        low, high = self.segment(tstart)
        best: tuple[int, date] | None = None
        for match in re.finditer(r"@D\d+", self.template[low:high]):
            pos = match.start() + low
            distance = tstart - pos if pos < tstart else max(0, pos - tend)
            day = self.slot(match.group(0)).day
            if day and (best is None or distance < best[0]):
                best = (distance, day)
        return best[1] if best else None

    def tpos(self, pos: int) -> int:
        """The template offset of text offset `pos` (the token's start inside a slot)."""
        return bisect_left(self.tmap, pos)  # `tmap` never decreases

    def default_date(self, pos: int, place: Place | None = None) -> date | None:
        """For an event at text offset `pos`: an explicit date near it, else the publication
        day when its clause speaks of the present ("still ongoing", "recent operations"),
        else the date the topic carries, if the event is still about the topic's place."""
        tpos = self.tpos(pos)
        explicit = self.date_near(tpos, tpos + 1)
        if explicit:
            return explicit
        if PRESENT.search(self.clause(pos)):
            return self.anchor
        if place is None or self.topic_place is None or place.id == self.topic_place.id:
            return self.topic_date
        return None

    def clause(self, pos: int) -> str:
        """The clause of the text around offset `pos`: "which is still contested" is not
        about the clashes reported before it."""
        start, end = 0, len(self.text)
        for match in _CLAUSE_BREAK.finditer(self.text):
            if match.end() <= pos:
                start = match.end()
            elif match.start() >= pos:
                end = match.start()
                break
        return self.text[start:end]

    def attribution_at(self, tpos: int) -> str | None:
        """Who says what is at template offset `tpos`: nearest source in its clause group,
        else an "according to" anywhere in the sentence."""
        low, high = (self.tmap[min(i, len(self.tmap) - 1)] for i in self.segment(tpos))
        pos = self.tmap[min(tpos, len(self.tmap) - 1)]
        inside = [a for a in self.attributions if low <= a[0] < high]
        left = [a for a in inside if a[0] <= pos]
        if left:
            return left[-1][2]
        if inside:
            return inside[0][2]
        according = [a for a in self.attributions if self.text[a[0] :].lower().startswith("acc")]
        return according[0][2] if according else None
