"""What visitors may see, on both backends: never a private POC, never an unmoderated label."""

from __future__ import annotations

import pytest
from wagtail.models import PageViewRestriction

from poc_catalogue.models import CatalogueIndexPage
from search import indexing
from tests.factories import make_maker, make_poc, theme

pytestmark = pytest.mark.django_db


def restrict(page, kind=PageViewRestriction.PASSWORD) -> PageViewRestriction:
    return PageViewRestriction.objects.create(page=page, restriction_type=kind, password="clé")


def api(client, backend: str, **params) -> dict:
    answer = client.get("/api/catalogue/search/", params).json()
    assert answer["backend"] == backend
    return answer


@pytest.fixture
def pocs(backend):
    public = make_poc("Fontaine publique", themes=[theme("habiter")], tags=["eau"])
    private = make_poc("Fontaine privée", themes=[theme("mobilite")], tags=["eau", "secret"])
    if backend == "elasticsearch":
        indexing.rebuild_index()
    return public, private


@pytest.mark.parametrize(
    "kind", [PageViewRestriction.PASSWORD, PageViewRestriction.LOGIN, PageViewRestriction.GROUPS]
)
def test_a_restricted_poc_is_nowhere_a_visitor_searches(client, backend, pocs, kind):
    public, private = pocs
    restrict(private, kind)
    answer = api(client, backend, q="fontaine")
    assert [hit["title"] for hit in answer["results"]] == ["Fontaine publique"]
    assert {value["value"] for value in answer["facets"]["theme"]} == {"habiter"}
    assert "secret" not in {value["value"] for value in answer["facets"]["tag"]}
    catalogue = client.get("/catalogue/?q=fontaine").content.decode()
    assert public.url in catalogue and private.url not in catalogue
    suggestions = client.get("/api/catalogue/autocomplete/?q=fontaine").json()
    assert suggestions["backend"] == backend
    assert [item["label"] for item in suggestions["suggestions"]] == ["Fontaine publique"]
    assert client.get("/api/catalogue/autocomplete/?q=secr").json()["suggestions"] == []
    assert private.url not in client.get(public.url).content.decode()


def test_a_restricted_section_hides_every_poc_under_it_until_it_is_lifted(client, backend, pocs):
    restriction = restrict(CatalogueIndexPage.objects.get())
    assert api(client, backend)["total"] == 0
    restriction.delete()
    assert api(client, backend)["total"] == 2


def test_tags_of_pending_proposals_are_never_suggested(client, backend, pocs):
    make_poc("Proposition en attente", tags=["zzsecretcampaign"], publish=False)
    suggestions = client.get("/api/catalogue/autocomplete/?q=zzsecret").json()["suggestions"]
    assert suggestions == []


def test_a_hidden_maker_gets_no_label_from_a_crafted_url(client, backend, pocs):
    hidden = make_maker("Nom Confidentiel", is_public=False)
    make_poc("Projet en attente", makers=[hidden], publish=False)
    answer = api(client, backend, maker=hidden.slug)
    [selected] = [value for value in answer["facets"]["maker"] if value["selected"]]
    assert selected == {"value": hidden.slug, "label": hidden.slug, "count": 0, "selected": True}
    page = client.get(f"/catalogue/?maker={hidden.slug}").content.decode()
    assert "Nom Confidentiel" not in page
