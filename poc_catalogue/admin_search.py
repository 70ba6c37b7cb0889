"""Staff find the catalogue's records by name in the admin, with or without accents.

Every chooser (commune, maker, theme, image) and every snippet listing asks Wagtail's own search
index. Two things kept them from finding anything: rows seeded by data migrations (the themes and
the 95 communes) never reached that index, since a migration sends none of the signals that index
a saved object; and the PostgreSQL backend matches accents exactly. So each record also indexes
its name folded to ASCII (`Épeule` is found as `epeule`, `Marcq-en-Barœul` as `baroeul`), and
after every complete `migrate` the records are (re)indexed.
"""

from __future__ import annotations

from anyascii import anyascii
from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from wagtail.search.backends import get_search_backends

# What staff choose from: models of this app, indexed for the admin's choosers and listings.
REFERENCE_MODELS = ("Theme", "Commune", "Maker")


def folded(text: str) -> str:
    """`text` in lower-case ASCII, as staff type it: `Marcq-en-Barœul` is `marcq-en-baroeul`."""
    return anyascii(text).lower()


def index_for_admin_search(model, objects) -> None:
    """Add objects to Wagtail's own search index (the admin's search), which bulk writes skip."""
    objects = list(objects)
    if not objects:
        return
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(model, objects)


def index_reference_records(using: str = DEFAULT_DB_ALIAS) -> None:
    """Put every theme, commune and maker in Wagtail's search index (adding is idempotent)."""
    for name in REFERENCE_MODELS:
        model = apps.get_model("poc_catalogue", name)
        index_for_admin_search(model, model._default_manager.using(using).all())


def index_after_migrate(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """`post_migrate` receiver: index the records migrations created, once the schema is current.

    A partial or backwards `migrate` leaves tables the models do not describe: skip it.
    """
    executor = MigrationExecutor(connections[using])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return
    index_reference_records(using)
