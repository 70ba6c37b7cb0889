"""Exploring the catalogue by place, as the catalogue page shows it: the area searched
(`bbox`) and the point distances are measured from (`near`) are part of the page's state."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from search.parameters import parse_area, parse_point
from search.types import InvalidSearchRequest
from tests.factories import commune, make_poc, theme

CATALOGUE = "/catalogue/"


@pytest.fixture
def placed_pocs(db, without_elasticsearch):
    make_poc("Jardin partagé", commune=commune("Lille"), themes=[theme("habiter")])
    make_poc("Vélos cargo", commune=commune("Roubaix"), themes=[theme("mobilite")])


def area_around(name: str, degrees: float = 0.01) -> str:
    place = commune(name)
    return ",".join(
        str(value)
        for value in (
            place.longitude - degrees,
            place.latitude - degrees,
            place.longitude + degrees,
            place.latitude + degrees,
        )
    )


def page(client, **params) -> BeautifulSoup:
    response = client.get(CATALOGUE, params)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def card_titles(html: BeautifulSoup) -> list[str]:
    return [title.get_text(strip=True) for title in html.select(".card__title")]


def test_the_area_searched_filters_the_cards_and_stays_in_the_form(client, placed_pocs):
    bbox = area_around("Lille")
    html = page(client, bbox=bbox, theme="habiter")

    assert card_titles(html) == ["Jardin partagé"]
    assert html.select_one('#catalogue-form input[type=hidden][name="bbox"]')["value"] == bbox
    chip = next(chip for chip in html.select(".chip") if "Zone de la carte" in chip.get_text())
    assert chip["href"] == "?theme=habiter"  # removing it keeps the other filters
    # A checkbox ticked next submits the area with it: the facets counted within it.
    assert [value["value"] for value in html.select('input[name="commune"]')] == ["lille"]


def test_around_a_point_the_cards_say_how_far_and_distance_is_a_sort(client, placed_pocs):
    lille = commune("Lille")
    html = page(client, near=f"{lille.latitude},{lille.longitude}", sort="distance")

    assert card_titles(html) == ["Jardin partagé", "Vélos cargo"]
    distances = [text.get_text(strip=True) for text in html.select(".card__distance")]
    assert distances[0] == "à moins de 100\xa0m"
    assert distances[1].startswith("à ") and distances[1].endswith("\xa0km")
    options = [option["value"] for option in html.select("#sort option")]
    assert "distance" in options
    assert html.select_one("#sort option[selected]")["value"] == "distance"
    chip = next(chip for chip in html.select(".chip") if "Autour de votre position" in chip.text)
    assert chip["href"] == "?"  # back to the usual order


def test_without_a_point_there_is_no_distance_sort(client, placed_pocs):
    html = page(client, sort="distance")
    assert "distance" not in [option["value"] for option in html.select("#sort option")]
    assert html.select(".card__distance") == []
    notice = html.select_one(".notice").get_text(" ", strip=True)
    assert "distance" in notice


def test_an_unusable_area_is_left_out_and_said(client, placed_pocs):
    html = page(client, bbox="nord", near="50.6,3.0")
    assert len(card_titles(html)) == 2
    assert "quatre nombres" in html.select_one(".notice").get_text()
    assert html.select('input[name="bbox"]') == []
    assert [field["value"] for field in html.select('input[name="near"]')] == ["50.6,3.0"]


def test_an_empty_area_keeps_its_map_to_move_and_search_again(client, placed_pocs):
    paris = "2.33,48.85,2.36,48.87"
    html = page(client, bbox=paris, view="map")
    assert card_titles(html) == []
    assert html.select_one("#catalogue-map")["data-area"] == "48.85,2.33,48.87,2.36"
    assert html.select_one("#map-search-area").get_text(strip=True) == "Rechercher dans cette zone"
    assert html.select_one("#map-near-me").get_text(strip=True) == "Autour de moi"
    assert html.select_one("#map-tools").has_attr("hidden")  # shown by the script only


def test_the_map_marks_the_point_and_the_list_view_has_no_map_tools(client, placed_pocs):
    html = page(client, near="50.63,3.06", view="map")
    assert html.select_one("#catalogue-map")["data-near"] == "50.63,3.06"
    assert page(client, near="50.63,3.06").select("#map-tools") == []


def test_clustered_maps_count_within_the_area_searched(client, settings, placed_pocs):
    settings.CATALOGUE_MAP_CLUSTER_THRESHOLD = 1
    bbox = area_around("Lille")
    html = page(client, bbox=bbox, view="map")
    clusters_url = html.select_one("#catalogue-map")["data-clusters-url"]
    assert f"bbox={bbox.replace(',', '%2C')}" in clusters_url


coordinates = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-400, 400))


@given(numbers=st.lists(coordinates, min_size=0, max_size=5), text=st.text(max_size=30))
def test_an_area_is_read_whole_or_refused_as_the_visitors_error(numbers, text):
    for raw in (",".join(map(str, numbers)), text):
        try:
            area = parse_area(raw, "bbox")
        except InvalidSearchRequest as error:
            assert error.field == "bbox"
        else:
            assert -180 <= area.west <= area.east <= 180
            assert -90 <= area.south <= area.north <= 90


@given(numbers=st.lists(coordinates, min_size=0, max_size=3))
def test_a_point_is_read_whole_or_refused_as_the_visitors_error(numbers):
    try:
        point = parse_point(",".join(map(str, numbers)))
    except InvalidSearchRequest as error:
        assert error.field == "near"
    else:
        assert -90 <= point.lat <= 90 and -180 <= point.lon <= 180
