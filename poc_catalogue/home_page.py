"""What the home page shows: featured POCs, the themes, the latest POCs and key figures."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q

from .cards import cards_for, with_card_data
from .models import Commune, Maker, POCPage, Theme

if TYPE_CHECKING:
    from .models import HomePage

LATEST_COUNT = 6


def home_context(home: HomePage) -> dict:
    live = POCPage.objects.live().public()
    live_ids = live.values("pk")
    featured_ids = list(home.featured_pocs.order_by("sort_order").values_list("poc_id", flat=True))
    featured_by_id = {poc.pk: poc for poc in with_card_data(live.filter(pk__in=featured_ids))}
    featured = [featured_by_id[pk] for pk in featured_ids if pk in featured_by_id]
    latest = with_card_data(live.exclude(pk__in=featured_ids)).order_by(
        "-first_published_at", "-pk"
    )[:LATEST_COUNT]
    themes = Theme.objects.annotate(poc_count=Count("pocs", filter=Q(pocs__in=live_ids)))
    return {
        "featured_cards": cards_for(featured),
        "latest_cards": cards_for(latest),
        "themes": themes,
        "figures": {
            "pocs": live.count(),
            "makers": Maker.objects.filter(is_public=True, poc_roles__page__in=live_ids)
            .distinct()
            .count(),
            "communes": Commune.objects.filter(pocs__in=live_ids).distinct().count(),
        },
    }
