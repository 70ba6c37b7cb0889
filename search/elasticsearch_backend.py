"""The Elasticsearch backend of the catalogue search: one round trip per search.

Multi-select facets the elasticsearch-dsl way: the hits are narrowed by a `post_filter`
of every active facet, and each facet's aggregation sits under a filter of every facet
but its own, so ticking a theme keeps the other themes listed with their counts.

Without words, the facet counts depend on the ticked facets alone, and the catalogue's
landing page and theme pages ask for the same ones again and again: they go in a search of
their own with no hits (`size: 0`), which Elasticsearch's shard request cache keeps until the
index changes, beside the page of hits in the same round trip (`msearch`).

Typo tolerance and the suggester stay in every text search: asking for them only when the
words as written find little took a second round trip for three text searches in five of the
benchmark's mix, and cost more than it saved (`python -m tests.benchmarks.request_costs`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from elasticsearch import ApiError, NotFoundError
from elasticsearch_dsl import FacetedSearch, Q, Search, TermsFacet
from elasticsearch_dsl.query import Query

from poc_catalogue.models import POCCard

from .connection import alias_name, get_client
from .facet_labels import FacetLabels, build_facets, facet_labels
from .map_grid import cells_from_response, grid_request_body
from .text import without_words
from .types import FACETS, Backend, MapArea, MapCell, SearchHit, SearchRequest, SearchResult

# Below this many hits, a spelling suggestion is offered when one exists.
SUGGEST_BELOW = 3


class YearFacet(TermsFacet):
    """Years are integers in the index: anything else selected simply matches nothing."""

    def add_filter(self, filter_values: list[Any]) -> Query | None:
        if not filter_values:
            return None
        years = [int(value) for value in filter_values if str(value).isdigit()]
        return Q("terms", year=years) if years else Q("match_none")


class CatalogueFacetedSearch(FacetedSearch):
    """The catalogue request: text, multi-select facets, sort, highlight and suggestion."""

    fields = [
        "title^5",
        "maker_names^3",
        "tag_names^3",
        "theme_labels^2",
        "summary^2",
        "commune_name^2",
        "body",
    ]
    # Under /en/, the translation's text ranks first; French text still counts (fallback).
    english_fields = ["title_en^6", "summary_en^3", "body_en^1.5", *fields]

    def __init__(self, request: SearchRequest, index: str, facet_sizes: dict[str, int]) -> None:
        self.index = index
        self.request = request
        self.facets = {
            facet: (YearFacet if facet == "year" else TermsFacet)(
                field=facet, size=facet_sizes[facet], min_doc_count=1
            )
            for facet in FACETS
        }
        super().__init__(
            query=request.q or None,
            filters={facet: list(values) for facet, values in request.filters.items()},
        )

    def build_search(self) -> Search:
        """Built once, by the constructor, and kept: what `execute()` would send."""
        self.built = super().build_search()
        return self.built

    def search(self) -> Search:
        offset = self.request.offset
        search = Search(index=self.index).extra(track_total_hits=True)
        search = search[offset : offset + self.request.hits_wanted]
        search = search.source(["card", "supports"])
        if self.request.q:
            search = search.suggest(
                "spelling",
                self.request.q,
                term={"field": "spelling", "suggest_mode": "missing", "min_word_length": 4},
            )
        return search

    def query(self, search: Search, query: str) -> Search:
        """Every term must match somewhere, matches in titles rank higher.

        A typo is forgiven on the words as written (one edit from five letters, two from
        ten), not on stems, where one edit turns `mobilite` into `mobilier`. Two edits from
        nine letters let a plural stretch into another word (`mobilites` found `mobilier`).
        """
        exact = self.words_match("all_text")
        typos = {"fuzziness": "AUTO:5,10", "prefix_length": 1}
        forgiving = self.words_match("all_words", **typos)
        if self.request.language == "en":
            # Every word in the English text (translation and names), or in the French one.
            english = self.words_match("all_text_en")
            exact = Q("bool", should=[english, exact], minimum_should_match=1)
            english_words = self.words_match("all_words_en", **typos)
            forgiving = Q("bool", should=[english_words, forgiving], minimum_should_match=1)
        return search.query(
            "bool",
            must=[Q("bool", should=[exact, forgiving], minimum_should_match=1)],
            should=[Q("multi_match", query=query, fields=self.text_fields, type="best_fields")],
        )

    def words_match(self, field: str, **options: Any) -> Query:
        """Every word of the query in `field`; a word with synonyms (`search.steering`) by
        any of its alternatives, all of whose words must match (the database backend's
        `QueryStems` groups). The other words are matched together, as without synonyms."""
        q = self.request.q
        if not self.request.synonyms:
            return Q("match", **{field: {"query": q, "operator": "and", **options}})
        groups = self.request.synonyms
        rest = without_words(q, [group.word for group in groups])
        clauses = []
        if rest.strip():
            # Stop words alone are dropped, as the database drops them beside a real word.
            rest_match = {"query": rest, "operator": "and", "zero_terms_query": "all"}
            clauses.append(Q("match", **{field: {**rest_match, **options}}))
        for group in groups:
            alternatives = [
                Q("match", **{field: {"query": text, "operator": "and", **options}})
                for text in group.alternatives
            ]
            clauses.append(Q("bool", should=alternatives, minimum_should_match=1))
        return Q("bool", must=clauses)

    def filter(self, search: Search) -> Search:
        """The ticked facets, and the POCs pinned by a promotion left out of the hits.

        The area searched filters the query itself, not the hits alone: the facets count
        within it.
        """
        search = super().filter(search)
        if self.request.bbox is not None:
            area = self.request.bbox
            corners = {
                "top_left": {"lat": area.north, "lon": area.west},
                "bottom_right": {"lat": area.south, "lon": area.east},
            }
            search = search.filter("geo_bounding_box", location=corners)
        if self.request.pinned:
            pinned = [str(page_id) for page_id in self.request.pinned]
            search = search.post_filter("bool", must_not=[Q("ids", values=pinned)])
        return search

    @property
    def text_fields(self) -> list[str]:
        return self.english_fields if self.request.language == "en" else self.fields

    def highlight(self, search: Search) -> Search:
        if not self.request.q:
            return search
        # Its own plain query: highlighting from the typo-tolerant one makes the highlighter
        # expand fuzzy terms per hit, which cost ten times the search itself. Tags too, so a
        # card matched by a tag alone can say which one.
        fields = ["title", "summary", "tag_names"]
        if self.request.language == "en":
            fields = ["title_en", "summary_en", *fields]
        return search.highlight(*fields, number_of_fragments=0).highlight_options(
            pre_tags=["<mark>"],
            post_tags=["</mark>"],
            encoder="html",
            highlight_query={"multi_match": {"query": self.highlighted_words, "fields": fields}},
        )

    @property
    def highlighted_words(self) -> str:
        """The query's words and their synonyms, any of which is marked."""
        synonyms = [text for group in self.request.synonyms for text in group.synonyms]
        return " ".join([self.request.q, *synonyms])

    def sort(self, search: Search) -> Search:
        newest = [
            {"first_published_at": {"order": "desc", "missing": "_last"}},
            {"page_id": {"order": "desc"}},
        ]
        if self.request.sort == "title":
            title = "title_sort_en" if self.request.language == "en" else "title_sort"
            return search.sort({title: {"order": "asc"}}, {"page_id": {"order": "asc"}})
        if self.request.sort == "distance" and self.request.near is not None:
            # POCs without a place come last, as on the database (`nearest_first`).
            nearest = {
                "_geo_distance": {
                    "location": self.request.near.as_dict(),
                    "order": "asc",
                    "unit": "m",
                    "distance_type": "arc",
                }
            }
            return search.sort(nearest, {"page_id": {"order": "asc"}})
        if self.request.sort == "supported":
            return search.sort({"supports": {"order": "desc", "missing": 0}}, *newest)
        if self.request.sort == "newest" or not self.request.q:
            return search.sort(*newest)
        return search.sort("_score", *newest)


def facet_sizes(known: FacetLabels) -> dict[str, int]:
    return {facet: known.size(facet) for facet in FACETS}


def build_request_body(request: SearchRequest, known: FacetLabels | None = None) -> dict[str, Any]:
    """The exact body sent to Elasticsearch for this search (also used by the benchmark).

    `known` is the facet labels the search reads once (a query of the published version).
    `FacetedSearch`'s constructor has built the search already (`built`): building it again
    took a tenth of the layer's time on a typical search.
    """
    sizes = facet_sizes(known or facet_labels())
    return CatalogueFacetedSearch(request, alias_name(), sizes).built.to_dict()


def _suggestion(response: dict[str, Any], q: str) -> str | None:
    corrected = q
    changed = False
    for entry in response.get("suggest", {}).get("spelling", []):
        if entry["options"]:
            start, length = entry["offset"], entry["length"]
            original = q[start : start + length]
            corrected = corrected.replace(original, entry["options"][0]["text"], 1)
            changed = True
    return corrected if changed else None


def _send_facets_apart(body: dict[str, Any]) -> dict[str, Any]:
    """The hits and the facet counts of `body` as two searches in one round trip, the counts
    cacheable (`size: 0`), merged back into the answer one search would give."""
    hits = {key: value for key, value in body.items() if key != "aggs"}
    counts = {"size": 0, "aggs": body["aggs"]}
    if "query" in body:
        counts["query"] = body["query"]
    index = alias_name()
    answer = get_client().msearch(
        searches=[{"index": index}, hits, {"index": index, "request_cache": True}, counts]
    )
    for response in answer["responses"]:
        if "error" in response:
            meta = dataclasses.replace(answer.meta, status=response.get("status", 500))
            raise ApiError(str(response["error"].get("reason", "")), meta, response["error"])
    found, counted = answer["responses"]
    return {**found, "aggregations": counted["aggregations"]}


_ENGLISH_HIGHLIGHTS = {"title_en": "title", "summary_en": "summary"}


def hit_from_source(
    source: dict[str, Any], highlight: dict[str, list[str]], language: str | None = None
) -> SearchHit:
    """The card, in `language` when given (a search's results, whose highlights are those
    of the text the card shows), else as stored (the card chooses when it is shown)."""
    card = POCCard.from_record(source["card"])
    marked = {field: fragments[0] for field, fragments in highlight.items() if fragments}
    if language is not None:
        card = card.in_language(language)
        shown_in_english = card.text_language == "en"
        marked = {
            _ENGLISH_HIGHLIGHTS.get(field, field): text
            for field, text in marked.items()
            if (field in _ENGLISH_HIGHLIGHTS) == shown_in_english or field == "tag_names"
        }
    return SearchHit(card=card, highlight=marked, supports=source.get("supports") or 0)


def result_from_response(
    request: SearchRequest, response: dict[str, Any], known: FacetLabels | None = None
) -> SearchResult:
    hits = [
        hit_from_source(hit["_source"], hit.get("highlight", {}), request.language)
        for hit in response["hits"]["hits"]
    ]
    counts = {
        facet: {
            str(bucket["key"]): bucket["doc_count"]
            for bucket in response["aggregations"][f"_filter_{facet}"][facet]["buckets"]
        }
        for facet in FACETS
    }
    total = response["hits"]["total"]["value"]
    return SearchResult(
        request=request,
        total=total,
        hits=hits,
        facets=build_facets(counts, request, known),
        suggestion=_suggestion(response, request.q) if total < SUGGEST_BELOW else None,
        backend="elasticsearch",
    )


class ElasticsearchCatalogueSearch:
    """The Elasticsearch backend of `search.catalogue` (a `types.CatalogueBackend`)."""

    name: Backend = "elasticsearch"

    def search(self, request: SearchRequest) -> SearchResult:
        known = facet_labels()
        body = build_request_body(request, known)
        if not request.q:
            return result_from_response(request, _send_facets_apart(body), known)
        response = get_client().search(index=alias_name(), body=body)
        return result_from_response(request, response.body, known)

    def autocomplete_titles(
        self, q: str, limit: int, language: str = "fr"
    ) -> list[tuple[str, str]]:
        fields = ["title.autocomplete"]
        if language == "en":
            fields.insert(0, "title_en.autocomplete")
        response = get_client().search(
            index=alias_name(),
            query={"multi_match": {"query": q, "operator": "and", "fields": fields}},
            source=["card"],
            size=limit,
        )
        cards = [
            POCCard.from_record(hit["_source"]["card"]).in_language(language)
            for hit in response["hits"]["hits"]
        ]
        return [(card.title, card.url) for card in cards]

    def related(self, page_id: int, limit: int) -> list[SearchHit]:
        """More like this page's text, nudged towards POCs sharing its tags and themes."""
        try:
            this = get_client().get(index=alias_name(), id=str(page_id), source=["theme", "tag"])
        except NotFoundError:
            return []
        themes = this["_source"].get("theme") or []
        tags = this["_source"].get("tag") or []
        should: list[dict[str, Any]] = [
            {
                "more_like_this": {
                    "fields": [
                        "title",
                        "summary",
                        "body",
                        "title_en",
                        "summary_en",
                        "body_en",
                        "maker_names",
                        "tag_names",
                    ],
                    "like": [{"_index": alias_name(), "_id": str(page_id)}],
                    "min_term_freq": 1,
                    "min_doc_freq": 1,
                }
            }
        ]
        if themes:
            should.append({"terms": {"theme": themes, "boost": 1.0}})
        if tags:
            should.append({"terms": {"tag": tags, "boost": 2.0}})
        response = get_client().search(
            index=alias_name(),
            query={
                "bool": {
                    "should": should,
                    "minimum_should_match": 1,
                    "must_not": [{"ids": {"values": [str(page_id)]}}],
                }
            },
            source=["card", "supports"],
            size=limit,
        )
        return [hit_from_source(hit["_source"], {}) for hit in response["hits"]["hits"]]

    def nearby(self, page_id: int, limit: int) -> list[SearchHit]:
        """A `geo_distance` sort from this POC's indexed location, ties by page id."""
        try:
            this = get_client().get(index=alias_name(), id=str(page_id), source=["location"])
        except NotFoundError:
            return []
        location = this["_source"].get("location")
        if not location:
            return []
        response = get_client().search(
            index=alias_name(),
            query={
                "bool": {
                    "filter": [{"exists": {"field": "location"}}],
                    "must_not": [{"ids": {"values": [str(page_id)]}}],
                }
            },
            sort=[
                {
                    "_geo_distance": {
                        "location": location,
                        "order": "asc",
                        "unit": "m",
                        "distance_type": "arc",
                    }
                },
                {"page_id": {"order": "asc"}},
            ],
            source=["card", "supports"],
            size=limit,
        )
        return [
            dataclasses.replace(hit_from_source(hit["_source"], {}), distance=hit["sort"][0])
            for hit in response["hits"]["hits"]
        ]

    def all_cards(self, request: SearchRequest, batch_size: int) -> Iterator[POCCard]:
        """Every matching POC's card in the search's order, a page of `batch_size` at a
        time after the last one's sort values (`search_after`: no 10,000-hit window, no
        scroll context to keep). The sorts end with `page_id`, so no POC is read twice."""
        body = build_request_body(request)
        scan = {key: body[key] for key in ("query", "post_filter", "sort") if key in body}
        after: list[Any] | None = None
        while True:
            page = {**scan, "size": batch_size, "_source": ["card"], "track_total_hits": False}
            if after is not None:
                page["search_after"] = after
            hits = get_client().search(index=alias_name(), body=page)["hits"]["hits"]
            for hit in hits:
                yield POCCard.from_record(hit["_source"]["card"]).in_language(request.language)
            if len(hits) < batch_size:
                return
            after = hits[-1]["sort"]

    def map_cells(self, request: SearchRequest, zoom: int, area: MapArea) -> list[MapCell]:
        """A `geotile_grid` with a `geo_centroid` per tile, under the search's own query."""
        body = grid_request_body(build_request_body(request), zoom, area)
        response = get_client().search(index=alias_name(), body=body)
        return cells_from_response(response.body)
