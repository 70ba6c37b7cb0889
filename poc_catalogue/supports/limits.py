"""How many supports (given or withdrawn) one network may send per hour.

Threat model: a script that drops its cookie can support a POC again and again; the limit
per network (an IPv4 address, or an IPv6 /64, as the submission form counts clients) bounds
what it adds. The count lives in Django's cache, never in the database, under an HMAC of the
network keyed by SECRET_KEY and the hour: the key cannot be reversed to an address, cannot be
linked from one hour to the next, and expires with the hour.

With the default per-process memory cache the limit holds per worker process; a shared cache
(`CACHES`) makes it hold for the whole site.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest

from poc_catalogue.submissions.clients import client_address_of, client_network

WINDOW_SECONDS = 3600


def _key(request: HttpRequest, hour: int) -> str:
    network = client_network(client_address_of(request))
    secret = f"{settings.SECRET_KEY}:supports:{hour}".encode()
    return "supports-limit:" + hmac.new(secret, network.encode(), hashlib.sha256).hexdigest()


def admit(request: HttpRequest) -> bool:
    """Count one change from this request's network; False once the hour's limit is passed."""
    hour = int(time.time()) // WINDOW_SECONDS
    cache = caches[settings.SUPPORT_RATE_CACHE]
    key = _key(request, hour)
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        used = 1
    return used <= settings.SUPPORT_RATE_LIMIT_PER_HOUR
