"""Open data as a visitor meets it: the catalogue's download link gives the results they see,
and the open-data page passes axe-core on a desktop and a phone, in French and English."""

from __future__ import annotations

import csv
import re

import pytest

from tests.browser.test_accessibility import assert_no_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_download_holds_the_results_on_screen(page, site):
    base, _ = site
    page.goto(base + "/catalogue/?theme=mobilite&sort=title")
    shown = int(re.match(r"\d+", page.locator("#results-count").inner_text()).group())
    titles = page.locator(".results .card__title").all_inner_texts()
    with page.expect_download() as download:
        page.locator(".downloads").get_by_role("link", name=re.compile("^CSV")).click()
    assert re.fullmatch(r"poc-showcase-\d{4}-\d{2}-\d{2}\.csv", download.value.suggested_filename)
    with open(download.value.path(), encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == shown > 1
    assert [row["title"] for row in rows] == [title.strip() for title in titles]
    assert all("mobilite" in row["theme_slugs"].split("; ") for row in rows)
    page.locator(".downloads__about").click()
    page.wait_for_url(base + "/open-data/")
    assert page.locator("h1").inner_text() == "Données ouvertes"


@pytest.mark.parametrize("width", [1440, 390])
def test_the_open_data_page_is_accessible(page, site, axe_violations, width):
    base, _ = site
    page.set_viewport_size({"width": width, "height": 900})
    for path in ("/open-data/", "/en/open-data/"):
        page.goto(base + path)
        assert_no_violations(axe_violations(page))
