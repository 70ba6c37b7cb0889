"""A trigram index on the stored stems, so PostgreSQL matches a query word without a full scan.

On PostgreSQL only: SQLite has neither the extension nor GIN indexes, and reads its few
hundred texts fast enough without one.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class OnPostgreSQL:
    """Runs its operation on PostgreSQL only, both ways (Django's CreateExtension checks the
    database going forwards, not backwards)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class TrigramExtensionOnPostgreSQL(OnPostgreSQL, TrigramExtension):
    pass


class AddIndexOnPostgreSQL(OnPostgreSQL, migrations.AddIndex):
    pass


class Migration(migrations.Migration):
    dependencies = [("search", "0003_stemmed_search_text")]

    operations = [
        TrigramExtensionOnPostgreSQL(),
        AddIndexOnPostgreSQL(
            model_name="pocsearchtext",
            index=GinIndex(
                fields=["text"], opclasses=["gin_trgm_ops"], name="search_text_trigrams"
            ),
        ),
    ]
