"""What the Wagtail admin's POC form posts, for tests that publish the way staff do."""

from __future__ import annotations

from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from poc_catalogue.models import Maker, MakerKind, Stage
from tests.factories import catalogue, commune, make_image, make_maker, theme


def add_poc_url() -> str:
    return reverse("wagtailadmin_pages:add", args=("poc_catalogue", "pocpage", catalogue().pk))


def _maker(name: str, **kwargs) -> Maker:
    return Maker.objects.filter(name=name).first() or make_maker(name, **kwargs)


def poc_form_data(**overrides) -> dict:
    """A complete POC as the admin form posts it, published; override any field."""
    studio = _maker("Atelier Trame")
    city = _maker("Ville de Roubaix", kind=MakerKind.PUBLIC_BODY)
    data = {
        "title": "Des bancs de réemploi pour la Grand-Place",
        "slug": "bancs-de-reemploi",
        "summary": "Des bancs fabriqués avec le bois des friches, dessinés avec les habitants.",
        "body": streamfield(
            [
                ("heading", "Comprendre les besoins"),
                ("paragraph", rich_text("<p>Les habitants manquaient de places assises.</p>")),
                ("quote", {"text": "On s'assoit enfin.", "attribution": "Une habitante"}),
            ]
        ),
        "hero_image": make_image().pk,
        "hero_alt_text": "Trois bancs en bois clair sur la Grand-Place",
        "hero_credit": "Atelier Trame, Bancs de réemploi, Roubaix, 2020",
        "gallery_images": inline_formset(
            [
                {
                    "image": make_image().pk,
                    "alt_text": "Prototype en carton",
                    "caption": "Premier prototype",
                    "credit": "Atelier Trame, Bancs de réemploi, Roubaix, 2020",
                }
            ]
        ),
        "poc_makers": inline_formset(
            [
                {"maker": city.pk, "role": "holder"},
                {"maker": studio.pk, "role": "designer"},
            ],
            min=1,
        ),
        "stage": Stage.EXPERIMENT,
        "year": "2020",
        "tags": "réemploi, mobilier urbain",
        "contact_email": "porteur@roubaix.example",
        "commune": commune("Roubaix").pk,
        "address": "Grand-Place",
        "latitude": "50.6903",
        "longitude": "3.1817",
        "action-publish": "publish",
    }
    themes = overrides.pop(
        "themes", [theme("economie-circulaire").pk, theme("ville-collaborative").pk]
    )
    data.update(overrides)
    # A multiple choice is one key repeated, not a nested list: add it after flattening.
    return {**nested_form_data(data), "themes": themes}
