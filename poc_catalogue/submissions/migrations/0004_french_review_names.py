"""The review workflow and its task get French names: the admin is French first.

Their names are data, not translatable strings, and Wagtail shows them as they are
("Resoumettre à Moderators approval"). Names an administrator has changed are kept.
"""

from django.db import migrations

RENAMES = {
    "wagtailcore.Workflow": ("POC review", "Relecture des propositions"),
    "wagtailcore.Task": ("Moderators approval", "Validation par les modérateurs"),
}


def rename(apps, forward: bool) -> None:
    for model_name, (english, french) in RENAMES.items():
        old, new = (english, french) if forward else (french, english)
        apps.get_model(model_name).objects.filter(name=old).update(name=new)


def to_french(apps, schema_editor):
    rename(apps, forward=True)


def to_english(apps, schema_editor):
    rename(apps, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0003_submission_status_nonce"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(to_french, to_english)
    ]
