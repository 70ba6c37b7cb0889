"""Pages that may be served whole, once per published version (see `published_cache`).

A page marks its response with `cache_response` in its `serve`; `PublishedResponseMiddleware`
(in `published_cache`) stores only marked responses. Apart so page models can mark without
importing the cache, which imports them.
"""

from __future__ import annotations

from django.http import HttpResponseBase

_MARK = "_published_response"


def cache_response(response: HttpResponseBase) -> HttpResponseBase:
    """Let the middleware store this response for visitors without a session."""
    setattr(response, _MARK, True)
    return response


def is_marked(response: HttpResponseBase) -> bool:
    return getattr(response, _MARK, False)
