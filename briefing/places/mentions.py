"""Find the places a text names, with character spans into the original text.

One pass of an Aho-Corasick automaton over the text mapped into key space: every word is
normalised and folded as `name_key` folds names, ezafe connectors drop out, and words are
joined by single spaces (a `|` stands for punctuation that a name cannot span). The
automaton holds " key " strings, so only whole words match, and transliteration variants in
the text ("Qala-e-Naw") meet the gazetteer's keys without a regular expression per place.

Matches are then judged in context, because the gazetteer knows a village for most words:
a match must start with a capital letter and not be a common word; "X province",
"X district" and "X city" choose the kind; namesakes are settled by the countries and
provinces named elsewhere in the text (country adjectives such as "Afghan" count as
evidence but are not reported as mentions); a small town, or a spelling that only meets a
name through folding, needs that support to count at all.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate, compress

import ahocorasick

from briefing.models import Mention, Place
from briefing.places.automaton import STANDALONE_WEIGHT, load_automaton
from briefing.places.normalise import name_key, normalise
from briefing.places.resolve import KIND_WORDS, Gazetteer, Preference, rank, to_place
from briefing.places.vocabulary import NOT_PLACES
from storage.gazetteer import PlaceRecord

log = logging.getLogger(__name__)

# A namesake in a country the text is about wins unless it is this many times smaller.
CONTEXT_RATIO = 100
_CACHE_SIZE = 200_000

_APOSTROPHES = "'’‘`ʿʾ"
_WORDS = re.compile(rf"([\w{_APOSTROPHES}]+)")  # split() keeps words at odd indexes
_JOINER = re.compile(r"[\s\-\u2010\u2011]*")  # what may separate the words of one name
# Two patterns with literal prefixes, which the regex engine scans for quickly.
_LINKS = (("://", re.compile(r"https?://\S+")), ("www.", re.compile(r"www\.\S+")))
_KIND_KEYS = {name_key(word): kind for word, kind in KIND_WORDS.items()}
_OF = name_key("of")


@dataclass(frozen=True)
class _Ranking:
    """What the gazetteer says about one spelling, before any context is considered."""

    matches: tuple[tuple[PlaceRecord, str], ...]  # as `Gazetteer.lookup` returns them
    ranked: tuple[PlaceRecord, ...]  # best first
    exact: frozenset[int]  # places that have this very spelling


@dataclass(slots=True)
class _Span:
    first: int  # token indexes, inclusive
    last: int
    key: str
    spelling: str  # normalised surface
    ranking: _Ranking
    country: str | None = None  # the country this match is evidence for, if any

    @property
    def top(self) -> PlaceRecord:
        return self.ranking.ranked[0]


@dataclass(slots=True)
class _Tokens:
    """The text as key tokens ("|" for a barrier) and where each token lies in the text."""

    text: str
    keys: list[str]
    parts: list[int]  # token -> index into the split text
    offsets: list[int]  # split-text index -> character offset

    def bounds(self, token: int) -> tuple[int, int]:
        """The token's characters, without quote marks around it or a possessive "'s"."""
        part = self.parts[token]
        start, end = self.offsets[part], self.offsets[part + 1]
        text = self.text
        if text[start] not in _APOSTROPHES and text[end - 1] not in _APOSTROPHES + "s":
            return start, end  # the usual case, decided cheaply
        while start < end and text[start] in _APOSTROPHES:
            start += 1
        if text.endswith(("'s", "’s"), start, end):
            end -= 2
        while end > start and text[end - 1] in _APOSTROPHES:
            end -= 1
        return start, end

    def capitalised(self, token: int) -> bool:
        start = self.offsets[self.parts[token]]
        if self.text[start] in _APOSTROPHES:
            start = self.bounds(token)[0]
        return self.text[start].isupper()

    def form(self, first: int, last: int) -> str:
        return normalise(self.text[self.bounds(first)[0] : self.bounds(last)[1]])


class MentionFinder:
    """Finds place mentions in text. Make one per gazetteer (its automaton is cached on
    disk beside the gazetteer file); `find` is then a pure function of the text."""

    def __init__(
        self, gazetteer: Gazetteer, automaton: ahocorasick.Automaton | None = None
    ) -> None:
        self.gazetteer = gazetteer
        self.automaton = automaton if automaton is not None else load_automaton(gazetteer)
        self._keys: dict[str, str] = {}  # word or separator -> token key
        self._rankings: dict[tuple[str, str], _Ranking] = {}
        self._judged: dict[tuple, PlaceRecord] = {}  # (key, spelling, kind, context) -> place
        self._places: dict[int, Place] = {}

    def find(self, text: str) -> list[Mention]:
        """Place mentions in text order, non-overlapping, the longest match winning."""
        tokens = self._tokenise(text)
        keytext = " " + " ".join(tokens.keys) + " "  # a token's index = spaces before it - 1
        countries: set[str] = set()
        spans = []
        for end, value in self.automaton.iter(keytext):
            if type(value) is int:
                first = keytext.count(" ", 0, end - value + 1)
                if tokens.capitalised(first):
                    last = keytext.count(" ", 0, end) - 1
                    spans.append(self._span(tokens, first, last, keytext[end - value + 2 : end]))
            elif tokens.capitalised(keytext.count(" ", 0, end - value[0] + 1)):
                countries.add(value[1])  # a country adjective such as "Afghan"
        areas = {s.first for s in spans if s.top.kind in ("country", "admin1")}
        spans = _longest_first([s for s in spans if _plausible(tokens, s, areas)])
        regions: set[str] = set()
        evidence: Counter[str] = Counter(countries)
        for span in spans:
            top = span.top
            if top.id in span.ranking.exact and (
                top.kind != "city" or top.weight >= STANDALONE_WEIGHT
            ):
                span.country = top.country_code
                evidence[top.country_code] += 1
                if top.kind == "admin1":
                    regions.add(name_key(top.name))
        context = frozenset(evidence), frozenset(regions)
        mentions = []
        for span in spans:
            about = context[0]
            if span.country is not None and evidence[span.country] == 1:
                about = about - {span.country}  # a name is no evidence for its own reading
            mention = self._judge(tokens, span, about, context[1])
            if mention is not None:
                mentions.append(mention)
        return mentions

    def _tokenise(self, text: str) -> _Tokens:
        """Map the text to key tokens with C-level helpers (split, map, compress): this runs
        for every word of every article. Words and separators are keyed once and remembered."""
        scan = text
        for marker, link in _LINKS:  # a link is a barrier, never words
            if marker in scan:
                scan = link.sub(lambda m: "|".ljust(len(m.group())), scan)
        parts = _WORDS.split(scan)  # separator, word, separator, ..., separator
        cache = self._keys
        keys = list(map(cache.get, parts))
        if None in keys:
            if len(cache) > _CACHE_SIZE:
                cache.clear()
            for index, key in enumerate(keys):
                if key is None:
                    keys[index] = cache[parts[index]] = _part_key(parts[index], index % 2 == 1)
        # non-barrier separators and connectors ("-e-", "-i-") have empty keys and vanish
        offsets = list(accumulate(map(len, parts), initial=0))
        return _Tokens(
            text, list(compress(keys, keys)), list(compress(range(len(keys)), keys)), offsets
        )

    def _span(self, tokens: _Tokens, first: int, last: int, key: str) -> _Span:
        spelling = tokens.form(first, last)
        ranking = self._rankings.get((key, spelling))
        if ranking is None:
            if len(self._rankings) > _CACHE_SIZE:
                self._rankings.clear()
            matches = tuple(self.gazetteer.lookup(key))
            ranking = _Ranking(
                matches,
                tuple(rank(matches, Preference(key=key, spelling=spelling))),
                frozenset(record.id for record, form in matches if form == spelling),
            )
            self._rankings[(key, spelling)] = ranking
        return _Span(first, last, key, spelling, ranking)

    def _judge(
        self, tokens: _Tokens, span: _Span, countries: frozenset[str], regions: frozenset[str]
    ) -> Mention | None:
        """The place a match means in this text, or None when it is not taken for a place."""
        kind, suffix = _kind_hint(tokens.keys, span)
        best = span.top
        if kind is None and (best.kind == "country" or len(span.ranking.ranked) == 1):
            pass  # nothing to weigh: a country outranks any namesake
        elif kind or countries or regions:
            question = (span.key, span.spelling, kind, countries, regions)
            best = self._judged.get(question)
            if best is None:
                if len(self._judged) > _CACHE_SIZE:
                    self._judged.clear()
                pref = Preference(*question)
                best = self._judged[question] = rank(span.ranking.matches, pref)[0]
            if kind is None and best.weight * CONTEXT_RATIO < span.top.weight:
                best = span.top  # a hamlet in the right country does not beat a famous namesake
        single = span.first == span.last
        if single and best.id not in span.ranking.exact and best.country_code not in countries:
            return None  # met only through folding ("Rest" is not "Rasht")
        if best.kind == "city" and best.weight < STANDALONE_WEIGHT:
            if best.country_code not in countries and (
                single or best.id != span.top.id
            ):
                # A small town needs its country named (or a group that fights only there),
                # unless its name is several words and it is the best-known place of that
                # name ("Qala-e-Naw" in a one-line feed item): such names are not phrases.
                return None
            if single and (_proper(tokens, span.first - 1) or _proper(tokens, span.last + 1)):
                return None  # part of a longer name ("Javad Zarif")
        start, end = tokens.bounds(span.first)[0], tokens.bounds(span.last)[1]
        if suffix is not None and best.kind == kind:
            end = tokens.bounds(suffix)[1]
        place = self._places.get(best.id)
        if place is None:
            place = self._places[best.id] = to_place(best)
        return Mention(start, end, tokens.text[start:end], place)


def _part_key(part: str, is_word: bool) -> str:
    """A word's key (one token, so no spaces), or "|" for punctuation a name cannot span."""
    if not is_word:
        return "" if _JOINER.fullmatch(part) else "|"
    if part.endswith(("'s", "’s")):
        part = part[:-2]
    return name_key(part).replace(" ", "")


def _plausible(tokens: _Tokens, span: _Span, areas: set[int]) -> bool:
    """Not a common word, unless a kind word or a following ", country" or ", state" vouches
    for it ("Bay region", "Nice, France", "Mobile, Alabama")."""
    if span.first != span.last or span.spelling not in NOT_PLACES:
        return True
    after = span.last + 1
    if after + 1 < len(tokens.keys) and tokens.keys[after] == "|" and after + 1 in areas:
        return True
    return _kind_hint(tokens.keys, span)[0] is not None


def _longest_first(spans: list[_Span]) -> list[_Span]:
    taken: set[int] = set()
    chosen = []
    for span in sorted(spans, key=lambda s: (s.first - s.last, s.first)):
        indexes = set(range(span.first, span.last + 1))
        if not indexes & taken:
            taken |= indexes
            chosen.append(span)
    return sorted(chosen, key=lambda s: s.first)


def _kind_hint(keys: list[str], span: _Span) -> tuple[str | None, int | None]:
    """The kind a neighbouring word asks for, and the index of a following kind word."""
    after = span.last + 1
    if after < len(keys) and keys[after] in _KIND_KEYS:
        return _KIND_KEYS[keys[after]], after
    if span.first >= 2 and keys[span.first - 1] == _OF:
        return _KIND_KEYS.get(keys[span.first - 2]), None
    return None, None


def _proper(tokens: _Tokens, index: int) -> bool:
    """A capitalised neighbouring word that is not a common one: part of a proper name."""
    if not 0 <= index < len(tokens.keys) or tokens.keys[index] == "|":
        return False
    return tokens.capitalised(index) and tokens.form(index, index) not in NOT_PLACES
