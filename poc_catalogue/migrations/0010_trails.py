"""Discovery trails: the trails index and trail pages, and their stops.

Going back deletes the trail pages first, so no page is left in the tree without its type.
"""

import django.db.models.deletion
import modelcluster.fields
import poc_catalogue.translations
import uuid
from django.conf import settings
from django.db import migrations, models


def delete_trail_pages(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Revision = apps.get_model("wagtailcore", "Revision")
    types = ContentType.objects.filter(
        app_label="poc_catalogue", model__in=["trailindexpage", "trailpage"]
    )
    for page in Page.objects.filter(content_type__in=types).order_by("depth"):
        if not Page.objects.filter(pk=page.pk).exists():
            continue  # gone with its index
        doomed = Page.objects.filter(path__startswith=page.path, depth__gte=page.depth)
        Revision.objects.filter(
            base_content_type__model="page",
            object_id__in=[str(pk) for pk in doomed.values_list("pk", flat=True)],
        ).delete()
        doomed.delete()
        parent = Page.objects.filter(path=page.path[:-4], depth=page.depth - 1)
        parent.update(numchild=models.F("numchild") - 1)


class Migration(migrations.Migration):
    dependencies = [
        ("poc_catalogue", "0009_import_reference"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.CreateModel(
            name="TrailIndexPage",
            fields=[
                (
                    "page_ptr",
                    models.OneToOneField(
                        auto_created=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        serialize=False,
                        to=settings.WAGTAIL_PAGE_MODEL,
                    ),
                ),
                ("introduction", models.TextField(blank=True, verbose_name="introduction")),
            ],
            options={
                "verbose_name": "trails index",
            },
            bases=(poc_catalogue.translations.FallsBackToSourceLanguage, "wagtailcore.page"),
        ),
        migrations.CreateModel(
            name="TrailPage",
            fields=[
                (
                    "page_ptr",
                    models.OneToOneField(
                        auto_created=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        serialize=False,
                        to=settings.WAGTAIL_PAGE_MODEL,
                    ),
                ),
                (
                    "introduction",
                    models.TextField(
                        help_text="Who the trail is for, where it starts and what it shows. Paragraphs separated by an empty line.",
                        verbose_name="introduction",
                    ),
                ),
                (
                    "theme",
                    models.ForeignKey(
                        help_text="The trail takes this theme's colour: its line on the map, its stop numbers, its labels.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="poc_catalogue.theme",
                        verbose_name="theme colour",
                    ),
                ),
            ],
            options={
                "verbose_name": "trail",
                "verbose_name_plural": "trails",
            },
            bases=("wagtailcore.page",),
        ),
        migrations.CreateModel(
            name="TrailStop",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("translation_key", models.UUIDField(default=uuid.uuid4, editable=False)),
                ("sort_order", models.IntegerField(blank=True, editable=False, null=True)),
                (
                    "note",
                    models.TextField(
                        blank=True,
                        help_text="What to look at here, or how to find it: a sentence or two.",
                        max_length=600,
                        verbose_name="note",
                    ),
                ),
                (
                    "locale",
                    models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="wagtailcore.locale",
                        verbose_name="locale",
                    ),
                ),
                (
                    "page",
                    modelcluster.fields.ParentalKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="stops",
                        to="poc_catalogue.trailpage",
                    ),
                ),
                (
                    "poc",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="trail_stops",
                        to="poc_catalogue.pocpage",
                        verbose_name="POC",
                    ),
                ),
            ],
            options={
                "verbose_name": "stop",
                "verbose_name_plural": "stops",
                "ordering": ["sort_order"],
                "abstract": False,
                "unique_together": {("translation_key", "locale")},
            },
        ),
        migrations.RunPython(migrations.RunPython.noop, delete_trail_pages),
    ]
