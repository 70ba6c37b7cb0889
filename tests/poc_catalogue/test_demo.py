"""The demo catalogue: realistic, deterministic for a seed, and safe to load twice."""

import re

import pytest
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex

from poc_catalogue.demo import (
    MAKER_COUNTS,
    CommuneRef,
    ThemeRef,
    load_demo_catalogue,
    plan_catalogue,
)
from poc_catalogue.geography import METROPOLE_EXTENT
from poc_catalogue.models import (
    Commune,
    HomePage,
    Maker,
    MakerKind,
    MakerRole,
    POCGalleryImage,
    POCMaker,
    POCPage,
    Theme,
)
from poc_catalogue.signals import pocs_bulk_published
from tests.processes import manage

COUNT = 12


def _refs():
    themes = [ThemeRef(t.slug, t.name, t.colour) for t in Theme.objects.all()]
    communes = [
        CommuneRef(c.insee_code, c.name, c.latitude, c.longitude, c.population)
        for c in Commune.objects.all()
    ]
    return themes, communes


def _snapshot() -> list[tuple]:
    return sorted(
        (poc.slug, poc.title, poc.summary, poc.hero_image.file_hash, poc.first_published_at)
        for poc in POCPage.objects.select_related("hero_image")
    )


@pytest.mark.django_db
def test_the_plan_depends_on_the_seed_alone():
    themes, communes = _refs()
    first = plan_catalogue(COUNT, 2020, themes, communes)
    again = plan_catalogue(COUNT, 2020, list(reversed(themes)), list(reversed(communes)))
    other = plan_catalogue(COUNT, 2021, themes, communes)
    assert [p.slug for p in first.pocs] == [p.slug for p in again.pocs]
    assert [p.summary for p in first.pocs] == [p.summary for p in again.pocs]
    assert [p.slug for p in first.pocs] != [p.slug for p in other.pocs]


@pytest.mark.django_db
def test_a_bigger_catalogue_starts_with_the_smaller_one():
    themes, communes = _refs()
    small = plan_catalogue(COUNT, 2020, themes, communes)
    big = plan_catalogue(COUNT * 5, 2020, themes, communes)
    assert [p.title for p in big.pocs[:COUNT]] == [p.title for p in small.pocs]


@pytest.mark.django_db
def test_the_plan_looks_like_the_wdc_programme():
    themes, communes = _refs()
    plan = plan_catalogue(600, 2020, themes, communes)
    assert len(plan.makers) == sum(MAKER_COUNTS.values()) == 150
    assert {m.kind for m in plan.makers} == set(MakerKind)
    assert len(plan.tags) == len(set(plan.tags)) == 80
    assert len({p.slug for p in plan.pocs}) == 600
    assert {p.commune_insee for p in plan.pocs} == {c.insee_code for c in communes}
    assert {p.year for p in plan.pocs} == {2019, 2020, 2021}
    assert {len(p.gallery) for p in plan.pocs} == {0, 1, 2, 3, 4}
    assert {len(p.theme_slugs) for p in plan.pocs} == {1, 2, 3}
    text = " ".join(p.title + p.summary for p in plan.pocs).lower()
    assert "lorem" not in text and "ipsum" not in text


@pytest.mark.django_db
def test_loading_builds_live_valid_pages():
    report = load_demo_catalogue(count=COUNT, seed=2020)
    assert report.pocs_created == COUNT
    pocs = list(POCPage.objects.filter(locale__language_code="fr"))
    assert len(pocs) == COUNT
    for poc in pocs:
        poc.full_clean()  # every rule the admin form would check on the page itself
        assert poc.live and poc.first_published_at and poc.last_published_at
        assert poc.url == f"/catalogue/{poc.slug}/"
        assert 1 <= poc.themes.count() <= 3
        assert poc.poc_makers.filter(role=MakerRole.HOLDER).count() == 1
        assert poc.hero_image and poc.hero_alt_text
        assert len(poc.summary) <= 280
        assert METROPOLE_EXTENT.contains(poc.latitude, poc.longitude)
        assert 2019 <= poc.year <= 2021
        # WDC credits: "designer, project, commune, year"
        assert re.fullmatch(rf".+, .+, {re.escape(poc.commune.name)}, {poc.year}", poc.hero_credit)
        assert {b.block_type for b in poc.body} >= {"heading", "paragraph", "quote"}
        assert poc.contact_email
        # The admin can tell where an image or a maker is used.
        assert ReferenceIndex.get_references_to(poc.hero_image).exists()
    # The tree stays consistent for treebeard and Wagtail.
    catalogue = Page.objects.get(slug="catalogue", locale__language_code="fr")
    assert catalogue.numchild == COUNT
    assert Page.find_problems() == ([], [], [], [], [])
    assert HomePage.objects.get(locale__language_code="fr").featured_pocs.count() == 6
    # PostgreSQL enforces the 100 characters of Image.file that SQLite ignores.
    assert all(
        len(name) <= 100 for name in get_image_model().objects.values_list("file", flat=True)
    )
    # Many small structures have a logo; designers and collectives show their name only.
    with_logo = Maker.objects.filter(logo__isnull=False)
    assert with_logo.count() >= 30
    assert not with_logo.filter(kind__in=[MakerKind.DESIGNER, MakerKind.COLLECTIVE]).exists()


@pytest.mark.django_db
def test_every_other_poc_is_loaded_in_english_too(client):
    report = load_demo_catalogue(count=COUNT, seed=2020)
    french = {
        poc.translation_key: poc for poc in POCPage.objects.filter(locale__language_code="fr")
    }
    english = list(POCPage.objects.filter(locale__language_code="en"))
    assert report.translations_created == len(english) >= COUNT // 2
    for poc in english:
        poc.full_clean()
        source = french[poc.translation_key]  # a translation of a French POC, not a new one
        assert poc.live and poc.url == f"/en/catalogue/{poc.slug}/"
        assert poc.title != source.title and poc.hero_alt_text != source.hero_alt_text
        assert [block.id for block in poc.body] == [block.id for block in source.body]
        assert set(poc.themes.all()) == set(source.themes.all())
        assert poc.commune == source.commune
    english_catalogue = Page.objects.get(slug="catalogue", locale__language_code="en")
    assert english_catalogue.numchild == len(english)
    assert Page.find_problems() == ([], [], [], [], [])
    home = client.get("/en/").content.decode()
    assert "<h1>Design in Lille Métropole</h1>" in home
    assert english[0].title.replace("'", "&#x27;") in client.get(english[0].url).content.decode()


@pytest.mark.django_db
def test_loading_tells_listeners_which_pocs_went_live():
    received: list[int] = []

    def receiver(sender, page_ids, **kwargs):
        received.extend(page_ids)

    pocs_bulk_published.connect(receiver)
    try:
        load_demo_catalogue(count=3, seed=2020)
        load_demo_catalogue(count=3, seed=2020)
    finally:
        pocs_bulk_published.disconnect(receiver)
    french = POCPage.objects.filter(locale__language_code="fr")
    assert sorted(received) == sorted(french.values_list("pk", flat=True))


def _rows() -> tuple[int, ...]:
    """How many pages, makers, maker links, gallery images, images and featured POCs exist."""
    return (
        Page.objects.count(),
        Maker.objects.count(),
        POCMaker.objects.count(),
        POCGalleryImage.objects.count(),
        get_image_model().objects.count(),
        HomePage.objects.get(locale__language_code="fr").featured_pocs.count(),
    )


@pytest.mark.django_db
def test_loading_twice_adds_nothing():
    load_demo_catalogue(count=COUNT, seed=2020)
    counts = _rows()
    before = _snapshot()

    report = load_demo_catalogue(count=COUNT, seed=2020)

    assert report.pocs_created == 0 and report.pocs_existing == COUNT
    assert report.makers_created == report.images_created == report.tags_created == 0
    assert report.translations_created == 0
    assert _snapshot() == before
    assert _rows() == counts


@pytest.mark.django_db
def test_a_larger_count_adds_the_missing_pocs_after_the_existing_ones():
    load_demo_catalogue(count=4, seed=2020)
    report = load_demo_catalogue(count=COUNT, seed=2020)
    assert (report.pocs_created, report.pocs_existing) == (COUNT - 4, 4)
    assert POCPage.objects.filter(locale__language_code="fr").count() == COUNT
    assert POCPage.objects.filter(locale__language_code="en").count() == COUNT // 2
    assert Page.find_problems() == ([], [], [], [], [])


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_catalogue_and_pictures():
    load_demo_catalogue(count=COUNT, seed=2020)
    first = _snapshot()
    for poc in POCPage.objects.all():
        poc.delete()
    get_image_model().objects.all().delete()

    load_demo_catalogue(count=COUNT, seed=2020)
    assert _snapshot() == first


@pytest.mark.django_db
def test_pictures_differ_from_one_poc_to_the_next():
    load_demo_catalogue(count=COUNT, seed=2020)
    hashes = set(POCPage.objects.values_list("hero_image__file_hash", flat=True))
    assert len(hashes) == COUNT


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_command_shows_progress_and_a_summary():
    result = manage("load_demo_catalogue", "--count", "3", "--seed", "5")
    assert result.returncode == 0, result.stderr
    assert "5/5" in result.stderr  # 3 POCs, then the English translations of 2 of them
    summary, hint = result.stdout.strip().splitlines()
    assert "3 POCs created, 0 already there, 2 English translations" in summary
    assert "manage.py prepare_renditions makes them all now" in hint


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_bootstrap_makes_an_admin_and_demo_content_once(django_user_model):
    first = manage("bootstrap_site", "--demo-count", "4")
    assert first.returncode == 0, first.stderr
    assert "Admin account created: username 'admin', password '" in first.stdout
    assert "4 POCs created" in first.stdout
    assert django_user_model.objects.get(username="admin").is_superuser
    again = manage("bootstrap_site", "--demo-count", "4")
    assert again.returncode == 0, again.stderr
    assert "An admin account already exists" in again.stdout
    assert "already has content" in again.stdout
    assert POCPage.objects.filter(locale__language_code="fr").count() == 4
    assert POCPage.objects.filter(locale__language_code="en").count() == 2


@pytest.mark.django_db
def test_tags_staff_already_wrote_are_reused():
    from taggit.models import Tag

    Tag.objects.create(name="Vélo", slug="vélo")
    load_demo_catalogue(count=COUNT, seed=2020)
    assert Tag.objects.filter(slug="vélo").count() == 1
    assert not Tag.objects.filter(name="vélo").exists()
