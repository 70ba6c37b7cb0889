"""What the home page shows besides the featured POCs: themes, latest POCs and key figures."""

from __future__ import annotations

from django.db.models import Count, Q

from .cards import cards_for
from .models import Commune, Maker, POCPage, Theme, published_pocs

LATEST_COUNT = 6


def home_context(featured: list[POCPage]) -> dict:
    live_ids = POCPage.objects.published().values("pk")
    latest = published_pocs().exclude(pk__in=[poc.pk for poc in featured])[:LATEST_COUNT]
    themes = Theme.objects.annotate(poc_count=Count("pocs", filter=Q(pocs__in=live_ids)))
    return {
        "featured_cards": cards_for(featured),
        "latest_cards": cards_for(latest),
        "themes": themes,
        "figures": {
            "pocs": POCPage.objects.published().count(),
            "makers": Maker.objects.filter(is_public=True, poc_roles__page__in=live_ids)
            .distinct()
            .count(),
            "communes": Commune.objects.filter(pocs__in=live_ids).distinct().count(),
        },
    }
