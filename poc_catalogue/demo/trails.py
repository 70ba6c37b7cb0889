"""The demo's three discovery trails, in French and English, through POCs of the plan.

Each trail takes the POCs of the plan nearest its centre in its communes (those of its theme
first), then orders them as a walker would: from the westernmost, always to the nearest stop
not visited yet. Written with Wagtail's own page API and translated with wagtail-localize, as
staff would: three trails are no bulk load.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from wagtail.models import Locale, Page

from ..geography import Point
from ..models import HomePage, Theme, TrailIndexPage, TrailPage, TrailStop
from ..translations import translate_page
from .plans import POCPlan

MIN_STOPS = 2
# Stops closer than this would be one halt: a walk needs a few hundred metres between them.
MIN_SPACING_METRES = 300

INDEX_FR = {
    "title": "Parcours",
    "slug": "parcours",
    "introduction": (
        "Des promenades à pied d'une preuve de concept à l'autre : suivez-les sur la carte, "
        "imprimez-les ou emportez-les dans votre téléphone."
    ),
}
INDEX_EN = {
    "title": "Discovery trails",
    "slug": "trails",
    "introduction": (
        "Walks from one proof of concept to the next: follow them on the map, print them "
        "or take them along on your phone."
    ),
}

# (French, English) notes, given to the stops in order; the last one closes every trail.
NOTES = [
    (
        "Prenez le temps de repérer le dispositif et de lire le panneau qui le présente.",
        "Take a moment to spot the installation and read the sign that presents it.",
    ),
    (
        "Observez comment les habitants se sont approprié le prototype.",
        "Watch how residents have made the prototype their own.",
    ),
    (
        "Approchez-vous : plusieurs détails ne se voient que de près.",
        "Come closer: several details only show up close.",
    ),
    (
        "Comparez avec l'étape précédente : même besoin, autre réponse.",
        "Compare with the previous stop: the same need, another answer.",
    ),
    (
        "Levez les yeux : le projet se lit aussi à l'échelle de la rue.",
        "Look up: the project also reads at the scale of the street.",
    ),
]
LAST_NOTE = (
    "Dernière étape : ce prototype en a inspiré d'autres ailleurs dans la métropole.",
    "Last stop: this prototype has inspired others elsewhere in the Métropole.",
)


@dataclass(frozen=True)
class TrailDesign:
    """What a demo trail is about; its stops are chosen from the plan."""

    slug: str
    slug_en: str
    title: str
    title_en: str
    introduction: str
    introduction_en: str
    theme_slug: str
    communes: tuple[str, ...]  # INSEE codes
    centre: Point
    stop_count: int


DESIGNS = [
    TrailDesign(
        slug="lille-a-pied",
        slug_en="lille-on-foot",
        title="Lille à pied, d'un prototype à l'autre",
        title_en="Lille on foot, from one prototype to the next",
        introduction=(
            "Une boucle dans le centre de Lille, entre services publics repensés et espaces "
            "partagés.\n\nComptez une demi-journée avec les arrêts ; le parcours se fait aussi "
            "en poussette ou en fauteuil."
        ),
        introduction_en=(
            "A loop through the centre of Lille, between rethought public services and shared "
            "spaces.\n\nAllow half a day with the stops; the walk suits pushchairs and "
            "wheelchairs too."
        ),
        theme_slug="action-publique",
        communes=("59350",),
        centre=Point(50.632, 3.048),
        stop_count=6,
    ),
    TrailDesign(
        slug="roubaix-tourcoing",
        slug_en="roubaix-tourcoing",
        title="Roubaix et Tourcoing, villes textiles réinventées",
        title_en="Roubaix and Tourcoing, textile towns reinvented",
        introduction=(
            "Des anciennes filatures aux ateliers de réemploi : une journée de marche entre "
            "deux villes qui fabriquent autrement.\n\nLe métro relie les deux centres si vous "
            "voulez raccourcir."
        ),
        introduction_en=(
            "From former spinning mills to reuse workshops: a day's walk between two towns "
            "that make things differently.\n\nThe metro links both centres if you want a "
            "shorter walk."
        ),
        theme_slug="economie-circulaire",
        communes=("59512", "59599"),
        centre=Point(50.706, 3.171),
        stop_count=6,
    ),
    TrailDesign(
        slug="se-deplacer-autrement",
        slug_en="getting-around-differently",
        title="Se déplacer autrement, le long du Grand Boulevard",
        title_en="Getting around differently, along the Grand Boulevard",
        introduction=(
            "Vélos partagés, rues apaisées, navettes solidaires : les prototypes qui changent "
            "nos trajets, entre Lille, La Madeleine et Marcq-en-Barœul."
        ),
        introduction_en=(
            "Shared bikes, calmer streets, community shuttles: the prototypes changing our "
            "journeys, between Lille, La Madeleine and Marcq-en-Barœul."
        ),
        theme_slug="mobilite",
        communes=("59350", "59368", "59378", "59410"),
        centre=Point(50.652, 3.074),
        stop_count=5,
    ),
]


@dataclass(frozen=True)
class TrailPlan:
    design: TrailDesign
    stops: tuple[POCPlan, ...]


def plan_trails(pocs: Sequence[POCPlan]) -> list[TrailPlan]:
    """The demo trails with at least two stops, each POC on one trail at most."""
    taken: set[str] = set()
    plans = []
    for design in DESIGNS:
        candidates = [
            poc for poc in pocs if poc.commune_insee in design.communes and poc.slug not in taken
        ]
        candidates.sort(
            key=lambda poc: (
                design.theme_slug not in poc.theme_slugs,
                design.centre.metres_to(Point(poc.latitude, poc.longitude)),
                poc.number,
            )
        )
        chosen = spaced_out(candidates, design.stop_count)
        if len(chosen) < MIN_STOPS:
            continue
        taken.update(poc.slug for poc in chosen)
        plans.append(TrailPlan(design, tuple(walking_order(chosen))))
    return plans


def spaced_out(candidates: Sequence[POCPlan], count: int) -> list[POCPlan]:
    """The first `count` candidates standing at least `MIN_SPACING_METRES` from each other."""
    chosen: list[POCPlan] = []
    for poc in candidates:
        here = Point(poc.latitude, poc.longitude)
        if all(
            here.metres_to(Point(other.latitude, other.longitude)) >= MIN_SPACING_METRES
            for other in chosen
        ):
            chosen.append(poc)
            if len(chosen) == count:
                break
    return chosen


def walking_order(pocs: Sequence[POCPlan]) -> list[POCPlan]:
    """From the westernmost POC, always on to the nearest one not visited yet."""
    left = sorted(pocs, key=lambda poc: (poc.longitude, poc.number))
    ordered = [left.pop(0)]
    while left:
        here = Point(ordered[-1].latitude, ordered[-1].longitude)
        nearest = min(left, key=lambda poc: here.metres_to(Point(poc.latitude, poc.longitude)))
        left.remove(nearest)
        ordered.append(nearest)
    return ordered


def notes_for(count: int) -> list[tuple[str, str]]:
    return [NOTES[position % len(NOTES)] for position in range(count - 1)] + [LAST_NOTE]


def ensure_demo_trails(pocs: Sequence[POCPlan], catalogue: Page) -> int:
    """Create the trails index and the demo trails it lacks, with their English translations;
    returns how many trails were created."""
    home = HomePage.objects.get(pk=catalogue.get_parent().pk)
    index = TrailIndexPage.objects.child_of(home).first()
    if index is None:
        index = TrailIndexPage(**INDEX_FR)
        home.add_child(instance=index)
        index.save_revision().publish()
    english = Locale.objects.get(language_code="en")
    if index.get_translation_or_none(english) is None and home.get_translation_or_none(english):
        translate_page(index, "en", INDEX_EN)

    page_ids = dict(Page.objects.child_of(catalogue).values_list("slug", "pk"))
    existing = set(TrailPage.objects.child_of(index).values_list("slug", flat=True))
    themes = dict(Theme.objects.values_list("slug", "pk"))
    created = 0
    for plan in plan_trails(pocs):
        design = plan.design
        if design.slug in existing or not all(poc.slug in page_ids for poc in plan.stops):
            continue
        notes = notes_for(len(plan.stops))
        trail = TrailPage(
            title=design.title,
            slug=design.slug,
            introduction=design.introduction,
            theme_id=themes.get(design.theme_slug),
        )
        trail.stops = [
            TrailStop(poc_id=page_ids[poc.slug], note=note, sort_order=position)
            for position, (poc, (note, _english)) in enumerate(zip(plan.stops, notes, strict=True))
        ]
        index.add_child(instance=trail)
        trail.save_revision().publish()
        created += 1
        if index.get_translation_or_none(english) is None:
            continue
        texts = {
            "title": design.title_en,
            "slug": design.slug_en,
            "introduction": design.introduction_en,
        }
        stops = TrailStop.objects.filter(page=trail).order_by("sort_order")
        for stop, (_french, note_en) in zip(stops, notes, strict=True):
            texts[f"stops.{stop.translation_key}.note"] = note_en
        translate_page(trail, "en", texts)
    return created
