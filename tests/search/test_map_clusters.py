"""Map clusters: the matching POCs counted per map tile, the same on both backends.

At `CATALOGUE_MAP_CLUSTER_THRESHOLD` matching POCs or more, the catalogue map asks the server
for these cells instead of one marker per POC.
"""

from __future__ import annotations

import random

import pytest
from django.urls import reverse

from poc_catalogue.geography import METROPOLE_EXTENT, Extent
from search import indexing
from search.catalogue import map_clusters
from search.database_backend import DatabaseCatalogueSearch
from search.elasticsearch_backend import ElasticsearchCatalogueSearch
from search.map_grid import tile_area, tile_x, tile_y
from search.types import MapArea, MapCell, SearchRequest
from tests.factories import commune, make_poc, theme

pytestmark = pytest.mark.django_db

METROPOLE = MapArea(
    METROPOLE_EXTENT.south, METROPOLE_EXTENT.west, METROPOLE_EXTENT.north, METROPOLE_EXTENT.east
)
# Two groups 20 km apart (Lille, Roubaix), one POC on its commune's centre.
LILLE = [(50.6365, 3.0635), (50.6371, 3.0641), (50.6290, 3.0570)]
ROUBAIX = [(50.6901, 3.1817), (50.6920, 3.1790)]


@pytest.fixture
def mapped_pocs():
    for number, (lat, lon) in enumerate(LILLE):
        make_poc(f"Lille {number}", latitude=lat, longitude=lon, themes=[theme("habiter")])
    for number, (lat, lon) in enumerate(ROUBAIX):
        make_poc(f"Roubaix {number}", latitude=lat, longitude=lon, themes=[theme("mobilite")])
    make_poc("Au centre de Tourcoing", commune=commune("Tourcoing"), themes=[theme("mobilite")])
    make_poc("Brouillon", publish=False, latitude=50.63, longitude=3.06)


def clusters(backend: str, zoom: int, area: MapArea = METROPOLE, **params) -> list[MapCell]:
    if backend == "elasticsearch":
        indexing.rebuild_index()
    answer = map_clusters(SearchRequest(**params), zoom, area)
    assert answer.backend == backend
    return answer.items


def test_far_apart_pocs_fall_into_separate_cells_with_their_centre(backend, mapped_pocs):
    cells = clusters(backend, zoom=10)
    tourcoing = commune("Tourcoing")
    assert sorted(cell.count for cell in cells) == [1, 2, 3]
    lille = next(cell for cell in cells if cell.count == 3)
    assert lille.lat == pytest.approx(sum(lat for lat, _ in LILLE) / 3, abs=1e-5)
    assert lille.lon == pytest.approx(sum(lon for _, lon in LILLE) / 3, abs=1e-5)
    alone = next(cell for cell in cells if cell.count == 1)
    assert (alone.lat, alone.lon) == pytest.approx((tourcoing.latitude, tourcoing.longitude))
    for cell in cells:
        area = cell.bounds
        assert area.south <= cell.lat <= area.north and area.west <= cell.lon <= area.east


def test_zooming_out_merges_cells(backend, mapped_pocs):
    assert [cell.count for cell in clusters(backend, zoom=3)] == [6]


def test_clusters_keep_the_search_and_its_filters(backend, mapped_pocs):
    assert sorted(cell.count for cell in clusters(backend, 10, theme=("mobilite",))) == [1, 2]
    assert [cell.count for cell in clusters(backend, 10, q="roubaix")] == [2]
    assert clusters(backend, 10, q="introuvable") == []


def test_only_cells_meeting_the_visible_area_are_counted(backend, mapped_pocs):
    around_roubaix = MapArea(50.68, 3.17, 50.70, 3.19)
    assert [cell.count for cell in clusters(backend, 12, around_roubaix)] == [2]


def test_both_backends_count_the_same_cells(with_elasticsearch, settings):
    """Scattered positions at several zooms and areas: same keys, counts and centres."""
    rng = random.Random(7)
    for number in range(40):
        make_poc(
            f"POC dispersé {number}",
            latitude=round(rng.uniform(50.55, 50.75), 5),
            longitude=round(rng.uniform(2.9, 3.2), 5),
            themes=[theme(rng.choice(["habiter", "mobilite"]))],
        )
    indexing.rebuild_index()
    areas = [METROPOLE, MapArea(50.6, 3.0, 50.7, 3.1)]
    for zoom in (9, 11, 13):
        for area in areas:
            for request in (SearchRequest(), SearchRequest(theme=("habiter",))):
                on_elasticsearch = ElasticsearchCatalogueSearch().map_cells(request, zoom, area)
                on_database = DatabaseCatalogueSearch().map_cells(request, zoom, area)
                assert [(c.key, c.count) for c in on_elasticsearch] == [
                    (c.key, c.count) for c in on_database
                ]
                for found, expected in zip(on_elasticsearch, on_database, strict=True):
                    assert (found.lat, found.lon) == pytest.approx(
                        (expected.lat, expected.lon), abs=1e-5
                    )


def test_tiles_are_the_web_mercator_ones():
    # Lille at zoom 10 is tile 520/344 on every web map (x right from 180° W, y down from the
    # north).
    assert (tile_x(3.0635, 2**10), tile_y(50.6365, 2**10)) == (520, 344)
    area = tile_area(10, 520, 344)
    assert area.west < 3.0635 < area.east and area.south < 50.6365 < area.north


def test_the_api_answers_cells_and_refuses_a_bad_map_view(client, without_elasticsearch):
    make_poc("Lille", latitude=50.6365, longitude=3.0635)
    url = reverse("search:api_map_clusters")
    visible = "2.76,50.46,3.29,50.83"  # minLon,minLat,maxLon,maxLat, as the search's bbox

    answer = client.get(url, {"zoom": "10", "visible": visible, "q": "lille"}).json()
    assert answer["backend"] == "database"
    [cell] = answer["clusters"]
    assert cell["count"] == 1 and cell["key"] == "12/2082/1377"
    for params, field in [
        ({"zoom": "19", "visible": visible}, "zoom"),
        ({"zoom": "-1", "visible": visible}, "zoom"),
        ({"zoom": "10", "visible": "3,50,nan,4"}, "visible"),
        ({"zoom": "10", "visible": "3,51,4,50"}, "visible"),
        ({"zoom": "10"}, "visible"),
        ({"zoom": "10", "visible": visible, "bbox": "3,50"}, "bbox"),
    ]:
        response = client.get(url, params)
        assert response.status_code == 400
        assert response.json()["field"] == field


def test_clusters_count_only_the_area_searched(backend, mapped_pocs):
    """`bbox` filters the map's groups as it filters the list: Roubaix's alone here."""
    roubaix = Extent(south=50.68, west=3.17, north=50.70, east=3.19)
    cells = clusters(backend, zoom=10, bbox=roubaix)
    assert [cell.count for cell in cells] == [2]


def test_the_map_asks_for_clusters_from_the_threshold_only(client, settings, without_elasticsearch):
    for number in range(3):
        make_poc(f"POC {number}", latitude=50.63, longitude=3.06, themes=[theme("habiter")])
    settings.CATALOGUE_MAP_CLUSTER_THRESHOLD = 3

    clustered = client.get("/catalogue/?view=map&theme=habiter").content.decode()
    assert 'data-clusters-url="/api/catalogue/map-clusters/?theme=habiter"' in clustered
    assert "catalogue-map-points" not in clustered

    below = client.get("/catalogue/?view=map&theme=habiter&q=1").content.decode()
    assert "data-clusters-url" not in below
    assert 'id="catalogue-map-points"' in below


def test_more_results_than_markers_are_always_grouped(
    client, settings, monkeypatch, without_elasticsearch
):
    """Past what the map shows as markers, no POC is left off it, whatever the threshold."""
    for number, slug in enumerate(["habiter", "habiter", "mobilite"]):
        make_poc(f"POC {number}", latitude=50.63, longitude=3.06, themes=[theme(slug)])
    settings.CATALOGUE_MAP_CLUSTER_THRESHOLD = 10_000
    monkeypatch.setattr("search.catalogue_page.MAP_MAX_MARKERS", 2)

    three = client.get("/catalogue/?view=map").content.decode()
    assert "data-clusters-url=" in three
    assert "catalogue-map-points" not in three

    two = client.get("/catalogue/?view=map&theme=habiter").content.decode()
    assert "data-clusters-url" not in two
    points = two.split('id="catalogue-map-points"')[1].split("</script>")[0]
    assert "POC 0" in points and "POC 1" in points
