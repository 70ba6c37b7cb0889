"""A POC's pictures are made when it is published, so its first visitor does not wait for them."""

from __future__ import annotations

import logging

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult
from wagtail.images import get_image_model

from tests.factories import make_image, make_poc
from tests.processes import manage

pytestmark = pytest.mark.django_db

Rendition = get_image_model().get_rendition_model()


@pytest.fixture
def renditions_on_publish(settings, without_elasticsearch) -> None:
    settings.CATALOGUE_PREPARE_RENDITIONS = True


def body_with_images() -> list[tuple[str, dict]]:
    def captioned(alt: str) -> dict:
        return {"image": make_image(), "alt_text": alt, "caption": "", "credit": ""}

    return [
        ("image", captioned("Le chantier")),
        ("gallery", {"images": [captioned("Avant"), captioned("Après")]}),
    ]


def publish_poc(title: str, **kwargs):
    poc = make_poc(title, gallery=2, publish=False, **kwargs)
    poc.save_revision().publish()
    return poc


def test_the_first_visitor_finds_every_picture_already_made(client, renditions_on_publish):
    poc = publish_poc("Jardin partagé de Fives", body=body_with_images())
    made = Rendition.objects.count()
    # Hero: nine renditions, the card's and the share preview's; two gallery images of four;
    # three body images.
    assert made == 11 + 2 * 4 + 3

    for url in (poc.url, "/catalogue/", "/catalogue/?q=jardin", "/"):
        assert client.get(url).status_code == 200
    assert Rendition.objects.count() == made


def test_a_republished_poc_makes_only_its_new_pictures(renditions_on_publish):
    poc = publish_poc("Kiosque de la place Rihour")
    before = Rendition.objects.count()
    poc.hero_image = make_image()
    poc.save_revision().publish()
    assert Rendition.objects.count() == before + 11


def test_without_the_setting_the_page_still_makes_its_pictures(client, without_elasticsearch):
    poc = publish_poc("Banc connecté de Wazemmes")
    assert Rendition.objects.count() == 0
    page = client.get(poc.url)
    assert page.status_code == 200 and b"<picture" in page.content
    assert Rendition.objects.count() > 0


def test_the_index_update_runs_before_the_pictures(settings, durable_queue, with_elasticsearch):
    """On the worker, a publication is searchable first; its pictures follow."""
    settings.CATALOGUE_PREPARE_RENDITIONS = True
    with transaction.atomic():
        publish_poc("Abri-vélo de Lomme")
    ours = ("search.sync.sync_pocs", "poc_catalogue.renditions.prepare_renditions")
    queued = [result.task_path for result in DBTaskResult.objects.ready()]
    assert [path for path in queued if path in ours] == list(ours)


def test_an_unreadable_image_is_skipped_and_the_others_are_made(renditions_on_publish, caplog):
    poc = make_poc("Fresque de Roubaix", gallery=1, publish=False)
    poc.hero_image.file.storage.delete(poc.hero_image.file.name)
    with caplog.at_level(logging.WARNING, logger="poc_catalogue.renditions"):
        poc.save_revision().publish()
    assert "cannot be rendered" in caplog.text
    assert Rendition.objects.filter(image=poc.hero_image).count() == 0
    assert Rendition.objects.count() == 4  # the gallery image's


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_command_makes_what_is_missing_and_checks_it(without_elasticsearch):
    publish_poc("Passerelle de Marcq")
    publish_poc("Ressourcerie de Tourcoing")
    make_poc("Brouillon sans images", publish=False)

    checked = manage("prepare_renditions", "--check")
    assert checked.returncode != 0
    assert "38 renditions are missing for 2 of 2 live POCs" in checked.stderr

    prepared = manage("prepare_renditions")
    assert prepared.returncode == 0, prepared.stderr
    assert "Renditions ready for 2 live POCs (6 images)" in prepared.stdout
    assert Rendition.objects.count() == 2 * (11 + 2 * 4)

    again = manage("prepare_renditions", "--check")
    assert again.returncode == 0, again.stderr
    assert "Every rendition of the 2 live POCs is made" in again.stdout
