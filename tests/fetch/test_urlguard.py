"""The URL guard on literal addresses, local names, address tricks and resolved names."""

from __future__ import annotations

import asyncio
import socket

import pytest
from aiohttp.abc import AbstractResolver, ResolveResult

from briefing.urlguard import BlockedAddress, GuardedResolver, UnsafeURL, check_url, redact

SCHEME_ONLY = "only http and https URLs can be fetched"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "http://127.0.0.1/feed",
            "refusing http://127.0.0.1/feed: 127.0.0.1 is a loopback address",
        ),
        ("http://localhost/", "refusing http://localhost/: localhost is this machine"),
        ("http://LOCALHOST./x", "refusing http://LOCALHOST./x: localhost. is this machine"),
        (
            "http://admin.localhost/",
            "refusing http://admin.localhost/: admin.localhost is this machine",
        ),
        ("http://[::1]/", "refusing http://[::1]/: ::1 is a loopback address"),
        (
            "http://169.254.169.254/latest/meta-data/",
            "refusing http://169.254.169.254/latest/meta-data/: "
            "169.254.169.254 is a link-local address",
        ),
        ("http://10.0.0.1/", "refusing http://10.0.0.1/: 10.0.0.1 is a private address"),
        ("http://172.16.5.4/", "refusing http://172.16.5.4/: 172.16.5.4 is a private address"),
        ("https://192.168.1.1/", "refusing https://192.168.1.1/: 192.168.1.1 is a private address"),
        (
            "http://100.64.0.1/",
            "refusing http://100.64.0.1/: 100.64.0.1 is a shared (carrier-grade NAT) address",
        ),
        ("http://[fc00::1]/", "refusing http://[fc00::1]/: fc00::1 is a private address"),
        ("http://[fe80::1]/", "refusing http://[fe80::1]/: fe80::1 is a link-local address"),
        ("http://224.0.0.1/", "refusing http://224.0.0.1/: 224.0.0.1 is a multicast address"),
        ("http://0.0.0.0/", "refusing http://0.0.0.0/: 0.0.0.0 is an unspecified address"),
        ("http://240.0.0.1/", "refusing http://240.0.0.1/: 240.0.0.1 is a reserved address"),
        (
            "http://[::ffff:127.0.0.1]/",
            "refusing http://[::ffff:127.0.0.1]/: "
            "::ffff:7f00:1 is an IPv6 form of 127.0.0.1, a loopback address",
        ),
        (
            "http://[64:ff9b::a00:1]/",
            "refusing http://[64:ff9b::a00:1]/: 64:ff9b::a00:1 is an IPv6 form of 10.0.0.1, "
            "a private address",
        ),
        ("http://2130706433/", "refusing http://2130706433/: 2130706433 is a loopback address"),
        ("http://0x7f.1/", "refusing http://0x7f.1/: 0x7f.1 is a loopback address"),
        ("http://0177.0.0.1/", "refusing http://0177.0.0.1/: 0177.0.0.1 is a loopback address"),
        ("file:///etc/passwd", f"refusing file:///etc/passwd: {SCHEME_ONLY}"),
        ("ftp://example.org/feed", f"refusing ftp://example.org/feed: {SCHEME_ONLY}"),
        ("gopher://example.org/", f"refusing gopher://example.org/: {SCHEME_ONLY}"),
        ("data:text/plain,hi", f"refusing data:text/plain,hi: {SCHEME_ONLY}"),
        ("javascript:alert(1)", f"refusing javascript:alert(1): {SCHEME_ONLY}"),
        ("example.org/feed", f"refusing example.org/feed: {SCHEME_ONLY}"),
        ("http:///feed", "refusing http:///feed: the URL has no host"),
        (
            "http://reader:s3cret@example.org/feed",
            "refusing http://reader:***@example.org/feed: "
            "URLs with a user name or password are not fetched",
        ),
    ],
)
async def test_refused(url: str, message: str) -> None:
    with pytest.raises(UnsafeURL) as caught:
        await check_url(url, allow_private=False)
    assert str(caught.value) == message


@pytest.mark.parametrize("url", ["https://93.184.215.14/feed", "http://[2606:4700::1111]/"])
async def test_public_literal_addresses_pass(url: str) -> None:
    assert await check_url(url, allow_private=False) is None


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080/feed", "http://localhost/", "http://10.1.1.1"]
)
async def test_allow_private_lets_local_addresses_through(url: str) -> None:
    assert await check_url(url, allow_private=True) is None


async def test_allow_private_still_refuses_other_schemes() -> None:
    with pytest.raises(UnsafeURL) as caught:
        await check_url("file:///etc/passwd", allow_private=True)
    assert str(caught.value) == f"refusing file:///etc/passwd: {SCHEME_ONLY}"


def _fake_dns(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]) -> None:
    loop = asyncio.get_running_loop()

    async def getaddrinfo(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, 0))
            for a in answers[host]
        ]

    monkeypatch.setattr(loop, "getaddrinfo", getaddrinfo)


async def test_name_resolving_to_private_address_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _fake_dns(monkeypatch, {"intranet.example": ["93.184.215.14", "10.1.2.3"]})
    with pytest.raises(UnsafeURL) as caught:
        await check_url("http://intranet.example/wiki", allow_private=False)
    assert str(caught.value) == (
        "refusing http://intranet.example/wiki: intranet.example resolves to 10.1.2.3, "
        "a private address"
    )


async def test_name_resolving_to_public_addresses_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_dns(monkeypatch, {"news.example": ["93.184.215.14", "2606:4700::1111"]})
    assert await check_url("https://news.example/feed", allow_private=False) is None


async def test_unresolvable_name_is_left_to_the_request(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_dns(monkeypatch, {})
    assert await check_url("https://nowhere.example/feed", allow_private=False) is None


class _FixedResolver(AbstractResolver):
    def __init__(self, addresses: list[str]) -> None:
        self.addresses = addresses

    async def resolve(self, host, port=0, family=socket.AF_INET):  # type: ignore[no-untyped-def]
        return [
            ResolveResult(hostname=host, host=a, port=port, family=family, proto=6, flags=0)
            for a in self.addresses
        ]

    async def close(self) -> None:
        pass


async def test_guarded_resolver_drops_forbidden_addresses() -> None:
    resolver = GuardedResolver(_FixedResolver(["169.254.169.254", "93.184.215.14"]))
    results = await resolver.resolve("mixed.example", 443)
    assert [(r["host"], r["port"]) for r in results] == [("93.184.215.14", 443)]


async def test_guarded_resolver_refuses_when_nothing_is_left() -> None:
    resolver = GuardedResolver(_FixedResolver(["10.0.0.7", "::1"]))
    with pytest.raises(BlockedAddress) as caught:
        await resolver.resolve("inside.example", 80)
    assert str(caught.value) == (
        "inside.example resolves only to forbidden addresses: "
        "10.0.0.7 (a private address), ::1 (a loopback address)"
    )


async def test_guarded_resolver_refuses_localhost_names() -> None:
    resolver = GuardedResolver(_FixedResolver(["93.184.215.14"]))
    with pytest.raises(BlockedAddress) as caught:
        await resolver.resolve("db.localhost", 80)
    assert str(caught.value) == "db.localhost is this machine"


def test_redact_hides_passwords_only() -> None:
    assert [redact("http://u:p@h.example/x"), redact("http://h.example/x")] == [
        "http://u:***@h.example/x",
        "http://h.example/x",
    ]
