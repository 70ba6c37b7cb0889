"""Seed the six WDC 2020 themes, the 95 communes, and the home and catalogue pages."""

import csv
from pathlib import Path

from django.db import migrations
from django.utils.text import slugify

COMMUNES_CSV = Path(__file__).resolve().parent.parent / "data" / "mel_communes.csv"

THEMES = [
    # slug, French name, English name, colour, French description, English description
    ("action-publique", "Action publique", "Public action", "#1f4fd8",
     "Repenser les services publics avec celles et ceux qui les utilisent.",
     "Rethinking public services with the people who use them."),
    ("economie-circulaire", "Économie circulaire", "Circular economy", "#0f8a5f",
     "Réemployer, réparer, recycler : produire sans épuiser.",
     "Reuse, repair, recycle: making without exhausting."),
    ("habiter", "Habiter", "Living", "#c2410c",
     "Logement, espaces partagés et quartiers à vivre.",
     "Housing, shared spaces and neighbourhoods to live in."),
    ("mobilite", "Mobilité", "Mobility", "#7c3aed",
     "Se déplacer mieux, plus doux et pour toutes et tous.",
     "Moving better, more gently, for everyone."),
    ("prendre-soin", "Prendre soin", "Caring", "#be185d",
     "Santé, solidarité et attention aux autres.",
     "Health, solidarity and care for others."),
    ("ville-collaborative", "Ville collaborative", "Collaborative city", "#a16207",
     "Faire la ville ensemble, avec les habitants.",
     "Making the city together, with its residents."),
]


def seed(apps, schema_editor):
    Theme = apps.get_model("poc_catalogue", "Theme")
    Commune = apps.get_model("poc_catalogue", "Commune")
    for order, (slug, name, name_en, colour, description, description_en) in enumerate(THEMES):
        Theme.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name, "name_en": name_en, "colour": colour, "sort_order": order,
                "description": description, "description_en": description_en,
            },
        )
    with COMMUNES_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            Commune.objects.update_or_create(
                insee_code=row["insee"],
                defaults={
                    "name": row["name"],
                    "slug": slugify(row["name"]),
                    "latitude": float(row["lat"]),
                    "longitude": float(row["lon"]),
                    "population": int(row["population"]),
                },
            )
    create_pages(apps)


def create_pages(apps):
    """Replace Wagtail's welcome page with our home page and its catalogue."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    HomePage = apps.get_model("poc_catalogue", "HomePage")
    CatalogueIndexPage = apps.get_model("poc_catalogue", "CatalogueIndexPage")

    if HomePage.objects.exists():
        return
    page_type = ContentType.objects.get(app_label="wagtailcore", model="page")
    Page.objects.filter(content_type=page_type, slug="home", depth=2).delete()
    if Page.objects.filter(depth=2).exists():
        # Someone already built a tree here: leave it for staff to arrange.
        return
    locale = Locale.objects.order_by("pk").first()
    home_type, _ = ContentType.objects.get_or_create(app_label="poc_catalogue", model="homepage")
    catalogue_type, _ = ContentType.objects.get_or_create(
        app_label="poc_catalogue", model="catalogueindexpage"
    )
    home = HomePage.objects.create(
        title="Design en métropole lilloise",
        draft_title="Design en métropole lilloise",
        slug="home",
        content_type=home_type,
        path="00010001",
        depth=2,
        numchild=1,
        url_path="/home/",
        locale=locale,
        live=True,
        introduction=(
            "Plus de 600 preuves de concept imaginées avec des designers pour Lille Métropole, "
            "Capitale mondiale du design 2020."
        ),
    )
    CatalogueIndexPage.objects.create(
        title="Catalogue des POC",
        draft_title="Catalogue des POC",
        slug="catalogue",
        content_type=catalogue_type,
        path="000100010001",
        depth=3,
        numchild=0,
        url_path="/home/catalogue/",
        locale=locale,
        live=True,
        introduction="Parcourez les projets par thème, commune, acteur ou étape.",
    )
    Page.objects.filter(depth=1).update(numchild=1)
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(
        hostname="localhost", port=80, root_page_id=home.pk, is_default_site=True,
        site_name="POC Showcase",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("poc_catalogue", "0001_initial"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
