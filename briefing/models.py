"""Plain data passed between the engine's stages.

parse -> summarise -> places -> claims -> store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass
class ParsedArticle:
    """One article as read from a feed item, a web page or a plain-text report.

    `published` is None when no date could be found: the engine never invents one.
    `published_from` says where the date came from (`feed`, `page`, `option`, `url`,
    `url-in-text`), so an answer can be honest about how sure it is.
    """

    title: str
    text: str
    url: str | None = None
    guid: str | None = None
    published: datetime | None = None
    published_from: str | None = None
    source_name: str | None = None
    kind: str = "text"  # feed | html | text
    summary_hint: str | None = None  # a feed's own description, kept for reference


@dataclass(frozen=True)
class Place:
    """A place from the gazetteer. `kind` is city, admin1, district, country or site."""

    id: int
    name: str
    kind: str
    country_code: str
    country: str
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    population: int = 0


@dataclass(frozen=True)
class Mention:
    """A place named in a text: the character span and what it resolved to."""

    start: int
    end: int
    surface: str
    place: Place


@dataclass
class ControlClaim:
    """Someone says `controller` holds (or took, or lost) `place` as of `event_date`."""

    place: Place
    kind: str  # captured | holds | retaken | contested | besieged | denied
    controller: str | None  # canonical actor: "government forces", "Taliban", …
    event_date: date | None
    quote: str
    attributed_to: str | None = None
    scope: str | None = None  # e.g. "rest of province": the claim covers part of the place
    sentence_index: int = 0


@dataclass
class CasualtyReport:
    place: Place | None
    killed: int | None
    wounded: int | None
    captured: int | None
    whose: str | None  # "Taliban fighters"
    event_date: date | None
    quote: str
    reported_by: str | None = None
    sentence_index: int = 0


@dataclass
class Event:
    place: Place | None
    kind: str  # stormed | clashes | prison break | evacuation | …
    event_date: date | None
    quote: str
    detail: str | None = None  # e.g. "around 600 prisoners freed"
    actor: str | None = None
    attributed_to: str | None = None
    sentence_index: int = 0


@dataclass
class Extraction:
    """Everything the claims stage found in one article."""

    control: list[ControlClaim] = field(default_factory=list)
    casualties: list[CasualtyReport] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    related: list[tuple[Place, Place]] = field(default_factory=list)  # (place, mentioned with)
