"""The text is now stored as stems (light French stemming); drop the old rows.

The database backend refills missing rows on its next search (fill_missing_search_text).
"""

from django.db import migrations, models


def forget_search_text(apps, schema_editor):
    apps.get_model("search", "POCSearchText").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_refill_search_text_as_words"),
    ]

    operations = [
        migrations.AddField(
            model_name="pocsearchtext",
            name="title_terms",
            field=models.TextField(default="", verbose_name="title stems"),
        ),
        migrations.AlterField(
            model_name="pocsearchtext",
            name="text",
            field=models.TextField(verbose_name="stems of the text"),
        ),
        migrations.RunPython(forget_search_text, migrations.RunPython.noop),
    ]
