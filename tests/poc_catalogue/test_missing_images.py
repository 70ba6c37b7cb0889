"""An image file gone missing or damaged costs that image, never the page or the index."""

from __future__ import annotations

import logging

import pytest
from django.core.files.base import ContentFile
from wagtail.images import get_image_model

from poc_catalogue.models import HomePage, HomePageFeaturedPOC
from tests.factories import commune, make_maker, make_poc, theme
from tests.processes import manage

pytestmark = pytest.mark.django_db


def break_hero(poc, how: str) -> None:
    """Lose or damage the hero's file, and the renditions made from it so far."""
    image = poc.hero_image
    image.renditions.all().delete()
    storage = image.file.storage
    if how == "missing":
        storage.delete(image.file.name)
    else:
        with storage.open(image.file.name, "wb") as damaged:
            damaged.write(b"\x89PNG\r\n\x1a\n this is no longer an image")


@pytest.fixture(params=["missing", "damaged"])
def broken_poc(request):
    maker = make_maker("Atelier Fragile")
    poc = make_poc(
        "Kiosque sans image",
        themes=[theme("habiter")],
        makers=[maker],
        commune=commune("Roubaix"),
        gallery=1,
    )
    make_poc("Voisin intact", themes=[theme("habiter")], commune=commune("Roubaix"))
    HomePageFeaturedPOC.objects.create(home_page=HomePage.objects.get(), poc=poc)
    break_hero(poc, request.param)
    return poc


def public_urls(poc) -> list[str]:
    return [
        "/",
        poc.url,
        "/themes/habiter/",
        "/communes/roubaix/",
        "/makers/atelier-fragile/",
        "/catalogue/",
        "/catalogue/?q=kiosque",
        "/api/catalogue/search/?q=kiosque",
    ]


def test_every_page_showing_the_poc_still_answers_without_its_image(
    client, broken_poc, without_elasticsearch, caplog
):
    for url in public_urls(broken_poc):
        with caplog.at_level(logging.WARNING, logger="poc_catalogue.images"):
            response = client.get(url)
        assert response.status_code == 200, url
        assert broken_poc.url in response.content.decode(), url
    assert f"Image {broken_poc.hero_image_id}" in caplog.text
    api = client.get("/api/catalogue/search/?q=kiosque").json()
    assert api["results"][0]["thumbnail"] is None
    poc_page = client.get(broken_poc.url).content.decode()
    assert "poc-hero__figure" not in poc_page
    assert "not-found" not in poc_page
    assert 'class="gallery"' in poc_page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_index_commands_index_the_poc_without_its_thumbnail(with_elasticsearch, es_client):
    poc = make_poc("Kiosque sans image")
    make_poc("Voisin intact")
    break_hero(poc, "missing")
    rebuilt = manage("catalogue_index", "rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "Indexed 2 POCs" in rebuilt.stdout
    assert f"Image {poc.hero_image_id}" in rebuilt.stderr
    document = es_client.get(index=f"{with_elasticsearch}-pocs", id=str(poc.pk))
    assert document["_source"]["card"]["thumbnail"] is None
    reconciled = manage("catalogue_index", "reconcile")
    assert reconciled.returncode == 0, reconciled.stderr
    assert manage("catalogue_index", "check").returncode == 0


def test_a_restored_file_comes_back_on_the_cards(client, without_elasticsearch):
    poc = make_poc("Kiosque restauré")
    image = get_image_model().objects.get(pk=poc.hero_image_id)
    content = image.file.read()
    break_hero(poc, "missing")
    assert client.get("/api/catalogue/search/?q=kiosque").json()["results"][0]["thumbnail"] is None
    image.file.storage.save(image.file.name, ContentFile(content))
    thumbnail = client.get("/api/catalogue/search/?q=kiosque").json()["results"][0]["thumbnail"]
    assert thumbnail and thumbnail.endswith(".webp")
