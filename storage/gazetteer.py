"""The gazetteer's own SQLite file: its schema, the bulk load and the lookups.

The gazetteer is reference data, rebuilt from packaged sources rather than migrated, so it
lives in a file of its own next to (never inside) the articles database. A build writes a
temporary file in one transaction and renames it into place, so a reader never sees half a
gazetteer. Readers open it read-only; one connection is shared across threads.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import NamedTuple

import sqlite_utils

log = logging.getLogger(__name__)

SCHEMA_VERSION = "1"


class PlaceRecord(NamedTuple):
    """One row of `places`. `weight` is the build's prominence score used for ranking;
    `capital_id` links a country or region to its seat."""

    id: int
    name: str
    kind: str
    country_code: str
    country: str
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int
    weight: float
    capital_id: int | None


_PLACE_COLUMNS = {
    "id": int,
    "name": str,
    "kind": str,
    "country_code": str,
    "country": str,
    "admin1": str,
    "lat": float,
    "lon": float,
    "population": int,
    "weight": float,
    "capital_id": int,
}
_PLACE_FIELDS = ", ".join(f"p.{col}" for col in _PLACE_COLUMNS)
_SELECT_PLACE = f"SELECT {_PLACE_FIELDS} FROM places p"


def write_gazetteer(
    path: Path,
    places: Iterable[PlaceRecord],
    names: Iterable[tuple[str, int, str, str]],
    meta: Mapping[str, str],
) -> None:
    """Write a complete gazetteer to `path`, replacing any previous one atomically.

    `names` are (key, place_id, spelling, form) rows, `form` being the normalised spelling.
    They are stored clustered by key (WITHOUT ROWID), so exact lookups and the prefix ranges
    that autocomplete and suggestions read are contiguous on disk. Journaling is off because
    the file is not live until the final rename; a crash leaves only a stray `.tmp` file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite_utils.Database(tmp)
    try:
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db["places"].create(_PLACE_COLUMNS, pk="id", not_null={"name", "kind", "country_code"})
        db.execute(
            "CREATE TABLE names (key TEXT NOT NULL, place_id INTEGER NOT NULL, name TEXT NOT NULL,"
            " form TEXT NOT NULL, PRIMARY KEY (key, place_id, form)) WITHOUT ROWID"
        )
        db["meta"].create({"key": str, "value": str}, pk="key")
        with db.conn:
            db.conn.executemany(
                f"INSERT INTO places VALUES ({', '.join('?' * len(_PLACE_COLUMNS))})", places
            )
            db.conn.executemany("INSERT INTO names VALUES (?, ?, ?, ?)", sorted(names))
            db.conn.executemany(
                "INSERT INTO meta VALUES (?, ?)", sorted({**meta, "schema": SCHEMA_VERSION}.items())
            )
        db.execute("ANALYZE")
    finally:
        db.close()
    os.replace(tmp, path)


def read_meta(path: Path) -> dict[str, str]:
    """The build's metadata, or {} when the file is missing or not a gazetteer."""
    if not path.exists():
        return {}
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return dict(conn.execute("SELECT key, value FROM meta").fetchall())
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        log.warning("gazetteer %s is unreadable (%s); it will be rebuilt", path, exc)
        return {}


class GazetteerStore:
    """Read-only queries over a built gazetteer file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self.conn.execute("PRAGMA query_only = ON")

    def close(self) -> None:
        self.conn.close()

    def meta(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT key, value FROM meta").fetchall())

    def names_of_kind(self, kind: str) -> list[tuple[PlaceRecord, str]]:
        """Every (place, spelling) pair for places of one kind, e.g. all country names."""
        rows = self.conn.execute(
            f"SELECT {_PLACE_FIELDS}, n.name FROM names n JOIN places p ON p.id = n.place_id "
            "WHERE p.kind = ?",
            (kind,),
        ).fetchall()
        return [(PlaceRecord(*row[:-1]), row[-1]) for row in rows]

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM places").fetchone()[0]

    def place(self, place_id: int) -> PlaceRecord | None:
        row = self.conn.execute(f"{_SELECT_PLACE} WHERE p.id = ?", (place_id,)).fetchone()
        return PlaceRecord(*row) if row else None

    def lookup(self, key: str) -> list[tuple[PlaceRecord, str]]:
        """Every place having a name with exactly this key, with the matching spelling's form."""
        rows = self.conn.execute(
            f"SELECT {_PLACE_FIELDS}, n.form FROM names n JOIN places p ON p.id = n.place_id "
            "WHERE n.key = ?",
            (key,),
        ).fetchall()
        return [(PlaceRecord(*row[:-1]), row[-1]) for row in rows]

    def forms_in_range(self, low: str, high: str) -> list[tuple[str, int]]:
        """(form, place_id) for every name with low <= key < high."""
        rows = self.conn.execute(
            "SELECT form, place_id FROM names WHERE key >= ? AND key < ?", (low, high)
        )
        return rows.fetchall()

    def places(self, ids: Iterable[int]) -> list[PlaceRecord]:
        wanted = sorted(set(ids))
        marks = ", ".join("?" * len(wanted))
        rows = self.conn.execute(f"{_SELECT_PLACE} WHERE p.id IN ({marks})", wanted)
        return [PlaceRecord(*row) for row in rows]

    def with_key_prefix(self, key: str, form: str, limit: int) -> list[PlaceRecord]:
        """Places with a name whose key starts with `key`. First those whose own name is
        spelled as `form` begins, then those with another such spelling, each by weight."""
        rows = self.conn.execute(
            f"SELECT {_PLACE_FIELDS}, max(n.form >= :form AND n.form < :form_end) AS spelled, "
            "max(n.name = p.name AND n.form >= :form AND n.form < :form_end) AS own "
            "FROM names n JOIN places p ON p.id = n.place_id "
            "WHERE n.key >= :key AND n.key < :key_end "
            "GROUP BY p.id ORDER BY own DESC, spelled DESC, p.weight DESC LIMIT :limit",
            {
                "form": form,
                "form_end": form + "\uffff",
                "key": key,
                "key_end": key + "\uffff",
                "limit": limit,
            },
        )
        return [PlaceRecord(*row[:-2]) for row in rows]

    def matchable_keys(self, min_population: int, countries: Iterable[str]) -> Iterator[str]:
        """Distinct name keys worth looking for in running text: those of every place that is
        not a city, and of cities that are large enough or lie in one of `countries`."""
        codes = sorted(set(countries))
        marks = ", ".join("?" * len(codes)) or "''"
        rows = self.conn.execute(
            "SELECT DISTINCT n.key FROM names n JOIN places p ON p.id = n.place_id "
            f"WHERE p.kind != 'city' OR p.population >= ? OR p.country_code IN ({marks})",
            (min_population, *codes),
        )
        for (key,) in rows:
            yield key
