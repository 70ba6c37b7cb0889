"""TEMPORARY stand-in for `search.catalogue` until the search branch is merged.

Same names and shapes as the agreed interface, answered by plain database queries, so the
catalogue page can be built and screenshotted. Deleted once `search.catalogue` exists.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q
from django.http import QueryDict
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import POCPage, Stage

FACETS = ("theme", "maker", "commune", "tag", "stage", "year")
SORTS = ("relevance", "newest", "title")


class InvalidSearchRequest(ValueError):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    theme: tuple[str, ...] = ()
    maker: tuple[str, ...] = ()
    commune: tuple[str, ...] = ()
    tag: tuple[str, ...] = ()
    stage: tuple[str, ...] = ()
    year: tuple[str, ...] = ()
    sort: str = "relevance"
    page: int = 1
    page_size: int = 24


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class SearchHit:
    page_id: int
    title: str
    url: str
    summary: str
    thumbnail: str | None
    themes: list[dict]
    makers: list[dict]
    commune: dict
    stage: dict
    year: int
    location: dict | None
    highlight: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SearchResult:
    request: SearchRequest
    total: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetValue]]
    suggestion: str | None
    backend: str
    page: int
    page_size: int
    num_pages: int


def parse_search_request(params: QueryDict) -> SearchRequest:
    sort = params.get("sort") or "relevance"
    if sort not in SORTS:
        raise InvalidSearchRequest("Unknown sort order.", "sort")
    try:
        page = max(1, int(params.get("page") or 1))
    except ValueError as error:
        raise InvalidSearchRequest("The page must be a number.", "page") from error
    values = {name: tuple(v for v in params.getlist(name) if v) for name in FACETS}
    return SearchRequest(q=(params.get("q") or "").strip()[:200], sort=sort, page=page, **values)


def _hit(poc: POCPage, q: str) -> SearchHit:
    location = poc.location
    highlight = {}
    if q:
        for name in ("title", "summary"):
            text = escape(getattr(poc, name))
            if q.lower() in text.lower():
                start = text.lower().index(q.lower())
                end = start + len(q)
                highlight[name] = mark_safe(  # noqa: S308 - built from escaped text
                    f"{text[:start]}<mark>{text[start:end]}</mark>{text[end:]}"
                )
    rendition = poc.hero_image.get_rendition("fill-480x320|format-webp") if poc.hero_image else None
    return SearchHit(
        page_id=poc.pk,
        title=poc.title,
        url=poc.url,
        summary=poc.summary,
        thumbnail=rendition.url if rendition else None,
        themes=[{"slug": t.slug, "label": t.label, "colour": t.colour} for t in poc.themes.all()],
        makers=[{"slug": m.maker.slug, "label": m.maker.name} for m in poc.poc_makers.all()],
        commune={"slug": poc.commune.slug, "label": poc.commune.name},
        stage={"value": poc.stage, "label": str(poc.get_stage_display())},
        year=poc.year,
        location={"lat": location[0], "lon": location[1]} if location else None,
        highlight=highlight,
    )


def _base():
    return (
        POCPage.objects.live()
        .public()
        .select_related("commune", "hero_image")
        .prefetch_related("themes", "poc_makers__maker", "tags", "hero_image__renditions")
    )


def _filter(qs, request: SearchRequest, skip: str | None = None):
    if request.q:
        qs = qs.filter(Q(title__icontains=request.q) | Q(summary__icontains=request.q))
    lookups = {
        "theme": "themes__slug__in",
        "maker": "poc_makers__maker__slug__in",
        "commune": "commune__slug__in",
        "tag": "tags__slug__in",
        "stage": "stage__in",
        "year": "year__in",
    }
    for name, lookup in lookups.items():
        values = getattr(request, name)
        if values and name != skip:
            qs = qs.filter(pk__in=POCPage.objects.filter(**{lookup: values}).values("pk"))
    return qs


def _facet_values(name: str, pocs: list[POCPage], selected: set[str]) -> list[FacetValue]:
    counts: Counter = Counter()
    labels: dict[str, str] = {}
    for poc in pocs:
        if name == "theme":
            pairs = [(t.slug, t.label) for t in poc.themes.all()]
        elif name == "maker":
            pairs = [(m.maker.slug, m.maker.name) for m in poc.poc_makers.all()]
        elif name == "commune":
            pairs = [(poc.commune.slug, poc.commune.name)]
        elif name == "tag":
            pairs = [(t.slug, t.name) for t in poc.tags.all()]
        elif name == "stage":
            pairs = [(poc.stage, str(Stage(poc.stage).label))]
        else:
            pairs = [(str(poc.year), str(poc.year))]
        for value, label in pairs:
            counts[value] += 1
            labels[value] = label
    return [
        FacetValue(value, labels[value], count, value in selected)
        for value, count in sorted(counts.items(), key=lambda item: (-item[1], labels[item[0]]))
    ]


def search_catalogue(request: SearchRequest) -> SearchResult:
    qs = _filter(_base(), request)
    order = {"newest": ["-year", "-first_published_at"], "title": ["title"]}.get(
        request.sort, ["-first_published_at"]
    )
    total = qs.count()
    start = (request.page - 1) * request.page_size
    window = qs.order_by(*order, "pk")[start : start + request.page_size]
    hits = [_hit(poc, request.q) for poc in window]
    matching = list(qs)
    facets: dict[str, list[FacetValue]] = {}
    for name in FACETS:
        # Disjunctive like the real search: a facet's own selection does not narrow its counts.
        pool = list(_filter(_base(), request, skip=name)) if getattr(request, name) else matching
        facets[name] = _facet_values(name, pool, set(getattr(request, name)))
    return SearchResult(
        request=request,
        total=total,
        hits=hits,
        facets=facets,
        suggestion="mobilité" if total == 0 and request.q else None,
        backend="interim",
        page=request.page,
        page_size=request.page_size,
        num_pages=max(1, math.ceil(total / request.page_size)),
    )


def autocomplete(q: str, limit: int = 8) -> list[dict]:
    pocs = _base().filter(title__icontains=q)[:limit]
    return [{"title": p.title, "url": p.url} for p in pocs]


def related_pocs(page: POCPage, limit: int = 4) -> list[SearchHit]:
    themes = list(page.themes.values_list("slug", flat=True))
    qs = _base().filter(themes__slug__in=themes).exclude(pk=page.pk).distinct()[:limit]
    return [_hit(p, "") for p in qs]
