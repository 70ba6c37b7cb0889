"""`make bench`: how fast the catalogue search answers, against its floor and its peers.

Measured in one run on the same catalogue: the search layer on Elasticsearch, the raw
Elasticsearch round trip for the very same request body (the floor), the database backend,
Wagtail's own `.search().facet()` once per facet it can facet on (the peer), the index
rebuild rate, and SQL queries per search. Not a test: figures depend on the machine.
"""

from __future__ import annotations

import io
import platform
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.images import ImageFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.search.backends import get_search_backends

from poc_catalogue.models import (
    CatalogueIndexPage,
    Commune,
    Maker,
    MakerKind,
    MakerRole,
    POCMaker,
    POCPage,
    POCPageTag,
    Stage,
    Theme,
)

from .connection import alias_name, get_client
from .database import DatabaseCatalogueSearch
from .faceted import ElasticsearchCatalogueSearch, build_request_body
from .indexing import rebuild_index
from .poc_content import iter_published_pocs, save_search_text
from .types import SearchRequest

Progress = Callable[[int, int], None]

WORDS = [
    "atelier",
    "banc",
    "jardin",
    "mobilité",
    "vélo",
    "navette",
    "quartier",
    "école",
    "santé",
    "réemploi",
    "lumière",
    "signalétique",
    "habitat",
    "partagé",
    "marché",
    "place",
    "rue",
    "parc",
    "fontaine",
    "mobilier",
    "éclairage",
    "bibliothèque",
    "cantine",
    "potager",
    "compost",
    "énergie",
    "solaire",
    "chantier",
    "accueil",
    "mairie",
    "seniors",
    "jeunesse",
    "musée",
    "parcours",
    "sonore",
    "carte",
    "numérique",
    "plateforme",
    "service",
    "public",
    "démarche",
    "usagers",
    "tiers-lieu",
    "ressourcerie",
    "réparation",
    "textile",
    "bois",
    "terre",
    "eau",
    "pluie",
    "ombre",
    "fraîcheur",
    "arbre",
    "canal",
    "gare",
]
BATCH = 500


@dataclass
class Timing:
    label: str
    samples: list[float] = field(default_factory=list)

    def percentile(self, share: float) -> float:
        ordered = sorted(self.samples)
        if not ordered:
            return float("nan")
        index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
        return ordered[index] * 1000

    @property
    def p50(self) -> float:
        return self.percentile(0.50)

    @property
    def p95(self) -> float:
        return self.percentile(0.95)


@dataclass
class BenchReport:
    pocs: int
    database: str
    requests: int
    load_seconds: float
    loader: str
    rebuild_rate: float
    rebuild_seconds: float
    timings: dict[str, Timing]
    queries: dict[str, float]
    peer_facets: list[str]

    def markdown(self) -> str:
        layer = self.timings["layer"]
        raw = self.timings["raw"]
        database = self.timings["database"]
        ratio_floor = layer.p95 / raw.p95 if raw.p95 else float("nan")
        speedup = database.p95 / layer.p95 if layer.p95 else float("nan")
        rows = "\n".join(
            f"| {timing.label} | {timing.p50:.1f} | {timing.p95:.1f} | {len(timing.samples)} |"
            for timing in self.timings.values()
        )

        def verdict(ok: bool) -> str:
            return "met" if ok else "**missed**"

        return f"""# Catalogue search benchmark

- POCs: {self.pocs} published ({self.loader}, {self.load_seconds:.1f} s to load)
- Database: {self.database}; Elasticsearch alias `{alias_name()}`
- Requests: {self.requests} per measure (a fixed mix of text, facets, sorts and pages)
- Machine: {platform.machine()}, Python {platform.python_version()}

| Measure | p50 (ms) | p95 (ms) | samples |
|---|---:|---:|---:|
{rows}

- Index rebuild: {self.rebuild_rate:.0f} POCs/s ({self.rebuild_seconds:.1f} s for {self.pocs})
- SQL queries per search: Elasticsearch {self.queries["layer"]:.1f}, database \
{self.queries["database"]:.1f}
- Wagtail's `.search().facet()` can facet on {", ".join(self.peer_facets)} only (one request
  each, no multi-select counts); themes, makers, communes and tags are out of its reach.

| Target | Figure | Verdict |
|---|---|---|
| search layer p95 within 1.5x raw round trip | {ratio_floor:.2f}x | {verdict(ratio_floor <= 1.5)} |
| Elasticsearch at least 5x faster than the database (p95) | {speedup:.1f}x | \
{verdict(speedup >= 5)} |
| rebuild at least 1,000 POCs/s | {self.rebuild_rate:.0f}/s | \
{verdict(self.rebuild_rate >= 1000)} |
"""


def _png(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 427), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def build_bench_pocs(count: int, seed: int, progress: Progress | None = None) -> int:
    """Insert `count` published POCs in bulk (as a loader would, bypassing `add_child`)."""
    rng = random.Random(seed)  # noqa: S311  (reproducible data, not secrets)
    Image = get_image_model()
    catalogue = CatalogueIndexPage.objects.get()
    themes = list(Theme.objects.values_list("pk", flat=True))
    communes = list(Commune.objects.values_list("pk", flat=True))
    makers = [
        Maker(
            name=f"Bench {word.title()} {number}",
            slug=f"bench-{slugify(word)}-{number}",
            kind=rng.choice(MakerKind.values),
        )
        for number, word in enumerate(rng.choices(WORDS, k=400))
    ]
    Maker.objects.bulk_create(makers, ignore_conflicts=True)
    maker_ids = list(Maker.objects.filter(slug__startswith="bench-").values_list("pk", flat=True))
    tags = [
        Tag(name=f"{word} {number}", slug=f"{slugify(word)}-{number}")
        for number, word in enumerate(WORDS * 3)
    ]
    Tag.objects.bulk_create(tags, ignore_conflicts=True)
    tag_ids = list(Tag.objects.values_list("pk", flat=True))
    images = [
        Image.objects.create(
            title=f"Bench picture {number}",
            file=ImageFile(
                io.BytesIO(_png((40 * number % 255, 90, 120))), name=f"bench-{number}.png"
            ),
        )
        for number in range(12)
    ]
    created = 0
    start = timezone.now() - timedelta(days=2000)
    while created < count:
        size = min(BATCH, count - created)
        with transaction.atomic():
            parent = Page.objects.select_for_update().get(pk=catalogue.pk)
            last = parent.get_last_child()
            step = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
            pages = []
            for offset in range(size):
                title = " ".join(rng.sample(WORDS, 3)).capitalize() + f" {created + offset}"
                slug = f"{slugify(title)}-{uuid.uuid4().hex[:6]}"
                published = start + timedelta(minutes=rng.randrange(2000 * 24 * 60))
                pages.append(
                    POCPage(
                        path=Page._get_path(parent.path, parent.depth + 1, step + offset),
                        depth=parent.depth + 1,
                        numchild=0,
                        locale_id=parent.locale_id,
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=published,
                        last_published_at=published,
                        title=title,
                        draft_title=title,
                        slug=slug,
                        url_path=f"{parent.url_path}{slug}/",
                        summary=" ".join(rng.choices(WORDS, k=18)).capitalize() + ".",
                        body=[("paragraph", "<p>" + " ".join(rng.choices(WORDS, k=60)) + "</p>")],
                        hero_image=rng.choice(images),
                        hero_alt_text=title,
                        commune_id=rng.choice(communes),
                        stage=rng.choice(Stage.values),
                        year=rng.randint(2016, 2024),
                    )
                )
            _insert_pages(pages)
            Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + size)
            ThemeLink = POCPage.themes.through
            ThemeLink.objects.bulk_create(
                ThemeLink(pocpage_id=page.pk, theme_id=theme_id)
                for page in pages
                for theme_id in rng.sample(themes, rng.randint(1, 3))
            )
            POCMaker.objects.bulk_create(
                POCMaker(
                    page_id=page.pk, maker_id=maker_id, role=MakerRole.PARTNER, sort_order=order
                )
                for page in pages
                for order, maker_id in enumerate(rng.sample(maker_ids, rng.randint(1, 3)))
            )
            POCPageTag.objects.bulk_create(
                POCPageTag(content_object_id=page.pk, tag_id=tag_id)
                for page in pages
                for tag_id in rng.sample(tag_ids, rng.randint(0, 4))
            )
            for backend in get_search_backends(with_auto_update=True):
                backend.add_bulk(POCPage, POCPage.objects.filter(pk__in=[p.pk for p in pages]))
        created += size
        if progress:
            progress(created, count)
    return created


def _insert_pages(pages: list[POCPage]) -> None:
    """Page rows, then the POCPage rows extending them: bulk_create refuses multi-table models."""
    for page in pages:
        page.content_type_id = page.content_type_id or _poc_content_type_id()
        page.translation_key = uuid.uuid4()
    page_fields = [f for f in Page._meta.local_concrete_fields if not f.primary_key]
    returned = Page._base_manager._insert(
        pages, fields=page_fields, returning_fields=[Page._meta.pk], using=connection.alias
    )
    for page, (pk,) in zip(pages, returned, strict=True):
        page.id = page.page_ptr_id = pk
        page._state.adding = False
    POCPage._base_manager._insert(
        pages, fields=POCPage._meta.local_concrete_fields, using=connection.alias
    )


def _poc_content_type_id() -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(POCPage).pk


def ensure_catalogue(count: int, seed: int, progress: Progress | None) -> tuple[str, float]:
    """At least `count` published POCs: the demo loader when there is one, else our builder."""
    started = time.perf_counter()
    existing = POCPage.objects.live().count()
    if existing >= count:
        return f"{existing} already there", 0.0
    try:
        from poc_catalogue.demo import load_demo_catalogue  # the content app's loader
    except ImportError:
        build_bench_pocs(count - existing, seed, progress)
        loader = "bulk builder of search.benchmark"
    else:
        load_demo_catalogue(count=count, seed=seed, progress=progress)
        loader = f"load_demo_catalogue --count {count} --seed {seed}"
    return loader, time.perf_counter() - started


def request_mix(total: int, seed: int) -> list[SearchRequest]:
    """A fixed mix: a third text only, a third facets only, a third both; some sorted, paged."""
    rng = random.Random(seed)  # noqa: S311  (reproducible data, not secrets)
    theme_slugs = list(Theme.objects.values_list("slug", flat=True))
    commune_slugs = list(
        Commune.objects.filter(pocs__live=True).values_list("slug", flat=True).distinct()
    )
    maker_slugs = list(
        Maker.objects.filter(poc_roles__isnull=False).values_list("slug", flat=True).distinct()
    )
    titles = list(POCPage.objects.live().values_list("title", flat=True)[:2000])
    words = sorted({word for title in titles for word in title.split() if len(word) > 4})
    requests = []
    for number in range(total):
        kind = number % 3
        params: dict = {"sort": rng.choice(["relevance", "relevance", "newest", "title"])}
        if kind in (0, 2) and words:
            params["q"] = " ".join(rng.sample(words, rng.choice([1, 1, 2])))
        if kind in (1, 2):
            params["theme"] = tuple(rng.sample(theme_slugs, rng.choice([1, 2])))
            if rng.random() < 0.5 and commune_slugs:
                params["commune"] = (rng.choice(commune_slugs),)
            if rng.random() < 0.3 and maker_slugs:
                params["maker"] = (rng.choice(maker_slugs),)
            if rng.random() < 0.3:
                params["year"] = (str(rng.randint(2016, 2024)),)
        params["page"] = rng.choice([1, 1, 1, 2, 3])
        requests.append(SearchRequest(**params))
    return requests


def run_benchmark(
    count: int,
    seed: int = 2020,
    requests: int = 200,
    warmup: int = 20,
    progress: Progress | None = None,
    say: Callable[[str], None] = print,
) -> BenchReport:
    loader, load_seconds = ensure_catalogue(count, seed, progress)
    pocs = POCPage.objects.live().count()
    say(f"Catalogue ready: {pocs} published POCs ({loader}).")
    save_search_text(iter_published_pocs())
    say("Database search text written; rebuilding the Elasticsearch index...")
    rebuild = rebuild_index(progress=progress)
    say(f"Rebuilt {rebuild.indexed} documents at {rebuild.rate:.0f}/s.")

    mix = request_mix(requests, seed)
    elasticsearch = ElasticsearchCatalogueSearch()
    database = DatabaseCatalogueSearch()
    client = get_client()
    alias = alias_name()
    bodies = [build_request_body(request) for request in mix]
    timings = {
        "layer": Timing("Search layer on Elasticsearch (search_catalogue)"),
        "raw": Timing("Raw Elasticsearch round trip, same body (floor)"),
        "database": Timing("Database backend"),
        "peer": Timing("Wagtail .search().facet() per facet (peer)"),
    }
    peer_facets = ["stage", "year"]

    def measure(name: str, action: Callable[[], object], index: int) -> None:
        started = time.perf_counter()
        action()
        if index >= warmup:
            timings[name].samples.append(time.perf_counter() - started)

    for index in range(warmup + len(mix)):
        request = mix[index % len(mix)]
        body = bodies[index % len(mix)]
        measure("raw", lambda body=body: client.search(index=alias, body=body), index)
        measure("layer", lambda request=request: elasticsearch.search(request), index)
        measure("database", lambda request=request: database.search(request), index)
        if request.q:

            def peer(request=request) -> None:
                results = POCPage.objects.live().search(request.q)
                list(results[: request.page_size])
                for facet in peer_facets:
                    results.facet(facet)

            measure("peer", peer, index)
        if progress:
            progress(index + 1, warmup + len(mix))

    queries: dict[str, float] = {}
    sample = mix[: min(30, len(mix))]
    for name, backend in (("layer", elasticsearch), ("database", database)):
        with CaptureQueriesContext(connection) as captured:
            for request in sample:
                backend.search(request)
        queries[name] = len(captured.captured_queries) / len(sample)

    return BenchReport(
        pocs=pocs,
        database=f"{connection.vendor}",
        requests=len(mix),
        load_seconds=load_seconds,
        loader=loader,
        rebuild_rate=rebuild.rate,
        rebuild_seconds=rebuild.seconds,
        timings=timings,
        queries=queries,
        peer_facets=peer_facets,
    )
