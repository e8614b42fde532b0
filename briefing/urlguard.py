"""Keep the fetcher away from the machine it runs on and the network behind it.

Sources are added by chat users, so a URL is untrusted input: without this guard anyone could
make the bot read `http://169.254.169.254/` (cloud credentials), an admin panel on
`localhost` or a file on disk. The check runs twice: `check_url` before every request and
redirect hop (clear messages), and `GuardedResolver` inside the HTTP connector, because a
name can resolve to a public address for the check and to a private one a moment later
(DNS rebinding).
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
import socket

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver
from yarl import URL

log = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_LOCAL_NAMES = frozenset({"localhost", "ip6-localhost", "ip6-loopback"})
_NUMERIC_PART = re.compile(r"(?:0[xX][0-9a-fA-F]*|[0-9]+)\Z")


class UnsafeURL(ValueError):
    """A URL the bot will not fetch; the message is one line, fit to show a user."""


class BlockedAddress(OSError):
    """Raised inside the connector when a name resolves only to forbidden addresses.

    An `OSError`, so aiohttp reports it as a failed connection and the fetcher can tell it
    apart from an ordinary DNS failure.
    """


def redact(url: str) -> str:
    """The URL as it may be shown to users and logs: any password replaced by `***`."""
    try:
        parsed = URL(url)
    except (ValueError, TypeError):
        return url
    if parsed.password is None:
        return url
    return str(parsed.with_password("***"))


def address_problem(address: IPAddress) -> str | None:
    """Why connecting to `address` is not allowed, or None for a public address."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            problem = address_problem(embedded)
            return f"an IPv6 form of {embedded}, {problem}" if problem else None
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    if isinstance(address, ipaddress.IPv4Address) and address in _CGNAT:
        return "a shared (carrier-grade NAT) address"
    if address.is_reserved:
        return "a reserved address"
    if address.is_private:
        return "a private address"
    if not address.is_global:
        return "not a public address"
    return None


def _literal_address(host: str) -> IPAddress | None:
    """The address a host names directly, including the decimal/octal/hex spellings
    (`2130706433`, `0x7f.1`) that resolvers accept and naive checks miss."""
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    parts = host.split(".")
    if 1 <= len(parts) <= 4 and all(_NUMERIC_PART.match(part) for part in parts):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def _is_local_name(host: str) -> bool:
    name = host.rstrip(".").lower()
    return name in _LOCAL_NAMES or name.endswith(".localhost")


async def _resolve(host: str) -> list[IPAddress]:
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        # Not our verdict to give: the request itself will fail with a clear DNS error,
        # and the connector's resolver still filters whatever the name resolves to later.
        log.debug("could not resolve %s while checking it: %s", host, exc)
        return []
    addresses = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        literal = _literal_address(str(sockaddr[0]))
        if literal is not None:
            addresses.append(literal)
    return addresses


async def check_url(url: str, *, allow_private: bool) -> None:
    """Raise `UnsafeURL` unless `url` is an http(s) URL the bot may fetch.

    With `allow_private` (tests, or a bot that deliberately reads an intranet) only the
    scheme, host and credential rules apply.
    """
    shown = redact(url)
    try:
        parsed = URL(url)
    except (ValueError, TypeError) as exc:
        raise UnsafeURL(f"refusing {shown}: not a valid URL") from exc
    if parsed.scheme not in ("http", "https"):
        raise UnsafeURL(f"refusing {shown}: only http and https URLs can be fetched")
    host = parsed.host
    if not host:
        raise UnsafeURL(f"refusing {shown}: the URL has no host")
    if parsed.user is not None or parsed.password is not None:
        raise UnsafeURL(f"refusing {shown}: URLs with a user name or password are not fetched")
    if allow_private:
        return
    if _is_local_name(host):
        raise UnsafeURL(f"refusing {shown}: {host} is this machine")
    literal = _literal_address(host)
    if literal is not None:
        problem = address_problem(literal)
        if problem:
            raise UnsafeURL(f"refusing {shown}: {host} is {problem}")
        return
    for address in await _resolve(host):
        problem = address_problem(address)
        if problem:
            raise UnsafeURL(f"refusing {shown}: {host} resolves to {address}, {problem}")


class GuardedResolver(AbstractResolver):
    """A resolver for aiohttp's connector that drops forbidden addresses at connect time.

    This is what makes the guard hold for redirects and for names whose answer changes
    between the check and the connection.
    """

    def __init__(self, inner: AbstractResolver | None = None) -> None:
        self._inner = inner or ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        if _is_local_name(host):
            raise BlockedAddress(f"{host} is this machine")
        results = await self._inner.resolve(host, port, family)
        allowed: list[ResolveResult] = []
        refused: list[str] = []
        for result in results:
            address = _literal_address(str(result["host"]))
            problem = "not an IP address" if address is None else address_problem(address)
            if problem:
                refused.append(f"{result['host']} ({problem})")
            else:
                allowed.append(result)
        if refused:
            log.warning("dropped forbidden addresses for %s: %s", host, ", ".join(refused))
        if not allowed:
            listed = ", ".join(refused)
            raise BlockedAddress(f"{host} resolves only to forbidden addresses: {listed}")
        return allowed

    async def close(self) -> None:
        await self._inner.close()

    def __repr__(self) -> str:
        return f"GuardedResolver({self._inner!r})"
