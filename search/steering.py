"""What staff steer in the catalogue search: synonyms and promoted POCs, on both backends.

Both are read once per published version (kept in memory, as the facet labels are) and
applied to the `SearchRequest` above the backends, so Elasticsearch and the database answer
the same steered question, and no index is rebuilt when staff change them:

- Synonyms (`SynonymSet`): a query word whose stem is the stem of a one-word member of a set
  matches any member of the set; a member of several words matches when all its words do.
  Several-word members are found through their sets' one-word members only: `vae` can find
  `vélo électrique`, but typing `vélo électrique` expands `vélo` alone. Stop words never
  expand.
- Promotions (`wagtail.contrib.search_promotions`): when the visitor's words, normalised
  (`normalised_query`), are a promotion's query and the results are sorted by relevance, its
  POCs that are published, public and match the ticked filters and the area searched come
  first on page 1, in the promotion's order, marked as promoted, even when the words alone
  would not find them. A pinned POC is not repeated further down; the total counts the POCs a
  visitor can page through (those the words find, and the pinned ones); the facet counts are
  the words' own.

Saving or deleting either raises the published version, so the next search, and every page
stored before, sees the change.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Page

from poc_catalogue.published_cache import bump
from poc_catalogue.translations import source_language

from .database_backend import QueryStems, facet_filter, published_in_area, search_hits
from .models import SynonymSet
from .per_version import PerPublishedVersion
from .text import (
    ENGLISH_STOP_WORDS,
    FRENCH_STOP_WORDS,
    fold,
    search_terms,
    stems_without_stop_words,
    words_and_stems,
)
from .types import SearchRequest, SearchResult, SynonymGroup

_SPACES = re.compile(r"\s+")
# As long as a promotion's query may be (Wagtail's `Query.query_string`).
QUERY_MAX_LENGTH = 255


def normalised_query(text: str) -> str:
    """A query as promotions and statistics compare it: folded, single-spaced, trimmed."""
    return _SPACES.sub(" ", fold(text)).strip()[:QUERY_MAX_LENGTH]


@dataclass(frozen=True)
class SteeringRules:
    # A one-word member's stem to the members of its sets (itself included).
    synonyms: dict[str, tuple[str, ...]]
    # A normalised query to its promoted POCs (French pages), in the promotion's order.
    promotions: dict[str, tuple[int, ...]]


def steering_rules() -> SteeringRules:
    """The rules of the current published version: no query once this process read them."""
    return _rules.get()


def forget_steering_rules() -> None:
    _rules.forget()


def _load_rules() -> SteeringRules:
    return SteeringRules(synonyms=_load_synonyms(), promotions=_load_promotions())


def _searchable(member: str) -> bool:
    """A member the index's French and English analysers both keep a word of."""
    return bool(stems_without_stop_words(member, "fr") and stems_without_stop_words(member, "en"))


def _load_synonyms() -> dict[str, tuple[str, ...]]:
    synonyms: dict[str, list[str]] = {}
    for synonym_set in SynonymSet.objects.all():
        members = [member for member in synonym_set.members if _searchable(member)]
        for member in members:
            stems = search_terms(member)
            if len(stems) == 1:
                known = synonyms.setdefault(stems[0], [])
                known.extend(other for other in members if other not in known)
    return {stem: tuple(members) for stem, members in synonyms.items()}


def _load_promotions() -> dict[str, tuple[int, ...]]:
    """Promoted pages by query; an English translation stands for its French POC."""
    rows = list(
        SearchPromotion.objects.filter(page__isnull=False)
        .order_by("query_id", "sort_order", "pk")
        .values_list("query__query_string", "page__translation_key")
    )
    french = dict(
        Page.objects.filter(
            translation_key__in={key for _query, key in rows},
            locale__language_code=source_language(),
        ).values_list("translation_key", "pk")
    )
    promotions: dict[str, list[int]] = {}
    for query_string, key in rows:
        pages = promotions.setdefault(normalised_query(query_string), [])
        if key in french and french[key] not in pages:
            pages.append(french[key])
    return {query: tuple(pages) for query, pages in promotions.items() if pages}


def with_synonyms(request: SearchRequest, rules: SteeringRules) -> SearchRequest:
    """The request with a `SynonymGroup` for each of its words that has synonyms."""
    if not rules.synonyms or not request.q:
        return request
    groups: dict[str, SynonymGroup] = {}
    for word, stem in words_and_stems(request.q):
        if word in groups or word in FRENCH_STOP_WORDS or word in ENGLISH_STOP_WORDS:
            continue
        members = rules.synonyms.get(stem, ())
        others = tuple(member for member in members if search_terms(member) != [stem])
        if others:
            groups[word] = SynonymGroup(word, others)
    return dataclasses.replace(request, synonyms=tuple(groups.values())) if groups else request


def promoted_pocs(request: SearchRequest, rules: SteeringRules) -> tuple[int, ...]:
    """The promoted POCs for this query, before checking which the visitor may see."""
    if not request.q or request.sort != "relevance" or not rules.promotions:
        return ()
    return rules.promotions.get(normalised_query(request.q), ())[: request.page_size]


def pinned_pocs(request: SearchRequest, promoted: tuple[int, ...]) -> tuple[int, ...]:
    """The promoted POCs that are published, public and match the ticked filters and the
    area searched, in order."""
    filters = [facet_filter(facet, values) for facet, values in request.filters.items()]
    visible = set(
        published_in_area(request).filter(*filters, pk__in=promoted).values_list("pk", flat=True)
    )
    return tuple(page_id for page_id in promoted if page_id in visible)


def pinned_first(result: SearchResult) -> SearchResult:
    """A result whose request pinned POCs: them first on page 1, and counted in the total."""
    request = result.request
    hits = result.hits
    if request.page == 1:
        pinned = search_hits(list(request.pinned), request, QueryStems.of(request))
        hits = [dataclasses.replace(hit, promoted=True) for hit in pinned] + hits
    return dataclasses.replace(result, hits=hits, total=result.total + len(request.pinned))


_rules = PerPublishedVersion(_load_rules)


@receiver(post_save, sender=SynonymSet)
@receiver(post_delete, sender=SynonymSet)
@receiver(post_save, sender=Query)
@receiver(post_delete, sender=Query)
@receiver(post_save, sender=SearchPromotion)
@receiver(post_delete, sender=SearchPromotion)
def on_steering_change(**kwargs: object) -> None:
    bump()
