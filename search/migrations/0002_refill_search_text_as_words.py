"""The folded text is now stored as space-separated words; drop the old rows.

The database backend refills missing rows on its next search (fill_missing_search_text).
"""

from django.db import migrations


def forget_search_text(apps, schema_editor):
    apps.get_model("search", "POCSearchText").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forget_search_text, migrations.RunPython.noop)]
