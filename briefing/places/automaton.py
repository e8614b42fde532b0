"""The Aho-Corasick automaton the mention finder runs over text, and its cache on disk.

Its words are name keys wrapped in spaces (" kala nu "), valued with their length so a match
can be located; country adjectives (" afgan ") are valued (length, country code) instead.
Building takes about a second, so the automaton is pickled beside the gazetteer file under
the gazetteer's fingerprint and loaded from there afterwards.
"""

from __future__ import annotations

import logging
import os
import pickle
import time

import ahocorasick

from briefing.places.normalise import name_key
from briefing.places.resolve import Gazetteer
from briefing.places.vocabulary import DEMONYMS, NOT_PLACES

log = logging.getLogger(__name__)

AUTOMATON_VERSION = "4"
# Every province, district, site and country is in the automaton, and towns of at least this
# size; in INTEREST_COUNTRIES every settlement GeoNames lists.
AUTOMATON_MIN_POPULATION = 5000
INTEREST_COUNTRIES = frozenset("AF IQ SY YE LY SO ML MM UA PK IR SD SS ET PS LB IL".split())
# A city this prominent is accepted without support from the rest of the text.
STANDALONE_WEIGHT = 100_000


def load_automaton(gazetteer: Gazetteer) -> ahocorasick.Automaton:
    """The automaton pickled beside the gazetteer file for this build, built and pickled
    first if missing; pickles of other builds are removed."""
    db = gazetteer.store.path
    cache = db.with_name(f"{db.name}.mentions-{gazetteer.fingerprint}-{AUTOMATON_VERSION}.pickle")
    if cache.exists():
        started = time.perf_counter()
        with cache.open("rb") as handle:
            automaton = pickle.load(handle)
        log.info("loaded place automaton in %.2fs", time.perf_counter() - started)
        return automaton
    automaton = build_automaton(gazetteer)
    for stale in db.parent.glob(f"{db.name}.mentions-*.pickle"):
        stale.unlink(missing_ok=True)
    tmp = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as handle:
        pickle.dump(automaton, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, cache)
    return automaton


def build_automaton(gazetteer: Gazetteer) -> ahocorasick.Automaton:
    """An automaton over the keys of every name worth finding in running text, plus the
    country adjectives (valued with their country) that serve as context.

    A common word ("were", "from") that only names obscure places is left out: it would be
    vetoed anyway, and it is most of the matches in ordinary prose.
    """
    started = time.perf_counter()
    common = {name_key(word) for word in NOT_PLACES}
    automaton = ahocorasick.Automaton()
    for key in gazetteer.store.matchable_keys(AUTOMATON_MIN_POPULATION, INTEREST_COUNTRIES):
        if len(key.replace(" ", "")) < 3 or (key in common and not _notable(gazetteer, key)):
            continue
        automaton.add_word(f" {key} ", len(key) + 2)
    for adjective, country in DEMONYMS.items():
        for word in (adjective, adjective + "s"):
            automaton.add_word(f" {name_key(word)} ", (len(name_key(word)) + 2, country))
    automaton.make_automaton()
    log.info(
        "built place automaton: %d keys in %.1fs", len(automaton), time.perf_counter() - started
    )
    return automaton


def _notable(gazetteer: Gazetteer, key: str) -> bool:
    return any(
        record.kind != "city" or record.weight >= STANDALONE_WEIGHT
        for record, _ in gazetteer.lookup(key)
    )
