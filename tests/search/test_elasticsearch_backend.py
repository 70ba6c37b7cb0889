"""The request the Elasticsearch backend sends for a visitor's search."""

from __future__ import annotations

from poc_catalogue.geography import Extent, Point
from search.elasticsearch_backend import CatalogueFacetedSearch
from search.types import FACETS, SearchRequest

SIZES = {"theme": 6, "maker": 300, "commune": 95, "tag": 120, "stage": 4, "year": 21}


def build(**params) -> dict:
    return CatalogueFacetedSearch(SearchRequest(**params), "pocs", SIZES).build_search().to_dict()


def test_no_query_sorts_newest_first_and_aggregates_every_facet_at_full_size():
    body = build()
    assert "query" not in body
    assert "post_filter" not in body
    assert body["sort"] == [
        {"first_published_at": {"order": "desc", "missing": "_last"}},
        {"page_id": {"order": "desc"}},
    ]
    assert body["from"] == 0 and body["size"] == 24
    assert body["track_total_hits"] is True
    for facet in FACETS:
        aggregation = body["aggs"][f"_filter_{facet}"]
        assert aggregation["filter"] == {"match_all": {}}
        assert aggregation["aggs"][facet]["terms"] == {
            "field": facet,
            "size": SIZES[facet],
            "min_doc_count": 1,
        }


def test_filters_go_to_post_filter_and_to_every_other_facets_aggregation():
    body = build(theme=("mobilite", "habiter"), commune=("lille",), page=3)
    theme_filter = {"terms": {"theme": ["mobilite", "habiter"]}}
    commune_filter = {"terms": {"commune": ["lille"]}}
    assert body["post_filter"] == {"bool": {"must": [theme_filter, commune_filter]}}
    assert body["aggs"]["_filter_theme"]["filter"] == commune_filter
    assert body["aggs"]["_filter_commune"]["filter"] == theme_filter
    assert body["aggs"]["_filter_maker"]["filter"] == {
        "bool": {"must": [theme_filter, commune_filter]}
    }
    assert body["from"] == 48


def test_a_year_that_is_not_a_number_matches_nothing():
    body = build(year=("2020", "deux"))
    assert body["post_filter"] == {"terms": {"year": [2020]}}
    assert build(year=("deux",))["post_filter"] == {"match_none": {}}


def test_a_query_requires_every_term_forgives_typos_highlights_and_suggests():
    body = build(q="velo cargo")
    must = body["query"]["bool"]["must"][0]["bool"]
    assert must["should"][0] == {"match": {"all_text": {"query": "velo cargo", "operator": "and"}}}
    assert must["should"][1]["match"]["all_words"]["fuzziness"] == "AUTO:5,10"
    assert body["query"]["bool"]["should"][0]["multi_match"]["fields"][0] == "title^5"
    assert body["sort"][0] == "_score"
    assert body["highlight"]["pre_tags"] == ["<mark>"]
    assert body["highlight"]["encoder"] == "html"
    assert body["highlight"]["highlight_query"] == {
        "multi_match": {"query": "velo cargo", "fields": ["title", "summary", "tag_names"]}
    }
    assert body["suggest"]["spelling"]["term"]["field"] == "spelling"


def test_title_sort_uses_the_folded_title():
    assert build(sort="title")["sort"] == [
        {"title_sort": {"order": "asc"}},
        {"page_id": {"order": "asc"}},
    ]


def test_an_area_filters_the_query_so_that_every_facet_counts_within_it():
    roubaix = Extent(south=50.68, west=3.17, north=50.70, east=3.19)
    body = build(bbox=roubaix, theme=("mobilite",), q="velo")
    area = {
        "geo_bounding_box": {
            "location": {
                "top_left": {"lat": 50.70, "lon": 3.17},
                "bottom_right": {"lat": 50.68, "lon": 3.19},
            }
        }
    }
    assert area in body["query"]["bool"]["filter"]
    assert body["query"]["bool"]["must"]  # the words still required
    assert "geo_bounding_box" not in str(body["post_filter"])


def test_distance_sorts_nearest_first_from_the_point_then_by_page():
    body = build(near=Point(50.63, 3.06), sort="distance", q="velo")
    assert body["sort"] == [
        {
            "_geo_distance": {
                "location": {"lat": 50.63, "lon": 3.06},
                "order": "asc",
                "unit": "m",
                "distance_type": "arc",
            }
        },
        {"page_id": {"order": "asc"}},
    ]
