"""Fetch sources over HTTP politely and defensively.

One shared `aiohttp.ClientSession` per process keeps connections and DNS answers warm across
polls. Everything a hostile or broken server could do to us is bounded: the time it takes
(a deadline per request, body included), the bytes it sends (counted after
decompression, so a gzip bomb stops at the cap), where it sends us (every redirect hop goes
through the URL guard) and how hard we hit one host (a small per-host limit). Conditional
GET (ETag / Last-Modified) makes an unchanged feed cost one tiny request.

Failures become `FetchError` with a single line a chat user can read.
"""

from __future__ import annotations

import asyncio
import errno
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from types import TracebackType

import aiohttp
from yarl import URL

from briefing.urlguard import BlockedAddress, GuardedResolver, UnsafeURL, check_url, redact

log = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, text/plain;q=0.7, */*;q=0.5"
)
CHUNK_BYTES = 64 * 1024


class FetchError(Exception):
    """A fetch that failed; `str()` is one line fit for a chat reply.

    `status` is the HTTP status for answers the server did give (4xx/5xx), else None, so the
    scheduler can tell "gone" (404/410) from "down".
    """

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class FetchResult:
    """What a fetch returned. `url` is the final URL after redirects."""

    url: str
    status: int
    body: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None
    not_modified: bool


def human_size(count: int) -> str:
    """`5 MB`, `64 kB`, `900 bytes`: sizes as people write them."""
    for unit, factor in (("MB", 1024 * 1024), ("kB", 1024)):
        if count >= factor:
            value = count / factor
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{count} bytes"


def backoff_delay(failures: int, *, base_minutes: float, cap_hours: float = 24) -> timedelta:
    """How long to leave a failing source alone: doubling from `base_minutes`, capped.

    Exponential so a dead site stops costing polls, capped so it is retried at least daily
    and picked up again soon after it comes back.
    """
    if failures <= 0:
        return timedelta(0)
    minutes = base_minutes * 2.0 ** min(failures - 1, 60)
    return timedelta(minutes=min(minutes, cap_hours * 60))


def _connect_problem(exc: aiohttp.ClientConnectorError) -> str:
    os_error = exc.os_error
    if isinstance(exc, aiohttp.ClientSSLError):
        return f"could not connect (TLS problem: {os_error or exc})"
    if os_error.errno == errno.ECONNREFUSED or isinstance(os_error, ConnectionRefusedError):
        return "could not connect (connection refused)"
    reason = os_error.strerror or str(os_error) or type(os_error).__name__
    return f"could not connect ({reason.lower()})"


class Fetcher:
    """The process-wide HTTP client for sources; use as `async with Fetcher() as f:`."""

    def __init__(
        self,
        *,
        allow_private: bool = False,
        max_bytes: int = 5 * 1024 * 1024,
        timeout: float = 20.0,
        user_agent: str = "Sitrep/0.1",
        max_redirects: int = 5,
        per_host: int = 2,
    ) -> None:
        self.allow_private = allow_private
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.user_agent = user_agent
        self.max_redirects = max_redirects
        self.per_host = per_host
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._slots: dict[str, asyncio.Semaphore] = {}

    async def __aenter__(self) -> Fetcher:
        self._get_session()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None
        self._slots.clear()

    def _get_session(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            # Sessions and semaphores belong to one event loop; a CLI that runs several
            # `asyncio.run` calls with one Fetcher gets fresh ones instead of errors.
            self._session, self._loop, self._slots = None, loop, {}
        if self._session is None or self._session.closed:
            # The guarded resolver is what stops DNS rebinding and redirects to names that
            # resolve inward; literal IPs skip resolvers, and check_url covers those.
            resolver = None if self.allow_private else GuardedResolver()
            connector = aiohttp.TCPConnector(resolver=resolver, limit=64)
            self._session = aiohttp.ClientSession(
                connector=connector,
                timeout=aiohttp.ClientTimeout(
                    total=self.timeout, sock_connect=self.timeout, sock_read=self.timeout
                ),
                headers={"User-Agent": self.user_agent, "Accept": ACCEPT},
                cookie_jar=aiohttp.DummyCookieJar(),
            )
        return self._session

    @asynccontextmanager
    async def _host_slot(self, host: str) -> AsyncIterator[None]:
        slot = self._slots.get(host)
        if slot is None:
            slot = self._slots[host] = asyncio.Semaphore(self.per_host)
        async with slot:
            yield

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET `url`, following redirects; raise `FetchError` on any failure.

        Pass the `etag` / `last_modified` stored from the previous fetch: an unchanged
        source then answers 304 and comes back as `not_modified=True` with an empty body.
        """
        shown = redact(url)
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            result = await self._follow(url, shown, headers)
        except TimeoutError as exc:
            raise FetchError(f"{shown}: no answer within {self.timeout:g} s") from exc
        if result.not_modified:
            result.etag = result.etag or etag
            result.last_modified = result.last_modified or last_modified
        return result

    async def _follow(self, url: str, shown: str, headers: dict[str, str]) -> FetchResult:
        current = url
        for hop in range(self.max_redirects + 1):
            try:
                async with asyncio.timeout(self.timeout):  # the DNS lookup can hang too
                    await check_url(current, allow_private=self.allow_private)
            except UnsafeURL as exc:
                if hop == 0:
                    raise FetchError(str(exc)) from exc
                raise FetchError(f"{shown}: redirect refused: {exc}") from exc
            result, location = await self._request(current, shown, headers)
            if result is not None:
                return result
            log.debug("%s redirects to %s", redact(current), redact(location))
            current = location
        raise FetchError(f"{shown}: too many redirects")

    async def _request(
        self, url: str, shown: str, headers: dict[str, str]
    ) -> tuple[FetchResult | None, str]:
        """One hop: the result, or (None, next URL) for a redirect.

        The deadline starts once this request holds its per-host slot, so waiting behind
        other requests to the same host is never reported as a slow server.
        """
        session = self._get_session()
        try:
            target = URL(url)
            async with self._host_slot(target.host or ""), asyncio.timeout(self.timeout):
                async with session.get(target, headers=headers, allow_redirects=False) as resp:
                    return await self._handle(resp, shown)
        except FetchError:
            raise
        except TimeoutError:
            raise
        except aiohttp.ClientConnectorDNSError as exc:
            if isinstance(exc.os_error, BlockedAddress):
                raise FetchError(f"refusing {shown}: {exc.os_error}") from exc
            raise FetchError(f"{shown}: could not find the host {exc.host}") from exc
        except aiohttp.ClientConnectorError as exc:
            raise FetchError(f"{shown}: {_connect_problem(exc)}") from exc
        except aiohttp.ClientPayloadError as exc:
            raise FetchError(f"{shown}: the response was cut off or garbled") from exc
        except aiohttp.ServerDisconnectedError as exc:
            raise FetchError(f"{shown}: the server closed the connection") from exc
        except (aiohttp.InvalidURL, ValueError) as exc:
            raise FetchError(f"{shown}: not a valid URL") from exc
        except aiohttp.ClientError as exc:
            raise FetchError(f"{shown}: request failed ({type(exc).__name__})") from exc

    async def _handle(
        self, resp: aiohttp.ClientResponse, shown: str
    ) -> tuple[FetchResult | None, str]:
        if resp.status in REDIRECT_STATUSES:
            location = resp.headers.get("Location")
            if not location:
                raise FetchError(
                    f"{shown}: server answered {resp.status} without saying where to go",
                    status=resp.status,
                )
            try:
                return None, str(resp.url.join(URL(location)))
            except ValueError as exc:
                raise FetchError(f"{shown}: redirected to an invalid URL") from exc
        etag = resp.headers.get("ETag")
        last_modified = resp.headers.get("Last-Modified")
        content_type = resp.headers.get("Content-Type")
        if resp.status == 304:
            return (
                FetchResult(str(resp.url), 304, b"", content_type, etag, last_modified, True),
                "",
            )
        if not 200 <= resp.status < 300:
            reason = f" {resp.reason}" if resp.reason else ""
            raise FetchError(f"{shown}: server answered {resp.status}{reason}", status=resp.status)
        body = await self._read_capped(resp, shown)
        result = FetchResult(
            str(resp.url), resp.status, body, content_type, etag, last_modified, False
        )
        return result, ""

    async def _read_capped(self, resp: aiohttp.ClientResponse, shown: str) -> bytes:
        """Read the body, giving up as soon as it passes `max_bytes`.

        aiohttp hands us decompressed chunks, so counting here caps the inflated size.
        """
        too_big = f"{shown}: response larger than {human_size(self.max_bytes)}"
        if resp.content_length is not None and resp.content_length > self.max_bytes:
            raise FetchError(too_big)
        chunks: list[bytes] = []
        received = 0
        async for chunk in resp.content.iter_chunked(CHUNK_BYTES):
            received += len(chunk)
            if received > self.max_bytes:
                raise FetchError(too_big)
            chunks.append(chunk)
        return b"".join(chunks)
