"""The built gazetteer: admin-1 codes agree with the data, curated rows land, rebuilds
happen only when the sources change."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.models import Place
from briefing.places import Gazetteer, open_gazetteer
from briefing.places import build as build_module
from briefing.places.build import read_csv_rows, source_fingerprint, synthetic_id

AFGHAN_PROVINCES = {
    "Badakhshan", "Badghis", "Baghlan", "Balkh", "Bamyan", "Daykundi", "Farah", "Faryab",
    "Ghazni", "Ghor", "Helmand", "Herat", "Jowzjan", "Kabul", "Kandahar", "Kapisa", "Khost",
    "Kunar", "Kunduz", "Laghman", "Logar", "Nangarhar", "Nimroz", "Nuristan", "Paktia",
    "Paktika", "Panjshir", "Parwan", "Samangan", "Sar-e Pol", "Takhar", "Uruzgan", "Wardak",
    "Zabul",
}  # fmt: skip


def test_all_afghan_provinces(gazetteer: Gazetteer) -> None:
    provinces = {
        r.name for r, _ in gazetteer.store.names_of_kind("admin1") if r.country_code == "AF"
    }
    assert provinces == AFGHAN_PROVINCES


def test_every_capital_lies_in_its_region(gazetteer: Gazetteer) -> None:
    """The admin-1 codes in briefing/data/admin1.csv agree with the cities' own codes."""
    regions = {r for r, _ in gazetteer.store.names_of_kind("admin1")}
    misplaced = [
        (r.country_code, r.name, capital.name, capital.admin1)
        for r in regions
        if r.capital_id and (capital := gazetteer.get(r.capital_id)).admin1 != r.name
    ]
    assert misplaced == []
    seatless = sorted(r.name for r in regions if r.capital_id is None and r.country_code != "US")
    assert seatless == ["Kapisa", "Kyiv Oblast"]  # seats missing from, or outside, the region


@pytest.mark.parametrize(
    "name, province",
    [("Qala i Naw", "Badghis"), ("Lashkar Gah", "Helmand"), ("Mehtar Lam", "Laghman"),
     ("Qalat", "Zabul"), ("Sharan", "Paktika"), ("Tarinkot", "Uruzgan")],
)  # fmt: skip
def test_provincial_capitals(gazetteer: Gazetteer, name: str, province: str) -> None:
    place = gazetteer.resolve(name, country="AF").place
    assert (place.kind, place.admin1) == ("city", province)  # type: ignore[union-attr]


def test_province_record(gazetteer: Gazetteer) -> None:
    assert gazetteer.get(synthetic_id("admin1", "AF", "02")) == Place(
        synthetic_id("admin1", "AF", "02"), "Badghis", "admin1", "AF", "Afghanistan", "Badghis",
        34.98735, 63.12891, 0,
    )  # fmt: skip


def test_seed_rows_name_known_provinces(gazetteer: Gazetteer) -> None:
    seeds = read_csv_rows(Path(__file__).resolve().parents[2] / "seeds" / "places.csv")
    provinces = {r.name for r, _ in gazetteer.store.names_of_kind("admin1")}
    assert [row["name"] for row in seeds if row["admin1"] and row["admin1"] not in provinces] == []
    typed = [f"{r['name']} district" if r["kind"] == "district" else r["name"] for r in seeds]
    found = [gazetteer.resolve(name).place for name in typed]
    assert [(p.name, p.kind) for p in found if p] == [(r["name"], r["kind"]) for r in seeds]


def test_read_csv_rows_skips_comments(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("# a note\nname,kind\n\n# another\n Kabul , city\n", encoding="utf-8")
    assert read_csv_rows(path) == [{"name": "Kabul", "kind": "city"}]


def test_fingerprint_follows_the_seeds(tmp_path: Path) -> None:
    seeds = tmp_path / "places.csv"
    seeds.write_text("name,kind\n", encoding="utf-8")
    before = source_fingerprint(seeds)
    seeds.write_text("name,kind\nX,site\n", encoding="utf-8")
    assert len({before, source_fingerprint(seeds), source_fingerprint(None)}) == 3


def test_open_reuses_a_current_build(gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_rebuild(*args: object) -> None:
        raise AssertionError("rebuilt a current gazetteer")

    monkeypatch.setattr(build_module, "build_gazetteer", no_rebuild)
    seeds = Path(__file__).resolve().parents[2] / "seeds" / "places.csv"
    reopened = open_gazetteer(gazetteer.store.path, seeds)
    try:
        assert reopened.fingerprint == gazetteer.fingerprint
    finally:
        reopened.close()


def test_open_rebuilds_a_stale_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[Path] = []

    def fake_build(path: Path, seeds_csv: Path | None) -> None:
        built.append(path)
        build_module.write_gazetteer(path, [], [], {"fingerprint": source_fingerprint(None)})

    monkeypatch.setattr(build_module, "build_gazetteer", fake_build)
    path = tmp_path / "gazetteer.db"
    path.write_bytes(b"left over from an older version")
    open_gazetteer(path).close()
    open_gazetteer(path).close()
    assert built == [path]
