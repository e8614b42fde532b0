"""Fixtures shared by the claims tests and `bench/claims.py`.

The claims engine takes mentions from the gazetteer, but its tests must not depend on the
gazetteer: `mentions_for` finds given literal names in a text and attaches hand-made
`Place`s, and `split` cuts sentences with a plain regex.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from itertools import count
from pathlib import Path

from briefing.claims import extract
from briefing.models import Extraction, Mention, Place

_IDS = count(1000)


def place(name: str, kind: str, country: str, code: str, admin1: str | None = None) -> Place:
    return Place(
        id=next(_IDS), name=name, kind=kind, country_code=code, country=country, admin1=admin1
    )


def mentions_for(text: str, names: dict[str, Place]) -> list[Mention]:
    """Every whole-word occurrence of each name, longest names first, never overlapping."""
    found: list[Mention] = []
    for name in sorted(names, key=len, reverse=True):
        for match in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
            if any(match.start() < m.end and m.start < match.end() for m in found):
                continue
            found.append(Mention(match.start(), match.end(), match.group(0), names[name]))
    return sorted(found, key=lambda m: m.start)


def split(text: str) -> list[str]:
    """Sentences for tests: blank lines always split, then ". " before a capital or quote."""
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        for piece in re.split(r"(?:(?<=[.!?])|(?<=[.!?][\"”’]))\s+(?=[A-Z\"“])", paragraph.strip()):
            if piece.strip():
                out.append(piece.strip())
    return out


AF = ("Afghanistan", "AF")
SEED_PLACES = {
    "Qala-e-Naw": place("Qala-e-Naw", "city", *AF, admin1="Badghis"),
    "Badghis": place("Badghis", "admin1", *AF, admin1="Badghis"),
    "Zendah Jan": place("Zendah Jan", "district", *AF, admin1="Herat"),
    "Herat": place("Herat", "admin1", *AF, admin1="Herat"),
    "Nawur": place("Nawur", "district", *AF, admin1="Ghazni"),
    "Ghazni": place("Ghazni", "admin1", *AF, admin1="Ghazni"),
    "Kabul": place("Kabul", "city", *AF, admin1="Kabul"),
    "Afghanistan": place("Afghanistan", "country", *AF),
    "Tehran": place("Tehran", "city", "Iran", "IR", admin1="Tehran"),
    "Iran": place("Iran", "country", "Iran", "IR"),
    "Turkey": place("Turkey", "country", "Turkey", "TR"),
    "Ankara": place("Ankara", "city", "Turkey", "TR", admin1="Ankara"),
    "Syria": place("Syria", "country", "Syria", "SY"),
    "Iraq": place("Iraq", "country", "Iraq", "IQ"),
    "Libya": place("Libya", "country", "Libya", "LY"),
    "Nagorno-Karabakh": place("Nagorno-Karabakh", "site", "Azerbaijan", "AZ"),
}


# --- The hand-labelled corpus --------------------------------------------------------------

CORPUS = Path(__file__).parent / "corpus"
# articles.json was labelled while the rules were written; holdout.json and holdout2.json were
# labelled before the rules were run on them (their first scores are in bench/claims.py).
CORPUS_FILES = ("articles.json", "holdout.json", "holdout2.json")
Triple = tuple[str, str, str | None]


@dataclass
class Item:
    """One labelled article: its text, date and the control claims a reader would take."""

    id: str
    outlet: str
    published: date | None
    text: str
    expected: set[Triple]


@dataclass
class Score:
    """Micro-averaged precision and recall of control claims, with the per-item misses."""

    true_positives: int = 0
    false_positives: list[tuple[str, Triple]] = field(default_factory=list)
    misses: list[tuple[str, Triple]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positives + len(self.false_positives)
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + len(self.misses)
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def corpus_places() -> tuple[dict[str, Place], dict[str, set[str]]]:
    """Surface name -> fixture place, and place name -> every spelling that names it."""
    raw = json.loads((CORPUS / "places.json").read_text(encoding="utf-8"))
    names: dict[str, Place] = {}
    spellings: dict[str, set[str]] = {}
    for label, spec in raw.items():
        made = place(
            spec.get("name", label), spec["kind"], spec["country"], spec["code"], spec.get("admin1")
        )
        for surface in spec.get("names", [label]):
            names[surface] = made
        spellings.setdefault(norm(made.name), set()).update(
            norm(s) for s in spec.get("names", [label])
        )
    return names, spellings


def corpus_items(*files: str) -> list[Item]:
    """The labelled articles: the main set, and the set written after the rules froze."""
    raw = [
        row
        for name in files or CORPUS_FILES
        for row in json.loads((CORPUS / name).read_text(encoding="utf-8"))
    ]
    return [
        Item(
            id=row["id"],
            outlet=row["outlet"],
            published=date.fromisoformat(row["published"]) if row.get("published") else None,
            text=row["text"],
            expected={tuple(triple) for triple in row["expected"]},
        )
        for row in raw
    ]


def norm(name: str) -> str:
    """Spelling-blind form of a name: no accents, case, punctuation or "district"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    plain = re.sub(r"\s+(?:district|province|city|town|state)$", "", plain.lower())
    return re.sub(r"[^a-z0-9]", "", plain)


def predicted(extraction: Extraction) -> set[Triple]:
    return {(c.place.name, c.kind, c.controller) for c in extraction.control}


Result = tuple[Item, set[Triple], dict[str, set[str]]]


def score(results: list[Result], spellings: dict[str, set[str]]) -> Score:
    """Compare predictions with labels on (place, kind, controller).

    A place matches a label by any of its spellings; `results` carry, per article, the words
    the text used for each predicted place (a gazetteer's name may be "Qala i Naw" where the
    text and the label say "Qala-e-Naw").
    """

    def key(triple: Triple, written: dict[str, set[str]]) -> tuple[str, str, str | None]:
        names = {norm(triple[0])} | {norm(s) for s in written.get(triple[0], ())}
        canonical = next((k for k, v in spellings.items() if names & ({k} | v)), norm(triple[0]))
        return canonical, triple[1], triple[2]

    total = Score()
    for item, found, written in results:
        wanted = {key(t, {}): t for t in item.expected}
        got = {key(t, written): t for t in found}
        total.true_positives += len(wanted.keys() & got.keys())
        total.false_positives += [(item.id, got[k]) for k in got.keys() - wanted.keys()]
        total.misses += [(item.id, wanted[k]) for k in wanted.keys() - got.keys()]
    return total


def run_corpus(find_mentions=None, sentences=split) -> tuple[Score, list[Result]]:
    """Extract every corpus item, with fixture mentions unless a mention finder is given."""
    names, spellings = corpus_places()
    results = []
    for item in corpus_items():
        mentions = find_mentions(item.text) if find_mentions else mentions_for(item.text, names)
        written: dict[str, set[str]] = {}
        for mention in mentions:
            written.setdefault(mention.place.name, set()).add(mention.surface)
        found = extract(item.text, mentions, item.published, sentences=sentences(item.text))
        results.append((item, predicted(found), written))
    return score(results, spellings), results


def run(
    text: str, names: dict[str, Place], published: date | None = date(2021, 7, 9)
) -> Extraction:
    """Extract from `text` with fixture mentions for `names` and the test splitter."""
    return extract(text, mentions_for(text, names), published, sentences=split(text))


def control_rows(extraction: Extraction) -> list[tuple]:
    """Control claims as comparable rows: (place, kind, controller, date, source, scope)."""
    return [
        (c.place.name, c.kind, c.controller, c.event_date, c.attributed_to, c.scope)
        for c in extraction.control
    ]
