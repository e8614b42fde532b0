"""Fixtures shared by the whole suite: a fresh database per test, the gazetteer built once,
an App wired like production, and a feed site served on 127.0.0.1."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED_SEED = ROOT.parent / "shared" / "seeds" / "000_ff1d0953de1980e2.txt"
NO_SHARED = "../shared/seeds/ is not beside this clone; the original report lives only there"


def cache_dir() -> Path:
    path = Path(os.environ.get("SITREP_TEST_CACHE", Path.home() / ".cache" / "sitrep-tests"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def gazetteer_path() -> Path:
    """The gazetteer, built once per machine (and again when its build version changes)."""
    from briefing.places import BUILD_VERSION, open_gazetteer

    path = cache_dir() / f"gazetteer-{BUILD_VERSION}.db"
    open_gazetteer(path, SEEDS / "places.csv")
    return path


@pytest.fixture(scope="session")
def gazetteer(gazetteer_path: Path):
    from briefing.places import open_gazetteer

    return open_gazetteer(gazetteer_path, SEEDS / "places.csv")


@pytest.fixture(scope="session")
def mention_finder(gazetteer):
    from briefing.places import MentionFinder

    return MentionFinder(gazetteer)


@pytest.fixture
def settings(tmp_path: Path, gazetteer_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Settings for one test: its own database, the shared gazetteer, private URLs allowed
    (every test server is on 127.0.0.1), and no chat tokens."""
    from bot.settings import load_settings

    for name in ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env from the developer's checkout
    return load_settings(
        database_path=tmp_path / "sitrep.db",
        gazetteer_path=gazetteer_path,
        seeds_dir=SEEDS,
        allow_private_urls=True,
        fetch_timeout=5.0,
    )


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2021, 7, 10, 9, 0, tzinfo=UTC))


@pytest.fixture
async def app(settings, clock, gazetteer) -> AsyncIterator:
    from bot.app import App

    application = App(settings, clock=clock)
    application.__dict__["gazetteer"] = gazetteer  # share the session's, already open
    yield application
    await application.close()


@dataclass
class Page:
    body: bytes
    status: int = 200
    content_type: str = "application/rss+xml"
    etag: str | None = None


@dataclass
class FeedSite:
    """Pages served on 127.0.0.1; tests change them between polls."""

    server: TestServer
    pages: dict[str, Page] = field(default_factory=dict)
    hits: list[tuple[str, str | None]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return str(self.server.make_url(path))


@pytest.fixture
async def feed_site() -> AsyncIterator[FeedSite]:
    site_ref: list[FeedSite] = []

    async def serve(request: web.Request) -> web.Response:
        site = site_ref[0]
        site.hits.append((request.path, request.headers.get("If-None-Match")))
        page = site.pages.get(request.path)
        if page is None:
            return web.Response(status=404, text="not found")
        if page.etag and request.headers.get("If-None-Match") == page.etag:
            return web.Response(status=304, headers={"ETag": page.etag})
        headers = {"ETag": page.etag} if page.etag else {}
        return web.Response(
            status=page.status, body=page.body, headers=headers, content_type=page.content_type
        )

    application = web.Application()
    application.router.add_route("GET", "/{tail:.*}", serve)
    server = TestServer(application, host="127.0.0.1", port=0)
    await server.start_server()
    site_ref.append(FeedSite(server))
    yield site_ref[0]
    await server.close()
