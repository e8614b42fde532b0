"""Turn a name someone typed into a place, or into "did you mean" suggestions.

Matching is on `name_key`, so transliteration variants meet; ranking then decides between
namesakes. The order of preference: an explicit kind ("Herat province"), the caller's
country and region hints, the exact spelling, and finally prominence (`weight`: population,
with floors for provinces, districts and sites so they outrank hamlets). A province loses to
its own eponymous capital unless the kind is explicit: "Herat" is the city,
"Herat province" the province, and "Badghis" the province because no city bears the name.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

from briefing.models import Place
from briefing.places.normalise import CONNECTORS, name_key, normalise
from storage.gazetteer import GazetteerStore, PlaceRecord

log = logging.getLogger(__name__)

# Words that say which kind of place a name means, after ("Herat province") or before it
# ("the province of Herat").
KIND_WORDS = {
    "province": "admin1",
    "governorate": "admin1",
    "oblast": "admin1",
    "region": "admin1",
    "state": "admin1",
    "district": "district",
    "city": "city",
    "town": "city",
}
SUGGESTION_CUTOFF = 0.75  # normalised similarity, 1.0 = same spelling
POOL_CACHE_SIZE = 16


@dataclass
class Resolution:
    """The best place (None when no name has the typed name's key), the ranked places
    (the best first), and close spellings to offer when the typed spelling is not one of
    the gazetteer's own. For an unknown name, `candidates` are the suggested places."""

    place: Place | None
    candidates: list[Place] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Preference:
    """What is known about a name besides its spelling; used to rank namesakes."""

    key: str
    spelling: str = ""  # the name as written, `normalise`d
    kind: str | None = None
    countries: frozenset[str] = frozenset()
    admin1: frozenset[str] = frozenset()  # name keys of regions


def to_place(record: PlaceRecord) -> Place:
    """The engine's `Place` for a storage row (ranking fields dropped)."""
    return Place(
        id=record.id,
        name=record.name,
        kind=record.kind,
        country_code=record.country_code,
        country=record.country,
        admin1=record.admin1,
        lat=record.lat,
        lon=record.lon,
        population=record.population,
    )


def _unjoined(form: str) -> str:
    """A normalised spelling without ezafe connectors: "qala e naw" and "qala i naw" are
    the same spelling for the purpose of deciding whether to offer suggestions."""
    return " ".join(word for word in form.split() if word not in CONNECTORS)


def split_kind(name: str) -> tuple[str, str | None]:
    """("Herat province") -> ("Herat", "admin1"); ("province of Herat") likewise."""
    words = name.split()
    if len(words) >= 2 and words[-1].casefold() in KIND_WORDS:
        return " ".join(words[:-1]), KIND_WORDS[words[-1].casefold()]
    if len(words) >= 3 and words[0].casefold() in KIND_WORDS and words[1].casefold() == "of":
        return " ".join(words[2:]), KIND_WORDS[words[0].casefold()]
    return name, None


def rank(matches: Iterable[tuple[PlaceRecord, str]], pref: Preference) -> list[PlaceRecord]:
    """Order the places that share `pref.key`, best first, one entry per place.

    `matches` are (place, form) pairs as `GazetteerStore.lookup` returns them.
    """
    exact: dict[int, bool] = {}
    records: dict[int, PlaceRecord] = {}
    for record, form in matches:
        records[record.id] = record
        exact[record.id] = exact.get(record.id, False) or form == pref.spelling

    def effective_weight(record: PlaceRecord) -> float:
        capital = records.get(record.capital_id or -1)
        if (
            record.kind == "admin1"
            and capital is not None
            and name_key(capital.name) == pref.key
            and exact[capital.id] >= exact[record.id]
        ):
            return capital.weight / 2  # the eponymous capital is the usual meaning
        return record.weight

    def score(record: PlaceRecord) -> tuple:
        return (
            record.kind == pref.kind,
            record.country_code in pref.countries,
            bool(pref.admin1) and name_key(record.admin1 or "") in pref.admin1,
            exact[record.id],
            effective_weight(record),
            -record.id,
        )

    return sorted(records.values(), key=score, reverse=True)


class Gazetteer:
    """Look places up by name, id or prefix. Safe to share between threads."""

    def __init__(self, store: GazetteerStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._pools: dict[str, tuple[list[str], list[int]]] = {}
        self.fingerprint = store.meta().get("fingerprint", "")
        countries = store.names_of_kind("country")
        self._codes = {record.country_code for record, _ in countries}
        self._country_codes = {
            name_key(spelling): record.country_code for record, spelling in countries
        }

    def close(self) -> None:
        self.store.close()

    def country_code(self, country: str) -> str | None:
        """The ISO code for "LB", "lb", "Lebanon" or "UK"; None when unknown."""
        code = country.strip().upper()
        if code in self._codes:
            return code
        return self._country_codes.get(name_key(country))

    def count(self) -> int:
        """How many places the gazetteer holds."""
        with self._lock:
            return self.store.count()

    def lookup(self, key: str) -> list[tuple[PlaceRecord, str]]:
        """(place, normalised spelling) for every name with this `name_key`."""
        with self._lock:
            return self.store.lookup(key)

    def get(self, place_id: int) -> Place | None:
        with self._lock:
            record = self.store.place(place_id)
        return to_place(record) if record else None

    def resolve(
        self,
        name: str,
        *,
        country: str | None = None,
        admin1: str | None = None,
        limit: int = 5,
    ) -> Resolution:
        """The place `name` most likely means, with the runners-up as `candidates`.

        When no place has this very spelling (the name met a place only through the key's
        folding, or not at all), `suggestions` lists close spellings for "did you mean".
        """
        core, kind = split_kind(name.strip())
        key, core_key = name_key(name), name_key(core)
        if not core_key:
            return Resolution(None)
        hints = {
            "countries": frozenset(filter(None, [self.country_code(country) if country else None])),
            "admin1": frozenset([name_key(admin1)] if admin1 else []),
        }
        # A whole-name match ("Kyiv City", "Donetsk Oblast") wins over reading a kind word.
        matches = self.lookup(key)
        ranked = rank(matches, Preference(key=key, spelling=normalise(name), **hints))
        spelled = {_unjoined(normalise(name))}
        if kind is not None and core_key != key:
            core_matches = self.lookup(core_key)
            pref = Preference(key=core_key, spelling=normalise(core), kind=kind, **hints)
            ranked += [r for r in rank(core_matches, pref) if r not in ranked]
            matches, spelled = matches + core_matches, spelled | {_unjoined(normalise(core))}
        if not ranked:
            return self._suggest(core_key, normalise(core), limit)
        places = [to_place(r) for r in ranked[:limit]]
        suggestions: list[str] = []
        if not any(_unjoined(form) in spelled for _, form in matches):
            close = self._suggest(core_key, normalise(core), limit).suggestions
            suggestions = [s for s in close if normalise(s) != normalise(places[0].name)]
        return Resolution(places[0], places, suggestions)

    def complete(self, prefix: str, limit: int = 25) -> list[Place]:
        """Places with a name starting with `prefix`, most prominent first (autocomplete)."""
        key = name_key(prefix)
        if not key:
            return []
        with self._lock:
            records = self.store.with_key_prefix(key, normalise(prefix), limit)
        return [to_place(r) for r in records]

    def _suggest(self, key: str, form: str, limit: int) -> Resolution:
        """Close spellings, for "did you mean". Compared on normalised spellings with an
        edit distance that counts a swap of two letters as one edit ("Nwa" for "Naw"); only
        names whose key shares the first two letters are read, a few thousand at most."""
        forms, ids = self._pool(key[:2])
        found = process.extract(
            form,
            forms,
            scorer=OSA.normalized_similarity,
            limit=limit * 8,
            score_cutoff=SUGGESTION_CUTOFF,
        )
        best: dict[int, float] = {}
        for _, score, index in found:
            best[ids[index]] = max(best.get(ids[index], 0.0), score)
        with self._lock:
            records = self.store.places(best)
        records.sort(key=lambda r: (round(best[r.id] * 20), r.weight), reverse=True)
        places: list[Place] = []
        for record in records:  # one suggestion per spelling, however many places share it
            if normalise(record.name) not in {normalise(p.name) for p in places}:
                places.append(to_place(record))
        places = places[:limit]
        return Resolution(None, places, [p.name for p in places])

    def _pool(self, prefix: str) -> tuple[list[str], list[int]]:
        """Forms and place ids of names whose key starts with `prefix`, kept for reuse."""
        pool = self._pools.pop(prefix, None)
        if pool is None:
            high = prefix[:-1] + chr(ord(prefix[-1]) + 1)
            with self._lock:
                rows = self.store.forms_in_range(prefix, high)
            pool = ([row[0] for row in rows], [row[1] for row in rows])
        self._pools[prefix] = pool
        while len(self._pools) > POOL_CACHE_SIZE:
            self._pools.pop(next(iter(self._pools)))
        return pool
