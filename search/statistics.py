"""What visitors search: each search counted per normalised text, day and language.

Threat model: the counts are for staff, and say nothing about who searched. No address, user,
cookie or session is read or written; the `Referer` header is read, never stored, to tell a
new search from a refinement of the same one.

Counted: a search with words, on the catalogue page or through the JSON API, on its first
page, unless the visitor comes from a page of the same words on this site (a facet ticked,
the sort changed, the search sent again). Pages 2 and later and autocomplete's keystrokes are
not searches of their own.

The catalogue page may be served whole from the published-pages store, without its view
running: the view marks its response with what to count (`mark_search`, a header stored with
the page), and `SearchStatisticsMiddleware`, outside the store, counts it and takes the header
off, for a stored page as for a fresh one. Counting is one SQL statement (an upsert), and a
failure to write it is logged, never shown to the visitor.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

from django.core.exceptions import DisallowedHost
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone

from .models import SearchQueryDay
from .steering import normalised_query
from .types import SearchResult

logger = logging.getLogger(__name__)

# Between the views and the middleware only: never sent to the visitor.
SEARCH_HEADER = "X-Showcase-Visitor-Search"


def mark_search(response: HttpResponseBase, result: SearchResult) -> HttpResponseBase:
    """Let the middleware count `result`'s search, if it is a first page with words."""
    query = normalised_query(result.request.q)
    if query and result.request.page == 1:
        response.headers[SEARCH_HEADER] = urlencode(
            {"q": query, "language": result.request.language, "results": result.total}
        )
    return response


def count_search(query: str, language: str, results: int, day: date | None = None) -> None:
    """One more search of `query` on `day` (today), in one statement on SQLite and PostgreSQL.

    Django's `bulk_create(update_conflicts=True)` can only copy the new row's values over the
    old one, not add to them: the upsert is written out, with the names quoted by Django.
    """
    quote = connection.ops.quote_name
    meta = SearchQueryDay._meta
    table = quote(meta.db_table)
    column = {name: quote(meta.get_field(name).column) for name in _COLUMNS}
    sql = (
        f"INSERT INTO {table} ({', '.join(column.values())}) "  # noqa: S608 - names only
        "VALUES (%s, %s, %s, 1, %s, %s) "
        f"ON CONFLICT ({column['query']}, {column['day']}, {column['language']}) DO UPDATE SET "
        f"{column['searches']} = {table}.{column['searches']} + 1, "
        f"{column['zero_result_searches']} = {table}.{column['zero_result_searches']}"
        f" + excluded.{column['zero_result_searches']}, "
        f"{column['last_results']} = excluded.{column['last_results']}"
    )
    day = day or timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(sql, [query, day, language, 1 if results == 0 else 0, results])


_COLUMNS = ("query", "day", "language", "searches", "zero_result_searches", "last_results")


def refines_same_search(request: HttpRequest, query: str) -> bool:
    """Whether the visitor comes from a page of this site showing the same words."""
    referer = request.headers.get("Referer", "")
    if not referer:
        return False
    address = urlsplit(referer)
    try:
        if address.netloc != request.get_host():
            return False
    except DisallowedHost:
        return False
    previous = parse_qs(address.query).get("q", [""])[0]
    return normalised_query(previous) == query


class SearchStatisticsMiddleware:
    """Counts the searches views marked (`mark_search`). Place before the published-pages
    store (`PublishedResponseMiddleware`), so stored pages are counted too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        marked = response.headers.get(SEARCH_HEADER)
        if marked is None:
            return response
        del response.headers[SEARCH_HEADER]
        if response.status_code == 200:
            self.count(request, parse_qs(marked))
        return response

    @staticmethod
    def count(request: HttpRequest, search: dict[str, list[str]]) -> None:
        query = search["q"][0]
        if refines_same_search(request, query):
            return
        try:
            count_search(query, search["language"][0], int(search["results"][0]))
        except DatabaseError:
            logger.exception("A visitor's search could not be counted; the search went on.")


def retention_cutoff(days: int) -> date:
    """The first day kept when counts are kept `days` days, today included."""
    return timezone.localdate() - timedelta(days=days - 1)


def purge_search_statistics(cutoff: date) -> int:
    """Delete the counts of the days before `cutoff`; how many rows went."""
    deleted, _by_model = SearchQueryDay.objects.filter(day__lt=cutoff).delete()
    return deleted
