"""English stems next to the French ones, for searches under /en/ (issue 15).

The rows are dropped: the database backend refills missing rows on its next search
(fill_missing_search_text), now with both languages.
"""

from importlib import import_module

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations, models

AddIndexOnPostgreSQL = import_module("search.migrations.0004_search_text_trigrams").AddIndexOnPostgreSQL


def forget_search_text(apps, schema_editor):
    apps.get_model("search", "POCSearchText").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_search_text_trigrams"),
    ]

    operations = [
        migrations.AddField(
            model_name="pocsearchtext",
            name="title_en",
            field=models.TextField(default="", verbose_name="folded English title"),
        ),
        migrations.AddField(
            model_name="pocsearchtext",
            name="title_terms_en",
            field=models.TextField(default="", verbose_name="English title stems"),
        ),
        migrations.AddField(
            model_name="pocsearchtext",
            name="text_en",
            field=models.TextField(default="", verbose_name="English stems of the text"),
        ),
        AddIndexOnPostgreSQL(
            model_name="pocsearchtext",
            index=GinIndex(
                fields=["text_en"], opclasses=["gin_trgm_ops"], name="search_text_en_trigrams"
            ),
        ),
        migrations.RunPython(forget_search_text, migrations.RunPython.noop),
    ]
