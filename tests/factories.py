"""Small builders for test data: each takes keyword overrides of sensible defaults."""

from __future__ import annotations

import io
import itertools

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.utils.text import slugify
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.users.models import UserProfile

from poc_catalogue.models import (
    CatalogueIndexPage,
    Commune,
    HomePage,
    Maker,
    MakerKind,
    MakerRole,
    POCGalleryImage,
    POCMaker,
    POCPage,
    Stage,
    Theme,
    TrailIndexPage,
    TrailPage,
    TrailStop,
)
from poc_catalogue.translations import translate_page

_sequence = itertools.count(1)


def png_bytes(
    width: int = 64, height: int = 48, colour: tuple[int, int, int] = (228, 0, 58)
) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def make_image(title: str | None = None, **kwargs):
    number = next(_sequence)
    title = title or f"Test image {number}"
    content = png_bytes(**kwargs)
    return get_image_model().objects.create(
        title=title, file=ImageFile(io.BytesIO(content), name=f"test-{number}.png")
    )


def make_staff(username: str, language: str, password: str = "pw"):  # noqa: S107 - a test user
    """A superuser whose admin speaks `language` (French, the staff's; English for msgids)."""
    user = get_user_model().objects.create_superuser(username, f"{username}@example.org", password)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def theme(slug: str = "mobilite") -> Theme:
    """One of the six seeded themes."""
    return Theme.objects.get(slug=slug)


def commune(name: str = "Lille") -> Commune:
    """One of the 95 seeded communes."""
    return Commune.objects.get(name=name)


def make_maker(name: str | None = None, **kwargs) -> Maker:
    name = name or f"Atelier {next(_sequence)}"
    kwargs.setdefault("slug", slugify(name))
    kwargs.setdefault("kind", MakerKind.STUDIO)
    kwargs.setdefault("bio", f"{name}, acteur du design en métropole lilloise.")
    return Maker.objects.create(name=name, **kwargs)


def catalogue() -> CatalogueIndexPage:
    return CatalogueIndexPage.in_source_language()


def make_poc(
    title: str | None = None,
    *,
    themes: list[Theme] | None = None,
    makers: list[Maker] | None = None,
    tags: list[str] | None = None,
    gallery: int = 0,
    publish: bool = True,
    **kwargs,
) -> POCPage:
    """A POC page under the catalogue, published unless publish=False, with `gallery` images."""
    title = title or f"POC {next(_sequence)}"
    kwargs.setdefault("slug", slugify(title))
    kwargs.setdefault("summary", f"Résumé de « {title} ».")
    kwargs.setdefault("hero_alt_text", f"Photographie du projet {title}")
    kwargs.setdefault("stage", Stage.EXPERIMENT)
    kwargs.setdefault("year", 2020)
    if "commune" not in kwargs:
        kwargs["commune"] = commune()
    if "hero_image" not in kwargs:
        kwargs["hero_image"] = make_image()
    poc = POCPage(title=title, live=publish, **kwargs)
    poc.themes = themes if themes is not None else [theme()]
    if tags:
        poc.tags.add(*tags)
    poc.poc_makers = [
        POCMaker(maker=maker, role=MakerRole.HOLDER if position == 0 else MakerRole.PARTNER)
        for position, maker in enumerate(makers if makers is not None else [make_maker()])
    ]
    poc.gallery_images = [
        POCGalleryImage(
            image=make_image(),
            alt_text=f"Vue {number + 1} du projet {title}",
            caption=f"Étape {number + 1}",
            credit=f"Studio Nord, {title}, Lille, 2020",
        )
        for number in range(gallery)
    ]
    return add_page(catalogue(), poc, publish)


def add_page(parent: Page, page: Page, publish: bool) -> Page:
    """`page` added under `parent` as the admin adds it: a revision, published or a draft."""
    parent.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    page.refresh_from_db()
    return page


def english(page: Page, publish: bool = True, **texts: str) -> Page:
    """`page`'s English translation made with wagtail-localize, as staff make it: `texts`
    name its segments (`title`, `slug`, `summary`, `body.<block id>`...). The home and
    catalogue pages are translated first when they are not, as the editor asks."""
    for ancestor, title in (
        (HomePage.objects.get(locale__language_code="fr"), "Design in the Lille Métropole"),
        (catalogue(), "POC catalogue"),
    ):
        if ancestor.pk != page.pk and not ancestor.get_translations().exists():
            translate_page(ancestor, "en", {"title": title})
    return translate_page(page, "en", texts, publish=publish)


def trail_index() -> TrailIndexPage:
    """The French trails index under the home page, created on first use."""
    home = HomePage.objects.get(locale__language_code="fr")
    index = TrailIndexPage.objects.child_of(home).first()
    if index is None:
        index = TrailIndexPage(title="Parcours", slug="parcours")
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


def make_trail(
    title: str | None = None,
    *,
    pocs: list[POCPage],
    notes: list[str] | None = None,
    publish: bool = True,
    **kwargs,
) -> TrailPage:
    """A trail through `pocs` in this order, each with a note, under the trails index."""
    title = title or f"Parcours {next(_sequence)}"
    kwargs.setdefault("slug", slugify(title))
    kwargs.setdefault("introduction", f"Une promenade « {title} » d'un POC à l'autre.")
    kwargs.setdefault("theme", theme())
    notes = notes or [f"Regardez « {poc.title} » de près." for poc in pocs]
    trail = TrailPage(title=title, live=publish, **kwargs)
    trail.stops = [
        TrailStop(poc=poc, note=note, sort_order=position)
        for position, (poc, note) in enumerate(zip(pocs, notes, strict=True))
    ]
    return add_page(trail_index(), trail, publish)
