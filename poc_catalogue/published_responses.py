"""Pages that may be served whole, once per published version (see `published_cache`).

A page marks its response with `cache_response` in its `serve`; `PublishedResponseMiddleware`
(in `published_cache`) stores only marked responses. Apart so page models can mark without
importing the cache, which imports them.
"""

from __future__ import annotations

from django.http import HttpResponseBase

_MARK = "_published_response"


def cache_response(response: HttpResponseBase, keyed_on: tuple[str, ...] = ()) -> HttpResponseBase:
    """Let the middleware store this response for visitors without a session.

    `keyed_on`: request headers the response depends on besides the address (those it names
    in `Vary`), stored apart for each of their values.
    """
    setattr(response, _MARK, tuple(keyed_on))
    return response


def stored_on(response: HttpResponseBase) -> tuple[str, ...] | None:
    """The headers a marked response is keyed on; None when the page did not mark it."""
    return getattr(response, _MARK, None)
