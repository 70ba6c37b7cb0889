"""Supporting a POC: a POST from its page or card, and the counts a cached page asks for.

POC and catalogue pages are stored whole for visitors without a session
(`published_cache`): they show the count as of their rendering and a button that does not
know the visitor. `static/js/supports.js` asks `states` for fresh counts, this browser's
supports and a CSRF token, then posts with one click. Without JavaScript, the button leads to
`support`'s page, whose form posts and comes back to it.
"""

from __future__ import annotations

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from poc_catalogue.models import CardReader, POCCard, POCPage

from . import browsers, limits
from .buttons import support_label
from .counting import counts_of, record

# At most this many POCs per `states` request: a catalogue page shows 24, a POC page a dozen.
MAX_STATES = 100


def _card(page_id: int) -> POCCard:
    """The published POC's card, without its thumbnail (never shown here)."""
    if not 0 < page_id < 2**31:  # the database refuses to compare a page id with more
        raise Http404
    reader = CardReader(thumbnails=False, english=True)
    cards = reader.read(POCPage.objects.published().filter(pk=page_id))
    if not cards:
        raise Http404
    return cards[0]


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if len(target) <= 2000 and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_http_methods(["GET", "POST"])
def support(request: HttpRequest, page_id: int) -> HttpResponse:
    """GET: this POC's count and this browser's support, with the form to change it.
    POST (`action` = support | withdraw): the change, then back here (or JSON for the script)."""
    supported = browsers.supported_by(request)
    if request.method == "POST":
        # A click reads no card: whether the POC is public is all it needs.
        if not 0 < page_id < 2**31 or not POCPage.objects.published().filter(pk=page_id).exists():
            raise Http404
        action = request.POST.get("action")
        if action not in ("support", "withdraw"):
            return HttpResponseBadRequest()
        return _change(request, page_id, supported, action == "support")
    card = _card(page_id).in_language(request.LANGUAGE_CODE)
    back = _safe_next(request, card.url)
    response = render(
        request,
        "supports/support.html",
        {
            "card": card,
            "count": counts_of([page_id])[page_id],
            "supported": page_id in supported,
            "full": len(supported) >= browsers.MAX_SUPPORTED,
            "back": back,
            "thanks": request.GET.get("done"),
        },
    )
    add_never_cache_headers(response)
    return response


def _change(request: HttpRequest, page_id: int, supported: list[int], give: bool) -> HttpResponse:
    already = page_id in supported
    full = give and not already and len(supported) >= browsers.MAX_SUPPORTED
    changed = give != already and not full
    if changed and not limits.admit(request):
        return _rate_limited(request, _safe_next(request, request.path))
    if changed:
        count = record(page_id, given=give)
        supported = [*supported, page_id] if give else [i for i in supported if i != page_id]
    else:
        count = counts_of([page_id])[page_id]
    if _wants_json(request):
        response: HttpResponse = JsonResponse(
            {
                "poc": page_id,
                "count": count,
                "label": support_label(count),
                "supported": page_id in supported,
                "full": full,
                "message": str(_MESSAGES[_outcome(full, page_id in supported)])
                % {"supports": support_label(count)},
            }
        )
    else:
        done = _outcome(full, page_id in supported)
        query = {"done": done}
        back = _safe_next(request, "")
        if back:
            query["next"] = back
        response = redirect(f"{request.path}?{urlencode(query)}")
    if changed:
        browsers.remember(response, supported)
    add_never_cache_headers(response)
    return response


_MESSAGES = {
    "given": gettext_lazy("Thank you, you support this POC (%(supports)s)."),
    "withdrawn": gettext_lazy("Your support is withdrawn (%(supports)s)."),
    "full": gettext_lazy("This browser supports too many POCs: withdraw a support first."),
}


def _outcome(full: bool, supported: bool) -> str:
    return "full" if full else ("given" if supported else "withdrawn")


def _rate_limited(request: HttpRequest, back: str) -> HttpResponse:
    if _wants_json(request):
        message = gettext("Too many supports came from your connection: try again in an hour.")
        response: HttpResponse = JsonResponse(
            {"error": "rate_limited", "message": message}, status=429
        )
    else:
        response = render(request, "supports/rate_limited.html", {"back": back}, status=429)
    response["Retry-After"] = str(limits.WINDOW_SECONDS)
    return response


@require_GET
def states(request: HttpRequest) -> JsonResponse:
    """`?poc=1&poc=2…`: each POC's count now and whether this browser supports it, and the
    CSRF token the script posts with. Never stored: it is this visitor's."""
    ids = []
    for value in request.GET.getlist("poc")[:MAX_STATES]:
        if value.isascii() and value.isdigit() and len(value) <= 10 and 0 < int(value) < 2**31:
            ids.append(int(value))
    supported = set(browsers.supported_by(request))
    counts = counts_of(ids)
    response = JsonResponse(
        {
            "csrf": get_token(request),
            "full": len(supported) >= browsers.MAX_SUPPORTED,
            "pocs": {
                str(page_id): {
                    "count": counts[page_id],
                    "label": support_label(counts[page_id]),
                    "supported": page_id in supported,
                }
                for page_id in counts
            },
        }
    )
    add_never_cache_headers(response)
    patch_vary_headers(response, ["Cookie"])
    return response
