"""Who is asking: the client's address as our own reverse proxies saw it.

Threat model: anyone can write an X-Forwarded-For header. It is believed only as far as the
proxies we run wrote it: `TRUSTED_PROXY_COUNT` entries from its right, and only when the
request and every hop read came from `TRUSTED_PROXIES`. A client reaching the application
directly, past the proxy, is known by its own address whatever header it sends.

Rate limits key clients by network rather than address where one client holds many: an IPv6
host usually controls a whole /64.
"""

from __future__ import annotations

import ipaddress
import logging
from functools import cache, lru_cache

from django.conf import settings
from django.http import HttpRequest

logger = logging.getLogger(__name__)

IPV6_CLIENT_PREFIX = 64

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _parse(value: str) -> Address | None:
    try:
        address = ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


@lru_cache(maxsize=8)
def _trusted_networks(
    proxies: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_trusted_proxy(address: Address | None) -> bool:
    if address is None:
        return False
    return any(address in network for network in _trusted_networks(tuple(settings.TRUSTED_PROXIES)))


@cache
def _warn_of_a_request_around_the_proxies() -> None:
    """Once per process, without the address: every visitor's click would otherwise write
    their IP address to the log (supports promise to keep none)."""
    logger.warning(
        "A request came from outside TRUSTED_PROXIES: its X-Forwarded-For is ignored "
        "(said once per process; compare the front server's log to find where from)."
    )


def client_address_of(request: HttpRequest) -> str:
    """The client's IP address: REMOTE_ADDR, or what our trusted proxies saw."""
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    if not _is_trusted_proxy(_parse(remote)):
        _warn_of_a_request_around_the_proxies()
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < hops:
        return remote
    # The entries right of the client's were written by proxies in front of the last one.
    if not all(_is_trusted_proxy(_parse(hop)) for hop in forwarded[len(forwarded) - hops + 1 :]):
        return remote
    client = _parse(forwarded[-hops])
    return str(client) if client is not None else remote


def client_network(address: str) -> str:
    """What a rate limit counts: the address itself, or its /64 for IPv6."""
    parsed = _parse(address)
    if parsed is None:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_CLIENT_PREFIX}", strict=False))
    return str(parsed)
