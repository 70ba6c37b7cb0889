"""A visitor maps a large result set: groups counted by the server, opened by a click.

The threshold is lowered to the size of the test catalogue's mobility POCs.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def group_counts(page) -> list[int]:
    return page.evaluate(
        """() => [...document.querySelectorAll('#catalogue-map .marker-cluster')]
            .map((icon) => parseInt(icon.textContent, 10))"""
    )


def test_many_results_show_server_groups_that_zoom_in_when_clicked(page, catalogue_url, settings):
    settings.CATALOGUE_MAP_CLUSTER_THRESHOLD = 5
    with page.expect_response(lambda response: "/map-clusters/" in response.url) as first:
        page.goto(f"{catalogue_url}?view=map&theme=mobilite")
    asked = parse_qs(urlparse(first.value.url).query)
    assert asked["theme"] == ["mobilite"]
    page.wait_for_selector("#catalogue-map .marker-cluster")
    # The five mobility POCs of Lille, Roubaix and Tourcoing: the filter applies to the groups.
    counts = group_counts(page)
    assert sum(counts) == 5 and len(counts) >= 2
    assert "5 POC : la carte les compte par zone" in page.locator(".map__note").inner_text()

    fullest = page.locator("#catalogue-map .marker-cluster", has_text=str(max(counts))).first
    with page.expect_response(lambda response: "/map-clusters/" in response.url) as zoomed:
        fullest.click()
    assert int(parse_qs(urlparse(zoomed.value.url).query)["zoom"][0]) > int(asked["zoom"][0])
    page.wait_for_selector("#catalogue-map .marker-cluster")
    assert 0 < sum(group_counts(page)) <= 5


def test_below_the_threshold_every_poc_keeps_its_marker(page, catalogue_url, settings):
    settings.CATALOGUE_MAP_CLUSTER_THRESHOLD = 6
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(f"{catalogue_url}?view=map&theme=mobilite")
    page.wait_for_selector("#catalogue-map .leaflet-marker-icon")
    assert not [url for url in asked if "/map-clusters/" in url]
    assert "5 POC sur la carte" in page.locator(".map__note").inner_text()
