"""The fetcher against a local server: the happy path and every way a source can misbehave."""

from __future__ import annotations

import asyncio
import socket
from datetime import timedelta

import pytest

import briefing.fetch
from briefing.fetch import Fetcher, FetchError, FetchResult, backoff_delay, human_size
from briefing.urlguard import check_url
from tests.fetch.conftest import ETAG, FEED, LAST_MODIFIED, LocalSite


async def _error(fetcher: Fetcher, url: str) -> FetchError:
    with pytest.raises(FetchError) as caught:
        await fetcher.fetch(url)
    return caught.value


async def test_fetches_a_feed_with_its_validators(site: LocalSite) -> None:
    async with Fetcher(allow_private=True, user_agent="Sitrep-test/1") as fetcher:
        result = await fetcher.fetch(site.url("/feed.xml"))
    assert result == FetchResult(
        url=site.url("/feed.xml"),
        status=200,
        body=FEED,
        content_type="application/rss+xml",
        etag=ETAG,
        last_modified=LAST_MODIFIED,
        not_modified=False,
    )
    headers = site.requests[0][1]
    assert (headers["User-Agent"], "If-None-Match" in headers) == ("Sitrep-test/1", False)


async def test_etag_gives_cheap_not_modified(site: LocalSite) -> None:
    async with Fetcher(allow_private=True) as fetcher:
        result = await fetcher.fetch(site.url("/feed.xml"), etag=ETAG)
    assert result == FetchResult(site.url("/feed.xml"), 304, b"", None, ETAG, None, True)
    assert site.requests[0][1]["If-None-Match"] == ETAG


async def test_last_modified_gives_not_modified_and_keeps_the_validator(site: LocalSite) -> None:
    async with Fetcher(allow_private=True) as fetcher:
        result = await fetcher.fetch(site.url("/feed.xml"), last_modified=LAST_MODIFIED)
    assert result == FetchResult(site.url("/feed.xml"), 304, b"", None, None, LAST_MODIFIED, True)


async def test_gzip_body_is_decompressed(site: LocalSite) -> None:
    async with Fetcher(allow_private=True) as fetcher:
        result = await fetcher.fetch(site.url("/small-gzip"))
    assert (result.status, result.body) == (200, FEED)


async def test_follows_a_redirect_chain(site: LocalSite) -> None:
    async with Fetcher(allow_private=True, max_redirects=5) as fetcher:
        result = await fetcher.fetch(site.url("/redirect/3"))
    assert (result.url, result.status, result.body) == (site.url("/feed.xml"), 200, FEED)
    assert site.paths == ["/redirect/3", "/redirect/2", "/redirect/1", "/redirect/0", "/feed.xml"]


async def test_too_many_redirects(site: LocalSite) -> None:
    async with Fetcher(allow_private=True, max_redirects=3) as fetcher:
        error = await _error(fetcher, site.url("/loop"))
    assert (str(error), error.status) == (f"{site.url('/loop')}: too many redirects", None)
    assert site.paths == ["/loop"] * 4


async def test_redirect_without_location(site: LocalSite) -> None:
    async with Fetcher(allow_private=True) as fetcher:
        error = await _error(fetcher, site.url("/no-location"))
    assert (str(error), error.status) == (
        f"{site.url('/no-location')}: server answered 302 without saying where to go",
        302,
    )


async def test_redirect_to_a_file_url_is_refused_even_when_private_is_allowed(
    site: LocalSite,
) -> None:
    async with Fetcher(allow_private=True) as fetcher:
        error = await _error(fetcher, site.url("/to-file"))
    assert str(error) == (
        f"{site.url('/to-file')}: redirect refused: "
        "refusing file:///etc/passwd: only http and https URLs can be fetched"
    )


async def test_redirect_to_cloud_metadata_is_refused(
    site: LocalSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Everything on 127.0.0.1 is loopback, so let the test site itself through and keep the
    # real guard for every other hop.
    origin = site.url("/")

    async def guard_except_test_site(url: str, *, allow_private: bool) -> None:
        await check_url(url, allow_private=allow_private or url.startswith(origin))

    monkeypatch.setattr(briefing.fetch, "check_url", guard_except_test_site)
    async with Fetcher(allow_private=False) as fetcher:
        error = await _error(fetcher, site.url("/to-metadata"))
    assert str(error) == (
        f"{site.url('/to-metadata')}: redirect refused: refusing "
        "http://169.254.169.254/latest/meta-data/: 169.254.169.254 is a link-local address"
    )
    assert site.paths == ["/to-metadata"]


async def test_private_address_is_refused_before_connecting(site: LocalSite) -> None:
    async with Fetcher(allow_private=False) as fetcher:
        error = await _error(fetcher, site.url("/feed.xml"))
    assert str(error) == f"refusing {site.url('/feed.xml')}: 127.0.0.1 is a loopback address"
    assert site.requests == []


async def test_rebinding_name_is_refused_at_connect_time(
    site: LocalSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The name looks public when checked and points inward when connected."""
    answers = iter(["93.184.215.14", "127.0.0.1", "127.0.0.1"])
    loop = asyncio.get_running_loop()

    async def fake_getaddrinfo(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        assert host == "rebind.test"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port or 0))]

    monkeypatch.setattr(loop, "getaddrinfo", fake_getaddrinfo)
    url = f"http://rebind.test:{site.server.port}/feed.xml"
    async with Fetcher(allow_private=False) as fetcher:
        error = await _error(fetcher, url)
    assert str(error) == (
        f"refusing {url}: rebind.test resolves only to forbidden addresses: "
        "127.0.0.1 (a loopback address)"
    )
    assert site.requests == []


async def test_slow_server_times_out(site: LocalSite) -> None:
    async with Fetcher(allow_private=True, timeout=0.3) as fetcher:
        error = await _error(fetcher, site.url("/slow"))
    assert (str(error), error.status) == (f"{site.url('/slow')}: no answer within 0.3 s", None)


async def test_declared_length_over_the_cap_is_refused_without_reading(site: LocalSite) -> None:
    async with Fetcher(allow_private=True, max_bytes=64 * 1024, timeout=5) as fetcher:
        error = await _error(fetcher, site.url("/huge-length"))
    assert str(error) == f"{site.url('/huge-length')}: response larger than 64 kB"


async def test_chunked_body_over_the_cap_is_cut_off(site: LocalSite) -> None:
    async with Fetcher(allow_private=True, max_bytes=100 * 1024) as fetcher:
        error = await _error(fetcher, site.url("/huge-chunked"))
    assert str(error) == f"{site.url('/huge-chunked')}: response larger than 100 kB"


async def test_gzip_bomb_is_capped_after_decompression(site: LocalSite) -> None:
    async with Fetcher(allow_private=True, max_bytes=1024 * 1024) as fetcher:
        error = await _error(fetcher, site.url("/gzip-bomb"))
    assert str(error) == f"{site.url('/gzip-bomb')}: response larger than 1 MB"


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/error", 500, "server answered 500 Internal Server Error"),
        ("/missing", 404, "server answered 404 Not Found"),
    ],
)
async def test_http_errors_carry_their_status(
    site: LocalSite, path: str, status: int, message: str
) -> None:
    async with Fetcher(allow_private=True) as fetcher:
        error = await _error(fetcher, site.url(path))
    assert (str(error), error.status) == (f"{site.url(path)}: {message}", status)


async def test_connection_refused(closed_port: int) -> None:
    url = f"http://127.0.0.1:{closed_port}/feed.xml"
    async with Fetcher(allow_private=True) as fetcher:
        error = await _error(fetcher, url)
    assert (str(error), error.status) == (f"{url}: could not connect (connection refused)", None)


async def test_unsafe_url_is_a_fetch_error() -> None:
    async with Fetcher() as fetcher:
        error = await _error(fetcher, "file:///etc/passwd")
    assert str(error) == "refusing file:///etc/passwd: only http and https URLs can be fetched"


async def test_per_host_limit(site: LocalSite) -> None:
    async with Fetcher(allow_private=True, per_host=2) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(site.url(f"/busy/{n}")) for n in range(6)))
    assert ([r.body for r in results], site.peak) == ([b"ok"] * 6, 2)


async def test_session_is_reopened_after_close(site: LocalSite) -> None:
    fetcher = Fetcher(allow_private=True)
    first = await fetcher.fetch(site.url("/feed.xml"))
    await fetcher.close()
    second = await fetcher.fetch(site.url("/feed.xml"))
    await fetcher.close()
    assert (first.body, second.body) == (FEED, FEED)


@pytest.mark.parametrize(
    ("failures", "expected"),
    [
        (0, timedelta(0)),
        (1, timedelta(minutes=30)),
        (2, timedelta(hours=1)),
        (4, timedelta(hours=4)),
        (6, timedelta(hours=16)),
        (7, timedelta(hours=24)),
        (500, timedelta(hours=24)),
    ],
)
def test_backoff_delay(failures: int, expected: timedelta) -> None:
    assert backoff_delay(failures, base_minutes=30) == expected


def test_backoff_delay_custom_cap() -> None:
    assert backoff_delay(10, base_minutes=5, cap_hours=2) == timedelta(hours=2)


@pytest.mark.parametrize(
    ("count", "text"),
    [(900, "900 bytes"), (64 * 1024, "64 kB"), (5 * 1024 * 1024, "5 MB"), (1536 * 1024, "1.5 MB")],
)
def test_human_size(count: int, text: str) -> None:
    assert human_size(count) == text


async def test_one_fetcher_across_event_loops(site: LocalSite) -> None:
    """A CLI may call `asyncio.run` more than once with the same Fetcher."""
    fetcher = Fetcher(allow_private=True, per_host=1)
    bodies: list[bytes] = []

    async def once() -> None:
        bodies.append((await fetcher.fetch(site.url("/feed.xml"))).body)
        await fetcher.close()

    def run_twice() -> None:
        asyncio.run(once())
        asyncio.run(once())

    # In a thread, so this test's own loop keeps serving the site meanwhile.
    await asyncio.to_thread(run_twice)
    assert bodies == [FEED, FEED]


async def test_waiting_for_a_host_slot_is_not_a_timeout(site: LocalSite) -> None:
    async with Fetcher(allow_private=True, per_host=1, timeout=0.3) as fetcher:
        slow, queued = await asyncio.gather(
            fetcher.fetch(site.url("/slow")),
            fetcher.fetch(site.url("/feed.xml")),
            return_exceptions=True,
        )
    assert (str(slow), queued.body) == (f"{site.url('/slow')}: no answer within 0.3 s", FEED)
