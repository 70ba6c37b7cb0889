"""Discovery trails: the stops in the staff's order with their walks, the index, the GPX file
a phone opens, the trails named on POC pages, in French and English, composed in the admin."""

from __future__ import annotations

import re
from html import unescape

import gpxpy
import pytest
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from poc_catalogue.demo import load_demo_catalogue
from poc_catalogue.geography import Point
from poc_catalogue.models import TrailPage
from poc_catalogue.translations import translate_page
from poc_catalogue.walking import DETOUR_FACTOR, walk_between
from tests.factories import commune, english, make_poc, make_trail, theme, trail_index
from tests.showcase.test_page_queries import CEILING
from tests.showcase.test_page_queries import _queries as queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_elasticsearch")]

# Three POCs in Lille: B is about a kilometre north of A, C about a kilometre east of B.
POSITIONS = {
    "Banc de réemploi": (50.6300, 3.0500),
    "Abri vélo partagé": (50.6390, 3.0500),
    "Jardin de poche": (50.6390, 3.0640),
}


@pytest.fixture
def pocs():
    return [
        make_poc(title, commune=commune("Lille"), latitude=lat, longitude=lon)
        for title, (lat, lon) in POSITIONS.items()
    ]


def text(response) -> str:
    return unescape(re.sub(r"\s+", " ", response.content.decode()))


def stop_titles(response) -> list[str]:
    return [
        unescape(title)
        for title in re.findall(
            r'class="trail-stop__title">.*?<a [^>]*>([^<]+)</a>', response.content.decode()
        )
    ]


def test_a_walk_is_the_straight_line_plus_detours_at_a_strolling_pace():
    start, end = Point(50.6300, 3.0500), Point(50.6390, 3.0500)
    walk = walk_between(start, end)
    assert walk.metres == pytest.approx(start.metres_to(end) * DETOUR_FACTOR)
    assert round(walk.metres) == 1301  # 1,001 m as the crow flies
    assert walk.minutes == 18  # at 4.5 km/h, rounded up to the minute
    assert walk_between(start, start).minutes == 0


def test_the_trail_shows_its_stops_in_the_staff_order_with_walks_between_them(client, pocs):
    banc, abri, jardin = pocs
    trail = make_trail(
        "Lille en trois haltes",
        pocs=[jardin, abri, banc],
        notes=["Entrez dans le jardin.", "Comptez les vélos.", "Asseyez-vous."],
    )
    response = client.get(trail.url)
    assert response.status_code == 200
    page = text(response)
    assert stop_titles(response) == [jardin.title, abri.title, banc.title]
    assert page.index("Entrez dans le jardin.") < page.index("Comptez les vélos.")
    # Jardin → Abri: 0.99 km as the crow flies; Abri → Banc: 1.0 km.
    assert "1,3 km, environ 18 min à pied jusqu'à l'étape 2" in page
    assert "1,3 km, environ 18 min à pied jusqu'à l'étape 3" in page
    assert "En tout : 2,6 km, environ 36 min à pied." in page
    assert "<dt>Étapes</dt><dd>3</dd>" in page
    assert trail.gpx_url in page
    assert '<meta name="description" content="Une promenade « Lille en trois haltes »' in page


def test_a_poc_no_longer_public_leaves_every_trail_and_the_walks_follow(client, pocs):
    banc, abri, jardin = pocs
    trail = make_trail("Trois haltes", pocs=[banc, abri, jardin])
    abri.unpublish()
    response = client.get(trail.url)
    assert stop_titles(response) == [banc.title, jardin.title]
    assert "jusqu'à l'étape 2" in text(response) and "l'étape 3" not in text(response)

    PageViewRestriction.objects.create(page=jardin, restriction_type="password", password="x")
    assert stop_titles(client.get(trail.url)) == [banc.title]


def test_the_index_lists_published_trails_with_their_length(client, pocs):
    make_trail("Parcours publié", pocs=pocs)
    make_trail("Parcours en préparation", pocs=pocs[:2], publish=False)
    response = client.get(trail_index().url)
    assert response.status_code == 200
    page = text(response)
    assert "Parcours publié" in page and "Parcours en préparation" not in page
    assert "<dt>Étapes</dt><dd>3</dd>" in page and "<dd>2,6 km</dd>" in page
    assert "<dd>36 min</dd>" in page
    # Every page's header leads to the trails.
    assert f'<a href="{trail_index().url}">Parcours</a>' in text(client.get("/"))


def test_the_gpx_file_holds_the_stops_in_order_for_a_phone(client, pocs):
    banc, abri, jardin = pocs
    trail = make_trail("Trois haltes", pocs=[abri, jardin, banc], notes=["Un", "Deux", "Trois"])
    response = client.get(trail.gpx_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/gpx+xml")
    assert response["Content-Disposition"] == 'attachment; filename="trois-haltes.gpx"'

    gpx = gpxpy.parse(response.content.decode())
    assert gpx.name == "Trois haltes"
    assert gpx.link == f"http://testserver{trail.url}"
    assert [point.name for point in gpx.waypoints] == [
        f"1. {abri.title}",
        f"2. {jardin.title}",
        f"3. {banc.title}",
    ]
    assert [point.description for point in gpx.waypoints] == ["Un", "Deux", "Trois"]
    assert (gpx.waypoints[0].latitude, gpx.waypoints[0].longitude) == POSITIONS[abri.title]
    assert gpx.waypoints[2].link == f"http://testserver{banc.url}"
    [route] = gpx.routes
    assert [(p.latitude, p.longitude) for p in route.points] == [
        POSITIONS[abri.title],
        POSITIONS[jardin.title],
        POSITIONS[banc.title],
    ]


def test_a_poc_page_names_the_published_trails_it_belongs_to(client, pocs):
    banc, abri, _jardin = pocs
    trail = make_trail("Trois haltes", pocs=pocs)
    make_trail("Brouillon", pocs=[abri, banc], publish=False)
    page = text(client.get(abri.url))
    assert "Sur un parcours découverte" in page
    assert f'<a href="{trail.url}">Trois haltes</a>' in page
    assert "Étape 2 sur 3" in page
    assert "Brouillon" not in page
    assert "Sur un parcours découverte" not in text(client.get(make_poc("Seul").url))


def test_a_translated_trail_speaks_english_and_an_untranslated_one_is_marked_french(client, pocs):
    banc, abri, jardin = pocs
    english(banc, title="Reused bench", slug="reused-bench")
    translated = make_trail("Trois haltes", pocs=[banc, abri], notes=["Asseyez-vous.", "Vélos."])
    untranslated = make_trail("Le jardin", pocs=[jardin, banc])
    translate_page(trail_index(), "en", {"title": "Trails", "slug": "trails"})
    keys = [str(stop.translation_key) for stop in translated.stops.order_by("sort_order")]
    translate_page(
        translated,
        "en",
        {
            "title": "Three stops",
            "slug": "three-stops",
            "introduction": "A walk from one POC to the next.",
            f"stops.{keys[0]}.note": "Sit down.",
            f"stops.{keys[1]}.note": "Count the bikes.",
        },
    )

    response = client.get("/en/trails/three-stops/")
    page = text(response)
    assert "<h1>Three stops</h1>" in page and "Sit down." in page and "Count the bikes." in page
    assert stop_titles(response) == ["Reused bench", abri.title]
    assert "1.3 km, about 18 min on foot to stop 2" in page
    gpx = gpxpy.parse(client.get("/en/trails/three-stops/gpx/").content.decode())
    assert gpx.name == "Three stops" and gpx.waypoints[0].name == "1. Reused bench"

    index = text(client.get("/en/trails/"))
    assert '<a href="/en/trails/three-stops/">Three stops</a>' in index
    assert f'<a href="/en{untranslated.url}">Le jardin</a>' in index
    assert '<h1 lang="fr">Le jardin</h1>' in text(client.get(f"/en{untranslated.url}"))
    assert '<a href="/en/trails/three-stops/">Three stops</a>' in text(client.get(f"/en{abri.url}"))


def test_a_trail_costs_the_same_queries_with_two_or_six_stops(client):
    pocs = [make_poc(f"Halte {n}", latitude=50.63 + n / 1000, longitude=3.05) for n in range(6)]
    short, long = make_trail("Court", pocs=pocs[:2]), make_trail("Long", pocs=pocs)
    assert queries(client, short.url) == queries(client, long.url) <= CEILING


def add_trail_url() -> str:
    return reverse("wagtailadmin_pages:add", args=("poc_catalogue", "trailpage", trail_index().pk))


def trail_form_data(stops: list[dict], **overrides) -> dict:
    data = {
        "title": "Le tour des bancs",
        "slug": "",
        "introduction": "Une boucle pour s'asseoir partout.",
        "theme": theme("habiter").pk,
        "stops": inline_formset(stops),
        "action-publish": "publish",
    }
    data.update(overrides)
    return nested_form_data(data)


def test_staff_compose_and_publish_a_trail_in_the_admin(staff_client, pocs):
    banc, abri, _jardin = pocs
    response = staff_client.post(
        add_trail_url(),
        trail_form_data(
            [{"poc": abri.pk, "note": "Départ ici."}, {"poc": banc.pk, "note": "Arrivée."}]
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    trail = TrailPage.objects.get(slug="le-tour-des-bancs")
    assert trail.live and trail.theme == theme("habiter")
    assert [(stop.poc_id, stop.note) for stop in trail.stops.order_by("sort_order")] == [
        (abri.pk, "Départ ici."),
        (banc.pk, "Arrivée."),
    ]


def test_publishing_a_trail_needs_two_different_stops(staff_client, pocs):
    banc, _abri, _jardin = pocs
    alone = staff_client.post(add_trail_url(), trail_form_data([{"poc": banc.pk, "note": ""}]))
    assert alone.status_code == 200
    assert "Add at least two stops" in alone.content.decode()
    twice = staff_client.post(
        add_trail_url(),
        trail_form_data([{"poc": banc.pk, "note": ""}, {"poc": banc.pk, "note": ""}]),
    )
    assert "Each POC can be a stop only once on a trail" in twice.content.decode()
    # A draft keeps what is there.
    draft = trail_form_data([{"poc": banc.pk, "note": ""}])
    del draft["action-publish"]
    assert staff_client.post(add_trail_url(), draft).status_code == 302
    assert not TrailPage.objects.get(slug="le-tour-des-bancs").live


def test_the_demo_catalogue_has_three_trails_in_french_and_english(client):
    report = load_demo_catalogue(count=48, seed=2020)
    assert report.trails_created == 3
    french = TrailPage.objects.live().filter(locale__language_code="fr")
    english_trails = TrailPage.objects.live().filter(locale__language_code="en")
    assert french.count() == english_trails.count() == 3
    for trail in english_trails:
        source = french.get(translation_key=trail.translation_key)
        assert trail.title != source.title and trail.theme == source.theme
        stops = list(trail.stops.order_by("sort_order").values_list("poc_id", "note"))
        source_stops = list(source.stops.order_by("sort_order").values_list("poc_id", "note"))
        assert len(stops) >= 2
        assert [poc for poc, _note in stops] == [poc for poc, _note in source_stops]
        assert all(
            note != source_note
            for (_p, note), (_s, source_note) in zip(stops, source_stops, strict=True)
        )
        assert client.get(trail.url).status_code == 200
        assert client.get(trail.url + "gpx/").status_code == 200
    assert "Roubaix et Tourcoing, villes textiles réinventées" in text(client.get("/parcours/"))
    assert Page.find_problems() == ([], [], [], [], [])
    # Loading again adds nothing.
    assert load_demo_catalogue(count=48, seed=2020).trails_created == 0
    assert TrailPage.objects.count() == 6


def test_the_preview_of_a_new_trail_shows_its_unsaved_stops(staff_client, pocs):
    banc, abri, _jardin = pocs
    preview_url = reverse(
        "wagtailadmin_pages:preview_on_add", args=("poc_catalogue", "trailpage", trail_index().pk)
    )
    data = trail_form_data([{"poc": abri.pk, "note": "Départ."}, {"poc": banc.pk, "note": "Fin."}])
    del data["action-publish"]
    assert staff_client.post(preview_url, data).json() == {"is_valid": True, "is_available": True}
    response = staff_client.get(preview_url)
    assert stop_titles(response) == [abri.title, banc.title]
    assert "Départ." in text(response) and not TrailPage.objects.exists()
