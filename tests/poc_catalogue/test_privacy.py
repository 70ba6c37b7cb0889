"""The private contact email of a POC never reaches a visitor, a search index or an API."""

import pytest

from poc_catalogue.demo import load_demo_catalogue
from poc_catalogue.models import Commune, Maker, POCPage, Theme
from tests.factories import make_maker, make_poc, theme

pytestmark = pytest.mark.django_db

SECRET = "porteuse.secrete@example.org"

# Every public endpoint that shows POCs: each must answer, none may leak.
PUBLIC_URLS = [
    "/",
    "/catalogue/",
    "/catalogue/?page=2",
    "/catalogue/?q=projet",
    "/catalogue/?view=map",
    "/en/catalogue/",
    "/api/catalogue/search/",
    "/api/catalogue/search/?q=projet",
    "/api/catalogue/autocomplete/?q=pro",
]


def _public_urls() -> list[str]:
    urls = list(PUBLIC_URLS)
    urls += [poc.url for poc in POCPage.objects.live()]
    urls += [maker.get_absolute_url() for maker in Maker.objects.filter(is_public=True)]
    urls += [t.get_absolute_url() for t in Theme.objects.all()]
    urls += [c.get_absolute_url() for c in Commune.objects.filter(pocs__isnull=False).distinct()]
    return urls


def _assert_nowhere(client, secrets: set[str]) -> None:
    urls = _public_urls()
    assert len(urls) > 10
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        body = response.content.decode(errors="replace")
        leaked = {secret for secret in secrets if secret in body}
        assert not leaked, f"{url} shows {leaked}"


def test_the_contact_email_is_on_no_public_page(client):
    maker = make_maker("Atelier Discret")
    make_poc(
        "Projet confidentiel",
        makers=[maker],
        themes=[theme("prendre-soin")],
        tags=["santé"],
        contact_email=SECRET,
        gallery=1,
    )
    _assert_nowhere(client, {SECRET})


def test_no_demo_contact_email_is_on_a_public_page(client):
    load_demo_catalogue(count=8, seed=11)
    secrets = set(POCPage.objects.values_list("contact_email", flat=True))
    assert len(secrets) == 8 and all("@" in s for s in secrets)
    _assert_nowhere(client, secrets)


def test_the_contact_email_is_not_indexed():
    indexed = {field.field_name for field in POCPage.get_search_fields()}
    assert "contact_email" not in indexed


def test_the_contact_email_is_not_in_the_admin_search_index():
    from wagtail.search.backends import get_search_backend

    make_poc("Projet discret", contact_email=SECRET)
    assert not list(get_search_backend().search("porteuse.secrete", POCPage))
