"""Skip the patterns that cannot match a sentence, after one scan for the words they need.

The claim extractors try dozens of regular expressions on every sentence, and most of them
cannot match most sentences: a rule about a place that "fell" needs "fell" or "fall"
somewhere in it. Python's regex engine does not know that; it tries each pattern at every
position, which made these patterns most of the cost of ingesting an article. `Cues` reads
each pattern's syntax once and finds a set of strings one of which every match must
contain; a sentence is then scanned once (Aho-Corasick) for all those strings, and only the
patterns whose strings occur are run. A pattern without such a set always runs, so callers
get exactly the matches they would get by running every pattern.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from re import _constants as sre  # the parser's opcodes, stable within a Python release
from re import _parser as sre_parse
from typing import Generic, TypeVar

import ahocorasick

T = TypeVar("T")

__all__ = ["TEXT_CUES", "CueTable", "Cues", "cue_text", "required_sets"]

# Characters that match an ASCII letter case-insensitively without lowering to it
# (İ and ı match "i", ſ matches "s"); `cue_text` folds them so no match is missed.
_CASE_FOLDS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_MIN_CUE = 3
_MEMO_SIZE = 4096
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def cue_text(text: str) -> str:
    """`text` as cues are looked for in it: lowercased, with the odd case folds applied."""
    return text.translate(_CASE_FOLDS).lower() if not text.isascii() else text.lower()


def required_sets(pattern: re.Pattern) -> list[frozenset[str]]:
    """Sets of lowercase strings such that every match of `pattern` contains a string of
    each set (as seen in `cue_text` of the subject); empty when the syntax guarantees none."""
    return _sequence(sre_parse.parse(pattern.pattern, pattern.flags))


def _char(op: int, av: object) -> str | None:
    """The one lowercase ASCII character a literal or a class such as [Tt] stands for."""
    if op == sre.LITERAL:
        ch = chr(av)  # type: ignore[arg-type]
        return ch.lower() if ch.isascii() else None
    if op == sre.IN and av:
        chars = {_char(item_op, item_av) for item_op, item_av in av}  # type: ignore[attr-defined]
        if len(chars) == 1 and None not in chars:
            return chars.pop()
    return None


def _selectivity(strings: frozenset[str]) -> tuple[int, int]:
    """A rough guess at rarity: the longer the shortest string (spaces aside, " by " is as
    common as any short word), then the fewer strings, the rarer."""
    return min(len(string.strip()) for string in strings), -len(strings)


def _sequence(items: Iterable[tuple[int, object]]) -> list[frozenset[str]]:
    """Every set a sequence of items requires: its literal runs and its required parts."""
    sets: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in items:
        ch = _char(op, av)
        if ch is not None:
            run.append(ch)
            continue
        if run:
            sets.append(frozenset(["".join(run)]))
            run = []
        sets.extend(_item(op, av))
    if run:
        sets.append(frozenset(["".join(run)]))
    return sets


def _item(op: int, av: object) -> list[frozenset[str]]:
    """The sets a required item guarantees; none for optional or opaque items."""
    if op == sre.SUBPATTERN:
        return _sequence(av[-1])  # type: ignore[index]
    if op == sre.ATOMIC_GROUP:
        return _sequence(av)  # type: ignore[arg-type]
    if op == sre.BRANCH:
        union: set[str] = set()
        for alternative in av[1]:  # type: ignore[index]
            sets = _sequence(alternative)
            if not sets:
                return []
            union |= max(sets, key=_selectivity)  # one set per alternative can be promised
        return [frozenset(union)]
    if op in _REPEATS and av[0] >= 1:  # type: ignore[index]
        return _sequence(av[2])  # type: ignore[index]
    return []


class CueTable:
    """The cue strings of several pattern lists, looked for in a text with one scan.

    Extractors that read the same sentence register their lists with one table, so the
    sentence is scanned once for all of them: the last text's result is kept.
    """

    def __init__(self) -> None:
        self._groups: dict[frozenset[str], int] = {}  # a required set -> its bit
        self._automaton: ahocorasick.Automaton | None = None  # built at the first scan
        self._last: tuple[str, int] = ("", 0)

    def register(
        self, items: Sequence[T], pattern: Callable[[T], re.Pattern] = lambda item: item
    ) -> Cues[T]:
        """A selector over `items`, each of which has a pattern (`pattern(item)`)."""
        needs = []
        patterns = [pattern(item) for item in items]
        for compiled in patterns:
            sets = set(required_sets(compiled))
            # Very short strings ("is", "@p") are in nearly every sentence: scanning for them
            # costs more than it saves, unless nothing better is known.
            useful = {s for s in sets if _selectivity(s)[0] >= _MIN_CUE} or set(
                sorted(sets, key=_selectivity)[-1:]
            )
            need = 0
            for strings in useful:
                need |= self._groups.setdefault(strings, 1 << len(self._groups))
            needs.append(need)
        self._automaton = None
        self._last = ("", 0)
        return Cues(self, items, patterns, needs)

    def found(self, text: str) -> int:
        """The bits of the required sets that have a string in `text`."""
        last = self._last
        if last[0] == text:
            return last[1]
        automaton = self._automaton or self._build()
        found = 0
        for _, bits in automaton.iter(cue_text(text)):
            found |= bits
        self._last = (text, found)
        return found

    def _build(self) -> ahocorasick.Automaton:
        wanted: dict[str, int] = {}
        for strings, bit in self._groups.items():
            for string in strings:
                wanted[string] = wanted.get(string, 0) | bit
        automaton = ahocorasick.Automaton()
        for string, bits in wanted.items():
            automaton.add_word(string, bits)
        automaton.add_word("\x00", 0)  # never empty, so it can always be made
        automaton.make_automaton()
        self._automaton = automaton
        return automaton


class Cues(Generic[T]):
    """Which of a fixed list of items could match a text (see `CueTable.register`)."""

    def __init__(
        self, table: CueTable, items: Sequence[T], patterns: list[re.Pattern], needs: list[int]
    ) -> None:
        self._table = table
        self._items = tuple(items)
        self.patterns = patterns  # the pattern of each item, in order
        self._needs = needs
        self._mask = 0
        for need in needs:
            self._mask |= need
        self._chosen: dict[int, list[T]] = {}  # found bits -> items; few combinations recur

    def select(self, text: str) -> list[T]:
        """The items, in order, whose pattern could match `text`. Do not modify the list."""
        found = self._table.found(text) & self._mask
        chosen = self._chosen.get(found)
        if chosen is None:
            chosen = [
                item
                for item, need in zip(self._items, self._needs, strict=True)
                if found & need == need
            ]
            if len(self._chosen) >= _MEMO_SIZE:
                self._chosen = {}
            self._chosen[found] = chosen
        return chosen


# One table for the extractors that read a sentence's text (actors, dates, casualties,
# events, sources); control rules read the template and keep a table of their own.
TEXT_CUES = CueTable()
