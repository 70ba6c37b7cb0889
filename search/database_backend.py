"""The database backend of the catalogue search: the embedded default and the fallback.

Same semantics as Elasticsearch (see `search.elasticsearch_backend`): values of a facet are OR'ed,
facets AND'ed, each facet counted under every filter but its own. Text matches the stem of every
query word in the stemmed copy of the POC's text (`POCSearchText`, `search.text.search_terms`
on both sides), which behaves the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import dataclasses
import heapq
from collections.abc import Iterator, Sequence
from itertools import islice
from typing import Literal

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from poc_catalogue.geography import Point, poc_location
from poc_catalogue.models import CardReader, POCCard, POCMaker, POCPage, POCPageTag
from poc_catalogue.supports.counting import counts_of

from .facet_counts import total_and_facet_counts
from .facet_labels import build_facets
from .map_grid import count_cells
from .stored_text import fill_missing_search_text
from .text import (
    english_query_stems,
    highlight_html,
    query_stems,
    query_terms,
    stems_without_stop_words,
)
from .types import (
    Backend,
    MapArea,
    MapCell,
    SearchHit,
    SearchRequest,
    SearchResult,
    SynonymGroup,
)

ThemeLink = POCPage.themes.through


def facet_filter(facet: str, values: tuple[str, ...]) -> Q:
    if facet == "theme":
        return Q(pk__in=ThemeLink.objects.filter(theme__slug__in=values).values("pocpage_id"))
    if facet == "maker":
        return Q(pk__in=POCMaker.objects.filter(maker__slug__in=values).values("page_id"))
    if facet == "commune":
        return Q(commune__slug__in=values)
    if facet == "tag":
        return Q(pk__in=POCPageTag.objects.filter(tag__slug__in=values).values("content_object_id"))
    if facet == "stage":
        return Q(stage__in=values)
    years = [int(value) for value in values if value.isdigit()]
    return Q(year__in=years)


def published_in_area(request: SearchRequest) -> QuerySet[POCPage]:
    """The published POCs, within the request's area when it has one (`bbox`)."""
    published = POCPage.objects.published()
    return published.located_in(request.bbox) if request.bbox else published


def nearest_first(pocs: QuerySet[POCPage], near: Point) -> list[int]:
    """The ids of `pocs`, nearest to `near` first (`poc_location`), ties and POCs with no
    place (last) by id: Elasticsearch's `_geo_distance` sort. Measured here, as `nearby`
    does, since SQLite has no trigonometry: one row of five numbers per POC."""
    rows = pocs.order_by().values_list(
        "pk", "latitude", "longitude", "commune__latitude", "commune__longitude"
    )

    def distance(row: tuple) -> tuple[bool, float, int]:
        location = poc_location(*row[1:])
        return (location is None, near.metres_to(location) if location else 0.0, row[0])

    return [row[0] for row in sorted(rows, key=distance)]


# A query word with synonyms: any of its alternatives, each the stems all of which must match.
StemGroup = tuple[tuple[str, ...], ...]


@dataclasses.dataclass(frozen=True)
class QueryStems:
    """A query's stems in French, and in English for a visitor reading English.

    With synonyms (`SearchRequest.synonyms`), the words that have some are matched through
    `french_groups` / `english_groups` instead, as Elasticsearch's query does
    (`elasticsearch_backend.CatalogueFacetedSearch.words_match`); `french` and `english`
    stay the visitor's own stems, for relevance and highlighting.
    """

    french: list[str]
    english: list[str]
    french_groups: tuple[StemGroup, ...] = ()
    english_groups: tuple[StemGroup, ...] = ()

    @classmethod
    def of(cls, request: SearchRequest) -> QueryStems:
        english = english_query_stems(request.q) if request.language == "en" else []
        french = query_stems(request.q)
        if not request.synonyms:
            return cls(french, english)
        english_groups: tuple[StemGroup, ...] = ()
        if request.language == "en":
            english_groups = tuple(_stem_group(group, "en") for group in request.synonyms)
        return cls(
            french,
            english,
            tuple(_stem_group(group, "fr") for group in request.synonyms),
            english_groups,
        )

    def __bool__(self) -> bool:
        return bool(self.french or self.english)

    def french_filter(self) -> Q:
        return _all_in("text", self.french, self.french_groups, "fr")

    def english_filter(self) -> Q:
        return _all_in("text_en", self.english, self.english_groups, "en")

    def highlighted(self, language: str) -> list[str]:
        """The stems to mark in a card: the visitor's words and their synonyms."""
        own, groups = (
            (self.english, self.english_groups)
            if language == "en"
            else (
                self.french,
                self.french_groups,
            )
        )
        synonyms = [stem for group in groups for alternative in group for stem in alternative]
        return list(dict.fromkeys([*own, *synonyms]))


def _stem_group(group: SynonymGroup, language: Literal["fr", "en"]) -> StemGroup:
    alternatives = (stems_without_stop_words(text, language) for text in group.alternatives)
    return tuple(tuple(stems) for stems in alternatives if stems)


def _own_stems(group: StemGroup) -> tuple[str, ...]:
    """The stems of the visitor's word of a group (its first alternative)."""
    return group[0] if group else ()


def _all_in(field: str, terms: list[str], groups: tuple[StemGroup, ...], language: str) -> Q:
    """Every term, and for each group one of its alternatives, in the stored `field`."""
    expanded = {stem for group in groups for stem in _own_stems(group)}
    condition = Q()
    for term in terms:
        if term not in expanded:
            condition &= _contains(field, term)
    for group in groups:
        any_alternative = Q()
        for alternative in group:
            every_stem = Q()
            for stem in alternative:
                every_stem &= _contains(field, stem)
            any_alternative |= every_stem
        condition &= any_alternative
    return condition


def _contains(field: str, term: str) -> Q:
    return Q(**{f"search_text__{field}__contains": f" {term} "})


def _text_filter(stems: QueryStems) -> Q:
    """Every word in the French text or, for English readers, every word in the English
    text (translation and names): Elasticsearch's `all_text` and `all_text_en`."""
    if not stems.english:
        return stems.french_filter()
    return stems.french_filter() | stems.english_filter()


def _title_weight(field: str, term: str, weight: int) -> When:
    return When(**{f"search_text__{field}__contains": f" {term} "}, then=Value(weight))


def _ordered(queryset: QuerySet[POCPage], request: SearchRequest, stems: QueryStems):
    newest = (F("first_published_at").desc(nulls_last=True), F("pk").desc())
    if request.sort == "title":
        title = "search_text__title_en" if request.language == "en" else "search_text__title"
        return queryset.order_by(Coalesce(title, "title"), "pk")
    if request.sort == "supported":
        supports = Coalesce("support_count__supports", Value(0))
        return queryset.order_by(supports.desc(), *newest)
    if request.sort == "newest" or not stems:
        return queryset.order_by(*newest)
    # Relevance: a term in the title weighs more than one elsewhere in the text, in the
    # translation's title more than in the French one for English readers.
    score = Value(0)
    for term in stems.english:
        score = score + Case(
            _title_weight("title_terms_en", term, 4), default=Value(1), output_field=IntegerField()
        )
    for term in stems.french:
        score = score + Case(
            _title_weight("title_terms", term, 3), default=Value(1), output_field=IntegerField()
        )
    return queryset.annotate(relevance=score).order_by("-relevance", *newest)


def hit_from_card(card: POCCard, terms: list[str], language: str = "fr") -> SearchHit:
    """The card, its title and summary marked, and the first tag a query word matched.

    `terms` are stems of `language`, the language of the card's text."""
    highlight = {}
    fields = [("title", card.title), ("summary", card.summary)]
    fields += [("tag_names", tag.label) for tag in card.tags]
    for field, text in fields:
        marked = highlight_html(text, terms, language=language)
        if "<mark>" in marked and field not in highlight:
            highlight[field] = marked
    return SearchHit(card=card, highlight=highlight)


def hits_in_order(page_ids: list[int], terms: list[str]) -> list[SearchHit]:
    """Hits for POCs a published() query of this request chose, in its order."""
    return with_supports(
        [hit_from_card(card, terms) for card in POCPage.objects.cards_in_order(page_ids)]
    )


def with_supports(hits: list[SearchHit]) -> list[SearchHit]:
    """The hits with their POCs' support counts, read in one query."""
    counts = counts_of(hit.card.page_id for hit in hits)
    return [dataclasses.replace(hit, supports=counts[hit.card.page_id]) for hit in hits]


def search_hits(page_ids: list[int], request: SearchRequest, stems: QueryStems) -> list[SearchHit]:
    """A search's hits: cards in the visitor's language, marked in the language shown."""
    hits = []
    for card in POCPage.objects.cards_in_order(page_ids, request.language):
        card = card.in_language(request.language)
        if card.text_language == "en":
            hits.append(hit_from_card(card, stems.highlighted("en"), "en"))
        else:
            hits.append(hit_from_card(card, stems.highlighted("fr")))
    return with_supports(hits)


def _shared_count(relation: str, shared: Q, ids: list[int]) -> Count | Value:
    """How many of `ids` a POC shares; zero without a query when there are none, since an
    empty `__in` in an aggregate's filter empties the whole queryset (a POC without tags
    had no similar POCs)."""
    if not ids:
        return Value(0)
    return Count(relation, filter=shared, distinct=True)


class DatabaseCatalogueSearch:
    """The database backend of `search.catalogue` (a `types.CatalogueBackend`)."""

    name: Backend = "database"

    def search(self, request: SearchRequest) -> SearchResult:
        stems = QueryStems.of(request)
        # Built once: `published()` reads the view restrictions with a query of its own.
        published = published_in_area(request)
        if stems:
            fill_missing_search_text(published)
        candidates = published.filter(_text_filter(stems))
        filters = {facet: facet_filter(facet, values) for facet, values in request.filters.items()}
        total, counts = total_and_facet_counts(candidates, filters)
        matching = candidates.filter(*filters.values())
        if request.pinned:
            # Shown first by `search.steering`: neither among the hits nor in their count.
            total -= matching.filter(pk__in=request.pinned).count()
            matching = matching.exclude(pk__in=request.pinned)
        page = slice(request.offset, request.offset + request.hits_wanted)
        if request.sort == "distance" and request.near is not None:
            page_ids = nearest_first(matching, request.near)[page]
        else:
            page_ids = list(_ordered(matching, request, stems).values_list("pk", flat=True)[page])
        hits = search_hits(page_ids, request, stems)
        return SearchResult(
            request=request,
            total=total,
            hits=hits,
            facets=build_facets(counts, request),
            suggestion=None,
            backend="database",
        )

    def autocomplete_titles(
        self, q: str, limit: int, language: str = "fr"
    ) -> list[tuple[str, str]]:
        terms = query_terms(q)
        if not terms:
            return []
        fill_missing_search_text()
        title = "search_text__title_en" if language == "en" else "search_text__title"
        condition = Q()
        for term in terms:
            condition &= Q(**{f"{title}__contains": f" {term}"})
        pages = POCPage.objects.published().filter(condition).order_by(title)[:limit]
        cards = [card.in_language(language) for card in pages.cards(language)]
        return [(card.title, card.url) for card in cards]

    def related(self, page_id: int, limit: int) -> list[SearchHit]:
        """POCs sharing the most tags (worth two) and themes (worth one) with this one."""
        theme_ids = list(
            ThemeLink.objects.filter(pocpage_id=page_id).values_list("theme_id", flat=True)
        )
        tag_ids = list(
            POCPageTag.objects.filter(content_object_id=page_id).values_list("tag_id", flat=True)
        )
        shared = (
            POCPage.objects.published()
            .exclude(pk=page_id)
            .annotate(
                shared_themes=_shared_count("themes", Q(themes__in=theme_ids), theme_ids),
                shared_tags=_shared_count(
                    "tagged_items", Q(tagged_items__tag_id__in=tag_ids), tag_ids
                ),
            )
            .annotate(affinity=F("shared_tags") * 2 + F("shared_themes"))
            .filter(affinity__gt=0)
            .order_by("-affinity", F("first_published_at").desc(nulls_last=True), "-pk")
        )
        page_ids = list(shared.values_list("pk", flat=True)[:limit])
        return hits_in_order(page_ids, [])

    def nearby(self, page_id: int, limit: int) -> list[SearchHit]:
        """Distances computed here: one row per published POC, read as four numbers."""
        rows = POCPage.objects.published().values_list(
            "pk", "latitude", "longitude", "commune__latitude", "commune__longitude"
        )
        locations: dict[int, Point] = {}
        for pk, latitude, longitude, commune_latitude, commune_longitude in rows:
            location = poc_location(latitude, longitude, commune_latitude, commune_longitude)
            if location is not None:
                locations[pk] = location
        here = locations.pop(page_id, None)
        if here is None:
            return []
        nearest = heapq.nsmallest(
            limit, ((here.metres_to(there), pk) for pk, there in locations.items())
        )
        hits = hits_in_order([pk for _distance, pk in nearest], [])
        return [
            dataclasses.replace(hit, distance=distance)
            for hit, (distance, _pk) in zip(hits, nearest, strict=True)
        ]

    def map_cells(self, request: SearchRequest, zoom: int, area: MapArea) -> list[MapCell]:
        """Counted here (`map_grid.count_cells`): one row per matching POC, four numbers."""
        rows = self.matching(request).values_list(
            "latitude", "longitude", "commune__latitude", "commune__longitude"
        )
        return count_cells(rows.order_by(), zoom, area)

    def matching(self, request: SearchRequest) -> QuerySet[POCPage]:
        """The published POCs matching the words and every ticked facet, unordered."""
        stems = QueryStems.of(request)
        published = published_in_area(request)
        if stems:
            fill_missing_search_text(published)
        filters = [facet_filter(facet, values) for facet, values in request.filters.items()]
        return published.filter(_text_filter(stems)).filter(*filters)

    def all_cards(self, request: SearchRequest, batch_size: int) -> Iterator[POCCard]:
        """Every matching POC's card in the search's order, read `batch_size` at a time:
        the ids come through a cursor, so memory stays the same for any number of POCs."""
        matching = self.matching(request)
        if request.sort == "distance" and request.near is not None:
            # Ordered here, as a search's page is: four numbers per POC, not its card.
            ids: Iterator[int] = iter(nearest_first(matching, request.near))
        else:
            ordered = _ordered(matching, request, QueryStems.of(request))
            ids = ordered.values_list("pk", flat=True).iterator(chunk_size=batch_size)
        reader = _export_reader(request)
        while batch := list(islice(ids, batch_size)):
            yield from _read_in_order(reader, batch, request.language)

    def selected_cards(self, request: SearchRequest, ids: Sequence[int]) -> Iterator[POCCard]:
        """The cards of the POCs among `ids` (a visitor's selection) that are published and
        match the request, in the order of `ids`."""
        chosen = list(self.matching(request).filter(pk__in=ids).values_list("pk", flat=True))
        wanted = set(chosen)
        yield from _read_in_order(
            _export_reader(request), [pk for pk in ids if pk in wanted], request.language
        )


def _export_reader(request: SearchRequest) -> CardReader:
    # No thumbnails: reading one makes its rendition, and pictures are not the data's.
    return CardReader(thumbnails=False, english=request.language != "fr")


def _read_in_order(reader: CardReader, ids: list[int], language: str) -> list[POCCard]:
    cards = {card.page_id: card for card in reader.read(POCPage.objects.filter(pk__in=ids))}
    return [cards[pk].in_language(language) for pk in ids if pk in cards]
