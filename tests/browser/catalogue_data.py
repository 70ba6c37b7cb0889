"""A small catalogue for the browser journeys: mobility POCs spread over themes and communes."""

from __future__ import annotations

from poc_catalogue.models import HomePage, HomePageFeaturedPOC, POCPage, Stage
from tests.factories import commune, make_maker, make_poc, theme


def build_catalogue() -> list[POCPage]:
    lille, roubaix, tourcoing = commune("Lille"), commune("Roubaix"), commune("Tourcoing")
    makers = [make_maker(f"Atelier Vauban {n}") for n in range(3)]
    plan = [
        ("Vélo-cargo partagé", ["mobilite"], roubaix),
        ("Abri vélo réparable", ["mobilite", "economie-circulaire"], roubaix),
        ("Navette solidaire des aînés", ["mobilite", "prendre-soin"], lille),
        ("Carte des trottoirs accessibles", ["mobilite", "action-publique"], lille),
        ("Rue aux écoles", ["mobilite", "ville-collaborative"], tourcoing),
        ("Signalétique du métro", ["action-publique"], lille),
        ("Atelier de réemploi", ["economie-circulaire"], roubaix),
        ("Jardin de courée", ["habiter"], roubaix),
    ]
    pocs = []
    for position, (title, theme_slugs, where) in enumerate(plan):
        summary = (
            f"Un prototype de mobilité douce à {where.name}, testé avec les habitants."
            if "mobilite" in theme_slugs
            else f"Un prototype testé avec les habitants de {where.name}."
        )
        pocs.append(
            make_poc(
                f"{title} — mobilité" if "mobilite" in theme_slugs else title,
                themes=[theme(slug) for slug in theme_slugs],
                makers=[makers[position % len(makers)]],
                tags=["espace public"],
                commune=where,
                summary=summary,
                stage=Stage.values[position % 4],
                latitude=where.latitude + position * 0.001,
                longitude=where.longitude,
            )
        )
    home = HomePage.objects.get()
    HomePageFeaturedPOC.objects.create(home_page=home, poc=pocs[0], sort_order=0)
    return pocs
