"""The site's second content language: English, translating the French pages.

Every existing page already belongs to the French locale (Wagtail gives each page the default
language's locale), so nothing else moves: English pages appear as staff translate them.
"""

from django.db import migrations


def add_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for language_code in ("fr", "en"):
        Locale.objects.get_or_create(language_code=language_code)


def remove_english(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Page = apps.get_model("wagtailcore", "Page")
    english = Locale.objects.filter(language_code="en").first()
    if english is None:
        return
    if Page.objects.filter(locale=english).exists():
        raise RuntimeError(
            "English pages exist: delete them before going back to a French-only site."
        )
    english.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("poc_catalogue", "0006_published_version"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(add_locales, remove_english)]
