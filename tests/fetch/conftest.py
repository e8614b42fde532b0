"""A small web site on 127.0.0.1 that misbehaves in every way the fetcher must survive."""

from __future__ import annotations

import asyncio
import gzip
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

FEED = (
    b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Local</title>'
    b"<item><title>One</title><link>https://example.org/1</link></item></channel></rss>\n"
)
ETAG = '"feed-v1"'
LAST_MODIFIED = "Fri, 09 Jul 2021 10:00:00 GMT"
HOLD_SECONDS = 5  # how long the slow handlers would hang if the fetcher waited for them


@dataclass
class LocalSite:
    server: TestServer
    release: asyncio.Event
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    active: int = 0
    peak: int = 0

    def url(self, path: str) -> str:
        return str(self.server.make_url(path))

    @property
    def paths(self) -> list[str]:
        return [path for path, _headers in self.requests]


def _app(site_ref: list[LocalSite]) -> web.Application:
    def site() -> LocalSite:
        return site_ref[0]

    @web.middleware
    async def record(request: web.Request, handler):  # type: ignore[no-untyped-def]
        site().requests.append((request.path, dict(request.headers)))
        return await handler(request)

    async def hold() -> None:
        try:
            await asyncio.wait_for(site().release.wait(), HOLD_SECONDS)
        except TimeoutError:
            pass

    async def feed(request: web.Request) -> web.StreamResponse:
        if request.headers.get("If-None-Match") == ETAG:
            return web.Response(status=304, headers={"ETag": ETAG})
        if request.headers.get("If-Modified-Since") == LAST_MODIFIED:
            return web.Response(status=304)
        return web.Response(
            body=FEED,
            content_type="application/rss+xml",
            headers={"ETag": ETAG, "Last-Modified": LAST_MODIFIED},
        )

    async def redirect(request: web.Request) -> web.StreamResponse:
        left = int(request.match_info["left"])
        target = f"/redirect/{left - 1}" if left > 0 else "/feed.xml"
        raise web.HTTPFound(target)

    def redirect_to(target: str):  # type: ignore[no-untyped-def]
        async def handler(request: web.Request) -> web.StreamResponse:
            raise web.HTTPFound(target)

        return handler

    async def no_location(request: web.Request) -> web.StreamResponse:
        return web.Response(status=302)

    async def slow(request: web.Request) -> web.StreamResponse:
        await hold()
        return web.Response(text="late")

    async def huge_length(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/xml"})
        response.content_length = 10 * 1024 * 1024
        await response.prepare(request)
        await response.write(b"<rss>" + b" " * 1000)
        await hold()
        return response

    async def huge_chunked(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/plain"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        for _ in range(64):
            await response.write(b"x" * 16 * 1024)
        await response.write_eof()
        return response

    async def gzip_bomb(request: web.Request) -> web.StreamResponse:
        return web.Response(
            body=gzip.compress(b"\0" * 8 * 1024 * 1024),
            headers={"Content-Encoding": "gzip", "Content-Type": "text/plain"},
        )

    async def small_gzip(request: web.Request) -> web.StreamResponse:
        return web.Response(
            body=gzip.compress(FEED),
            headers={"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"},
        )

    async def error(request: web.Request) -> web.StreamResponse:
        return web.Response(status=500, text="boom")

    async def missing(request: web.Request) -> web.StreamResponse:
        return web.Response(status=404, text="nothing here")

    async def busy(request: web.Request) -> web.StreamResponse:
        state = site()
        state.active += 1
        state.peak = max(state.peak, state.active)
        try:
            if state.active < 2:
                # Wait (briefly) for company, so a second concurrent request shows up in `peak`.
                for _ in range(100):
                    if state.peak >= 2:
                        break
                    await asyncio.sleep(0.01)
            await asyncio.sleep(0)
            return web.Response(text="ok")
        finally:
            state.active -= 1

    app = web.Application(middlewares=[record])
    app.router.add_get("/feed.xml", feed)
    app.router.add_get("/redirect/{left:\\d+}", redirect)
    app.router.add_get("/loop", redirect_to("/loop"))
    app.router.add_get("/to-file", redirect_to("file:///etc/passwd"))
    app.router.add_get("/to-metadata", redirect_to("http://169.254.169.254/latest/meta-data/"))
    app.router.add_get("/no-location", no_location)
    app.router.add_get("/slow", slow)
    app.router.add_get("/huge-length", huge_length)
    app.router.add_get("/huge-chunked", huge_chunked)
    app.router.add_get("/gzip-bomb", gzip_bomb)
    app.router.add_get("/small-gzip", small_gzip)
    app.router.add_get("/error", error)
    app.router.add_get("/missing", missing)
    app.router.add_get("/busy/{n}", busy)
    return app


@pytest.fixture
async def site() -> AsyncIterator[LocalSite]:
    holder: list[LocalSite] = []
    server = TestServer(_app(holder), host="127.0.0.1", port=0)
    holder.append(LocalSite(server=server, release=asyncio.Event()))
    await server.start_server()
    try:
        yield holder[0]
    finally:
        holder[0].release.set()
        await server.close()


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 nobody listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
