"""The values each facet can take, with their labels, shared by both backends.

Labels come only from what visitors may see: tags of published POCs, public makers. A value
nobody published (a tag typed in a pending proposal, the slug of a hidden maker) gets no
label, so a crafted URL cannot make the site print unmoderated text.

Kept in memory per published version (`poc_catalogue.published_cache`), which every change
to a maker, theme, commune, tag or publication raises: a search costs one small query (the
version) instead of four, and no process labels a facet with what another process renamed.
A page stored for that version is rendered with that version's labels.
"""

from __future__ import annotations

from dataclasses import dataclass

from poc_catalogue.limits import YEARS
from poc_catalogue.models import Commune, Maker, POCPage, POCPageTag, Stage, Theme, ThemeLabel

from .per_version import PerPublishedVersion
from .types import FacetValue, SearchRequest


@dataclass(frozen=True)
class FacetLabels:
    themes: dict[str, ThemeLabel]
    makers: dict[str, str]
    published_makers: frozenset[str]
    communes: dict[str, str]
    tags: dict[str, str]
    years: tuple[int, ...]
    # Upper bounds of distinct values in the index, whatever their labels.
    maker_count: int = 0
    tag_count: int = 0

    def labels(self, facet: str) -> dict[str, str]:
        if facet == "theme":
            return {slug: entry.label for slug, entry in self.themes.items()}
        if facet == "maker":
            return self.makers
        if facet == "commune":
            return self.communes
        if facet == "tag":
            return self.tags
        if facet == "stage":
            return {str(value): str(label) for value, label in Stage.choices}
        return {str(year): str(year) for year in self.years}

    def size(self, facet: str) -> int:
        """How many values the facet can show: Elasticsearch's terms size, so none is cut."""
        if facet == "year":
            return len(YEARS)
        if facet == "maker":
            return max(1, self.maker_count)
        if facet == "tag":
            return max(1, self.tag_count)
        return max(1, len(self.labels(facet)))


def facet_labels() -> FacetLabels:
    return _labels.get()


def forget_facet_labels() -> None:
    _labels.forget()


def _load() -> FacetLabels:
    published = POCPage.objects.published().values("pk")
    published_tags = dict(
        POCPageTag.objects.filter(content_object__in=published)
        .values_list("tag__slug", "tag__name")
        .distinct()
    )
    return FacetLabels(
        themes={
            slug: ThemeLabel(slug, name, name_en, colour)
            for slug, name, name_en, colour in Theme.objects.values_list(
                "slug", "name", "name_en", "colour"
            )
        },
        makers=dict(Maker.objects.filter(is_public=True).values_list("slug", "name")),
        published_makers=frozenset(
            Maker.objects.filter(is_public=True, poc_roles__page__in=published)
            .values_list("slug", flat=True)
            .distinct()
        ),
        communes=dict(Commune.objects.values_list("slug", "name")),
        tags=published_tags,
        years=tuple(
            sorted(set(POCPage.objects.values_list("year", flat=True).distinct()), reverse=True)
        ),
        maker_count=Maker.objects.count(),
        tag_count=len(published_tags),
    )


def build_facets(
    counts: dict[str, dict[str, int]], request: SearchRequest, known: FacetLabels | None = None
) -> dict[str, list[FacetValue]]:
    """Facet values in display order from per-facet counts, identically for both backends.

    Values with hits are listed, and selected values always, even at zero. Themes and
    stages keep their editorial order, years go newest first, the rest by count then label.
    """
    known = known or facet_labels()
    facets: dict[str, list[FacetValue]] = {}
    for facet, facet_counts in counts.items():
        labels = known.labels(facet)
        selected = set(request.selected(facet))
        values = [value for value, count in facet_counts.items() if count > 0]
        values += [value for value in request.selected(facet) if value not in values]
        if facet in ("theme", "stage"):
            order = {value: position for position, value in enumerate(labels)}
            values.sort(key=lambda value: (order.get(value, len(order)), value))
        elif facet == "year":
            values.sort(key=_newest_year_first)
        else:
            values.sort(
                key=lambda value: (-facet_counts.get(value, 0), labels.get(value, value).lower())
            )
        facets[facet] = [
            FacetValue(
                value=value,
                label=labels.get(value, value),
                count=facet_counts.get(value, 0),
                selected=value in selected,
            )
            for value in values
        ]
    return facets


def _newest_year_first(value: str) -> tuple[int, int, str]:
    return (0, -int(value), "") if value.isdigit() else (1, 0, value)


_labels = PerPublishedVersion(_load)
