"""One word for makers everywhere ("porteur de projet"), and their logos in a collection."""

import re

import pytest
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.users.models import UserProfile

from poc_catalogue.demo import load_demo_catalogue
from poc_catalogue.models import Maker
from tests.admin_forms import add_poc_url
from tests.factories import make_image, make_maker, make_poc

pytestmark = pytest.mark.django_db


@pytest.fixture
def french_staff_client(staff_client, django_user_model):
    profile = UserProfile.get_for_user(django_user_model.objects.get(username="editor"))
    profile.preferred_language = "fr"
    profile.save()
    return staff_client


def test_the_poc_form_names_makers_porteurs_de_projet(french_staff_client):
    html = french_staff_client.get(add_poc_url()).content.decode()
    assert "Ajouter un porteur de projet" in html
    assert "Ajouter une image à la galerie" in html
    assert "un(e)" not in html
    assert not re.search(r"\bActeurs?\b", html)


def test_the_admin_menu_names_makers_porteurs_de_projet(french_staff_client):
    html = french_staff_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Porteurs de projet" in html
    assert "Acteurs" not in html


def test_the_makers_listing_adds_a_porteur_de_projet(french_staff_client):
    url = reverse("wagtailsnippets_poc_catalogue_maker:list")
    html = french_staff_client.get(url).content.decode()
    assert "Ajouter un porteur de projet" in html
    assert "un(e)" not in html


def test_the_poc_page_names_its_makers_porteurs_de_projet(client):
    poc = make_poc("Bancs de réemploi", makers=[make_maker("Atelier Trame")])
    html = client.get(poc.url).content.decode()
    assert "Porteurs de projet" in html
    assert "Réalisé par" not in html


def test_makers_logos_have_a_collection_of_their_own():
    assert Collection.objects.filter(name="Porteurs de projet", depth=2).exists()


def test_the_demo_puts_makers_logos_in_their_collection():
    load_demo_catalogue(count=2, seed=7)
    logos = get_image_model().objects.filter(pk__in=Maker.objects.values("logo"))
    assert logos.exists()
    assert set(logos.values_list("collection__name", flat=True)) == {"Porteurs de projet"}


def test_the_logo_chooser_opens_on_makers_logos(staff_client):
    logo = make_image("Logo Atelier Trame")
    logo.collection = Collection.objects.get(name="Porteurs de projet")
    logo.save()
    make_image("Photo du banc")
    maker = make_maker("Atelier Trame")
    form = staff_client.get(
        reverse("wagtailsnippets_poc_catalogue_maker:edit", args=(maker.pk,))
    ).content.decode()
    chooser_url = re.search(r"/admin/images/chooser/\?collection_id=\d+", form).group()

    modal = staff_client.get(chooser_url).json()["html"]
    assert "Logo Atelier Trame" in modal
    assert "Photo du banc" not in modal


def test_a_logo_uploaded_anywhere_is_filed_with_the_makers_logos(staff_client):
    """An image uploaded to the root collection becomes a maker's logo on the maker's form."""
    logo = make_image("Logo Studio Soleil")
    maker = make_maker("Studio Soleil")
    response = staff_client.post(
        reverse("wagtailsnippets_poc_catalogue_maker:edit", args=(maker.pk,)),
        {
            "name": maker.name,
            "slug": maker.slug,
            "kind": maker.kind,
            "bio": maker.bio,
            "logo": logo.pk,
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    logo.refresh_from_db()
    assert logo.collection.name == "Porteurs de projet"


def test_a_logo_staff_filed_elsewhere_stays_there():
    press = Collection.get_first_root_node().add_child(name="Presse")
    logo = make_image("Logo Ville de Lille")
    logo.collection = press
    logo.save()
    make_maker("Ville de Lille", logo=logo)
    logo.refresh_from_db()
    assert logo.collection.name == "Presse"
