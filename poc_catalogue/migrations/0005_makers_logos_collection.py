"""Makers' logos move to a collection of their own, "Porteurs de projet".

Collections are a treebeard tree: its API lives on the real model, not on the historical one,
so this uses `wagtail.models.Collection` (whose tree fields have not changed in years).
"""

from django.db import migrations

COLLECTION_NAME = "Porteurs de projet"


def move_logos(apps, schema_editor):
    from wagtail.models import Collection

    Maker = apps.get_model("poc_catalogue", "Maker")
    Image = apps.get_model("wagtailimages", "Image")
    root = Collection.get_first_root_node()
    if root is None:
        return
    collection = Collection.objects.filter(name=COLLECTION_NAME, depth=2).first()
    if collection is None:
        collection = root.add_child(name=COLLECTION_NAME)
    logos = Maker.objects.exclude(logo=None).values("logo")
    Image.objects.filter(pk__in=logos).update(collection_id=collection.pk)


class Migration(migrations.Migration):
    dependencies = [("poc_catalogue", "0004_drafts_without_commune_or_year")]

    operations = [migrations.RunPython(move_logos, migrations.RunPython.noop)]
