"""The total and the six facet counts of a database search, in one SQL statement.

Each facet is counted under every filter but its own (`search.database_backend`): seven counts
over slightly different sets of POCs. Asked as seven queries, each one repeated the text match
(a scan of every stored text when a word is common) and the joins of the published pages, which
was most of a search's time. Here the POCs matching the text are read once into a common table
expression, with a flag per active filter and the values of the single-valued facets, and every
count reads it. Plain SQL that SQLite and PostgreSQL both run; every name in it comes from
this module or the models, and every value the visitor sent is a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, CharField, F, Model, Q, QuerySet, Value, When
from django.db.models.functions import Cast

from poc_catalogue.models import POCMaker, POCPage, POCPageTag

from .types import FACETS


@dataclass(frozen=True)
class LinkTable:
    """A many-valued facet: the table linking a POC to its values (models with a slug)."""

    model: type[Model]
    page: str
    value: str

    def counts_sql(self, facet: str, where: str) -> str:
        quote = connection.ops.quote_name
        meta = self.model._meta
        page = quote(meta.get_field(self.page).column)
        value = quote(meta.get_field(self.value).column)
        values = meta.get_field(self.value).related_model._meta
        # Grouped by id, then named: grouping on the slug sorted text by the collation.
        return (
            f"SELECT '{facet}', v.{quote('slug')}, c.n FROM ("  # noqa: S608 - names only
            f"SELECT l.{value} AS value_id, COUNT(DISTINCT l.{page}) AS n FROM matching m "
            f"JOIN {quote(meta.db_table)} l ON l.{page} = m.poc{where} GROUP BY l.{value}"
            f") c JOIN {quote(values.db_table)} v ON v.{quote(values.pk.column)} = c.value_id"
        )


LINK_TABLES = {
    "theme": LinkTable(POCPage.themes.through, "pocpage", "theme"),
    "maker": LinkTable(POCMaker, "page", "maker"),
    "tag": LinkTable(POCPageTag, "content_object", "tag"),
}
# The single-valued facets, read into the common table expression as text.
POC_VALUES = {
    "commune": F("commune__slug"),
    "stage": F("stage"),
    "year": Cast("year", CharField()),
}


def total_and_facet_counts(
    candidates: QuerySet[POCPage], filters: dict[str, Q]
) -> tuple[int, dict[str, dict[str, int]]]:
    """How many `candidates` pass every filter, and each facet's values counted among the
    candidates that pass every filter but that facet's own (a facet → value → count map)."""
    flags = {
        f"in_{facet}": Case(When(condition, then=Value(1)), default=Value(0))
        for facet, condition in filters.items()
    }
    matching = (
        candidates.order_by()
        .annotate(**flags)
        .values(
            poc=F("pk"), **{f"value_{facet}": value for facet, value in POC_VALUES.items()}, **flags
        )
    )
    matching_sql, params = matching.query.sql_with_params()

    def where(except_facet: str | None = None) -> str:
        kept = [f"m.{flag} = 1" for flag in flags if flag != f"in_{except_facet}"]
        return f" WHERE {' AND '.join(kept)}" if kept else ""

    def counts_sql(facet: str) -> str:
        if facet in LINK_TABLES:
            return LINK_TABLES[facet].counts_sql(facet, where(facet))
        column = f"m.value_{facet}"
        return (
            f"SELECT '{facet}', {column}, COUNT(*) FROM matching m{where(facet)} GROUP BY {column}"  # noqa: S608 - names only
        )

    selects = [counts_sql(facet) for facet in FACETS]
    selects.append(f"SELECT '', NULL, COUNT(*) FROM matching m{where()}")  # noqa: S608 - names only
    with connection.cursor() as cursor:
        cursor.execute(f"WITH matching AS ({matching_sql}) {' UNION ALL '.join(selects)}", params)
        rows = cursor.fetchall()
    counts: dict[str, dict[str, int]] = {facet: {} for facet in FACETS}
    total = 0
    for facet, value, count in rows:
        if facet:
            counts[facet][str(value)] = count
        else:
            total = count
    return total, counts
