"""Staff work in the Wagtail admin: the POC form, the listings and their filters."""

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from poc_catalogue.demo import load_demo_catalogue
from poc_catalogue.models import Maker, MakerKind, POCPage, Stage
from tests.admin_forms import add_poc_url, poc_form_data
from tests.factories import commune, make_maker, make_poc, theme

pytestmark = pytest.mark.django_db


def _add_url() -> str:
    return add_poc_url()


def _poc_post_data(**overrides) -> dict:
    return poc_form_data(**overrides)


def test_the_poc_form_has_the_four_tabs(staff_client):
    response = staff_client.get(_add_url())
    assert response.status_code == 200
    html = response.content.decode()
    for tab in ("content", "media", "classification", "location"):
        assert f'id="tab-label-{tab}"' in html
    # Each tab holds its fields.
    for field in ("summary", "hero_alt_text", "stage", "latitude"):
        assert f'name="{field}"' in html


def test_staff_create_and_publish_a_poc_through_the_admin(staff_client):
    response = staff_client.post(_add_url(), _poc_post_data())
    assert response.status_code == 302, response.context and response.context["form"].errors

    poc = POCPage.objects.get(slug="bancs-de-reemploi")
    assert poc.live
    with translation.override("en"):  # after a request, the thread speaks the site's French
        makers = [str(m) for m in poc.poc_makers.all()]
    assert makers == [
        "Ville de Roubaix (Project holder)",
        "Atelier Trame (Designer)",
    ]
    assert sorted(t.slug for t in poc.themes.all()) == [
        "economie-circulaire",
        "ville-collaborative",
    ]
    assert sorted(poc.tags.names()) == ["mobilier urbain", "réemploi"]
    assert poc.gallery_images.get().alt_text == "Prototype en carton"
    assert [block.block_type for block in poc.body] == ["heading", "paragraph", "quote"]

    page = staff_client.get(poc.url)
    assert page.status_code == 200
    assert "Des bancs de réemploi pour la Grand-Place" in page.content.decode()


def test_an_incomplete_poc_is_refused_with_plain_messages(staff_client):
    data = _poc_post_data(themes=[], hero_alt_text="", latitude="48.85", longitude="2.35")
    response = staff_client.post(_add_url(), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose at least one theme." in html
    assert "Describe the hero image for people who cannot see it." in html
    assert "outside the Lille Métropole" in html
    assert not POCPage.objects.filter(slug="bancs-de-reemploi").exists()


def test_a_demo_poc_can_be_edited_and_republished(staff_client):
    load_demo_catalogue(count=2, seed=7)
    poc = POCPage.objects.order_by("path").first()
    edit_url = reverse("wagtailadmin_pages:edit", args=(poc.pk,))
    form_page = staff_client.get(edit_url)
    assert form_page.status_code == 200

    data = querydict_from_html(form_page.content.decode(), form_id="page-edit-form")
    # The StreamField editor is drawn by JavaScript: post the existing blocks as it would.
    blocks = [
        (
            block.block_type,
            rich_text(block.value.source)
            if block.block_type == "paragraph"
            else dict(block.value)
            if block.block_type == "quote"
            else block.value,
        )
        for block in poc.body
    ]
    data.update(nested_form_data({"body": streamfield(blocks)}))
    data["title"] = "Titre revu par l'équipe"
    data["action-publish"] = "publish"
    response = staff_client.post(edit_url, data)
    assert response.status_code == 302, response.context and response.context["form"].errors

    poc.refresh_from_db()
    assert poc.title == "Titre revu par l'équipe"
    assert poc.live and poc.live_revision is not None
    assert poc.poc_makers.count() >= 2
    assert len(poc.body) == len(blocks)


def test_makers_are_listed_and_filtered_by_kind_and_commune(staff_client):
    make_maker("Atelier Lillois", commune=commune("Lille"))
    make_maker("Studio Roubaisien", commune=commune("Roubaix"))
    make_maker("Ville de Lille", kind=MakerKind.PUBLIC_BODY, commune=commune("Lille"))
    url = reverse("wagtailsnippets_poc_catalogue_maker:list")

    listing = staff_client.get(url).content.decode()
    assert "Atelier Lillois" in listing and "Ville de Lille" in listing

    filtered = staff_client.get(
        url, {"kind": MakerKind.STUDIO, "commune": commune("Lille").pk}
    ).content.decode()
    assert "Atelier Lillois" in filtered
    assert "Studio Roubaisien" not in filtered
    assert "Ville de Lille" not in filtered

    searched = staff_client.get(url, {"q": "roubaisien"}).content.decode()
    assert "Studio Roubaisien" in searched
    assert "Atelier Lillois" not in searched


def test_communes_are_listed_with_their_population(staff_client):
    url = reverse("wagtailsnippets_poc_catalogue_commune:list")
    response = staff_client.get(url, {"q": "tourc"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tourcoing" in html
    assert "Lille" not in html.split("<tbody")[-1]


def test_themes_are_listed(staff_client):
    response = staff_client.get(reverse("wagtailsnippets_poc_catalogue_theme:list"))
    assert "Économie circulaire" in response.content.decode()


def test_the_poc_listing_filters_by_theme_stage_and_commune(staff_client):
    make_poc("Vélo à Lille", themes=[theme("mobilite")], stage=Stage.DEPLOY)
    make_poc("Jardin à Roubaix", themes=[theme("habiter")], commune=commune("Roubaix"))
    make_poc("Bus à Lille", themes=[theme("mobilite")], stage=Stage.IMAGINE)
    url = reverse("poc_pages:index")

    def titles(**params) -> set[str]:
        html = staff_client.get(url, params).content.decode()
        return {t for t in ("Vélo à Lille", "Jardin à Roubaix", "Bus à Lille") if t in html}

    assert titles() == {"Vélo à Lille", "Jardin à Roubaix", "Bus à Lille"}
    assert titles(themes=theme("mobilite").pk) == {"Vélo à Lille", "Bus à Lille"}
    assert titles(themes=theme("mobilite").pk, stage=Stage.DEPLOY) == {"Vélo à Lille"}
    assert titles(commune=commune("Roubaix").pk) == {"Jardin à Roubaix"}


def test_the_catalogue_menu_lists_the_snippets_and_the_pocs(staff_client):
    html = staff_client.get(reverse("wagtailadmin_home")).content.decode()
    for url in (
        reverse("poc_pages:index"),
        reverse("wagtailsnippets_poc_catalogue_maker:list"),
        reverse("wagtailsnippets_poc_catalogue_commune:list"),
        reverse("wagtailsnippets_poc_catalogue_theme:list"),
    ):
        assert url in html


def test_a_maker_can_be_added_as_a_snippet(staff_client):
    response = staff_client.post(
        reverse("wagtailsnippets_poc_catalogue_maker:add"),
        {
            "name": "Collectif Place Libre",
            "slug": "collectif-place-libre",
            "kind": MakerKind.COLLECTIVE,
            "commune": commune("Lille").pk,
            "bio": "Des habitants qui réinventent leur place.",
            "website": "",
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    assert Maker.objects.get(slug="collectif-place-libre").kind == MakerKind.COLLECTIVE
    listing = staff_client.get(reverse("wagtailsnippets_poc_catalogue_maker:list"))
    assert "Collectif Place Libre" in listing.content.decode()


def test_the_preview_shows_the_edited_makers_before_saving(staff_client):
    poc = make_poc("Projet à prévisualiser", makers=[make_maker("Ancien porteur")])
    edit_url = reverse("wagtailadmin_pages:edit", args=(poc.pk,))
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=(poc.pk,))
    data = _poc_post_data(title="Projet à prévisualiser", slug=poc.slug)
    data.pop("action-publish")

    response = staff_client.post(preview_url, data)
    assert response.json() == {"is_valid": True, "is_available": True}
    html = staff_client.get(preview_url).content.decode()
    # Makers only in the unsaved form: the preview reads the edited relations.
    assert "Atelier Trame" in html and "Ville de Roubaix" in html
    # Nothing was saved.
    assert staff_client.get(edit_url).status_code == 200
    assert [str(m.maker) for m in POCPage.objects.get(pk=poc.pk).poc_makers.all()] == [
        "Ancien porteur"
    ]


def test_communes_can_be_corrected_but_not_added_or_deleted(staff_client):
    lille = commune("Lille")
    assert staff_client.get(reverse("wagtailsnippets_poc_catalogue_commune:add")).status_code in (
        302,
        403,
    )
    delete_url = reverse("wagtailsnippets_poc_catalogue_commune:delete", args=(lille.pk,))
    staff_client.post(delete_url)
    assert type(lille).objects.filter(pk=lille.pk).exists()
    edit_url = reverse("wagtailsnippets_poc_catalogue_commune:edit", args=(lille.pk,))
    assert staff_client.get(edit_url).status_code == 200
    listing = staff_client.get(reverse("wagtailsnippets_poc_catalogue_commune:list"))
    assert reverse("wagtailsnippets_poc_catalogue_commune:add") not in listing.content.decode()


def test_a_tag_typed_with_other_capitals_is_the_same_tag(staff_client):
    from taggit.models import Tag

    make_poc("Vélos partagés", tags=["vélo"])
    response = staff_client.post(_add_url(), _poc_post_data(tags="Vélo, Réemploi"))
    assert response.status_code == 302
    assert Tag.objects.filter(name__iexact="vélo").count() == 1
    assert sorted(POCPage.objects.get(slug="bancs-de-reemploi").tags.names()) == [
        "Réemploi",
        "vélo",
    ]


def test_staff_find_a_poc_by_title_in_the_admin_search(staff_client):
    make_poc("Bancs de réemploi", commune=commune("Roubaix"))
    make_poc("Jardin partagé", commune=commune("Lille"))
    response = staff_client.get(reverse("wagtailadmin_pages:search"), {"q": "bancs"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bancs de réemploi" in html
    assert "Jardin partagé" not in html


def test_wagtail_search_filters_pocs_by_commune():
    """The commune filter field serves Wagtail's own search (the benchmark's peer faceting)."""
    make_poc("Bancs de réemploi", commune=commune("Roubaix"))
    make_poc("Bancs du parc", commune=commune("Lille"))
    found = POCPage.objects.live().filter(commune=commune("Lille")).search("bancs")
    assert [poc.title for poc in found] == ["Bancs du parc"]
